"""cchc check-report FILE [--json]: kiểm tra số liệu của một báo cáo (.docx, .txt, .md)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cchc.checker.checks import ERROR, INFO, SEVERITY_LABEL, WARNING
from cchc.checker.services import ReadError, check_document


class Command(BaseCommand):
    help = (
        "Kiểm tra số liệu của một báo cáo CCHC (tổng, tỷ lệ, điểm, ngày, số ký hiệu) / "
        "Check the figures of a CCHC report (.docx, .txt, .md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Tệp báo cáo .docx, .txt hoặc .md / report file")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON / print JSON")

    def handle(self, *args, file: str, json: bool = False, **options) -> None:
        try:
            result = check_document(file)
        except ReadError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(result.as_dict()))
            return
        w = self.stdout.write
        w(f"Tệp: {result.file}")
        if result.doc_kind:
            w(f"Loại văn bản: {result.doc_kind}")
        if result.doc_date:
            w(f"Ngày văn bản: {result.doc_date:%d/%m/%Y}")
        w(f"Kỳ báo cáo: {result.period.label() if result.period else 'không xác định được từ tiêu đề'}")
        counts = result.counts()
        w(
            f"Số liệu đã đọc: {len(result.figures)}; phát hiện: {counts[ERROR]} lỗi, {counts[WARNING]} cảnh báo, "
            f"{counts[INFO]} lưu ý."
        )
        if not result.findings:
            w("Không phát hiện điểm nào không khớp.")
        for severity in (ERROR, WARNING, INFO):
            items = [f for f in result.findings if f.severity == severity]
            if not items:
                continue
            w("")
            w(f"== {SEVERITY_LABEL[severity].upper()} ({len(items)}) ==")
            for i, f in enumerate(items, start=1):
                w(f"{i}. {f.unit.location_text(result.document.line_word)}")
                w(f"   {f.message}")
                w(f"   Trích: “{f.quote}”")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
