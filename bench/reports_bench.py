"""Báo cáo có bảng 5.000 dòng: thời gian dựng DOCX qua ứng dụng reports (docxtpl, mẫu ND 30) so với
python-docx ghi thẳng cùng bảng 5.000 dòng. Chạy: .venv/bin/python bench/reports_bench.py

The render path is the real one (cchc.reports.output.render_docx → cchc.documents.rendering.render_docx);
only the appendix rows are synthetic, so no database is needed beyond the org fixtures in memory.
"""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("CCHC_VAR_DIR", "/tmp/cchc-reports-bench")

import django

django.setup()

from django.db import connection  # noqa: E402
from docx import Document  # noqa: E402

from cchc.accounts.actors import SystemActor  # noqa: E402

ROWS = 5000


def main() -> None:
    connection.creation.create_test_db(verbosity=0, serialize=False)  # in-memory SQLite, like the tests
    from cchc.org.demo import DEMO_ORG_FILE
    from cchc.org.models import OrgUnit
    from cchc.org.services import load_org_file
    from cchc.reports.output import ReportDocument, render_docx
    from cchc.reports.selectors import FigureRow

    load_org_file(DEMO_ORG_FILE, actor=SystemActor("bench"))
    unit = OrgUnit.objects.get(code="000.16.21.H42")
    from cchc.indicators.periods import get_period

    period = get_period("2021-NAM")
    rows = {}
    for i in range(ROWS):
        group = ["I", "II", "III", "IV", "V", "VI", "VII"][i * 7 // ROWS]
        value = Decimal(i * 37 % 100000)
        rows[f"r{i}"] = FigureRow(
            code=f"r{i}",
            name=f"Chỉ tiêu thống kê số {i + 1} & <thử>",
            group_code=group,
            group_name=f"Nhóm {group}",
            stt=str(i + 1),
            unit="Hồ sơ",
            value_type="integer",
            in_appendix=True,
            is_heading=False,
            value=value,
            display=f"{int(value):,}".replace(",", "."),
            note="Ghi chú",
        )
    doc = ReportDocument(
        unit,
        period,
        date(2021, 12, 14),
        "01/BC-UBND",
        "Báo cáo",
        "Kết quả thực hiện công tác CCHC năm 2021",
        "Ủy ban nhân dân huyện Hương Sơn",
        ["Ủy ban nhân dân huyện Hương Sơn", "Lưu: VT"],
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        "Hoàng Văn Dũng",
        "Mở đầu.",
        "Kết thúc./.",
        [{"key": "a", "heading": "I. CÔNG TÁC CHỈ ĐẠO", "text": "Nội dung.", "depth": 1}],
        rows,
    )
    start = time.perf_counter()
    data = render_docx(doc)
    ours = time.perf_counter() - start
    check = Document(io.BytesIO(data))
    table_rows = len(check.tables[-1].rows)

    start = time.perf_counter()
    ref = Document()
    table = ref.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"], strict=True):
        cell.text = text
    for r in rows.values():
        cells = table.add_row().cells
        for cell, text in zip(cells, [r.stt, r.name, r.unit, r.display, r.note], strict=True):
            cell.text = text
    out = io.BytesIO()
    ref.save(out)
    reference = time.perf_counter() - start

    print(f"Bảng {ROWS} dòng ({table_rows} dòng trong DOCX kể cả tiêu đề và dòng nhóm)")
    print(
        f"  cchc reports (docxtpl, mẫu ND 30): {ours:.2f} s, {len(data) / 1e6:.1f} MB  "
        f"{'ĐẠT' if ours < 10 else 'KHÔNG ĐẠT'} (< 10 s)"
    )
    print(f"  tham chiếu python-docx ghi thẳng:  {reference:.2f} s, {len(out.getvalue()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
