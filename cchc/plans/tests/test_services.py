from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cchc.accounts.actors import SystemActor
from cchc.core.models import AuditEvent
from cchc.core.vnformat import format_percent
from cchc.plans import selectors, services
from cchc.plans.models import Plan, TaskStatus

TODAY = date(2021, 12, 20)


def test_demo_plan_progress_is_26_of_28(demo_plan):
    progress = selectors.plan_progress(demo_plan, TODAY)
    assert (progress.done, progress.total) == (26, 28)
    assert progress.rate == Decimal("92.86")
    assert format_percent(progress.rate) == "92,86%"
    # The 7 nhiệm vụ are parents: they show the progress of their phần việc and are not counted themselves.
    rows = {r.task.code: r for r in selectors.task_rows(demo_plan)}
    assert not rows["1"].is_leaf and (rows["1"].done, rows["1"].total) == (5, 6)
    assert (rows["7"].done, rows["7"].total) == (4, 5)
    assert sum(1 for r in rows.values() if r.depth == 0) == 7
    assert progress.overdue == 2


def test_overdue_and_due_soon_flags(demo_plan, sontay):
    overdue = list(selectors.overdue_tasks([sontay.pk], TODAY))
    assert [t.code for t in overdue] == ["1.6", "7.5"]
    assert overdue[0].is_overdue(TODAY) and not overdue[0].is_overdue(date(2021, 11, 30))
    # On 28/11 neither is overdue yet; both fall due within 7 days.
    assert list(selectors.overdue_tasks([sontay.pk], date(2021, 11, 28))) == []
    assert [t.code for t in selectors.due_soon_tasks([sontay.pk], date(2021, 11, 28))] == ["1.6", "7.5"]
    # A done task is never overdue, whatever its deadline.
    done = demo_plan.tasks.get(code="1.1")
    assert done.deadline < TODAY and not done.is_overdue(TODAY)


def test_assigned_tasks_on_time_late_not_done(demo_plan, sontay):
    summary = selectors.assigned_summary([sontay.pk], date(2020, 12, 15), date(2021, 12, 14))
    # 1.1, 1.3 and 5.2 done by their deadlines; 1.4 done on 28/8 for a deadline of 15/8.
    assert (summary.assigned, summary.on_time, summary.late, summary.not_done) == (4, 3, 1, 0)
    assert demo_plan.tasks.get(code="1.4").timeliness == "late"
    task = demo_plan.tasks.get(code="1.3")
    services.set_status(SystemActor("test"), task, TaskStatus.IN_PROGRESS, None, today=TODAY)
    summary = selectors.assigned_summary([sontay.pk], date(2020, 12, 15), date(2021, 12, 14))
    assert (summary.on_time, summary.late, summary.not_done) == (2, 1, 1)
    # Judged at an earlier cut-off, a task finished later is not done yet.
    q3 = selectors.assigned_summary([sontay.pk], date(2021, 6, 15), date(2021, 9, 14))
    assert (q3.assigned, q3.on_time, q3.late) == (1, 0, 1)


def test_task_rules_give_vietnamese_errors(demo_plan, officer):
    cases = [
        (
            services.TaskData(code="1.9", title="Việc", status=TaskStatus.DONE),
            "completed_on",
            "Nhiệm vụ đã hoàn thành cần có ngày hoàn thành.",
        ),
        (services.TaskData(code="9.1", title="Việc"), "code", "Chưa có nhiệm vụ số 9 để chứa phần việc 9.1."),
        (
            services.TaskData(code="8", title="Việc", area="thi đua"),
            "area",
            "Không có lĩnh vực “thi đua” trong danh mục lĩnh vực CCHC.",
        ),
        (services.TaskData(code="1.2", title="Trùng"), "code", "Kế hoạch đã có nhiệm vụ số 1.2."),
        (
            services.TaskData(code="1.9", title="Việc", assigned_by_higher=True),
            "deadline",
            "Nhiệm vụ cấp trên giao cần có thời hạn để theo dõi đúng hạn.",
        ),
        (
            services.TaskData(code="1.9", title="Việc", status=TaskStatus.DONE, completed_on=date(2022, 1, 5)),
            "completed_on",
            "Ngày hoàn thành không được sau ngày hôm nay.",
        ),
        (services.TaskData(code="a.1", title="Việc"), "code", "Số thứ tự phải có dạng 1, 1.2 hoặc 1.2.3."),
    ]
    before = demo_plan.tasks.count()
    for data, field, message in cases:
        with pytest.raises(services.PlanError) as exc:
            services.save_task(officer, demo_plan, data, today=TODAY)
        assert (exc.value.field, exc.value.message) == (field, message)
    assert demo_plan.tasks.count() == before


def test_sub_task_inherits_area_and_write_is_audited(demo_plan, officer):
    task = services.save_task(officer, demo_plan, services.TaskData(code="3.7", title="Số hóa kết quả"), today=TODAY)
    assert task.area == "tthc" and task.parent.code == "3"
    event = AuditEvent.objects.filter(verb="plans.task_created", object_id=str(task.pk)).get()
    assert event.actor == officer and event.unit_id == demo_plan.unit_id
    assert selectors.plan_progress(demo_plan, TODAY).total == 29


def test_outsider_cannot_write(demo_plan, outsider):
    with pytest.raises(PermissionDenied):
        services.save_task(outsider, demo_plan, services.TaskData(code="1.9", title="x"), today=TODAY)
    with pytest.raises(PermissionDenied):
        services.save_plan(outsider, demo_plan.unit, year=2022, title="x")


def test_plan_symbol_is_checked_with_the_nd30_parser(sontay, officer):
    with pytest.raises(services.PlanError) as exc:
        services.save_plan(officer, sontay, year=2021, title="KH", symbol="78/CV-UBND")
    assert exc.value.message == (
        "“78/CV-UBND”: công văn không ghi tên loại “CV”; ký hiệu là <cơ quan>-<đơn vị soạn thảo>, ví dụ 123/UBND-VP."
    )
    with pytest.raises(services.PlanError) as exc:
        services.save_plan(officer, sontay, year=2021, title="KH", symbol="40/BC-UBND")
    assert "không phải số, ký hiệu của một kế hoạch" in exc.value.message
    plan = services.save_plan(officer, sontay, year=2022, title="Kế hoạch CCHC năm 2022", symbol="5/KH-UBND")
    assert plan.symbol == "05/KH-UBND"
    assert Plan.objects.filter(unit=sontay).count() == 1


def test_weekly_summary(demo_plan, sontay):
    # Monday 6/12/2021: the past week is 29/11-5/12.
    summary = selectors.weekly_summary(sontay, date(2021, 12, 6))
    assert (summary.week_start, summary.week_end) == (date(2021, 11, 29), date(2021, 12, 5))
    assert [t.code for t in summary.completed] == ["5.3", "3.6", "7.2", "7.1"]
    assert [t.code for t in summary.overdue] == ["1.6", "7.5"]
    assert summary.due_next_week == []
    text = selectors.weekly_summary_text(summary)
    assert text.startswith("TỔNG HỢP TUẦN 29/11/2021 – 05/12/2021: Xã Sơn Tây")
    assert "hoàn thành 26/28 phần việc (92,86%); quá hạn 2." in text
    assert "  - 1.6. Xây dựng kế hoạch thực hiện công tác CCHC giai đoạn 2021-2030" in text
