import getpass
import json
import os
import sys
from pathlib import Path

from django.core.management.base import CommandError

from cchc.core.management.base import GroupCommand
from cchc.documents import templates_build
from cchc.documents.symbols import SymbolError, parse_symbol


class Command(GroupCommand):
    help = "Văn bản theo Nghị định 30: mẫu DOCX, kiểm tra số/ký hiệu. / ND 30 documents: templates, symbols."
    subcommands = {
        "build-templates": "Tạo lại các mẫu DOCX đi kèm phần mềm. / Rebuild the shipped DOCX templates.",
        "check-symbol": "Kiểm tra số, ký hiệu văn bản (ví dụ 303/BC-UBND). / Check a document number and symbol.",
        "sign": "Ký số tệp PDF (PAdES) bằng tệp PKCS#12 hoặc thiết bị PKCS#11. / Sign a PDF (PAdES).",
        "verify": "Kiểm tra chữ ký số của tệp PDF; mã thoát 0 = mọi chữ ký hợp lệ, 1 = có chữ ký bị sửa hoặc "
        "không tin cậy, 2 = không có chữ ký / tệp hỏng. / Verify a PDF's signatures (exit 0, 1 or 2).",
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

    # ---- digital signatures ---------------------------------------------------------------------------
    def args_sign(self, parser) -> None:
        parser.add_argument("pdf", help="Tệp PDF cần ký / PDF to sign")
        parser.add_argument("--out", required=True, help="Tệp PDF đã ký / signed PDF to write")
        key = parser.add_mutually_exclusive_group(required=True)
        key.add_argument("--pkcs12", help="Tệp khóa .p12/.pfx / PKCS#12 key file")
        key.add_argument("--pkcs11-lib", help="Thư viện PKCS#11 của thiết bị / PKCS#11 module (.so)")
        parser.add_argument("--token", help="Tên thiết bị (token label), với --pkcs11-lib")
        parser.add_argument("--key-label", help="Tên khóa trên thiết bị / key label, với --pkcs11-lib")
        parser.add_argument("--signer-name", default="", help="Tên người ký in dưới chữ ký (đặt khung chữ ký)")
        parser.add_argument("--reason", default="", help="Lý do ký / reason")

    def do_sign(
        self, *, pdf, out, pkcs12=None, pkcs11_lib=None, token=None, key_label=None, signer_name="", reason="", **_
    ):
        from cchc.documents import signing

        data = _read(pdf)
        secret = _secret("Mật khẩu tệp khóa: " if pkcs12 else "Mã PIN của thiết bị: ")
        if pkcs12:
            key: signing.KeySource = signing.Pkcs12Key(_read(pkcs12), secret)
        else:
            if not token or not key_label:
                raise CommandError("Với --pkcs11-lib cần --token và --key-label.")
            key = signing.TokenKey(pkcs11_lib, token, key_label, secret)
        try:
            signed = signing.sign_pdf(data, key, signer_name=signer_name, reason=reason)
        except signing.SigningError as exc:
            raise CommandError(str(exc)) from exc
        Path(out).write_bytes(signed.data)
        self.stdout.write(f"Đã ký {out}: {signed.signer}, trang {signed.page + 1}, khung {signed.box}")

    def args_verify(self, parser) -> None:
        parser.add_argument("pdf", help="Tệp PDF / PDF file")
        parser.add_argument(
            "--trust",
            action="append",
            default=[],
            help="Chứng thư gốc tin cậy (PEM), lặp được; mặc định: các chứng thư gốc đã cấu hình",
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="In JSON / print JSON")

    def do_verify(self, *, pdf, trust, as_json: bool = False, **_):
        from cchc.documents import signing

        roots = None
        if trust:
            roots = [cert for path in trust for cert in signing.load_certificates(_read(path))]
        result = signing.verify_pdf(_read(pdf), roots)
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            for s in result.signatures:
                self.stdout.write(
                    f"{s.signer} — ký lúc {s.signed_at_text}: {s.intact_text.lower()}; {s.trusted_text.lower()}"
                )
        if result.error or not result.signatures:
            raise CommandError(result.error or "Tệp không có chữ ký số.", returncode=2)
        if not result.valid:
            raise CommandError("Có chữ ký không hợp lệ (tệp bị sửa hoặc chứng thư không tin cậy).", returncode=1)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Không đọc được {path}: {exc.strerror}", returncode=2) from exc


def _secret(prompt: str) -> str:
    """Password or PIN from CCHC_SIGN_PASSWORD, else asked on the terminal (never an argument: it would be
    visible in the process list and the shell history)."""
    value = os.environ.get("CCHC_SIGN_PASSWORD")
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CommandError("Đặt CCHC_SIGN_PASSWORD hoặc chạy lệnh trong một terminal để nhập mật khẩu/PIN.")
    return getpass.getpass(prompt)
