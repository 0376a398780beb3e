"""Tệp mẫu nạp hồ sơ (``cchc dossiers import-template OUT.xlsx``), written from the column specification: a
sheet with the header row and one example row that imports as it is, and a sheet explaining each column in
Vietnamese (name, label and aliases, required or not, what the cells may hold, the field it fills)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from cchc.core.xlsx import Column as SheetColumn
from cchc.core.xlsx import write_rows
from cchc.dossiers.importing.columns import COLUMNS

DATA_SHEET = "Hồ sơ"
HELP_SHEET = "Giải thích các cột"
HELP_HEADER = ("Cột", "Tên cột", "Tên khác được nhận", "Bắt buộc", "Kiểu", "Giá trị", "Giải thích")


def template_bytes() -> bytes:
    """The import template as an XLSX file."""
    wb = Workbook(write_only=True)
    data = wb.create_sheet(DATA_SHEET)
    data.freeze_panes = "A2"
    write_rows(
        data, [SheetColumn(c.name, width=max(14, len(c.name) + 2)) for c in COLUMNS], [[c.example for c in COLUMNS]]
    )
    help_sheet = wb.create_sheet(HELP_SHEET)
    widths = (22, 30, 40, 10, 12, 50, 70)
    write_rows(
        help_sheet,
        [SheetColumn(h, width=w) for h, w in zip(HELP_HEADER, widths, strict=True)],
        (
            (
                c.name,
                c.label,
                ", ".join(c.aliases),
                "có" if c.required else "không",
                c.kind.value,
                c.allowed_text(),
                c.help,
            )
            for c in COLUMNS
        ),
        title_lines=(
            "Mẫu tệp nạp hồ sơ: dòng 1 là tiêu đề (tên cột hoặc tên khác được nhận), mỗi dòng sau một hồ sơ.",
        ),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
