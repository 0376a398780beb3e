"""Ghi hồ sơ: one writer per database, both sending the columns of :func:`written` — the spec's direct
columns (columns.py) and the fields computed from the file — so a column is declared once for both.

- SQLite: ``executemany`` on the raw connection inside the Django transaction, plain tuples with numbered
  parameters (a value used by two columns is bound once), secondary indexes dropped and rebuilt around a
  large first load.
- PostgreSQL: binary COPY of the import's numbers into a temporary table, then one INSERT … SELECT … ON
  CONFLICT (code) DO UPDATE that turns them into the dossier's columns.

The values come as a :data:`Batch`: per source name an array (days since 1970 and UTC minutes, −1 = none;
ENUM numbers; BOOL 1/0/−1; INT −1 = none), ``code`` a list of texts and ``row_hash`` bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from django.db import connection

from cchc.core.text import fold
from cchc.dossiers.importing.columns import COLUMNS, Column, Kind
from cchc.dossiers.importing.validation import NewProcedure, Proc
from cchc.dossiers.models import Dossier, Field, Outcome, Procedure, Source, Status, TimeUnit

Batch = dict[str, "np.ndarray | list[str]"]
ProgressFn = Callable[[int, str], None]
_WRITE_BATCH = 50_000
_REINDEX_MIN = 200_000  # rows written at once from which the secondary indexes are rebuilt (SQLite)
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
_COPY_CHUNK = 100_000


class Out(StrEnum):
    """How a written column is made from its source."""

    TEXT = "text"
    HASH = "hash"
    ID = "id"
    INT = "int"
    BOOL = "bool"
    ENUM = "enum"
    DAY = "day"
    MOMENT = "moment"


@dataclass(frozen=True)
class Written:
    column: str  # the dossier table's column
    source: str  # the Batch key
    out: Out
    labels: tuple[str, ...] = ()  # ENUM: stored value of each number
    keep: bool = False  # an optional column: a blank cell (NULL) does not overwrite the stored value

    def __post_init__(self) -> None:
        # Plain str, not the TextChoices members: sqlite3 binds an exact str directly, a str subclass
        # through its adaptation look-up (measured on a first load of 200.000 rows: 6,0–6,5 s of CPU with the
        # members, 5,3–5,4 s with plain str).
        object.__setattr__(self, "labels", tuple(str(getattr(v, "value", v)) for v in self.labels))


_OUT = {Kind.CODE: Out.TEXT, Kind.INT: Out.INT, Kind.BOOL: Out.BOOL, Kind.ENUM: Out.ENUM, Kind.DATE: Out.DAY}

# The fields computed from the file (not read straight from one column).
_COMPUTED = (
    Written("unit_id", "unit", Out.ID),
    Written("holder_id", "unit", Out.ID),
    Written("procedure_id", "proc", Out.ID),
    Written("field_id", "field", Out.ID),
    Written("status", "status", Out.ENUM, (Status.PROCESSING, Status.RETURNED)),
    Written("received_at", "received_utc", Out.MOMENT),
    Written("received_on", "ngay_tiep_nhan", Out.DAY),
    Written("original_due_on", "ngay_hen_tra", Out.DAY),
    Written("due_on", "ngay_hen_tra", Out.DAY),
    Written("apology_on", "apology", Out.DAY),
    Written("new_due_on", "ngay_hen_tra_moi", Out.DAY),
    Written("result_ready_on", "ngay_tra_ket_qua", Out.DAY),
    Written("returned_on", "ngay_tra_ket_qua", Out.DAY),
    Written("closed_on", "ngay_tra_ket_qua", Out.DAY),
    Written("outcome", "outcome", Out.ENUM, ("", Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE)),
    Written("row_hash", "row_hash", Out.HASH),
)


def written(optional: tuple[Column, ...]) -> tuple[Written, ...]:
    """The columns this file writes: the spec's direct ones (the optional ones only when the file has
    them: an absent column leaves the stored value as it is) and the computed ones."""
    direct = tuple(
        Written(Dossier._meta.get_field(c.field).column, c.name, _OUT[c.kind], tuple(c.codes), keep=bool(c.salt))
        for c in COLUMNS
        if c.field and (not c.salt or c.name in {o.name for o in optional})
    )
    return direct + _COMPUTED


def _constants(columns: set[str], job_id: int | None) -> dict[str, str]:
    """SQL literals for the columns the file does not fill: what Django would save for them (the defaults,
    empty texts), read from the model so that a column added later does not break the raw INSERT;
    nullable columns without a default stay NULL (the optional columns a file does not have among them)."""
    out = {"source": f"'{Source.IMPORT.value}'", "import_job_id": "NULL" if job_id is None else str(int(job_id))}
    for f in Dossier._meta.concrete_fields:
        if f.primary_key or f.column in columns or f.column in out or (f.null and not f.has_default()):
            continue
        # get_default(): the field's default, or "" for a text column without one (as Django saves it).
        value = f.get_db_prep_save(f.get_default(), connection)
        if value is None:
            continue
        if isinstance(value, bool):
            out[f.column] = "TRUE" if value else "FALSE"
        elif isinstance(value, int | float):
            out[f.column] = repr(value)
        elif isinstance(value, str):
            out[f.column] = "'" + value.replace("'", "''") + "'"
        else:
            raise TypeError(f"{f.column}: no SQL literal for the default {value!r}")
    return out


def write(batch: Batch, optional: tuple[Column, ...], job_id: int | None, progress: ProgressFn, staged=None) -> None:
    """Insert or update the dossiers of ``batch`` (only new and changed rows come here). ``staged`` is called
    when the rest is the database's work (PostgreSQL: the file is in the staging table)."""
    columns = written(optional)
    constants = _constants({w.column for w in columns}, job_id)
    if connection.vendor == "postgresql":
        _write_postgresql(batch, columns, constants, progress, staged or (lambda: None))
    else:
        _write_sqlite(batch, columns, constants, progress)


def _update_set(columns: tuple[Written, ...]) -> str:
    """The SET list of the upsert. An optional column's blank cell is "no data": it keeps what is stored (the
    fingerprint leaves blank cells out likewise, so a blank never makes a row "changed")."""
    table = Dossier._meta.db_table
    sets = [
        f"{w.column} = COALESCE(excluded.{w.column}, {table}.{w.column})"
        if w.keep
        else f"{w.column} = excluded.{w.column}"
        for w in columns
        if w.column != "code"
    ]
    return ", ".join([*sets, "source = excluded.source", "import_job_id = excluded.import_job_id"])


# ---- SQLite -------------------------------------------------------------------------------------------------


def _day_strings(a: np.ndarray) -> list[str | None]:
    """ISO dates of day numbers (−1 → None) through a table of the few hundred distinct days."""
    if not len(a):
        return []
    lo, hi = int(a[a >= 0].min()) if (a >= 0).any() else 0, int(a.max())
    lut = np.empty(hi - lo + 2, dtype=object)
    lut[:-1] = np.datetime_as_string(np.arange(lo, hi + 1).astype("datetime64[D]")).tolist()
    lut[-1] = None
    return lut[np.where(a >= 0, a - lo, hi - lo + 1)].tolist()


def _moment_strings(a: np.ndarray) -> list[str | None]:
    """'YYYY-MM-DD HH:MM:00' of UTC minute numbers (−1 → None)."""
    keys, inv = np.unique(a, return_inverse=True)
    text = np.datetime_as_string(np.maximum(keys, 0).astype("datetime64[m]")).tolist()
    lut = np.array(
        [None if k < 0 else f"{t[:10]} {t[11:]}:00" for k, t in zip(keys.tolist(), text, strict=True)] + [None]
    )
    return lut[inv.ravel()].tolist()


def _sqlite_values(w: Written, a: np.ndarray | list[str]) -> list:
    """The Python values sqlite3 binds for one written column."""
    if w.out == Out.TEXT:
        return a
    if w.out == Out.HASH:
        return a.astype("U32").tolist()
    if w.out == Out.ID:
        return a.tolist()
    if w.out == Out.DAY:
        return _day_strings(a)
    if w.out == Out.MOMENT:
        return _moment_strings(a)
    if w.out == Out.ENUM:
        return np.array(w.labels, dtype=object)[a.astype(np.int64)].tolist()
    if w.out == Out.BOOL:
        return np.array([0, 1, None], dtype=object)[a.astype(np.int64)].tolist()  # −1 → None
    values = a.astype(object)
    values[a < 0] = None
    return values.tolist()


def _write_sqlite(batch: Batch, columns: tuple[Written, ...], constants: dict[str, str], progress: ProgressFn) -> None:
    table = Dossier._meta.db_table
    # One parameter per distinct (source, kind): due_on and original_due_on bind the same value.
    params: dict[tuple[str, Out], int] = {}
    values: list[list] = []
    for w in columns:
        if (w.source, w.out) not in params:
            params[w.source, w.out] = len(values) + 1
            values.append(_sqlite_values(w, batch[w.source]))
    names = ", ".join((*(w.column for w in columns), *constants))
    marks = ", ".join([f"?{params[w.source, w.out]}" for w in columns] + list(constants.values()))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT (code) DO UPDATE SET {_update_set(columns)}"
    raw = connection.connection  # sqlite3 connection, inside the Django transaction
    # The default page cache (2 MB) makes every index insert of a big file spill to the OS: give this
    # connection room while it imports (it is per connection and harmless afterwards).
    raw.execute("PRAGMA cache_size = -262144")
    rows = list(zip(*values, strict=True))
    del values
    # A first load of many rows: drop the secondary indexes and build them again at the end (a sort
    # instead of a million random b-tree inserts). Same transaction: a failure restores them.
    indexes: list[str] = []
    stored = raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if len(rows) >= _REINDEX_MIN and len(rows) > stored:
        indexes = [
            s
            for (s,) in raw.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
            )
        ]
        for s in indexes:
            raw.execute(f"DROP INDEX {s.split()[2]}")
    for start in range(0, len(rows), _WRITE_BATCH):
        raw.executemany(sql, rows[start : start + _WRITE_BATCH])
        progress(65 + int(20 * (start + _WRITE_BATCH) / max(len(rows), 1)), "Đang ghi hồ sơ")
    for s in indexes:
        raw.execute(s)


# ---- PostgreSQL ---------------------------------------------------------------------------------------------


def _sql_text_array(values: tuple[str, ...]) -> str:
    return "(ARRAY[" + ", ".join(f"'{v}'" for v in values) + "])"


def _pg_expression(w: Written) -> str:
    """The SELECT expression turning the staged number into the column."""
    s = w.source
    return {
        Out.TEXT: s,
        Out.HASH: s,
        Out.ID: s,
        Out.INT: f"CASE WHEN {s} >= 0 THEN {s} END",
        Out.BOOL: f"CASE {s} WHEN 1 THEN TRUE WHEN 0 THEN FALSE END",
        Out.ENUM: f"{_sql_text_array(w.labels)}[{s} + 1]",
        Out.DAY: f"CASE WHEN {s} >= 0 THEN date '1970-01-01' + {s} END",
        Out.MOMENT: f"CASE WHEN {s} >= 0 THEN timestamptz '1970-01-01 00:00+00' + {s} * interval '1 minute' END",
    }[w.out]


def _stage_numbers(columns: tuple[Written, ...]) -> dict[str, str]:
    """The staged number columns and their types: identifiers and amounts bigint, the rest int4."""
    out: dict[str, str] = {}
    for w in columns:
        if w.out not in (Out.TEXT, Out.HASH):
            out.setdefault(w.source, "int8" if w.out in (Out.ID, Out.INT) else "int4")
    return out


def _copy_records(copy, batch: Batch, numbers: dict[str, str], code: str) -> None:
    """Binary COPY rows built by numpy, in the order of their codes: the unique index on ``code`` (which
    the ON CONFLICT probes) then takes them as appends to neighbouring pages instead of a million random
    b-tree descents — about twice as fast on a first load of a province-year."""
    codes = batch[code]
    encoded = [c.encode() for c in codes]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(codes))
    as_bytes = np.array(encoded, dtype=f"S{max(int(lengths.max()), 1)}")
    order = np.argsort(as_bytes)
    copy.write(_COPY_SIGNATURE)
    # One record layout per code length (a file's codes usually have one or two lengths).
    for length in np.unique(lengths).tolist():
        rows = order[lengths[order] == length]
        layout = [("nfields", ">i2")]
        for c, t in numbers.items():
            layout += [(f"{c}_len", ">i4"), (c, ">i8" if t == "int8" else ">i4")]
        layout += [("row_hash_len", ">i4"), ("row_hash", "S32"), ("code_len", ">i4"), ("code", f"S{length}")]
        for start in range(0, len(rows), _COPY_CHUNK):
            part = rows[start : start + _COPY_CHUNK]
            rec = np.empty(len(part), dtype=layout)
            rec["nfields"] = len(numbers) + 2
            for c, t in numbers.items():
                rec[f"{c}_len"] = 8 if t == "int8" else 4
                rec[c] = batch[c][part]
            rec["row_hash_len"] = 32
            rec["row_hash"] = batch["row_hash"][part]
            rec["code_len"] = length
            rec["code"] = as_bytes[part].astype(f"S{length}")  # drops only the padding
            copy.write(rec.tobytes())
    copy.write(b"\xff\xff")


def _write_postgresql(
    batch: Batch, columns: tuple[Written, ...], constants: dict[str, str], progress: ProgressFn, staged
) -> None:
    """COPY (binary) into a temporary table, then one INSERT … SELECT … ON CONFLICT (code) DO UPDATE."""
    table = Dossier._meta.db_table
    numbers = _stage_numbers(columns)
    code = next(w.source for w in columns if w.column == "code")
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE dossier_stage ("
            + ", ".join(f"{c} {t} NOT NULL" for c, t in numbers.items())
            + f", row_hash text NOT NULL, {code} text NOT NULL) ON COMMIT DROP"
        )
        stage_cols = ", ".join([*numbers, "row_hash", code])
        with cur.cursor.copy(f"COPY dossier_stage ({stage_cols}) FROM STDIN (FORMAT BINARY)") as copy:
            _copy_records(copy, batch, numbers, code)
        progress(75, "Đang ghi hồ sơ")
        staged()
        cur.execute(
            f"INSERT INTO {table} ({', '.join((*(w.column for w in columns), *constants))}) "
            f"SELECT {', '.join((*map(_pg_expression, columns), *constants.values()))} FROM dossier_stage "
            f"ON CONFLICT (code) DO UPDATE SET {_update_set(columns)}"
        )
        cur.execute("DROP TABLE dossier_stage")  # a second import in the same transaction makes its own


# ---- the catalogue ------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")[:40] or "khac"


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def create_procedures(news: dict[str, NewProcedure], procs: dict[str, Proc]) -> None:
    """Procedures the file names with a name and a time: created with the field given (by code, else by
    exact name, else a new field). Runs under the catalogue lock: what a concurrent import created
    meanwhile is taken as it is, never created twice."""
    if not news:
        return
    for p in Procedure.objects.filter(code__in=list(news)):
        procs[p.code] = Proc(p.pk, p.field_id, p.time_unit, p.time_value, -1)
    news = {code: new for code, new in news.items() if procs.get(code) is None or procs[code].pk is None}
    by_code = {f.code: f for f in Field.objects.all()}
    by_name = {_folded(f.name): f for f in by_code.values()}
    for code, new in news.items():
        text = new.field_text.strip() or "Lĩnh vực khác"
        field = by_code.get(text) or by_name.get(_folded(text))
        if field is None:
            slug = _slug(text)
            field = by_code.get(slug) or Field.objects.get_or_create(code=slug, defaults={"name": text})[0]
            by_code[slug] = field
            by_name[_folded(text)] = field
        p = Procedure.objects.create(
            code=code, name=new.name[:500], field=field, time_unit=TimeUnit.DAYS, time_value=new.days
        )
        procs[code] = Proc(p.pk, field.pk, TimeUnit.DAYS, new.days, -1)
