"""Kiểm tra tệp tải lên: one guard in front of every reader of a user's file (imports, checker, annexes,
uploaded reports), so that no file can exhaust the server's memory or time.

What it checks, before any library parses the file, with bounded memory (1 MB chunks):
- the size of the file itself, per kind (``CCHC_UPLOAD_MAX_MB_<KIND>``);
- for ZIP-based files (XLSX, XLSM, ODS, DOCX): the number of entries, the *real* inflated size of every
  entry and of all of them (inflated here with zlib, so a central directory that lies about sizes does not
  matter), and the compression ratio of each large entry;
- for spreadsheets: the declared dimension (``<dimension ref="A1:XFD1048576"/>``, from which readers
  allocate the whole grid) and the real used range (the row and column of every cell, read as a stream
  and stopped at the first limit): rows, columns and cells.
A file that breaks a limit is refused with a Vietnamese sentence naming the limit and the setting that
sets it — never a path — as :class:`UploadRefused`, which is an ``ImportRejected`` so every import path
already shows it and saves nothing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from cchc.core.importing import ImportRejected, RowError

MB = 1024 * 1024
CHUNK = MB


class UploadKind(StrEnum):
    """What a file is for; each kind has its own size cap."""

    TABLE = "table"  # bảng dữ liệu: CSV/XLSX imports (dossiers, procedures, plan tasks, figures, scores)
    DOCUMENT = "document"  # văn bản: DOCX/PDF reports, annexes of criteria, checked reports
    ATTACHMENT = "attachment"  # tệp đính kèm: evidence, directive files


KIND_LABEL = {UploadKind.TABLE: "bảng dữ liệu", UploadKind.DOCUMENT: "văn bản", UploadKind.ATTACHMENT: "tệp đính kèm"}
# Defaults (MB) when settings say nothing; settings.py reads the environment.
DEFAULT_MAX_MB = {UploadKind.TABLE: 200, UploadKind.DOCUMENT: 20, UploadKind.ATTACHMENT: 20}
DEFAULT_MAX_INFLATED_MB = {UploadKind.TABLE: 1024, UploadKind.DOCUMENT: 64, UploadKind.ATTACHMENT: 256}

ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".docx")
SHEET_SUFFIXES = (".xlsx", ".xlsm")


class UploadRefused(ImportRejected):
    """The file breaks a limit of the upload guard; nothing was read into the database."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__([RowError(None, "", "", message)])

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_inflated: int
    max_entries: int
    max_ratio: int
    max_rows: int
    max_columns: int
    max_cells: int

    @classmethod
    def for_kind(cls, kind: UploadKind) -> Limits:
        name = kind.value.upper()
        conf = settings if settings.configured else object()  # the checker also runs outside Django
        return cls(
            max_bytes=int(getattr(conf, f"CCHC_UPLOAD_MAX_MB_{name}", DEFAULT_MAX_MB[kind]) * MB),
            max_inflated=int(getattr(conf, f"CCHC_UPLOAD_MAX_INFLATED_MB_{name}", DEFAULT_MAX_INFLATED_MB[kind]) * MB),
            max_entries=int(getattr(conf, "CCHC_UPLOAD_MAX_ZIP_ENTRIES", 2000)),
            max_ratio=int(getattr(conf, "CCHC_UPLOAD_MAX_ZIP_RATIO", 100)),
            max_rows=int(getattr(conf, "CCHC_UPLOAD_MAX_ROWS", 1_100_000)),
            max_columns=int(getattr(conf, "CCHC_UPLOAD_MAX_COLUMNS", 256)),
            max_cells=int(getattr(conf, "CCHC_UPLOAD_MAX_CELLS", 30_000_000)),
        )


def _mb(n: int) -> str:
    return f"{n / MB:,.0f}".replace(",", ".") + " MB"


def _num(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_upload(source: Path | str | bytes | IO[bytes], name: str, kind: UploadKind) -> None:
    """Refuse ``source`` (a path, bytes or an open uploaded file) if it breaks a limit of ``kind``.

    ``name`` is the file's name as the user gave it (only its suffix is used). Reads at most a bounded
    amount at a time; leaves an open file at its start."""
    limits = Limits.for_kind(kind)
    suffix = Path(str(name)).suffix.lower()
    with _open(source) as fh:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(0)
        if size > limits.max_bytes:
            raise UploadRefused(
                f"Tệp lớn {_mb(size)}, vượt giới hạn {_mb(limits.max_bytes)} cho {KIND_LABEL[kind]} "
                f"(CCHC_UPLOAD_MAX_MB_{kind.value.upper()})."
            )
        if suffix in ZIP_SUFFIXES:
            _check_zip(fh, suffix, limits, kind)
        elif suffix == ".pdf":
            _check_pdf(fh)
        fh.seek(0)


def _check_pdf(fh: IO[bytes]) -> None:
    """A PDF starts with ``%PDF-`` within its first 1.024 bytes (ISO 32000-1, 7.5.2 and its implementation
    note): a renamed binary or a Word file is refused before a PDF library spends time on it."""
    if b"%PDF-" not in fh.read(1024):
        raise UploadRefused("Tệp không phải là PDF hợp lệ — có thể tệp bị hỏng hoặc chỉ được đổi đuôi.")


class _open:
    """A seekable binary file for any source, closed afterwards only if opened here."""

    def __init__(self, source: Any) -> None:
        self.source, self.owned = source, False

    def __enter__(self) -> IO[bytes]:
        if isinstance(self.source, (str, Path)):
            self.owned = True
            self.fh = open(self.source, "rb")  # closed in __exit__
        elif isinstance(self.source, (bytes, bytearray, memoryview)):
            self.fh = io.BytesIO(self.source)
        else:
            self.fh = getattr(self.source, "file", self.source)  # Django UploadedFile → its file
        return self.fh

    def __exit__(self, *exc: object) -> None:
        if self.owned:
            self.fh.close()
        else:
            self.fh.seek(0)


_NOT_ZIP = {
    ".xlsx": "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ — có thể tệp bị hỏng hoặc chỉ được đổi đuôi.",
    ".xlsm": "Tệp không phải là bảng tính Excel (.xlsm) hợp lệ — có thể tệp bị hỏng hoặc chỉ được đổi đuôi.",
    ".ods": "Tệp không phải là bảng tính OpenDocument (.ods) hợp lệ.",
    ".docx": "Tệp không phải là văn bản Word (.docx) hợp lệ — có thể tệp bị hỏng hoặc chỉ được đổi đuôi.",
}


def _check_zip(fh: IO[bytes], suffix: str, limits: Limits, kind: UploadKind) -> None:
    try:
        archive = zipfile.ZipFile(fh)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRefused(_NOT_ZIP[suffix]) from exc
    if len(infos) > limits.max_entries:
        raise UploadRefused(
            f"Tệp nén chứa {_num(len(infos))} thành phần, vượt giới hạn {_num(limits.max_entries)} "
            "(CCHC_UPLOAD_MAX_ZIP_ENTRIES)."
        )
    total = 0
    for info in infos:
        sheet = suffix in SHEET_SUFFIXES and re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename)
        scanner = _SheetScanner(limits) if sheet else None
        inflated = 0
        for chunk in _inflate(fh, info):
            inflated += len(chunk)
            total += len(chunk)
            if total > limits.max_inflated:
                raise UploadRefused(
                    f"Nội dung tệp khi giải nén vượt giới hạn {_mb(limits.max_inflated)} cho {KIND_LABEL[kind]} "
                    f"(CCHC_UPLOAD_MAX_INFLATED_MB_{kind.value.upper()})."
                )
            if inflated > MB and inflated > limits.max_ratio * max(info.compress_size, 1):
                raise UploadRefused(
                    f"Tệp nén bất thường: một thành phần giải nén lớn hơn {limits.max_ratio} lần kích thước nén "
                    "(CCHC_UPLOAD_MAX_ZIP_RATIO)."
                )
            if scanner is not None:
                scanner.feed(chunk)


def _inflate(fh: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's real content in chunks: inflated from the local header on, whatever sizes are declared."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise UploadRefused("Tệp nén bị hỏng (thành phần không đọc được).")
    method = struct.unpack("<H", header[8:10])[0]
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(name_len + extra_len, io.SEEK_CUR)
    remaining = info.compress_size
    if method == zipfile.ZIP_STORED:
        while remaining > 0:
            data = fh.read(min(CHUNK, remaining))
            if not data:
                return
            remaining -= len(data)
            yield data
        return
    if method != zipfile.ZIP_DEFLATED:
        raise UploadRefused("Tệp nén dùng kiểu nén không hỗ trợ.")
    inflater = zlib.decompressobj(-15)
    try:
        while remaining > 0 and not inflater.eof:
            data = fh.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            while data:
                out = inflater.decompress(data, CHUNK)  # never more than 1 MB out per call
                data = inflater.unconsumed_tail
                if out:
                    yield out
        while not inflater.eof:
            out = inflater.decompress(b"", CHUNK)
            if not out:
                break
            yield out
    except zlib.error as exc:
        raise UploadRefused("Tệp nén bị hỏng (dữ liệu nén không hợp lệ).") from exc


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([^\"]+)\"")
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_REF_ATTR = re.compile(rb"\br=\"([A-Z]*)(\d*)\"")
_CELL_REF = re.compile(r"\$?([A-Z]{1,4})\$?(\d{1,8})")


def _col_number(letters: str | bytes) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


class _SheetScanner:
    """Rows and columns of a worksheet's XML, fed in chunks: the declared dimension, then every row and
    cell tag (with or without its ``r`` reference), stopping at the first limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.tail = b""
        self.seen_dimension = False
        self.row = 0
        self.col = 0
        self.cells = 0

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        cut = data.rfind(b"<")
        if cut == -1 or data.find(b">", cut) != -1:
            self.tail, data = b"", data
        else:
            self.tail, data = data[cut:], data[:cut]
        if len(self.tail) > CHUNK:  # one tag longer than a megabyte is no worksheet
            raise UploadRefused("Trang tính chứa thẻ XML bất thường.")
        if not self.seen_dimension:
            match = _DIMENSION.search(data)
            if match:
                self.seen_dimension = True
                self._check_range(match.group(1).decode("ascii", "replace"), declared=True)
            elif b"<sheetData" in data:
                self.seen_dimension = True
        for tag, attrs in _TAG.findall(data):
            ref = _REF_ATTR.search(attrs)
            if tag == b"row":
                self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.col = 0
                if self.row > self.limits.max_rows:
                    self._refuse_rows(self.row, declared=False)
            else:
                self.col = _col_number(ref.group(1)) if ref and ref.group(1) else self.col + 1
                if ref and ref.group(2):
                    self.row = max(self.row, int(ref.group(2)))
                self.cells += 1
                if self.col > self.limits.max_columns:
                    self._refuse_cols(self.col, declared=False)
                if self.row > self.limits.max_rows:
                    self._refuse_rows(self.row, declared=False)
                if self.cells > self.limits.max_cells:
                    raise UploadRefused(
                        f"Trang tính có hơn {_num(self.limits.max_cells)} ô, vượt giới hạn (CCHC_UPLOAD_MAX_CELLS)."
                    )

    def _check_range(self, ref: str, declared: bool) -> None:
        last = ref.split(":")[-1]
        match = _CELL_REF.fullmatch(last)
        if not match:
            return
        cols, rows = _col_number(match.group(1)), int(match.group(2))
        if rows > self.limits.max_rows:
            self._refuse_rows(rows, declared)
        if cols > self.limits.max_columns:
            self._refuse_cols(cols, declared)
        if rows * cols > self.limits.max_cells:
            raise UploadRefused(
                f"Trang tính khai báo vùng dữ liệu {ref} ({_num(rows * cols)} ô), vượt giới hạn "
                f"{_num(self.limits.max_cells)} ô (CCHC_UPLOAD_MAX_CELLS)."
            )

    def _refuse_rows(self, rows: int, declared: bool) -> None:
        what = "khai báo" if declared else "có dữ liệu tới"
        raise UploadRefused(
            f"Trang tính {what} dòng {_num(rows)}, vượt giới hạn {_num(self.limits.max_rows)} dòng "
            "(CCHC_UPLOAD_MAX_ROWS)."
        )

    def _refuse_cols(self, cols: int, declared: bool) -> None:
        what = "khai báo" if declared else "có dữ liệu tới"
        raise UploadRefused(
            f"Trang tính {what} cột thứ {_num(cols)}, vượt giới hạn {_num(self.limits.max_columns)} cột "
            "(CCHC_UPLOAD_MAX_COLUMNS)."
        )
