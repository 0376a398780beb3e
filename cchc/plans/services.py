"""Writes of plans and tasks: validation, scope, audit, and stale indicator values — in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import FieldError
from cchc.core.vnformat import VietnameseParseError, parse_date
from cchc.documents.symbols import SymbolError, format_symbol, parse_symbol
from cchc.indicators.services import mark_stale_days
from cchc.plans.areas import find_area
from cchc.plans.models import Plan, PlanTask, TaskStatus

CODE_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){0,3}$")


class PlanError(FieldError):
    """A value a plan or task cannot take; ``field`` names the field, the message is Vietnamese."""


# ---- plans -----------------------------------------------------------------------------------------
def clean_plan_symbol(symbol: str) -> str:
    """A plan's number and symbol must be a Kế hoạch (…/KH-…) under Nghị định 30."""
    symbol = (symbol or "").strip()
    if not symbol:
        return ""
    try:
        parsed = parse_symbol(symbol)
    except SymbolError as exc:
        raise PlanError("symbol", str(exc)) from exc
    if parsed.type_code != "KH":
        raise PlanError("symbol", f"“{symbol}” không phải số, ký hiệu của một kế hoạch (cần dạng 05/KH-UBND).")
    return format_symbol(parsed.number, parsed.type_code, parsed.body, parsed.year)


def save_plan(
    actor, unit, *, year: int, title: str, symbol: str = "", issued_on: date | None = None, plan: Plan | None = None
) -> Plan:
    scope.require(actor, scope.Action.EDIT, unit if plan is None else plan.unit)
    if not 2000 <= int(year) <= 2100:
        raise PlanError("year", "Năm kế hoạch không hợp lệ.")
    if not (title or "").strip():
        raise PlanError("title", "Cần nhập trích yếu của kế hoạch.")
    symbol = clean_plan_symbol(symbol)
    target_unit = unit if plan is None else plan.unit
    clash = Plan.objects.filter(unit=target_unit, year=year, symbol=symbol)
    if plan is not None:
        clash = clash.exclude(pk=plan.pk)
    if symbol and clash.exists():
        raise PlanError("symbol", f"Đơn vị đã có kế hoạch số {symbol} năm {year}.")
    with transaction.atomic():
        creating = plan is None
        plan = plan or Plan(unit=unit)
        plan.year, plan.title, plan.symbol, plan.issued_on = int(year), title.strip(), symbol, issued_on
        plan.save()
        audit.record(
            actor,
            Verb.PLAN_CREATED if creating else Verb.PLAN_UPDATED,
            plan,
            unit=plan.unit,
            data={"year": plan.year, "symbol": plan.symbol, "title": plan.title},
        )
        mark_stale_days(plan.unit, date(plan.year, 12, 14))
    return plan


# ---- tasks -----------------------------------------------------------------------------------------
@dataclass
class TaskData:
    code: str
    title: str
    area: str = ""
    responsible: str = ""
    deadline: date | None = None
    status: str = TaskStatus.NOT_STARTED
    completed_on: date | None = None
    evidence: str = ""
    assigned_by_higher: bool = False
    assigned_by: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def check_task(data: TaskData, *, parent_area: str | None, today: date) -> list[PlanError]:
    """Every problem of one task's values (the form and the XLSX import share these rules)."""
    errors: list[PlanError] = []
    if not CODE_RE.match(data.code):
        errors.append(PlanError("code", "Số thứ tự phải có dạng 1, 1.2 hoặc 1.2.3."))
    if not data.title.strip():
        errors.append(PlanError("title", "Cần nhập nội dung nhiệm vụ."))
    if not data.area and parent_area:
        data.area = parent_area
    if not data.area:
        errors.append(PlanError("area", "Cần chọn lĩnh vực CCHC."))
    elif find_area(data.area) is None:
        errors.append(PlanError("area", f"Không có lĩnh vực “{data.area}” trong danh mục lĩnh vực CCHC."))
    else:
        data.area = find_area(data.area).code
    if data.status not in TaskStatus.values:
        errors.append(PlanError("status", "Trạng thái phải là Chưa thực hiện, Đang thực hiện hoặc Hoàn thành."))
    if data.status == TaskStatus.DONE and data.completed_on is None:
        errors.append(PlanError("completed_on", "Nhiệm vụ đã hoàn thành cần có ngày hoàn thành."))
    if data.status != TaskStatus.DONE and data.completed_on is not None:
        errors.append(PlanError("completed_on", "Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành."))
    if data.completed_on is not None and data.completed_on > today:
        errors.append(PlanError("completed_on", "Ngày hoàn thành không được sau ngày hôm nay."))
    if data.assigned_by_higher and data.deadline is None:
        errors.append(PlanError("deadline", "Nhiệm vụ cấp trên giao cần có thời hạn để theo dõi đúng hạn."))
    return errors


def _apply(task: PlanTask, data: TaskData) -> bool:
    changed = False
    for name, value in data.__dict__.items():
        if getattr(task, name) != value:
            setattr(task, name, value)
            changed = True
    return changed


def save_task(
    actor,
    plan: Plan,
    data: TaskData,
    *,
    task: PlanTask | None = None,
    today: date | None = None,
    stale: set[date] | None = None,
) -> PlanTask:
    """Thêm hoặc sửa một nhiệm vụ; its parent is the task whose code is the prefix (``2`` for ``2.1``).

    ``stale`` collects the dates whose indicator values the change touches, for a caller that saves many
    tasks and marks them once (the import); without it they are marked here."""
    scope.require(actor, scope.Action.EDIT, plan.unit)
    today = today or timezone.localdate()
    data.code = data.code.strip()
    if not CODE_RE.match(data.code):
        raise PlanError("code", "Số thứ tự phải có dạng 1, 1.2 hoặc 1.2.3.")
    parent = None
    pcode = parent_code(data.code)
    if pcode:
        parent = plan.tasks.filter(code=pcode).first()
        if parent is None:
            raise PlanError("code", f"Chưa có nhiệm vụ số {pcode} để chứa phần việc {data.code}.")
    errors = check_task(data, parent_area=parent.area if parent else None, today=today)
    if errors:
        raise errors[0]
    clash = plan.tasks.filter(code=data.code)
    if task is not None:
        clash = clash.exclude(pk=task.pk)
        if task.code != data.code and task.children.exists():
            raise PlanError("code", "Không đổi số thứ tự của nhiệm vụ đang có phần việc.")
    if clash.exists():
        raise PlanError("code", f"Kế hoạch đã có nhiệm vụ số {data.code}.")
    with transaction.atomic():
        creating = task is None
        old = {} if creating else TaskData(**{k: getattr(task, k) for k in TaskData.__dataclass_fields__}).as_dict()
        task = task or PlanTask(plan=plan)
        task.parent = parent
        _apply(task, data)
        task.position = _position(data.code)
        task.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        task.save()
        audit.record(
            actor,
            Verb.PLAN_TASK_CREATED if creating else Verb.PLAN_TASK_UPDATED,
            task,
            unit=plan.unit,
            data={"new": data.as_dict(), "old": old},
        )
        days = {
            task.deadline,
            task.completed_on,
            old.get("completed_on") and parse_date(old["completed_on"]),
            date(plan.year, 12, 14),
        }
        if stale is None:
            mark_stale_days(plan.unit, *days)
        else:
            stale.update(d for d in days if d)
    return task


def _position(code: str) -> int:
    """Outline order as one integer: 2.10 after 2.9 (up to 999 per level, 4 levels)."""
    parts = [int(p) for p in code.split(".")] + [0] * 4
    pos = 0
    for p in parts[:4]:
        pos = pos * 1000 + p
    return pos


def set_status(
    actor,
    task: PlanTask,
    status: str,
    completed_on: date | None,
    evidence: str | None = None,
    today: date | None = None,
) -> PlanTask:
    """Cập nhật tiến độ một phần việc (the quick form on the plan page)."""
    data = TaskData(**{k: getattr(task, k) for k in TaskData.__dataclass_fields__})
    data.status, data.completed_on = status, completed_on
    if evidence is not None:
        data.evidence = evidence
    return save_task(actor, task.plan, data, task=task, today=today)


def delete_task(actor, task: PlanTask) -> None:
    scope.require(actor, scope.Action.EDIT, task.plan.unit)
    if task.children.exists():
        raise PlanError("code", "Xóa các phần việc trước khi xóa nhiệm vụ.")
    with transaction.atomic():
        audit.record(
            actor, Verb.PLAN_TASK_DELETED, task, unit=task.plan.unit, data={"code": task.code, "title": task.title}
        )
        unit, days = task.plan.unit, (task.deadline, task.completed_on, date(task.plan.year, 12, 14))
        task.delete()
        mark_stale_days(unit, *days)


def parse_optional_date(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_date(text[:10] if re.match(r"^\d{4}-\d{2}-\d{2} ", text) else text)
    except VietnameseParseError:
        raise


def task_differs(task: PlanTask, data: TaskData) -> bool:
    return any(getattr(task, k) != v for k, v in data.__dict__.items())


def upsert_tasks(actor, plan: Plan, rows: list[TaskData], today: date | None = None) -> int:
    """Create or update tasks by their number, parents first; unchanged rows are not touched.
    Returns how many tasks were created or changed. Used by the XLSX import and the demo."""
    scope.require(actor, scope.Action.EDIT, plan.unit)
    existing = {t.code: t for t in plan.tasks.all()}
    areas = {code: t.area for code, t in existing.items()}
    stale: set[date] = set()
    changed = 0
    with transaction.atomic():
        for data in sorted(rows, key=lambda d: _position(d.code)):
            # Normalise before comparing, so that a second run finds nothing to change.
            area = find_area(data.area) if data.area else None
            data.area = area.code if area else (data.area or areas.get(parent_code(data.code) or "", ""))
            areas[data.code] = data.area
            task = existing.get(data.code)
            if task is not None and not task_differs(task, data):
                continue
            existing[data.code] = save_task(actor, plan, data, task=task, today=today, stale=stale)
            changed += 1
        mark_stale_days(plan.unit, *sorted(stale))
    return changed
