"""Tự đánh giá và thẩm định: the assessment of one unit from opening to its official result, and the
announcement of a set's results.

Every write checks scope, validates, and writes its audit row in the same transaction. Scores carry a
``version``: a save made from a stale screen is refused with a clear message, never applied over someone
else's change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import Conflict
from cchc.core.vnformat import VietnameseParseError, format_date, format_number, parse_number
from cchc.org.models import OrgUnit
from cchc.parindex import selectors
from cchc.parindex.models import Assessment, Criterion, Evidence, Framework, RuleType, Score, Status
from cchc.parindex.scoring import FigureSource, figure_text
from cchc.parindex.services._common import actor_label, audit_value, is_user, require


def start_assessment(actor: Any, framework: Framework, unit: OrgUnit) -> Assessment:
    """Mở hồ sơ tự đánh giá của ``unit`` theo bộ tiêu chí (idempotent): one score row per sub-criterion."""
    require(actor, scope.Action.EDIT, unit)
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
        require(actor, scope.Action.EDIT, assessment.unit)
        if assessment.status not in (Status.DRAFT, Status.RETURNED):
            raise ValidationError(
                f"Hồ sơ đang ở trạng thái “{assessment.get_status_display()}”; không sửa được phần tự đánh giá."
            )
    if set(changes) & set(REVIEW_FIELDS):
        require(actor, scope.Action.REVIEW, assessment.unit)
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
            updated_by=actor if is_user(actor) else None,
            updated_by_label=actor_label(actor),
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
                "changes": {k: {"old": audit_value(old[k]), "new": audit_value(v)} for k, v in diff.items()},
            },
        )
    fresh = Score.objects.select_related("criterion", "assessment__unit", "assessment__framework").get(pk=score.pk)
    return fresh


def add_evidence(actor: Any, score: Score, title: str, url: str = "", file: Any = None) -> Evidence:
    """Thêm tài liệu kiểm chứng (đường dẫn hoặc tệp)."""
    assessment = score.assessment
    require(actor, scope.Action.EDIT, assessment.unit)
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
        item = Evidence(score=score, title=title[:300], url=url, added_by=actor if is_user(actor) else None)
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
    require(actor, scope.Action.EDIT, assessment.unit)
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
    require(actor, scope.Action.EDIT, assessment.unit)
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
    require(actor, scope.Action.REVIEW, assessment.unit)
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
    require(actor, scope.Action.REVIEW, assessment.unit)
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
            if line.auto and line.auto.source != FigureSource.NONE:
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
        assessment.finalised_by = actor if is_user(actor) else None
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


def can_review(user: Any, assessment: Assessment) -> bool:
    return scope.can(user, scope.Action.REVIEW, assessment.unit) and user.is_reviewer
