import pytest

from cchc.core.importing import ImportRejected
from cchc.reports import placeholders
from cchc.reports.outlines import OUTLINES_FILE, OutlineNotFound, catalogue_codes, load_outlines, parse_outlines


def test_shipped_outlines_load_and_cover_every_level_and_period():
    outlines = load_outlines()
    for level in ("xa", "huyen", "tinh"):
        for suffix in ("Q1", "6T", "Q3", "NAM"):
            kind = outlines.for_unit(level, f"2021-{suffix}")
            headings = [s.heading for s in kind.sections]
            assert headings[0].startswith("I. ") and any(h.startswith("V. ") for h in headings)
    xa = outlines.for_unit("xa", "2021-NAM")
    assert "{dossiers.commune.received}" in xa.section("ket-qua.tthc").text
    with pytest.raises(OutlineNotFound):
        outlines.for_unit("bo_phan", "2021-NAM")


def test_a_broken_outline_is_refused_with_line_and_field():
    text = OUTLINES_FILE.read_text(encoding="utf-8")
    broken = text.replace(
        "{dossiers.commune.received} hồ sơ, giải quyết và trả", "{dossiers.commune.nhan} hồ sơ, và", 1
    )
    broken = broken.replace("levels: [tinh]", "levels: [quan]", 1)
    with pytest.raises(ImportRejected) as info:
        parse_outlines(broken, catalogue_codes())
    errors = {(e.field, e.value): e for e in info.value.errors}
    assert ("text", "dossiers.commune.nhan") in errors
    assert ("levels", "quan") in errors
    bad_line = errors[("levels", "quan")].row
    assert broken.splitlines()[bad_line - 1].strip().startswith("levels: [quan]")
    assert "Dòng" in str(errors[("text", "dossiers.commune.nhan")])


def test_duplicate_coverage_and_missing_heading_are_refused():
    text = """
version: 1
period_names: {Q1: {ten: a, ky_toi: b}, 6T: {ten: a, ky_toi: b}, Q3: {ten: a, ky_toi: b}, NAM: {ten: a, ky_toi: b}}
kinds:
- {code: a, levels: [xa], periods: [NAM], summary: s, closing: c, sections: [{key: x, heading: X}]}
- {code: b, levels: [xa], periods: [NAM], summary: s, closing: c, sections: [{key: y}]}
"""
    with pytest.raises(ImportRejected) as info:
        parse_outlines(text, set())
    messages = [(e.row, e.field) for e in info.value.errors]
    assert (6, "periods") in messages and (6, "heading") in messages


def test_placeholders_are_substituted_safely():
    figures = {
        "a.b": placeholders.Figure("54.647", "nguồn"),
        "ky_toi.ten": placeholders.Figure("năm 2022"),
        "c.d": placeholders.Figure("", missing=True),
    }
    text = "Tiếp nhận {a.b} hồ sơ; {c.d}; {khong.co} giữ nguyên; {__import__('os')}; KỲ {KY_TOI.TEN}"
    assert placeholders.fill(text, figures) == (
        "Tiếp nhận 54.647 hồ sơ; …; {khong.co} giữ nguyên; {__import__('os')}; KỲ NĂM 2022"
    )
    assert placeholders.missing_in(text, figures) == ["c.d"]
    assert [p.name for p in placeholders.check("{ky.sai} {a.b}", {"a.b"})] == ["ky.sai"]


def test_a_misspelt_key_is_refused_at_its_line_instead_of_losing_the_text():
    text = OUTLINES_FILE.read_text(encoding="utf-8").replace("  summary:", "  sumary:", 1)
    with pytest.raises(ImportRejected) as info:
        parse_outlines(text, catalogue_codes())
    errors = {e.field: e for e in info.value.errors}
    assert errors["summary"].message == "Không được để trống."
    line = errors["sumary"].row
    assert text.splitlines()[line - 1].strip().startswith("sumary:")
    assert "không được hỗ trợ" in errors["sumary"].message
