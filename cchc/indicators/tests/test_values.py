from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.models import AuditEvent
from cchc.indicators import registry
from cchc.indicators.models import ComputedValue, IndicatorValue
from cchc.indicators.periods import get_period
from cchc.indicators.selectors import MISSING_NO_SOURCE, ValueContext, value_of, values_for
from cchc.indicators.services import enter_value, mark_stale

SON_TAY = "000.16.21.H42"
SON_NINH = "000.12.21.H42"
PHO_CHAU = "000.11.21.H42"  # merged into 000.00.61.H42 on 1/7/2025
NEW_COMMUNE = "000.00.61.H42"
DISTRICT = "000.00.21.H42"
PROVINCE = "000.00.00.H42"


def test_entered_value_has_provenance_and_audit(demo_org, make_user, catalogue):
    officer = make_user("canbo", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    result = enter_value(officer, demo_org[SON_TAY], "2021-NAM", "legal.issued", "1.234", "Sổ tiếp nhận")
    assert result.value.value == 1234 and result.warnings == []
    v = value_of(SON_TAY, "2021-NAM", "legal.issued")
    assert v.source == "entered" and v.own and v.value == 1234 and v.display == "1.234"
    assert v.detail["entered_by"] == officer.display_name and v.detail["note"] == "Sổ tiếp nhận"
    assert "Nhập tay: " in v.source_text and "Sổ tiếp nhận" in v.source_text
    event = AuditEvent.objects.get(verb="indicators.value_entered")
    assert event.actor == officer and event.data["new"] == "1234" and event.data["old"] is None
    # the same value again changes nothing and writes no audit row
    again = enter_value(officer, demo_org[SON_TAY], "2021-NAM", "legal.issued", 1234, "Sổ tiếp nhận")
    assert again.changed is False
    assert AuditEvent.objects.filter(verb="indicators.value_entered").count() == 1
    # an empty value clears the entry
    enter_value(officer, demo_org[SON_TAY], "2021-NAM", "legal.issued", "")
    assert not IndicatorValue.objects.exists()
    assert AuditEvent.objects.filter(verb="indicators.value_cleared").count() == 1


def test_scope_commune_officer_cannot_enter_for_another_commune(demo_org, make_user, catalogue):
    officer = make_user("canbo", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    with pytest.raises(Http404):
        enter_value(officer, demo_org[SON_NINH], "2021-NAM", "legal.issued", 3)
    with pytest.raises(Http404):
        enter_value(officer, demo_org[DISTRICT], "2021-NAM", "legal.issued", 3)
    with pytest.raises(Http404):
        values_for(SON_NINH, "2021-NAM", user=officer)
    leader = make_user("lanhdao", Role.LEADER, demo_org[SON_TAY])
    with pytest.raises(PermissionDenied):
        enter_value(leader, demo_org[SON_TAY], "2021-NAM", "legal.issued", 3)
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("legal.issued", "2,5", "phải là số nguyên"),
        ("legal.issued", "-1", "không được âm"),
        ("legal.issued", "mười", "không phải là một số"),
        ("dialogue.held", "2", "chỉ nhận một trong các giá trị 1 = Có; 0 = Không"),
        ("survey.method", "5", "chỉ nhận một trong các giá trị"),
        ("dossiers.commune.received", "1,5", "phải là số nguyên"),  # computed figures may be entered
        ("dossiers.commune.on_time_rate", "99", "là tỷ lệ"),
        ("plan", "1", "dòng tiêu đề"),
        ("khong.co", "1", "Không có chỉ tiêu mã"),
    ],
)
def test_bad_values_are_refused_in_vietnamese(demo_org, catalogue, code, value, message):
    with pytest.raises(ValidationError, match=message):
        enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", code, value)


def test_boolean_and_enum_accept_their_labels(demo_org, catalogue):
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "dialogue.held", "Có")
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "survey.method", "Kết hợp")
    assert value_of(SON_TAY, "2021-NAM", "dialogue.held").display == "1 (Có)"
    assert value_of(SON_TAY, "2021-NAM", "survey.method").value == 2


def test_computed_without_a_registered_function_has_no_value(demo_org, catalogue, computed):
    computed("dossiers.commune_received", None)
    v = value_of(SON_TAY, "2021-NAM", "dossiers.commune.received")
    assert v.value is None and v.missing_reason == MISSING_NO_SOURCE
    assert not ComputedValue.objects.exists()


def test_ratio_is_derived_from_its_parts_at_read_time(demo_org, catalogue):
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "propaganda.tasks_planned", 6)
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "propaganda.tasks_done", 5)
    v = value_of(SON_TAY, "2021-NAM", "propaganda.plan_rate")
    assert v.source == "ratio" and v.value == Decimal("83.33") and v.display == "83,33%"
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "propaganda.tasks_planned", 0)
    assert value_of(SON_TAY, "2021-NAM", "propaganda.plan_rate").missing_reason == "mẫu số bằng 0"


def test_entered_warning_on_entry(demo_org, catalogue):
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "legal.issued", 3)
    result = enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "legal.issued_on_schedule", 4)
    assert [w.rule.code for w in result.warnings] == ["legal.on_schedule_le_issued"]
    assert result.warnings[0].left == 4 and result.warnings[0].right == 3
    assert result.value.value == 4  # a warning does not refuse the value


# ---- computed values, cache and roll-up along the dated tree ------------------------------------
EVENTS = [
    (SON_TAY, date(2024, 6, 1)),
    (SON_TAY, date(2025, 3, 1)),  # under its district
    (SON_TAY, date(2025, 8, 1)),  # under the province (no district after 1/7/2025)
    (PHO_CHAU, date(2025, 3, 1)),  # under its district, before the merge
    (PHO_CHAU, date(2025, 8, 1)),  # a record of the old commune dated after the merge: its successor's
    (NEW_COMMUNE, date(2025, 9, 1)),
]


@pytest.fixture
def events(computed):
    calls = []
    store = list(EVENTS)

    def count(units, span):
        codes = {u.code for u in units}
        calls.append((span.start, span.end, frozenset(codes)))
        n = sum(1 for code, day in store if code in codes and span.start <= day <= span.end)
        return registry.Computed(n, {"hồ sơ": n})

    computed("dossiers.commune_received", count)
    return store, calls


def test_computed_value_with_provenance_and_cache(demo_org, catalogue, events):
    store, calls = events
    v = value_of(SON_TAY, "2024-NAM", "dossiers.commune.received")
    assert v.source == "computed" and v.value == 1 and v.own
    assert v.detail["function"] == "dossiers.commune_received" and v.detail["inputs"] == {"hồ sơ": 1}
    assert v.detail["unit_count"] == 2  # the commune and its one-stop section
    assert "Tính từ dữ liệu (dossiers.commune_received)" in v.source_text
    n_calls = len(calls)
    assert value_of(SON_TAY, "2024-NAM", "dossiers.commune.received").value == 1
    assert len(calls) == n_calls  # served from the cache
    # a new record: the writing app marks the unit's periods stale, the next read sees it at once
    store.append((SON_TAY, date(2024, 7, 1)))
    marked = mark_stale(demo_org[SON_TAY], date(2024, 7, 1))
    assert marked >= 1
    assert value_of(SON_TAY, "2024-NAM", "dossiers.commune.received").value == 2


def test_mark_stale_reaches_ancestors_of_that_day(demo_org, catalogue, events):
    store, _ = events
    for code in (SON_TAY, DISTRICT, PROVINCE):
        value_of(code, "2024-NAM", "dossiers.commune.received")
    store.append((SON_TAY, date(2024, 7, 1)))
    mark_stale(demo_org[SON_TAY], date(2024, 7, 1))
    assert set(ComputedValue.objects.filter(stale=True).values_list("unit__code", flat=True)) == {
        SON_TAY,
        DISTRICT,
        PROVINCE,
    }
    assert value_of(PROVINCE, "2024-NAM", "dossiers.commune.received").value == 2
    assert value_of(DISTRICT, "2024-NAM", "dossiers.commune.received").value == 2


def test_computed_rollup_across_the_2025_reform(demo_org, catalogue, events):
    def received(code, period="2025-NAM"):
        return value_of(code, period, "dossiers.commune.received").value

    assert received(DISTRICT) == 2  # Sơn Tây and Phố Châu before 1/7/2025 only
    assert received(PROVINCE) == 5  # every 2025 record, each once
    assert received(SON_TAY) == 2
    assert received(NEW_COMMUNE) == 2  # its own, plus the merged commune's record after the merge
    assert received(PHO_CHAU) == 1  # the old commune's figure stops at its last day
    assert received(DISTRICT, "2024-NAM") == 1 and received(PROVINCE, "2024-NAM") == 1
    # the 6-month period ends 14/6/2025: everything still under the district
    assert received(DISTRICT, "2025-6T") == 2 and received(PROVINCE, "2025-6T") == 2


def test_entered_rollup_across_the_2025_reform(demo_org, catalogue):
    code = "leaders.commune_ppc"  # counts: area — the district's line adds up its communes' entries
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2024-NAM", code, 5)
    enter_value(SystemActor("test"), demo_org[SON_NINH], "2024-NAM", code, 2)
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2025-NAM", code, 4)
    enter_value(SystemActor("test"), demo_org[PHO_CHAU], "2025-NAM", code, 3)

    def found(unit, period):
        return value_of(unit, period, code)

    # 2024: the district adds its communes, the province its districts
    assert found(DISTRICT, "2024-NAM").value == 7
    province_2024 = found(PROVINCE, "2024-NAM")
    assert province_2024.value == 7 and province_2024.source == "rollup" and not province_2024.own
    assert [u["code"] for u in province_2024.detail["units"]] == [DISTRICT]
    assert province_2024.detail["counts"] == "area"
    # 2025: Sơn Tây ends the year under the province, Phố Châu ended under its district: each counted once
    assert found(DISTRICT, "2025-NAM").value == 3
    assert found(PROVINCE, "2025-NAM").value == 7
    assert sorted(u["code"] for u in found(PROVINCE, "2025-NAM").detail["units"]) == sorted([DISTRICT, SON_TAY])
    # a unit's own entry wins over the roll-up of its children
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2024-NAM", code, 9)
    assert found(DISTRICT, "2024-NAM").value == 9 and found(PROVINCE, "2024-NAM").value == 9
    # boolean roll-up 'all'
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2024-NAM", "online_meetings.province_to_commune", 1)
    enter_value(SystemActor("test"), demo_org[SON_NINH], "2024-NAM", "online_meetings.province_to_commune", 0)
    assert value_of(PROVINCE, "2024-NAM", "online_meetings.province_to_commune").value == 0
    # 'none' never rolls up
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2024-NAM", "survey.method", 1)
    assert value_of(DISTRICT, "2024-NAM", "survey.method").value is None


def test_combine_any_all_sum():
    from cchc.indicators.selectors import _combine

    assert _combine("any", [Decimal(0), Decimal(1)]) == 1 and _combine("any", [Decimal(0)]) == 0
    assert _combine("all", [Decimal(1), Decimal(0)]) == 0 and _combine("all", [Decimal(1)]) == 1
    assert _combine("sum", [Decimal(2), Decimal("0.5")]) == Decimal("2.5")


def test_own_entered_figures_never_add_up_the_children(demo_org, catalogue):
    """counts: own — a commune's propaganda plan is not its district's (the bug of issue 12)."""
    for code, planned, done in ((SON_TAY, 4, 4), (SON_NINH, 6, 3)):
        enter_value(SystemActor("test"), demo_org[code], "2024-NAM", "propaganda.tasks_planned", planned)
        enter_value(SystemActor("test"), demo_org[code], "2024-NAM", "propaganda.tasks_done", done)
    district = value_of(DISTRICT, "2024-NAM", "propaganda.tasks_planned")
    assert district.value is None and district.source == "missing" and "riêng" in district.missing_reason
    assert value_of(DISTRICT, "2024-NAM", "propaganda.plan_rate").value is None
    assert value_of(SON_NINH, "2024-NAM", "propaganda.plan_rate").value == Decimal("50.00")
    enter_value(SystemActor("test"), demo_org[DISTRICT], "2024-NAM", "propaganda.tasks_planned", 10)
    assert value_of(DISTRICT, "2024-NAM", "propaganda.tasks_planned").value == 10


def test_ratio_of_sums_at_the_province(demo_org, catalogue, computed):
    figures = {SON_TAY: (4, 4), SON_NINH: (6, 3)}  # (resolved, resolved early) per commune

    def part(index):
        def compute(units, span):
            return sum(figures.get(u.code, (0, 0))[index] for u in units)

        return compute

    computed("dossiers.commune_resolved", part(0))
    computed("dossiers.commune_resolved_early", part(1))
    computed("dossiers.commune_resolved_on_time", lambda units, span: 0)
    v = value_of(PROVINCE, "2024-NAM", "dossiers.commune.on_time_rate")
    assert v.value == Decimal("70.00")  # (4 + 3) / (4 + 6), not the mean of 100% and 50%


def test_total_without_entry_is_the_sum_of_its_parts(demo_org, catalogue):
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2024-NAM", "procedures.in_force_district", 0)
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2024-NAM", "procedures.in_force_commune", 120)
    v = value_of(SON_TAY, "2024-NAM", "procedures.in_force")
    assert v.value == 120 and v.source == "sum"


def test_values_for_lists_every_indicator_in_order(demo_org, catalogue):
    values = values_for(SON_TAY, "2021-NAM")
    context = ValueContext(get_period("2021-NAM"))
    assert [v.code for v in values] == list(context.indicators)
    assert values[0].source == "heading" and values[1].code == "plan.tasks_planned"
