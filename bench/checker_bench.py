"""Benchmark of the report checker: a 100-page Word report, checked in under 5 s.

Builds a .docx by repeating the paragraphs and tables of the reference reports until it holds about
100 pages (3.000 characters a page, ~ A4 in Times New Roman 13-14), checks it, and prints the time next to a
reference run on the same file: plain python-docx text extraction (paragraphs and table cells).

    .venv/bin/python bench/checker_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django

django.setup()

import docx  # noqa: E402

from cchc.checker.reading import Table, read_document  # noqa: E402
from cchc.checker.services import check_document  # noqa: E402

REF = Path("/work/shared/reference")
CHARS_PER_PAGE = 3000
PAGES = 100
LIMIT_S = 5.0


def build(path: Path) -> int:
    sources = [read_document(p) for p in sorted(REF.glob("0*.txt"))]
    out = docx.Document()
    chars = 0
    while chars < PAGES * CHARS_PER_PAGE:
        for doc in sources:
            for block in doc.blocks():
                if isinstance(block, Table):
                    width = max(len(r) for r in block.rows)
                    t = out.add_table(rows=len(block.rows), cols=width)
                    for r_i, row in enumerate(block.rows):
                        for c_i, cell in enumerate(row):
                            t.cell(r_i, c_i).text = cell.text
                            chars += len(cell.text)
                else:
                    out.add_paragraph(block.text)
                    chars += len(block.text)
    out.save(path)
    return chars


def plain_extraction(path: Path) -> int:
    d = docx.Document(str(path))
    n = 0
    for block in d.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                for cell in row.cells:
                    n += len(cell.text)
        else:
            n += len(block.text)
    return n


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bao-cao-100-trang.docx"
        chars = build(path)
        pages = chars / CHARS_PER_PAGE
        print(f"Tệp thử: {path.name}, {chars:,} ký tự ≈ {pages:.0f} trang, {path.stat().st_size / 1024:.0f} KB")

        t0 = time.perf_counter()
        plain_extraction(path)
        t_plain = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = check_document(path)
        t_check = time.perf_counter() - t0

        counts = result.counts()
        print(f"Tham chiếu — python-docx chỉ lấy chữ (đoạn + ô bảng): {t_plain:.2f} s")
        print(
            f"cchc check-report (đọc + trích {len(result.figures):,} số liệu + kiểm tra): {t_check:.2f} s, "
            f"{pages / t_check:.0f} trang/s, {t_check / t_plain:.1f}× thời gian tham chiếu"
        )
        print(f"Phát hiện: {counts['error']} lỗi, {counts['warning']} cảnh báo, {counts['info']} lưu ý")
        ok = t_check < LIMIT_S
        print(("ĐẠT" if ok else "KHÔNG ĐẠT") + f": giới hạn {LIMIT_S:.0f} s cho {PAGES} trang")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
