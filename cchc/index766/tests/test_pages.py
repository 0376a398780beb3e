"""The QĐ 766 pages: the unit page prints the selector's (and the CLI's) figures to the point, no data reads
"chưa có số liệu", the drill-down lists exactly the late dossiers, the XLSX reads back as the page, the
ranking shares ranks, another unit's page is refused outside the user's scope."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.vnformat import format_number, format_percent
from cchc.index766.selectors import index_for, index_for_units

ACTOR = SystemActor("test")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
QUERY = "don-vi=X01&ky=2026-T03"


def _done(dossier, unit, received: date, due: date, ended: date, **fields):
    return dossier(unit, received, due, returned_on=ended, closed_on=ended, outcome="som", status="da_tra", **fields)


@pytest.fixture
def march(org, dossier, procs):
    """Xã An in March 2026: 3 on time (one paid online, one not, with an electronic result known on two),
    2 late (one returned late, one pending past its due date at 31/3), 1 pending within its deadline."""
    a = org["A"]
    _done(dossier, a, date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 9), fee_due=50000, paid_online=True)
    _done(dossier, a, date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 10), fee_due=50000, paid_online=False)
    _done(dossier, a, date(2026, 3, 4), date(2026, 3, 12), date(2026, 3, 5), e_result=True)
    late_returned = _done(dossier, a, date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 11), e_result=False)
    late_pending = dossier(a, date(2026, 3, 5), date(2026, 3, 20))
    dossier(a, date(2026, 3, 20), date(2026, 4, 6))
    return {"late": {late_returned.code, late_pending.code}}


@pytest.fixture
def officer_a(make_user, org):
    return make_user("canbo.an", Role.COMMUNE_OFFICER, org["A"])


def _doc(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.content[:500]
    return lxml.html.fromstring(response.content.decode())


def _cells(doc, code: str) -> list[str]:
    row = doc.xpath(f"//tr[@data-component='{code}']")[0]
    return [td.text_content().strip() for td in row.xpath("td")][1:6]


def test_unit_page_prints_the_selector_and_cli_figures_to_the_point(client, officer_a, org, march):
    client.force_login(officer_a)
    doc = _doc(client.get(f"/chi-so-766/?{QUERY}"))
    result = index_for(org["A"], *MARCH, actor=ACTOR)
    out = io.StringIO()
    call_command("index766", "--unit", "X01", "--period", "2026-T03", "--json", stdout=out)
    cli = {c["code"]: c for c in json.loads(out.getvalue())["components"]}
    progress = result.component("tien_do")
    assert (progress.numerator, progress.denominator) == (4, 6)  # 3 on time + 1 pending within, of 6
    for c in result.components:
        numerator, denominator, ratio, points, maximum = _cells(doc, c.code)
        assert numerator == format_number(c.numerator) and denominator == format_number(c.denominator)
        assert maximum == format_number(c.max_points)
        if c.no_data:
            continue
        assert ratio == format_percent(c.ratio * 100, 2)
        assert points == format_number(c.points, 2)
        assert Decimal(points.replace(",", ".")) == Decimal(str(cli[c.code]["points"])).quantize(Decimal("0.01"))
    assert _cells(doc, "tien_do")[2:4] == ["66,67%", "13,33"]  # 20 × 4/6, by hand
    total = doc.xpath("//*[@id='i7-total']/strong")[0].text_content()
    assert total == format_number(result.total, 2)
    assert Decimal(total.replace(".", "").replace(",", ".")) == Decimal(str(json.loads(out.getvalue())["total"]))
    widths = [s.get("style") for s in doc.xpath("//li[@data-group]//span[@class='i7-fill']")]
    assert len(widths) == 5 and all("," not in w for w in widths)  # CSS widths with a dot
    assert "qd766-" in doc.text_content() or result.version in doc.text_content()


def test_no_data_reads_chua_co_so_lieu_never_zero(client, officer_a, march):
    client.force_login(officer_a)
    doc = _doc(client.get(f"/chi-so-766/?{QUERY}"))
    # Nobody recorded whether a dossier was digitised: no data, not 0 points.
    _, _, ratio, points, _ = _cells(doc, "so_hoa_thanh_phan")
    assert ratio == points == "chưa có số liệu"
    xlsx = client.get(f"/chi-so-766/?{QUERY}&tai=xlsx")
    rows = _xlsx_rows(xlsx)
    row = next(r for r in rows if len(r) > 1 and r[1] == "Hồ sơ có thành phần được số hóa")
    assert row[5] is None and row[7] == "chưa có số liệu"


def test_drill_down_lists_exactly_the_late_dossiers(client, officer_a, march):
    client.force_login(officer_a)
    doc = _doc(client.get(f"/chi-so-766/thanh-phan/tien_do/?{QUERY}"))
    listed = {tr.get("data-code") for tr in doc.xpath("//table[contains(@class, 'i7-lost')]//tr[@data-code]")}
    assert listed == march["late"]
    links = {a.get("href") for a in doc.xpath("//table[contains(@class, 'i7-lost')]//a")}
    assert all(href.startswith("/ho-so/") for href in links) and len(links) == 2
    unit_page = _doc(client.get(f"/chi-so-766/?{QUERY}"))
    assert unit_page.xpath("//tr[@data-component='tien_do']//a[starts-with(@href, '/chi-so-766/thanh-phan/tien_do/')]")


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_xlsx_reads_back_as_the_page(client, officer_a, org, march):
    client.force_login(officer_a)
    doc = _doc(client.get(f"/chi-so-766/?{QUERY}"))
    rows = _xlsx_rows(client.get(f"/chi-so-766/?{QUERY}&tai=xlsx"))
    header = rows.index(("Nhóm", "Thành phần", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm", "Tối đa", "Ghi chú"))
    by_name = {r[1]: r for r in rows[header + 1 :] if r[1]}
    result = index_for(org["A"], *MARCH, actor=ACTOR)
    for c in result.components:
        numerator, denominator, ratio, points, maximum = _cells(doc, c.code)
        row = by_name[c.name]
        assert format_number(row[2]) == numerator and format_number(row[3]) == denominator
        assert format_number(row[6]) == maximum
        if not c.no_data:
            assert format_percent(Decimal(str(row[4])) * 100, 2) == ratio  # stored as a fraction, 0.00%
            assert format_number(row[5], 2) == points
    total = next(r for r in rows if r[0] == "Tổng điểm")
    assert format_number(total[5], 2) == doc.xpath("//*[@id='i7-total']/strong")[0].text_content()


def test_ranking_shares_equal_totals_on_the_page_and_in_the_xlsx(client, make_user, org, dossier):
    # Xã An and Xã Bình each: one on time, one late → equal totals, rank 1 and 1.
    for unit in (org["A"], org["B"]):
        _done(dossier, unit, date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 9))
        _done(dossier, unit, date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 9))
    client.force_login(make_user("sonoivu.thu", Role.PROVINCE_REVIEWER, org["P"]))
    ranked = index_for_units([org["A"], org["B"]], date(2026, 1, 1), date(2026, 3, 31), actor=ACTOR)
    assert [r for r, _ in ranked] == [1, 1]
    doc = _doc(client.get("/chi-so-766/xep-hang/?don-vi=P01&ky=2026-QUY1"))
    rows = {tr.get("data-unit"): tr.xpath("td")[0].text_content() for tr in doc.xpath("//tr[@data-unit]")}
    assert rows == {"X01": "1", "X02": "1"}
    xlsx = _xlsx_rows(client.get("/chi-so-766/xep-hang/?don-vi=P01&ky=2026-QUY1&tai=xlsx"))
    body = [r for r in xlsx if len(r) > 1 and r[1] in ("X01", "X02")]
    assert [r[0] for r in body] == [1, 1] and body[0][3] == body[1][3] == float(ranked[0][1].total)


def test_another_units_page_is_refused_outside_the_scope(client, make_user, org, march):
    client.force_login(make_user("canbo.binh", Role.COMMUNE_OFFICER, org["B"]))
    assert client.get(f"/chi-so-766/?{QUERY}").status_code == 404
    assert client.get(f"/chi-so-766/thanh-phan/tien_do/?{QUERY}").status_code == 404
    assert client.get(f"/chi-so-766/?{QUERY}&tai=xlsx").status_code == 404
    assert client.get("/chi-so-766/diem-co-the-mat/?don-vi=X01").status_code == 404
    assert client.get("/chi-so-766/?don-vi=X02&ky=2026-T03").status_code == 200
    # The province's ranking is out of a commune's scope: the ranking holds the commune alone, and says so.
    assert client.get("/chi-so-766/xep-hang/?don-vi=P01&ky=2026-T03").status_code == 404
    doc = _doc(client.get("/chi-so-766/xep-hang/?ky=2026-T03"))
    assert [tr.get("data-unit") for tr in doc.xpath("//tr[@data-unit]")] == ["X02"]
    assert "chỉ xem được Xã Bình" in doc.text_content()


def test_bad_period_answers_400_in_vietnamese(client, officer_a, org):
    client.force_login(officer_a)
    response = client.get("/chi-so-766/?ky=2026-T13")
    assert response.status_code == 400 and "không hợp lệ" in response.content.decode()
    assert client.get("/chi-so-766/?tu=31/03/2026&den=01/03/2026").status_code == 400
    for bad in ("0000-NAM", "2026-QUY5", "2026-6T3", "2026-T", "tháng 3"):
        response = client.get(f"/chi-so-766/xep-hang/?ky={bad}")
        assert response.status_code == 400 and "không hợp lệ" in response.content.decode(), bad


def test_day_range_and_other_periods(client, officer_a, org, march):
    client.force_login(officer_a)
    doc = _doc(client.get("/chi-so-766/?don-vi=X01&tu=01/03/2026&den=04/03/2026"))
    result = index_for(org["A"], date(2026, 3, 1), date(2026, 3, 4), actor=ACTOR)
    assert _cells(doc, "tien_do")[1] == format_number(result.component("tien_do").denominator) == "4"
    for code in ("2026-QUY1", "2026-6T1", "2026-NAM"):
        assert client.get(f"/chi-so-766/?don-vi=X01&ky={code}").status_code == 200


def test_drill_down_of_procedures_and_feedback(client, officer_a, org, march, procs):
    from cchc.feedback.models import FeedbackItem

    procs["plain"].published_complete = False
    procs["plain"].save()
    procs["full"].published_complete = True
    procs["full"].save()
    client.force_login(officer_a)
    doc = _doc(client.get(f"/chi-so-766/thanh-phan/cong_khai_du/?{QUERY}"))
    assert [tr.get("data-code") for tr in doc.xpath("//tr[@data-code]")] == ["TT2"]
    assert "Công khai chưa đủ nội dung" in doc.text_content()
    common = {"unit": org["A"], "channel": "truc_tiep", "citizen_name": "C", "content": "x"}
    late = FeedbackItem.objects.create(
        received_on=date(2026, 3, 2), deadline=date(2026, 3, 10), answered_on=date(2026, 3, 12), **common
    )
    FeedbackItem.objects.create(
        received_on=date(2026, 3, 2), deadline=date(2026, 3, 20), answered_on=date(2026, 3, 12), **common
    )
    doc = _doc(client.get(f"/chi-so-766/thanh-phan/phan_anh_dung_han/?{QUERY}"))
    assert [tr.get("data-id") for tr in doc.xpath("//tr[@data-id]")] == [str(late.pk)]
    unit_page = _doc(client.get(f"/chi-so-766/?{QUERY}"))
    assert unit_page.xpath("//tr[@data-component='cong_khai_du']//a")[0].text_content() == "Xem thủ tục mất điểm"


def test_a_unit_with_no_records_reads_no_data_everywhere_never_zero(client, make_user, org):
    client.force_login(make_user("canbo.binh", Role.COMMUNE_OFFICER, org["B"]))
    doc = _doc(client.get("/chi-so-766/?don-vi=X02&ky=2026-T03"))
    assert doc.xpath("//*[@id='i7-total']/strong")[0].text_content() == "chưa có số liệu"
    bars = [
        li.xpath(".//span[contains(@class, 'i7-value')]")[0].text_content() for li in doc.xpath("//li[@data-group]")
    ]
    assert bars == ["chưa có số liệu"] * 5
    points = [tr.xpath("td")[4].text_content().strip() for tr in doc.xpath("//tr[@data-component]")]
    assert points and set(points) == {"chưa có số liệu"}
    assert not doc.xpath("//li[@data-group]//span[@class='i7-fill'][not(contains(@style, 'width: 0%'))]")
