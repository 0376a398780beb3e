import uuid

import pytest
from django.core.cache import cache

SON_TAY = "000.16.21.H42"


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """The rate limit counts in the cache; every test starts with empty counters."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rating_payload():
    def make(code: str = f"{SON_TAY}-210304-0012", overall: str = "hai_long", **extra) -> dict:
        payload = {
            "client_id": str(uuid.uuid4()),
            "dossier_code": code,
            "question_set": "sipas-2021",
            "answers": {"tong_the": overall, "cong_chuc": "rat_hai_long"},
            "comment": "",
        }
        payload.update(extra)
        return payload

    return make
