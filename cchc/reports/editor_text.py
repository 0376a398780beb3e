"""Chỗ điền số liệu như người soạn thấy: ``[Tổng số hồ sơ tiếp nhận]`` instead of ``{dossiers.commune.received}``.

Sections are stored with placeholders (``cchc.reports.placeholders``); the editor shows each one as its
name in square brackets and turns the names back into placeholders when it saves, so an officer never
reads or types a code. A name typed in capitals (``[TÊN KỲ TỚI]``) is the capitals form (``{KY_TOI.TEN}``).
Brackets that name nothing known are ordinary text and stay as typed. Indicator names that occur twice in
the catalogue carry their group and STT, so every label maps back to one code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from cchc.reports.placeholders import PLACEHOLDER

CONTEXT_LABELS = {
    "ky.ten": "tên kỳ báo cáo",
    "ky.tu_ngay": "ngày đầu kỳ",
    "ky.den_ngay": "ngày cuối kỳ",
    "ky.han": "hạn gửi báo cáo",
    "ky_toi.ten": "tên kỳ tới",
    "don_vi.ten": "tên đơn vị",
    "don_vi.dia_danh": "địa danh",
    "cap_tren.ten": "tên cơ quan cấp trên",
}
TOKEN = re.compile(r"\[([^\[\]\n]{2,300})\]")


def _key(label: str) -> str:
    return " ".join(unicodedata.normalize("NFC", label).split()).casefold()


@dataclass(frozen=True)
class Labels:
    """code → label shown, and the way back."""

    by_code: Mapping[str, str]
    by_key: Mapping[str, str]

    def label(self, code: str) -> str:
        return self.by_code.get(code, code)


def labels_for(indicators: Mapping[str, object]) -> Labels:
    """Labels of every indicator (``name``, ``group_name``, ``stt``) and of the context facts."""
    counts = Counter(getattr(ind, "name", code) for code, ind in indicators.items())
    by_code: dict[str, str] = {}
    for code, ind in indicators.items():
        name = getattr(ind, "name", code)
        if counts[name] > 1:
            name = f"{name} ({getattr(ind, 'group_name', '')}, mục {getattr(ind, 'stt', '')})"
        by_code[code] = name
    by_code.update(CONTEXT_LABELS)
    return Labels(by_code, {_key(label): code for code, label in by_code.items()})


def to_editor(text: str, labels: Labels) -> str:
    """Stored text → editor text: every known placeholder becomes ``[its name]``."""

    def swap(match: re.Match[str]) -> str:
        raw = match.group(1)
        code = raw.lower()
        if code not in labels.by_code:
            return match.group(0)
        label = labels.by_code[code]
        return f"[{label.upper()}]" if raw.isupper() and raw != code else f"[{label}]"

    return PLACEHOLDER.sub(swap, text or "")


def from_editor(text: str, labels: Labels) -> str:
    """Editor text → stored text: every ``[known name]`` becomes its placeholder."""

    def swap(match: re.Match[str]) -> str:
        label = match.group(1)
        code = labels.by_key.get(_key(label))
        if code is None:
            return match.group(0)
        capitals = label.upper() == label and label.lower() != label
        return "{" + (code.upper() if capitals else code) + "}"

    return TOKEN.sub(swap, text or "")
