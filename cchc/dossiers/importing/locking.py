"""What keeps a fast import correct beside other writers: locks on the units it writes, and the foreign keys
checked once per distinct id instead of once per row (the per-row checks switched off for its own
transaction only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from django.db import DatabaseError, connection, transaction

from cchc.core.importing import ImportRejected, RowError
from cchc.dossiers.models import Field, ImportJob, Procedure
from cchc.org.models import OrgUnit

# Advisory-lock namespace of the dossier import ("CCHC"); key 0 is the procedure catalogue, others unit ids.
_LOCK_NAMESPACE = 0x43434843


def lock_units(unit_ids: np.ndarray, *, catalogue: bool) -> None:
    """Serialise imports of the same units (and catalogue additions) until this transaction ends.

    PostgreSQL: transaction-level advisory locks, taken in key order so two imports never deadlock.
    SQLite: nothing to do — its IMMEDIATE transactions already let one writer in at a time."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({int(u) for u in np.unique(unit_ids).tolist()} | ({0} if catalogue else set()))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(pg_advisory_xact_lock(%s, k)) FROM (SELECT unnest(%s::int[]) AS k ORDER BY 1) AS s",
            [_LOCK_NAMESPACE, keys],
        )


@contextmanager
def foreign_keys_checked_here() -> Iterator[bool]:
    """SQLite checks every foreign key of every inserted row (a quarter of the write time). The import has
    looked every unit, procedure and field up itself, so for its own transaction the per-row checks are
    turned off and :func:`check_references` checks the distinct ids once, inside the same (write-locked)
    transaction. The switch only works outside a transaction: nested in another one, nothing changes."""
    off = connection.vendor == "sqlite" and not connection.in_atomic_block
    if off:
        with connection.cursor() as cur:
            cur.execute("PRAGMA foreign_keys = OFF")
    try:
        yield off
    finally:
        if off:
            with connection.cursor() as cur:
                cur.execute("PRAGMA foreign_keys = ON")


def postgresql_foreign_key_triggers_off() -> str | None:
    """PostgreSQL checks a foreign key with a trigger per row and key: for a million dossiers (unit,
    holder, procedure, field) four million look-ups queued to the commit — more time than writing the rows.
    ``session_replication_role = replica`` skips those triggers for this transaction only (the
    constraints stay; every other write is checked as before). Allowed to superusers and, from
    PostgreSQL 15, to a role given ``GRANT SET ON PARAMETER session_replication_role``; otherwise the
    triggers run as usual (slower, same result). Returns the setting to restore, or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")  # only the last milliseconds' durability
        cur.execute("SELECT current_setting('session_replication_role')")
        previous = cur.fetchone()[0]
        try:
            with transaction.atomic():  # a refusal must not abort the import's transaction
                cur.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            return None
    return previous


def restore_triggers(previous: str | None) -> None:
    if previous is not None:
        with connection.cursor() as cur:
            cur.execute("SELECT set_config('session_replication_role', %s, true)", [previous])


def check_references(units: np.ndarray, procedures: np.ndarray, fields: np.ndarray, job_id: int | None) -> None:
    """The referenced rows exist (inside the import's transaction; on PostgreSQL also locked FOR KEY SHARE
    as the foreign-key triggers lock them)."""
    for model, ids in (
        (OrgUnit, units),
        (Procedure, procedures),
        (Field, fields),
        (ImportJob, np.array([] if job_id is None else [job_id])),
    ):
        wanted = set(np.unique(ids).tolist())
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"SELECT id FROM {model._meta.db_table} WHERE id = ANY(%s) FOR KEY SHARE", [sorted(wanted)])
                found = {pk for (pk,) in cur.fetchall()}
        else:
            found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - found:
            raise ImportRejected(
                [
                    RowError(
                        None,
                        "",
                        ", ".join(str(i) for i in sorted(wanted - found)),
                        f"Có {model._meta.verbose_name} vừa bị xóa trong lúc nạp; hãy nạp lại tệp.",
                    )
                ]
            )
