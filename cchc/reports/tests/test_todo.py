"""The home page reminds a commune of a report due soon or late, and a reviewer of reports to receive."""

from datetime import date

import pytest

from cchc.accounts.models import Role
from cchc.reports import services, todo
from cchc.reports.tests.test_workflow import _submit

SON_TAY = "000.16.21.H42"


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: date) -> None:
        monkeypatch.setattr(todo, "today", lambda: day)

    return set_day


def _titles(items):
    return [(i.title, i.severity) for i in items]


def test_commune_is_reminded_before_and_after_the_due_date(demo_values, make_user, on_day):
    officer = make_user("cb", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    on_day(date(2021, 12, 15))  # the year report is due 20/12; the Q3 report was due 20/9
    titles = _titles(todo.report_items(officer, demo_values[SON_TAY]))
    assert ("Báo cáo CCHC năm 2021 sắp đến hạn gửi", "warning") in titles
    assert ("Báo cáo CCHC quý III năm 2021 đã quá hạn gửi", "danger") in titles
    report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    _submit(officer, report)
    after = _titles(todo.report_items(officer, demo_values[SON_TAY]))
    assert ("Báo cáo CCHC năm 2021 sắp đến hạn gửi", "warning") not in after
    assert ("Báo cáo CCHC quý III năm 2021 đã quá hạn gửi", "danger") in after


def test_leader_and_other_communes_get_no_reminder_for_this_commune(demo_values, make_user, on_day):
    on_day(date(2021, 12, 15))
    leader = make_user("ld", Role.LEADER, demo_values[SON_TAY])
    assert todo.report_items(leader, demo_values[SON_TAY]) == []


def test_reviewer_sees_reports_waiting_for_review(demo_values, make_user, on_day):
    on_day(date(2021, 12, 15))
    officer = make_user("cb", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    _submit(officer, services.create_report(officer, demo_values[SON_TAY], "2021-NAM"))
    reviewer = make_user("pnv", Role.DISTRICT_REVIEWER, demo_values["000.01.21.H42"])
    waiting = [i for i in todo.report_items(reviewer, demo_values["000.00.21.H42"]) if "chờ tiếp nhận" in i.title]
    assert len(waiting) == 1 and waiting[0].count == 1


def test_returned_report_is_listed_as_returned_not_late(demo_values, make_user, on_day):
    officer = make_user("cb", Role.COMMUNE_OFFICER, demo_values[SON_TAY])
    reviewer = make_user("snv", Role.PROVINCE_REVIEWER, demo_values["000.00.01.H42"])
    on_day(date(2021, 12, 28))  # past the due date 20/12
    report = services.create_report(officer, demo_values[SON_TAY], "2021-NAM")
    _submit(officer, report)
    services.review_report(reviewer, report, "return", "Bổ sung số liệu phụ lục")
    titles = _titles(todo.report_items(officer, demo_values[SON_TAY]))
    assert ("Báo cáo CCHC năm 2021 bị cấp trên trả lại", "danger") in titles
    assert all("năm 2021 đã quá hạn gửi" not in t for t, _ in titles)
