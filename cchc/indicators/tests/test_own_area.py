"""Own figures vs area figures, "no data" vs 0, and an entered figure over a computed one (issue 12)."""

from datetime import date
from decimal import Decimal

from cchc.accounts.actors import SystemActor
from cchc.indicators.periods import get_period
from cchc.indicators.selectors import MISSING_NO_RECORDS, ValueContext, own_spans, value_of
from cchc.indicators.services import enter_value
from cchc.indicators.validation import check_submission, warnings_for
from cchc.org.selectors import load_graph

DISTRICT = "000.00.21.H42"
DISTRICT_HOME = "000.01.21.H42"  # Phòng Nội vụ huyện (a section)
DISTRICT_DESK = "000.02.21.H42"  # Bộ phận Một cửa huyện (a section)
PHO_CHAU = "000.11.21.H42"
PHO_CHAU_DESK = "001.11.21.H42"
SON_TAY = "000.16.21.H42"
PROVINCE = "000.00.00.H42"


def _enter_raw(unit, period_code, code, value, note=""):
    """An entered figure of a computed indicator, as the entry service will store it (helper of item 4)."""
    from cchc.indicators.models import Indicator, IndicatorValue
    from cchc.indicators.periods import ensure_period

    return IndicatorValue.objects.create(
        unit=unit,
        period=ensure_period(period_code),
        value=Decimal(value),
        indicator=Indicator.objects.get(code=code),
        note=note,
        entered_by_label="Nguyễn Văn Nhập",
    )


def test_own_spans_are_the_unit_and_its_sections_only(demo_org):
    graph = load_graph()
    spans = own_spans(graph, demo_org[DISTRICT].pk, date(2020, 12, 15), date(2021, 12, 14))
    codes = {graph.units[uid].code for uid in spans}
    assert codes == {DISTRICT, DISTRICT_HOME, DISTRICT_DESK}
    area = graph.subtree_spans(demo_org[DISTRICT].pk, date(2020, 12, 15), date(2021, 12, 14))
    assert {PHO_CHAU, PHO_CHAU_DESK, SON_TAY} <= {graph.units[uid].code for uid in area}
    # a unit that did not exist during the stretch has no own records
    assert own_spans(graph, demo_org[DISTRICT].pk, date(2026, 1, 1), date(2026, 6, 1)) == {}


def _counting(store):
    """A compute function over invented records (unit code, day); keeps records from each unit's first."""
    calls = []

    def count(units, span):
        codes = {u.code for u in units}
        calls.append(frozenset(codes))
        return sum(1 for code, day in store if code in codes and span.start <= day <= span.end)

    def keeps(units, span):
        return any(code in {u.code for u in units} and day <= span.end for code, day in store)

    return count, keeps, calls


def test_computed_own_line_counts_the_unit_and_sections_never_the_communes(demo_org, catalogue, computed):
    store = [(SON_TAY, date(2021, 3, 1)), (SON_TAY, date(2021, 4, 1)), (DISTRICT_HOME, date(2021, 5, 1))]
    count, keeps, calls = _counting(store)
    computed("plans.tasks_planned", count, keeps_records=keeps)
    district = value_of(DISTRICT, "2021-NAM", "plan.tasks_planned")
    assert district.value == 1 and district.source == "computed"  # Phòng Nội vụ's record, not Sơn Tây's two
    assert calls[-1] == {DISTRICT, DISTRICT_HOME, DISTRICT_DESK}
    assert district.detail["counts"] == "own" and district.detail["unit_count"] == 3
    assert "số liệu riêng của đơn vị" in district.source_text and DISTRICT_HOME in district.source_text
    assert value_of(SON_TAY, "2021-NAM", "plan.tasks_planned").value == 2
    # the province keeps no plan records of its own: unknown ("…"), not 0
    province = value_of(PROVINCE, "2021-NAM", "plan.tasks_planned")
    assert province.value is None and province.source == "missing" and province.missing_reason == MISSING_NO_RECORDS


def test_no_data_is_not_zero_but_kept_records_counting_zero_are_zero(demo_org, catalogue, computed):
    store = [(SON_TAY, date(2022, 2, 1))]  # Sơn Tây keeps its records in the product from 2022 on
    count, keeps, _ = _counting(store)
    computed("dossiers.commune_received", count, keeps_records=keeps)
    before = value_of(SON_TAY, "2021-NAM", "dossiers.commune.received")
    assert before.value is None and before.is_missing and "không quản lý" in before.missing_reason
    assert value_of(SON_TAY, "2022-NAM", "dossiers.commune.received").value == 1
    # records kept, none in the period: a true 0
    zero = value_of(SON_TAY, "2023-Q3", "dossiers.commune.received")
    assert zero.value == 0 and zero.source == "computed"
    # area: the district adds up its communes as the tree stood
    assert value_of(DISTRICT, "2022-NAM", "dossiers.commune.received").value == 1
    assert value_of(DISTRICT, "2021-NAM", "dossiers.commune.received").value is None


def test_area_line_without_records_adds_up_the_communes_entries(demo_org, catalogue, computed):
    """Communes that keep their dossiers elsewhere enter their figures; the district's area line adds them."""
    computed("dossiers.commune_received", lambda units, span: 0, keeps_records=lambda units, span: False)
    _enter_raw(demo_org[SON_TAY], "2021-NAM", "dossiers.commune.received", 120)
    _enter_raw(demo_org[PHO_CHAU], "2021-NAM", "dossiers.commune.received", 1030)
    district = value_of(DISTRICT, "2021-NAM", "dossiers.commune.received")
    assert district.value == 1150 and district.source == "rollup"
    assert {u["code"] for u in district.detail["units"]} == {SON_TAY, PHO_CHAU}


def test_entered_figure_wins_over_computed_with_both_in_provenance(demo_org, catalogue, computed):
    computed("dossiers.district_received", lambda units, span: 2400)
    _enter_raw(
        demo_org[DISTRICT],
        "2021-NAM",
        "dossiers.district.received",
        2517,
        note="Theo Hệ thống một cửa điện tử của tỉnh",
    )
    v = value_of(DISTRICT, "2021-NAM", "dossiers.district.received")
    assert v.value == 2517 and v.source == "entered" and v.detail["computed_value"] == 2400
    assert "tính từ dữ liệu nghiệp vụ: 2.400" in v.source_text
    warnings = warnings_for(demo_org[DISTRICT], get_period("2021-NAM"), "dossiers.district.received")
    mismatch = [w for w in warnings if w.rule.code == "nhap_khac_tinh.dossiers.district.received"]
    assert len(mismatch) == 1 and mismatch[0].rule.importance == "low"
    assert "2.517" in mismatch[0].rule.message and "2.400" in mismatch[0].rule.message
    check = check_submission(DISTRICT, "2021-NAM")
    assert check.can_submit and any(w.rule.code.startswith("nhap_khac_tinh.") for w in check.warnings)


def test_check_submission_lists_missing_figures_by_name_with_a_link(demo_org, catalogue):
    check = check_submission(SON_TAY, "2021-NAM")
    by_code = {m.code: m for m in check.missing}
    legal = by_code["legal.issued"]
    assert legal.name == "Số VBQPPL đã ban hành" and legal.reason
    assert legal.url.startswith("/chi-tieu/?don-vi=000.16.21.H42&ky=2021-NAM#row-")
    # a missing ratio is listed through its missing parts, each once
    assert "propaganda.plan_rate" not in by_code and "propaganda.tasks_planned" in by_code
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2021-NAM", "legal.issued", 0)  # "nothing happened" is a 0
    assert "legal.issued" not in {m.code for m in check_submission(SON_TAY, "2021-NAM").missing}
    assert value_of(SON_TAY, "2021-NAM", "legal.issued").value == Decimal(0)


def test_a_year_without_period_rows_is_read_without_writing(demo_org, catalogue, computed):
    from cchc.indicators.models import ComputedValue, Period

    computed("dossiers.commune_received", lambda units, span: 3)
    far = get_period("2090-NAM")
    assert far.pk is None and far.start == date(2089, 12, 15) and not Period.objects.filter(code="2090-NAM").exists()
    context = ValueContext(far)
    assert context.value(demo_org[SON_TAY].pk, "dossiers.commune.received").value == 3  # computed, not cached
    context.flush()
    assert not ComputedValue.objects.filter(period__code="2090-NAM").exists()
    # a write creates the row
    enter_value(SystemActor("test"), demo_org[SON_TAY], "2030-NAM", "legal.issued", 2)
    assert Period.objects.filter(code="2030-NAM").exists()
