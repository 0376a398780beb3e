"""Nạp hồ sơ từ tệp xuất của hệ thống một cửa cấp tỉnh: ``cchc dossiers import FILE``.

One declared column specification (columns.py) drives the steps, each its own module:
reading.py (CSV/XLSX into columns) → validation.py (column-wise checks, every bad row named; due dates) →
planning.py (classification, fingerprints; new / changed / unchanged) → writing.py (one writer per
database) → summary.py (the statistics summary's deltas, cached indicator values marked stale). All or
nothing: any bad row rejects the file; the write is one transaction. Speed: bench/dossiers_bench.py
(docs/dossiers.md, Benchmark).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction

from cchc.core import audit
from cchc.core.importing import ImportResult
from cchc.dossiers import summary as stat_summary
from cchc.dossiers.importing import locking, planning, reading, summary, validation, writing
from cchc.dossiers.importing.columns import COLUMNS, Column
from cchc.dossiers.importing.reading import read_mapping
from cchc.dossiers.importing.template import template_bytes
from cchc.dossiers.models import ImportJob

__all__ = ["COLUMNS", "Column", "import_dossiers", "read_mapping", "template_bytes"]

ProgressFn = Callable[[int, str], None]


def _noop(_: int, __: str) -> None:
    pass


def import_dossiers(
    path: Path | str,
    *,
    actor: Any,
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
    content: bytes | None = None,
    progress: ProgressFn = _noop,
    job: ImportJob | None = None,
) -> ImportResult:
    """Nạp tệp hồ sơ (CSV UTF-8 hoặc XLSX). Raises ImportRejected with every bad row (first 1.000)."""
    progress(1, "Đang đọc tệp")
    table = reading.read_columns(path, content, mapping)
    total_rows = table.total_rows
    progress(20, f"Đang kiểm tra {table.n:,} dòng".replace(",", "."))
    checked = validation.check(table, actor, progress)
    del table
    meaning = planning.meaning(checked)
    progress(55, "Đang đối chiếu với dữ liệu đã có")

    result = ImportResult(dry_run=dry_run)
    with locking.foreign_keys_checked_here() as check_here, transaction.atomic():
        if not dry_run:
            # Before reading what exists: a concurrent import of the same units waits here until this one
            # commits, so both never count the same new dossier into the summary.
            locking.lock_units(checked.unit, catalogue=bool(checked.new_procs))
        plan = planning.plan(checked.codes, meaning.fingerprints)
        result.created, result.updated, result.unchanged = plan.created, plan.updated, plan.unchanged
        result.details = {"rows": total_rows, "new_procedures": len(checked.new_procs)}
        if dry_run or not len(plan.write):
            progress(100, "Hoàn thành")
            if not dry_run:
                _audit(actor, job, path, {**result.__dict__})
            return result
        _write(checked, meaning, plan, job, progress, check_here)
        _audit(
            actor,
            job,
            path,
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged, "rows": total_rows},
        )
    progress(100, "Hoàn thành")
    return result


def _audit(actor: Any, job: ImportJob | None, path: Path | str, data: dict[str, Any]) -> None:
    """One audit row per import; its object id (64 characters at most) is the job, else the file's name
    (the full path is in the data)."""
    object_id = str(job.pk) if job else Path(str(path)).name[-64:]
    audit.record(actor, audit.Verb.DOSSIER_IMPORT, ("dossiers.importjob", object_id), data={"file": str(path), **data})


def _batch(checked: validation.Checked, meaning: planning.Meaning, w: np.ndarray) -> writing.Batch:
    """The rows to write (indexes ``w`` of the good rows) as the writers take them: the typed columns by
    name, the computed values, and the procedures' keys (created ones included)."""
    procs = [checked.procs[c] for c in checked.proc_keys]
    proc_pk = np.array([p.pk or 0 for p in procs], dtype=np.int64)[checked.proc_inv]
    proc_field = np.array([p.field_id or 0 for p in procs], dtype=np.int64)[checked.proc_inv]
    batch: writing.Batch = {name: values[w] for name, values in checked.values.items()}
    batch.update(
        ma_ho_so=checked.codes if len(w) == checked.count else [checked.codes[k] for k in w.tolist()],
        unit=checked.unit[w],
        proc=proc_pk[w],
        field=proc_field[w],
        status=(batch["ngay_tra_ket_qua"] >= 0).astype(np.int64),
        received_utc=meaning.received_utc[w],
        apology=meaning.apology[w],
        outcome=meaning.outcome[w],
        row_hash=meaning.fingerprints[w],
    )
    return batch


def _write(
    checked: validation.Checked,
    meaning: planning.Meaning,
    plan: planning.Plan,
    job: ImportJob | None,
    progress: ProgressFn,
    check_here: bool,
) -> None:
    """Write the new and changed rows and the summary's deltas, inside the import's transaction."""
    progress(65, "Đang ghi hồ sơ")
    before = summary.old_events([checked.codes[k] for k in plan.changed.tolist()])
    writing.create_procedures(checked.new_procs, checked.procs)
    batch = _batch(checked, meaning, plan.write)
    after = stat_summary.StatEvents(
        unit=batch["unit"],
        field=batch["field"],
        channel=batch["kenh"],
        received=batch["ngay_tiep_nhan"],
        due=batch["ngay_hen_tra"],
        closed=batch["ngay_tra_ket_qua"],
        state=batch["outcome"].astype(np.int64),
        apology=batch["apology"],
    )
    job_id = job.pk if job else None
    # The summary rows are computed in a second thread while the database writes the dossiers (sqlite3 and
    # psycopg release the GIL while the database works). On PostgreSQL from when the file is in the staging
    # table: before that the main thread needs the GIL itself.
    pg = connection.vendor == "postgresql"
    with ThreadPoolExecutor(max_workers=1) as pool:
        stat_rows = [] if pg else [pool.submit(summary.stat_rows, before, after, False)]

        def staged() -> None:
            stat_rows.append(pool.submit(summary.stat_rows, before, after, True))

        triggers = locking.postgresql_foreign_key_triggers_off()
        if triggers is not None:
            # What the skipped triggers would have done, once per distinct id: lock the referenced rows (FOR
            # KEY SHARE, so they cannot be deleted before this commits) and check they exist. The summary
            # rows refer to the same units and fields, and to those of the changed dossiers.
            locking.check_references(
                np.concatenate([after.unit, before.unit if before else after.unit[:0]]),
                batch["proc"],
                np.concatenate([after.field, before.field if before else after.field[:0]]),
                job_id,
            )
        writing.write(batch, checked.optional, job_id, progress, staged)
        if check_here:
            locking.check_references(after.unit, batch["proc"], after.field, job_id)
        progress(88, "Đang cập nhật bảng tổng hợp")
        summary.write(stat_rows[0].result())
        locking.restore_triggers(triggers)
    summary.mark_figures_stale(after, before)
