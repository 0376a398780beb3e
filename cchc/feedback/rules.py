"""Channels and the deadline by handling kind for feedback, from `cchc/data/feedback/rules.yaml`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from cchc.core.loading import read_at_start

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "feedback" / "rules.yaml"


@read_at_start
@cache
def rules() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def channel_choices() -> list[tuple[str, str]]:
    return [(str(c["code"]), str(c["name"])) for c in rules()["channels"]]


def channel_name(code: str) -> str:
    return dict(channel_choices()).get(code, code)


def handling_working_days(handling: str) -> int:
    """Working days from receipt to handle an item of this kind (xu_ly, tu_choi, bo_sung: QĐ 766)."""
    return int(rules()["handling_working_days"][handling])
