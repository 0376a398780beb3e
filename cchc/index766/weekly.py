"""Tóm tắt hằng tuần Bộ chỉ số QĐ 766 (``cchc index766 weekly [--send]``): for each unit with a leader or a
one-stop clerk, the score of the running month so far, its change since a week ago, and the items most
costly still at stake; with ``--send`` it is emailed (Django's send_mail) to those of them with an email.

"A week ago" is the index over the month of that day up to that day, judged on that day — what the page
showed then —, so a dossier received since is not counted back into last week.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from cchc.core.vnformat import format_number
from cchc.index766 import presenters, selectors
from cchc.org.models import OrgUnit

RECIPIENT_ROLES = ("leader", "one_stop_clerk")
TOP_ITEMS = 5


@dataclass
class Summary:
    unit: OrgUnit
    subject: str
    body: str
    recipients: list[str] = field(default_factory=list)
    error: str = ""  # why sending failed (the other units are still sent)


def units_and_recipients(unit: OrgUnit | None = None) -> dict[int, tuple[OrgUnit, list[str]]]:
    """The units whose leaders or clerks read the summary (the unit they work for), with their emails."""
    from cchc.accounts.middleware import work_unit
    from cchc.accounts.models import User

    users = User.objects.filter(is_active=True, role__in=RECIPIENT_ROLES, unit__isnull=False).select_related("unit")
    found: dict[int, tuple[OrgUnit, list[str]]] = {}
    emails: dict[int, list[str]] = defaultdict(list)
    for user in users.order_by("username"):
        home = work_unit(user.unit)
        if unit is not None and home.pk != unit.pk:
            continue
        found.setdefault(home.pk, (home, emails[home.pk]))
        if user.email and user.email not in emails[home.pk]:
            emails[home.pk].append(user.email)
    if unit is not None and unit.pk not in found:
        found[unit.pk] = (unit, [])
    return found


def _change(now: Decimal | None, before: Decimal | None) -> str:
    if now is None or before is None:
        return "chưa so sánh được (thiếu số liệu)"
    delta = now - before
    if delta == 0:
        return "không đổi"
    return f"{'tăng' if delta > 0 else 'giảm'} {format_number(abs(delta), 2)} điểm"


def summary(unit: OrgUnit, today: date, *, actor: Any) -> Summary:
    """The week's summary of one unit (raises selectors.NoFormula when no formula applies)."""
    month = presenters.month_of(today)
    now = selectors.index_for(unit, month.start, month.end, actor=actor, as_of=today)
    week_ago = today - timedelta(days=7)
    before = selectors.index_for(unit, week_ago.replace(day=1), week_ago, actor=actor, as_of=week_ago)
    stake = selectors.points_at_stake(unit, month.start, month.end, actor=actor, today=today)
    lines = [
        f"Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg) — {unit.name}",
        f"Điểm {month.label.lower()} đến ngày {today:%d/%m/%Y}: {presenters.points_text(now.total)}/100"
        f" (điểm tối đa của các thành phần có số liệu: {format_number(now.max_total)}).",
        f"Một tuần trước (đến ngày {week_ago:%d/%m/%Y}): {presenters.points_text(before.total)}; "
        f"{_change(now.total, before.total)}.",
    ]
    items = _top_items(stake)
    if items:
        lines.append(f"Việc cần làm để giữ điểm trước ngày {month.end:%d/%m/%Y} (nhiều điểm nhất trước):")
        lines += [f"- {text}" for text in items]
        total = len(stake.dossiers) + len(stake.procedures) + len(stake.feedback)
        if total > len(items):
            lines.append(f"(và {format_number(total - len(items))} việc khác)")
    else:
        lines.append("Không có hồ sơ, thủ tục, phản ánh nào có thể làm mất điểm trong tháng.")
    base = getattr(settings, "CCHC_PUBLIC_URL", "")
    lines.append(f"Xem chi tiết: {base}{reverse('index766:stake')}?don-vi={unit.code}")
    subject = f"[cchc] Chỉ số QĐ 766 tuần đến {today:%d/%m/%Y} — {unit.name}: {presenters.points_text(now.total)}"
    return Summary(unit, subject, "\n".join(lines))


def _top_items(stake: selectors.AtStake) -> list[str]:
    """The costliest items of the three lists together, most points first, then the nearest deadline."""
    lines = sorted(presenters.stake_lines(stake), key=lambda line: (-line.points_cost, line.due_on))
    return [f"{line.what}: {line.detail.lower()}" for line in lines[:TOP_ITEMS]]


def run(today: date, *, actor: Any, unit: OrgUnit | None = None, send: bool = False) -> list[Summary]:
    """Every unit's summary; with ``send``, each emailed to its leaders and clerks that have an email."""
    from django.core.mail import send_mail

    found: list[Summary] = []
    for home, emails in units_and_recipients(unit).values():
        try:
            item = summary(home, today, actor=actor)
        except selectors.NoFormula:
            continue
        item.recipients = list(emails)
        if send and item.recipients:
            try:
                send_mail(item.subject, item.body, None, item.recipients)
            except (OSError, smtplib.SMTPException) as exc:  # one unit's failure must not stop the others
                item.error = f"Không gửi được thư: {exc}"
        found.append(item)
    return found
