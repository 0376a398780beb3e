"""Đề cương báo cáo CCHC định kỳ: loaded from ``cchc/data/reports/outlines.yaml``.

The outline is data (principle 2): which sections a report of a level and period has, the sentences
pre-filled with figure placeholders, and how each period is named in running text. A broken file is
refused as a whole, with the line and the field of every error (``ImportRejected``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from cchc.core.importing import ErrorCollector
from cchc.core.loading import Field, Kind, Where, check, line_of, read_at_start, read_yaml
from cchc.reports import placeholders

OUTLINES_FILE = Path(__file__).resolve().parent.parent / "data" / "reports" / "outlines.yaml"
LEVELS = ("xa", "huyen", "tinh")
PERIOD_SUFFIXES = ("Q1", "6T", "Q3", "NAM")


class OutlineNotFound(LookupError):
    """Không có đề cương cho cấp và kỳ này."""


@dataclass(frozen=True)
class SectionSpec:
    """Một mục của đề cương."""

    key: str
    heading: str
    text: str = ""
    hint: str = ""
    fillers: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        """1 for a Roman-numbered part (I., II.), 2 for a numbered item inside it."""
        return 1 if "." not in self.key else 2


@dataclass(frozen=True)
class OutlineKind:
    """Một loại báo cáo: cấp, các kỳ và đề cương."""

    code: str
    name: str
    levels: tuple[str, ...]
    periods: tuple[str, ...]
    summary: str
    intro: str
    closing: str
    recipients: tuple[str, ...]
    sections: tuple[SectionSpec, ...]

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)


@dataclass(frozen=True)
class Outlines:
    version: int
    period_names: dict[str, dict[str, str]]
    kinds: tuple[OutlineKind, ...] = field(default_factory=tuple)
    by_unit_columns: tuple[str, ...] = ()

    def kind(self, code: str) -> OutlineKind:
        for k in self.kinds:
            if k.code == code:
                return k
        raise OutlineNotFound(f"Không có đề cương “{code}” trong tệp đề cương báo cáo.")

    def for_unit(self, level: str, period_code: str) -> OutlineKind:
        suffix = period_suffix(period_code)
        for k in self.kinds:
            if level in k.levels and suffix in k.periods:
                return k
        raise OutlineNotFound(
            f"Chưa có đề cương báo cáo cho cấp “{level}” và kỳ “{period_code}” (chỉ có báo cáo quý I, 6 tháng, "
            "quý III và năm của cấp xã, cấp huyện, cấp tỉnh)."
        )


def period_suffix(period_code: str) -> str:
    return period_code.split("-", 1)[1] if "-" in period_code else period_code


_PERIOD_NAME = "Thiếu cách gọi kỳ (ten, ky_toi)."
_TOP = (
    Field(
        "version",
        Kind.INTEGER,
        required=True,
        minimum=1,
        invalid="Phiên bản phải là số nguyên dương.",
        missing="Phiên bản phải là số nguyên dương.",
        out_of_range="Phiên bản phải là số nguyên dương.",
    ),
    Field(
        "period_names",
        Kind.MAPPING,
        required=True,
        missing=_PERIOD_NAME,
        fields=tuple(
            Field(
                suffix,
                Kind.MAPPING,
                required=True,
                missing=_PERIOD_NAME,
                invalid=_PERIOD_NAME,
                fields=(
                    Field("ten", required=True, missing=_PERIOD_NAME),
                    Field("ky_toi", required=True, missing=_PERIOD_NAME),
                ),
            )
            for suffix in PERIOD_SUFFIXES
        ),
    ),
    Field(
        "by_unit_columns",
        Kind.LIST,
        default=(),
        item=Field("by_unit_columns"),
        invalid="Phải là danh sách mã chỉ tiêu.",
    ),
    Field(
        "kinds",
        Kind.LIST,
        required=True,
        missing="Phải có ít nhất một loại báo cáo.",
        invalid="Phải có ít nhất một loại báo cáo.",
    ),
)
_KIND = (
    Field("code", required=True, missing="Thiếu mã loại báo cáo."),
    Field("name", join_spaces=True, default=""),
    Field(
        "levels",
        Kind.LIST,
        required=True,
        missing="Thiếu cấp áp dụng.",
        item=Field("levels", Kind.CHOICE, choices=LEVELS, invalid="Cấp phải là xa, huyen hoặc tinh."),
    ),
    Field(
        "periods",
        Kind.LIST,
        required=True,
        missing="Thiếu kỳ áp dụng.",
        item=Field("periods", Kind.CHOICE, choices=PERIOD_SUFFIXES, invalid="Kỳ phải là Q1, 6T, Q3 hoặc NAM."),
    ),
    Field("summary", required=True, join_spaces=True, missing="Không được để trống."),
    Field("intro", join_spaces=True, default=""),
    Field("closing", required=True, join_spaces=True, missing="Không được để trống."),
    Field("recipients", Kind.LIST, default=(), item=Field("recipients", join_spaces=True)),
    Field("sections", Kind.LIST, required=True, missing="Đề cương phải có ít nhất một mục."),
)
_SECTION = (
    Field("key", required=True, missing="Thiếu mã mục."),
    Field("heading", required=True, join_spaces=True, missing="Thiếu tiêu đề mục."),
    Field("text", join_spaces=True, default=""),
    Field("hint", join_spaces=True, default=""),
    Field("fillers", Kind.LIST, default=(), item=Field("fillers"), invalid="Phải là danh sách tên nguồn điền sẵn."),
)


def parse_outlines(text: str, indicator_codes: set[str] | None = None) -> Outlines:
    """Parse and check an outline file; raise ``ImportRejected`` naming the line and field of every error.

    ``indicator_codes``: the catalogue's codes; a placeholder naming another code is an error."""
    errors = ErrorCollector()
    data = read_yaml(text, errors)
    errors.raise_if_any()
    if not isinstance(data, dict):
        errors.add(None, "", "", "Tệp đề cương phải là một bảng có các khóa version, period_names, kinds.")
        errors.raise_if_any()
    top = check(data, _TOP, Where(errors))
    for col in top["by_unit_columns"] or ():
        if indicator_codes is not None and col not in indicator_codes:
            where = line_of(data, "by_unit_columns")
            errors.add(where, "by_unit_columns", col, "Mã chỉ tiêu không có trong danh mục chỉ tiêu.")
    if top["kinds"] is None:
        errors.raise_if_any()
    kinds = []
    for index, raw in enumerate(data["kinds"]):
        kind = _parse_kind(raw, line_of(data["kinds"], index), indicator_codes, errors)
        if kind is not None:
            kinds.append((kind, raw))
    _check_codes_and_coverage(kinds, errors)
    errors.raise_if_any()
    names = {suffix: dict(entry) for suffix, entry in top["period_names"].items()}
    return Outlines(top["version"], names, tuple(k for k, _ in kinds), tuple(top["by_unit_columns"]))


def _parse_kind(raw: Any, row: int | None, codes: set[str] | None, errors: ErrorCollector) -> OutlineKind | None:
    """One report kind (loại báo cáo) with its sections; None when it is not a mapping at all."""
    if not isinstance(raw, dict):
        errors.add(row, "kinds", raw, "Mỗi loại báo cáo phải là một bảng.")
        return None
    values = check(raw, _KIND, Where(errors, row))
    for name in ("summary", "intro", "closing"):
        _check_placeholders(values[name] or "", codes, errors, line_of(raw, name) or row, name)
    for recipient in values["recipients"] or ():
        _check_placeholders(recipient, codes, errors, line_of(raw, "recipients") or row, "recipients")
    sections = [
        _parse_section(s, line_of(raw["sections"], i), codes, errors) for i, s in enumerate(values["sections"] or ())
    ]
    seen: set[str] = set()
    for index, spec in enumerate(sections):
        if spec is None or not spec.key:
            continue
        if spec.key in seen:
            section_raw = raw["sections"][index]
            errors.add(line_of(section_raw, "key") or row, "key", spec.key, "Mã mục bị trùng trong đề cương.")
        seen.add(spec.key)
    return OutlineKind(
        values["code"] or "",
        values["name"] or values["code"] or "",
        tuple(values["levels"] or ()),
        tuple(values["periods"] or ()),
        values["summary"] or "",
        values["intro"],
        values["closing"] or "",
        tuple(values["recipients"] or ()),
        tuple(s for s in sections if s is not None),
    )


def _parse_section(raw: Any, row: int | None, codes: set[str] | None, errors: ErrorCollector) -> SectionSpec | None:
    if not isinstance(raw, dict):
        errors.add(row, "sections", raw, "Mỗi mục phải là một bảng (key, heading…).")
        return None
    values = check(raw, _SECTION, Where(errors, row))
    for name in ("heading", "text"):
        _check_placeholders(values[name] or "", codes, errors, line_of(raw, name) or row, name)
    return SectionSpec(
        values["key"] or "", values["heading"] or "", values["text"], values["hint"], tuple(values["fillers"] or ())
    )


def _check_codes_and_coverage(kinds: list[tuple[OutlineKind, dict]], errors: ErrorCollector) -> None:
    """Each kind's code once; each (level, period) drafted from one kind only."""
    seen: set[str] = set()
    covered: dict[tuple[str, str], str] = {}
    for kind, raw in kinds:
        if kind.code and kind.code in seen:
            errors.add(line_of(raw, "code"), "code", kind.code, "Mã loại báo cáo bị trùng.")
        seen.add(kind.code)
        for level in kind.levels:
            for period in kind.periods:
                if (level, period) in covered:
                    message = f"Cấp {level}, kỳ {period} đã có đề cương “{covered[(level, period)]}”."
                    errors.add(line_of(raw, "periods"), "periods", period, message)
                covered[(level, period)] = kind.code


def _check_placeholders(
    text: str, codes: set[str] | None, errors: ErrorCollector, row: int | None, field_name: str
) -> None:
    for problem in placeholders.check(text, codes):
        errors.add(row, field_name, problem.name, problem.message)


def catalogue_codes() -> set[str]:
    """Every indicator code of the shipped catalogue file (read without a database)."""
    from cchc.indicators.catalogue import CATALOGUE_FILE, parse_catalogue

    errors = ErrorCollector()
    _, _, rows = parse_catalogue(CATALOGUE_FILE.read_text(encoding="utf-8"), errors)
    return {str(r.fields.get("code")) for r in rows if r.fields.get("code")}


@lru_cache(maxsize=1)
def _load_shipped(mtime: float) -> Outlines:
    return parse_outlines(OUTLINES_FILE.read_text(encoding="utf-8"), catalogue_codes())


@read_at_start
def load_outlines(path: Path | None = None, *, with_added: bool = False) -> Outlines:
    """The outline file (cached until it changes on disk). ``with_added``: with the sentences of the indicators
    a province added at their declared place (read from the loaded catalogue: one query) — what a new report
    is drafted from."""
    if path is not None:
        outlines = parse_outlines(Path(path).read_text(encoding="utf-8"), catalogue_codes())
    else:
        outlines = _load_shipped(OUTLINES_FILE.stat().st_mtime)
    return with_added_indicators(outlines) if with_added else outlines


def with_added_indicators(outlines: Outlines) -> Outlines:
    """Append the sentence of each indicator a province added with ``outline: {section, text}`` (``cchc
    indicators add``) to that section of every kind that has it: new reports print its figure there
    ("place in the report outline", issue 12 item 5). A section key no kind has is left unused."""
    from cchc.indicators.catalogue import outline_places

    places = outline_places()
    if not places:
        return outlines
    kinds = []
    for kind in outlines.kinds:
        sections = []
        for spec in kind.sections:
            extra = [p["text"] for p in places if p["section"] == spec.key]
            sections.append(replace(spec, text="\n".join([t for t in [spec.text] if t] + extra)) if extra else spec)
        kinds.append(replace(kind, sections=tuple(sections)))
    return replace(outlines, kinds=tuple(kinds))
