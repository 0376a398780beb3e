"""Chữ ký số PAdES: sign a PDF (PKCS#12 file or PKCS#11 token) and verify the signatures of a PDF.

- Signing keeps the private key where it is: a PKCS#12 file is read in memory with its password (never
  stored); on a PKCS#11 token (the USB tokens of the government CA, SoftHSM2 in tests) the token computes
  the signature, the key never leaves it.
- The visible signature box goes where Nghị định 30 puts the signature: between the signer's title
  ("CHỦ TỊCH") and the signer's name of the signature block, found by the text of the PDF page
  (``pdftotext -bbox-layout``); a PDF without such a block gets a box at the bottom right of its last page.
- Verification answers, per signature: who signed, when, ``intact`` (the signed bytes were not changed and
  nothing but signatures was added since) and ``trusted`` (the certificate chains to a root the
  administrator configured — :class:`cchc.documents.models.TrustedRoot` — or to the roots given).
"""

from __future__ import annotations

import html
import io
import logging
import re
import subprocess
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

# pyHanko imports cryptography's DSA support, which warns on import; the warning is not about our use.
warnings.filterwarnings("ignore", message=".*DSA.*deprecated.*")
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" on every signature
# An untrusted certificate is an answer of verify_pdf, not an error to log with a traceback.
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
FIELD_PREFIX = "ChuKySo"
BOX_WIDTH, BOX_HEIGHT = 190, 58
# Signature titles of Nghị định 30 (last line of the authority block above the signature).
TITLE_WORDS = ("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TRƯỞNG", "BÍ THƯ", "THỦ TRƯỞNG")


class SigningError(Exception):
    """Không ký được (sai mật khẩu/PIN, không có khóa hoặc chứng thư, tệp không phải PDF…)."""


# ---- the signer ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pkcs12Key:
    """Tệp khóa PKCS#12 (.p12/.pfx) and its password, held in memory for one signature only."""

    data: bytes
    password: str


@dataclass(frozen=True)
class TokenKey:
    """Khóa trên thiết bị PKCS#11 (USB token): module library, token label, key label, PIN."""

    lib: str
    token: str
    key_label: str
    pin: str
    cert_label: str = ""


KeySource = Pkcs12Key | TokenKey


@contextmanager
def open_signer(key: KeySource) -> Iterator[Any]:
    """A pyHanko signer for ``key``; a token session is closed on exit."""
    from pyhanko.sign import signers

    if isinstance(key, Pkcs12Key):
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                key.data, other_certs=None, passphrase=key.password.encode() or None
            )
        except Exception as exc:  # pyHanko raises several kinds for a wrong password or a broken file
            raise SigningError("Không mở được tệp khóa PKCS#12: sai mật khẩu hoặc tệp hỏng.") from exc
        if signer is None:
            raise SigningError("Không mở được tệp khóa PKCS#12: sai mật khẩu hoặc tệp hỏng.")
        yield signer
        return
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as hk11

    try:
        session = hk11.open_pkcs11_session(key.lib, token_criteria=TokenCriteria(label=key.token), user_pin=key.pin)
    except Exception as exc:  # python-pkcs11 errors (wrong PIN, no token), OSError (no module), pyHanko's own
        raise SigningError(f"Không mở được thiết bị ký số “{key.token}”: {_pkcs11_reason(exc)}.") from exc
    try:
        yield hk11.PKCS11Signer(session, cert_label=key.cert_label or key.key_label, key_label=key.key_label)
    finally:
        session.close()


def _pkcs11_reason(exc: Exception) -> str:
    name = type(exc).__name__
    return {
        "PinIncorrect": "sai mã PIN",
        "PinLocked": "mã PIN đã bị khóa",
        "NoSuchToken": "không thấy thiết bị",
    }.get(name, str(exc) or name)


# ---- where the box goes ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    page: int  # 0-based
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    page_width: float
    page_height: float


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).upper()


def pdf_lines(data: bytes) -> list[Line]:
    """Every text line of the PDF with its box (points, origin top left), read by poppler's pdftotext."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        done = subprocess.run(["pdftotext", "-bbox-layout", str(src), "-"], capture_output=True, timeout=60)
    if done.returncode != 0:
        return []
    text = done.stdout.decode("utf-8", "replace")
    out = []
    for number, page in enumerate(re.split(r"<page ", text)[1:]):
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        width, height = (float(size.group(1)), float(size.group(2))) if size else (595.3, 841.9)
        for m in re.finditer(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S
        ):
            words = " ".join(html.unescape(w) for w in re.findall(r">([^<]*)</word>", m.group(5)))
            out.append(Line(number, *(float(m.group(i)) for i in range(1, 5)), words, width, height))
    return out


def signature_box(data: bytes, signer_name: str = "", title: str = "") -> tuple[int, tuple[int, int, int, int]]:
    """(page index, box in PDF points from the bottom left) for the visible signature.

    The box fills the gap between the signature title and the signer's name, in the right-hand column,
    on the last page that holds such a title (the appendix pages come after the signature)."""
    lines = pdf_lines(data)
    titles = [_norm(t) for t in ([title] if title else [])] or [_norm(t) for t in TITLE_WORDS]
    name = _norm(signer_name)
    candidates = [ln for ln in lines if ln.x0 > ln.page_width * 0.4 and _norm(ln.text) in titles]
    if not candidates:
        return _fallback_box(lines, data)
    anchor = candidates[-1]
    below = [ln for ln in lines if ln.page == anchor.page and ln.top > anchor.bottom and ln.x0 > ln.page_width * 0.4]
    named = [ln for ln in below if name and _norm(ln.text) == name]
    limit = named[0].top if named else min((ln.top for ln in below), default=anchor.bottom + BOX_HEIGHT + 8)
    limit = min(limit, anchor.bottom + BOX_HEIGHT + 40)
    centre = (anchor.x0 + anchor.x1) / 2
    x0 = max(centre - BOX_WIDTH / 2, anchor.page_width * 0.45)
    x1 = min(x0 + BOX_WIDTH, anchor.page_width - 10)
    top, bottom = anchor.bottom + 2, max(limit - 2, anchor.bottom + 30)
    height = anchor.page_height
    return anchor.page, (int(x0), int(height - bottom), int(x1), int(height - top))


def _fallback_box(lines: list[Line], data: bytes) -> tuple[int, tuple[int, int, int, int]]:
    """No signature block: bottom right of the last page."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    last = int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"]) - 1
    width = next((ln.page_width for ln in lines if ln.page == last), 595.3)
    return last, (int(width - 30 - BOX_WIDTH), 40, int(width - 30), 40 + BOX_HEIGHT)


# ---- signing -----------------------------------------------------------------------------------------
@dataclass
class SignedPdf:
    data: bytes
    signer: str
    signed_at: datetime
    page: int
    box: tuple[int, int, int, int]


def _font_factory() -> Any:
    """A Vietnamese-capable font for the stamp (Liberation Serif, metric twin of Times New Roman).

    pyHanko writes glyph widths in the font's own units, but PDF widths are thousandths of an em: with
    Liberation's 2048 units per em every letter came out twice as far apart. The engine is rescaled so that
    HarfBuzz, the widths and pyHanko's arithmetic all work in thousandths."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class Thousandths(GlyphAccumulator):
        def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            if glyph_id not in self._glyphs:
                cid, width = super()._get_cid_and_width(glyph_id)
                self._glyphs[glyph_id] = (cid, round(width * 1000 / self._font_units))
            return self._glyphs[glyph_id]

    class Factory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            engine = super().create_font_engine(writer, obj_stream)
            engine.__class__ = Thousandths
            engine._font_units = engine.units_per_em
            engine.units_per_em = 1000
            engine.hb_font.scale = (1000, 1000)
            return engine

    return Factory(str(FONT), font_size=8)


def _stamp_style(text: str) -> Any:
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = _font_factory() if FONT.exists() else None
    box_style = TextBoxStyle(font=font, font_size=8) if font else TextBoxStyle(font_size=8)
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"), text_box_style=box_style, border_width=1, border_color=(0.75, 0.1, 0.1)
    )


def cert_name(cert: Any, *, issuer: bool = False) -> str:
    """The certificate holder (or its issuer) as people read it: common name, then organisation."""
    name = cert.issuer if issuer else cert.subject
    native = name.native
    parts = [native.get("common_name"), native.get("organization_name")]
    return ", ".join(str(p) for p in parts if p) or name.human_friendly


def sign_pdf(
    data: bytes,
    key: KeySource,
    *,
    signer_name: str = "",
    title: str = "",
    reason: str = "",
    location: str = "",
    at: datetime | None = None,
) -> SignedPdf:
    """Ký số tệp PDF (PAdES B-B): a visible box in the ND 30 signature place; returns the signed bytes.

    An earlier signature stays valid: the new one is an incremental update."""
    if not data.startswith(b"%PDF"):
        raise SigningError("Tệp cần ký không phải PDF.")
    page, box = signature_box(data, signer_name, title)
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    at = at or timezone.now()
    with open_signer(key) as signer:
        holder = cert_name(signer.signing_cert)
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        existing = {name for name, *_ in fields.enumerate_sig_fields(writer)}
        field_name = next(f"{FIELD_PREFIX}{i}" for i in range(1, 100) if f"{FIELD_PREFIX}{i}" not in existing)
        local = timezone.localtime(at)
        stamp = f"Ký số bởi: {holder}\nThời gian: {local:%H:%M:%S} ngày {local:%d/%m/%Y}" + (
            f"\nLý do: {reason}" if reason else ""
        )
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, reason=reason or None, location=location or None, name=holder
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            stamp_style=_stamp_style(stamp),
            new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box),
        )
        try:
            out = pdf_signer.sign_pdf(writer, output=io.BytesIO())
        except Exception as exc:  # a token refusing the operation, a broken PDF…
            raise SigningError(f"Không ký được tệp: {exc}") from exc
    return SignedPdf(out.getvalue(), holder, at, page, box)


# ---- verification ------------------------------------------------------------------------------------
@dataclass
class SignatureCheck:
    """Kết quả kiểm tra một chữ ký số trong tệp PDF."""

    signer: str
    signed_at: str | None  # ISO 8601, as the signer's computer reported it
    intact: bool
    trusted: bool
    field: str = ""
    issuer: str = ""
    problem: str = ""

    def as_json(self) -> dict[str, Any]:
        """The four keys of ``cchc documents verify --json``."""
        return {"signer": self.signer, "signed_at": self.signed_at, "intact": self.intact, "trusted": self.trusted}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def valid(self) -> bool:
        return self.intact and self.trusted

    @property
    def signed_at_text(self) -> str:
        """The signing time in Vietnam's time, e.g. "14:32:05 ngày 06/12/2026"."""
        if not self.signed_at:
            return "không ghi"
        local = timezone.localtime(datetime.fromisoformat(self.signed_at))
        return f"{local:%H:%M:%S} ngày {local:%d/%m/%Y}"

    @property
    def intact_text(self) -> str:
        return "Còn nguyên vẹn từ khi ký" if self.intact else "Tệp đã bị sửa sau khi ký"

    @property
    def trusted_text(self) -> str:
        return "Chứng thư tin cậy" if self.trusted else "Chứng thư không thuộc tổ chức cấp chứng thư được tin cậy"


@dataclass
class Verification:
    signatures: list[SignatureCheck]
    error: str = ""

    @property
    def valid(self) -> bool:
        return bool(self.signatures) and all(s.valid for s in self.signatures) and not self.error

    def as_json(self) -> dict[str, Any]:
        return {"signatures": [s.as_json() for s in self.signatures]}

    def as_dict(self) -> dict[str, Any]:
        return {"signatures": [s.as_dict() for s in self.signatures], "error": self.error}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verification:
        return cls([SignatureCheck(**s) for s in data.get("signatures", [])], data.get("error", ""))


def load_certificates(pem_or_der: bytes) -> list[Any]:
    """Every certificate of a PEM bundle (or one DER certificate)."""
    from asn1crypto import pem, x509

    if pem.detect(pem_or_der):
        return [
            x509.Certificate.load(der)
            for kind, _, der in pem.unarmor(pem_or_der, multiple=True)
            if kind == "CERTIFICATE"
        ]
    return [x509.Certificate.load(pem_or_der)]


def configured_roots() -> list[Any]:
    """The trust roots an administrator configured (active rows of TrustedRoot)."""
    from cchc.documents.models import TrustedRoot

    roots = []
    for row in TrustedRoot.objects.filter(active=True):
        roots.extend(load_certificates(row.pem.encode()))
    return roots


def verify_pdf(data: bytes, trust_roots: Iterable[Any] | None = None) -> Verification:
    """Kiểm tra chữ ký số: every signature of the PDF, against ``trust_roots`` (default: configured roots)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # a changed byte can break the file's structure itself
        return Verification([], f"Không đọc được tệp PDF (tệp hỏng hoặc đã bị sửa): {exc}")
    if not embedded:
        return Verification([], "Tệp không có chữ ký số.")
    roots = list(configured_roots() if trust_roots is None else trust_roots)
    checks = []
    for sig in embedded:
        checks.append(_check_one(sig, roots))
    return Verification(checks)


def _check_one(sig: Any, roots: list[Any]) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    cert = sig.signer_cert
    signer = cert_name(cert) if cert is not None else "không rõ"
    issuer = cert_name(cert, issuer=True) if cert is not None else ""
    reported = sig.self_reported_timestamp
    signed_at = reported.isoformat() if reported else None
    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=roots, allow_fetching=False))
    except Exception as exc:  # a mangled signature raises instead of answering
        return SignatureCheck(
            signer,
            signed_at,
            False,
            False,
            sig.field_name,
            issuer,
            f"Không kiểm tra được chữ ký (tệp đã bị sửa?): {exc}",
        )
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    later_ok = status.modification_level is not None and status.modification_level.name in (
        "NONE",
        "LTA_UPDATES",
        "FORM_FILLING",
    )
    intact = bool(status.intact and status.valid and (whole or later_ok))
    problem = "" if intact else "Nội dung đã bị sửa sau khi ký."
    if intact and not status.trusted:
        problem = "Chứng thư không chuỗi về tổ chức cấp chứng thư được tin cậy."
    return SignatureCheck(signer, signed_at, intact, bool(status.trusted), sig.field_name, issuer, problem)
