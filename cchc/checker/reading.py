"""Đọc báo cáo: .docx (đoạn văn và bảng, theo đúng thứ tự), .txt và .md.

The reader turns a file into one plain text (``Document.text``) cut into units (paragraphs and table
cells) that remember their offsets, so a finding can point at a place and the page can highlight it,
and the section they sit in (I., 1., 1.1, a), so a finding can say "Mục II › 5".
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cchc.core.uploads import UploadKind, UploadRefused, check_upload

MAX_BYTES = 10 * 1024 * 1024
SUPPORTED = (".docx", ".txt", ".md")


class ReadError(ValueError):
    """A file the checker cannot read; the message is Vietnamese and says why."""


@dataclass
class Unit:
    """Một đoạn văn hoặc một ô bảng, với vị trí trong văn bản."""

    index: int
    kind: str  # "paragraph" | "cell"
    text: str
    start: int
    end: int
    section: tuple[str, ...] = ()
    section_title: str = ""
    paragraph: int | None = None  # ordinal of the paragraph (docx) or the line (txt/md)
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    heading: bool = False

    def location(self) -> dict:
        loc: dict = {"section": " › ".join(self.section), "section_title": self.section_title}
        if self.table is not None:
            loc.update(table=self.table, row=self.row, cell=self.cell)
        else:
            loc["paragraph"] = self.paragraph
        return loc

    def location_text(self, line_word: str = "đoạn") -> str:
        parts = []
        if self.section:
            sec = "Mục " + " › ".join(self.section)
            if self.section_title:
                sec += f" ({_short(self.section_title, 50)})"
            parts.append(sec)
        if self.table is not None:
            parts.append(f"bảng {self.table}, dòng {self.row}, cột {self.cell}")
        elif self.paragraph is not None:
            parts.append(f"{line_word} {self.paragraph}")
        return ", ".join(parts)


@dataclass
class Table:
    index: int
    rows: list[list[Unit]] = field(default_factory=list)


@dataclass
class Document:
    """Văn bản đã đọc: toàn văn, các đoạn/ô và các bảng."""

    name: str
    text: str
    units: list[Unit]
    tables: list[Table]
    line_word: str = "đoạn"  # "dòng" for text files: the paragraph number is the line number

    def table(self, index: int) -> Table:
        """The table numbered ``index`` (1-based), from a map built once."""
        by_index = self.__dict__.get("_by_index")
        if by_index is None:
            by_index = self.__dict__["_by_index"] = {t.index: t for t in self.tables}
        return by_index[index]

    def blocks(self) -> list[Unit | Table]:
        """Paragraphs and tables in document order (for the page)."""
        out: list[Unit | Table] = []
        seen: set[int] = set()
        by_index = {t.index: t for t in self.tables}
        for u in self.units:
            if u.table is None:
                out.append(u)
            elif u.table not in seen:
                seen.add(u.table)
                out.append(by_index[u.table])
        return out


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ---- section headings ---------------------------------------------------------------------------
_ROMAN = re.compile(r"^(?P<l>[IVX]{1,5})\s*[.\-–)]\s*(?P<t>\S.*)?$")
_DOTTED = re.compile(r"^(?P<l>\d{1,2}(?:\.\d{1,2})+)\.?(?:\s+(?P<t>\S.*))?$")
_NUMERIC = re.compile(r"^(?P<l>\d{1,2})\s*[.)]\s*(?P<t>\D.*)$")
_LETTER = re.compile(r"^(?P<l>[a-zđ])\s*\)\s*(?P<t>\S.*)$")
_APPENDIX = re.compile(r"^PH[ỤU] L[ỤU]C\b", re.IGNORECASE)
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|\*\*|__")


def clean_line(text: str) -> str:
    """Strip Markdown/HTML decorations the exports carry (##, **, <b>, [bookmark: …])."""
    text = re.sub(r"^\s*#{1,6}\s*", "", text)
    text = re.sub(r"\[bookmark:[^\]]*\]", "", text)
    text = _MARKUP.sub("", text)
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    return text.replace("\u00a0", " ").rstrip()


class _Sections:
    """Keeps the heading stack: roman (1), numeric (2), dotted 1.1 (3), letter a) (4)."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str, str]] = []

    def feed(self, text: str, style_level: int | None = None) -> bool:
        s = text.strip()
        if not s:
            return False
        if _APPENDIX.match(s):
            self.stack = [(0, _short(s[:1].upper() + s[1:].lower(), 20), s)]
            return True
        for level, rx in ((1, _ROMAN), (3, _DOTTED), (2, _NUMERIC), (4, _LETTER)):
            m = rx.match(s)
            if m:
                title = (m.group("t") or "").strip()
                if rx is _DOTTED and not title and "." not in m.group("l"):
                    return False
                self._push(level, m.group("l"), title)
                return True
        if style_level is not None:
            self._push(style_level, _short(s, 30), s)
            return True
        return False

    def _push(self, level: int, label: str, title: str) -> None:
        floor = 2 if level == 3 else level  # "1.2" replaces "1" (its label carries the parent)
        self.stack = [e for e in self.stack if e[0] < floor]
        self.stack.append((level, label, title))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(label for _, label, _ in self.stack)

    @property
    def title(self) -> str:
        return self.stack[-1][2] if self.stack else ""


# ---- builder -------------------------------------------------------------------------------------
class _Builder:
    def __init__(self, name: str, line_word: str) -> None:
        self.name = name
        self.parts: list[str] = []
        self.pos = 0
        self.units: list[Unit] = []
        self.tables: list[Table] = []
        self.sections = _Sections()
        self.paragraph_no = 0
        self.line_word = line_word

    def _emit(self, text: str, sep: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text + sep)
        self.pos += len(text) + len(sep)
        return start, start + len(text)

    def paragraph(self, text: str, ordinal: int | None = None, style_level: int | None = None) -> None:
        text = clean_line(text)
        self.paragraph_no += 1
        if not text.strip():
            return
        heading = self.sections.feed(text, style_level)
        start, end = self._emit(text, "\n")
        self.units.append(
            Unit(
                index=len(self.units),
                kind="paragraph",
                text=text,
                start=start,
                end=end,
                section=self.sections.path,
                section_title=self.sections.title,
                paragraph=ordinal if ordinal is not None else self.paragraph_no,
                heading=heading,
            )
        )

    def table(self, rows: list[list[str]]) -> None:
        rows = [[clean_line(c).strip() for c in r] for r in rows]
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        table = Table(index=len(self.tables) + 1)
        for r_no, cells in enumerate(rows, start=1):
            row_units = []
            for c_no, cell in enumerate(cells, start=1):
                sep = "\t" if c_no < len(cells) else "\n"
                start, end = self._emit(cell, sep)
                unit = Unit(
                    index=len(self.units),
                    kind="cell",
                    text=cell,
                    start=start,
                    end=end,
                    section=self.sections.path,
                    section_title=self.sections.title,
                    table=table.index,
                    row=r_no,
                    cell=c_no,
                )
                self.units.append(unit)
                row_units.append(unit)
            table.rows.append(row_units)
        self.tables.append(table)

    def build(self) -> Document:
        return Document(self.name, "".join(self.parts), self.units, self.tables, self.line_word)


# ---- formats -------------------------------------------------------------------------------------
def _heading_level(style_name: str) -> int | None:
    m = re.match(r"(?:Heading|Tiêu đề|Title)\s*(\d)?", style_name or "", re.IGNORECASE)
    if not m:
        return None
    return min(int(m.group(1) or 1), 4)


def _read_docx(data: bytes, name: str) -> Document:
    try:
        import docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds (zip, xml, KeyError)
        raise ReadError(f"Không đọc được tệp Word “{name}”: tệp hỏng hoặc không phải .docx.") from exc
    b = _Builder(name, "đoạn")
    # paragraph.style resolves the default style on every call (slow on long files): map ids once
    style_names = {s.style_id: s.name or "" for s in document.styles}
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            style_id = block._p.style
            b.paragraph(block.text, style_level=_heading_level(style_names.get(style_id, "")) if style_id else None)
        elif isinstance(block, DocxTable):
            rows = []
            for row in block.rows:
                cells, last = [], None
                for cell in row.cells:
                    if last is not None and cell._tc is last:  # a merged cell repeats: keep it once
                        continue
                    last = cell._tc
                    cells.append("\n".join(p.text for p in cell.paragraphs).strip())
                rows.append(cells)
            b.table(rows)
    return b.build()


def _split_md_row(line: str) -> list[str] | None:
    s = line.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        cells = [c.strip() for c in s[1:-1].split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            return []  # the separator row
        return cells
    return None


def _read_text(data: bytes, name: str) -> Document:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise ReadError(f"Không đọc được “{name}”: tệp văn bản không dùng bảng mã UTF-8.") from exc
    if "\x00" in text:
        raise ReadError(f"Không đọc được “{name}”: đây không phải tệp văn bản.")
    b = _Builder(name, "dòng")
    pending: list[list[str]] = []

    def flush() -> None:
        nonlocal pending
        if pending:
            b.table(pending)
            pending = []

    for line_no, line in enumerate(text.splitlines(), start=1):
        md = _split_md_row(line)
        if md is not None:
            if md:
                pending.append(md)
            b.paragraph_no = line_no
            continue
        cells = line.rstrip("\r\n").split("\t")
        if sum(1 for c in cells if c.strip()) >= 2:
            pending.append(cells)
            b.paragraph_no = line_no
            continue
        flush()
        b.paragraph_no = line_no - 1
        b.paragraph(line.strip(), ordinal=line_no)
    flush()
    return b.build()


def _check_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(
            f"Không kiểm tra được tệp “{name}”: chỉ nhận tệp Word (.docx), văn bản (.txt) hoặc Markdown (.md)."
            + (" Tệp .doc (Word cũ) cần lưu lại thành .docx." if suffix == ".doc" else "")
        )
    return suffix


def read_document(source: str | Path | BinaryIO | bytes, name: str | None = None) -> Document:
    """Read a .docx, .txt or .md report from a path, bytes or an open (uploaded) file."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or path.name
        _check_suffix(name)
        if not path.is_file():
            raise ReadError(f"Không tìm thấy tệp “{path}”.")
        if path.stat().st_size > MAX_BYTES:
            raise ReadError(f"Tệp “{name}” lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")
        data = path.read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read(MAX_BYTES + 1)
        name = name or getattr(source, "name", None)
        if len(data) > MAX_BYTES:
            raise ReadError(f"Tệp “{name}” lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")
    name = str(name or "báo cáo")
    suffix = _check_suffix(name)
    if not data:
        raise ReadError(f"Tệp “{name}” rỗng.")
    if suffix == ".docx":
        # the 10 MB cap counts compressed bytes: a 287 KB DOCX may hold 74 MB of text
        try:
            check_upload(data, name, UploadKind.DOCUMENT)
        except UploadRefused as exc:
            raise ReadError(str(exc)) from exc
        return _read_docx(data, name)
    return _read_text(data, name)
