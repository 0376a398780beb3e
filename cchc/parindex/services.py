"""Ghi: assessments, scores, evidence, the workflow (submit, return, finalise), imports, remediation.

Every write checks scope, validates, and writes its audit row in the same transaction. Scores and tasks
carry a ``version``: a save made from a stale screen is refused with a clear message, never applied over
someone else's change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import Conflict
from cchc.core.importing import ErrorCollector, ImportResult
from cchc.core.vnformat import VietnameseParseError, format_date, format_number, parse_number
from cchc.org.models import OrgUnit
from cchc.parindex import selectors
from cchc.parindex.models import (
    Assessment,
    Criterion,
    Evidence,
    Framework,
    RemediationPlan,
    RemediationTask,
    RuleType,
    Score,
    Status,
    TaskStatus,
)
from cchc.parindex.remediation import defaults_for as remediation_defaults
from cchc.parindex.scoring import figure_text

# Sent after a remediation task is created or changed (``task``, ``created``). The plans app connects here
# to mirror each row of a remediation plan as a tracked plan task and store its id in ``plans_task_ref``;
# parindex itself never imports the plans app.
remediation_task_saved = Signal()


def _is_user(actor: Any) -> bool:
    return getattr(actor, "is_authenticated", False)


def _require(actor: Any, action: scope.Action, unit: OrgUnit) -> None:
    """Users go through scope (404 outside what they see, 403 for a read-only unit); CLI actors are
    trusted (they run on the server)."""
    if _is_user(actor):
        scope.access_unit(actor, unit.pk, action)


def _label(actor: Any) -> str:
    return actor.get_username() if _is_user(actor) else str(actor or "")


# ---- assessments -----------------------------------------------------------------------------------------
def start_assessment(actor: Any, framework: Framework, unit: OrgUnit) -> Assessment:
    """Mở hồ sơ tự đánh giá của ``unit`` theo bộ tiêu chí (idempotent): one score row per sub-criterion."""
    _require(actor, scope.Action.EDIT, unit)
    if unit.level != framework.level:
        raise ValidationError(
            f"Bộ tiêu chí “{framework.code}” dùng cho đơn vị cấp “{framework.level}”, không dùng cho {unit.name}."
        )
    year_start, year_end = date(framework.year, 1, 1), date(framework.year, 12, 31)
    if unit.valid_from > year_end or (unit.valid_to and unit.valid_to < year_start):
        raise ValidationError(f"{unit.name} không tồn tại trong năm {framework.year}.")
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(framework=framework, unit=unit)
        leaves = framework.criteria.filter(is_leaf=True)
        have = set(assessment.scores.values_list("criterion_id", flat=True))
        Score.objects.bulk_create([Score(assessment=assessment, criterion=c) for c in leaves if c.pk not in have])
        if created:
            audit.record(actor, Verb.ASSESSMENT_START, assessment, unit=unit, data={"framework": framework.code})
    return assessment


SELF_FIELDS = ("declared_value", "declared_text", "explanation", "self_score", "not_applicable")
REVIEW_FIELDS = ("appraised_score", "comment")


def _clean_points(criterion: Criterion, raw: Any, label: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = raw if isinstance(raw, Decimal) else parse_number(str(raw))
    except VietnameseParseError as exc:
        raise ValidationError(f"Tiêu chí {criterion.code}: {label} “{raw}” không phải là số.") from exc
    if value < 0 or value > criterion.max_points:
        raise ValidationError(
            f"Tiêu chí {criterion.code}: {label} phải từ 0 đến {format_number(criterion.max_points)} điểm."
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"Tiêu chí {criterion.code}: {label} chỉ có tối đa 2 chữ số thập phân.")
    return value


def _clean_figure(criterion: Criterion, raw: Any) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return Decimal(int(raw))
    try:
        value = raw if isinstance(raw, Decimal) else parse_number(str(raw))
    except VietnameseParseError as exc:
        raise ValidationError(f"Tiêu chí {criterion.code}: số liệu “{raw}” không phải là số.") from exc
    if value < 0:
        raise ValidationError(f"Tiêu chí {criterion.code}: số liệu không được âm.")
    return value


def save_score(actor: Any, score: Score, version: int, **changes: Any) -> Score:
    """Lưu một tiêu chí. Self-assessment fields need EDIT on the unit while it is being self-assessed;
    appraisal fields need REVIEW while it is under appraisal. ``version`` is the one the screen showed."""
    assessment = score.assessment
    criterion = score.criterion
    unknown = set(changes) - set(SELF_FIELDS) - set(REVIEW_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    if set(changes) & set(SELF_FIELDS):
        _require(actor, scope.Action.EDIT, assessment.unit)
        if assessment.status not in (Status.DRAFT, Status.RETURNED):
            raise ValidationError(
                f"Hồ sơ đang ở trạng thái “{assessment.get_status_display()}”; không sửa được phần tự đánh giá."
            )
    if set(changes) & set(REVIEW_FIELDS):
        _require(actor, scope.Action.REVIEW, assessment.unit)
        if assessment.status != Status.SUBMITTED:
            raise ValidationError("Chỉ thẩm định được hồ sơ đã gửi thẩm định.")
    cleaned: dict[str, Any] = {}
    for name, raw in changes.items():
        if name == "self_score":
            cleaned[name] = _clean_points(criterion, raw, "điểm tự chấm")
        elif name == "appraised_score":
            cleaned[name] = _clean_points(criterion, raw, "điểm thẩm định")
        elif name == "declared_value":
            cleaned[name] = _clean_figure(criterion, raw)
        elif name == "not_applicable":
            cleaned[name] = bool(raw)
        else:
            cleaned[name] = (raw or "").strip()
    with transaction.atomic():
        current = Score.objects.select_for_update().get(pk=score.pk)
        if current.version != version:
            who = current.updated_by_label or "người khác"
            when = timezone.localtime(current.updated_at)
            raise Conflict(
                f"Tiêu chí {criterion.code} vừa được {who} sửa lúc {when:%H:%M} {format_date(when)}. "
                "Thay đổi của bạn chưa được lưu để không ghi đè lên thay đổi đó; hãy tải lại trang, "
                "xem số liệu mới rồi nhập lại."
            )
        old = {k: getattr(current, k) for k in cleaned}
        diff = {k: v for k, v in cleaned.items() if old[k] != v}
        if not diff:
            return current
        updated = Score.objects.filter(pk=score.pk, version=version).update(
            **diff,
            version=F("version") + 1,
            updated_at=timezone.now(),
            updated_by=actor if _is_user(actor) else None,
            updated_by_label=_label(actor),
        )
        if updated != 1:  # pragma: no cover - guarded by the row lock above; kept for databases without it
            raise Conflict(f"Tiêu chí {criterion.code} vừa được người khác sửa; hãy tải lại trang.")
        audit.record(
            actor,
            Verb.SCORE_SAVE,
            current,
            unit=assessment.unit,
            data={
                "criterion": criterion.code,
                "changes": {k: {"old": _j(old[k]), "new": _j(v)} for k, v in diff.items()},
            },
        )
    fresh = Score.objects.select_related("criterion", "assessment__unit", "assessment__framework").get(pk=score.pk)
    return fresh


def _j(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def add_evidence(actor: Any, score: Score, title: str, url: str = "", file: Any = None) -> Evidence:
    """Thêm tài liệu kiểm chứng (đường dẫn hoặc tệp)."""
    assessment = score.assessment
    _require(actor, scope.Action.EDIT, assessment.unit)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError("Hồ sơ đã gửi thẩm định; không thêm tài liệu kiểm chứng được.")
    title = (title or "").strip() or (getattr(file, "name", "") or url)
    if not url and file is None:
        raise ValidationError("Cần một đường dẫn hoặc một tệp tài liệu kiểm chứng.")
    if url:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise ValidationError(f"Đường dẫn “{url}” không hợp lệ (cần bắt đầu bằng http:// hoặc https://).") from exc
    with transaction.atomic():
        item = Evidence(score=score, title=title[:300], url=url, added_by=actor if _is_user(actor) else None)
        if file is not None:
            item.file = file
        item.save()
        audit.record(
            actor,
            Verb.EVIDENCE_ADD,
            item,
            unit=assessment.unit,
            data={
                "criterion": score.criterion.code,
                "title": item.title,
                "url": url,
                "file": item.file.name if item.file else "",
            },
        )
    return item


def remove_evidence(actor: Any, item: Evidence) -> None:
    assessment = item.score.assessment
    _require(actor, scope.Action.EDIT, assessment.unit)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError("Hồ sơ đã gửi thẩm định; không xóa tài liệu kiểm chứng được.")
    with transaction.atomic():
        audit.record(
            actor,
            Verb.EVIDENCE_REMOVE,
            item,
            unit=assessment.unit,
            data={"criterion": item.score.criterion.code, "title": item.title},
        )
        item.delete()


def _needs_evidence(criterion: Criterion) -> bool:
    return not criterion.indicator and criterion.rule_type not in (RuleType.SURVEY,)


def submission_problems(assessment: Assessment) -> list[str]:
    sheet = selectors.build_sheet(assessment)
    problems = []
    for line in sheet.lines:
        c = line.criterion
        if not c.is_leaf or line.not_applicable:
            continue
        if line.self_points is None and c.rule_type not in (RuleType.BONUS, RuleType.PENALTY, RuleType.SURVEY):
            why = "chưa có số liệu, cần chấm điểm trực tiếp" if line.auto and line.auto.missing else "chưa chấm điểm"
            problems.append(f"Tiêu chí {c.code}: {why}.")
        elif (
            line.self_points
            and _needs_evidence(c)
            and not line.evidence
            and not (line.score and line.score.explanation)
        ):
            problems.append(f"Tiêu chí {c.code}: chưa có tài liệu kiểm chứng; cần giải trình lý do.")
        if _contradicts_figure(line):
            problems.append(
                f"Tiêu chí {c.code}: điểm tự chấm {format_number(line.self_points)} khác điểm tính từ số liệu "
                f"{figure_text(c.rule, line.auto.value, c.rule_type)} ({format_number(line.auto.score)} điểm); "
                "sửa điểm tự chấm hoặc giải trình lý do."
            )
    return problems


def _contradicts_figure(line: selectors.Line) -> bool:
    """A typed self-score that is not what the figure earns under the rule, with no explanation: the printed
    reason would contradict the score (the root of “93,65% yet 2/2,5 điểm”)."""
    auto, score = line.auto, line.score
    return bool(
        auto
        and auto.value is not None
        and auto.score is not None
        and score is not None
        and score.self_score is not None
        and score.self_score != auto.score
        and not score.explanation
    )


def submit(actor: Any, assessment: Assessment) -> Assessment:
    """Gửi thẩm định: the self-scores become explicit (a figure's points are written as the self-score)."""
    _require(actor, scope.Action.EDIT, assessment.unit)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError("Hồ sơ đã được gửi thẩm định.")
    problems = submission_problems(assessment)
    if problems:
        raise ValidationError(problems)
    sheet = selectors.build_sheet(assessment)
    with transaction.atomic():
        for line in sheet.lines:
            if line.score is not None and line.score.self_score is None and line.self_points is not None:
                Score.objects.filter(pk=line.score.pk).update(self_score=line.self_points, version=F("version") + 1)
        assessment.status, assessment.submitted_at = Status.SUBMITTED, timezone.now()
        assessment.save(update_fields=["status", "submitted_at"])
        audit.record(
            actor,
            Verb.ASSESSMENT_SUBMIT,
            assessment,
            unit=assessment.unit,
            data={"self_total": str(sheet.self_total)},
        )
    return assessment


def return_for_explanation(actor: Any, assessment: Assessment, note: str) -> Assessment:
    """Trả lại để giải trình, bổ sung tài liệu."""
    _require(actor, scope.Action.REVIEW, assessment.unit)
    if assessment.status != Status.SUBMITTED:
        raise ValidationError("Chỉ trả lại được hồ sơ đang chờ thẩm định.")
    note = (note or "").strip()
    if not note:
        raise ValidationError("Cần ghi rõ nội dung yêu cầu giải trình.")
    with transaction.atomic():
        assessment.status, assessment.return_note = Status.RETURNED, note
        assessment.save(update_fields=["status", "return_note"])
        audit.record(actor, Verb.ASSESSMENT_RETURN, assessment, unit=assessment.unit, data={"note": note})
    return assessment


def finalise(actor: Any, assessment: Assessment, accept_self_for_rest: bool = False) -> Assessment:
    """Kết thúc thẩm định: every applicable sub-criterion has an appraised score (with
    ``accept_self_for_rest`` the remaining ones take the self-score); the automatic figures are frozen."""
    _require(actor, scope.Action.REVIEW, assessment.unit)
    if assessment.status != Status.SUBMITTED:
        raise ValidationError("Chỉ kết thúc thẩm định được hồ sơ đang chờ thẩm định.")
    sheet = selectors.build_sheet(assessment)
    missing = [
        ln for ln in sheet.lines if ln.criterion.is_leaf and not ln.not_applicable and ln.appraised_points is None
    ]
    if missing and not accept_self_for_rest:
        raise ValidationError([f"Tiêu chí {ln.code}: chưa có điểm thẩm định." for ln in missing])
    with transaction.atomic():
        for line in sheet.lines:
            if line.score is None:
                continue
            fields: dict[str, Any] = {}
            if line.auto and line.auto.source != "none":
                fields.update(
                    computed_value=line.auto.value,
                    computed_score=line.auto.score,
                    computed_note=line.auto.note or "chưa có số liệu",
                )
            if line in missing:
                fields["appraised_score"] = line.self_points or Decimal(0)
            if fields:
                Score.objects.filter(pk=line.score.pk).update(**fields, version=F("version") + 1)
        assessment.status, assessment.finalised_at = Status.FINALISED, timezone.now()
        assessment.finalised_by = actor if _is_user(actor) else None
        assessment.save(update_fields=["status", "finalised_at", "finalised_by"])
        final = selectors.build_sheet(Assessment.objects.get(pk=assessment.pk))
        audit.record(
            actor,
            Verb.ASSESSMENT_FINALISE,
            assessment,
            unit=assessment.unit,
            data={
                "appraised_total": str(final.appraised_total),
                "index": str(final.index),
                "accepted_self_for": [ln.code for ln in missing],
            },
        )
    return assessment


# ---- import of scores ------------------------------------------------------------------------------------
IMPORT_COLUMNS = ("don_vi", "ma_tieu_chi", "diem_tu_cham", "diem_tham_dinh", "ghi_chu")


@dataclass
class _Row:
    line: int
    unit: OrgUnit
    criterion: Criterion
    self_score: Decimal | None
    appraised: Decimal | None
    note: str


def import_scores(
    source: Path | str | io.TextIOBase, framework: Framework, actor: Any, dry_run: bool = False
) -> ImportResult:
    """Nạp điểm của các đơn vị đã chấm ở nơi khác (CSV: don_vi, ma_tieu_chi, diem_tu_cham, diem_tham_dinh,
    ghi_chu; either score may be empty). All rows or none; loading the same file twice changes nothing.
    A unit whose every applicable sub-criterion then has an appraised score gets its official result."""
    text = source.read() if hasattr(source, "read") else Path(source).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    errors = ErrorCollector()
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("don_vi", "ma_tieu_chi") if c not in header]
    if missing or not any(c in header for c in ("diem_tu_cham", "diem_tham_dinh")):
        errors.add(
            1, ", ".join(missing) or "diem_tu_cham", "", "thiếu cột; tệp cần các cột " + ", ".join(IMPORT_COLUMNS) + "."
        )
        errors.raise_if_any()
    units = {u.code: u for u in OrgUnit.objects.all()}
    criteria = {c.code: c for c in framework.criteria.filter(is_leaf=True)}
    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for i, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        unit = units.get(raw.get("don_vi", ""))
        if unit is None:
            errors.add(i, "don_vi", raw.get("don_vi"), "không có đơn vị mang mã này.")
        elif unit.level != framework.level:
            errors.add(i, "don_vi", unit.code, f"đơn vị không thuộc cấp được đánh giá bằng bộ {framework.code}.")
        code = raw.get("ma_tieu_chi", "")
        criterion = criteria.get(code)
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
        if key in seen:
            errors.add(i, "ma_tieu_chi", code, f"trùng với dòng {seen[key]}.")
        seen[key] = i
        scores = {}
        for column in ("diem_tu_cham", "diem_tham_dinh"):
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
        if errors.bad_rows and i in errors.bad_rows:
            continue
        rows.append(
            _Row(i, unit, criterion, scores.get("diem_tu_cham"), scores.get("diem_tham_dinh"), raw.get("ghi_chu", ""))
        )
    errors.raise_if_any()
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        touched: dict[int, Assessment] = {}
        for row in rows:
            assessment = touched.get(row.unit.pk)
            if assessment is None:
                assessment = Assessment.objects.filter(framework=framework, unit=row.unit).first()
                if assessment is None:
                    assessment = start_assessment(actor, framework, row.unit)
                    assessment.status = Status.SUBMITTED
                    assessment.save(update_fields=["status"])
                touched[row.unit.pk] = assessment
            if assessment.status == Status.FINALISED:
                current = Score.objects.get(assessment=assessment, criterion=row.criterion)
                if (current.self_score, current.appraised_score) != (
                    row.self_score if row.self_score is not None else current.self_score,
                    row.appraised if row.appraised is not None else current.appraised_score,
                ):
                    errors.add(row.line, "don_vi", row.unit.code, "đơn vị đã có kết quả chính thức; không sửa điểm.")
                else:
                    result.unchanged += 1
                continue
            score = Score.objects.select_for_update().get(assessment=assessment, criterion=row.criterion)
            new = {"self_score": row.self_score, "appraised_score": row.appraised}
            new = {k: v for k, v in new.items() if v is not None}
            if row.note:
                new["comment" if row.appraised is not None else "declared_text"] = row.note
            diff = {k: v for k, v in new.items() if getattr(score, k) != v}
            if not diff:
                result.unchanged += 1
                continue
            created = score.self_score is None and score.appraised_score is None
            Score.objects.filter(pk=score.pk).update(
                **diff, version=F("version") + 1, updated_at=timezone.now(), updated_by_label=_label(actor)
            )
            audit.record(
                actor,
                Verb.SCORE_IMPORT,
                score,
                unit=row.unit,
                data={"criterion": row.criterion.code, "row": row.line, "changes": {k: _j(v) for k, v in diff.items()}},
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
        errors.raise_if_any()
        finalised = 0
        for assessment in touched.values():
            if assessment.status == Status.FINALISED:
                continue
            open_ = assessment.scores.filter(not_applicable=False, appraised_score__isnull=True).exists()
            if not open_:
                if assessment.status != Status.SUBMITTED:
                    assessment.status = Status.SUBMITTED
                    assessment.save(update_fields=["status"])
                finalise(actor, assessment)
                finalised += 1
        result.details = {"units": len(touched), "finalised": finalised}
        if dry_run:
            transaction.set_rollback(True)
    return result


# ---- remediation -----------------------------------------------------------------------------------------
def ensure_plan(actor: Any, assessment: Assessment) -> RemediationPlan:
    """Kế hoạch khắc phục: one task per criterion that lost points (added, never duplicated)."""
    _require(actor, scope.Action.EDIT, assessment.unit)
    if assessment.status != Status.FINALISED:
        raise ValidationError("Chỉ lập kế hoạch khắc phục khi đã có kết quả Chỉ số CCHC chính thức.")
    groups, _ = selectors.lost_points(selectors.build_sheet(assessment))
    with transaction.atomic():
        plan, created = RemediationPlan.objects.get_or_create(assessment=assessment)
        have = set(plan.tasks.values_list("criterion_id", flat=True))
        new_tasks = []
        for group in groups:
            for line in group.lines:
                if line.criterion.pk in have:
                    continue
                line.criterion.framework = assessment.framework
                d = remediation_defaults(line.criterion)
                task = RemediationTask.objects.create(
                    plan=plan,
                    criterion=line.criterion,
                    responsible=d.responsible,
                    measure=d.measure,
                    deadline=d.deadline,
                    deadline_text=d.deadline_text,
                )
                new_tasks.append(task)
        if created or new_tasks:
            audit.record(
                actor,
                Verb.REMEDIATION_PLAN_TASKS,
                plan,
                unit=assessment.unit,
                data={"added": [t.criterion.code for t in new_tasks]},
            )
    for task in new_tasks:
        remediation_task_saved.send(RemediationTask, task=task, created=True)
    return plan


TASK_FIELDS = (
    "responsible",
    "deadline",
    "deadline_text",
    "note",
    "status",
    "action_taken",
    "measure",
    "result_evidence",
    "progress",
    "completed_on",
)


def update_task(actor: Any, task: RemediationTask, version: int, **changes: Any) -> RemediationTask:
    unit = task.plan.assessment.unit
    _require(actor, scope.Action.EDIT, unit)
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    cleaned: dict[str, Any] = {}
    for name, raw in changes.items():
        if name in ("deadline", "completed_on"):
            if raw in (None, ""):
                cleaned[name] = None
            elif isinstance(raw, date):
                cleaned[name] = raw
            else:
                from cchc.core.vnformat import parse_date

                try:
                    cleaned[name] = parse_date(str(raw))
                except VietnameseParseError as exc:
                    raise ValidationError(f"Tiêu chí {task.criterion.code}: {exc}") from exc
        elif name == "status":
            if raw not in TaskStatus.values:
                raise ValidationError(f"Trạng thái “{raw}” không hợp lệ.")
            cleaned[name] = raw
        elif name == "progress":
            try:
                cleaned[name] = int(str(raw).strip().rstrip("%") or 0)
            except ValueError as exc:
                raise ValidationError(f"Tiêu chí {task.criterion.code}: tiến độ “{raw}” phải là số phần trăm.") from exc
            if not 0 <= cleaned[name] <= 100:
                raise ValidationError(f"Tiêu chí {task.criterion.code}: tiến độ phải từ 0 đến 100%.")
        else:
            cleaned[name] = (raw or "").strip()
    if cleaned.get("status") == TaskStatus.DONE:
        cleaned["progress"] = 100
        cleaned["completed_on"] = cleaned.get("completed_on") or task.completed_on or timezone.localdate()
    elif "status" in cleaned:
        cleaned["completed_on"] = None
    with transaction.atomic():
        current = RemediationTask.objects.select_for_update().get(pk=task.pk)
        if current.version != version:
            raise Conflict(
                f"Nhiệm vụ khắc phục tiêu chí {task.criterion.code} vừa được người khác sửa. "
                "Thay đổi của bạn chưa được lưu; hãy tải lại trang rồi nhập lại."
            )
        diff = {k: v for k, v in cleaned.items() if getattr(current, k) != v}
        if diff:
            RemediationTask.objects.filter(pk=task.pk).update(**diff, version=F("version") + 1)
            audit.record(
                actor,
                Verb.REMEDIATION_TASK_SAVE,
                current,
                unit=unit,
                data={
                    "criterion": task.criterion.code,
                    "changes": {k: _j(v) if not isinstance(v, date) else v.isoformat() for k, v in diff.items()},
                },
            )
    fresh = RemediationTask.objects.select_related("criterion", "plan__assessment__unit").get(pk=task.pk)
    if diff:
        remediation_task_saved.send(RemediationTask, task=fresh, created=False)
        # a receiver may have written back (the plans mirror): return the row as it now stands
        fresh = RemediationTask.objects.select_related("criterion", "plan__assessment__unit").get(pk=task.pk)
    return fresh


def sync_task_from_plans(
    actor: Any, plans_task_ref: str, *, status: str, completed_on: date | None, evidence: str
) -> RemediationTask | None:
    """What was recorded on the mirrored plans task (status, completion, evidence) written back to the
    remediation row; sends no ``remediation_task_saved`` so the two apps never echo each other."""
    task = (
        RemediationTask.objects.select_related("criterion", "plan__assessment__unit")
        .filter(plans_task_ref=plans_task_ref)
        .first()
    )
    if task is None or status not in TaskStatus.values:
        return None
    changes: dict[str, Any] = {"status": status, "completed_on": completed_on if status == TaskStatus.DONE else None}
    if status == TaskStatus.DONE:
        changes["progress"] = 100
    if (evidence or "") != (task.result_evidence or task.action_taken):
        changes["result_evidence"] = evidence or ""
    diff = {k: v for k, v in changes.items() if getattr(task, k) != v}
    if not diff:
        return task
    with transaction.atomic():
        RemediationTask.objects.filter(pk=task.pk).update(**diff, version=F("version") + 1)
        audit.record(
            actor,
            Verb.REMEDIATION_TASK_SYNC,
            task,
            unit=task.plan.assessment.unit,
            data={
                "criterion": task.criterion.code,
                "from": "plans",
                "changes": {k: v.isoformat() if isinstance(v, date) else v for k, v in diff.items()},
            },
        )
    return RemediationTask.objects.get(pk=task.pk)


def update_plan(actor: Any, plan: RemediationPlan, **changes: Any) -> RemediationPlan:
    unit = plan.assessment.unit
    _require(actor, scope.Action.EDIT, unit)
    allowed = {"number", "issued_on", "signer", "report_number", "report_on", "overall", "next_measures", "directing"}
    with transaction.atomic():
        diff = {k: v for k, v in changes.items() if k in allowed and getattr(plan, k) != v}
        for k, v in diff.items():
            setattr(plan, k, v)
        if diff:
            plan.save()
            audit.record(actor, Verb.REMEDIATION_PLAN_SAVE, plan, unit=unit, data={k: str(v) for k, v in diff.items()})
    return plan


def issue_plan_number(actor: Any, plan: RemediationPlan, kind: str = "KH") -> str:
    """Lấy số văn bản từ sổ đăng ký của đơn vị (KH for the plan, BC for the report)."""
    from cchc.documents.services import issue_number

    unit = plan.assessment.unit
    _require(actor, scope.Action.EDIT, unit)
    field = "number" if kind == "KH" else "report_number"
    if getattr(plan, field):
        return getattr(plan, field)
    day_field = "issued_on" if kind == "KH" else "report_on"
    day = getattr(plan, day_field) or timezone.localdate()
    symbol = issue_number(actor, unit, day.year, kind)
    update_plan(actor, plan, **{field: symbol, day_field: day})
    return symbol


def announce(actor: Any, framework: Framework, number: str, day: date, issuer: str) -> Framework:
    """Quyết định công bố kết quả Chỉ số CCHC: entered once per set, cited by every remediation plan."""
    from cchc.documents.symbols import SymbolError, parse_symbol

    number, issuer = (number or "").strip(), (issuer or "").strip()
    try:
        parsed = parse_symbol(number)
    except SymbolError as exc:
        raise ValidationError(f"Số quyết định “{number}”: {exc}") from exc
    if parsed.type_code != "QĐ":
        raise ValidationError(f"“{number}” không phải số, ký hiệu của một quyết định (cần dạng 125/QĐ-UBND).")
    if not issuer:
        raise ValidationError("Cần ghi cơ quan ban hành quyết định công bố (ví dụ: Ủy ban nhân dân tỉnh Hà Tĩnh).")
    if day.year < framework.year:
        raise ValidationError(f"Quyết định công bố kết quả năm {framework.year} không thể ban hành trước năm đó.")
    with transaction.atomic():
        old = {"number": framework.announced_number, "date": framework.announced_on, "issuer": framework.announced_by}
        framework.announced_number, framework.announced_on, framework.announced_by = number, day, issuer
        framework.save(update_fields=["announced_number", "announced_on", "announced_by"])
        audit.record(
            actor,
            Verb.FRAMEWORK_ANNOUNCE,
            framework,
            data={
                "old": {k: str(v or "") for k, v in old.items()},
                "new": {"number": number, "date": day.isoformat(), "issuer": issuer},
            },
        )
    return framework


def remind_plan(actor: Any, assessment: Assessment) -> None:
    """Nhắc đơn vị lập kế hoạch khắc phục: a reviewer of the level above asks the unit (the unit's home page
    then shows who asked and when, until the plan exists)."""
    _require(actor, scope.Action.VIEW, assessment.unit)
    if _is_user(actor) and not actor.is_reviewer:
        raise PermissionDenied("Chỉ cơ quan thẩm định mới nhắc đơn vị lập kế hoạch khắc phục.")
    if assessment.status != Status.FINALISED:
        raise ValidationError("Đơn vị chưa có kết quả chính thức nên chưa phải lập kế hoạch khắc phục.")
    if RemediationPlan.objects.filter(assessment=assessment).exists():
        raise ValidationError("Đơn vị đã lập kế hoạch khắc phục.")
    with transaction.atomic():
        audit.record(
            actor,
            Verb.REMEDIATION_PLAN_REMIND,
            assessment,
            unit=assessment.unit,
            data={"framework": assessment.framework.code},
        )


def can_review(user: Any, assessment: Assessment) -> bool:
    return scope.can(user, scope.Action.REVIEW, assessment.unit) and user.is_reviewer


# ---- sign-off of the remediation plan (cchc.documents.approvals) ----------------------------------------
def request_plan_approval(actor: Any, plan: RemediationPlan, note: str = "") -> Any:
    """Trình ký: the plan goes to the unit's leader, who approves (and signs) it or returns it."""
    from cchc.documents import approvals

    a = plan.assessment
    return approvals.request_approval(
        actor,
        plan,
        unit=a.unit,
        title=f"Kế hoạch khắc phục Chỉ số CCHC năm {a.framework.year} — {a.unit.name}",
        note=note,
    )


def _plan_approved(actor: Any, plan: RemediationPlan, approval: Any) -> None:
    """On approval the plan carries its signer and date (kept if the officer typed them)."""
    changes = {}
    if not plan.signer:
        changes["signer"] = getattr(actor, "display_name", "") or str(actor)
    if not plan.issued_on:
        changes["issued_on"] = timezone.localdate()
    if changes:
        for k, v in changes.items():
            setattr(plan, k, v)
        plan.save(update_fields=list(changes))
        audit.record(
            actor, Verb.REMEDIATION_PLAN_APPROVED, plan, unit=plan.assessment.unit, data={"approval": approval.pk}
        )


def register_approval_kind() -> None:
    """The remediation plan is approved and signed like a report (called from AppConfig.ready)."""
    from django.urls import reverse

    from cchc.documents import approvals
    from cchc.documents.rendering import docx_to_pdf
    from cchc.parindex.documents import plan_docx

    approvals.register_kind(
        approvals.ApprovalKind(
            object_type=RemediationPlan._meta.label_lower,
            label="Kế hoạch khắc phục Chỉ số CCHC",
            load=lambda object_id: RemediationPlan.objects.select_related(
                "assessment__unit", "assessment__framework"
            ).get(pk=object_id),
            url=lambda plan: reverse("parindex:remediation", args=[plan.assessment_id]),
            on_approved=_plan_approved,
            on_returned=lambda actor, plan, approval: None,  # the plan stays editable; the comment is shown
            pdf=lambda plan: docx_to_pdf(plan_docx(plan.assessment)),
            file_name=lambda plan: f"ke-hoach-khac-phuc-{plan.assessment.unit.code}-da-ky.pdf",
        )
    )
