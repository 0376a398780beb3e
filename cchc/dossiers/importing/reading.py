"""Đọc tệp hồ sơ: CSV UTF-8 (dấu phẩy hoặc chấm phẩy) or XLSX into one list of cells per column of the spec.

A plain CSV (no quoted cell, every line as wide as the header — what the provincial systems export) is split
by ``str.split`` (in C, a fifth of the csv module's time on a million rows); anything else goes through
:func:`cchc.core.tabular.read_table`, which also gives the encoding and broken-file errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from pathlib import Path

import numpy as np
import yaml

from cchc.core.importing import ErrorCollector, ImportRejected, RowError
from cchc.core.tabular import SPREADSHEETS, csv_delimiter, find_columns, read_table
from cchc.core.uploads import UploadKind, check_upload
from cchc.dossiers.importing.columns import BY_NAME, REQUIRED, header_lookup


@dataclass
class Table:
    """The file column-wise: the spec's columns present in it (stripped cells), the file row number of
    each kept row (the header is row 1) and the count of data rows read."""

    cells: dict[str, list[str]]
    rownum: np.ndarray
    total_rows: int

    @property
    def n(self) -> int:
        return len(self.rownum)

    def has(self, name: str) -> bool:
        return name in self.cells

    def column(self, name: str) -> list[str]:
        """The cells of a column; an absent column reads as blank cells."""
        return self.cells[name] if name in self.cells else [""] * self.n


def read_mapping(path: Path | str | None) -> dict[str, str]:
    """Tệp ánh xạ cột: YAML ``{nhãn trong tệp: tên cột chuẩn}`` or CSV lines ``nhãn,tên cột chuẩn``."""
    if not path:
        return {}
    text = Path(path).read_text(encoding="utf-8-sig")
    if str(path).lower().endswith((".yaml", ".yml")):
        raw = yaml.safe_load(text) or {}
        mapping = {str(k): str(v) for k, v in raw.items()}
    else:
        mapping = {}
        for line in text.splitlines():
            if "," in line:
                label, _, canonical = line.rpartition(",")
                mapping[label.strip()] = canonical.strip()
    bad = [v for v in mapping.values() if v not in BY_NAME]
    if bad:
        raise ImportRejected([RowError(None, "", v, "Tệp ánh xạ chỉ tới cột không có trong mẫu chuẩn.") for v in bad])
    return mapping


def map_header(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Column name → index in the file: the first header matching the name, an alias or the label."""
    return find_columns(header, header_lookup(mapping))


def plain_csv(path: Path | str, content: bytes | None) -> tuple[list[str], list[list[str]]] | None:
    """Header and columns of a plain CSV file, split by ``str.split``. None for anything else (Excel,
    quotes, ragged or blank lines, not UTF-8). Same delimiter rule as read_table."""
    if str(path).lower().endswith(SPREADSHEETS):
        return None
    try:
        raw = content if content is not None else Path(path).read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    del raw
    delimiter = csv_delimiter(text)
    if '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    del text
    if lines and not lines[-1]:
        lines.pop()
    if len(lines) < 2:
        return None
    width = lines[0].count(delimiter) + 1
    if set(map(str.count, lines, repeat(delimiter))) != {width - 1}:
        return None
    cells = delimiter.join(lines).split(delimiter)
    del lines
    return [h.strip() for h in cells[:width]], [cells[width + i :: width] for i in range(width)]


def _check_required(idx: dict[str, int]) -> None:
    missing = [c for c in REQUIRED if c not in idx]
    if missing:
        collector = ErrorCollector()
        for c in missing:
            collector.add(1, c, "", f"Thiếu cột “{c}” (xem mẫu tiêu đề trong docs/dossiers.md).")
        collector.raise_if_any()


def _rows_kept(rows: list[list[str]], width: int) -> tuple[list[list[str]], np.ndarray]:
    """Rows of the csv module or a sheet, and their file row numbers: blank short rows are skipped (an
    Excel sheet's trailing rows), other short ones padded."""
    rownum = np.arange(2, len(rows) + 2, dtype=np.int64)
    if not rows or min(map(len, rows)) >= width:
        return rows, rownum
    keep = []
    for k, r in enumerate(rows):
        if len(r) < width:
            if not any(x.strip() for x in r):
                continue
            rows[k] = [*r, *([""] * (width - len(r)))]
        keep.append(k)
    return [rows[k] for k in keep], rownum[keep]


def read_columns(path: Path | str, content: bytes | None, mapping: dict[str, str] | None) -> Table:
    """The file's columns of the spec (required ones checked), every cell stripped."""
    # The upload guard before the file is read whole: size, ZIP bombs, claimed and real used ranges.
    check_upload(content if content is not None else path, str(path), UploadKind.TABLE)
    plain = plain_csv(path, content)
    if plain is not None:
        header, table = plain
        idx = map_header(header, mapping)
        _check_required(idx)
        cells = {name: list(map(str.strip, table[i])) for name, i in idx.items()}
        total = len(table[0])
        return Table(cells, np.arange(2, total + 2, dtype=np.int64), total)
    header, row_iter = read_table(path, content)
    idx = map_header(header, mapping)
    _check_required(idx)
    rows = row_iter if isinstance(row_iter, list) else list(row_iter)
    total = len(rows)
    rows, rownum = _rows_kept(rows, max(idx.values()) + 1)
    cells = {name: list(map(str.strip, map(itemgetter(i), rows))) for name, i in idx.items()}
    return Table(cells, rownum, total)
