"""Bộ câu hỏi và dạng mã hồ sơ, đọc từ ``cchc/data/surveys/questions.yaml`` (the law is data).

A question set is identified by its code; once ratings reference a code its wording must not change
(a new wording is a new set), so old ratings keep meaning what the citizen was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

QUESTIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "surveys" / "questions.yaml"


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    satisfied: bool


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    short: str
    options: tuple[Option, ...]
    required: bool
    overall: bool

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class QuestionSet:
    """Bộ câu hỏi khảo sát."""

    code: str
    name: str
    valid_from: date
    default: bool
    questions: tuple[Question, ...]

    @property
    def overall(self) -> Question:
        return next(q for q in self.questions if q.overall)

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "questions": [
                {
                    "code": q.code,
                    "text": q.text,
                    "short": q.short,
                    "required": q.required,
                    "overall": q.overall,
                    "options": [{"code": o.code, "label": o.label, "satisfied": o.satisfied} for o in q.options],
                }
                for q in self.questions
            ],
        }


@dataclass(frozen=True)
class DossierCodeFormat:
    pattern: re.Pattern
    date_format: str
    example: str


class QuestionFileError(ValueError):
    """Tệp bộ câu hỏi sai."""


@lru_cache(maxsize=2)
def _load(path: str = str(QUESTIONS_FILE)) -> tuple[dict[str, QuestionSet], DossierCodeFormat]:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    scales: dict[str, tuple[Option, ...]] = {}
    for code, scale in (raw.get("scales") or {}).items():
        scales[code] = tuple(Option(str(o["code"]), str(o["label"]), bool(o["satisfied"])) for o in scale["options"])
    sets: dict[str, QuestionSet] = {}
    for entry in raw.get("sets") or []:
        questions = []
        for q in entry["questions"]:
            if q["scale"] not in scales:
                raise QuestionFileError(f"Bộ “{entry['code']}”, câu “{q['code']}”: không có thang “{q['scale']}”.")
            questions.append(
                Question(
                    code=str(q["code"]),
                    text=str(q["text"]),
                    short=str(q.get("short") or q["text"]),
                    options=scales[q["scale"]],
                    required=bool(q.get("required", False)) or bool(q.get("overall")),
                    overall=bool(q.get("overall", False)),
                )
            )
        if sum(q.overall for q in questions) != 1:
            raise QuestionFileError(f"Bộ “{entry['code']}” phải có đúng một câu hỏi chung (overall: true).")
        sets[str(entry["code"])] = QuestionSet(
            code=str(entry["code"]),
            name=str(entry["name"]),
            valid_from=date.fromisoformat(str(entry["valid_from"])),
            default=bool(entry.get("default", False)),
            questions=tuple(questions),
        )
    if sum(s.default for s in sets.values()) != 1:
        raise QuestionFileError("Tệp bộ câu hỏi phải có đúng một bộ mặc định (default: true).")
    fmt = raw["dossier_code"]
    return sets, DossierCodeFormat(re.compile(fmt["pattern"]), fmt["date_format"], fmt["example"])


def question_sets() -> dict[str, QuestionSet]:
    return _load()[0]


def get_set(code: str) -> QuestionSet | None:
    return question_sets().get(code)


def default_set() -> QuestionSet:
    return next(s for s in question_sets().values() if s.default)


def dossier_code_format() -> DossierCodeFormat:
    return _load()[1]
