"""Trang chủ: the points of the QĐ 766 index still at stake this month, for the one-stop clerk and the leader
of a unit — the dossiers that will pass their deadline before the month ends unless resolved (most costly
first), procedures whose announcement or publication is due, feedback items nearing their deadline."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from cchc.core.registry import HomePanel, HomeRow
from cchc.core.vnformat import format_number

HOME_ROLES = frozenset({"one_stop_clerk", "leader"})
SHOWN = 8  # rows of each kind on the home page; the page lists them all


def stake_panel(user: Any, unit: Any) -> HomePanel | None:
    """The home panel (None for other roles, or when no formula applies): each row one record, its count
    the points it would cost."""
    from cchc.accounts import scope
    from cchc.index766 import presenters, selectors

    if unit is None or getattr(user, "role", "") not in HOME_ROLES or not scope.can(user, scope.Action.VIEW, unit):
        return None
    today = timezone.localdate()
    month = presenters.month_of(today)
    try:
        stake = selectors.points_at_stake(unit, month.start, month.end, actor=user, today=today)
    except selectors.NoFormula:
        return None
    rows = _rows(stake)
    page = f"{reverse('index766:stake')}?don-vi={unit.code}"
    total = len(stake.dossiers) + len(stake.procedures) + len(stake.feedback)
    if not rows:
        rows = [HomeRow("Không có hồ sơ, thủ tục, phản ánh nào có thể làm mất điểm trong tháng", 0, page)]
    links = [(f"Xem cả danh sách ({format_number(total)})", page), ("Chỉ số của đơn vị", reverse("index766:unit"))]
    title = f"Điểm chỉ số QĐ 766 có thể mất trước {month.end:%d/%m/%Y} (cột phải: số điểm)"
    return HomePanel(title, rows, order=15, links=links)


def _rows(stake: Any) -> list[HomeRow]:
    from cchc.index766.presenters import stake_lines

    return [
        HomeRow(line.what, line.points_cost, line.url, "warning", line.detail)
        for line in stake_lines(stake, per_kind=SHOWN)
    ]
