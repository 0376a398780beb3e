"""Nhập số liệu chỉ tiêu từ tệp như một công việc nền (cchc.jobs).

The upload page saves the file (MEDIA_ROOT, which every app server and worker of a province shares, as
for dossier imports) and queues a *check* (kiểm tra thử: the preview, nothing saved); the confirmation
queues the *import* of the same file. A small file runs in the request, through the same handler a worker
runs. The import writes in one transaction (``importing.import_rows``): a worker killed mid-way leaves no
figure, and the next worker runs it again (the file is deleted only when the job has ended).

The CLI ``cchc indicators import`` stays synchronous: it is already a batch command.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from cchc.core.importing import ImportRejected, RowError
from cchc.core.params import parse_int
from cchc.indicators import importing
from cchc.indicators.rules import Importance, Outcome
from cchc.jobs import kinds
from cchc.jobs import services as jobs
from cchc.jobs.kinds import Progress
from cchc.jobs.models import Job, JobStatus

KIND = "indicators.import"
# bytes: a smaller file runs in the request. Measured on the 2-core test machine under load 8: 3.000 rows
# (163 KB) checked in 0,26 s and imported in 1,3 s on SQLite (0,16 s and 0,96 s on PostgreSQL).
INLINE_LIMIT = 200_000
PREVIEW_ROWS = 1000  # rows of the preview kept in the job's result (the counts cover every row)
KEEP_UNCONFIRMED = 24 * 3600  # seconds a checked file waits for its confirmation
EXPIRED = "Tệp đã hết hạn hoặc đã được nhập; hãy chọn lại tệp."


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "indicator_imports"


def _purge_unconfirmed(folder: Path) -> None:
    stale = time.time() - KEEP_UNCONFIRMED
    for old in folder.iterdir():
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)


def start_check(user: Any, upload: UploadedFile, *, inline: bool | None = None) -> Job:
    """Lưu tệp tải lên và kiểm tra thử (không lưu số liệu). ``inline`` (default: small files) runs it now."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _purge_unconfirmed(folder)
    name = Path(upload.name).name.replace("\x00", "")[:200]
    path = folder / f"{secrets.token_urlsafe(16)}{Path(name).suffix.lower()[:8]}"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    run_now = upload.size <= INLINE_LIMIT if inline is None else inline
    params = {"file": str(path), "name": name, "dry_run": True}
    return jobs.enqueue(
        KIND, label=f"Kiểm tra tệp số liệu {name}", actor=user, unit=user.unit, params=params, inline=run_now
    )


def checked_preview(user: Any, job_id: str) -> Job | None:
    """The user's finished check of a file, if ``job_id`` names one (the confirmation's ``ma``)."""
    pk = parse_int(job_id)
    if pk is None:
        return None
    return Job.objects.filter(pk=pk, kind=KIND, actor=user, status=JobStatus.DONE, params__dry_run=True).first()


def start_import(user: Any, preview: Job, *, inline: bool | None = None) -> Job | None:
    """Nhập tệp đã kiểm tra thử; None when it was imported already or has expired.

    The file is claimed by renaming it: of two confirmations sent at once, one finds it gone."""
    source = Path(preview.params["file"])
    claimed = source.with_name(f"{source.name}.nhap-{preview.pk}")
    try:
        source.rename(claimed)
    except FileNotFoundError:
        return None
    name = preview.params["name"]
    run_now = claimed.stat().st_size <= INLINE_LIMIT if inline is None else inline
    params = {"file": str(claimed), "name": name, "dry_run": False, "preview": preview.pk}
    return jobs.enqueue(
        KIND, label=f"Nhập tệp số liệu {name}", actor=user, unit=user.unit, params=params, inline=run_now
    )


@kinds.register(KIND, max_attempts=2, atomic=True, result_template="indicators/_import_result.html")
def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    """The worker's side (or the request's, for a small file): check, or check and write in one transaction."""
    path, dry_run = Path(job.params["file"]), bool(job.params["dry_run"])
    if job.actor is None:  # the figures are checked against the uploader's scope: no user, no import
        raise ImportRejected([RowError(None, "", "", "Tài khoản đã tải tệp lên không còn; hãy tải lại tệp.")])
    if not path.exists():
        raise ImportRejected([RowError(None, "", "", EXPIRED)])
    # A checked file waits for its confirmation; an imported or refused one is no longer needed. A killed
    # worker never gets to the unlink: the file stays for the next attempt.
    try:
        result = importing.import_file(
            job.actor, job.params["name"], content=path.read_bytes(), dry_run=dry_run, progress=progress
        )
    except ImportRejected:
        if not dry_run:
            path.unlink(missing_ok=True)
        raise
    if not dry_run:
        path.unlink(missing_ok=True)
    return _result(result)


def _result(result: importing.FigureImport) -> dict[str, Any]:
    rows = []
    for r in result.rows[:PREVIEW_ROWS]:
        # figures as plain decimals (the page prints them the Vietnamese way), names for the reader
        value, old = (None if v is None else str(v) for v in (r.value, r.old))
        rows.append(
            {**r.as_dict(), "value": value, "old": old, "unit_name": r.unit.name, "action_label": r.action.label}
        )
    data = result.as_dict()
    data.update({"changes": result.changes, "row_total": len(result.rows), "rows": rows})
    return data


# ---- phân tích kiểm tra cả một địa bàn (every unit under a province or district, several periods) ----------
ANALYSIS = "indicators.analysis"
ANALYSIS_INLINE_UNITS = 5  # an area of this many units or fewer is analysed in the request
ANALYSIS_ROWS = 2000  # results kept in the job's row (the count covers them all)


def analysis_runs_inline(unit: Any) -> bool:
    """A small area (a commune and its sections) is analysed at once; a bigger one only as a job."""
    from cchc.org.selectors import load_graph

    return len(load_graph().descendants_ever(unit.pk)) <= ANALYSIS_INLINE_UNITS


def start_analysis(user: Any, unit: Any, first: Any, last: Any, *, inline: bool | None = None) -> Job:
    """Phân tích kiểm tra ``unit`` và mọi đơn vị trực thuộc từ kỳ ``first`` đến ``last`` (a job)."""
    return jobs.enqueue(
        ANALYSIS,
        label=f"Phân tích kiểm tra số liệu: {unit.name}, {first.code} – {last.code}",
        actor=user,
        unit=unit,
        params={"unit": unit.code, "first": first.code, "last": last.code},
        inline=analysis_runs_inline(unit) if inline is None else inline,
    )


@kinds.register(ANALYSIS, max_attempts=2, atomic=False, result_template="indicators/_analysis_result.html")
def run_analysis(job: Job, progress: Progress) -> dict[str, Any]:
    """The rules over every unit and period (validation.analyse, the reviewer's scope); it writes nothing but
    the computed-figure cache, so a killed run is simply run again."""
    from cchc.core.vnformat import format_number
    from cchc.indicators import validation
    from cchc.indicators.models import Indicator
    from cchc.indicators.provenance import codes_to_names

    if job.actor is None:
        raise ImportRejected([RowError(None, "", "", "Tài khoản đã yêu cầu phân tích không còn.")])
    p = job.params
    results = validation.analyse(p["unit"], p["first"], p["last"], user=job.actor, progress=progress)
    names = dict(Indicator.objects.values_list("code", "name")) if results else {}
    rows = []
    for r in results[:ANALYSIS_ROWS]:
        if r.status != Outcome.ERROR and r.left is not None:
            figures = f"{format_number(r.left)} {r.rule.operator} {format_number(r.right)}"
        else:
            figures = r.reason
        rows.append(
            {
                "importance": Importance(r.rule.importance).label,
                "period": r.period.code,
                "period_name": getattr(r.period, "name", "") or r.period.code,
                "unit": r.unit.code,
                "unit_name": r.unit.name,
                "message": r.rule.message,
                "rule": codes_to_names(r.rule.text, names, {}),
                "figures": figures,
            }
        )
    summary = f"Tìm thấy {format_number(len(results))} sai lệch." if results else "Không có sai lệch nào."
    return {"summary": summary, "total": len(results), "rows": rows, **p}
