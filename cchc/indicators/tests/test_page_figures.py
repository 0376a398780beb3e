"""The public results page and the staff statistics page read the indicator store (issue 12, one read path):
an entered figure shows on both as in the report, no data is "…" (never 0), and the three agree."""

import io
import re

import pytest
from python_calamine import CalamineWorkbook

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.dossiers.demo import PROCEDURES_FILE
from cchc.dossiers.importing import import_dossiers
from cchc.dossiers.services import import_procedures
from cchc.dossiers.tests.test_import import to_csv
from cchc.indicators.figures import dossier_figures, period_of_days
from cchc.indicators.periods import get_period
from cchc.indicators.selectors import value_of
from cchc.indicators.services import enter_value
from cchc.public.models import ServiceDesk
from cchc.reports.selectors import live_rows

pytestmark = pytest.mark.django_db
DISTRICT, SON_TAY, PROVINCE_HOME = "000.00.21.H42", "000.16.21.H42", "000.00.01.H42"
ACTOR = SystemActor("cchc indicators import")


def _desk(unit) -> ServiceDesk:
    return ServiceDesk.objects.create(unit=unit, name=f"Bộ phận Một cửa {unit.name}", address=unit.name)


def _public(client, code: str, year: str, part: str) -> str:
    page = client.get(f"/cong-khai/{code}/ket-qua/", {"nam": year, "ky": part})
    assert page.status_code == 200
    return page.content.decode()


def _stats(client, code: str, first: str, last: str) -> tuple[str, dict]:
    page = client.get("/ho-so/thong-ke/", {"don_vi": code, "tu": first, "den": last})
    data = client.get("/ho-so/thong-ke.json", {"don_vi": code, "tu": first, "den": last}).json()
    assert page.status_code == 200
    return page.content.decode(), data


def _cell(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert found, element_id
    return found.group(1)


def _stats_row(html: str, label: str) -> str:
    found = re.search(rf"<td>{re.escape(label)}</td><td class=\"num\">([^<]*)</td>", html)
    assert found, label
    return found.group(1)


@pytest.fixture
def reviewer(make_user, demo_org, client):
    user = make_user("snv", Role.PROVINCE_REVIEWER, demo_org[PROVINCE_HOME])
    client.force_login(user)
    return user


def test_entered_figures_of_a_unit_without_records_show_on_both_pages(client, demo_org, reviewer):
    """Units that handle their dossiers in the provincial system typed their 2021 report figures: Huyện Hương
    Sơn (its own district lines) and Xã Sơn Tây (its commune lines, also on its public page)."""
    figures = {"received": "2.517", "resolved_early": 800, "resolved_on_time": "1.631", "resolved_late": 86}
    for unit, tier in ((demo_org[DISTRICT], "district"), (demo_org[SON_TAY], "commune")):
        for code, value in figures.items():
            enter_value(ACTOR, unit, "2021-NAM", f"dossiers.{tier}.{code}", value, note="Một cửa tỉnh")
        report = live_rows(unit, get_period("2021-NAM"))
        assert report[f"dossiers.{tier}.received"].display == "2.517"
        assert report[f"dossiers.{tier}.on_time_rate"].display == "96,58%"

        html, data = _stats(client, unit.code, "15/12/2020", "14/12/2021")  # the report period's days
        assert _stats_row(html, "Tiếp nhận mới trong kỳ") == "2.517"
        assert _stats_row(html, "Đã giải quyết (trả kết quả)") == "2.517"  # the sum of its entered parts
        assert _stats_row(html, "Tỷ lệ giải quyết đúng hạn (trước hạn + đúng hạn)") == "96,58%"
        assert data["received"] == 2517 and data["period"] == "2021-NAM" and data["entered"] is True
        assert data["on_time_rate"] == 96.58

    _desk(demo_org[SON_TAY])
    page = _public(client, SON_TAY, "2021", "NAM")
    assert _cell(page, "r-received") == "2.517" and _cell(page, "r-rate") == "96,58%"
    assert _cell(page, "r-resolved") == "2.517"


def test_a_unit_with_no_data_shows_the_missing_mark_not_zero(client, demo_org, reviewer):
    html, data = _stats(client, DISTRICT, "15/12/2020", "14/12/2021")
    assert _stats_row(html, "Tiếp nhận mới trong kỳ") == "…"
    assert _stats_row(html, "Tỷ lệ giải quyết đúng hạn (trước hạn + đúng hạn)") == "…"
    assert data["received"] is None and "received" in data["missing"] and data["on_time_rate"] is None
    xlsx = client.get("/ho-so/thong-ke/", {"don_vi": DISTRICT, "tu": "15/12/2020", "den": "14/12/2021", "tai": "xlsx"})
    content = b"".join(xlsx.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    total = next(row for row in sheet if row and row[0] == "Tổng")
    assert total[2:5] == ["…", "…", "…"]  # carried over, received, online: a text mark, never an empty cell
    _desk(demo_org[SON_TAY])
    page = _public(client, SON_TAY, "2021", "NAM")
    assert _cell(page, "r-received") == "…" and _cell(page, "r-pending") == "…"
    assert ">0<" not in page.split('id="r-summary"')[1].split("</table>")[0]  # no row of the table says 0


def test_public_page_stats_page_and_report_agree(client, demo_org, reviewer):
    """Xã Sơn Tây keeps its dossiers in the product: the three read the same computed figures."""
    rows = [
        [f"ST-{i}", SON_TAY, "1.004873", "", "", "", "truc_tiep", "", rec, due, ret, "", ""]
        for i, (rec, due, ret) in enumerate(
            [("05/01/2026", "08/01/2026", "07/01/2026")] * 7
            + [("05/01/2026", "08/01/2026", "12/01/2026")] * 2
            + [("06/03/2026", "11/03/2026", "")]
        )
    ]
    import_procedures(PROCEDURES_FILE, actor=ACTOR)
    import_dossiers("st.csv", actor=ACTOR, content=to_csv(rows))
    unit = demo_org[SON_TAY]
    report = live_rows(unit, get_period("2026-Q1"))  # 15/12/2025 – 14/03/2026
    html, data = _stats(client, SON_TAY, "15/12/2025", "14/03/2026")
    _desk(unit)
    page = _public(client, SON_TAY, "2026", "Q1")
    assert report["dossiers.commune.received"].display == "10"
    assert _stats_row(html, "Tiếp nhận mới trong kỳ") == _cell(page, "r-received") == "10" == str(data["received"])
    rate = report["dossiers.commune.on_time_rate"].display
    assert rate == "77,78%" and _cell(page, "r-rate") == rate
    assert _stats_row(html, "Tỷ lệ giải quyết đúng hạn (trước hạn + đúng hạn)") == rate
    assert _stats_row(html, "Đang giải quyết cuối kỳ") == _cell(page, "r-pending") == "1"
    assert data["period"] == "2026-Q1" and data["entered"] is False


def test_a_range_that_is_no_period_is_computed_and_never_cached(demo_org):
    period = period_of_days(get_period("2021-NAM").start, get_period("2021-NAM").end)
    assert period.code == "2021-NAM"  # exactly a stored period: its entries apply
    odd = period_of_days(get_period("2021-T03").start, get_period("2021-T05").end)
    assert odd.pk is None and odd.code == "20210301-20210531"
    enter_value(ACTOR, demo_org[SON_TAY], "2021-T03", "dossiers.commune.received", 5)
    assert dossier_figures(demo_org[SON_TAY], odd.start, odd.end).values["received"] is None  # entries are per period
    assert value_of(demo_org[SON_TAY], "2021-T03", "dossiers.commune.received").value == 5


def test_a_table_of_every_unit_below_reads_the_same_figures_in_a_few_queries(demo_org):
    """The province's statistics by unit (cap_duoi) prefetch every unit's rows in one query
    (ValueContext.prefetch): each row equals the unit read on its own, and the queries do not grow with the
    number of units."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.dossiers.tests.test_import import rows_1000
    from cchc.indicators.figures import overview
    from cchc.org.models import Level, OrgUnit

    import_procedures(PROCEDURES_FILE, actor=ACTOR)
    import_dossiers("a.csv", actor=ACTOR, content=to_csv(rows_1000()))
    province = OrgUnit.objects.get(level=Level.PROVINCE)
    start, end = get_period("2024-NAM").start, get_period("2024-NAM").end
    with CaptureQueriesContext(connection) as queries:
        total, rows = overview(province, start, end, lower=True)
    alone = [dossier_figures(row.unit, start, end, lower=True) for row in rows[1:]]
    assert [r.values for r in rows[1:]] == [a.values for a in alone]
    assert total.values["received"] == sum(a.values["received"] or 0 for a in alone) > 0
    assert len(rows) >= 3 and len(queries) < 30, len(queries)
