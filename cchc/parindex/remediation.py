"""Khắc phục sau Chỉ số CCHC: why each criterion lost points (in plain Vietnamese, always agreeing with the
score), which measure fixes it (from the editable library ``cchc/data/parindex/measures.yaml``), who leads it
and by when (defaults from the set's calendar), to whom the documents go, and what today's figures give.

Reasons are built from what decided the score, in this order: the reviewer's comment (điểm thẩm định with
its ý kiến), the rule applied to the figure ("tỷ lệ … 93,65%, dưới mức 95% nên được 0,5/2,5 điểm"), the unit's
own explanation. When the score that counts is not what the figure earns under the rule, the reason says both
("theo số liệu … thì được 0,5 điểm; điểm thẩm định 2/2,5 điểm") rather than print a figure that contradicts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cchc.core.loading import read_at_start
from cchc.core.text import fold
from cchc.core.vnformat import format_number, format_percent
from cchc.parindex.models import Criterion, Framework, RuleType
from cchc.parindex.scoring import FigureSource, figure_text, score_from_figure, takes_figure

MEASURES_FILE = Path(__file__).resolve().parent.parent / "data" / "parindex" / "measures.yaml"
ZERO = Decimal(0)


def n(value: Decimal | None) -> str:
    return "" if value is None else format_number(value)


def _subject(c: Criterion) -> str:
    """The criterion's name as the subject of a sentence: "tỷ lệ hồ sơ … đúng hạn" (no trailing remark)."""
    name = c.name.split(" (")[0].strip().rstrip(".")
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


def _unit_of(c: Criterion) -> str:
    default = "%" if c.rule_type in (RuleType.THRESHOLDS, RuleType.PROPORTIONAL) else ""
    return c.rule.get("unit", default)


def _fig(c: Criterion, value: Decimal) -> str:
    unit = _unit_of(c)
    if unit == "%":
        return format_percent(Decimal(str(value)), 2).replace(",00%", "%")
    return f"{format_number(Decimal(str(value)))} {unit}".strip()


def rule_sentence(c: Criterion, value: Decimal, points: Decimal) -> str:
    """What the rule made of the figure, in words a Phòng Nội vụ would write."""
    subject, of = _subject(c), f"{n(points)}/{n(c.max_points)} điểm"
    if c.rule_type == RuleType.YES_NO:
        if value:
            return f"{subject}: đã thực hiện nên được {of}"
        return f"chưa thực hiện “{subject}” nên được {of}"
    if c.rule_type == RuleType.THRESHOLDS:
        steps = sorted(((Decimal(str(b)), Decimal(str(p))) for b, p in c.rule["steps"]), reverse=True)
        above = [b for b, _ in steps if value < b]
        figure = figure_text(c.rule, value, c.rule_type)
        if not above:
            return f"{subject} {figure}, đạt mức cao nhất nên được {of}"
        return f"{subject} {figure}, dưới mức {_fig(c, min(above))} nên được {of}"
    if c.rule_type == RuleType.PROPORTIONAL:
        full = Decimal(str(c.rule.get("full_at", 100)))
        figure = figure_text(c.rule, value, c.rule_type)
        return f"{subject} {figure} so với mức đủ điểm {_fig(c, full)}, tính theo tỷ lệ được {of}"
    if c.rule_type == RuleType.DEDUCTION:
        unit = _unit_of(c) or "lần"
        return (
            f"{subject}: có {n(value)} {unit} không đạt yêu cầu, mỗi {unit} trừ {n(Decimal(c.rule['per']))} "
            f"điểm nên được {of}"
        )
    if c.rule_type == RuleType.PENALTY:
        unit = _unit_of(c) or "lần"
        return f"{subject}: có {n(value)} {unit}, bị áp dụng điểm trừ {n(points)} điểm"
    return f"{subject}: được {of}"


def short_reason(line: Any) -> str:
    """The reason without repeating the criterion's name (for a table cell that already shows it)."""
    text = line.reason
    subject = _subject(line.criterion)
    if text.lower().startswith(subject.lower()):
        text = text[len(subject) :].lstrip(" :,")
    return text[:1].upper() + text[1:] if text else line.reason


def reason(line: Any) -> str:
    """Vì sao mất điểm, agreeing with ``line.obtained`` (the score that counts)."""
    c, score, auto = line.criterion, line.score, line.auto
    obtained = line.obtained if line.obtained is not None else ZERO
    comment = (score.comment if score is not None else "").strip().rstrip(". ")
    figure = auto.value if auto is not None and auto.source != FigureSource.NONE else None
    figure_points = None
    if figure is not None and takes_figure(c.rule_type, c.rule):
        figure_points = score_from_figure(c.rule_type, c.rule, c.max_points, figure)
    if c.rule_type == RuleType.PENALTY:
        if figure is not None and figure_points == obtained:
            return rule_sentence(c, figure, obtained)
        return (
            f"{comment}; bị áp dụng điểm trừ {n(obtained)} điểm"
            if comment
            else f"Bị áp dụng điểm trừ {n(obtained)} điểm"
        )
    if figure_points is not None and figure_points == obtained:
        text = rule_sentence(c, figure, obtained)
        return f"{comment}; {text}" if comment else text[:1].upper() + text[1:]
    if figure_points is not None:
        # The appraisal did not follow the figure (a corrected figure, evidence refused): say both.
        why = f" ({comment})" if comment else ""
        return (
            f"Theo số liệu {figure_text(c.rule, figure, c.rule_type)} thì được {n(figure_points)} điểm; "
            f"điểm thẩm định {n(obtained)}/{n(c.max_points)} điểm{why}"
        )
    if comment:
        return f"{comment} nên được {n(obtained)}/{n(c.max_points)} điểm"
    own = ""
    if score is not None:
        own = (score.explanation or score.declared_text or "").strip().rstrip(". ")
    if c.rule_type == RuleType.SURVEY:
        return f"Kết quả điều tra xã hội học đạt {n(obtained)}/{n(c.max_points)} điểm"
    if own:
        return f"Được {n(obtained)}/{n(c.max_points)} điểm theo kết quả thẩm định (đơn vị giải trình: {own})"
    return f"Được {n(obtained)}/{n(c.max_points)} điểm theo kết quả thẩm định"


# ---- the measures library -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    measure: str
    responsible: str
    recurring: bool
    keywords: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()

    def matches(self, c: Criterion) -> bool:
        name = fold(c.name)
        # whole words: "tin" must not match "tình hình"
        if self.keywords and not any(re.search(rf"(?<!\w){re.escape(fold(k))}(?!\w)", name) for k in self.keywords):
            return False
        if self.rules and c.rule_type not in self.rules:
            return False
        return not (self.fields and c.field_code not in self.fields)


@lru_cache(maxsize=4)
def _library(path: str, mtime: float) -> tuple[Measure, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    items = []
    for i, raw in enumerate(data.get("measures") or [], 1):
        if not isinstance(raw, dict) or not raw.get("measure"):
            raise ValueError(f"{Path(path).name}: mục {i} thiếu “measure”.")
        items.append(
            Measure(
                str(raw["measure"]),
                str(raw.get("responsible") or ""),
                bool(raw.get("recurring")),
                tuple(str(k) for k in raw.get("keywords") or ()),
                tuple(str(r) for r in raw.get("rules") or ()),
                tuple(str(f) for f in raw.get("fields") or ()),
            )
        )
    return tuple(items)


@read_at_start
def library(path: Path = MEASURES_FILE) -> tuple[Measure, ...]:
    return _library(str(path), path.stat().st_mtime)


def _target(c: Criterion) -> str:
    if c.rule_type == RuleType.THRESHOLDS and c.rule.get("steps"):
        top = max(Decimal(str(b)) for b, _ in c.rule["steps"])
        return f"đạt từ {_fig(c, top)} trở lên"
    if c.rule_type == RuleType.PROPORTIONAL:
        return f"đạt {_fig(c, Decimal(str(c.rule.get('full_at', 100))))}"
    return "đạt yêu cầu của tiêu chí"


def measure_for(c: Criterion) -> Measure:
    found = next((m for m in library() if m.matches(c)), None)
    if found is None:  # a library without a fallback entry
        return Measure("Thực hiện đầy đủ yêu cầu của tiêu chí và lưu tài liệu kiểm chứng.", "", False)
    return Measure(found.measure.replace("{target}", _target(c)), found.responsible, found.recurring)


@dataclass(frozen=True)
class Defaults:
    measure: str
    responsible: str
    deadline: date | None
    deadline_text: str


def calendar_deadline(framework: Framework) -> date:
    """The set's default deadline: ``calendar.deadline`` ("30/09") in the year after the assessed one."""
    raw = str((framework.calendar or {}).get("deadline") or "30/09")
    day, month = (int(x) for x in raw.split("/")[:2])
    return date(framework.year + 1, month, day)


def defaults_for(c: Criterion) -> Defaults:
    """What a new remediation row starts with (all editable)."""
    m = measure_for(c)
    fw = c.framework
    responsible = c.responsible_hint or m.responsible
    if m.recurring:
        text = str((fw.calendar or {}).get("recurring") or "Hằng tháng, hằng quý")
        return Defaults(m.measure, responsible, calendar_deadline(fw), text)
    return Defaults(m.measure, responsible, calendar_deadline(fw), "")


# ---- addressee ------------------------------------------------------------------------------------------
def home_office(unit: Any, day: date) -> str:
    """Cơ quan nội vụ nhận kế hoạch, báo cáo: Phòng Nội vụ of the district the unit belongs to on ``day``;
    where there is no district on that day (since 1/7/2025), Sở Nội vụ of the province. Read from the dated
    tree, so the date of the reform is data."""
    from cchc.org.models import Level
    from cchc.org.selectors import load_graph

    graph = load_graph()
    on = day
    if unit.valid_to and unit.valid_to < day:
        on = unit.valid_to  # a commune merged since: its chain as it last stood
    chain = graph.ancestors_on(unit.pk, on)
    district = next((a for a in chain if a.level == Level.DISTRICT), None)
    if district is not None and (district.valid_to is None or district.valid_to >= day):
        return f"Phòng Nội vụ {_lower_kind(district.name)}"
    province = next((a for a in chain if a.level == Level.PROVINCE), None)
    return f"Sở Nội vụ {_lower_kind(province.name)}" if province else "Sở Nội vụ"


def _lower_kind(name: str) -> str:
    return name[:1].lower() + name[1:]


# ---- today's figures ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LiveCheck:
    text: str
    points: Decimal | None
    secured: bool | None  # None: no figure to judge by


def live_checks(assessment: Any, criteria: list[Criterion], today: date) -> dict[int, LiveCheck]:
    """For criteria scored from an indicator: this year's figure so far and the points it would earn
    (read through ``cchc.indicators.selectors``, never from records)."""
    wanted = [c for c in criteria if c.indicator and takes_figure(c.rule_type, c.rule)]
    if not wanted:
        return {}
    from cchc.indicators.periods import get_period
    from cchc.indicators.selectors import ValueContext

    period = get_period(f"{today.year}-NAM")
    context = ValueContext(period)
    out = {}
    for c in wanted:
        v = context.value(assessment.unit_id, c.indicator)
        if v.value is None:
            out[c.pk] = LiveCheck(f"chưa có số liệu năm {today.year}", None, None)
            continue
        points = score_from_figure(c.rule_type, c.rule, c.max_points, v.value)
        secured = points == c.max_points if c.rule_type != RuleType.PENALTY else points == 0
        out[c.pk] = LiveCheck(
            f"số liệu năm {today.year} đến nay {figure_text(c.rule, v.value, c.rule_type)}, "
            f"tính theo quy tắc được {n(points)}/{n(c.max_points)} điểm",
            points,
            secured,
        )
    return out
