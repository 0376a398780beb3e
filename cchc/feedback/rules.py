"""Channels and the default answer time for feedback, from `cchc/data/feedback/rules.yaml`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "feedback" / "rules.yaml"


@cache
def rules() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def channel_choices() -> list[tuple[str, str]]:
    return [(str(c["code"]), str(c["name"])) for c in rules()["channels"]]


def channel_name(code: str) -> str:
    return dict(channel_choices()).get(code, code)


def answer_working_days() -> int:
    return int(rules()["answer_working_days"])
