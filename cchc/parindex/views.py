"""Màn hình Chỉ số CCHC. Thin: every read through selectors, every write through services, every record
through scope (an assessment outside the user's reach answers 404)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts import scope
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.core.errors import Conflict
from cchc.core.params import required_int
from cchc.documents import approvals
from cchc.parindex import documents, selectors, services
from cchc.parindex import jobs as pdf_jobs
from cchc.parindex.models import (
    Assessment,
    Evidence,
    Framework,
    RemediationPlan,
    RemediationTask,
    Score,
    Status,
    TaskStatus,
)
from cchc.parindex.scoring import takes_figure


def _assessment(request, pk: int, action: scope.Action = scope.Action.VIEW) -> Assessment:
    qs = Assessment.objects.select_related("unit", "framework")
    return scope.access(qs, request.user, action, unit_field="unit", pk=pk)


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@login_required
@require_GET
def index(request):
    """Các bộ tiêu chí, hồ sơ đánh giá trong phạm vi người dùng, và việc bắt đầu tự đánh giá."""
    unit = request.current_unit
    frameworks = []
    for fw in Framework.objects.all():
        mine = list(selectors.assessments_for(fw, request.user))
        own = next((a for a in mine if unit and a.unit_id == unit.pk), None)
        can_start = bool(
            unit and own is None and unit.level == fw.level and scope.can(request.user, scope.Action.EDIT, unit)
        )
        frameworks.append({"fw": fw, "assessments": mine, "own": own, "can_start": can_start})
    return render(request, "parindex/index.html", {"frameworks": frameworks, "unit": unit})


@login_required
@require_POST
def start(request, code: str):
    fw = get_object_or_404(Framework, code=code)
    unit = request.current_unit
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    try:
        a = services.start_assessment(request.user, fw, unit)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("parindex:index")
    return redirect("parindex:assessment", pk=a.pk)


@login_required
@require_GET
def results(request, code: str):
    """Kết quả, xếp hạng: ranking chart and, for one unit, its fields against the average."""
    fw = get_object_or_404(Framework, code=code)
    rows = selectors.results(fw, request.user)
    everyone = selectors.results(fw)
    averages = selectors.field_averages(everyone)
    chosen = None
    wanted = request.GET.get("don-vi") or (request.current_unit.code if request.current_unit else "")
    chosen = next((r for r in rows if r.assessment.unit.code == wanted), rows[0] if rows else None)
    top = max((r.sheet.index or Decimal(0) for r in rows), default=Decimal(100)) or Decimal(100)
    field_chart = []
    if chosen is not None:
        for f in chosen.sheet.fields:
            avg = averages.get(f.code, Decimal(0))
            scale = f.max_points or Decimal(1)
            field_chart.append({"f": f, "avg": avg, "pct": f.obtained / scale * 100, "avg_pct": avg / scale * 100})
    return render(
        request,
        "parindex/results.html",
        {
            "fw": fw,
            "rows": rows,
            "chosen": chosen,
            "field_chart": field_chart,
            "top": top,
            "official_count": sum(1 for r in everyone if r.sheet.official),
        },
    )


@login_required
@require_POST
def announce(request, code: str):
    """Quyết định công bố kết quả: entered once per set by a reviewer of the level that announces it."""
    from cchc.core.vnformat import VietnameseParseError, parse_date

    fw = get_object_or_404(Framework, code=code)
    if not getattr(request.user, "is_reviewer", False):
        raise PermissionDenied("Chỉ cơ quan thẩm định nhập quyết định công bố kết quả.")
    try:
        day = parse_date(request.POST.get("date", ""))
        services.announce(request.user, fw, request.POST.get("number", ""), day, request.POST.get("issuer", ""))
        messages.success(request, f"Đã ghi Quyết định số {fw.announced_number}; các kế hoạch khắc phục sẽ trích dẫn.")
    except VietnameseParseError as exc:
        messages.error(request, f"Ngày ban hành: {exc}")
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect("parindex:results", code=fw.code)


@login_required
@require_GET
def results_xlsx(request, code: str):
    """Bảng kết quả ra Excel: hạng chung và hạng trong nhóm."""
    from cchc.core.xlsx import attachment_header
    from cchc.parindex.exports import results_xlsx as build

    fw = get_object_or_404(Framework, code=code)
    response = HttpResponse(
        build(fw, selectors.results(fw, request.user)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = attachment_header(f"ket-qua-chi-so-cchc-{fw.code}.xlsx")
    return response


def _field_lines(sheet: selectors.Sheet, field_code: str) -> list[selectors.Line]:
    return [ln for ln in sheet.lines if ln.criterion.field_code == field_code]


def _screen(request, pk: int, template: str, review: bool):
    a = _assessment(request, pk)
    if review and not services.can_review(request.user, a):
        raise PermissionDenied("Bạn không có quyền thẩm định hồ sơ của đơn vị này.")
    sheet = selectors.build_sheet(a)
    fields = sheet.fields
    current = request.GET.get("linh-vuc") or (fields[0].code if fields else "")
    can_edit = scope.can(request.user, scope.Action.EDIT, a.unit) and a.status in (Status.DRAFT, Status.RETURNED)
    can_review = services.can_review(request.user, a)
    return render(
        request,
        template,
        {
            "a": a,
            "sheet": sheet,
            "fields": fields,
            "current": current,
            "lines": _field_lines(sheet, current),
            "can_edit": can_edit,
            "can_review": can_review and a.status == Status.SUBMITTED,
            "reviewer": can_review,
            "problems": services.submission_problems(a) if can_edit else [],
        },
    )


@login_required
@require_GET
def assessment(request, pk: int):
    """Tự đánh giá theo lĩnh vực: số liệu, tài liệu kiểm chứng, điểm tự chấm, giải trình."""
    return _screen(request, pk, "parindex/assessment.html", review=False)


@login_required
@require_GET
def appraisal(request, pk: int):
    """Thẩm định: điểm tự chấm, tài liệu kiểm chứng và số liệu tính tự động cạnh nhau."""
    return _screen(request, pk, "parindex/appraisal.html", review=True)


def _line_for(score: Score) -> selectors.Line:
    sheet = selectors.build_sheet(score.assessment)
    return next(ln for ln in sheet.lines if ln.score is not None and ln.score.pk == score.pk)


@login_required
@require_POST
def save_score(request, pk: int, score_pk: int):
    """Tự động lưu một tiêu chí (HTMX) — or a plain form post without JavaScript."""
    a = _assessment(request, pk)
    score = get_object_or_404(Score.objects.select_related("criterion"), pk=score_pk, assessment=a)
    score.assessment = a
    review = request.POST.get("mode") == "review"
    names = services.REVIEW_FIELDS if review else services.SELF_FIELDS
    changes = {}
    for name in names:
        if name == "not_applicable":
            changes[name] = request.POST.get(name) == "on"
        elif name == "declared_value" and not (
            takes_figure(score.criterion.rule_type, score.criterion.rule) and not score.criterion.indicator
        ):
            continue
        elif name in request.POST:
            changes[name] = request.POST.get(name, "")
    error, status = "", 200
    try:
        version = required_int(request.POST, "version")
        score = services.save_score(request.user, score, version, **changes)
    except Conflict as exc:
        error, status = " ".join(exc.messages), 409
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 422
    except ValueError:
        error, status = "Dữ liệu gửi lên không hợp lệ.", 400
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"Đã lưu tiêu chí {score.criterion.code}.")
        target = "parindex:appraisal" if review else "parindex:assessment"
        return redirect(reverse(target, args=[a.pk]) + f"?linh-vuc={score.criterion.field_code}")
    fresh = Score.objects.select_related("criterion", "assessment__unit", "assessment__framework").get(pk=score.pk)
    line = _line_for(fresh)
    template = "parindex/_review_line.html" if review else "parindex/_self_line.html"
    response = render(
        request,
        template,
        {
            "a": fresh.assessment,
            "ln": line,
            "error": error,
            "saved": not error,
            "can_edit": not review,
            "can_review": review,
        },
    )
    # A conflict or an invalid value still re-renders the row (with the newest data and the message),
    # so HTMX swaps it in; the status code tells scripts and tests what happened.
    response.status_code = 200 if status == 200 else status
    return response


@login_required
@require_POST
def add_evidence(request, pk: int, score_pk: int):
    a = _assessment(request, pk, scope.Action.EDIT)
    score = get_object_or_404(Score.objects.select_related("criterion"), pk=score_pk, assessment=a)
    score.assessment = a
    try:
        services.add_evidence(
            request.user,
            score,
            request.POST.get("title", ""),
            url=request.POST.get("url", ""),
            file=request.FILES.get("file"),
        )
        messages.success(request, f"Đã thêm tài liệu kiểm chứng cho tiêu chí {score.criterion.code}.")
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect(
        reverse("parindex:assessment", args=[a.pk])
        + f"?linh-vuc={score.criterion.field_code}"
        + f"#tc-{score.criterion.code}"
    )


@login_required
@require_POST
def remove_evidence(request, pk: int, evidence_pk: int):
    a = _assessment(request, pk, scope.Action.EDIT)
    item = get_object_or_404(Evidence.objects.select_related("score__criterion"), pk=evidence_pk, score__assessment=a)
    item.score.assessment = a
    try:
        services.remove_evidence(request.user, item)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    return redirect(reverse("parindex:assessment", args=[a.pk]) + f"?linh-vuc={item.score.criterion.field_code}")


@login_required
@require_POST
def workflow(request, pk: int, step: str):
    """Gửi thẩm định, trả lại để giải trình, kết thúc thẩm định."""
    a = _assessment(request, pk)
    try:
        if step == "gui":
            services.submit(request.user, a)
            messages.success(request, "Đã gửi hồ sơ tự đánh giá để thẩm định.")
        elif step == "tra-lai":
            services.return_for_explanation(request.user, a, request.POST.get("note", ""))
            messages.success(request, "Đã trả lại hồ sơ để đơn vị giải trình, bổ sung.")
        elif step == "ket-thuc":
            services.finalise(request.user, a, accept_self_for_rest=request.POST.get("accept_self") == "on")
            messages.success(request, "Đã kết thúc thẩm định; kết quả chính thức đã được ghi nhận.")
        else:
            raise Http404
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    back = "parindex:appraisal" if step != "gui" and services.can_review(request.user, a) else "parindex:assessment"
    return redirect(back, pk=a.pk)


@login_required
@require_GET
def lost(request, pk: int):
    """Phân tích điểm bị mất."""
    a = _assessment(request, pk)
    sheet = selectors.build_sheet(a)
    groups, grand = selectors.lost_points(sheet)
    if wants_xlsx(request):
        return _lost_points_xlsx(a, groups, grand)
    return render(request, "parindex/lost.html", {"a": a, "sheet": sheet, "groups": groups, "grand": grand})


LOST_COLUMNS = (
    Column("Mã", width=10),
    Column("Lĩnh vực / tiêu chí", width=60),
    Column("Tối đa", Kind.DECIMAL, 10),
    Column("Đạt", Kind.DECIMAL, 10),
    Column("Mất", Kind.DECIMAL, 10),
    Column("Nguyên nhân", width=70),
)


def _lost_points_xlsx(a: Assessment, groups, grand):
    """The lost-points table as shown: each field's total row, then its criteria, then the grand total."""

    def rows():
        for g in groups:
            t = g.total
            yield (t.code, t.name, t.max_points, t.obtained, t.lost, "")
            for ln in g.lines:
                penalty = ln.kind == "điểm trừ"
                name = f"(Điểm trừ) {ln.name}" if penalty else ln.name
                yield (ln.code, name, ln.max_points, None if penalty else ln.obtained, ln.lost, ln.reason)
        yield ("", "Tổng cộng", grand["max"], grand["obtained"], grand["lost"], "")

    return table_download(
        "Điểm bị mất",
        LOST_COLUMNS,
        rows(),
        title=f"Các tiêu chí bị mất điểm — {a.unit.name}, năm {a.framework.year}",
        subtitle=f"Bộ tiêu chí {a.framework.name}",
    )


def _remediation_post(request, a: Assessment) -> None:
    """The plan-level actions of the remediation page (rows autosave through ``save_task``)."""
    from cchc.core.vnformat import VietnameseParseError, parse_date

    action = request.POST.get("action")
    if action == "remind":
        services.remind_plan(request.user, a)
        messages.success(request, f"Đã nhắc {a.unit.name} lập kế hoạch khắc phục; đơn vị thấy lời nhắc trên trang chủ.")
        return
    if not scope.can(request.user, scope.Action.EDIT, a.unit):
        raise PermissionDenied("Bạn không có quyền lập kế hoạch khắc phục cho đơn vị này.")
    if action == "create":
        services.ensure_plan(request.user, a)
        messages.success(
            request,
            "Đã lập kế hoạch khắc phục: mỗi tiêu chí bị mất điểm là một nhiệm vụ, có giải pháp, "
            "người chủ trì và thời hạn gợi ý (sửa được).",
        )
    elif action == "plan":
        plan = services.ensure_plan(request.user, a)
        changes = {
            k: request.POST.get(k, "").strip()
            for k in ("number", "signer", "report_number", "overall", "next_measures", "directing")
        }
        for k in ("issued_on", "report_on"):
            raw = request.POST.get(k, "").strip()
            try:
                changes[k] = parse_date(raw) if raw else None
            except VietnameseParseError as exc:
                raise ValidationError(str(exc)) from exc
        services.update_plan(request.user, plan, **changes)
        messages.success(request, "Đã lưu thông tin kế hoạch, báo cáo.")
    elif action == "approval":
        plan = services.ensure_plan(request.user, a)
        services.request_plan_approval(request.user, plan, request.POST.get("note", ""))
        messages.success(request, "Đã trình lãnh đạo ký duyệt kế hoạch khắc phục.")
    elif action == "number":
        plan = services.ensure_plan(request.user, a)
        kind = "BC" if request.POST.get("kind") == "BC" else "KH"
        messages.success(request, f"Đã lấy số văn bản {services.issue_plan_number(request.user, plan, kind)}.")
    else:
        raise ValidationError("Thao tác không hợp lệ.")


@login_required
def remediation(request, pk: int):
    """Kế hoạch khắc phục: one card per lost criterion (measure, lead, deadline, progress, what was done,
    evidence), each field saved as it is left (HTMX); the level above sees the state or that there is none."""
    a = _assessment(request, pk)
    if request.method == "POST":
        try:
            _remediation_post(request, a)
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
        return redirect("parindex:remediation", pk=a.pk)
    can_edit = scope.can(request.user, scope.Action.EDIT, a.unit)
    plan = RemediationPlan.objects.filter(assessment=a).first()
    facts = documents.facts_for(a) if a.status == Status.FINALISED else None
    tasks = list(plan.tasks.select_related("criterion")) if plan else []
    lost = {ln.criterion.pk: ln for ln in facts.lost_lines} if facts else {}
    return render(
        request,
        "parindex/remediation.html",
        {
            "a": a,
            "plan": plan,
            "facts": facts,
            "can_edit": can_edit,
            "statuses": TaskStatus.choices,
            "cards": [{"t": t, "ln": lost.get(t.criterion_id)} for t in tasks],
            "preview": list(facts.rows.values()) if facts and plan is None else [],
            "reminder": selectors.last_reminder(a) if plan is None else None,
            "can_remind": plan is None and services.can_review(request.user, a) and a.status == Status.FINALISED,
            "approval": approvals.current(plan) if plan else None,
        },
    )


@login_required
@require_POST
def save_task(request, pk: int, task_pk: int):
    """Tự động lưu một ô của nhiệm vụ khắc phục (HTMX): returns the card with “Đã lưu” or the error."""
    a = _assessment(request, pk, scope.Action.EDIT)
    task = get_object_or_404(
        RemediationTask.objects.select_related("criterion", "plan__assessment__unit"), pk=task_pk, plan__assessment=a
    )
    error, status = "", 200
    try:
        version = required_int(request.POST, "version")
        task = services.update_task(
            request.user,
            task,
            version,
            **{k: request.POST.get(k, "") for k in services.TASK_FIELDS if k in request.POST},
        )
    except Conflict as exc:
        error, status = " ".join(exc.messages), 409
        task = RemediationTask.objects.select_related("criterion").get(pk=task.pk)
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 422
        task = RemediationTask.objects.select_related("criterion").get(pk=task.pk)
    except ValueError:
        error, status = "Dữ liệu gửi lên không hợp lệ.", 400
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"Đã lưu nhiệm vụ khắc phục tiêu chí {task.criterion.code}.")
        return redirect(reverse("parindex:remediation", args=[a.pk]) + f"#nv-{task.pk}")
    lost = {ln.criterion.pk: ln for ln in documents.facts_for(a).lost_lines}
    response = render(
        request,
        "parindex/_task_card.html",
        {
            "a": a,
            "card": {"t": task, "ln": lost.get(task.criterion_id)},
            "can_edit": True,
            "statuses": TaskStatus.choices,
            "error": error,
            "saved": not error,
        },
    )
    response.status_code = status
    return response


@login_required
@require_GET
def document(request, pk: int, kind: str, fmt: str):
    a = _assessment(request, pk)
    if kind not in ("ke-hoach", "bao-cao") or fmt not in ("docx", "pdf") or a.status != Status.FINALISED:
        raise Http404("Không có văn bản này.")
    # A GET never writes: without a plan the documents print from the lost points alone (blank leads and
    # deadlines); the plan and its tasks are created by the explicit "Lập kế hoạch" POST or the command.
    data = pdf_jobs.build_docx(a, kind)
    name = f"{kind}-khac-phuc-{a.unit.code}-{a.framework.year}"
    if fmt == "pdf":
        return _pdf_page(request, a, kind, data, name)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


def _pdf_page(request, a: Assessment, kind: str, docx: bytes, name: str):
    """The PDF once a job made it from this very content; else the job making it (polled) or its button."""
    from cchc.documents import pdfjobs

    digest = pdf_jobs.content_digest(docx)
    path = pdf_jobs.pdf_path(a.pk, kind, digest)
    if path.exists():
        response = HttpResponse(path.read_bytes(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    job = pdf_jobs.pdf_jobs(a, kind, digest).first()
    context = {"a": a, "kind": kind, "kind_name": pdf_jobs.KIND_NAMES[kind], **pdfjobs.page_context(job)}
    return render(request, "parindex/pdf.html", context)


@login_required
@require_POST
def document_pdf_start(request, pk: int, kind: str):
    """Tạo bản PDF of the plan or report as it stands now (a job), then show its progress."""
    a = _assessment(request, pk)
    if kind not in ("ke-hoach", "bao-cao") or a.status != Status.FINALISED:
        raise Http404("Không có văn bản này.")
    digest = pdf_jobs.content_digest(pdf_jobs.build_docx(a, kind))
    if not pdf_jobs.pdf_path(a.pk, kind, digest).exists():
        pdf_jobs.start_pdf(request.user, a, kind, digest)
    return redirect("parindex:document", pk=a.pk, kind=kind, fmt="pdf")


@login_required
@require_GET
def warnings(request):
    """Cảnh báo sớm: tiêu chí có nguy cơ mất điểm theo số liệu năm nay."""
    code = request.GET.get("don-vi")
    unit = scope.access_unit(request.user, code) if code else request.current_unit
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    framework, items = selectors.early_warnings(unit)
    return render(request, "parindex/warnings.html", {"unit": unit, "framework": framework, "items": items})
