"""Nạp điểm: the scores of units assessed elsewhere, from a CSV file (``cchc parindex import-scores``).

All rows or none: every bad value is named with its row and column, and any error rejects the file. Loading
the same file twice changes nothing. A unit whose every applicable sub-criterion then has an appraised score
gets its official result.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.importing import ErrorCollector, ImportResult
from cchc.core.vnformat import VietnameseParseError, format_number, parse_number
from cchc.org.models import OrgUnit
from cchc.parindex.models import Assessment, Criterion, Framework, Score, Status
from cchc.parindex.services._common import actor_label, audit_value
from cchc.parindex.services.assessment import finalise, start_assessment

IMPORT_COLUMNS = ("don_vi", "ma_tieu_chi", "diem_tu_cham", "diem_tham_dinh", "ghi_chu")
SCORE_COLUMNS = ("diem_tu_cham", "diem_tham_dinh")


@dataclass
class _Row:
    line: int
    unit: OrgUnit
    criterion: Criterion
    self_score: Decimal | None
    appraised: Decimal | None
    note: str


@dataclass
class _Lookups:
    """What every row is checked against, read once: the units by code, the set's sub-criteria by code,
    and the (unit, criterion) pairs already seen with their row."""

    framework: Framework
    units: dict[str, OrgUnit]
    criteria: dict[str, Criterion]
    seen: dict[tuple[str, str], int]


def import_scores(
    source: Path | str | io.TextIOBase, framework: Framework, actor: Any, dry_run: bool = False
) -> ImportResult:
    """Nạp điểm của các đơn vị đã chấm ở nơi khác (CSV: don_vi, ma_tieu_chi, diem_tu_cham, diem_tham_dinh,
    ghi_chu; either score may be empty). All rows or none; loading the same file twice changes nothing.
    A unit whose every applicable sub-criterion then has an appraised score gets its official result."""
    text = source.read() if hasattr(source, "read") else Path(source).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    errors = ErrorCollector()
    _check_header(reader, errors)
    rows = _read_rows(reader, framework, errors)
    errors.raise_if_any()
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        touched: dict[int, Assessment] = {}
        for row in rows:
            _write_row(row, _assessment_for(row, framework, actor, touched), actor, errors, result)
        errors.raise_if_any()
        result.details = {"units": len(touched), "finalised": _finalise_complete(actor, touched.values())}
        if dry_run:
            transaction.set_rollback(True)
    return result


def _check_header(reader: csv.DictReader, errors: ErrorCollector) -> None:
    """The unit and criterion columns and at least one score column, or the file is refused at once."""
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("don_vi", "ma_tieu_chi") if c not in header]
    if missing or not any(c in header for c in SCORE_COLUMNS):
        errors.add(
            1, ", ".join(missing) or "diem_tu_cham", "", "thiếu cột; tệp cần các cột " + ", ".join(IMPORT_COLUMNS) + "."
        )
        errors.raise_if_any()


def _read_rows(reader: csv.DictReader, framework: Framework, errors: ErrorCollector) -> list[_Row]:
    """Every row checked (row 2 is the first under the header); a row with an error is named and left out."""
    lookups = _Lookups(
        framework,
        units={u.code: u for u in OrgUnit.objects.all()},
        criteria={c.code: c for c in framework.criteria.filter(is_leaf=True)},
        seen={},
    )
    rows: list[_Row] = []
    for i, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        unit = _check_unit(i, raw.get("don_vi", ""), lookups, errors)
        criterion = _check_criterion(i, raw, lookups, errors)
        scores = _parse_scores(i, raw, criterion, errors)
        if errors.bad_rows and i in errors.bad_rows:
            continue
        rows.append(
            _Row(i, unit, criterion, scores.get("diem_tu_cham"), scores.get("diem_tham_dinh"), raw.get("ghi_chu", ""))
        )
    return rows


def _check_unit(i: int, code: str, lookups: _Lookups, errors: ErrorCollector) -> OrgUnit | None:
    """The unit of the row: it exists and is of the level the set assesses."""
    unit = lookups.units.get(code)
    framework = lookups.framework
    if unit is None:
        errors.add(i, "don_vi", code, "không có đơn vị mang mã này.")
    elif unit.level != framework.level:
        errors.add(i, "don_vi", unit.code, f"đơn vị không thuộc cấp được đánh giá bằng bộ {framework.code}.")
    return unit


def _check_criterion(i: int, raw: dict[str, str], lookups: _Lookups, errors: ErrorCollector) -> Criterion | None:
    """The row's sub-criterion of the set (a parent criterion is named as such), scored once per unit."""
    framework = lookups.framework
    code = raw.get("ma_tieu_chi", "")
    criterion = lookups.criteria.get(code)
    if criterion is None:
        is_parent = framework.criteria.filter(code=code).exists()
        errors.add(
            i,
            "ma_tieu_chi",
            code,
            "là tiêu chí có tiêu chí con; chỉ nhập điểm tiêu chí thành phần."
            if is_parent
            else f"không có trong bộ tiêu chí {framework.code}.",
        )
    key = (raw.get("don_vi", ""), code)
    if key in lookups.seen:
        errors.add(i, "ma_tieu_chi", code, f"trùng với dòng {lookups.seen[key]}.")
    lookups.seen[key] = i
    return criterion


def _parse_scores(
    i: int, raw: dict[str, str], criterion: Criterion | None, errors: ErrorCollector
) -> dict[str, Decimal | None]:
    """The two scores of the row (an empty cell is None), each a number within the criterion's points."""
    scores: dict[str, Decimal | None] = {}
    for column in SCORE_COLUMNS:
        value = raw.get(column, "")
        if not value:
            scores[column] = None
            continue
        try:
            number = parse_number(value, table_cell=True)
        except VietnameseParseError:
            errors.add(i, column, value, "không phải là số.")
            continue
        if criterion is not None and not 0 <= number <= criterion.max_points:
            errors.add(i, column, value, f"phải từ 0 đến {format_number(criterion.max_points)} điểm.")
        scores[column] = number
    return scores


def _assessment_for(row: _Row, framework: Framework, actor: Any, touched: dict[int, Assessment]) -> Assessment:
    """The unit's assessment with the set, opened as submitted (its scores come from an appraisal elsewhere)
    when there is none yet; ``touched`` keeps each unit's one."""
    assessment = touched.get(row.unit.pk)
    if assessment is None:
        assessment = Assessment.objects.filter(framework=framework, unit=row.unit).first()
        if assessment is None:
            assessment = start_assessment(actor, framework, row.unit)
            assessment.status = Status.SUBMITTED
            assessment.save(update_fields=["status"])
        touched[row.unit.pk] = assessment
    return assessment


def _write_row(row: _Row, assessment: Assessment, actor: Any, errors: ErrorCollector, result: ImportResult) -> None:
    """One row onto its score: only what differs is written, with an audit row; an official result is
    never changed (the same scores again count as unchanged)."""
    if assessment.status == Status.FINALISED:
        _check_finalised(row, assessment, errors, result)
        return
    score = Score.objects.select_for_update().get(assessment=assessment, criterion=row.criterion)
    new = {"self_score": row.self_score, "appraised_score": row.appraised}
    new = {k: v for k, v in new.items() if v is not None}
    if row.note:
        new["comment" if row.appraised is not None else "declared_text"] = row.note
    diff = {k: v for k, v in new.items() if getattr(score, k) != v}
    if not diff:
        result.unchanged += 1
        return
    created = score.self_score is None and score.appraised_score is None
    Score.objects.filter(pk=score.pk).update(
        **diff, version=F("version") + 1, updated_at=timezone.now(), updated_by_label=actor_label(actor)
    )
    audit.record(
        actor,
        Verb.SCORE_IMPORT,
        score,
        unit=row.unit,
        data={
            "criterion": row.criterion.code,
            "row": row.line,
            "changes": {k: audit_value(v) for k, v in diff.items()},
        },
    )
    if created:
        result.created += 1
    else:
        result.updated += 1


def _check_finalised(row: _Row, assessment: Assessment, errors: ErrorCollector, result: ImportResult) -> None:
    current = Score.objects.get(assessment=assessment, criterion=row.criterion)
    if (current.self_score, current.appraised_score) != (
        row.self_score if row.self_score is not None else current.self_score,
        row.appraised if row.appraised is not None else current.appraised_score,
    ):
        errors.add(row.line, "don_vi", row.unit.code, "đơn vị đã có kết quả chính thức; không sửa điểm.")
    else:
        result.unchanged += 1


def _finalise_complete(actor: Any, assessments: Iterable[Assessment]) -> int:
    """Every imported unit whose applicable sub-criteria all have an appraised score gets its official
    result; returns how many did."""
    finalised = 0
    for assessment in assessments:
        if assessment.status == Status.FINALISED:
            continue
        open_ = assessment.scores.filter(not_applicable=False, appraised_score__isnull=True).exists()
        if not open_:
            if assessment.status != Status.SUBMITTED:
                assessment.status = Status.SUBMITTED
                assessment.save(update_fields=["status"])
            finalise(actor, assessment)
            finalised += 1
    return finalised
