import pytest

# sontay, officer and outsider are the root conftest's fixtures (one block, not one copy per app).
from conftest import SONGIANG, SONTAY

__all__ = ["SONGIANG", "SONTAY"]


@pytest.fixture
def demo_plan(sontay):
    from cchc.plans.demo import run_demo
    from cchc.plans.models import Plan

    run_demo(lambda line: None)
    return Plan.objects.get(unit=sontay, year=2021)
