import pytest

from cchc.accounts.models import Role


@pytest.fixture
def clerk(demo_org, make_user):
    """Công chức một cửa xã Sơn Tây (000.16.21.H42), whose home is the commune's one-stop section."""
    return make_user("motcua", Role.ONE_STOP_CLERK, demo_org["001.16.21.H42"])


@pytest.fixture
def other_clerk(demo_org, make_user):
    return make_user("motcua2", Role.ONE_STOP_CLERK, demo_org["000.00.62.H42"])
