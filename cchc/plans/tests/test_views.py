from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.core.registry import todo_items
from cchc.indicators.registry import Computed, Span, get_function
from cchc.plans import services
from cchc.plans.importing import write_example
from cchc.plans.models import TaskStatus


def test_pages_render_for_the_officer(client, officer, demo_plan):
    client.force_login(officer)
    task = demo_plan.tasks.get(code="1.4")
    for url in [
        reverse("plans:index"),
        reverse("plans:plan", args=[demo_plan.pk]),
        reverse("plans:plan", args=[demo_plan.pk]) + "?loc=qua-han",
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task_edit", args=[task.pk]),
        reverse("plans:task_create", args=[demo_plan.pk]),
        reverse("plans:import", args=[demo_plan.pk]),
        reverse("plans:overdue"),
        reverse("plans:weekly"),
        reverse("plans:plan_create"),
        reverse("plans:plan_edit", args=[demo_plan.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("plans:plan", args=[demo_plan.pk])).content.decode()
    assert "26/28 phần việc" in page and "92,86%" in page
    filtered = client.get(reverse("plans:plan", args=[demo_plan.pk]) + "?loc=qua-han").content.decode()
    assert "1.6" in filtered and "Ban hành Kế hoạch CCHC của xã năm 2021" not in filtered


def test_other_commune_gets_404_by_id(client, outsider, demo_plan):
    client.force_login(outsider)
    task = demo_plan.tasks.get(code="1.1")
    for url in [
        reverse("plans:plan", args=[demo_plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task_edit", args=[task.pk]),
        reverse("plans:import", args=[demo_plan.pk]),
        reverse("plans:plan_edit", args=[demo_plan.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("plans:task_status", args=[task.pk]), {"status": "chua_thuc_hien"}).status_code == 404
    assert client.post(reverse("plans:task_delete", args=[task.pk])).status_code == 404
    assert "04/KH-UBND" not in client.get(reverse("plans:index")).content.decode()


def test_leader_sees_but_cannot_edit(client, make_user, sontay, demo_plan):
    from cchc.accounts.models import Role

    client.force_login(make_user("lanhdao", Role.LEADER, sontay))
    task = demo_plan.tasks.get(code="1.6")
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 200
    assert client.post(reverse("plans:task_status", args=[task.pk]), {"status": "hoan_thanh"}).status_code == 403


def test_quick_status_update(client, officer, demo_plan):
    client.force_login(officer)
    task = demo_plan.tasks.get(code="1.6")
    response = client.post(
        reverse("plans:task_status", args=[task.pk]), {"status": TaskStatus.DONE, "completed_on": "01/12/2021"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (TaskStatus.DONE, date(2021, 12, 1))


def test_create_task_form_shows_errors(client, officer, demo_plan):
    client.force_login(officer)
    response = client.post(
        reverse("plans:task_create", args=[demo_plan.pk]),
        {"code": "9.1", "title": "x", "status": TaskStatus.NOT_STARTED},
    )
    assert response.status_code == 200
    assert "Chưa có nhiệm vụ số 9 để chứa phần việc 9.1." in response.content.decode()


def test_upload_form_dry_run_then_import(client, officer, sontay, tmp_path):
    plan = services.save_plan(officer, sontay, year=2021, title="Kế hoạch thử")
    client.force_login(officer)
    path = write_example(tmp_path / "mau.xlsx")
    with path.open("rb") as f:
        response = client.post(reverse("plans:import", args=[plan.pk]), {"file": f, "dry_run": "on"})
    assert "Kiểm tra thử (không lưu): thêm mới 5" in response.content.decode()
    assert plan.tasks.count() == 0
    with path.open("rb") as f:
        response = client.post(reverse("plans:import", args=[plan.pk]), {"file": f})
    assert response.status_code == 302 and plan.tasks.count() == 5


def test_todo_items_for_overdue_and_due_soon(officer, sontay, outsider):
    today = timezone.localdate()
    plan = services.save_plan(SystemActor("test"), sontay, year=today.year, title="Kế hoạch năm nay")
    services.save_task(SystemActor("test"), plan, services.TaskData(code="1", title="Chỉ đạo", area="chi_dao"))
    services.save_task(
        SystemActor("test"), plan, services.TaskData(code="1.1", title="Việc trễ", deadline=today - timedelta(days=3))
    )
    services.save_task(
        SystemActor("test"),
        plan,
        services.TaskData(code="1.2", title="Việc sắp đến hạn", deadline=today + timedelta(days=5)),
    )
    services.save_task(
        SystemActor("test"),
        plan,
        services.TaskData(code="1.3", title="Việc còn xa", deadline=today + timedelta(days=30)),
    )
    items = {i.title: i for i in todo_items(officer, sontay)}
    assert items["Nhiệm vụ kế hoạch CCHC quá hạn"].count == 1
    assert items["Nhiệm vụ kế hoạch CCHC quá hạn"].severity == "danger"
    assert "1.1. Việc trễ" in items["Nhiệm vụ kế hoạch CCHC quá hạn"].detail
    assert items["Nhiệm vụ đến hạn trong 7 ngày"].count == 1
    assert "Nhiệm vụ kế hoạch CCHC quá hạn" not in {i.title for i in todo_items(outsider, sontay)}


def test_registered_indicator_functions(demo_plan, sontay, demo_org):
    units = [sontay, demo_org["001.16.21.H42"]]
    year = Span(date(2020, 12, 15), date(2021, 12, 14), "2021-NAM")
    q3 = Span(date(2021, 6, 15), date(2021, 9, 14), "2021-Q3")
    planned = get_function("plans.tasks_planned")(units, year)
    assert isinstance(planned, Computed) and planned.value == 28
    assert get_function("plans.tasks_done")(units, year).value == 26
    assert get_function("plans.tasks_done")(units, q3).value == 16
    assert get_function("plans.tasks_planned")([demo_org["000.00.62.H42"]], year).value == 0
    assert get_function("plans.assigned_tasks")(units, year) == 4
    assert get_function("plans.assigned_done_on_time")(units, year) == 3
    assert get_function("plans.assigned_done_late")(units, year) == 1


def test_weekly_summary_command(demo_plan, capsys):
    call_command("plans", "weekly-summary", "--unit", "000.16.21.H42", "--date", "06/12/2021")
    out = capsys.readouterr().out
    assert out.startswith("TỔNG HỢP TUẦN 29/11/2021 – 05/12/2021: Xã Sơn Tây")
    assert "Quá hạn: 2" in out


def test_demo_is_idempotent(demo_plan):
    from cchc.plans.demo import run_demo

    lines: list[str] = []
    run_demo(lines.append)
    assert "(0 nhiệm vụ mới hoặc thay đổi)" in lines[0]
    assert demo_plan.tasks.count() == 35


@pytest.mark.parametrize("code", ["plans.tasks_planned", "plans.tasks_done"])
def test_catalogue_codes_are_registered(code):
    assert get_function(code) is not None
