"""A province is its area on the dated tree; the ranking; the drill-down; stored results keep their version."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.management import call_command

from cchc.accounts.actors import SystemActor
from cchc.index766 import services
from cchc.index766.models import Result
from cchc.index766.selectors import component_dossiers, index_for, index_for_units

ACTOR = SystemActor("test")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _done(returned, unit, received: date, *, late: bool = False):
    return returned(unit, received, received.replace(day=20), received.replace(day=25 if late else 10))


def test_province_is_the_sum_of_its_communes_on_the_dated_tree(org, dossier, returned):
    _done(returned, org["A"], date(2026, 2, 3))
    _done(returned, org["A"], date(2026, 8, 3), late=True)
    _done(returned, org["B"], date(2026, 5, 4), late=True)
    # Xã Bình ended on 30/6/2026: a record dated after that is not the province's (nor anyone's).
    _done(returned, org["B"], date(2026, 8, 4))
    province = index_for(org["P"], *YEAR, as_of=YEAR[1], actor=ACTOR).component("tien_do")
    communes = [index_for(org[c], *YEAR, as_of=YEAR[1], actor=ACTOR).component("tien_do") for c in "AB"]
    assert (province.numerator, province.denominator) == (1, 3)
    assert province.denominator == sum(c.denominator for c in communes) == 3
    assert province.points == Decimal("6.67")
    # Xã Bình's own months only: in August the province has Xã An's dossier alone.
    august = index_for(org["P"], date(2026, 8, 1), date(2026, 8, 31), actor=ACTOR).component("tien_do")
    assert (august.numerator, august.denominator) == (0, 1)


def test_ranking_shares_equal_totals(org, dossier, returned):
    from cchc.org.models import OrgUnit, OrgUnitParent

    c = OrgUnit.objects.create(code="X03", name="Xã Cát", kind="ubnd", level="xa", valid_from=date(2020, 1, 1))
    OrgUnitParent.objects.create(unit=c, parent=org["P"], valid_from=date(2020, 1, 1))
    empty = OrgUnit.objects.create(code="X04", name="Xã Dạ", kind="ubnd", level="xa", valid_from=date(2020, 1, 1))
    _done(returned, org["A"], date(2026, 3, 2))
    _done(returned, org["B"], date(2026, 3, 2))
    _done(returned, c, date(2026, 3, 2), late=True)
    ranked = index_for_units([empty, c, org["B"], org["A"]], date(2026, 3, 1), date(2026, 3, 31), actor=ACTOR)
    assert [(rank, r.unit.code) for rank, r in ranked] == [(1, "X01"), (1, "X02"), (3, "X03"), (None, "X04")]


def test_drill_down_lists_the_dossiers_counted_against_the_unit(org, dossier, returned):
    on_time = _done(returned, org["A"], date(2026, 3, 2))
    late = _done(returned, org["A"], date(2026, 3, 3), late=True)
    pending_late = dossier(org["A"], date(2026, 3, 4), date(2026, 3, 6))
    found = component_dossiers(org["A"], date(2026, 3, 1), date(2026, 3, 31), "tien_do", actor=ACTOR)
    assert list(found) == [pending_late, late]
    assert on_time not in found


def test_stored_result_keeps_its_version_after_a_new_one(org, dossier, returned, tmp_path):
    import yaml

    from cchc.index766.formulas import DATA_DIR

    _done(returned, org["A"], date(2026, 3, 2))
    dossier(org["A"], date(2026, 3, 2), date(2026, 3, 4))
    march = (date(2026, 3, 1), date(2026, 3, 31))
    call_command("index766", "snapshot", "--unit", "P01", "--period", "2026-T03")
    assert Result.objects.filter(unit=org["A"], start=march[0], end=march[1]).exists()
    data = yaml.safe_load((DATA_DIR / "qd766-2022.1.yaml").read_text(encoding="utf-8"))
    data.update(version="2026.9", valid_from="2026-01-01")
    next(c for c in data["components"] if c["code"] == "tien_do")["score"] = "max * ratio * ratio"
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    call_command("index766", "load-formulas", str(path))
    stored = index_for(org["A"], *march, actor=ACTOR)
    live = index_for(org["A"], *march, actor=ACTOR, live=True)
    assert (stored.version, stored.component("tien_do").points) == ("2022.1", Decimal("10.00"))
    assert stored.stored_at is not None
    assert (live.version, live.component("tien_do").points) == ("2026.9", Decimal("5.00"))
    services.snapshot([org["A"]], *march, actor=ACTOR)  # a new snapshot replaces the old one
    assert Result.objects.get(unit=org["A"], start=march[0]).version.code == "2026.9"


def test_snapshot_last_month_for_a_monthly_schedule(org):
    from django.utils import timezone

    call_command("index766", "snapshot", "--last-month", "--unit", "P01")
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    stored = Result.objects.filter(start=end.replace(day=1), end=end)
    assert {r.unit.code for r in stored} == {"P01", "X01"}  # Xã Bình ended on 30/6/2026
