import uuid

import pytest

SON_TAY = "000.16.21.H42"


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
