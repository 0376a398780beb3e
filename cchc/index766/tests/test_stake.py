"""Points at stake: computed by recomputing the index with the record counted late vs on time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.accounts.actors import SystemActor
from cchc.feedback.models import FeedbackItem
from cchc.index766.selectors import points_at_stake

ACTOR = SystemActor("test")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 3, 16)


def test_dossiers_sorted_by_points_then_due_date(org, dossier, returned):
    # Xã An: 4 dossiers, 2 pending due before 31/3. Xã Bình: 2 dossiers, 1 pending: one late dossier costs
    # Xã Bình more (1 of 2) than Xã An (1 of 4).
    for unit in ("A", "A", "B"):
        returned(org[unit], date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 9))
    a_late, a_soon = (
        dossier(org["A"], date(2026, 3, 9), date(2026, 3, 27)),
        dossier(org["A"], date(2026, 3, 9), date(2026, 3, 18)),
    )
    dossier(org["A"], date(2026, 3, 9), date(2026, 4, 8))  # due after the period: nothing at stake
    dossier(org["A"], date(2026, 3, 2), date(2026, 3, 13))  # already late: nothing left to save
    b = dossier(org["B"], date(2026, 3, 9), date(2026, 3, 30))
    stake = points_at_stake(org["P"], *MARCH, actor=ACTOR, today=TODAY)
    assert [s.dossier for s in stake.dossiers] == [b, a_soon, a_late]
    b_cost, a_cost = stake.dossiers[0].points_cost, stake.dossiers[1].points_cost
    assert a_cost == stake.dossiers[2].points_cost and b_cost > a_cost
    # Xã Bình: tiến độ 20 × 2/2 → 20 × 1/2 (−10); hài lòng hồ sơ (18 with no feedback, spread) 18 → 18 × 0,5/0,9
    # = 10 (−8): 18 points. Recomputed, not estimated.
    assert b_cost == Decimal("18.00")
    assert stake.dossiers[0].due_on == date(2026, 3, 30)


def test_feedback_nearing_its_deadline(org, returned):
    returned(org["A"], date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 9))
    item = FeedbackItem.objects.create(
        unit=org["A"],
        received_on=date(2026, 3, 10),
        channel="truc_tiep",
        citizen_name="C",
        content="x",
        deadline=date(2026, 3, 25),
    )
    FeedbackItem.objects.create(
        unit=org["A"],
        received_on=date(2026, 3, 1),
        channel="truc_tiep",
        citizen_name="D",
        content="y",
        deadline=date(2026, 3, 12),
    )  # already overdue
    stake = points_at_stake(org["A"], *MARCH, actor=ACTOR, today=TODAY)
    assert [(s.item, s.due_on) for s in stake.feedback] == [(item, date(2026, 3, 25))]
    assert stake.feedback[0].points_cost > 0
