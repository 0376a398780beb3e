import pytest

from cchc.accounts.models import Role

SONTAY, SONGIANG = "000.16.21.H42", "000.00.62.H42"


@pytest.fixture
def sontay(demo_org):
    return demo_org[SONTAY]


@pytest.fixture
def officer(make_user, sontay):
    return make_user("canbo.sontay", Role.COMMUNE_OFFICER, sontay)


@pytest.fixture
def outsider(make_user, demo_org):
    return make_user("canbo.songiang", Role.COMMUNE_OFFICER, demo_org[SONGIANG])


@pytest.fixture
def demo_plan(sontay):
    from cchc.plans.demo import run_demo
    from cchc.plans.models import Plan

    run_demo(lambda line: None)
    return Plan.objects.get(unit=sontay, year=2021)
