"""The dated tree across the 1/7/2025 reform, on the demo province."""

from datetime import date

import pytest

from cchc.org import selectors
from cchc.org.models import Level

PROVINCE = "000.00.00.H42"
HUONG_SON = "000.00.21.H42"
SON_LAM = "000.13.21.H42"
SON_TAY = "000.16.21.H42"
NEW_SON_GIANG = "000.00.62.H42"
BEFORE, AFTER = date(2024, 6, 30), date(2025, 8, 1)


def _names(forest):
    return [node.unit.code for tree in forest for node in tree.walk()]


def test_tree_before_the_reform_has_districts_and_twenty_communes(demo_org):
    codes = _names(selectors.tree_on(BEFORE))
    units = [demo_org[c] for c in codes]
    assert sum(u.level == Level.DISTRICT for u in units) == 2
    assert sum(u.level == Level.COMMUNE for u in units) == 20
    assert HUONG_SON in codes and NEW_SON_GIANG not in codes


def test_tree_after_the_reform_has_no_district_and_merged_communes(demo_org):
    codes = _names(selectors.tree_on(AFTER))
    units = [demo_org[c] for c in codes]
    assert not any(u.level == Level.DISTRICT for u in units)
    assert sum(u.level == Level.COMMUNE for u in units) == 8
    assert SON_LAM not in codes and NEW_SON_GIANG in codes
    # Sơn Tây survived: the same unit, now directly under the province.
    assert selectors.ancestors_on(demo_org[SON_TAY], AFTER) == [demo_org[PROVINCE]]


def test_reform_boundary_days(demo_org):
    son_tay = demo_org[SON_TAY]
    assert selectors.ancestors_on(son_tay, date(2025, 6, 30))[0] == demo_org[HUONG_SON]
    assert selectors.ancestors_on(son_tay, date(2025, 7, 1))[0] == demo_org[PROVINCE]
    assert demo_org[HUONG_SON] in selectors.descendants_on(demo_org[PROVINCE], date(2025, 6, 30))
    assert demo_org[HUONG_SON] not in selectors.descendants_on(demo_org[PROVINCE], date(2025, 7, 1))


def test_a_2024_district_figure_rolls_up_under_its_2024_province(demo_org):
    son_lam = demo_org[SON_LAM]
    assert selectors.ancestor_at_level(son_lam, Level.DISTRICT, BEFORE) == demo_org[HUONG_SON]
    assert selectors.ancestor_at_level(son_lam, Level.PROVINCE, BEFORE) == demo_org[PROVINCE]
    assert selectors.ancestor_at_level(demo_org[HUONG_SON], Level.PROVINCE, BEFORE) == demo_org[PROVINCE]
    # On a date when the commune no longer exists it belongs to nothing.
    assert selectors.ancestors_on(son_lam, AFTER) == []


def test_descendants_of_a_district_on_a_date(demo_org):
    found = selectors.descendants_on(demo_org[HUONG_SON], BEFORE, include_self=False)
    communes = [u for u in found if u.level == Level.COMMUNE]
    assert len(communes) == 10
    assert selectors.descendants_on(demo_org[HUONG_SON], AFTER) == []


def test_successor_of_a_merged_commune(demo_org):
    assert selectors.successors_of(demo_org[SON_LAM], AFTER) == [demo_org[NEW_SON_GIANG]]
    # Before the merge, a unit is its own successor.
    assert selectors.successors_of(demo_org[SON_LAM], BEFORE) == [demo_org[SON_LAM]]
    # A unit that survived is its own successor after the reform too.
    assert selectors.successors_of(demo_org[SON_TAY], AFTER) == [demo_org[SON_TAY]]
    # A district was not merged into anything: it has no successor.
    assert selectors.successors_of(demo_org[HUONG_SON], AFTER) == []


@pytest.mark.parametrize(
    ("day", "expected_roots"),
    [(date(1990, 1, 1), 0), (BEFORE, 1), (AFTER, 1)],
)
def test_roots(demo_org, day, expected_roots):
    assert len(selectors.tree_on(day)) == expected_roots


def test_descendants_ever_follows_dated_links(demo_org):
    graph = selectors.load_graph()
    ever = graph.descendants_ever(demo_org[HUONG_SON].pk)
    assert demo_org[SON_TAY].pk in ever  # under the district until 30/6/2025
    assert demo_org[NEW_SON_GIANG].pk not in ever  # never under the district
    province_ever = graph.descendants_ever(demo_org[PROVINCE].pk)
    assert {u.pk for u in demo_org.values()} == province_ever
