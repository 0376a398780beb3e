from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from cchc.accounts.actors import SystemActor
from cchc.core.models import AuditEvent
from cchc.core.registry import todo_items
from cchc.feedback import selectors, services
from cchc.feedback.models import FeedbackItem, Handling
from cchc.feedback.tests.conftest import SONGIANG, SONTAY
from cchc.indicators.registry import Computed, Span, get_function

TODAY = date(2021, 12, 20)
YEAR = Span(date(2020, 12, 15), date(2021, 12, 14), "2021-NAM")


def _data(received_on, deadline=None, **extra):
    return services.FeedbackData(received_on, "truc_tiep", "Ông A", "Nội dung phản ánh", deadline=deadline, **extra)


@pytest.mark.parametrize(
    "handling, deadline",
    [
        # Received on Thursday 2/9/2021 (National Day, off with Friday 3/9): counted from Monday 6/9.
        (Handling.HANDLE, date(2021, 9, 24)),  # 15 working days
        (Handling.REFUSE, date(2021, 9, 7)),  # 2: over the holiday and the weekend
        (Handling.ASK_MORE, date(2021, 9, 10)),  # 5
    ],
)
def test_default_deadline_follows_the_handling_kind_in_working_days(sontay, officer, handling, deadline):
    item = services.save_item(officer, sontay, _data(date(2021, 9, 2), handling=handling), today=TODAY)
    assert item.deadline == deadline
    assert AuditEvent.objects.filter(verb="feedback.created", object_id=str(item.pk)).exists()


def test_changing_the_handling_moves_a_computed_deadline_but_never_an_officers(sontay, officer):
    item = services.save_item(officer, sontay, _data(date(2021, 9, 2)), today=TODAY)
    data = services._data_of(item)
    data.handling = Handling.REFUSE
    assert services.save_item(officer, sontay, data, item=item, today=TODAY).deadline == date(2021, 9, 7)
    data = services._data_of(item)
    data.deadline, data.handling = date(2021, 9, 30), Handling.ASK_MORE
    assert services.save_item(officer, sontay, data, item=item, today=TODAY).deadline == date(2021, 9, 30)


def test_satisfaction_only_once_answered_and_dossier_code_of_the_unit(sontay, officer, demo_org, catalogue):
    from cchc.dossiers.services import Applicant, receive

    with pytest.raises(services.FeedbackError) as exc:
        services.save_item(officer, sontay, _data(date(2021, 9, 1), satisfied=True), today=TODAY)
    assert (exc.value.field, exc.value.message) == (
        "satisfied",
        "Chỉ ghi mức độ hài lòng của người phản ánh khi đã trả lời.",
    )

    def dossier(code: str) -> str:
        return receive(
            SystemActor("test"), unit=demo_org[code], procedure=catalogue["1.004884"], applicant=Applicant("Bà B")
        ).code

    own, other = dossier(SONTAY), dossier(SONGIANG)
    with pytest.raises(services.FeedbackError) as exc:
        services.save_item(officer, sontay, _data(date(2021, 9, 1), dossier_code=other), today=TODAY)
    assert (exc.value.field, exc.value.message) == ("dossier_code", f"Không có hồ sơ mã “{other}” của Xã Sơn Tây.")
    item = services.save_item(
        officer,
        sontay,
        _data(date(2021, 9, 1), dossier_code=f" {own} ", answer="Xong", answered_on=date(2021, 9, 6), satisfied=False),
        today=TODAY,
    )
    item.refresh_from_db()
    assert (item.dossier_code, item.satisfied) == (own, False)
    # Unrated stays NULL, not "không hài lòng".
    item = services.save_item(officer, sontay, _data(date(2021, 9, 1)), today=TODAY)
    assert item.satisfied is None


def test_status_forward_answer(sontay, officer):
    item = services.save_item(officer, sontay, _data(date(2021, 9, 1), date(2021, 9, 15)), today=TODAY)
    assert item.status(date(2021, 9, 15)) == "open"
    assert item.status(date(2021, 9, 16)) == "overdue"
    item = services.forward(officer, item, "UBND huyện", date(2021, 9, 10), today=TODAY)
    assert item.status(TODAY) == "forwarded"
    item = services.answer(officer, item, "Đã trả lời", date(2021, 10, 1), today=TODAY)
    assert item.status(TODAY) == "resolved" and item.status_label(TODAY) == "Đã giải quyết"


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"forwarded_on": date(2021, 9, 5)}, "forwarded_to", "Cần ghi cơ quan được chuyển đến."),
        ({"answer": "Đã trả lời"}, "answered_on", "Cần ghi ngày trả lời."),
        (
            {"answered_on": date(2021, 8, 1), "answer": "x"},
            "answered_on",
            "Ngày trả lời không được trước ngày tiếp nhận.",
        ),
        ({"channel": "fax"}, "channel", "Hình thức tiếp nhận không hợp lệ."),
    ],
)
def test_rules(sontay, officer, extra, field, message):
    data = _data(date(2021, 9, 1))
    for k, v in extra.items():
        setattr(data, k, v)
    with pytest.raises(services.FeedbackError) as exc:
        services.save_item(officer, sontay, data, today=TODAY)
    assert (exc.value.field, exc.value.message) == (field, message)
    assert not FeedbackItem.objects.exists()


def test_figures_and_indicator_functions(sontay, demo_org):
    save = lambda data: services.save_item(SystemActor("test"), sontay, data, today=TODAY)  # noqa: E731
    save(_data(date(2021, 3, 1), date(2021, 3, 15), answer="Đã trả lời", answered_on=date(2021, 3, 10)))
    save(_data(date(2021, 6, 1), date(2021, 6, 15), forwarded_to="UBND huyện", forwarded_on=date(2021, 6, 3)))
    save(_data(date(2021, 11, 1), date(2021, 11, 15)))  # open, overdue at 14/12
    save(_data(date(2021, 12, 1), date(2021, 12, 20)))  # open, within its deadline at 14/12
    save(_data(date(2021, 5, 1), date(2021, 5, 15), about_admin_rule=False))  # not about an administrative rule
    save(_data(date(2021, 12, 10), date(2021, 12, 30), answer="Xong", answered_on=date(2021, 12, 18)))  # after cut-off
    f = selectors.figures([sontay.pk], YEAR.start, YEAR.end)
    assert (f.received, f.resolved, f.forwarded, f.overdue, f.all_received) == (5, 1, 1, 1, 6)
    units = [sontay, demo_org["001.16.21.H42"]]
    received = get_function("feedback.received")(units, YEAR)
    assert isinstance(received, Computed) and received.value == 5
    assert get_function("feedback.resolved")(units, YEAR) == 1
    assert get_function("feedback.forwarded")(units, YEAR) == 1
    assert get_function("feedback.overdue")(units, YEAR) == 1


def test_todo_for_items_past_deadline(sontay, officer, outsider):
    services.save_item(SystemActor("test"), sontay, _data(date(2021, 11, 1), date(2021, 11, 15)), today=TODAY)
    with mock.patch("cchc.feedback.todo.timezone.localdate", return_value=TODAY):
        items = [i for i in todo_items(officer, sontay) if i.title == "Phản ánh, kiến nghị quá hạn xử lý"]
        assert len(items) == 1 and items[0].count == 1 and "15/11/2021" in items[0].detail
        assert not [i for i in todo_items(outsider, sontay) if i.title.startswith("Phản ánh")]
    with mock.patch("cchc.feedback.todo.timezone.localdate", return_value=date(2021, 11, 15)):
        assert not [i for i in todo_items(officer, sontay) if i.title == "Phản ánh, kiến nghị quá hạn xử lý"]


def test_todo_for_items_near_their_deadline(sontay, officer, outsider):
    # Deadline Monday 15/11/2021; "near" is at most 2 working days away: from Thursday 11/11 on.
    services.save_item(SystemActor("test"), sontay, _data(date(2021, 11, 1), date(2021, 11, 15)), today=TODAY)
    answered = _data(date(2021, 11, 1), date(2021, 11, 15), answer="Xong", answered_on=date(2021, 11, 2))
    services.save_item(SystemActor("test"), sontay, answered, today=TODAY)  # answered: nothing to do

    def near(day):
        with mock.patch("cchc.feedback.todo.timezone.localdate", return_value=day):
            return [i for i in todo_items(officer, sontay) if i.title == "Phản ánh, kiến nghị sắp đến hạn xử lý"]

    assert near(date(2021, 11, 10)) == []  # Wednesday: 3 working days left
    for day in (date(2021, 11, 11), date(2021, 11, 13), date(2021, 11, 15)):  # Thursday, Saturday, the day itself
        items = near(day)
        assert len(items) == 1 and items[0].count == 1 and items[0].severity == "warning"
        assert "15/11/2021" in items[0].detail and "xem xét, xử lý" in items[0].detail
    assert near(date(2021, 11, 16)) == []  # past it: the overdue item instead
    with mock.patch("cchc.feedback.todo.timezone.localdate", return_value=date(2021, 11, 12)):
        assert not [i for i in todo_items(outsider, sontay) if i.title.startswith("Phản ánh")]


def test_demo_matches_indicator_demo_and_is_idempotent(sontay):
    from cchc.feedback.demo import run_demo

    run_demo(lambda line: None)
    run_demo(lambda line: None)
    assert FeedbackItem.objects.filter(received_on__year=2021).count() == 4
    # The demo month: eight of the three handling kinds (answered, rated or not, two open near their deadline).
    recent = FeedbackItem.objects.exclude(received_on__year=2021)
    assert recent.count() == 8 and set(recent.values_list("handling", flat=True)) == set(Handling.values)
    assert recent.filter(satisfied=True).exists() and recent.filter(satisfied=False).exists()
    assert not recent.filter(answered_on__isnull=True, satisfied__isnull=False).exists()
    f = selectors.figures([sontay.pk], YEAR.start, YEAR.end)
    assert (f.received, f.resolved) == (3, 3)


def test_views_and_scope(client, officer, outsider, sontay):
    item = services.save_item(SystemActor("test"), sontay, _data(date(2021, 11, 1), date(2021, 11, 15)), today=TODAY)
    client.force_login(outsider)
    assert client.get(reverse("feedback:edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("feedback:delete", args=[item.pk])).status_code == 404
    assert "Nội dung phản ánh" not in client.get(reverse("feedback:index")).content.decode()
    client.force_login(officer)
    page = client.get(reverse("feedback:index") + "?tt=overdue").content.decode()
    assert "Nội dung phản ánh" in page and "Quá hạn" in page
    assert client.get(reverse("feedback:create")).status_code == 200
    response = client.post(
        reverse("feedback:edit", args=[item.pk]),
        {
            "received_on": "01/11/2021",
            "channel": "truc_tiep",
            "citizen_name": "Ông A",
            "content": "Nội dung phản ánh",
            "about_admin_rule": "on",
            "handling": "bo_sung",
            "deadline": "15/11/2021",
            "answer": "Đã trả lời",
            "answered_on": "10/11/2021",
            "satisfied": "true",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.answered_on, item.handling, item.satisfied) == (date(2021, 11, 10), "bo_sung", True)
    page = client.get(reverse("feedback:index")).content.decode()
    assert "Đề nghị bổ sung thông tin" in page and "(10/11/2021; hài lòng)" in page
    response = client.post(
        reverse("feedback:create"),
        {"received_on": "01/11/2021", "channel": "truc_tiep", "citizen_name": "", "content": "x"},
    )
    assert response.status_code == 200 and FeedbackItem.objects.count() == 1
