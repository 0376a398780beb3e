"""Bộ đọc tệp dữ liệu: one loader for the data files (laws and layouts that change by year or province).

A data file (the indicator catalogue, report outlines, the QĐ 766 formulas, a PAR criteria set) is YAML read
with ``read_yaml``, which keeps the line of every mapping, key and list item (``line_of``), then each of its
mappings is checked against declared ``Field``s with ``check``: every bad value becomes one ``RowError`` in the
caller's ``ErrorCollector`` — the line, the field, the value and a Vietnamese message — and the typed values
come back. What is particular to one file (a total that must add up, a code that must exist) stays in its
loader, written against the values ``check`` returns.

Kinds: text, integer, decimal (``2,5`` as well as ``2.5``), date (dd/mm/yyyy, ISO or "ngày … tháng … năm …";
YAML's own dates too), bool (``có``/``không``, true/false, 1/0), choice (an enum's values or a list), list
(each item checked as ``item``), mapping (its keys checked as ``fields``) and any (a value of several shapes,
declared so that it is not an unknown key, checked by the loader itself).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Any, TypeVar

import yaml

from cchc.core.importing import ErrorCollector
from cchc.core.text import fold
from cchc.core.vnformat import VietnameseParseError, format_number, parse_date


class Kind(StrEnum):
    """Kiểu giá trị của một trường."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    LIST = "list"
    MAPPING = "mapping"
    ANY = "any"  # taken as written: a value of several shapes the loader checks itself


_INVALID = {
    Kind.TEXT: "phải là một đoạn chữ.",
    Kind.INTEGER: "phải là một số nguyên.",
    Kind.DECIMAL: "phải là một số (ví dụ 2,5 hoặc 2.5).",
    Kind.DATE: "phải là một ngày dạng dd/mm/yyyy (hoặc yyyy-mm-dd).",
    Kind.BOOL: "phải là có hoặc không (true/false).",
    Kind.CHOICE: "phải là một trong: {allowed}.",
    Kind.LIST: "phải là một danh sách.",
    Kind.MAPPING: "phải là một bảng (khóa: giá trị).",
    Kind.ANY: "",
}
_YES = {"co", "true", "yes", "1", "x", "dung"}
_NO = {"khong", "false", "no", "0", "sai"}
_DECIMAL = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


# ---- YAML with line numbers ----------------------------------------------------------------------------
class LineDict(dict):
    """A YAML mapping that knows its line and the line of each key (1-based, as an editor counts)."""

    line: int | None = None
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}


class LineList(list):
    """A YAML sequence that knows its line and the line of each item."""

    line: int | None = None
    item_lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines = []


# libyaml's parser where PyYAML was built with it: the same nodes and marks (lines), 7–8 times faster (the
# indicator catalogue: 18 against 140 ms, read by every process that drafts a report)
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """PyYAML's safe loader building ``LineDict``/``LineList`` (plain dict/list subclasses: JSON, ``==`` and
    ``safe_dump`` treat them as usual)."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    data.update(loader.construct_mapping(node))
    data.key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode):
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    data.extend(loader.construct_sequence(node))
    data.item_lines = [item.start_mark.line + 1 for item in node.value]


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2022-13-23: left as text, so that a date field names it at its line
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
# Written back as the plain mapping and list they are (a checked file stored as a snapshot, dumped again).
yaml.SafeDumper.add_representer(LineDict, yaml.SafeDumper.represent_dict)
yaml.SafeDumper.add_representer(LineList, yaml.SafeDumper.represent_list)


_Reader = TypeVar("_Reader", bound=Callable[[], object])
_READ_AT_START: list[Callable[[], object]] = []


def read_at_start(reader: _Reader) -> _Reader:
    """Mark a reader of shipped data files (callable without arguments, its result kept by the process) to be
    read when a web server starts (``runtime.warmup``), not by the first request that needs it."""
    _READ_AT_START.append(reader)
    return reader


def read_shipped_files() -> int:
    """Call every reader marked ``read_at_start`` (of the modules imported so far); how many."""
    for reader in _READ_AT_START:
        reader()
    return len(_READ_AT_START)


def read_yaml(text: str, errors: ErrorCollector) -> Any:
    """The file's data with line numbers, or None with the syntax error (and its line) in ``errors``."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        errors.add(mark.line + 1 if mark else None, "", "", f"Tệp YAML sai cú pháp: {problem}.")
        return None


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The line of a mapping's key or a list's item (``key``), else of the container; None for data that
    did not come from ``read_yaml`` (a stored snapshot)."""
    if isinstance(container, LineDict):
        return container.key_lines.get(str(key), container.line) if key is not None else container.line
    if isinstance(container, LineList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return None


# ---- declared fields -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """Một trường khai báo: its name in the file, kind, whether it must be there, its default and limits.

    ``invalid`` (not of the kind), ``missing`` and ``out_of_range`` (a bound or ``places`` passed) replace the
    generic messages where a file has its own wording; ``invalid`` and ``missing`` may name ``{allowed}``.
    ``minimum``/``maximum`` bound numbers (``positive``: above 0), ``places`` the decimals of a decimal,
    ``pattern`` the whole of a text."""

    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    default: Any = None
    choices: Collection[str] | type[Enum] | None = None
    pattern: re.Pattern[str] | None = None
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    positive: bool = False
    places: int | None = None
    item: Field | None = None
    fields: tuple[Field, ...] = ()
    join_spaces: bool = False
    invalid: str = ""
    missing: str = ""
    out_of_range: str = ""

    def allowed(self) -> list[str]:
        if self.choices is None:
            return []
        if isinstance(self.choices, type) and issubclass(self.choices, Enum):
            return [str(m.value) for m in self.choices]
        return [str(c) for c in self.choices]


@dataclass
class Where:
    """Where errors go and what they name: the collector, the row (a line, or an item's code for loaders
    that name items), a prefix for each message (``Thành phần “x”, ``), and whether a field's own line
    replaces the row (``field_lines``: a key on its own line is named by that line)."""

    errors: ErrorCollector
    row: int | str | None = None
    prefix: str = ""
    field_lines: bool = True
    capital: bool = True

    def add(self, field_name: str, value: Any, message: str, row: int | str | None = None) -> None:
        text = self.prefix + message
        if self.capital and not self.prefix:
            text = text[:1].upper() + text[1:]
        self.errors.add(self.row if row is None else row, field_name, _shown(value), text)

    def at(self, container: Any, key: str | int | None) -> int | str | None:
        """The row an error about ``container[key]`` names."""
        if isinstance(self.row, str) or not self.field_lines:
            return self.row
        return line_of(container, key) or self.row


class Checked(dict):
    """The typed values of a checked mapping (every declared field; None where a value was refused)."""

    ok: bool = True


def _shown(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format_number(value) if value.is_finite() else str(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def _cut(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _number_text(value: int | Decimal) -> str:
    return format_number(Decimal(value))


def _empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict | tuple) and not value)


def check(raw: Any, fields: Sequence[Field], where: Where, *, allow_unknown: bool = False, prefix: str = "") -> Checked:
    """Check a mapping against ``fields``: every error into ``where``, the typed values returned.

    ``allow_unknown``: keys not declared pass silently (otherwise each is an error); ``prefix`` is put before
    every field name (a nested mapping's ``ratio.``)."""
    out = Checked()
    if not isinstance(raw, Mapping):
        where.add(prefix.rstrip("."), raw, _INVALID[Kind.MAPPING], where.at(raw, None))
        out.ok = False
        return out
    before = where.errors.total
    for spec in fields:
        out[spec.name] = _field(raw, spec, where, prefix)
    if not allow_unknown:
        known = {f.name for f in fields}
        names = ", ".join(f.name for f in fields)
        for key in (k for k in raw if str(k) not in known):
            shown = "" if isinstance(raw[key], list | dict) else _cut(str(raw[key]))  # the key names it
            where.add(f"{prefix}{key}", shown, f"trường không được hỗ trợ (dùng: {names}).", where.at(raw, key))
    out.ok = where.errors.total == before
    return out


def _field(raw: Mapping, spec: Field, where: Where, prefix: str) -> Any:
    return check_value(spec, raw.get(spec.name), where, row=where.at(raw, spec.name), name=prefix + spec.name)


def check_value(spec: Field, value: Any, where: Where, *, row: int | str | None = None, name: str | None = None) -> Any:
    """One value checked as ``spec``: the typed value (the default when it is absent and optional), or None
    with the error in ``where``."""
    name = spec.name if name is None else name
    if _empty(value):
        if spec.required:
            missing = spec.missing or "bắt buộc, không được để trống."
            where.add(name, "", missing.replace("{allowed}", ", ".join(spec.allowed())), row)
            return None
        return copy.copy(spec.default)
    converted, problem = _CONVERTERS[spec.kind](spec, value, where, row, name)
    if problem is None and spec.kind in (Kind.INTEGER, Kind.DECIMAL):
        problem = _bounds(spec, converted)
    if problem is None and spec.kind is Kind.TEXT and spec.pattern is not None and not spec.pattern.match(converted):
        problem = spec.invalid or "không đúng dạng."
    if problem is not None:
        if problem:  # "" = refused, its parts already reported (a list's items, a mapping's keys)
            where.add(name, value, problem, row)
        return None
    return converted


def _bounds(spec: Field, number: int | Decimal) -> str | None:
    if spec.positive and number <= 0:
        return spec.out_of_range or "phải là số dương."
    if spec.minimum is not None and number < spec.minimum:
        lowest = "không được âm." if spec.minimum == 0 else f"không được nhỏ hơn {_number_text(spec.minimum)}."
        return spec.out_of_range or lowest
    if spec.maximum is not None and number > spec.maximum:
        return spec.out_of_range or f"không được lớn hơn {_number_text(spec.maximum)}."
    if spec.places is not None and isinstance(number, Decimal) and number != round(number, spec.places):
        return spec.out_of_range or f"chỉ được có tối đa {spec.places} chữ số thập phân."
    return None


def _bad(spec: Field) -> str:
    return (spec.invalid or _INVALID[spec.kind]).replace("{allowed}", ", ".join(spec.allowed()))


def _text(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if isinstance(value, bool | list | dict):
        return None, _bad(spec)
    text = str(value)
    return (" ".join(text.split()) if spec.join_spaces else text.strip()), None


def _integer(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return None, _bad(spec)
    if isinstance(value, int):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip()), None
    return None, _bad(spec)


def _decimal(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return None, _bad(spec)
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, Decimal):  # from a reader that already made one (an annex's cell)
        return (value, None) if value.is_finite() else (None, _bad(spec))
    text = str(value).strip().replace(" ", "") if isinstance(value, float | str) else ""
    if not _DECIMAL.match(text):  # also refuses nan, inf and "1.234,5" (a data file writes one mark)
        return None, _bad(spec)
    try:
        return Decimal(text.replace(",", ".")), None
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits and one mark
        return None, _bad(spec)


def _date(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if not isinstance(value, str):
        return None, _bad(spec)
    try:
        return parse_date(value), None
    except VietnameseParseError as exc:
        return None, spec.invalid or ("ngày không tồn tại." if "không tồn tại" in str(exc) else _bad(spec))


def _bool(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    word = fold(str(value)).strip() if isinstance(value, str | int) else ""
    if word in _YES or word in _NO:
        return word in _YES, None
    return None, _bad(spec)


def _choice(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if isinstance(value, bool | list | dict) or str(value).strip() not in spec.allowed():
        return None, _bad(spec)
    text = str(value).strip()
    if isinstance(spec.choices, type) and issubclass(spec.choices, Enum):
        return spec.choices(text), None
    return text, None


def _list(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if not isinstance(value, list):
        return None, _bad(spec)
    if spec.item is None:
        return value, None  # as read: a LineList keeps the lines of its items
    before = where.errors.total
    items = []
    for index, item in enumerate(value):
        item_row = row if isinstance(row, str) or not where.field_lines else (line_of(value, index) or row)
        items.append(check_value(spec.item, item, where, row=item_row, name=name))
    # Each bad item was reported on its own; the list as a whole is refused (None) without a second error.
    return (items, None) if where.errors.total == before else (None, "")


def _mapping(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    if not isinstance(value, Mapping):
        return None, _bad(spec)
    if not spec.fields:
        return value, None  # as read: a LineDict keeps the lines of its keys
    checked = check(value, spec.fields, where, prefix=f"{name}.")
    return (checked, None) if checked.ok else (None, "")


def _any(spec: Field, value: Any, where: Where, row: Any, name: str) -> tuple[Any, str | None]:
    return value, None


_CONVERTERS = {
    Kind.TEXT: _text,
    Kind.INTEGER: _integer,
    Kind.DECIMAL: _decimal,
    Kind.DATE: _date,
    Kind.BOOL: _bool,
    Kind.CHOICE: _choice,
    Kind.LIST: _list,
    Kind.MAPPING: _mapping,
    Kind.ANY: _any,
}
