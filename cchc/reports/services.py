"""Ghi báo cáo: tạo (điền sẵn), sửa mục (khóa lạc quan), gửi (kiểm tra số liệu), tiếp nhận hoặc trả lại.

Every write checks scope, runs in one transaction and writes its audit row in the same transaction.
``actor`` is a user, or a string (``"cchc demo"``) for trusted command-line callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import Conflict
from cchc.documents import approvals
from cchc.documents.models import Approval
from cchc.documents.services import issue_number
from cchc.indicators.models import Period
from cchc.indicators.periods import get_period
from cchc.indicators.validation import SubmissionCheck, check_submission
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph
from cchc.reports import fillers, placeholders
from cchc.reports.models import FiguresFrom, Report, ReportSection, ReportVersion, Status
from cchc.reports.outlines import load_outlines
from cchc.reports.provenance import readable_rows
from cchc.reports.selectors import (
    context_figures,
    figures_for,
    has_reporting_children,
    parent_for_report,
    report_rows,
)


class SubmissionBlocked(ValidationError):
    """Số liệu có sai lệch mức độ cao: the report is not sent."""

    def __init__(self, check: SubmissionCheck) -> None:
        self.check = check
        super().__init__([f"{r.rule.message}" for r in check.blocking])


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _label(actor: Any) -> str:
    """The name shown on pages (who wrote, sent, reviewed): the person's full name, not the login."""
    if _is_user(actor):
        return getattr(actor, "display_name", "") or actor.get_username()
    return str(actor)


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
            f"{unit.name} không phải UBND cấp xã, huyện hoặc tỉnh nên không lập báo cáo CCHC định kỳ."
        )
    if unit.valid_from > period.end or (unit.valid_to is not None and unit.valid_to < period.start):
        raise ValidationError(f"{unit.name} không tồn tại trong {period.name}.")
    if Report.objects.filter(unit=unit, period=period).exists():
        raise ValidationError(f"{unit.name} đã có báo cáo {period.name}.")
    outlines = load_outlines(with_added=True)  # the sentences of indicators a province added, at their place
    kind = outlines.for_unit(unit.level, period.code)
    graph = load_graph()
    parent = parent_for_report(unit, period, graph)
    rollup = unit.level != Level.COMMUNE and has_reporting_children(unit, period, graph)
    report = Report.objects.create(
        unit=unit,
        period=period,
        outline_code=kind.code,
        outline_version=outlines.version,
        figures_from=FiguresFrom.ROLLUP if rollup else FiguresFrom.INDICATORS,
        summary=kind.summary,
        addressee="{cap_tren.ten}" if parent is not None else "",
        recipients=[r for r in kind.recipients if not (parent is None and "cap_tren" in r)] or ["Lưu: VT"],
        intro=kind.intro,
        closing=kind.closing,
        due_date=period.due_date or period.end,
        created_by_label=_label(actor),
    )
    for position, spec in enumerate(kind.sections):
        text = spec.text
        lines = fillers.fill_lines(spec.fillers, unit, period)
        if lines:
            text = "\n".join([t for t in [text] if t] + [f"- {line}" for line in lines])
        ReportSection.objects.create(
            report=report,
            key=spec.key,
            position=position,
            heading=spec.heading,
            text=text,
            hint=spec.hint,
            updated_by_label=_label(actor),
        )
    audit.record(
        actor,
        Verb.REPORT_CREATE,
        report,
        unit=unit,
        data={"period": period.code, "outline": kind.code, "figures_from": report.figures_from},
    )
    return report


# ---- edit --------------------------------------------------------------------------------------------
def _editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không sửa được.")


@transaction.atomic
def save_section(actor: Any, section: ReportSection, text: str, revision: int) -> ReportSection:
    """Lưu nội dung một mục (tự động lưu). ``revision`` is the revision the editor started from: if
    someone saved in between, nothing is overwritten and ``Conflict`` carries their text."""
    report = Report.objects.select_for_update().get(pk=section.report_id)
    _require(actor, scope.Action.EDIT, report.unit_id)
    _editable(report)
    text = (text or "").replace("\r\n", "\n").strip()
    updated = ReportSection.objects.filter(pk=section.pk, revision=revision).update(
        text=text, revision=F("revision") + 1, updated_by_label=_label(actor), updated_at=timezone.now()
    )
    current = ReportSection.objects.get(pk=section.pk)
    if not updated:
        raise Conflict(
            f"{current.updated_by_label} đã sửa mục “{current.heading}” lúc "
            f"{timezone.localtime(current.updated_at):%H:%M %d/%m/%Y}. Nội dung của bạn chưa được lưu: "
            "hãy xem bản mới nhất rồi sửa lại.",
            current,
        )
    audit.record(
        actor,
        Verb.REPORT_SECTION_SAVE,
        report,
        unit=report.unit,
        data={"section": current.key, "revision": current.revision},
    )
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
        raise Conflict("Người khác đã sửa phần đầu báo cáo; hãy tải lại trang để xem bản mới nhất.")
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.lock_version += 1
    locked.save()
    audit.record(actor, Verb.REPORT_HEADER_SAVE, locked, unit=locked.unit, data={"fields": sorted(fields)})
    return locked


# ---- submit --------------------------------------------------------------------------------------------
@dataclass
class PreSubmit:
    """Kiểm tra trước khi gửi: validation rules plus figures the narrative still lacks."""

    check: SubmissionCheck
    missing_figures: list[tuple[str, str]]  # (section heading, indicator code)
    names: dict[str, str] = field(default_factory=dict)  # indicator code → its Vietnamese name

    @property
    def missing_named(self) -> list[tuple[str, str]]:
        """(section heading, indicator name): what the officer reads (no codes)."""
        return [(heading, self.names.get(code, code)) for heading, code in self.missing_figures]

    def readable(self, text: str) -> str:
        """A rule's formula or a rule error with indicator codes replaced by names."""
        from cchc.reports.provenance import codes_to_names

        return codes_to_names(text, self.names, {})

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
    missing = [
        (placeholders.fill(s.heading, figures), code)
        for s in report.sections.all()
        for code in placeholders.missing_in(s.text, figures)
    ]
    return PreSubmit(check, missing, {code: row.name for code, row in rows.items()})


def _freeze(actor: Any, report: Report, checked: PreSubmit, comment: str, now: datetime) -> ReportVersion:
    """A new immutable version: the filled text, the header and every figure with its provenance."""
    from cchc.reports import output

    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    doc = output.document_for(report, day=report.issued_on or today)
    doc.rows = readable_rows(report, doc.rows)  # the version keeps sources people can read
    return ReportVersion.objects.create(
        report=report,
        number=report.version + 1,
        header=doc.header_json(),
        sections=[{**s} for s in doc.sections],
        values={c: r.as_json() for c, r in doc.rows.items()},
        by_unit=doc.by_unit,
        checks={
            "blocking": [r.as_dict() for r in checked.check.blocking],
            "warnings": [r.as_dict() for r in checked.check.warnings],
            "errors": [r.as_dict() for r in checked.check.errors],
            "missing_figures": [list(m) for m in checked.missing_figures],
        },
        comment=comment,
        docx=output.render_docx(doc),
        drafted_by_label=_label(actor),
    )


def _checked_comment(report: Report, comment: str) -> tuple[PreSubmit, str]:
    checked = pre_submit(report)
    if not checked.can_submit:
        raise SubmissionBlocked(checked.check)
    comment = (comment or "").strip()
    if checked.needs_comment and not comment:
        raise ValidationError({"comment": "Số liệu còn cảnh báo hoặc còn trống: hãy ghi giải trình trước khi trình."})
    return checked, comment


@transaction.atomic
def request_signature(
    actor: Any, report: Report, comment: str = "", *, lock_version: int | None = None, at: datetime | None = None
) -> ReportVersion:
    """Trình ký: validation first (a high-importance failure blocks, the others need a comment), then the
    content and figures are frozen into a new version — the leader approves exactly that — and the report
    waits in the leader's "Chờ ký duyệt" list."""
    report = Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    _require(actor, scope.Action.EDIT, report.unit_id)
    _editable(report)
    if lock_version is not None and report.lock_version != lock_version:
        raise Conflict("Người khác vừa sửa hoặc trình báo cáo này; hãy tải lại trang.")
    checked, comment = _checked_comment(report, comment)
    now = at or timezone.now()
    version = _freeze(actor, report, checked, comment, now)
    approval = approvals.request_approval(actor, report, unit=report.unit, title=str(report), note=comment, at=now)
    version.approval = approval
    version.save(_allow_update=True, update_fields=["approval"])
    report.version = version.number
    report.status = Status.AWAITING_SIGN
    report.lock_version += 1
    report.save()
    audit.record(
        actor,
        Verb.REPORT_REQUEST_SIGNATURE,
        report,
        unit=report.unit,
        data={"version": version.number, "approval": approval.pk, "comment": comment},
    )
    return version


def _pending_version(report: Report, approval: Approval) -> ReportVersion:
    return report.versions.select_for_update().get(approval=approval)


def on_approved(actor: Any, report: Report, approval: Approval) -> None:
    """The leader approved: the number is issued (once, on the day of signing, ND 30), the version gets
    the number, the date and the signer, and its DOCX is rendered again with them."""
    from cchc.reports import output

    report = Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    if report.status != Status.AWAITING_SIGN:
        raise ValidationError(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không ký duyệt được.")
    version = _pending_version(report, approval)
    day = timezone.localdate(approval.decided_at)
    if not report.number:
        report.number = issue_number(actor, report.unit, day.year, "BC")
        report.issued_on = day
    if not report.signer_name and approval.decided_by_label:
        report.signer_name = approval.decided_by_label
    version.header = {
        **version.header,
        "number": report.number,
        "day": report.issued_on.isoformat(),
        "signer": version.header.get("signer") or report.signer_name,
    }
    version.docx = output.render_docx(output.document_for(report, version))
    version.approved_at = approval.decided_at
    version.approved_by_label = approval.decided_by_label
    version.approved_by_title = approval.decided_by_title
    version.save(_allow_update=True)
    report.status = Status.APPROVED
    report.lock_version += 1
    report.save()


def on_returned(actor: Any, report: Report, approval: Approval) -> None:
    """The leader returned the draft with a comment: the officer edits it and sends it again."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.AWAITING_SIGN:
        raise ValidationError(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không trả lại được.")
    report.status = Status.SIGN_RETURNED
    report.lock_version += 1
    report.save()


def approved_pdf(report: Report) -> bytes:
    """The PDF of the approved version (what the leader signs digitally)."""
    from cchc.reports import output

    version = report.versions.order_by("-number").first()
    if version is None or version.approved_at is None:
        raise ValidationError("Báo cáo chưa được lãnh đạo ký duyệt.")
    return output.render_pdf(docx=bytes(version.docx))


def approval_for(report: Report) -> Approval | None:
    return approvals.current(report)


def signed_pdf(report: Report) -> bytes | None:
    """The digitally signed PDF of the version last approved, if it was signed."""
    version = report.versions.exclude(approval=None).order_by("-number").select_related("approval").first()
    if version is None or not version.approval.is_signed:
        return None
    return bytes(version.approval.signed_pdf)


def register_approval_kind() -> None:
    """Reports are approved and signed through ``cchc.documents.approvals`` (called from AppConfig.ready)."""
    from django.urls import reverse

    from cchc.reports import output

    approvals.register_kind(
        approvals.ApprovalKind(
            object_type=Report._meta.label_lower,
            label="Báo cáo CCHC",
            load=lambda object_id: Report.objects.select_related("unit", "period").get(pk=object_id),
            url=lambda report: reverse("reports:detail", args=[report.pk]),
            on_approved=on_approved,
            on_returned=on_returned,
            pdf=approved_pdf,
            file_name=lambda report: output.file_name(report, "pdf").replace(".pdf", "-da-ky.pdf"),
        )
    )


@transaction.atomic
def submit_report(
    actor: Any,
    report: Report,
    comment: str = "",
    *,
    at: datetime | None = None,
    uploaded: tuple[str, bytes] | None = None,
) -> ReportVersion:
    """Gửi cấp trên the version the leader approved (and, when done, signed digitally).

    An officer cannot send a report the leader has not approved. The console (``actor`` a string such as
    ``"cchc demo"``, who holds the database anyway) may send a draft at once: it is frozen, approved and sent
    in one step, as the reports of years before the sign-off existed were."""
    report = Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    _require(actor, scope.Action.EDIT, report.unit_id)
    now = at or timezone.now()
    if report.is_editable and not _is_user(actor):
        checked, comment = _checked_comment(report, comment)
        if not report.number:
            day = timezone.localdate(now) if timezone.is_aware(now) else now.date()
            report.number = issue_number(actor, report.unit, day.year, "BC")
            report.issued_on = day
        _freeze(actor, report, checked, comment, now)
        report.version += 1
    elif report.status != Status.APPROVED:
        raise ValidationError(
            f"Báo cáo đang ở trạng thái “{report.get_status_display()}”: phải được lãnh đạo "
            "ký duyệt trước khi gửi cấp trên."
        )
    version = report.versions.select_for_update().order_by("-number").first()
    if uploaded is not None:
        version.uploaded_name, version.uploaded = uploaded
        version.upload_check = check_uploaded(*uploaded)
    version.submitted_at = now
    version.submitted_by_label = _label(actor)
    version.save(_allow_update=True)
    report.status = Status.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_by = actor if _is_user(actor) else None
    report.submitted_by_label = _label(actor)
    report.lock_version += 1
    report.save()
    approval = version.approval
    audit.record(
        actor,
        Verb.REPORT_SUBMIT,
        report,
        unit=report.unit,
        data={
            "version": version.number,
            "number": report.number,
            "late": report.is_late,
            "warnings": len(version.checks.get("warnings", [])),
            "comment": version.comment,
            "signed": bool(approval and approval.is_signed),
        },
    )
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
    data: dict[str, Any] = {"version": report.version, "comment": comment}
    signed = signed_pdf(report)
    if signed is not None:  # the receiving side checks the signature on acceptance and keeps the answer
        from cchc.documents.signing import verify_pdf

        data["signature"] = verify_pdf(signed).as_dict()
    audit.record(
        actor, Verb.REPORT_ACCEPT if decision == "accept" else Verb.REPORT_RETURN, report, unit=report.unit, data=data
    )
    return report
