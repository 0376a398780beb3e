"""Phương pháp chấm điểm as provinces write it, turned into a rule where it is one of the known shapes.

The annex of a criteria set says how each criterion is scored in a free-text column ("phương pháp chấm",
"hướng dẫn chấm điểm"). Four shapes are common and can be scored exactly from a figure:

- thresholds on a rate or a count: "≥95%: 2,5 điểm; từ 90% đến dưới 95%: 1,5 điểm; dưới 90%: 0";
  "Đạt 100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm"; "Từ 12 tin, bài trở lên: 1,5 điểm";
- yes / no: "Có: 1 điểm; Không: 0"; "Ban hành kịp thời: 0,5 điểm; không ban hành: 0 điểm";
- deduction per fault: "Mỗi báo cáo chậm hoặc thiếu trừ 0,25 điểm";
- proportional: "Điểm = tỷ lệ % × điểm tối đa"; a count against a quota: "Mỗi sáng kiến được công nhận: 0,5
  điểm (tối đa 1 điểm)" (points = count ÷ quota × maximum, the quota being maximum ÷ points per item).

Anything else ("trên 95%", points that do not add up, several conditions in one line) is kept as text and
scored by hand: a wrong automatic rule would cost a commune points it earned. ``rule_from_text`` never
guesses.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NUM = r"(\d+(?:[.,]\d+)?)"
_POINTS = re.compile(_NUM + r"\s*(?:điểm|đ)(?![a-zà-ỹ])", re.IGNORECASE)
_TRAILING_POINTS = re.compile(r":\s*" + _NUM + r"\s*\.?\s*$")
_SPLIT = re.compile(r"\s*(?:;|\n|\r|(?:^|\s)[-+•]\s+)\s*")
_NEGATIVE = re.compile(r"^(?:không|chưa|ko)\b", re.IGNORECASE)
_LOWER = [  # a lower bound of the range the points go with (reached: value ≥ bound)
    re.compile(r"(?:>=|≥|=>)\s*" + _NUM),
    re.compile(r"\btừ\s+" + _NUM),
    re.compile(r"\b(?:đạt|bằng|=)\s+" + _NUM + r"\s*%"),
    re.compile(r"\b(?:ít nhất|tối thiểu)\s+" + _NUM),
    re.compile(_NUM + r"\s*%?\s*(?:[a-zà-ỹ,\s]{0,20})?\btrở lên"),
    re.compile(r"^[^\d<]*?" + _NUM + r"\s*%[^\d]*$"),  # "Hoàn thành 100% nhiệm vụ", "100%"
]
_UPPER_ONLY = re.compile(
    r"(?:^|\s)(?:dưới|<|thấp hơn|nhỏ hơn|không đạt|còn lại|trường hợp khác)(?:\s|$|\d)", re.IGNORECASE
)
_STRICT = re.compile(r"\b(?:trên|lớn hơn|cao hơn|vượt)\b|(?<![<>])>(?!=)", re.IGNORECASE)
_PER_FAULT = re.compile(r"\b(?:mỗi|01|1)\b[^;]*?\btrừ\s+" + _NUM + r"\s*(?:điểm|đ)", re.IGNORECASE)
_PER_ITEM = re.compile(r"\bmỗi\b(?P<what>[^:;]*?)(?:được|cộng|:)\s*" + _NUM + r"\s*(?:điểm|đ)", re.IGNORECASE)
_PROPORTIONAL = re.compile(
    r"(?:tỷ lệ|tỉ lệ)\s*%?\s*[x×*]\s*(?:số\s+)?điểm tối đa|tính theo tỷ lệ|tính theo tỉ lệ", re.IGNORECASE
)
_UNIT = re.compile(_NUM + r"\s*([a-zà-ỹđ][a-zà-ỹđ ,]{1,30}?)\s*(?:trở lên|/|:|$)", re.IGNORECASE)


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _normalise(text: str) -> str:
    text = text.replace("≥", ">=").replace("≤", "<=").replace("–", "-").replace("—", "-").replace("\xa0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def _segments(text: str) -> list[str]:
    return [s.strip(" .-+•") for s in _SPLIT.split(text) if s and s.strip(" .-+•")]


def _points_of(segment: str) -> tuple[Decimal, str] | None:
    """The points a segment awards and the condition before them ("từ 90% đến dưới 95%", "1,5")."""
    found = list(_POINTS.finditer(segment))
    if found:
        match = found[-1]
    else:
        match = _TRAILING_POINTS.search(segment)
        if match is None:
            return None
    value = _dec(match.group(1))
    if value is None:
        return None
    condition = segment[: match.start()].rstrip(" :=-,(")
    return value, condition


def _lower_bound(condition: str) -> Decimal | None:
    condition = condition.lower()
    for pattern in _LOWER:
        match = pattern.search(condition)
        if match:
            return _dec(match.group(1))
    return None


def _count_unit(conditions: list[str]) -> str:
    for condition in conditions:
        match = _UNIT.search(condition)
        if match and "%" not in condition:
            words = match.group(2).strip(" ,")
            if words and not re.match(r"^(?:điểm|đ|đến|trở|dưới)\b", words):
                return words
    return ""


def _thresholds(pairs: list[tuple[Decimal, str]], max_points: Decimal) -> dict | None:
    steps: list[list[str]] = []
    other: Decimal | None = None
    for points, condition in pairs:
        if _STRICT.search(condition):
            return None  # "trên 95%" is a strict bound; the rule shape scores "from" bounds only
        upper_only = _UPPER_ONLY.search(condition) and not re.search(r"\btừ\b|>=", condition.lower())
        bound = None if upper_only else _lower_bound(condition)
        if bound is None:
            if upper_only and other is None:
                other = points
                continue
            return None
        if points > max_points:
            return None
        steps.append([str(bound), str(points)])
    if not steps or len({s[0] for s in steps}) != len(steps):
        return None
    steps.sort(key=lambda s: Decimal(s[0]), reverse=True)
    if Decimal(steps[0][1]) != max_points:
        return None  # the best range must earn the maximum, or the text is not what we think it is
    points_desc = [Decimal(p) for _, p in steps]
    if points_desc != sorted(points_desc, reverse=True):
        return None
    rule: dict = {"type": "thresholds", "steps": [[_plain(b), _plain(p)] for b, p in steps]}
    if other:
        rule["else"] = _plain(other)
    conditions = [c for _, c in pairs]
    if not any("%" in c for c in conditions):
        rule["unit"] = _count_unit(conditions) or "lần"
    return rule


def _plain(value: str | Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def _yes_no(pairs: list[tuple[Decimal, str]], max_points: Decimal) -> dict | None:
    if len(pairs) != 2:
        return None
    negative = [p for p in pairs if _NEGATIVE.match(p[1].strip())]
    positive = [p for p in pairs if not _NEGATIVE.match(p[1].strip())]
    if len(negative) != 1 or len(positive) != 1:
        return None
    if negative[0][0] != 0 or positive[0][0] != max_points:
        return None
    if re.search(r"\d\s*%|\bdưới\b|\btừ\s+\d", positive[0][1]):
        return None
    return {"type": "yes_no"}


def rule_from_text(text: str, max_points: Decimal) -> dict | None:
    """The rule the scoring method describes, or None when it is not one of the known shapes."""
    text = _normalise(text or "")
    if not text or max_points is None:
        return None
    per_fault = _PER_FAULT.search(text)
    if per_fault and "được" not in text.lower():
        per = _dec(per_fault.group(1))
        if per and 0 < per <= max_points:
            rule = {"type": "deduction", "per": _plain(per)}
            unit = re.search(
                r"\bmỗi\s+([a-zà-ỹđ ,]{2,30}?)\s+(?:chậm|thiếu|sai|không|vi phạm|quá hạn|bị|trừ)", text, re.IGNORECASE
            )
            if unit:
                rule["unit"] = unit.group(1).strip()
            return rule
        return None
    if _PROPORTIONAL.search(text):
        return {"type": "proportional", "full_at": "100"}
    per_item = _PER_ITEM.search(text)
    if per_item and "trừ" not in text.lower():
        each = _dec(per_item.group(2))
        if each and 0 < each <= max_points and (max_points / each) == (max_points / each).to_integral_value():
            rule = {"type": "proportional", "full_at": _plain(max_points / each)}
            what = per_item.group("what").strip(" ,")
            rule["unit"] = what[:40] if what else "lần"
            return rule
        return None
    pairs = [p for p in (_points_of(s) for s in _segments(text)) if p is not None]
    if len(pairs) < 2:
        return None
    return _yes_no(pairs, max_points) or _thresholds(pairs, max_points)
