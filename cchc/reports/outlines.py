"""Đề cương báo cáo CCHC định kỳ: loaded from ``cchc/data/reports/outlines.yaml``.

The outline is data (principle 2): which sections a report of a level and period has, the sentences
pre-filled with figure placeholders, and how each period is named in running text. A broken file is
refused as a whole, with the line and the field of every error (``ImportRejected``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from cchc.core.importing import ErrorCollector
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


def _line(node: yaml.Node | None) -> int | None:
    return None if node is None else node.start_mark.line + 1


def _mapping_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v.start_mark.line + 1 for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def parse_outlines(text: str, indicator_codes: set[str] | None = None) -> Outlines:
    """Parse and check an outline file; raise ``ImportRejected`` naming the line and field of every error.

    ``indicator_codes``: the catalogue's codes; a placeholder naming another code is an error."""
    errors = ErrorCollector()
    try:
        root_node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(mark.line + 1 if mark else None, "", "", f"Tệp YAML sai cú pháp: {getattr(exc, 'problem', exc)}.")
        errors.raise_if_any()
    if not isinstance(data, dict) or not isinstance(root_node, yaml.MappingNode):
        errors.add(None, "", "", "Tệp đề cương phải là một bảng có các khóa version, period_names, kinds.")
        errors.raise_if_any()
    top = dict((k.value, v) for k, v in root_node.value)
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        errors.add(_line(top.get("version")), "version", version, "Phiên bản phải là số nguyên dương.")
    names = data.get("period_names") or {}
    for suffix in PERIOD_SUFFIXES:
        entry = names.get(suffix) if isinstance(names, dict) else None
        if not isinstance(entry, dict) or not entry.get("ten") or not entry.get("ky_toi"):
            errors.add(_line(top.get("period_names")), f"period_names.{suffix}", "", "Thiếu cách gọi kỳ (ten, ky_toi).")
    columns = data.get("by_unit_columns") or []
    if not isinstance(columns, list):
        errors.add(_line(top.get("by_unit_columns")), "by_unit_columns", columns, "Phải là danh sách mã chỉ tiêu.")
        columns = []
    for col in columns:
        if indicator_codes is not None and str(col) not in indicator_codes:
            errors.add(
                _line(top.get("by_unit_columns")),
                "by_unit_columns",
                col,
                "Mã chỉ tiêu không có trong danh mục chỉ tiêu.",
            )
    kinds: list[OutlineKind] = []
    kind_nodes = top.get("kinds")
    raw_kinds = data.get("kinds")
    if not isinstance(raw_kinds, list) or not raw_kinds:
        errors.add(_line(kind_nodes), "kinds", "", "Phải có ít nhất một loại báo cáo.")
        errors.raise_if_any()
    seen_codes: set[str] = set()
    covered: dict[tuple[str, str], str] = {}
    for raw, node in zip(raw_kinds, kind_nodes.value, strict=True):
        lines = _mapping_lines(node)
        row = _line(node)
        if not isinstance(raw, dict):
            errors.add(row, "kinds", raw, "Mỗi loại báo cáo phải là một bảng.")
            continue
        code = str(raw.get("code") or "")
        if not code:
            errors.add(row, "code", "", "Thiếu mã loại báo cáo.")
        elif code in seen_codes:
            errors.add(lines.get("code", row), "code", code, "Mã loại báo cáo bị trùng.")
        seen_codes.add(code)
        levels = tuple(raw.get("levels") or ())
        for level in levels:
            if level not in LEVELS:
                errors.add(lines.get("levels", row), "levels", level, "Cấp phải là xa, huyen hoặc tinh.")
        if not levels:
            errors.add(lines.get("levels", row), "levels", "", "Thiếu cấp áp dụng.")
        periods = tuple(str(p) for p in raw.get("periods") or ())
        for p in periods:
            if p not in PERIOD_SUFFIXES:
                errors.add(lines.get("periods", row), "periods", p, "Kỳ phải là Q1, 6T, Q3 hoặc NAM.")
        if not periods:
            errors.add(lines.get("periods", row), "periods", "", "Thiếu kỳ áp dụng.")
        for level in levels:
            for p in periods:
                if (level, p) in covered:
                    errors.add(
                        lines.get("periods", row),
                        "periods",
                        p,
                        f"Cấp {level}, kỳ {p} đã có đề cương “{covered[(level, p)]}”.",
                    )
                covered[(level, p)] = code
        texts = {f: _text(raw.get(f)) for f in ("summary", "intro", "closing")}
        for f in ("summary", "closing"):
            if not texts[f]:
                errors.add(lines.get(f, row), f, "", "Không được để trống.")
        for f, value in texts.items():
            _check_placeholders(value, indicator_codes, errors, lines.get(f, row), f)
        recipients = tuple(_text(r) for r in raw.get("recipients") or ())
        for r in recipients:
            _check_placeholders(r, indicator_codes, errors, lines.get("recipients", row), "recipients")
        sections: list[SectionSpec] = []
        section_nodes = next((v for k, v in node.value if k.value == "sections"), None)
        raw_sections = raw.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections or section_nodes is None:
            errors.add(lines.get("sections", row), "sections", "", "Đề cương phải có ít nhất một mục.")
            raw_sections, section_nodes_list = [], []
        else:
            section_nodes_list = section_nodes.value
        keys: set[str] = set()
        for s_raw, s_node in zip(raw_sections, section_nodes_list, strict=True):
            s_row = _line(s_node)
            if not isinstance(s_raw, dict):
                errors.add(s_row, "sections", s_raw, "Mỗi mục phải là một bảng (key, heading…).")
                continue
            s_lines = _mapping_lines(s_node)
            key = str(s_raw.get("key") or "")
            if not key:
                errors.add(s_row, "key", "", "Thiếu mã mục.")
            elif key in keys:
                errors.add(s_lines.get("key", s_row), "key", key, "Mã mục bị trùng trong đề cương.")
            keys.add(key)
            heading = _text(s_raw.get("heading"))
            if not heading:
                errors.add(s_row, "heading", "", "Thiếu tiêu đề mục.")
            body = _text(s_raw.get("text"))
            _check_placeholders(heading, indicator_codes, errors, s_lines.get("heading", s_row), "heading")
            _check_placeholders(body, indicator_codes, errors, s_lines.get("text", s_row), "text")
            fillers = s_raw.get("fillers") or []
            if not isinstance(fillers, list) or not all(isinstance(f, str) for f in fillers):
                errors.add(s_lines.get("fillers", s_row), "fillers", fillers, "Phải là danh sách tên nguồn điền sẵn.")
                fillers = []
            sections.append(SectionSpec(key, heading, body, _text(s_raw.get("hint")), tuple(fillers)))
        kinds.append(
            OutlineKind(
                code,
                _text(raw.get("name")) or code,
                levels,
                periods,
                texts["summary"],
                texts["intro"],
                texts["closing"],
                recipients,
                tuple(sections),
            )
        )
    errors.raise_if_any()
    return Outlines(version, {k: dict(v) for k, v in names.items()}, tuple(kinds), tuple(str(c) for c in columns))


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
