"""Kết quả giải quyết hồ sơ: the figures are those of dossiers.stats (as the reports), the period chooser,
the predecessors of a merged commune, and the published-progress indicator with its provenance."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.core.vnformat import format_date, format_percent
from cchc.dossiers.models import Dossier, EventKind, ReturnMethod
from cchc.dossiers.services import Applicant, receive, transition
from cchc.dossiers.stats import stats, units_for
from cchc.indicators.selectors import value_of
from cchc.public import demo, figures
from cchc.public.models import ServiceDesk
from cchc.public.tests.conftest import DEMO_COMMUNE, MERGED_AWAY

pytestmark = pytest.mark.django_db
SON_GIANG = "000.00.62.H42"


@pytest.fixture
def live(desk, catalogue):
    """A month of dossiers of Xã Sơn Tây received and moved on through the services (the demo step)."""
    assert demo.live_dossiers(desk.unit) > 40
    return desk


def _url(code: str = DEMO_COMMUNE, **query: str) -> str:
    return f"/cong-khai/{code}/ket-qua/" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_default_is_the_year_to_date_and_the_figures_are_those_of_stats(client, live):
    today = timezone.localdate()
    response = client.get(_url())
    assert response.status_code == 200
    start = date(today.year, 1, 1)
    expected = stats(units_for(live.unit, start, today, True), start, today)
    shown = response.context["s"]
    for key in (
        "received",
        "online",
        "carried_over",
        "resolved",
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "on_time_rate",
        "pending",
        "pending_within_deadline",
        "pending_overdue",
        "apologies",
        "late_without_apology",
        "closed_other",
    ):
        assert shown[key] == expected[key], key

    def rows(data: list[dict]) -> list[tuple]:
        return [(r["name"], r["received"], r["resolved"], r["resolved_late"], r["on_time_rate"]) for r in data]

    assert rows(shown["by_field"]) == rows(expected["by_field"])
    assert [(r["channel"], r["received"]) for r in shown["by_channel"]] == [
        (r["channel"], r["received"]) for r in expected["by_channel"]
    ]
    assert expected["received"] > 50 and expected["resolved"] > 20
    page = response.content.decode()
    assert f"Số liệu đến ngày {format_date(today)}" in page
    assert f"Năm {today.year}" in page
    assert format_percent(expected["on_time_rate"]) in page  # 96,90% style
    assert 'role="img"' in page and "aria-label=" in page  # the bars have text alternatives
    # Every row of the summary table shows the stats figure, formatted the Vietnamese way.
    assert f'data-key="received">{expected["received"]}<' in page.replace(".", "")


def test_a_month_and_a_quarter(client, live):
    today = timezone.localdate()
    response = client.get(_url(nam=str(today.year), ky=f"T{today.month:02d}"))
    period = response.context["period"]
    assert (period.start, period.end) == (today.replace(day=1), today)
    expected = stats(units_for(live.unit, period.start, today, True), period.start, today)
    assert response.context["s"]["received"] == expected["received"]
    assert response.context["months"] == []  # one month: no month-by-month chart
    quarter = (today.month - 1) // 3 + 1
    response = client.get(_url(nam=str(today.year), ky=f"QUY{quarter}"))
    assert response.context["period"].start == date(today.year, quarter * 3 - 2, 1)
    months = response.context["months"]
    assert sum(m["received"] for m in months) == response.context["s"]["received"]
    assert f"Quý {figures.ROMAN[quarter]} năm {today.year}" in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ({"nam": "abc"}, "Năm “abc” không hợp lệ."),
        ({"nam": "2026", "ky": "T13"}, "không hợp lệ"),
        ({"nam": "2999"}, "Chưa có số liệu năm 2999"),
    ],
)
def test_a_bad_period_is_named_and_the_year_to_date_shown(client, live, query, message):
    response = client.get(_url(**query))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["period"].part == "" and response.context["period"].year == timezone.localdate().year


def test_a_merged_commune_shows_the_communes_it_was_formed_from_before_the_merger(client, demo_org, catalogue):
    ServiceDesk.objects.create(unit=demo_org[SON_GIANG], name="Trung tâm Sơn Giang", address="Sơn Giang")
    old = demo_org[MERGED_AWAY]  # Xã Sơn Lâm, merged into Sơn Giang on 1/7/2025
    proc = next(
        p
        for p in catalogue.values()
        if p.level == "xa" and p.valid_to is None and (p.valid_from is None or p.valid_from < date(2024, 1, 1))
    )
    receive(
        SystemActor("test"),
        unit=old,
        procedure=proc,
        applicant=Applicant("Trần Văn Cũ"),
        received_at=_at(date(2024, 5, 6)),
    )
    response = client.get(_url(SON_GIANG, nam="2024"))
    assert response.status_code == 200
    assert response.context["s"]["received"] == 1
    assert "Xã Sơn Lâm" in response.content.decode()
    assert 2024 in response.context["years"]
    # The reports' units for the same dates hold none of them (Sơn Giang did not exist yet).
    assert units_for(demo_org[SON_GIANG], date(2024, 1, 1), date(2024, 12, 31), True) == []


def test_unpublished_unit_has_no_results_and_a_merged_code_moves(client, demo_org):
    assert client.get(_url()).status_code == 404
    response = client.get(_url(MERGED_AWAY))
    assert response.status_code == 301 and response["Location"] == _url(SON_GIANG)


# ---- the published-progress indicator -------------------------------------------------------------------
@pytest.fixture
def month_of_dossiers(desk, catalogue):
    """Three dossiers received in May 2026 by Xã Sơn Tây; one has no lookup key (imported, never printed)."""
    proc = next(p for p in catalogue.values() if p.level == "xa" and p.valid_to is None)
    made = [
        receive(
            SystemActor("test"),
            unit=desk.unit,
            procedure=proc,
            applicant=Applicant(f"Người {i}"),
            received_at=_at(date(2026, 5, 4 + i)),
        )
        for i in range(3)
    ]
    Dossier.objects.filter(pk=made[0].pk).update(lookup_key="")
    return made


def test_published_progress_is_a_ratio_of_computed_parts_with_provenance(month_of_dossiers, desk):
    rate = value_of(desk.unit, "2026-T05", "public.progress_published_rate")
    assert rate.source == "ratio"
    assert str(rate.value) == "66.67" and rate.display == "66,67%"
    assert rate.detail["numerator"][0] == {"code": "public.dossiers_published", "value": 2}
    assert rate.detail["denominator"] == {"code": "public.dossiers_received", "value": 3}
    part = value_of(desk.unit, "2026-T05", "public.dossiers_published")
    assert part.source == "computed" and part.own
    assert part.detail["function"] == "public.dossiers_published"
    assert part.detail["inputs"]["hồ sơ công khai tiến độ"] == 2
    # The province counts the commune's dossiers too (its subtree).
    province = value_of("000.00.00.H42", "2026-T05", "public.progress_published_rate")
    assert province.display == "66,67%"


def test_withdrawing_the_desk_marks_the_indicator_stale(month_of_dossiers, desk):
    assert value_of(desk.unit, "2026-T05", "public.dossiers_published").value == 2  # now cached
    desk.published = False
    desk.save()
    assert value_of(desk.unit, "2026-T05", "public.dossiers_published").value == 0
    assert value_of(desk.unit, "2026-T05", "public.progress_published_rate").display == "0,00%"


def test_the_results_page_shows_the_published_progress(client, month_of_dossiers, desk):
    response = client.get(_url(nam="2026", ky="T05"))
    assert response.context["progress"] == {"received": 3, "published": 2, "rate": Decimal("66.67")}
    page = response.content.decode()
    assert "66,67%" in page and "được công khai tiến độ giải quyết" in page


def test_figures_count_late_with_apology(client, desk, catalogue):
    proc = next(
        p
        for p in catalogue.values()
        if p.level == "xa" and p.time_unit == "ngay" and p.time_value >= 3 and p.valid_to is None
    )
    d = receive(
        SystemActor("test"),
        unit=desk.unit,
        procedure=proc,
        applicant=Applicant("Lê Văn Trễ"),
        received_at=_at(date(2026, 3, 2)),
    )
    transition(
        SystemActor("test"), d.pk, EventKind.APOLOGY, at=_at(d.due_on), new_due_on=date(2026, 4, 30), note="Chậm"
    )
    transition(SystemActor("test"), d.pk, EventKind.RESULT_READY, at=_at(date(2026, 4, 20)))
    transition(
        SystemActor("test"), d.pk, EventKind.RETURNED, at=_at(date(2026, 4, 21)), return_method=ReturnMethod.COUNTER
    )
    s = client.get(_url(nam="2026", ky="QUY2")).context["s"]
    assert s["resolved_late"] == 1 and s["carried_over"] == 1 and s["late_without_apology"] == 0
    assert s["on_time_rate"] == 0.0
