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
from typing import Any

from cchc.core.importing import ErrorCollector, RowError
from cchc.core.loading import Field, Kind, Where, check, line_of, read_at_start, read_yaml

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
    """Tệp bộ câu hỏi sai: every error of the file, each naming its line."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("Tệp bộ câu hỏi sai: " + "; ".join(str(e) for e in errors))


_OPTION = (Field("code", required=True), Field("label", required=True), Field("satisfied", Kind.BOOL, required=True))
_SCALE = (Field("name", default=""), Field("options", Kind.LIST, required=True))
_QUESTION = (
    Field("code", required=True),
    Field("text", required=True),
    Field("short", default=""),
    Field("scale", required=True),
    Field("required", Kind.BOOL, default=False),
    Field("overall", Kind.BOOL, default=False),
)
_SET = (
    Field("code", required=True),
    Field("name", required=True),
    Field("valid_from", Kind.DATE, required=True),
    Field("default", Kind.BOOL, default=False),
    Field("questions", Kind.LIST, required=True),
)
_FILE = (
    Field("scales", Kind.MAPPING, required=True),
    Field("sets", Kind.LIST, required=True),
    Field(
        "dossier_code",
        Kind.MAPPING,
        required=True,
        fields=(Field("pattern", required=True), Field("date_format", required=True), Field("example", required=True)),
    ),
)


@read_at_start
@lru_cache(maxsize=2)
def _load(path: str = str(QUESTIONS_FILE)) -> tuple[dict[str, QuestionSet], DossierCodeFormat]:
    errors = ErrorCollector()
    raw = read_yaml(Path(path).read_text(encoding="utf-8"), errors)
    top = check(raw, _FILE, Where(errors)) if raw is not None else {}
    scales = {str(code): _scale(scale, errors) for code, scale in (top.get("scales") or {}).items()}
    sets: dict[str, QuestionSet] = {}
    for index, entry in enumerate(top.get("sets") or []):
        question_set = _question_set(entry, line_of(raw["sets"], index), scales, errors)
        if question_set is not None:
            sets[question_set.code] = question_set
    if not errors and sum(s.default for s in sets.values()) != 1:
        errors.add(None, "default", "", "Tệp bộ câu hỏi phải có đúng một bộ mặc định (default: true).")
    fmt = top.get("dossier_code")
    pattern = _pattern(fmt, raw, errors) if fmt else None
    if errors or pattern is None:
        raise QuestionFileError(errors.errors)
    return sets, DossierCodeFormat(pattern, fmt["date_format"], fmt["example"])


def _scale(raw: Any, errors: ErrorCollector) -> tuple[Option, ...]:
    """Một thang trả lời: its options, each with whether it counts as satisfied."""
    scale = check(raw, _SCALE, Where(errors, line_of(raw)))
    options = []
    for index, option in enumerate(scale.get("options") or []):
        values = check(option, _OPTION, Where(errors, line_of(scale["options"], index)))
        if values.ok:
            options.append(Option(values["code"], values["label"], values["satisfied"]))
    return tuple(options)


def _question_set(
    entry: Any, row: int | None, scales: dict[str, tuple[Option, ...]], errors: ErrorCollector
) -> QuestionSet | None:
    values = check(entry, _SET, Where(errors, row))
    questions = []
    for index, raw in enumerate(values.get("questions") or []):
        q_row = line_of(entry["questions"], index)
        q = check(raw, _QUESTION, Where(errors, q_row))
        if q.ok and q["scale"] not in scales:
            message = f"Bộ “{values['code']}”, câu “{q['code']}”: không có thang “{q['scale']}”."
            errors.add(line_of(raw, "scale") or q_row, "scale", q["scale"], message)
        elif q.ok:
            options, overall = scales[q["scale"]], q["overall"]
            questions.append(
                Question(q["code"], q["text"], q["short"] or q["text"], options, q["required"] or overall, overall)
            )
    if not values.ok or len(questions) != len(values["questions"]):
        return None
    if sum(q.overall for q in questions) != 1:
        message = f"Bộ “{values['code']}” phải có đúng một câu hỏi chung (overall: true)."
        errors.add(row, "overall", "", message)
        return None
    return QuestionSet(values["code"], values["name"], values["valid_from"], values["default"], tuple(questions))


def _pattern(fmt: dict, raw: Any, errors: ErrorCollector) -> re.Pattern | None:
    try:
        return re.compile(fmt["pattern"])
    except re.error as exc:
        line = line_of(raw["dossier_code"], "pattern")
        errors.add(line, "dossier_code.pattern", fmt["pattern"], f"Biểu thức dạng mã hồ sơ sai: {exc}.")
        return None


def question_sets() -> dict[str, QuestionSet]:
    return _load()[0]


def get_set(code: str) -> QuestionSet | None:
    return question_sets().get(code)


def default_set() -> QuestionSet:
    return next(s for s in question_sets().values() if s.default)


def dossier_code_format() -> DossierCodeFormat:
    return _load()[1]
