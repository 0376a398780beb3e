"""One rendering path for every official document: a docxtpl template filled with a context.

Templates are data (`cchc/data/documents/templates/*.docx`): built by `cchc documents build-templates`
from `cchc.documents.templates_build`, editable in Word afterwards. Always rendered with autoescape, so
``A & B <x>`` prints as typed. PDF is a LibreOffice conversion of the DOCX.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined

from cchc.core import vnformat
from cchc.core.templatetags import vn as vn_filters
from cchc.documents.issuer import Issuer, issuer_for
from cchc.org.models import OrgUnit

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "data" / "documents" / "templates"


@dataclass(frozen=True)
class Image:
    """A picture to place where the template has ``{{ name }}`` (a QR code, a chart): PNG bytes and a width."""

    png: bytes
    width_mm: float = 25


class DocumentError(Exception):
    """A document could not be produced; the message is Vietnamese."""


@dataclass
class Signature:
    """Khối chữ ký: authority lines ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH") and the signer's name."""

    authority: list[str]
    name: str


@dataclass
class OfficialHeader:
    """What every ND 30 document carries around its body."""

    issuer: Issuer
    number: str
    place_date: str
    doc_title: str
    doc_summary: str
    recipients: list[str] = field(default_factory=list)
    sign: Signature = field(default_factory=lambda: Signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ""))
    addressee: str = ""

    def as_context(self) -> dict[str, Any]:
        return asdict(self)


def official_header(
    unit: OrgUnit,
    day: date,
    *,
    number: str,
    title: str,
    summary: str,
    recipients: list[str] | None = None,
    sign: Signature | None = None,
    addressee: str = "",
) -> OfficialHeader:
    issuer = issuer_for(unit, day)
    return OfficialHeader(
        issuer=issuer,
        number=number,
        place_date=vnformat.place_and_date(issuer.place, day),
        doc_title=title.upper(),
        doc_summary=summary,
        recipients=recipients or ["Như trên", "Lưu: VT"],
        sign=sign or Signature(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ""),
        addressee=addressee,
    )


def jinja_env() -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(
        so=vn_filters.number, phan_tram=vn_filters.percent, ngay=vn_filters.short_date, ngay_dai=vn_filters.long_date
    )
    return env


def template_path(name: str | Path) -> Path:
    """A template by name from the shipped folder, or any .docx path an app keeps its own templates at."""
    path = Path(name) if isinstance(name, Path) or str(name).endswith(".docx") else TEMPLATES_DIR / f"{name}.docx"
    if not path.exists():
        raise DocumentError(f"Không có mẫu văn bản “{path.stem}” ({path}).")
    return path


def render_docx(name: str | Path, context: dict[str, Any]) -> bytes:
    """Fill template ``name`` with ``context``; a missing variable is an error, never a blank."""
    template = DocxTemplate(template_path(name))
    # docxtpl places images through the template object itself, so Image values are bound here.
    context = {
        key: InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
        if isinstance(value, Image)
        else value
        for key, value in context.items()
    }
    try:
        template.render(context, jinja_env=jinja_env(), autoescape=True)
    except Exception as exc:  # jinja's UndefinedError and syntax errors carry the variable or line
        raise DocumentError(f"Không điền được mẫu “{name}”: {exc}") from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def content_digest(docx: bytes) -> str:
    """A digest of what a DOCX says (each part's name and bytes), blind to the ZIP's time stamps: a document
    rebuilt from the same data has the same digest, so a PDF made of it can be kept under that name."""
    h = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        for name in sorted(z.namelist()):
            h.update(name.encode() + b"\0" + z.read(name) + b"\0")
    return h.hexdigest()[:16]


def qr_png(text: str, scale: int = 6) -> bytes:
    """A QR code of ``text`` as PNG (printed on receipts: the dossier code, the rating link)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, timeout: int = 120) -> bytes:
    """Convert with LibreOffice (Debian package libreoffice-writer); fonts-liberation2 stands in for Times."""
    binary = libreoffice()
    if binary is None:
        raise DocumentError("Chưa cài LibreOffice nên không xuất được PDF; hãy tải tệp DOCX.")
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as tmp:
        src = Path(tmp) / "van-ban.docx"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        result = subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        pdf = Path(tmp) / "van-ban.pdf"
        if result.returncode != 0 or not pdf.exists():
            raise DocumentError("LibreOffice không chuyển được văn bản sang PDF: " + result.stderr.decode()[-300:])
        return pdf.read_bytes()
