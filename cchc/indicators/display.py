"""Số liệu chỉ tiêu như in ra: the Vietnamese display of a figure and of its provenance's parts (numbers, dates,
the scope of a computed figure), and the JSON form of a provenance. Read by ``selectors.ValueWithProvenance``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from cchc.core.vnformat import format_date, format_number, format_percent
from cchc.indicators.models import Counts, Indicator, ValueType


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def jsonable(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [jsonable(v) for v in data]
    if isinstance(data, Decimal):
        return json_number(data)
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


def scope_text(detail: dict[str, Any]) -> str:
    """Own or area, and which units: "số liệu riêng của đơn vị (2 đơn vị: X, Y)"."""
    count = detail.get("unit_count", 0)
    codes = detail.get("units") or []
    listed = ", ".join(codes) + (", …" if count > len(codes) else "")
    what = "số liệu riêng của đơn vị và các bộ phận" if detail.get("counts") == Counts.OWN else "cả địa bàn"
    return f"{what} ({count} đơn vị: {listed})" if codes else f"{what} ({count} đơn vị)"


def plain(value: Any) -> str:
    if value is None:
        return "trống"
    return format_number(Decimal(str(value)))


def short(value: Any) -> str:
    if isinstance(value, int | float | Decimal):
        return format_number(Decimal(str(value)))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def format_datetime(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        from datetime import datetime

        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.hour:02d}:{value.minute:02d} {format_date(value)}"
    return format_date(value)


def format_value(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return ""
    if indicator.value_type == ValueType.PERCENT:
        return format_percent(value)
    if indicator.value_type in (ValueType.BOOLEAN, ValueType.ENUM):
        key = str(int(value)) if value == value.to_integral_value() else str(value)
        label = (indicator.choices or {}).get(key)
        return f"{key} ({label})" if label else key
    return format_number(value)
