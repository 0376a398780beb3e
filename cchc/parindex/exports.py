"""Bảng kết quả Chỉ số CCHC ra Excel: overall rank and rank within the group, Vietnamese headers, numbers as
numbers (two decimals), text never read as a formula."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from cchc.core.xlsx import safe_cell
from cchc.parindex.groups import GROUP_LABELS
from cchc.parindex.models import Framework

HEADERS = [
    "Hạng chung",
    "Số đơn vị xếp hạng",
    "Nhóm",
    "Hạng trong nhóm",
    "Số đơn vị trong nhóm",
    "Mã đơn vị",
    "Đơn vị",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Điểm thưởng",
    "Điểm trừ",
    "Điểm tối đa áp dụng",
    "Chỉ số CCHC (%)",
    "Xếp loại",
    "Trạng thái",
]


def _cell(ws, value, number_format: str | None = None, bold: bool = False):
    # A unit name typed as "=…" stays text (cchc.core.xlsx writes it as a string cell, unchanged).
    return safe_cell(ws, float(value) if isinstance(value, Decimal) else value, number_format, bold=bold)


def results_xlsx(framework: Framework, rows: list) -> bytes:
    """One sheet: every unit with both ranks (the province publishes both)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kết quả")
    by = (framework.groups or {}).get("by")
    ws.append([_cell(ws, f"Kết quả Chỉ số CCHC năm {framework.year} — {framework.name}", bold=True)])
    if by:
        ws.append(
            [_cell(ws, f"Xếp hạng trong nhóm {GROUP_LABELS.get(by, '')} và xếp hạng chung; bằng điểm thì cùng hạng.")]
        )
    ws.append([_cell(ws, h, bold=True) for h in HEADERS])
    points = "#,##0.00"
    for r in rows:
        s = r.sheet
        ws.append(
            [
                _cell(ws, r.rank),
                _cell(ws, r.of or None),
                _cell(ws, r.group or ""),
                _cell(ws, r.group_rank),
                _cell(ws, r.group_of or None),
                _cell(ws, r.assessment.unit.code),
                _cell(ws, r.assessment.unit.name),
                _cell(ws, s.self_total, points),
                _cell(ws, s.appraised_total, points),
                _cell(ws, s.bonus, points),
                _cell(ws, s.penalty, points),
                _cell(ws, s.applicable_max, points),
                _cell(ws, s.index, points),
                _cell(ws, s.band() if s.official else ""),
                _cell(ws, r.assessment.get_status_display()),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
