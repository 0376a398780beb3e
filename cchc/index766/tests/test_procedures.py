"""Công khai, minh bạch: announcement and publication timeliness in working days; procedures at stake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.accounts.actors import SystemActor
from cchc.dossiers.models import Procedure
from cchc.index766.selectors import index_for, points_at_stake

ACTOR = SystemActor("test")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _procedure(procs, code: str, **fields) -> Procedure:
    return Procedure.objects.create(code=code, name=code, field=procs["field"], level="xa", **fields)


def test_announced_five_working_days_before_the_basis_takes_effect(org, procs):
    # Basis in force Monday 16/3/2026. Announced Monday 9/3: 10, 11, 12, 13, 16/3 = 5 working days (on time);
    # announced Tuesday 10/3: 4 (late). A cấp tỉnh procedure is not the commune's.
    _procedure(procs, "A1", basis_effective_on=date(2026, 3, 16), announced_on=date(2026, 3, 9))
    _procedure(procs, "A2", basis_effective_on=date(2026, 3, 16), announced_on=date(2026, 3, 10))
    Procedure.objects.create(code="T1", name="T1", field=procs["field"], level="tinh",
                             basis_effective_on=date(2026, 3, 16), announced_on=date(2026, 3, 10))  # fmt: skip
    result = index_for(org["A"], *MARCH, actor=ACTOR).component("cong_bo_dung_han")
    assert (result.numerator, result.denominator, result.points) == (1, 2, Decimal("3.00"))
    province = index_for(org["P"], *MARCH, actor=ACTOR).component("cong_bo_dung_han")
    assert (province.numerator, province.denominator) == (1, 3)


def test_published_within_five_working_days_of_the_announcement(org, procs):
    _procedure(procs, "B1", announced_on=date(2026, 3, 9), published_on=date(2026, 3, 16))  # 5: on time
    _procedure(procs, "B2", announced_on=date(2026, 3, 9), published_on=date(2026, 3, 17))  # 6: late
    _procedure(procs, "B3", announced_on=date(2026, 3, 9))  # not published yet: not known, not counted
    result = index_for(org["A"], *MARCH, actor=ACTOR).component("cong_khai_dung_han")
    assert (result.numerator, result.denominator, result.points) == (1, 2, Decimal("2.00"))


def test_procedures_at_stake_with_their_marginal_cost(org, procs):
    _procedure(procs, "A1", basis_effective_on=date(2026, 3, 16), announced_on=date(2026, 3, 9))
    _procedure(procs, "A2", basis_effective_on=date(2026, 3, 16), announced_on=date(2026, 3, 10))
    soon = _procedure(procs, "A3", basis_effective_on=date(2026, 3, 27))  # announce by Friday 20/3
    _procedure(procs, "A4", basis_effective_on=date(2026, 3, 18))  # due 11/3: too late to save
    stake = points_at_stake(org["A"], *MARCH, actor=ACTOR, today=date(2026, 3, 16))
    # A1 and A2 were announced on 9 and 10/3 and are not published yet: due 16 and 17/3. Công khai đúng hạn has
    # no data yet: published on time it reads 4 of 4, late 0 of 4 (4 points each). Công bố đúng hạn is 1 of 2
    # today: 6 × 2/3 = 4,00 if A3 is announced on time, 6 × 1/3 = 2,00 if late (2 points).
    a1, a2 = Procedure.objects.get(code="A1"), Procedure.objects.get(code="A2")
    assert [(s.procedure, s.due_on, s.reason, s.points_cost) for s in stake.procedures] == [
        (a1, date(2026, 3, 16), "Chưa công khai", Decimal("4.00")),
        (a2, date(2026, 3, 17), "Chưa công khai", Decimal("4.00")),
        (soon, date(2026, 3, 20), "Chưa có quyết định công bố", Decimal("2.00")),
    ]
