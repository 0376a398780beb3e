"""Points at stake on the home page of the clerk and the leader, the page with the whole list, and the weekly
summary (printed, and emailed with --send) — on 16/3/2026, the running month March."""

from __future__ import annotations

import io
from datetime import date

import lxml.html
import pytest
from django.core import mail
from django.core.management import call_command

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.core.vnformat import format_number
from cchc.index766.selectors import index_for, points_at_stake

TODAY = date(2026, 3, 16)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
ACTOR = SystemActor("test")


@pytest.fixture
def today(monkeypatch):
    """The running day is 16/3/2026 for every read of the request (pages, panel, selectors)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


def _returned(dossier, unit):
    return dossier(
        unit,
        date(2026, 3, 2),
        date(2026, 3, 10),
        returned_on=date(2026, 3, 9),
        closed_on=date(2026, 3, 9),
        outcome="som",
        status="da_tra",
    )


@pytest.fixture
def pending(org, dossier):
    """Xã An: 2 returned, 2 pending due before 31/3, 1 due in April. Xã Bình: 1 returned, 1 pending due 30/3
    (one late dossier costs Xã Bình more: 1 of 2 against 1 of 4)."""
    for _ in range(2):
        _returned(dossier, org["A"])
    a_late = dossier(org["A"], date(2026, 3, 9), date(2026, 3, 27))
    a_soon = dossier(org["A"], date(2026, 3, 9), date(2026, 3, 18))
    april = dossier(org["A"], date(2026, 3, 9), date(2026, 4, 8))
    _returned(dossier, org["B"])
    b = dossier(org["B"], date(2026, 3, 9), date(2026, 3, 30))
    return {"a_late": a_late, "a_soon": a_soon, "april": april, "b": b}


def _panel(client) -> lxml.html.HtmlElement:
    response = client.get("/")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    found = [s for s in doc.xpath("//section[contains(@class, 'home-panel')]") if "QĐ 766" in s.text_content()]
    assert len(found) == 1
    return found[0]


def test_leader_home_lists_the_dossiers_due_before_the_month_ends_most_costly_first(
    client, make_user, org, pending, today
):
    client.force_login(make_user("lanhdao.tinh", Role.LEADER, org["P"]))
    panel = _panel(client)
    links = [a.get("href") for a in panel.xpath(".//tbody//a")]
    expected = [pending[k] for k in ("b", "a_soon", "a_late")]
    assert links == [f"/ho-so/{d.pk}/" for d in expected]  # the April dossier is not at stake in March
    stake = points_at_stake(org["P"], *MARCH, actor=ACTOR, today=TODAY)
    costs = [td.text_content().strip() for td in panel.xpath(".//tbody//td")]
    assert costs == [format_number(s.points_cost) for s in stake.dossiers]
    assert stake.dossiers[0].points_cost > stake.dossiers[1].points_cost  # sorted by cost, not by due date
    assert panel.xpath(".//a[starts-with(@href, '/chi-so-766/diem-co-the-mat/')]")


def test_clerk_home_lists_its_commune_and_an_officer_gets_no_panel(client, make_user, org, pending, today):
    client.force_login(make_user("motcua.an", Role.ONE_STOP_CLERK, org["A"]))
    links = [a.get("href") for a in _panel(client).xpath(".//tbody//a")]
    assert links == [f"/ho-so/{pending[k].pk}/" for k in ("a_soon", "a_late")]
    client.force_login(make_user("canbo.an2", Role.COMMUNE_OFFICER, org["A"]))
    assert "QĐ 766 có thể mất" not in client.get("/").content.decode()


def test_stake_page_lists_them_all_with_their_cost(client, make_user, org, pending, today):
    client.force_login(make_user("lanhdao.tinh", Role.LEADER, org["P"]))
    response = client.get("/chi-so-766/diem-co-the-mat/?don-vi=P01")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    codes = [tr.get("data-code") for tr in doc.xpath("//table[contains(@class, 'i7-stake')]//tr[@data-code]")]
    assert codes == [pending[k].code for k in ("b", "a_soon", "a_late")]


def _with_email(user):
    user.email = f"{user.username}@example.vn"
    user.save(update_fields=["email"])
    return user


def test_weekly_summary_printed_and_emailed_to_leaders_and_clerks_with_an_email(make_user, org, pending, today):
    _with_email(make_user("lanhdao.an", Role.LEADER, org["A"]))
    make_user("motcua.an", Role.ONE_STOP_CLERK, org["A"])  # no email: nothing to send to
    out = io.StringIO()
    call_command("index766", "weekly", "--date", "2026-03-16", "--send", stdout=out)
    text = out.getvalue()
    now = index_for(org["A"], *MARCH, actor=ACTOR, as_of=TODAY)
    before = index_for(org["A"], date(2026, 3, 1), date(2026, 3, 9), actor=ACTOR, as_of=date(2026, 3, 9))
    assert f"đến ngày 16/03/2026: {format_number(now.total, 2)}/100" in text
    assert f"Một tuần trước (đến ngày 09/03/2026): {format_number(before.total, 2)}" in text
    first = text.index(pending["a_soon"].code)
    assert first < text.index(pending["a_late"].code)  # same cost: the nearer deadline first
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lanhdao.an@example.vn"] and "Xã An" in message.subject
    assert pending["a_soon"].code in message.body and "/chi-so-766/diem-co-the-mat/?don-vi=X01" in message.body


def test_weekly_without_send_sends_nothing(make_user, org, pending, today):
    _with_email(make_user("lanhdao.an", Role.LEADER, org["A"]))
    out = io.StringIO()
    call_command("index766", "weekly", "--unit", "X01", stdout=out)
    assert "Xã An" in out.getvalue() and "chưa gửi" in out.getvalue()
    assert mail.outbox == []


def test_weekly_send_failure_is_reported_and_exits_non_zero(make_user, org, pending, today, settings):
    from django.core.management.base import CommandError

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    _with_email(make_user("lanhdao.an", Role.LEADER, org["A"]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Không gửi được tóm tắt của: Xã An"):
        call_command("index766", "weekly", "--date", "2026-03-16", "--send", stdout=out)
    assert "Không gửi được thư" in out.getvalue() and "Xã An" in out.getvalue()
