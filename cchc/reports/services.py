"""Ghi báo cáo: tạo (điền sẵn), sửa mục (khóa lạc quan), gửi (kiểm tra số liệu), tiếp nhận hoặc trả lại.

Every write checks scope, runs in one transaction and writes its audit row in the same transaction.
``actor`` is a user, or a string (``"cchc demo"``) for trusted command-line callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.documents.services import issue_number
from cchc.indicators.models import Period
from cchc.indicators.periods import get_period
from cchc.indicators.validation import SubmissionCheck, check_submission
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph
from cchc.reports import fillers, placeholders
from cchc.reports.models import FiguresFrom, Report, ReportSection, ReportVersion, Status
from cchc.reports.outlines import load_outlines
from cchc.reports.selectors import (
    context_figures,
    figures_for,
    has_reporting_children,
    parent_for_report,
    report_rows,
)


class ConflictError(Exception):
    """Người khác đã sửa trước: nothing was saved; the message says who and what to do."""

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current


class SubmissionBlocked(ValidationError):
    """Số liệu có sai lệch mức độ cao: the report is not sent."""

    def __init__(self, check: SubmissionCheck) -> None:
        self.check = check
        super().__init__([f"{r.rule.message}" for r in check.blocking])


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _label(actor: Any) -> str:
    return actor.get_username() if _is_user(actor) else str(actor)


def _require(actor: Any, action: scope.Action, unit: OrgUnit | int) -> None:
    if _is_user(actor):
        unit_id = unit if isinstance(unit, int) else unit.pk
        scope.access_unit(actor, unit_id, scope.Action.VIEW)  # 404 when the unit is outside the user's view
        scope.require(actor, action, unit_id)


# ---- create ------------------------------------------------------------------------------------------
@transaction.atomic
def create_report(actor: Any, unit: OrgUnit, period: Period | str) -> Report:
    """Tạo báo cáo: pick the outline of the unit's level and period, pre-fill header, sections and figures.

    Figures are stored as placeholders in the text, so they stay linked while the report is a draft."""
    period = get_period(period) if isinstance(period, str) else period
    _require(actor, scope.Action.EDIT, unit)
    if unit.level not in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE):
        raise ValidationError(
            f"{unit.name} không phải UBND cấp xã, huyện hoặc tỉnh nên không lập báo cáo CCHC định kỳ.")
    if unit.valid_from > period.end or (unit.valid_to is not None and unit.valid_to < period.start):
        raise ValidationError(f"{unit.name} không tồn tại trong {period.name}.")
    if Report.objects.filter(unit=unit, period=period).exists():
        raise ValidationError(f"{unit.name} đã có báo cáo {period.name}.")
    outlines = load_outlines()
    kind = outlines.for_unit(unit.level, period.code)
    graph = load_graph()
    parent = parent_for_report(unit, period, graph)
    rollup = unit.level != Level.COMMUNE and has_reporting_children(unit, period, graph)
    report = Report.objects.create(
        unit=unit, period=period, outline_code=kind.code, outline_version=outlines.version,
        figures_from=FiguresFrom.ROLLUP if rollup else FiguresFrom.INDICATORS,
        summary=kind.summary, addressee="{cap_tren.ten}" if parent is not None else "",
        recipients=[r for r in kind.recipients if not (parent is None and "cap_tren" in r)] or ["Lưu: VT"],
        intro=kind.intro, closing=kind.closing, due_date=period.due_date or period.end,
        created_by_label=_label(actor),
    )
    for position, spec in enumerate(kind.sections):
        text = spec.text
        lines = fillers.fill_lines(spec.fillers, unit, period)
        if lines:
            text = "\n".join([t for t in [text] if t] + [f"- {line}" for line in lines])
        ReportSection.objects.create(report=report, key=spec.key, position=position, heading=spec.heading,
                                     text=text, hint=spec.hint, updated_by_label=_label(actor))
    audit.record(actor, "reports.create", report, unit=unit,
                 data={"period": period.code, "outline": kind.code, "figures_from": report.figures_from})
    return report


# ---- edit --------------------------------------------------------------------------------------------
def _editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không sửa được.")


@transaction.atomic
def save_section(actor: Any, section: ReportSection, text: str, revision: int) -> ReportSection:
    """Lưu nội dung một mục (tự động lưu). ``revision`` is the revision the editor started from: if
    someone saved in between, nothing is overwritten and ``ConflictError`` carries their text."""
    report = Report.objects.select_for_update().get(pk=section.report_id)
    _require(actor, scope.Action.EDIT, report.unit_id)
    _editable(report)
    text = (text or "").replace("\r\n", "\n").strip()
    updated = ReportSection.objects.filter(pk=section.pk, revision=revision).update(
        text=text, revision=F("revision") + 1, updated_by_label=_label(actor), updated_at=timezone.now())
    current = ReportSection.objects.get(pk=section.pk)
    if not updated:
        raise ConflictError(
            f"{current.updated_by_label} đã sửa mục “{current.heading}” lúc "
            f"{timezone.localtime(current.updated_at):%H:%M %d/%m/%Y}. Nội dung của bạn chưa được lưu: "
            "hãy xem bản mới nhất rồi sửa lại.", current)
    audit.record(actor, "reports.section.save", report, unit=report.unit,
                 data={"section": current.key, "revision": current.revision})
    return current


HEADER_FIELDS = ("summary", "addressee", "signer_authority", "signer_name", "intro", "closing")


@transaction.atomic
def update_header(actor: Any, report: Report, lock_version: int, **fields: Any) -> Report:
    """Sửa phần đầu, chữ ký, nơi nhận (optimistic lock on ``lock_version``)."""
    _require(actor, scope.Action.EDIT, report.unit_id)
    unknown = set(fields) - {*HEADER_FIELDS, "recipients"}
    if unknown:
        raise ValueError(f"Không sửa được: {', '.join(sorted(unknown))}")
    if "recipients" in fields and isinstance(fields["recipients"], str):
        fields["recipients"] = [r.strip(" -;.") for r in fields["recipients"].splitlines() if r.strip(" -;.")]
    if not (fields.get("summary", report.summary) or "").strip():
        raise ValidationError({"summary": "Trích yếu không được để trống."})
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _editable(locked)
    if locked.lock_version != lock_version:
        raise ConflictError("Người khác đã sửa phần đầu báo cáo; hãy tải lại trang để xem bản mới nhất.")
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.lock_version += 1
    locked.save()
    audit.record(actor, "reports.header.save", locked, unit=locked.unit, data={"fields": sorted(fields)})
    return locked


# ---- submit --------------------------------------------------------------------------------------------
@dataclass
class PreSubmit:
    """Kiểm tra trước khi gửi: validation rules plus figures the narrative still lacks."""

    check: SubmissionCheck
    missing_figures: list[tuple[str, str]]  # (section heading, indicator code)

    @property
    def can_submit(self) -> bool:
        return self.check.can_submit

    @property
    def needs_comment(self) -> bool:
        return self.check.needs_comment or bool(self.missing_figures)


def pre_submit(report: Report) -> PreSubmit:
    check = check_submission(report.unit, report.period)
    rows, _ = report_rows(report)
    figures = figures_for(rows, context_figures(report.unit, report.period))
    missing = [(s.heading, code) for s in report.sections.all() for code in placeholders.missing_in(s.text, figures)]
    return PreSubmit(check, missing)


@transaction.atomic
def submit_report(actor: Any, report: Report, comment: str = "", *, at: datetime | None = None,
                  uploaded: tuple[str, bytes] | None = None) -> ReportVersion:
    """Gửi báo cáo (or resend it after a return): validation first — a high-importance failure blocks,
    the others need a comment — then a number is issued (once), the figures are frozen into a new
    immutable version with its DOCX, and the report is locked."""
    from cchc.reports import output

    report = Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    _require(actor, scope.Action.EDIT, report.unit_id)
    _editable(report)
    checked = pre_submit(report)
    if not checked.can_submit:
        raise SubmissionBlocked(checked.check)
    comment = (comment or "").strip()
    if checked.needs_comment and not comment:
        raise ValidationError({"comment": "Số liệu còn cảnh báo hoặc còn trống: hãy ghi giải trình trước khi gửi."})
    now = at or timezone.now()
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    if not report.number:
        report.number = issue_number(actor, report.unit, today.year, "BC")
        report.issued_on = today
    doc = output.document_for(report, day=report.issued_on)
    docx = output.render_docx(doc)
    upload_name, upload_data, upload_check = "", None, {}
    if uploaded is not None:
        upload_name, upload_data = uploaded
        upload_check = check_uploaded(upload_name, upload_data)
    version = ReportVersion.objects.create(
        report=report, number=report.version + 1, header=doc.header_json(),
        sections=[{**s} for s in doc.sections], values={c: r.as_json() for c, r in doc.rows.items()},
        by_unit=doc.by_unit, checks={
            "blocking": [r.as_dict() for r in checked.check.blocking],
            "warnings": [r.as_dict() for r in checked.check.warnings],
            "errors": [r.as_dict() for r in checked.check.errors],
            "missing_figures": [list(m) for m in checked.missing_figures],
        }, comment=comment, docx=docx, uploaded_name=upload_name, uploaded=upload_data,
        upload_check=upload_check, submitted_at=now, submitted_by_label=_label(actor),
    )
    report.version = version.number
    report.status = Status.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_by = actor if _is_user(actor) else None
    report.submitted_by_label = _label(actor)
    report.lock_version += 1
    report.save()
    audit.record(actor, "reports.submit", report, unit=report.unit, data={
        "version": version.number, "number": report.number, "late": report.is_late,
        "warnings": len(checked.check.warnings), "comment": comment,
    })
    return version


def check_uploaded(name: str, data: bytes) -> dict[str, Any]:
    """Soát tệp báo cáo đơn vị tải lên bằng ứng dụng kiểm tra báo cáo (if installed)."""
    try:
        from cchc.checker.services import check_document
    except ImportError:  # the checker app is optional
        return {"available": False}
    try:
        result = check_document(data, name)
    except Exception as exc:  # a file the checker cannot read: say so, do not refuse the submission
        return {"available": True, "error": str(exc)}
    return {"available": True, **result.as_dict()}


# ---- review ------------------------------------------------------------------------------------------
def _require_reviewer(actor: Any, report: Report) -> None:
    """Only the level above reviews: scope REVIEW on the unit, and the reviewer's own unit must be an
    ancestor of the unit as the tree stood in the report's period."""
    if not _is_user(actor):
        return
    _require(actor, scope.Action.REVIEW, report.unit_id)
    if scope.unit_ids(actor, scope.Action.REVIEW) is None:  # system administrator
        return
    graph = load_graph()
    home = scope.governing_unit_id(graph, actor.unit_id)
    day = min(report.period.end, report.unit.valid_to or report.period.end)
    if home not in {u.pk for u in graph.ancestors_on(report.unit_id, day)}:
        raise PermissionDenied("Chỉ đơn vị cấp trên của đơn vị báo cáo (trong kỳ báo cáo) mới tiếp nhận hoặc trả lại.")


@transaction.atomic
def review_report(actor: Any, report: Report, decision: str, comment: str = "") -> Report:
    """Tiếp nhận (``accept``) hoặc trả lại (``return``, with comments) a submitted report."""
    report = Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    _require_reviewer(actor, report)
    if report.status != Status.SUBMITTED:
        raise ValidationError(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không thẩm định được.")
    comment = (comment or "").strip()
    if decision == "return":
        if not comment:
            raise ValidationError({"comment": "Trả lại báo cáo phải ghi rõ nội dung cần sửa."})
        report.status = Status.RETURNED
    elif decision == "accept":
        report.status = Status.ACCEPTED
    else:
        raise ValueError(f"Quyết định không hợp lệ: {decision}")
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor if _is_user(actor) else None
    report.reviewed_by_label = _label(actor)
    report.review_comment = comment
    report.lock_version += 1
    report.save()
    audit.record(actor, f"reports.{decision}", report, unit=report.unit,
                 data={"version": report.version, "comment": comment})
    return report
