"""Ghi số liệu chỉ tiêu: nhập tay (có kiểm tra phạm vi, nhật ký, quy tắc) và đánh dấu số liệu tính cần tính lại."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Union

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from cchc.accounts.actors import SystemActor
from cchc.core import audit
from cchc.core.vnformat import VietnameseParseError, parse_number
from cchc.indicators.catalogue import ensure_catalogue, load_catalogue  # noqa: F401  (re-exported)
from cchc.indicators.models import (
    ComputedValue,
    DataVersion,
    Indicator,
    IndicatorValue,
    Origin,
    Period,
    Source,
    ValueType,
)
from cchc.indicators.periods import ensure_period, periods_containing
from cchc.indicators.rules import RuleResult
from cchc.indicators.validation import check_submission, warnings_for  # noqa: F401  (re-exported)
from cchc.indicators.versions import EVERY_UNIT
from cchc.org.models import OrgUnit
from cchc.org.selectors import OrgGraph, load_graph

if TYPE_CHECKING:
    from cchc.accounts.models import User

# Who writes: a user (scope checked), or a named system actor such as SystemActor("cchc indicators import")
# (the console administrator, recorded by that name in the audit trail); a plain string is refused.
Actor = Union["User", SystemActor]

_YES = {"1", "có", "co", "x", "tốt", "đã thực hiện", "true"}
_NO = {"0", "không", "khong", "có vi phạm", "chưa thực hiện", "false"}


@dataclass
class EntryResult:
    """Kết quả nhập một số liệu: the stored row (None when cleared) and the rule warnings it raised."""

    value: IndicatorValue | None
    warnings: list[RuleResult] = field(default_factory=list)
    changed: bool = True


def _indicator(indicator: Indicator | str) -> Indicator:
    if isinstance(indicator, Indicator):
        return indicator
    ensure_catalogue()
    found = Indicator.objects.filter(code=indicator, retired_in__isnull=True).first()
    if found is None:
        raise ValidationError(f"Không có chỉ tiêu mã “{indicator}” trong danh mục.")
    return found


def clean_value(indicator: Indicator, raw: object) -> Decimal:
    """Đọc và kiểm tra một số liệu nhập tay theo kiểu của chỉ tiêu (Vietnamese number formats)."""
    label = f"“{indicator.name}”"
    if isinstance(raw, bool):
        raw = int(raw)
    named = _named_choice(indicator, raw)
    if named is not None:
        return named
    value = _parse_raw(indicator, raw, label)
    if indicator.value_type in (ValueType.BOOLEAN, ValueType.ENUM):
        key = str(int(value)) if value == value.to_integral_value() else str(value)
        if key not in (indicator.choices or {}):
            raise ValidationError(f"{label}: chỉ nhận một trong các giá trị {_allowed(indicator)}.")
        return Decimal(key)
    if value < 0:
        raise ValidationError(f"{label}: số liệu không được âm.")
    if indicator.value_type == ValueType.INTEGER and value != value.to_integral_value():
        raise ValidationError(f"{label}: phải là số nguyên (đơn vị tính: {indicator.unit_label}).")
    if value >= Decimal(10) ** 15:
        raise ValidationError(f"{label}: số liệu quá lớn.")
    return value


def _named_choice(indicator: Indicator, raw: object) -> Decimal | None:
    """A yes/no or a choice written by its name ("Có", "Kết hợp"); None when ``raw`` is no such name."""
    if not isinstance(raw, str):
        return None
    text = raw.strip().lower()
    if indicator.value_type == ValueType.BOOLEAN:
        choices = {v.lower(): k for k, v in (indicator.choices or {}).items()}
        if text in choices:
            return Decimal(choices[text])
        if text in _YES:
            return Decimal(1)
        if text in _NO:
            return Decimal(0)
    if indicator.value_type == ValueType.ENUM:
        for key, name in indicator.ordered_choices():
            if text == name.lower():
                return Decimal(key)
    return None


def _parse_raw(indicator: Indicator, raw: object, label: str) -> Decimal:
    """``raw`` as a finite number (Vietnamese marks in text: "1.234,5"), or the error a user reads."""
    try:
        if isinstance(raw, str):
            value = parse_number(raw)
        elif isinstance(raw, float):
            value = Decimal(repr(raw))
        else:
            value = Decimal(raw)
    except (VietnameseParseError, InvalidOperation, TypeError) as exc:
        if indicator.value_type in (ValueType.BOOLEAN, ValueType.ENUM):
            raise ValidationError(
                f"{label}: “{raw}” không phải là một lựa chọn; chỉ nhận một trong các giá trị {_allowed(indicator)}."
            ) from exc
        raise ValidationError(f"{label}: “{raw}” không phải là một số.") from exc
    if not value.is_finite():
        raise ValidationError(f"{label}: “{raw}” không phải là một số.")
    return value


def _allowed(indicator: Indicator) -> str:
    return "; ".join(f"{k} = {v}" for k, v in indicator.ordered_choices())


def _check_writable(actor: Actor, unit: OrgUnit, indicator: Indicator) -> OrgUnit:
    """The unit if ``actor`` may enter figures there (404 outside the view scope, 403 read-only) and the
    indicator takes a figure: any entered or computed one — a computed figure may be typed over (copied
    from the provincial one-stop system) — never a ratio or a heading."""
    if getattr(actor, "is_authenticated", False):
        from cchc.accounts import scope

        unit = scope.access_unit(actor, unit.pk, scope.Action.EDIT)  # 404 outside scope, 403 read-only
    refusal = entry_refusal(indicator)
    if refusal:
        raise ValidationError(refusal)
    return unit


def entry_refusal(indicator: Indicator) -> str:
    """Why no figure can be entered for ``indicator`` ("" when one can): ratios and headings."""
    if indicator.source == Source.RATIO:
        return f"Chỉ tiêu “{indicator.name}” là tỷ lệ. Tỷ lệ không nhập: tính từ tử số và mẫu số."
    if indicator.source == Source.HEADING:
        return f"“{indicator.name}” là dòng tiêu đề, không có số liệu."
    if indicator.retired_in is not None:
        return f"Chỉ tiêu “{indicator.name}” đã ngừng sử dụng từ phiên bản {indicator.retired_in} của danh mục."
    return ""


def actor_label(actor: Actor) -> str:
    """The name recorded as who entered a figure: the user's login, or the system actor's name."""
    if getattr(actor, "is_authenticated", False):
        return actor.get_username()  # type: ignore[union-attr]
    return str(actor or "")


def enter_value(
    actor: Actor,
    unit: OrgUnit,
    period: Period | str,
    indicator: Indicator | str,
    value: object,
    note: str = "",
    *,
    origin: Origin = Origin.PAGE,
    origin_name: str = "",
) -> EntryResult:
    """Nhập (hoặc sửa) số liệu của ``unit`` cho ``indicator`` trong kỳ ``period``.

    Checks the actor's edit scope, validates the value against the indicator's type, writes the audit
    row in the same transaction and returns the rule warnings the new value raises. An empty value
    clears the entry. ``origin``/``origin_name``: where the figure comes from (typed on the page, a file
    and its name, the API) — kept with the figure and printed in its provenance."""
    indicator = _indicator(indicator)
    period = ensure_period(period)  # a write creates the period row when its year has none
    unit = _check_writable(actor, unit, indicator)
    if value is None or (isinstance(value, str) and not value.strip()):
        return clear_value(actor, unit, period, indicator)
    cleaned = clean_value(indicator, value)
    with transaction.atomic():
        row, changed = store_value(
            actor, unit, period, indicator, cleaned, note, origin=origin, origin_name=origin_name
        )
    return EntryResult(row, warnings_for(unit, period, indicator.code), changed)


def store_value(
    actor: Actor,
    unit: OrgUnit,
    period: Period,
    indicator: Indicator,
    cleaned: Decimal,
    note: str = "",
    *,
    origin: Origin = Origin.PAGE,
    origin_name: str = "",
    audit_data: dict[str, object] | None = None,
) -> tuple[IndicatorValue, bool]:
    """Write one checked figure and its audit row; the caller holds the transaction and has checked scope
    and type. The same value and note again change nothing (no write, no audit row): returns
    (row, changed)."""
    note = (note or "").strip()
    row = IndicatorValue.objects.select_for_update().filter(unit=unit, period=period, indicator=indicator).first()
    if row is not None and row.value == cleaned and row.note == note:
        return row, False
    old = None if row is None else row.value
    if row is None:
        row = IndicatorValue(unit=unit, period=period, indicator=indicator)
    user = actor if getattr(actor, "is_authenticated", False) else None
    row.value, row.note, row.entered_by, row.entered_by_label = cleaned, note, user, actor_label(actor)
    row.origin, row.origin_name = origin, origin_name[:255]
    row.save()
    audit.record(
        actor,
        "indicators.value_entered",
        row,
        unit=unit,
        data={
            "period": period.code,
            "indicator": indicator.code,
            "old": None if old is None else str(old),
            "new": str(cleaned),
            "note": note,
            "origin": str(origin),
            "origin_name": origin_name,
            **(audit_data or {}),
        },
    )
    return row, True


def clear_value(actor: Actor, unit: OrgUnit, period: Period | str, indicator: Indicator | str) -> EntryResult:
    """Xóa số liệu nhập tay (the figure becomes missing, rolls up from the children or is computed again)."""
    indicator = _indicator(indicator)
    period = ensure_period(period)  # a write creates the period row when its year has none
    unit = _check_writable(actor, unit, indicator)
    with transaction.atomic():
        changed = delete_value(actor, unit, period, indicator)
    return EntryResult(None, warnings_for(unit, period, indicator.code), changed=changed)


def delete_value(
    actor: Actor, unit: OrgUnit, period: Period, indicator: Indicator, audit_data: dict[str, object] | None = None
) -> bool:
    """Delete one entered figure and write its audit row (inside the caller's transaction); False when
    there was none."""
    row = IndicatorValue.objects.select_for_update().filter(unit=unit, period=period, indicator=indicator).first()
    if row is None:
        return False
    audit.record(
        actor,
        "indicators.value_cleared",
        row,
        unit=unit,
        data={
            "period": period.code,
            "indicator": indicator.code,
            "old": str(row.value),
            **(audit_data or {}),
        },
    )
    row.delete()
    return True


def mark_stale(unit: OrgUnit | int, day: date, graph: OrgGraph | None = None) -> int:
    """Số liệu tính cần tính lại: called by the apps that write records (a dossier received on ``day``).

    Marks the cached computed values of every period containing ``day`` for the unit, its ancestors on
    that day, and — for a unit that no longer existed on ``day`` — its successors and their ancestors.
    ``graph``: the org graph when the caller marks many units at once (it is read once, not per call).
    Returns the number of cached values marked."""
    return _mark(unit, day, periods_containing(day), graph)


def mark_stale_since(unit: OrgUnit | int, day: date, graph: OrgGraph | None = None) -> int:
    """``mark_stale`` for every period that ends on or after ``day``: for records that are *stocks* as
    well as flows (a dossier pending at a period's end, carried over into the next), where a change on
    ``day`` alters the figures of every later period too."""
    return _mark(unit, day, list(Period.objects.filter(end__gte=day)), graph)


def bump_versions(keys: Iterable[tuple[int, int]]) -> None:
    """Phiên bản dữ liệu + 1 for each (unit id or ``versions.EVERY_UNIT``, year), in the caller's transaction
    so that it commits with the records it stands for (``cchc.indicators.versions``). One statement; the
    rows in a fixed order, so two writers lock them in the same order."""
    keys = sorted(set(keys))
    if not keys:
        return
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    rows = ", ".join(["(%s, %s, 1)"] * len(keys))
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (scope, year, version) VALUES {rows} "
            f"ON CONFLICT (scope, year) DO UPDATE SET version = {table}.version + 1",
            [v for key in keys for v in key],
        )


def _mark(unit: OrgUnit | int, day: date, periods: list[Period], graph: OrgGraph | None, *, bump: bool = True) -> int:
    """Bump the records' version (unless the caller did, ``bump=False``) and mark the cached rows."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    if bump:  # every figure over these records, kept in any period or range
        bump_versions([(unit_id, day.year)])
    if not periods:  # a period never asked for has no cached row to mark
        return 0
    graph = graph or load_graph()
    ids = {unit_id}
    starts = [unit_id]
    if not graph.units[unit_id].is_valid_on(day):
        starts += [u.pk for u in graph.final_successors(unit_id, day)]
    for start in starts:
        ids.add(start)
        ids.update(a.pk for a in graph.ancestors_on(start, day))
    return ComputedValue.objects.filter(unit_id__in=ids, period__in=periods, stale=False).update(stale=True)


def mark_stale_functions(*functions: str) -> int:
    """Every cached value computed by ``functions`` is stale, whatever its unit and period: for a write that
    changes the figures of all periods at once (a desk published or withdrawn changes which of the dossiers
    received in any period citizens can follow). Returns the number of cached values marked."""
    bump_versions([(EVERY_UNIT, 0)])
    return ComputedValue.objects.filter(function__in=functions, stale=False).update(stale=True)


def mark_stale_days(unit: OrgUnit | int, *days: date | None) -> None:
    """``mark_stale`` for each distinct day given (a record's old and new dates; None is skipped)."""
    distinct = {d for d in days if d is not None}
    unit_id = unit if isinstance(unit, int) else unit.pk
    bump_versions((unit_id, d.year) for d in distinct)  # first, all at once: the rows locked in one order
    graph = load_graph() if len(distinct) > 1 else None
    for day in distinct:
        _mark(unit_id, day, periods_containing(day), graph, bump=False)
