"""Criteria sets read from the Excel or Word annex a province publishes (merged cells, split code columns,
Vietnamese decimals, scoring-method text), and refused with the rows named when they do not add up."""

import importlib.util
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import Workbook

from cchc.core.importing import ImportRejected
from cchc.parindex.annex import read_any
from cchc.parindex.method_text import rule_from_text
from cchc.parindex.models import Criterion, Framework, RuleType

ROOT = Path(__file__).resolve().parents[3]


def _example_builder():
    spec = importlib.util.spec_from_file_location("make_example", ROOT / "scripts" / "make_parindex_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build


def _run(*args) -> str:
    out = io.StringIO()
    call_command("parindex", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "max_points", "rule"),
    [
        (
            "≥95%: 2,5 điểm; từ 90% đến dưới 95%: 1,5 điểm; dưới 90%: 0",
            "2.5",
            {"type": "thresholds", "steps": [["95", "2.5"], ["90", "1.5"]]},
        ),
        (
            "- Hoàn thành 100% nhiệm vụ: 1đ\n- hoàn thành từ 80% trở lên: 0,5đ\n- còn lại: 0 điểm",
            "1",
            {"type": "thresholds", "steps": [["100", "1"], ["80", "0.5"]]},
        ),
        ("Có: 1 điểm; Không: 0", "1", {"type": "yes_no"}),
        ("Ban hành đúng thời hạn: 0,5 điểm; không ban hành: 0 điểm", "0.5", {"type": "yes_no"}),
        ("Mỗi báo cáo chậm trừ 0,25 điểm", "1", {"type": "deduction", "per": "0.25", "unit": "báo cáo"}),
        (
            "Mỗi sáng kiến được công nhận: 0,5 điểm",
            "1.5",
            {"type": "proportional", "full_at": "3", "unit": "sáng kiến được công nhận"},
        ),
        ("Điểm = tỷ lệ % × điểm tối đa", "2", {"type": "proportional", "full_at": "100"}),
        (
            "Từ 12 tin, bài trở lên: 1,5 điểm; từ 6 đến dưới 12 tin, bài: 0,75 điểm; dưới 6 tin, bài: 0",
            "1.5",
            {"type": "thresholds", "steps": [["12", "1.5"], ["6", "0.75"]], "unit": "tin, bài"},
        ),
        # Not a known shape, or not exactly: kept as text, scored by hand (never guessed).
        ("Trên 95%: 1 điểm; dưới 95%: 0", "1", None),
        ("≥95%: 2 điểm; dưới 95%: 0", "2.5", None),  # the best range does not earn the maximum
        ("Thẩm định căn cứ tài liệu kiểm chứng", "1", None),
        ("Có: 1 điểm; Không: 0,5 điểm", "1", None),
    ],
)
def test_scoring_method_text_becomes_a_rule_only_when_exact(text, max_points, rule):
    assert rule_from_text(text, D(max_points)) == rule


def test_example_annex_with_merged_cells_and_split_codes_loads(tmp_path, db):
    path = _example_builder()(tmp_path / "phu-luc.xlsx")
    shown = _run("load-framework", str(path), "--dry-run", "--code", "xa-2024-mau")
    assert "1.1.2" in shown and "Tổng: 100 điểm" in shown and "Kiểm tra thử" in shown
    assert "3               16  CẢI CÁCH THỦ TỤC HÀNH CHÍNH" in shown  # the field totals
    assert not Framework.objects.exists()  # a dry run saves nothing
    _run("load-framework", str(path), "--code", "xa-2024-mau")
    fw = Framework.objects.get(code="xa-2024-mau")
    assert (fw.level, fw.year, fw.total) == ("xa", 2024, D(100))
    assert "PHƯỜNG, THỊ TRẤN NĂM 2024" in fw.name and "phu-luc.xlsx" in fw.source_note
    c = {x.code: x for x in fw.criteria.all()}
    # Roman field I + criterion "1" + sub "2" in three columns, field code merged down its rows
    assert c["1.1.2"].parent.code == "1.1" and c["1.1"].parent.code == "1" and c["1"].max_points == 13
    assert c["1.1.1"].max_points == D("0.5") and c["1.1.1"].rule_type == RuleType.YES_NO
    assert c["1.6"].rule_type == RuleType.THRESHOLDS and c["1.6"].rule == {"steps": [["95", "2.5"], ["90", "1.5"]]}
    assert c["1.4.2"].rule_type == RuleType.MANUAL and "thực tế" in c["1.4.2"].method_text
    assert c["1.1.1"].evidence_hint == "Kế hoạch CCHC năm"
    assert c["8.1"].rule_type == RuleType.SURVEY
    assert (c["9.1"].rule_type, c["9.2"].rule_type) == (RuleType.BONUS, RuleType.PENALTY)
    assert sum(x.max_points for x in c.values() if x.depth == 0 and not x.outside_total) == 100
    assert "không đổi" in _run("load-framework", str(path), "--code", "xa-2024-mau")  # idempotent


def _flat_workbook(path: Path, rows, *, merge_name=False, header=None) -> Path:
    """Another province's shape: one code column (1, 1.1, 1.1.1), the name merged across two columns,
    maxima as numbers, "Điểm chuẩn" and "Hướng dẫn chấm" headers, no title."""
    wb = Workbook()
    ws = wb.active
    ws.append(header or ["TT", "Nội dung tiêu chí", "", "Điểm chuẩn", "Hướng dẫn chấm", "Tài liệu kiểm chứng"])
    ws.merge_cells("B1:C1")
    for i, (code, name, points, method) in enumerate(rows, start=2):
        ws.append([code, name, None, points, method, "Văn bản"])
        if merge_name:
            ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=3)
    ws.append(["Tổng cộng", None, None, sum(p for c, _, p, _ in rows if c.count(".") == 0)])
    wb.save(path)
    return path


GOOD = [
    ("1", "Chỉ đạo, điều hành", 40, ""),
    ("1.1", "Kế hoạch", 15, ""),
    ("1.1.1", "Ban hành kế hoạch", 5, "Có: 5 điểm; Không: 0"),
    ("1.1.2", "Hoàn thành kế hoạch", 10, "Đạt 100%: 10 điểm; từ 80% đến dưới 100%: 5 điểm; dưới 80%: 0"),
    ("1.2", "Báo cáo", 25, "Mỗi báo cáo chậm trừ 5 điểm"),
    ("2", "Thủ tục hành chính", 60, ""),
    ("2.1", "Giải quyết đúng hạn", 60, "Chấm theo thực tế"),
]


def test_one_code_column_and_name_merged_across(tmp_path, db):
    path = _flat_workbook(tmp_path / "tinh-b-2025.xlsx", GOOD, merge_name=True)
    parsed = read_any(path, code="xa-2025-b", level="xa", year=2025)
    leaves = {c.code: c for f in parsed.criteria for c in (f.children or [])}
    assert [f.code for f in parsed.criteria] == ["1", "2"] and parsed.total == D(100)
    assert leaves["1.2"].rule_type == RuleType.DEDUCTION and leaves["1.2"].rule == {"per": "5", "unit": "báo cáo"}
    assert leaves["2.1"].rule_type == RuleType.MANUAL and leaves["2.1"].method == "Chấm theo thực tế"


def test_children_that_do_not_add_up_are_refused_naming_the_rows(tmp_path, db):
    bad = [list(r) for r in GOOD]
    bad[3][2] = 9  # 1.1.2 worth 9: 5 + 9 ≠ 15
    path = _flat_workbook(tmp_path / "sai.xlsx", [tuple(r) for r in bad])
    with pytest.raises(ImportRejected) as exc:
        read_any(path, code="xa-2025-sai", level="xa", year=2025)
    messages = [str(e) for e in exc.value.errors]
    assert any(
        m.startswith("Dòng 3 (tiêu chí “1.1”)") and "1.1.1 (dòng 4): 5 + 1.1.2 (dòng 5): 9 = 14" in m for m in messages
    ), messages
    with pytest.raises(CommandError):
        _run("load-framework", str(path), "--code", "xa-2025-sai", "--level", "xa", "--year", "2025")
    assert not Framework.objects.exists() and not Criterion.objects.exists()


def test_broken_values_and_orphans_are_named_by_row(tmp_path, db):
    rows = [
        ("1", "Chỉ đạo", 100, ""),
        ("1.1", "Kế hoạch", "hai điểm", ""),
        ("1.3.1", "Mồ côi", 1, ""),
        ("1.1", "Trùng mã", 1, ""),
    ]
    path = _flat_workbook(tmp_path / "hong.xlsx", rows)
    with pytest.raises(ImportRejected) as exc:
        read_any(path, code="x-2025", level="xa", year=2025)
    text = "\n".join(str(e) for e in exc.value.errors)
    assert "Dòng 3 (tiêu chí “1.1”), trường “điểm tối đa” (giá trị “hai điểm”)" in text
    assert "Dòng 4 (tiêu chí “1.3.1”)" in text and "tiêu chí cha “1.3”" in text
    assert "Dòng 5 (tiêu chí “1.1”)" in text and "trùng với dòng 3" in text
    no_table = tmp_path / "khong-bang.xlsx"
    wb = Workbook()
    wb.active.append(["Họ tên", "Chức vụ"])
    wb.save(no_table)
    with pytest.raises(ImportRejected, match="1 lỗi"):
        read_any(no_table)


def _word_annex(path: Path, sub_max: str = "1,25") -> Path:
    """A Word annex: three code columns (lĩnh vực merged down its rows), Vietnamese decimals."""
    doc = Document()
    doc.add_paragraph("BỘ CHỈ SỐ ĐÁNH GIÁ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2025")
    rows = [
        ("Lĩnh vực", "Tiêu chí", "TCTP", "Tên tiêu chí", "Điểm tối đa", "Phương pháp chấm", "Tài liệu kiểm chứng"),
        ("1", "", "", "Công tác chỉ đạo", "2,5", "", ""),
        ("", "1", "", "Kế hoạch", "2,5", "", ""),
        ("", "", "1", "Ban hành", "1,25", "Có: 1,25 điểm; Không: 0", "Kế hoạch"),
        ("", "", "2", "Thực hiện", sub_max, "≥95%: 1,25 điểm; từ 90% đến dưới 95%: 0,5 điểm; dưới 90%: 0", "Báo cáo"),
        ("2", "", "", "Tác động (điều tra xã hội học)", "97,5", "", ""),
        ("", "1", "", "Hài lòng", "97,5", "Điều tra xã hội học", ""),
    ]
    table = doc.add_table(rows=len(rows), cols=7)
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    table.cell(1, 0).merge(table.cell(4, 0))  # field "1" merged down its four rows
    table.cell(1, 0).text = "1"
    doc.save(path)
    return path


def test_word_annex_with_merged_field_column(tmp_path, db):
    parsed = read_any(_word_annex(tmp_path / "phu-luc.docx"), code="xa-2025-w")
    assert (parsed.level, parsed.year, parsed.total) == ("xa", 2025, D(100))
    field = parsed.criteria[0]
    subs = field.children[0].children
    assert [s.code for s in subs] == ["1.1.1", "1.1.2"] and subs[1].max_points == D("1.25")
    assert subs[1].rule_type == RuleType.THRESHOLDS and subs[1].rule == {"steps": [["95", "1.25"], ["90", "0.5"]]}
    assert parsed.criteria[1].children[0].rule_type == RuleType.SURVEY
    with pytest.raises(ImportRejected) as exc:
        read_any(_word_annex(tmp_path / "sai.docx", sub_max="1,5"), code="xa-2025-w")
    assert any("Dòng bảng 3 (tiêu chí “1.1”)" in str(e) for e in exc.value.errors)


def test_shipped_example_file_is_the_script_output(tmp_path):
    """docs/examples/bo-tieu-chi-xa-mau.xlsx is regenerated by the committed script (same cells)."""
    from python_calamine import CalamineWorkbook

    fresh = _example_builder()(tmp_path / "x.xlsx")

    def cells(p):
        return CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()

    assert cells(fresh) == cells(ROOT / "docs" / "examples" / "bo-tieu-chi-xa-mau.xlsx")
