"""PAR-index remediation screens in a real browser (Debian Chromium): the level above sees that a commune has
no plan yet and can remind it; the commune's rows autosave field by field without reloading the page, and
no input cuts its text."""

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.models import AuditEvent
from cchc.parindex import demo, services
from cchc.parindex.models import RemediationTask
from conftest import TEST_PASSWORD

SON_TAY = "000.16.21.H42"


def test_province_sees_no_plan_yet_and_reminds_the_commune(demo_set, demo_org, make_user, page, login, live_server):
    a = demo.score_commune(demo_set, demo_org[SON_TAY], 1)
    make_user("tinh", Role.PROVINCE_REVIEWER, demo_org[demo.DEMO_PROVINCE])
    login("tinh", TEST_PASSWORD)
    page.goto(f"{live_server.url}/chi-so-cchc/danh-gia/{a.pk}/khac-phuc/")
    card = page.locator("#chua-co-ke-hoach")
    assert "Xã Sơn Tây chưa lập kế hoạch khắc phục" in card.inner_text()
    assert card.locator("tbody tr").count() > 0  # the lost criteria with the suggested measures are listed
    page.click("text=Nhắc Xã Sơn Tây lập kế hoạch")
    page.wait_for_selector("text=Đã nhắc Xã Sơn Tây")
    assert AuditEvent.objects.filter(verb="parindex.plan.remind", object_id=str(a.pk)).count() == 1
    assert "Đã nhắc đơn vị lúc" in page.locator("#chua-co-ke-hoach").inner_text()


def test_commune_rows_autosave_each_field_without_reload(demo_set, demo_org, make_user, page, login, live_server):
    a = demo.score_commune(demo_set, demo_org[SON_TAY], 1)
    make_user("xa", Role.COMMUNE_OFFICER, demo_org[SON_TAY])
    login("xa", TEST_PASSWORD)
    page.goto(f"{live_server.url}/chi-so-cchc/danh-gia/{a.pk}/khac-phuc/")
    page.click("button:has-text('Lập kế hoạch khắc phục')")
    page.wait_for_selector(".pi-task")
    task = RemediationTask.objects.filter(plan__assessment=a).order_by("criterion__position").first()
    card = page.locator(f"#nv-{task.pk}")
    # No field cuts its own text: every input and textarea is at least as wide as what it holds.
    fields = ".pi-taskform input:not([type=hidden]), .pi-taskform textarea, .pi-taskform select"
    clipped = page.evaluate(f"""() => [...document.querySelectorAll('{fields}')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 || e.clientWidth < 60).map(e => e.name)""")
    assert clipped == []
    page.evaluate("window.__marker = 'no reload'")
    card.locator("textarea[name=responsible]").fill("Đ/c Phong, công chức Văn phòng - Thống kê")
    card.locator("textarea[name=responsible]").blur()
    page.wait_for_selector(f"#nv-{task.pk} .pi-saved")
    card = page.locator(f"#nv-{task.pk}")
    card.locator("select[name=status]").select_option("done")
    page.wait_for_selector(f"#nv-{task.pk} .badge.status-done")
    card = page.locator(f"#nv-{task.pk}")
    card.locator("textarea[name=result_evidence]").fill("Biên bản số 03/BB-UBND")
    with page.expect_response(lambda r: "/nhiem-vu/" in r.url) as saved:
        card.locator("textarea[name=result_evidence]").blur()
    assert saved.value.status == 200
    page.wait_for_selector(f"#nv-{task.pk} .pi-saved")
    assert page.evaluate("window.__marker") == "no reload"  # saved in place, the page was never reloaded
    task.refresh_from_db()
    assert (task.responsible, task.status, task.result_evidence, task.progress) == (
        "Đ/c Phong, công chức Văn phòng - Thống kê",
        "done",
        "Biên bản số 03/BB-UBND",
        100,
    )
    # A stale card (another person saved meanwhile) is refused in place, not overwritten.
    services.update_task(SystemActor("other"), task, task.version, note="sửa ở máy khác")
    card = page.locator(f"#nv-{task.pk}")
    card.locator("input[name=note]").fill("sửa ở máy này")
    with page.expect_response(lambda r: "/nhiem-vu/" in r.url) as refused:
        card.locator("input[name=note]").blur()
    assert refused.value.status == 409
    assert "vừa được người khác sửa" in page.locator(f"#nv-{task.pk} [role=alert]").inner_text()
    task.refresh_from_db()
    assert task.note == "sửa ở máy khác"
