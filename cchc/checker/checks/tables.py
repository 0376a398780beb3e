"""Dòng "Tổng cộng" / "Tổng số" của bảng với các dòng thành phần."""

from __future__ import annotations

import re
from decimal import Decimal

from cchc.checker.checks.base import ERROR, Context, Finding, _finding, n
from cchc.checker.checks.points import _col
from cchc.checker.figures import Figure
from cchc.checker.reading import Unit

# ---- 6. table totals ------------------------------------------------------------------------------
_TOTAL_LABEL = re.compile(r"^\s*(tổng cộng|tổng số|tổng|cộng|toàn (?:huyện|tỉnh|xã))\b", re.IGNORECASE)


def check_table_totals(ctx: Context) -> list[Finding]:
    """A "Tổng cộng" row against the rows above it; a "Tổng số X" row against its "- …" sub-rows."""
    out = []
    for table in ctx.doc.tables:
        rows = table.rows
        if _col([c.text for c in rows[0]], "tối đa", "điểm chuẩn") is not None:
            continue  # a score table: the points checks handle its totals
        # label column: the first column that holds text in most rows
        for r_i, row in enumerate(rows):
            label_cells = _label_cells(row)
            if not label_cells or not _TOTAL_LABEL.match(label_cells[0].text):
                continue
            label = label_cells[0]
            nums = _row_numbers(ctx, row)
            if not nums:
                continue
            found = _parts_of_total(ctx, rows, r_i, label)
            if found is not None:
                out += _compare_columns(ctx, table, row, label, nums, *found)
    return out


def _label_cells(row: list[Unit]) -> list[Unit]:
    return [c for c in row if c.text and not re.fullmatch(r"[\d.,%\s]*", c.text)]


def _parts_of_total(ctx: Context, rows: list[list[Unit]], r_i: int, label: Unit) -> tuple[list[list[Unit]], str] | None:
    """The rows the total row ``r_i`` adds up and how the message names them; None when there are none."""
    subs = _sub_rows(rows, r_i)
    if len(subs) >= 2:
        return subs, "các dòng chi tiết ngay dưới"
    # a "Tổng cộng" row at the bottom: the data rows above it, back to the header
    above = []
    for prev in reversed(rows[:r_i]):
        pn = _row_numbers(ctx, prev)
        lc = _label_cells(prev)
        if not pn or (lc and _TOTAL_LABEL.match(lc[0].text)):
            break
        above.append(prev)
    if r_i != len(rows) - 1 and not re.match(r"\s*(tổng cộng|cộng)\b", label.text, re.IGNORECASE):
        return None
    parts_rows = list(reversed(above))
    codes = [pr[0].text.strip().rstrip(".") for pr in parts_rows]
    if any(re.fullmatch(r"\d+(?:\.\d+)+", c) for c in codes):
        # 1, 1.1, 1.2, 2…: the total adds up the top level only
        parts_rows = [pr for pr, c in zip(parts_rows, codes, strict=True) if re.fullmatch(r"\d+", c)]
    if len(parts_rows) < 2:
        return None
    return parts_rows, "các dòng phía trên"


def _sub_rows(rows: list[list[Unit]], r_i: int) -> list[list[Unit]]:
    """The rows right below ``r_i`` whose label starts with "-" or "+" (none when one of them is a rate)."""
    subs = []
    for nxt in rows[r_i + 1 :]:
        lc = _label_cells(nxt)
        if not (lc and re.match(r"^[-+]\s", lc[0].text)):
            break
        if any(c.text.strip() == "%" for c in nxt) or re.search(r"tỷ lệ", lc[0].text, re.IGNORECASE):
            return []  # a rate under a count is not one of its parts
        subs.append(nxt)
    return subs


def _compare_columns(
    ctx: Context,
    table,
    row: list[Unit],
    label: Unit,
    nums: dict[int, Figure],
    parts_rows: list[list[Unit]],
    where: str,
) -> list[Finding]:
    """Each numeric column (rates aside) of the total row against the sum of the same column in ``parts_rows``."""
    out, rows = [], table.rows
    for col, total in nums.items():
        if _is_percent_col(table, col):
            continue
        vals = [_row_numbers(ctx, pr).get(col) for pr in parts_rows]
        if any(v is None for v in vals):
            continue
        s = sum((v.value for v in vals), Decimal(0))
        if s != total.value:
            expr = " + ".join(n(v.value) for v in vals)
            head = rows[0][col].text if col < len(rows[0]) else ""
            head = "" if re.fullmatch(r"[\d.,\s]*", head) else head
            out.append(
                _finding(
                    ctx,
                    ERROR,
                    "tong_bang",
                    total.unit,
                    row[0].start,
                    row[-1].end,
                    f"Dòng “{label.text}”{(' cột “' + head + '”') if head else ''} không bằng "
                    f"tổng {where}: {expr} = {n(s)} ≠ {n(total.value)}.",
                    [total.value] + [v.value for v in vals] + [s],
                )
            )
    return out


def _is_percent_col(table, col: int) -> bool:
    head = " ".join(r[col].text for r in table.rows[:2] if col < len(r)).lower()
    return "%" in head or "tỷ lệ" in head


def _row_numbers(ctx: Context, row: list[Unit]) -> dict[int, Figure]:
    out = {}
    for i, cell in enumerate(row):
        if not re.fullmatch(r"\s*\d[\d.,]*\s*", cell.text or ""):
            continue
        fs = [f for f in ctx.unit_figures(cell) if f.kind == "number"]
        if len(fs) == 1 and i > 0:
            out[i] = fs[0]
    return out
