"""Issue 12, done-when: the demo district's 2021 report prints its own plan, inspection and directive
lines as "…" (it keeps no plan in the product), never Xã Sơn Tây's records; Sơn Tây's own figures stay."""

from decimal import Decimal

from cchc.indicators.periods import get_period
from cchc.reports import placeholders
from cchc.reports.selectors import appendix_rows, context_figures, figures_for, live_rows, rollup_rows

DISTRICT, SON_TAY = "000.00.21.H42", "000.16.21.H42"
OWN_LINES = (
    "plan.tasks_planned",
    "plan.tasks_done",
    "plan.directives_issued",
    "inspection.departments",
    "inspection.subordinate_units",
    "inspection.issues_found",
)


def test_district_own_lines_are_unknown_and_son_tay_keeps_its_figures(demo_org, catalogue):
    from cchc.directives.demo import run_demo as directives_demo
    from cchc.plans.demo import run_demo as plans_demo

    plans_demo(lambda line: None)
    directives_demo(lambda line: None)
    period = get_period("2021-NAM")
    district = live_rows(demo_org[DISTRICT], period)
    for code in OWN_LINES:
        assert district[code].value is None and district[code].missing, code
    printed = {r["code"]: r["value"] for r in appendix_rows(district) if r["code"]}
    assert {printed[c] for c in OWN_LINES} == {"…"}
    text = (
        "Kế hoạch đề ra {plan.tasks_planned} nhiệm vụ; hoàn thành {plan.tasks_done}; {plan.directives_issued} văn bản"
    )
    figures = figures_for(district, context_figures(demo_org[DISTRICT], period))
    assert placeholders.fill(text, figures) == "Kế hoạch đề ra … nhiệm vụ; hoàn thành …; … văn bản"
    # the roll-up report of the district: own lines stay its own, not the sum of its communes'
    rolled, _ = rollup_rows(demo_org[DISTRICT], period)
    assert all(rolled[c].value is None for c in OWN_LINES)
    # Sơn Tây's own figures are unchanged: 28 tasks, 26 done, 9 directive documents
    son_tay = live_rows(demo_org[SON_TAY], period)
    assert (
        son_tay["plan.tasks_planned"].value,
        son_tay["plan.tasks_done"].value,
        son_tay["plan.directives_issued"].value,
    ) == (Decimal(28), Decimal(26), Decimal(9))
    assert "số liệu riêng của đơn vị" in son_tay["plan.tasks_planned"].source
