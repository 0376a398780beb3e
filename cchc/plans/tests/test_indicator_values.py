"""The figures of the demo unit in the indicator values, and their refresh after a change of the records."""

from datetime import date
from decimal import Decimal

from cchc.accounts.actors import SystemActor
from cchc.indicators.catalogue import ensure_catalogue
from cchc.indicators.selectors import value_of
from cchc.plans import services
from cchc.plans.models import TaskStatus

SONTAY = "000.16.21.H42"


def test_demo_unit_values_come_from_the_records_and_follow_changes(demo_plan, sontay):
    from cchc.directives.demo import run_demo as directives_demo

    ensure_catalogue()
    directives_demo(lambda line: None)
    planned = value_of(SONTAY, "2021-NAM", "plan.tasks_planned")
    done = value_of(SONTAY, "2021-NAM", "plan.tasks_done")
    issued = value_of(SONTAY, "2021-NAM", "plan.directives_issued")
    assert (planned.value, done.value, issued.value) == (Decimal(28), Decimal(26), Decimal(9))
    assert planned.source == "computed" and done.detail["function"] == "plans.tasks_done"
    assert value_of(SONTAY, "2021-Q3", "plan.directives_issued").value == Decimal(6)
    # The district's own plan lines are its own (counts: own): it has no plan in the product, so they are
    # unknown ("…"), never Sơn Tây's 26 (issue 12).
    district = value_of("000.00.21.H42", "2021-NAM", "plan.tasks_done")
    assert district.value is None and district.source == "missing"
    # Finishing a task marks the cached values stale; the next read counts 27.
    task = demo_plan.tasks.get(code="1.6")
    services.set_status(SystemActor("test"), task, TaskStatus.DONE, date(2021, 12, 1), today=date(2021, 12, 20))
    assert value_of(SONTAY, "2021-NAM", "plan.tasks_done").value == Decimal(27)
