"""Fixtures shared by every app's tests."""

import pytest

from cchc.accounts.models import Role
from cchc.accounts.services import create_user
from cchc.org.demo import DEMO_ORG_FILE
from cchc.org.models import OrgUnit
from cchc.org.services import load_org_file

TEST_PASSWORD = "Mat-khau-thu-nghiem-2026"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 makes every login in a test cost ~0.3 s; the hashing itself is tested on its own."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_org(db):
    """The demo province (districts until 30/6/2025, merged communes from 1/7/2025)."""
    load_org_file(DEMO_ORG_FILE, actor="test")
    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def make_user(db):
    def make(username: str, role: str = Role.COMMUNE_OFFICER, unit: OrgUnit | None = None, **extra):
        user, _ = create_user(
            actor="test", username=username, role=role, unit=unit, password=TEST_PASSWORD,
            must_change_password=extra.pop("must_change_password", False), **extra,
        )
        return user

    return make
