"""Chỉ tiêu tỉnh tự thêm: new rows (YAML or XLSX) make a new catalogue version; no stored figure changes.

The file lists only the new rows. Each row says where it goes: its group (I–VII or a new group with its
name) and, optionally, the code it follows (``after``) — the place in the statistics appendix, which
prints rows in catalogue order; ``appendix: false`` keeps it out of the printed appendix (a part of a
ratio, or a figure only a report's sentences use). The merged catalogue (the loaded version's content
plus the new rows) is checked as a whole and loaded as version current + 1 by ``load_catalogue``: codes,
types, roll-ups, own/area and ratio parts are checked the same way as the shipped file.

YAML::

    rows:
    - {code: tinh.budget.tax_revenue, name: "Thu thuế trên địa bàn", unit: "Triệu đồng", type: decimal,
       rollup: sum, counts: own, group: "VI", after: finance.sncl_state_funded}

XLSX (first sheet, header row): ``ma, ten, don_vi_tinh, kieu, cong_don, pham_vi, nhom, ten_nhom, sau_ma,
stt, in_phu_luc, tu_so, mau_so`` (tu_so: numerator codes separated by commas, for a ratio).
"""

from __future__ import annotations

import copy
import re

import yaml
from django.db import transaction

from cchc.core.importing import ErrorCollector, ImportRejected, ImportResult, RowError
from cchc.core.tabular import cell_text, normalise_header, workbook_rows
from cchc.indicators.catalogue import ORIGIN_PROVINCE, _row_lines, load_content
from cchc.indicators.models import CatalogueVersion, Indicator, Source
from cchc.indicators.services import Actor

# Spreadsheet columns (folded) → catalogue keys.
_XLSX_COLUMNS = {
    "ma": "code",
    "ma chi tieu": "code",
    "ten": "name",
    "ten chi tieu": "name",
    "don vi tinh": "unit",
    "kieu": "type",
    "cong don": "rollup",
    "pham vi": "counts",
    "nhom": "group",
    "ten nhom": "group_name",
    "sau ma": "after",
    "stt": "stt",
    "in phu luc": "appendix",
    "tu so": "numerator",
    "mau so": "denominator",
    "nguon": "source",
    "muc de cuong": "outline",
    "cau trong de cuong": "outline_text",
}
_PLACE_KEYS = ("group", "group_name", "after")
_SECTION_RE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*$")


def read_additions(name: str, content: bytes) -> list[tuple[int | None, dict]]:
    """(line or row number, row dict) for each new row of a YAML or XLSX file."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(name, content)
    try:
        text = content.decode("utf-8-sig")
        data = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImportRejected([RowError(None, "", name, f"Tệp YAML không đọc được: {exc}")]) from exc
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ImportRejected([RowError(None, "rows", "", "Tệp phải có danh sách rows: các chỉ tiêu mới.")])
    numbers: list[int] = []
    try:  # the line of each row in the user's own file
        node = yaml.compose(text)
        seq = next(v for k, v in node.value if k.value == "rows")
        numbers = [item.start_mark.line + 1 for item in seq.value]
    except (StopIteration, AttributeError, yaml.YAMLError):
        pass
    return [(numbers[i] if i < len(numbers) else None, r) for i, r in enumerate(rows)]


def _read_xlsx(name: str, content: bytes) -> list[tuple[int | None, dict]]:
    table = workbook_rows(content)  # rows as Excel numbers them: row n of the sheet is table[n - 1]
    if len(table) < 2:
        raise ImportRejected([RowError(None, "", name, "Tệp không có chỉ tiêu nào.")])
    columns = {i: _XLSX_COLUMNS.get(normalise_header(cell_text(c))) for i, c in enumerate(table[0])}
    out = []
    for n, cells in enumerate(table[1:], start=2):
        row = {key: cell_text(cells[i]) for i, key in columns.items() if key and i < len(cells) and cell_text(cells[i])}
        if not row:
            continue
        if "numerator" in row:
            row["ratio"] = {
                "numerator": [c.strip() for c in row.pop("numerator").split(",") if c.strip()],
                "denominator": row.pop("denominator", ""),
            }
        if "appendix" in row:
            row["appendix"] = row["appendix"].strip().lower() not in ("0", "không", "khong", "false", "no")
        if "source" not in row and "ratio" not in row:
            row["source"] = Source.ENTERED.value  # the value: the row goes into the catalogue file (YAML)
        if "outline_text" in row:
            row["outline"] = {"section": row.get("outline", ""), "text": row.pop("outline_text")}
        out.append((n, row))
    return out


def _current_content() -> tuple[int, dict]:
    latest = CatalogueVersion.objects.select_for_update().order_by("-version").first()
    if latest is None:
        raise ImportRejected([RowError(None, "", "", "Chưa nạp danh mục chỉ tiêu (chạy cchc migrate).")])
    return latest.version, copy.deepcopy(latest.content)


def merge(content: dict, additions: list[tuple[int | None, dict]], errors: ErrorCollector) -> dict:
    """The catalogue content with the new rows in their places; errors name the row of the user's file."""
    groups = content.setdefault("groups", [])
    ever = set(Indicator.objects.values_list("code", flat=True))  # codes are never reused, retired ones too
    for line, raw in additions:
        if not isinstance(raw, dict):
            errors.add(line, "", raw, "Mỗi chỉ tiêu là một bảng (code, name, unit, type…).")
            continue
        row = {k: v for k, v in raw.items() if k not in _PLACE_KEYS}
        code = str(row.get("code") or "")
        if code in ever:
            errors.add(line, "code", code, "Mã chỉ tiêu đã có (hoặc đã từng có) trong danh mục; chọn mã khác.")
            continue
        ever.add(code)
        row["origin"] = ORIGIN_PROVINCE  # carried into every later shipped version, never retired by one
        if row.get("outline") not in (None, ""):
            place = _outline_place(row, errors, line)
            if place is None:
                continue
            row["outline"] = place
        group_code = str(raw.get("group") or "").strip()
        group = next((g for g in groups if str(g.get("code")) == group_code), None)
        if group is None:
            if not group_code or not raw.get("group_name"):
                errors.add(
                    line,
                    "group",
                    group_code,
                    "Nhóm (group) phải là mã một nhóm của danh mục (I–VII); nhóm mới cần thêm tên (group_name).",
                )
                continue
            group = {"code": group_code, "name": str(raw["group_name"]), "rows": []}
            groups.append(group)
        rows = group.setdefault("rows", [])
        after = str(raw.get("after") or "").strip()
        if after:
            index = next((i for i, r in enumerate(rows) if r.get("code") == after), None)
            if index is None:
                errors.add(line, "after", after, f"Nhóm {group_code} không có chỉ tiêu mã này để đặt sau.")
                continue
            rows.insert(index + 1, row)
        else:
            rows.append(row)
    return content


def _outline_place(row: dict, errors: ErrorCollector, line: int | None) -> dict | None:
    """``outline``: the key of a report outline section (``ket-qua.tai-chinh``), or {section, text}; the text
    (default "<name>: {code} <unit>.") is appended to that section of every report created afterwards and
    must print the figure by its placeholder."""
    raw, code = row["outline"], str(row.get("code") or "")
    place = {"section": raw} if isinstance(raw, str) else raw if isinstance(raw, dict) else {}
    section = str(place.get("section") or "").strip()
    if not _SECTION_RE.match(section):
        errors.add(line, "outline", raw, "Vị trí trong đề cương là mã một mục của đề cương (ví dụ ket-qua.tai-chinh).")
        return None
    unit = str(row.get("unit") or "").strip()
    shown = f" {unit[:1].lower()}{unit[1:]}" if unit and unit != "%" else ""
    text = " ".join(str(place.get("text") or f"{row.get('name', '')}: {{{code}}}{shown}.").split())
    if f"{{{code}}}" not in text:
        errors.add(line, "outline", text, f"Câu trong đề cương phải in số liệu bằng {{{code}}}.")
        return None
    return {"section": section, "text": text}


def add_indicators(actor: Actor, name: str, content: bytes, *, dry_run: bool = False) -> ImportResult:
    """Thêm chỉ tiêu: a new catalogue version with the rows of the file (all or nothing, audited)."""
    return add_rows(actor, read_additions(name, content), dry_run=dry_run)


def add_rows(actor: Actor, additions: list[tuple[int | None, dict]], *, dry_run: bool = False) -> ImportResult:
    """The rows (line, dict) — from a file or the page's form — as catalogue version current + 1."""
    errors = ErrorCollector()
    with transaction.atomic():
        current, catalogue = _current_content()
        merged = merge(catalogue, additions, errors)
        errors.raise_if_any()
        try:
            result = load_content(merged, current + 1, actor=actor, dry_run=dry_run)
        except ImportRejected as exc:  # name the user's rows, not the lines of the merged file
            text = yaml.safe_dump({**merged, "version": current + 1}, allow_unicode=True, sort_keys=False, width=200)
            codes = _codes_by_line(text)
            where = {str(raw.get("code")): line for line, raw in additions if isinstance(raw, dict)}
            raise ImportRejected([_user_error(e, codes, where) for e in exc.errors], exc.total) from exc
    result.details["version"] = current + 1
    return result


def _codes_by_line(text: str) -> dict[int, str]:
    """Line of each row of the merged catalogue → its code."""
    out: dict[int, str] = {}
    by_group = _row_lines(text)
    data = yaml.safe_load(text)
    for group, lines in zip(data.get("groups", []), by_group, strict=False):
        for row, line in zip(group.get("rows", []), lines, strict=False):
            if line is not None:
                out[line] = str(row.get("code"))
    return out


def _user_error(error: RowError, codes: dict[int, str], where: dict[str, int | None]) -> RowError:
    """An error of the merged catalogue, told at the row of the user's file it is about."""
    code = codes.get(error.row) if error.row is not None else None
    if code in where:
        return RowError(where[code], error.field, error.value, error.message)
    return RowError(None, error.field, error.value, f"{error.message} (mã {code})" if code else error.message)
