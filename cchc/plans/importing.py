"""Nạp nhiệm vụ của kế hoạch từ tệp XLSX (hoặc CSV UTF-8). Columns are documented in docs/records.md.

All or nothing: every row is checked first; one bad value rejects the file with the row and column named
and nothing is saved. Rows are matched to existing tasks by their number (STT), so importing the same file
again changes nothing. Tasks missing from the file are kept (an import never deletes).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.importing import ErrorCollector, ImportRejected, ImportResult, RowError
from cchc.core.tabular import normalise_header, read_table
from cchc.core.vnformat import VietnameseParseError
from cchc.plans import services
from cchc.plans.models import Plan, TaskStatus

# field → (label printed in errors and in the example file, accepted header spellings)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": ("STT", ("stt", "so thu tu", "ma", "ma nhiem vu", "code")),
    "area": ("Lĩnh vực", ("linh vuc", "linh vuc cchc", "area")),
    "title": ("Nội dung nhiệm vụ", ("noi dung nhiem vu", "noi dung", "nhiem vu", "ten nhiem vu", "title")),
    "responsible": (
        "Người, bộ phận thực hiện",
        (
            "nguoi, bo phan thuc hien",
            "nguoi thuc hien",
            "bo phan thuc hien",
            "don vi thuc hien",
            "phu trach",
            "responsible",
        ),
    ),
    "deadline": ("Thời hạn", ("thoi han", "thoi gian hoan thanh", "han hoan thanh", "deadline")),
    "status": ("Trạng thái", ("trang thai", "tinh trang", "status")),
    "completed_on": ("Ngày hoàn thành", ("ngay hoan thanh", "completed on")),
    "evidence": ("Kết quả, minh chứng", ("ket qua, minh chung", "minh chung", "ket qua", "san pham", "evidence")),
    "assigned_by_higher": ("Cấp trên giao", ("cap tren giao", "nhiem vu cap tren giao", "assigned")),
    "assigned_by": ("Văn bản giao", ("van ban giao", "van ban giao nhiem vu", "assigned by")),
}
REQUIRED = ("code", "title")
STATUS_WORDS = {
    "": TaskStatus.NOT_STARTED,
    "chua thuc hien": TaskStatus.NOT_STARTED,
    "chua": TaskStatus.NOT_STARTED,
    "dang thuc hien": TaskStatus.IN_PROGRESS,
    "dang": TaskStatus.IN_PROGRESS,
    "hoan thanh": TaskStatus.DONE,
    "da hoan thanh": TaskStatus.DONE,
    "xong": TaskStatus.DONE,
}
YES = {"co", "x", "1", "yes", "true"}
NO = {"", "khong", "0", "no", "false"}


def _header_map(header: list[str], errors: ErrorCollector) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = normalise_header(raw)
        for name, (_label, aliases) in COLUMNS.items():
            if key in aliases and name not in found:
                found[name] = index
    for name in REQUIRED:
        if name not in found:
            errors.add(1, COLUMNS[name][0], "", "Thiếu cột bắt buộc.")
    return found


def _date(errors: ErrorCollector, row: int, name: str, text: str) -> date | None:
    try:
        return services.parse_optional_date(text)
    except VietnameseParseError as exc:
        errors.add(row, COLUMNS[name][0], text, str(exc))
        return None


def read_rows(
    path: Path | str, content: bytes | None = None, today: date | None = None, existing: dict[str, str] | None = None
) -> list[services.TaskData]:
    """Check every row and return the tasks in outline order; raise ImportRejected listing every error.
    ``existing`` maps the codes already in the plan to their area (parents outside the file)."""
    today = today or timezone.localdate()
    header, rows = read_table(path, content)
    errors = ErrorCollector()
    cols = _header_map(header, errors)
    errors.raise_if_any()
    tasks: list[tuple[int, services.TaskData]] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):

        def cell(name: str, cells: list[str] = cells) -> str:
            i = cols.get(name)
            return cells[i].strip() if i is not None and i < len(cells) and cells[i] is not None else ""

        if not any(c.strip() for c in cells if c):
            continue
        code = cell("code").rstrip(".")
        status_text = normalise_header(cell("status"))
        status = STATUS_WORDS.get(status_text)
        if status is None:
            errors.add(
                number,
                COLUMNS["status"][0],
                cell("status"),
                "Trạng thái phải là “Chưa thực hiện”, “Đang thực hiện” hoặc “Hoàn thành”.",
            )
            status = TaskStatus.NOT_STARTED
        assigned_text = normalise_header(cell("assigned_by_higher"))
        if assigned_text not in YES | NO:
            errors.add(number, COLUMNS["assigned_by_higher"][0], cell("assigned_by_higher"), "Ghi “Có” hoặc để trống.")
        data = services.TaskData(
            code=code,
            title=cell("title"),
            area=cell("area"),
            responsible=cell("responsible"),
            deadline=_date(errors, number, "deadline", cell("deadline")),
            status=status,
            completed_on=_date(errors, number, "completed_on", cell("completed_on")),
            evidence=cell("evidence"),
            assigned_by_higher=assigned_text in YES,
            assigned_by=cell("assigned_by"),
        )
        if code in seen:
            errors.add(number, COLUMNS["code"][0], code, f"Trùng số thứ tự với dòng {seen[code]}.")
            continue
        seen[code] = number
        tasks.append((number, data))
    areas = dict(existing or {})
    for number, data in sorted(
        tasks, key=lambda t: services._position(t[1].code) if services.CODE_RE.match(t[1].code) else 0
    ):
        pcode = services.parent_code(data.code)
        if pcode and pcode not in areas:
            errors.add(number, COLUMNS["code"][0], data.code, f"Không có nhiệm vụ số {pcode} chứa phần việc này.")
        for problem in services.check_task(data, parent_area=areas.get(pcode) if pcode else None, today=today):
            errors.add(
                number,
                COLUMNS.get(problem.field, (problem.field,))[0],
                getattr(data, problem.field, ""),
                problem.message,
            )
        areas[data.code] = data.area
    if not tasks and not errors:
        errors.add(None, "", "", "Tệp không có dòng nhiệm vụ nào.")
    errors.raise_if_any()
    return [d for _, d in sorted(tasks, key=lambda t: services._position(t[1].code))]


def import_tasks(
    actor,
    plan: Plan,
    path: Path | str,
    *,
    content: bytes | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Nạp nhiệm vụ vào kế hoạch ``plan``: atomic, idempotent, with a dry run."""
    scope.require(actor, scope.Action.EDIT, plan.unit)
    existing = {t.code: t for t in plan.tasks.all()}
    rows = read_rows(path, content, today=today, existing={c: t.area for c, t in existing.items()})
    result = ImportResult(dry_run=dry_run)
    for data in rows:
        task = existing.get(data.code)
        if task is None:
            result.created += 1
        elif services.task_differs(task, data):
            result.updated += 1
        else:
            result.unchanged += 1
    if dry_run or not (result.created or result.updated):
        return result
    try:
        with transaction.atomic():
            services.upsert_tasks(actor, plan, rows, today=today)
            audit.record(
                actor,
                Verb.PLAN_TASKS_IMPORTED,
                plan,
                unit=plan.unit,
                data={"file": Path(str(path)).name, "created": result.created, "updated": result.updated},
            )
    except services.PlanError as exc:  # a rule only the database knows (should not happen after read_rows)
        raise ImportRejected([RowError(None, exc.field, "", exc.message)]) from exc
    return result


def write_example(path: Path | str) -> Path:
    """Tệp mẫu: the header and a few rows of a commune plan (openpyxl writes it)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append([label for label, _ in COLUMNS.values()])
    ws.append(["1", "Chỉ đạo điều hành", "Công tác chỉ đạo, điều hành CCHC", "", "", "", "", "", "", ""])
    ws.append(
        [
            "1.1",
            "",
            "Ban hành Kế hoạch CCHC năm 2021",
            "Công chức Văn phòng - Thống kê",
            "31/01/2021",
            "Hoàn thành",
            "19/01/2021",
            "Kế hoạch số 04/KH-UBND ngày 19/01/2021",
            "",
            "",
        ]
    )
    ws.append(
        [
            "1.2",
            "",
            "Báo cáo CCHC quý III",
            "Công chức Văn phòng - Thống kê",
            "20/09/2021",
            "Đang thực hiện",
            "",
            "",
            "Có",
            "Công văn số 83/UBND-NV ngày 21/01/2021 của UBND huyện",
        ]
    )
    ws.append(["2", "Cải cách TTHC", "Kiểm soát thủ tục hành chính", "", "", "", "", "", "", ""])
    ws.append(
        [
            "2.1",
            "",
            "Niêm yết công khai TTHC tại Bộ phận Một cửa",
            "Bộ phận Một cửa",
            "31/03/2021",
            "Chưa thực hiện",
            "",
            "",
            "",
            "",
        ]
    )
    for column, width in zip("ABCDEFGHIJ", (6, 22, 50, 30, 12, 16, 16, 40, 14, 40), strict=True):
        ws.column_dimensions[column].width = width
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
