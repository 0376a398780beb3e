"""Đối chiếu với dữ liệu đã có: what each row means (classification, fingerprint) and, against the stored
fingerprints, which rows are new, changed or unchanged. Only the new and changed rows are written.

The fingerprint (``Dossier.row_hash``) says what a row means, not how it was written: a re-export in another
date format changes nothing. The optional columns (QĐ 766) enter it only where the file has a value, so the
rows imported before those columns existed keep their fingerprint.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from django.db import connection

from cchc.dossiers.importing.validation import Checked
from cchc.dossiers.models import Dossier

# Outcome numbers of the import (and of summary.StatEvents.state): index into OUTCOMES.
PENDING, EARLY, ON_TIME, LATE = 0, 1, 2, 3
_GOLDEN = 0x9E3779B97F4A7C15
_HEX = np.array([f"{i:02x}" for i in range(256)], dtype="S2")


@dataclass
class Meaning:
    """Per good row: the values computed from the file. Days since 1970 and UTC minutes, −1 = none."""

    outcome: np.ndarray  # PENDING … LATE
    apology: np.ndarray  # apology day: the original due date (the file does not say when it was issued)
    received_utc: np.ndarray
    fingerprints: np.ndarray  # 32 hex digits as bytes


@dataclass
class Plan:
    """Indexes of the good rows to write (new or changed) and of the changed ones; the counts."""

    write: np.ndarray
    changed: np.ndarray
    created: int
    updated: int
    unchanged: int


def code_digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def fingerprints(parts: list[np.ndarray], optional: list[tuple[int, np.ndarray]] = ()) -> np.ndarray:
    """128-bit fingerprints (32 hex digits as ASCII bytes) of rows given column-wise as integer arrays: two
    independent 64-bit lanes of splitmix64 over the values, for all rows at once. ``optional``: (salt,
    values) mixed in only where the value is not −1."""
    n = len(parts[0]) if parts else 0
    with np.errstate(over="ignore"):
        lanes = []
        for seed in (_GOLDEN, 0xD1B54A32D192ED03):
            h = np.full(n, seed, dtype=np.uint64)
            salted = [(i + 1, p, None) for i, p in enumerate(parts)] + [(s, p, p >= 0) for s, p in optional]
            for salt, p, where in salted:
                v = p.astype(np.int64).view(np.uint64)
                mixed = _mix(h ^ _mix(v + np.uint64(salt * _GOLDEN & 0xFFFFFFFFFFFFFFFF)))
                h = mixed if where is None else np.where(where, mixed, h)
            lanes.append(h)
    raw = np.stack(lanes, axis=1).astype(">u8").view(np.uint8).reshape(n, 16)
    return _HEX[raw].view("S32").ravel()


def meaning(checked: Checked) -> Meaning:
    """Classification and fingerprint of every good row."""
    v = checked.values
    rec, due, ret = v["ngay_tiep_nhan"], v["ngay_hen_tra"], v["ngay_tra_ket_qua"]
    returned = ret >= 0
    outcome = np.where(~returned, PENDING, np.where(ret < due, EARLY, np.where(ret == due, ON_TIME, LATE)))
    # The file does not say when the apology was issued: it is dated the original due date, the last day
    # on which it should have been (docs/dossiers.md).
    apology = np.where(v["da_xin_loi"] == 1, due, -1)
    minute = checked.received_minute
    # Receipt moment in UTC minutes since 1970 (the file's times are Vietnamese, UTC+7).
    received_utc = np.where(minute >= 0, rec * 1440 + minute - 420, -1)
    # Procedure and unit enter by their codes (a digest of each distinct code). The order and the numbers
    # of these parts are those of every fingerprint stored so far: never change them.
    parts = [
        np.array([code_digest(c) for c in checked.unit_keys], dtype=np.uint64)[checked.unit_inv],
        np.array([code_digest(c) for c in checked.proc_keys], dtype=np.uint64)[checked.proc_inv],
        v["kenh"],
        v["muc_do"],
        rec,
        received_utc,
        due,
        ret,
        apology,
        v["ngay_hen_tra_moi"],
    ]
    optional = [(c.salt, v[c.name]) for c in checked.optional]
    return Meaning(outcome.astype(np.int8), apology, received_utc, fingerprints(parts, optional))


def plan(codes: list[str], fps: np.ndarray) -> Plan:
    """New, changed and unchanged rows against the stored fingerprints (inside the import's transaction)."""
    count = len(codes)
    old_hash = existing_hashes(codes)
    if old_hash:
        olds = [old_hash.get(c) for c in codes]
        is_new = np.fromiter((h is None for h in olds), dtype=bool, count=count)
        same = ~is_new & (np.array([h or "" for h in olds], dtype="U32") == fps.astype("U32"))
    else:
        is_new, same = np.ones(count, dtype=bool), np.zeros(count, dtype=bool)
    changed = np.flatnonzero(~is_new & ~same)
    return Plan(np.flatnonzero(~same), changed, int(is_new.sum()), len(changed), int(same.sum()))


def copy_text(value: str) -> str:
    """A value for PostgreSQL's COPY text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def existing_hashes(codes: list[str]) -> dict[str, str]:
    """code → row_hash of the dossiers already stored among ``codes``: the whole table in one read when it
    is not much bigger than the file, else a join with the file's codes in a temporary table."""
    table = Dossier._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        stored = cur.fetchone()[0]
        if not stored:
            return {}
        if stored <= 4 * len(codes):
            cur.execute(f"SELECT code, row_hash FROM {table}")
            return dict(cur.fetchall())
        if connection.vendor == "postgresql":
            cur.execute("DROP TABLE IF EXISTS dossier_import_codes")
            cur.execute("CREATE TEMP TABLE dossier_import_codes (code varchar(80)) ON COMMIT DROP")
            with cur.cursor.copy("COPY dossier_import_codes (code) FROM STDIN") as copy:
                for start in range(0, len(codes), 50_000):
                    copy.write("".join(copy_text(c) + "\n" for c in codes[start : start + 50_000]))
        else:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS dossier_import_codes (code TEXT)")
            cur.execute("DELETE FROM dossier_import_codes")
            connection.connection.executemany(
                "INSERT INTO dossier_import_codes (code) VALUES (?)", ((c,) for c in codes)
            )
        cur.execute(f"SELECT d.code, d.row_hash FROM dossier_import_codes i JOIN {table} d ON d.code = i.code")
        found = dict(cur.fetchall())
        if connection.vendor != "postgresql":
            cur.execute("DELETE FROM dossier_import_codes")
        return found
