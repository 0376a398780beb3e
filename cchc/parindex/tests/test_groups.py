"""Ranking groups: by former district (the dated org tree), by unit type, or listed; both ranks published."""

import io
from datetime import date
from types import SimpleNamespace

from django.urls import reverse
from python_calamine import CalamineWorkbook

from cchc.accounts.models import Role
from cchc.parindex import demo, selectors
from cchc.parindex.groups import competition_ranks, group_names, parse_groups


def test_competition_ranks_share_ties_and_skip():
    ranks = competition_ranks([("a", 90), ("b", 88), ("c", 88), ("d", 80), ("e", 95)])
    assert ranks == {"e": 1, "a": 2, "b": 3, "c": 3, "d": 5}


def test_demo_ranks_twenty_communes_within_their_former_districts_and_overall(demo_set, client, make_user):
    demo.run(lambda line: None)
    demo_set.refresh_from_db()
    results = selectors.results(demo_set)
    assert len(results) == 20 and {r.of for r in results} == {20}
    groups = {}
    for r in results:
        groups.setdefault(r.group, []).append(r)
    assert set(groups) == {"Huyện Hương Sơn", "Huyện Đức Thọ"}  # the districts of 31/12/2023
    for members in groups.values():
        assert {r.group_of for r in members} == {len(members)}
        ordered = sorted(members, key=lambda r: r.sheet.index, reverse=True)
        for i, r in enumerate(ordered):
            expected = ordered[i - 1].group_rank if i and r.sheet.index == ordered[i - 1].sheet.index else i + 1
            assert r.group_rank == expected
    assert sorted(r.group_rank for r in groups["Huyện Hương Sơn"])[0] == 1
    # The Excel file carries both ranks, read back.
    from cchc.org.models import OrgUnit

    client.force_login(make_user("tinh", Role.PROVINCE_REVIEWER, OrgUnit.objects.get(code=demo.DEMO_PROVINCE)))
    response = client.get(reverse("parindex:results_xlsx", args=[demo_set.code]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Hạng chung")
    assert rows[header][:5] == ["Hạng chung", "Số đơn vị xếp hạng", "Nhóm", "Hạng trong nhóm", "Số đơn vị trong nhóm"]
    body = rows[header + 1 :]
    by_code = {row[5]: row for row in body}
    for r in results:
        row = by_code[r.assessment.unit.code]
        assert (row[0], row[2], row[3]) == (r.rank, r.group, r.group_rank)
    page = client.get(reverse("parindex:results", args=[demo_set.code])).content.decode()
    assert "Hạng trong nhóm" in page and "Huyện Đức Thọ" in page


def test_unit_type_and_listed_groups(demo_org):
    units = [u for u in demo_org.values() if u.level == "xa" and u.is_valid_on(date(2023, 12, 31))]
    kinds = {u.kind for u in units}
    fw = SimpleNamespace(groups={"by": "unit_type", "names": {"Thị trấn": "Nhóm thị trấn"}}, year=2023)
    names = group_names(fw, units)
    assert set(names.values()) == {("Nhóm thị trấn" if k == "Thị trấn" else k) for k in kinds}
    errors = []
    spec = parse_groups(
        {
            "by": "list",
            "groups": [
                {"name": "Nhóm I", "units": [units[0].code, units[1].code]},
                {"name": "Nhóm II", "units": [units[1].code]},
            ],
        },
        lambda f, v, m: errors.append((f, m)),
    )
    assert errors and "đã thuộc nhóm “Nhóm I”" in errors[0][1]
    spec = parse_groups({"by": "list", "groups": [{"name": "Nhóm I", "units": [units[0].code]}]}, lambda *a: None)
    assert group_names(SimpleNamespace(groups=spec, year=2023), units) == {units[0].pk: "Nhóm I"}
    bad = []
    parse_groups({"by": "vung"}, lambda f, v, m: bad.append(f))
    assert bad == ["groups.by"]


def test_lost_points_download_as_the_page_shows_them(demo_set, client, make_user):
    """The lost-points table as XLSX: each field's total, its criteria with their reasons, the grand total —
    the same figures as the page, read back with python-calamine."""
    from cchc.org.models import OrgUnit

    demo.run(lambda line: None)
    a = next(r.assessment for r in selectors.results(demo_set) if r.sheet.index < 100)
    client.force_login(make_user("tinh2", Role.PROVINCE_REVIEWER, OrgUnit.objects.get(code=demo.DEMO_PROVINCE)))
    url = reverse("parindex:lost", args=[a.pk])
    assert "tai=xlsx" in client.get(url).content.decode()
    response = client.get(url + "?tai=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    rows = rows.to_python()
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Mã")
    assert rows[header] == ["Mã", "Lĩnh vực / tiêu chí", "Tối đa", "Đạt", "Mất", "Nguyên nhân"]
    groups, grand = selectors.lost_points(selectors.build_sheet(a))
    body = rows[header + 1 :]
    lines = [ln for g in groups for ln in [g.total, *g.lines]]
    assert len(body) == len(lines) + 1
    for row, ln in zip(body, lines, strict=False):
        assert row[0] == ln.code and float(row[4]) == float(ln.lost)
    assert body[-1][1] == "Tổng cộng" and float(body[-1][4]) == float(grand["lost"]) > 0
    assert any(row[5] for row in body[:-1])  # the reasons travel with the criteria
