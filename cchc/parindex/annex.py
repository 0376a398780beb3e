"""Đọc phụ lục bộ tiêu chí như các tỉnh ban hành: an Excel sheet or a Word table, turned into the same data a
YAML set holds, then validated by ``framework.parse_framework`` (so one set of rules and messages).

What a province's annex looks like, and what is read:

- a header row (found in the first 20 rows) naming the columns: STT / Mã, Lĩnh vực / Tiêu chí / Tiêu chí
  thành phần / Nội dung, Điểm tối đa (điểm chuẩn, thang điểm), Phương pháp chấm / Hướng dẫn chấm điểm, Tài
  liệu kiểm chứng, and optionally Bộ phận chủ trì; a second header row under merged cells is joined to it,
  and a row numbering the columns ((1), (2) …) is skipped;
- codes 1, 1.1, 1.1.1 in one column, or split across several (field in one column, "1", "2" of the
  criterion in the next…); Roman field numbers (I, II) count as 1, 2;
- maxima written 0,5 / 1,25 / 2.5 or as numbers; a "Tổng cộng" row gives the total;
- merged cells: a cell merged down a column repeats its text (a field's code or name) for the rows it
  covers, never its points; a cell merged across the name columns is read once;
- the scoring method becomes a rule where it is a known shape (``method_text``), and is kept as text in
  every case; a field or criterion named "Điểm thưởng" / "Điểm trừ" sits outside the 100 points, one named
  after the sociological survey ("điều tra xã hội học") is scored from the survey.

Errors name the row of the file: "Dòng 14 (tiêu chí 1.2): điểm tối đa phải bằng tổng điểm các tiêu chí
con: 1.2.1 (dòng 15): 0,5 + 1.2.2 (dòng 16): 0,75 = 1,25."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cchc.core.importing import ImportRejected
from cchc.core.text import fold
from cchc.core.uploads import UploadKind, UploadRefused, check_upload
from cchc.parindex.framework import CriterionError, ParsedFramework, parse_framework, read_framework_file
from cchc.parindex.method_text import rule_from_text

ROMAN = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
    "XI": 11,
    "XII": 12,
}
_CODE_PART = re.compile(r"^(?:\d+(?:\.\d+)*|[IVX]{1,4})\.?$")
_POINTS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*$", re.IGNORECASE)


@dataclass
class Cell:
    text: str = ""
    continued: bool = False  # the lower part of a cell merged down: same text as the row above


@dataclass
class Grid:
    rows: list[list[Cell]]
    row_numbers: list[int]  # as the user counts them (Excel row, or the table row in Word)
    where: str = "dòng"  # how rows are named in messages
    title: list[str] = field(default_factory=list)  # the lines above the table (Word paragraphs)


@dataclass
class Columns:
    codes: list[int] = field(default_factory=list)
    names: list[int] = field(default_factory=list)
    max: int | None = None
    method: int | None = None
    evidence: int | None = None
    responsible: int | None = None


# ---- reading the files ---------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).replace("\xa0", " ").strip()


def read_xlsx(path: Path) -> list[Grid]:
    """Every sheet of the workbook as a grid; merged ranges resolved (openpyxl keeps them)."""
    from openpyxl import load_workbook

    check_upload(path, str(path), UploadKind.DOCUMENT)  # before openpyxl allocates the claimed range
    wb = load_workbook(path, data_only=True, read_only=False)
    grids = []
    for ws in wb.worksheets:
        values = [[_text(c.value) for c in row] for row in ws.iter_rows()]
        width = max((len(r) for r in values), default=0)
        cells = [[Cell(v) for v in row] + [Cell() for _ in range(width - len(row))] for row in values]
        for merged in ws.merged_cells.ranges:
            top = cells[merged.min_row - 1][merged.min_col - 1].text
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) == (merged.min_row, merged.min_col):
                        continue
                    # across: read once; down: the same text again, marked as continued
                    cells[r - 1][c - 1] = Cell(top, True) if c == merged.min_col else Cell()
        grids.append(Grid(cells, list(range(1, len(cells) + 1)), "dòng"))
    return grids


def read_docx(path: Path) -> list[Grid]:
    """Every table of the document as a grid (python-docx repeats a merged cell's object: read it once)."""
    from docx import Document

    grids = []
    check_upload(path, str(path), UploadKind.DOCUMENT)
    document = Document(str(path))
    title = [p.text.strip() for p in document.paragraphs[:15] if p.text.strip()]
    for table in document.tables:
        rows: list[list[Cell]] = []
        above: list[Any] = []
        for row in table.rows:
            cells: list[Cell] = []
            seen: set[int] = set()
            objects = list(row.cells)
            for i, cell in enumerate(objects):
                key = id(cell._tc)
                text = "\n".join(p.text for p in cell.paragraphs).strip()
                if key in seen:
                    cells.append(Cell())
                elif i < len(above) and above[i] is cell._tc:
                    cells.append(Cell(text, True))
                else:
                    cells.append(Cell(text))
                seen.add(key)
            above = [c._tc for c in objects]
            rows.append(cells)
        width = max((len(r) for r in rows), default=0)
        rows = [r + [Cell() for _ in range(width - len(r))] for r in rows]
        grids.append(Grid(rows, list(range(1, len(rows) + 1)), "dòng bảng", title))
    return grids


# ---- the header ----------------------------------------------------------------------------------------
def _is_header(texts: list[str]) -> bool:
    folded = [fold(t) for t in texts]
    has_max = any(re.search(r"toi da|diem chuan|thang diem|^diem$", t) for t in folded)
    has_name = any(re.search(r"tieu chi|noi dung|linh vuc", t) for t in folded)
    return has_max and has_name


def _classify(header: list[str]) -> Columns:
    cols = Columns()
    for i, h in enumerate(header):
        f = fold(h)
        if not f:
            continue
        if re.search(r"phuong phap|huong dan|cach cham|cach tinh|cach thuc", f):
            cols.method = cols.method if cols.method is not None else i
        elif re.search(r"kiem chung", f):
            cols.evidence = cols.evidence if cols.evidence is not None else i
        elif re.search(r"chu tri|tham muu|bo phan|phan cong", f):
            cols.responsible = i
        elif re.search(r"toi da|diem chuan|thang diem|^diem$", f) and cols.max is None:
            cols.max = i
        elif re.fullmatch(r"(stt|tt|so tt|so thu tu|ma|ma so|ma tieu chi|ma tc|ky hieu)(\s.*)?", f):
            cols.codes.append(i)
        elif re.search(r"tieu chi|noi dung|linh vuc|ten", f):
            cols.names.append(i)
    return cols


def _by_content(cols: Columns, rows: list[list[Cell]]) -> Columns:
    """Columns headed "Lĩnh vực", "Tiêu chí", "TCTP" that hold only numbers are code columns: the codes are
    split across them, the names are further right."""

    def only_codes(i: int) -> bool:
        values = [r[i].text for r in rows if i < len(r) and r[i].text and not r[i].continued]
        return bool(values) and all(_CODE_PART.match(v.strip()) for v in values)

    taken = {cols.max, cols.method, cols.evidence, cols.responsible, *cols.codes}
    width = max((len(r) for r in rows), default=0)
    names = [i for i in cols.names if not only_codes(i)]
    if not names:
        return cols
    # left of the first name column: a numbered column under any heading ("TCTP", blank) is a code column
    coded = [i for i in range(min(names)) if i not in taken and i < width and only_codes(i)]
    cols.codes = sorted(set(cols.codes) | set(coded) | {i for i in cols.names if i not in names})
    cols.names = names
    return cols


def _column_numbering(texts: list[str]) -> bool:
    """A row under the header that only numbers the columns: (1) (2) (3) or 1 2 3 …"""
    values = [t.strip("() ") for t in texts if t.strip()]
    return (
        len(values) >= 3
        and all(v.isdigit() for v in values)
        and [int(v) for v in values] == list(range(int(values[0]), int(values[0]) + len(values)))
    )


def _find_header(grid: Grid) -> tuple[int, Columns, list[str]] | None:
    for i, row in enumerate(grid.rows[:20]):
        texts = [c.text for c in row]
        if not _is_header(texts):
            continue
        header = list(texts)
        start = i + 1
        # A two-row header (merged "Điểm" over "Tối đa" | "Tự chấm"): join the row below when it holds only
        # labels and no code.
        if start < len(grid.rows):
            below = [c.text for c in grid.rows[start]]
            if any(below) and not any(_CODE_PART.match(t) for t in below if t) and not _column_numbering(below):
                joined, above = [], ""
                for a, b in zip(header, below, strict=True):
                    above = a or (above if b else "")  # "STT" merged across the three code columns
                    joined.append(f"{above} {b}".strip() if b and b != above else above)
                header = joined
                start += 1
        if start < len(grid.rows) and _column_numbering([c.text for c in grid.rows[start]]):
            start += 1
        title = grid.title + [c.text for r in grid.rows[:i] for c in r if c.text]
        cols = _by_content(_classify(header), grid.rows[start:])
        if cols.max is not None and cols.names:
            return start, cols, title
    return None


# ---- rows ----------------------------------------------------------------------------------------------
def _part(text: str) -> str:
    text = text.strip().rstrip(".")
    return str(ROMAN[text]) if text in ROMAN else text


def _code(row: list[Cell], cols: Columns, current: list[str]) -> str:
    """The code of a row from one code column ("1.2.1") or several (field, criterion, sub-criterion)."""
    if not cols.codes:
        return ""
    fresh = [i for i, c in enumerate(cols.codes) if row[c].text and not row[c].continued]
    if not fresh:
        return ""
    last = fresh[-1]
    for k, c in enumerate(cols.codes):
        text = row[c].text
        if text and _CODE_PART.match(text.strip()):
            current[k] = _part(text)
        elif k <= last and text:
            return "?" + text
    for k in range(last + 1, len(cols.codes)):
        current[k] = ""
    value = current[last]
    if "." in value or last == 0:
        return value
    prefix = [p for p in current[:last] if p]
    if not prefix:
        return value
    if "." in prefix[-1]:  # the column to the left holds a whole code (1.1): add to it
        return f"{prefix[-1]}.{value}"
    return ".".join([*prefix, value])  # each column holds one level's number (1 | 1 | 2 → 1.1.2)


def _name(row: list[Cell], cols: Columns) -> str:
    names = [row[i].text for i in cols.names if row[i].text and not row[i].continued]
    return " ".join(names[-1].split()) if names else ""


def _points(text: str) -> Decimal | str | None:
    if not text:
        return None
    match = _POINTS.match(text)
    if not match:
        return "bad"
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return "bad"


@dataclass
class AnnexRow:
    line: str
    code: str
    name: str
    max: Decimal | None
    method: str
    evidence: str
    responsible: str
    children: list[AnnexRow] = field(default_factory=list)


def _outside(name: str) -> str:
    f = fold(name)
    if f.startswith("diem thuong") or "(diem thuong)" in f:
        return "bonus"
    if f.startswith("diem tru") or "(diem tru)" in f:
        return "penalty"
    return ""


def _rows(grid: Grid, start: int, cols: Columns, errors: list[CriterionError]) -> tuple[list[AnnexRow], Decimal | None]:
    found: list[AnnexRow] = []
    total = None
    current = [""] * len(cols.codes)

    def cell(row: list[Cell], i: int | None) -> str:
        return row[i].text if i is not None and not row[i].continued else ""

    for r in range(start, len(grid.rows)):
        row = grid.rows[r]
        line = f"{grid.where} {grid.row_numbers[r]}"
        if not any(c.text for c in row):
            continue
        points = _points(cell(row, cols.max))
        label = fold(next((c.text for c in row if c.text and not c.continued), ""))
        if re.match(r"(tong cong|tong diem|tong so|cong)\b", label):
            if isinstance(points, Decimal):
                total = points
            continue
        code = _code(row, cols, current)
        name = _name(row, cols)
        if code.startswith("?"):
            errors.append(
                CriterionError(None, "mã", code[1:], "mã tiêu chí không đọc được (cần dạng 1, 1.1, 1.1.1).", line)
            )
            continue
        if not code:
            continue  # a section title, a note, a continuation line
        if points == "bad":
            errors.append(
                CriterionError(
                    code, "điểm tối đa", cell(row, cols.max), "không phải là số điểm (ví dụ 0,5 hoặc 1,25).", line
                )
            )
            points = None
        found.append(
            AnnexRow(
                line,
                code,
                name,
                points if isinstance(points, Decimal) else None,
                cell(row, cols.method),
                cell(row, cols.evidence),
                cell(row, cols.responsible),
            )
        )
    return found, total


def _tree(rows: list[AnnexRow], errors: list[CriterionError]) -> list[AnnexRow]:
    by_code: dict[str, AnnexRow] = {}
    roots: list[AnnexRow] = []
    for row in rows:
        if row.code in by_code:
            errors.append(
                CriterionError(
                    row.code, "mã", row.code, f"mã tiêu chí bị trùng với {by_code[row.code].line}.", row.line
                )
            )
            continue
        by_code[row.code] = row
        parent_code = row.code.rsplit(".", 1)[0] if "." in row.code else ""
        if not parent_code:
            roots.append(row)
        elif parent_code in by_code:
            by_code[parent_code].children.append(row)
        else:
            errors.append(
                CriterionError(
                    row.code, "mã", row.code, f"không có tiêu chí cha “{parent_code}” ở các dòng trên.", row.line
                )
            )
    return roots


def _as_data(row: AnnexRow, inherited: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {"code": row.code, "name": row.name}
    outside = _outside(row.name) or inherited
    if row.method:
        item["method"] = row.method
    if row.evidence:
        item["evidence"] = row.evidence
    if row.responsible:
        item["responsible"] = row.responsible
    if row.children:
        if row.max is not None and not outside:
            item["max"] = str(row.max)
        item["children"] = [_as_data(c, outside) for c in row.children]
        return item
    if row.max is not None:
        item["max"] = str(row.max)
    survey = "dieu tra xa hoi hoc" in fold(f"{row.name} {row.method}")
    if outside:
        item["rule"] = {"type": outside}
    elif survey:
        item["rule"] = {"type": "survey"}
    else:
        item["rule"] = rule_from_text(row.method, row.max) or {"type": "manual"}
    return item


_LEVELS = (
    ("cap xa", "xa"),
    ("xa, phuong", "xa"),
    ("cap huyen", "huyen"),
    ("so, ban, nganh", "tinh"),
    ("cap tinh", "tinh"),
    ("tinh, thanh pho", "tinh"),
)


def _guess(title: list[str]) -> dict[str, Any]:
    text = " ".join(title)
    folded = fold(text)
    out: dict[str, Any] = {}
    year = re.search(r"\bnam (20\d\d)\b", folded)
    if year:
        out["year"] = int(year.group(1))
    for needle, level in _LEVELS:
        if needle in folded:
            out["level"] = level
            break
    name = next((t for t in title if re.search(r"tieu chi|chi so", fold(t))), "")
    if name:
        out["name"] = " ".join(name.split())
    return out


def read_annex(path: Path | str, **given: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The set in the YAML shape and where each criterion was (``{"1.1": "dòng 8"}``).

    ``given`` (code, name, level, year, total) fills what the file does not state and overrides it."""
    path = Path(path)
    if not path.exists():
        raise ImportRejected([CriterionError(None, "", str(path), "không tìm thấy tệp.")])
    suffix = path.suffix.lower()
    try:
        grids = read_xlsx(path) if suffix in (".xlsx", ".xlsm") else read_docx(path)
    except UploadRefused:
        raise  # already says which limit, in Vietnamese
    except Exception as exc:  # a damaged or mislabelled file: say so, in Vietnamese
        raise ImportRejected(
            [CriterionError(None, "", path.name, f"không đọc được tệp ({type(exc).__name__}).")]
        ) from exc
    for grid in grids:
        found = _find_header(grid)
        if found is None:
            continue
        start, cols, title = found
        errors: list[CriterionError] = []
        rows, total = _rows(grid, start, cols, errors)
        roots = _tree(rows, errors)
        if errors:
            raise ImportRejected(errors)
        data: dict[str, Any] = {**_guess(title)}
        if total is not None:
            data["total"] = str(total)
        stem = re.sub(r"[^a-z0-9]+", "-", fold(path.stem)).strip("-")[:50] or "bo-tieu-chi"
        data.setdefault("code", stem)
        data.setdefault("name", f"Bộ tiêu chí {path.stem}")
        data.update({k: v for k, v in given.items() if v not in (None, "")})
        data["source"] = data.get("source") or f"Phụ lục {path.name}"
        data["criteria"] = [_as_data(r) for r in roots]
        return data, {r.code: r.line for r in rows}
    raise ImportRejected(
        [
            CriterionError(
                None,
                "",
                path.name,
                (
                    "không tìm thấy bảng tiêu chí: cần một dòng tiêu đề có cột tiêu chí (Lĩnh vực/Tiêu chí/Nội dung) "
                    "và cột Điểm tối đa."
                ),
            )
        ]
    )


def read_any(path: Path | str, **given: Any) -> ParsedFramework:
    """A set from a YAML file, or from an Excel / Word annex; every problem is reported at once."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return read_framework_file(path, given)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".docx"):
        raise ImportRejected([CriterionError(None, "", path.name, "chỉ đọc được tệp .xlsx, .docx hoặc .yaml.")])
    data, lines = read_annex(path, **given)
    return parse_framework(data, lines)


def tree_lines(parsed: ParsedFramework) -> list[str]:
    """The set as the dry run shows it: one line per criterion (code, maximum, how it is scored), then the
    totals per field and the grand total."""
    from cchc.core.vnformat import format_number
    from cchc.parindex.models import RuleType
    from cchc.parindex.scoring import describe_rule

    labels = dict(RuleType.choices)
    out = [f"{parsed.name} — mã {parsed.code}, cấp {parsed.level}, năm {parsed.year}"]

    def visit(item, depth: int) -> None:
        how = ""
        if item.children is None:
            how = labels.get(item.rule_type, item.rule_type)
            if item.rule_type not in (RuleType.MANUAL, RuleType.SURVEY, RuleType.BONUS):
                how += f": {describe_rule(item.rule_type, item.rule or {}, item.max_points)}"
            elif item.method and item.rule_type == RuleType.MANUAL:
                how += " (phương pháp chấm giữ nguyên văn)"
        points = format_number(item.max_points) if not (item.children and item.outside_total) else "ngoài 100"
        out.append(f"{'  ' * depth}{item.code:<10} {points:>7}  {item.name[:70]}" + (f"  [{how}]" if how else ""))
        for child in item.children or []:
            visit(child, depth + 1)

    for item in parsed.criteria:
        visit(item, 0)
    out.append("")
    out.append("Tổng điểm theo lĩnh vực:")
    for item in parsed.criteria:
        points = "ngoài 100 điểm" if item.outside_total else format_number(item.max_points)
        out.append(f"  {item.code:<6} {points:>14}  {item.name[:70]}")
    total = sum((c.max_points for c in parsed.criteria if not c.outside_total), Decimal(0))
    leaves = sum(1 for _ in _leaves(parsed.criteria))
    auto = sum(
        1
        for c in _leaves(parsed.criteria)
        if c.rule_type not in (RuleType.MANUAL, RuleType.SURVEY, RuleType.BONUS, RuleType.PENALTY)
    )
    out.append(f"  Tổng: {format_number(total)} điểm; {leaves} tiêu chí chấm điểm, trong đó {auto} chấm theo số liệu.")
    return out


def _leaves(items):
    for item in items:
        if item.children is None:
            yield item
        else:
            yield from _leaves(item.children)
