from pathlib import Path

from cchc.core.management.base import GroupCommand
from cchc.documents import templates_build
from cchc.documents.symbols import SymbolError, parse_symbol


class Command(GroupCommand):
    help = "Văn bản theo Nghị định 30: mẫu DOCX, kiểm tra số/ký hiệu. / ND 30 documents: templates, symbols."
    subcommands = {
        "build-templates": "Tạo lại các mẫu DOCX đi kèm phần mềm. / Rebuild the shipped DOCX templates.",
        "check-symbol": "Kiểm tra số, ký hiệu văn bản (ví dụ 303/BC-UBND). / Check a document number and symbol.",
    }

    def args_build_templates(self, parser) -> None:
        parser.add_argument("--out", help="Thư mục ghi mẫu (mặc định: cchc/data/documents/templates) / output folder")

    def do_build_templates(self, *, out=None, **_):
        paths = templates_build.build_all(Path(out)) if out else templates_build.build_all()
        for path in paths:
            self.stdout.write(f"Đã ghi {path}")

    def args_check_symbol(self, parser) -> None:
        parser.add_argument("symbol", help="Số, ký hiệu / number and symbol")

    def do_check_symbol(self, *, symbol, **_):
        try:
            parsed = parse_symbol(symbol)
        except SymbolError as exc:
            self.stdout.write(f"Sai: {exc}")
            return
        kind = f"loại {parsed.type_code}" if parsed.type_code else "công văn"
        self.stdout.write(f"Đúng: số {parsed.number}, {kind}, cơ quan {parsed.body}")
