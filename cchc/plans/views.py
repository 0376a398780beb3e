"""Màn hình kế hoạch CCHC: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts import scope
from cchc.accounts.middleware import current_unit_of
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.core.errors import add_to_form
from cchc.core.importing import ImportRejected
from cchc.core.params import parse_int
from cchc.plans import selectors, services
from cchc.plans.forms import ImportForm, PlanForm, StatusForm, TaskForm
from cchc.plans.importing import COLUMNS, import_tasks
from cchc.plans.models import TaskStatus


@login_required
def index(request):
    unit = current_unit_of(request)
    year = request.GET.get("nam", "")
    plans = selectors.plans_for(request.user, unit=unit, year=parse_int(year, minimum=1900, maximum=2200))
    today = timezone.localdate()
    rows = [(p, selectors.plan_progress(p, today)) for p in plans]
    can_edit = unit is not None and scope.can(request.user, scope.Action.EDIT, unit)
    years = sorted(set(selectors.plans_for(request.user, unit=unit).values_list("year", flat=True)), reverse=True)
    return render(
        request, "plans/index.html", {"rows": rows, "unit": unit, "year": year, "years": years, "can_edit": can_edit}
    )


@login_required
def plan_create(request):
    unit = current_unit_of(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    scope.require(request.user, scope.Action.EDIT, unit)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.save_plan(request.user, unit, **form.cleaned_data)
        except services.PlanError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Đã tạo {plan}.")
            return redirect("plans:plan", plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "unit": unit})


@login_required
def plan_edit(request, plan_id: int):
    plan = selectors.get_plan(request.user, plan_id, scope.Action.EDIT)
    initial = {"year": plan.year, "symbol": plan.symbol, "issued_on": plan.issued_on, "title": plan.title}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(request.user, plan.unit, plan=plan, **form.cleaned_data)
        except services.PlanError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu kế hoạch.")
            return redirect("plans:plan", plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "unit": plan.unit, "plan": plan})


TASK_COLUMNS = (
    Column("STT", width=8),
    Column("Nội dung", width=60),
    Column("Lĩnh vực", width=22),
    Column("Người, bộ phận thực hiện", width=24),
    Column("Thời hạn", Kind.DATE, 12),
    Column("Trạng thái", width=16),
    Column("Ngày hoàn thành", Kind.DATE, 14),
    Column("Kết quả, minh chứng", width=40),
    Column("Cấp trên giao", width=30),
)


def _tasks_xlsx(plan, rows, today):
    """The plan's tasks as the page lists them (filter kept), in outline order, as XLSX."""
    lines = (
        (
            r.task.code,
            r.task.title,
            r.task.area_name,
            r.task.responsible,
            r.task.deadline,
            r.task.get_status_display() + (" (quá hạn)" if r.is_leaf and r.task.is_overdue(today) else ""),
            r.task.completed_on,
            r.task.evidence,
            r.task.assigned_by if r.task.assigned_by_higher else "",
        )
        for r in rows
    )
    return table_download(
        "Nhiệm vụ kế hoạch CCHC", TASK_COLUMNS, lines, title=str(plan).upper(), subtitle=plan.unit.name
    )


@login_required
def plan_detail(request, plan_id: int):
    plan = selectors.get_plan(request.user, plan_id)
    today = timezone.localdate()
    status_filter = request.GET.get("loc", "")
    rows = selectors.task_rows(plan)
    if status_filter == "qua-han":
        rows = [r for r in rows if r.is_leaf and r.task.is_overdue(today)]
    elif status_filter == "chua-xong":
        rows = [r for r in rows if r.is_leaf and not r.task.is_done]
    elif status_filter == "cap-tren-giao":
        rows = [r for r in rows if r.is_leaf and r.task.assigned_by_higher]
    if wants_xlsx(request):
        return _tasks_xlsx(plan, rows, today)
    assigned = [r.task for r in selectors.task_rows(plan) if r.is_leaf and r.task.assigned_by_higher]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "progress": selectors.plan_progress(plan, today),
            "today": today,
            "can_edit": scope.can(request.user, scope.Action.EDIT, plan.unit),
            "loc": status_filter,
            "status_choices": TaskStatus.choices,
            "assigned": {
                "total": len(assigned),
                "on_time": sum(t.timeliness == "on_time" for t in assigned),
                "late": sum(t.timeliness == "late" for t in assigned),
                "not_done": sum(t.timeliness == "not_done" for t in assigned),
            },
        },
    )


def _task_data(cleaned) -> services.TaskData:
    return services.TaskData(
        **{
            k: (cleaned.get(k) if cleaned.get(k) is not None else "")
            if k not in ("deadline", "completed_on", "assigned_by_higher")
            else cleaned.get(k)
            for k in services.TaskData.__dataclass_fields__
        }
    )


@login_required
def task_create(request, plan_id: int):
    plan = selectors.get_plan(request.user, plan_id, scope.Action.EDIT)
    form = TaskForm(request.POST or None, initial={"code": request.GET.get("ma", ""), "status": TaskStatus.NOT_STARTED})
    if request.method == "POST" and form.is_valid():
        try:
            task = services.save_task(request.user, plan, _task_data(form.cleaned_data))
        except services.PlanError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Đã thêm nhiệm vụ {task.code}.")
            return redirect("plans:plan", plan.pk)
    return render(request, "plans/task_form.html", {"form": form, "plan": plan})


@login_required
def task_edit(request, task_id: int):
    task = selectors.get_task(request.user, task_id, scope.Action.EDIT)
    initial = {k: getattr(task, k) for k in services.TaskData.__dataclass_fields__}
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_task(request.user, task.plan, _task_data(form.cleaned_data), task=task)
        except services.PlanError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Đã lưu nhiệm vụ {task.code}.")
            return redirect("plans:task", task.pk)
    return render(request, "plans/task_form.html", {"form": form, "plan": task.plan, "task": task})


@login_required
def task_detail(request, task_id: int):
    task = selectors.get_task(request.user, task_id)
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "today": timezone.localdate(),
            "children": task.children.order_by("position"),
            "can_edit": scope.can(request.user, scope.Action.EDIT, task.plan.unit),
            "status_form": StatusForm(initial={"status": task.status, "completed_on": task.completed_on}),
        },
    )


@login_required
@require_POST
def task_status(request, task_id: int):
    task = selectors.get_task(request.user, task_id, scope.Action.EDIT)
    form = StatusForm(request.POST)
    if form.is_valid():
        status, completed_on = form.cleaned_data["status"], form.cleaned_data["completed_on"]
        if status == TaskStatus.DONE and completed_on is None:
            completed_on = timezone.localdate()
        if status != TaskStatus.DONE:
            completed_on = None
        try:
            services.set_status(request.user, task, status, completed_on)
        except services.PlanError as exc:
            messages.error(request, f"Nhiệm vụ {task.code}: {exc.message}")
        else:
            messages.success(request, f"Đã cập nhật tiến độ nhiệm vụ {task.code}.")
    else:
        messages.error(request, f"Nhiệm vụ {task.code}: " + "; ".join(e for errs in form.errors.values() for e in errs))
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("plans:plan", task.plan_id)


@login_required
@require_POST
def task_delete(request, task_id: int):
    task = selectors.get_task(request.user, task_id, scope.Action.EDIT)
    plan_id = task.plan_id
    try:
        services.delete_task(request.user, task)
    except services.PlanError as exc:
        messages.error(request, exc.message)
        return redirect("plans:task", task.pk)
    messages.success(request, "Đã xóa nhiệm vụ.")
    return redirect("plans:plan", plan_id)


@login_required
def import_upload(request, plan_id: int):
    plan = selectors.get_plan(request.user, plan_id, scope.Action.EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_tasks(
                request.user, plan, upload.name, content=upload.read(), dry_run=form.cleaned_data["dry_run"]
            )
        except ImportRejected as exc:
            errors = exc
        else:
            if not result.dry_run:
                messages.success(request, result.summary())
                return redirect("plans:plan", plan.pk)
    return render(
        request,
        "plans/import.html",
        {
            "plan": plan,
            "form": form,
            "result": result,
            "errors": errors,
            "columns": [label for label, _ in COLUMNS.values()],
        },
    )


@login_required
def overdue(request):
    unit = current_unit_of(request)
    today = timezone.localdate()
    ids = [unit.pk] if unit is not None and scope.can(request.user, scope.Action.VIEW, unit) else []
    return render(
        request,
        "plans/overdue.html",
        {
            "unit": unit,
            "today": today,
            "overdue": selectors.overdue_tasks(ids, today),
            "soon": selectors.due_soon_tasks(ids, today),
            "days": selectors.DUE_SOON_DAYS,
        },
    )


@login_required
def weekly(request):
    unit = current_unit_of(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    scope.require(request.user, scope.Action.VIEW, unit)
    summary = selectors.weekly_summary(unit, timezone.localdate())
    return render(request, "plans/weekly.html", {"summary": summary, "text": selectors.weekly_summary_text(summary)})
