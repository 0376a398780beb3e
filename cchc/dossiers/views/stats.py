"""Thống kê hồ sơ: the statistics page, its XLSX download and its JSON."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.accounts import scope
from cchc.core import vnformat
from cchc.core.downloads import Column, Kind, table_download, wants_xlsx
from cchc.dossiers import stats
from cchc.dossiers.indicators import records_stats
from cchc.dossiers.views.common import query_date, work_unit
from cchc.indicators.kept import kept_table
from cchc.org.models import Level, OrgUnit


def _stats_args(request):
    g = request.GET
    today = timezone.localdate()
    start = query_date(g.get("tu")) or today.replace(month=1, day=1)
    end = query_date(g.get("den")) or today
    code = g.get("don_vi") or (work_unit(request).code if request.user.unit_id else "")
    if not code:
        raise Http404("Chọn đơn vị.")
    unit = scope.access_unit(request.user, code)
    return unit, start, end, g.get("cap_duoi") == "1"


# A row's bar: its dossiers resolved in the period by outcome, then those still pending at its end by
# deadline (key in the stats row, label, CSS class). Shares are of resolved + pending.
BAR_PARTS = (
    ("resolved_early", "Giải quyết trước hạn", "seg-som"),
    ("resolved_on_time", "Giải quyết đúng hạn", "seg-dung"),
    ("resolved_late", "Giải quyết quá hạn", "seg-tre"),
    ("pending_within_deadline", "Đang giải quyết trong hạn", "seg-trong-han"),
    ("pending_overdue", "Đang giải quyết quá hạn", "seg-qua-han"),
)


def _bars(rows: list[dict]) -> list[dict]:
    """Stacked-bar segments of each stats row, shares rounded as the tables round them (two decimals)."""
    out = []
    for r in rows:
        total = r["resolved"] + r["pending"]
        segs = [
            {"label": label, "css": css, "n": r[key], "share": vnformat.percent(r[key], total) or 0}
            for key, label, css in BAR_PARTS
        ]
        out.append({"name": r["name"], "total": total, "segs": segs})
    return out


def _rates(rows: list[dict]) -> list[dict]:
    return [
        {
            "name": r["name"],
            "rate": r["on_time_rate"],
            "in_time": r["resolved_early"] + r["resolved_on_time"],
            "resolved": r["resolved"],
        }
        for r in rows
    ]


def _read(unit: OrgUnit, start: date, end: date, desc: bool):
    """The store's figures (total, the table by unit) and the records' tables by field and by channel (no
    indicator there) from one reading: the rows it prefetched for the units below serve both."""
    from cchc.indicators import figures as store

    inputs: dict = {}
    total, lines = store.overview(unit, start, end, lower=desc, inputs=inputs)
    units = stats.units_for(unit, start, end, desc)
    records = kept_table(
        inputs, "dossiers.records", units, start, end, lambda: records_stats(inputs, units, start, end)
    )
    return total, lines, records


@login_required
@require_GET
def stats_page(request):
    """Thống kê hồ sơ: the totals and the table by unit read through the indicator store (as the reports: a
    figure the unit entered shows, "…" where there is no data); by field and by channel from the records."""
    from cchc.indicators import figures as store

    unit, start, end, desc = _stats_args(request)
    if end < start:
        messages.error(request, "Ngày cuối kỳ phải sau ngày đầu kỳ.")
        end = start
    total, lines, records = _read(unit, start, end, desc)
    data = {**total.as_dict(), "by_field": records["by_field"], "by_channel": records["by_channel"]}
    data["by_unit"] = [{"unit": f.unit.code, "name": f.unit.name, **f.as_dict()} for f in lines]
    if wants_xlsx(request):
        mark = store.missing_mark()  # a text cell, never an empty cell read as 0

        def marked(row: dict) -> dict:
            return {k: mark if v is None else v for k, v in row.items()}

        return _stats_xlsx(unit, start, end, {**marked(data), "by_unit": [marked(r) for r in data["by_unit"]]})
    # The charts draw the units with figures; a missing part of one draws as nothing.
    drawn = [
        {**r, **{k: r[k] or 0 for k in store.KEYS}} for r in data["by_unit"] if len(r["missing"]) < len(store.KEYS)
    ]
    charts = {
        "unit": _bars(drawn),
        "field": _bars(data["by_field"]),
        "channel": _bars(data["by_channel"]),
        "rates": _rates(drawn),
    }
    return render(
        request,
        "dossiers/stats.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "desc": desc,
            "s": data,
            "keys": stats.KEYS,
            "charts": charts,
            "parts": BAR_PARTS,
            "choosable": _stat_units(request.user, unit),
            "period_code": total.period_code,
            "missing_mark": store.missing_mark(),
            "tables_digest": _digest(data),
        },
    )


def _digest(data: dict) -> str:
    """The figures' digest that names the page's rendered tables and charts in the cache: the same figures
    give the same HTML, so a province's table of a hundred communes is rendered once per change."""
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _stat_units(user, unit: OrgUnit) -> list[OrgUnit]:
    """The units the statistics page offers by name: those the user sees, still existing ones first."""
    units = list(scope.visible_units(user).exclude(level=Level.SECTION).order_by("valid_to", "level", "name"))
    return units if unit in units else [unit, *units]


# Columns of the statistics download, in the order the page's tables show them.
STAT_COLUMNS = (
    ("carried_over", "Kỳ trước chuyển qua", Kind.INTEGER),
    ("received", "Tiếp nhận mới", Kind.INTEGER),
    ("online", "Trong đó trực tuyến", Kind.INTEGER),
    ("resolved", "Đã giải quyết", Kind.INTEGER),
    ("resolved_early", "Trước hạn", Kind.INTEGER),
    ("resolved_on_time", "Đúng hạn", Kind.INTEGER),
    ("resolved_late", "Quá hạn", Kind.INTEGER),
    ("on_time_rate", "Tỷ lệ đúng hạn", Kind.PERCENT),
    ("closed_other", "Từ chối, rút, dừng", Kind.INTEGER),
    ("pending", "Đang giải quyết cuối kỳ", Kind.INTEGER),
    ("pending_within_deadline", "Trong hạn", Kind.INTEGER),
    ("pending_overdue", "Quá hạn (đang giải quyết)", Kind.INTEGER),
    ("apologies", "Văn bản xin lỗi", Kind.INTEGER),
    ("late_without_apology", "Quá hạn chưa xin lỗi", Kind.INTEGER),
)


def _stats_xlsx(unit: OrgUnit, start: date, end: date, data: dict):
    columns = [Column("Theo", width=12), Column("Tên", width=36)] + [
        Column(label, kind, 14) for _, label, kind in STAT_COLUMNS
    ]

    def line(group: str, row: dict) -> list:
        return [group, row.get("name", unit.name)] + [row.get(key) for key, _, _ in STAT_COLUMNS]

    rows = [line("Tổng", {**data, "name": unit.name})]
    for group, key in (("Đơn vị", "by_unit"), ("Lĩnh vực", "by_field"), ("Kênh", "by_channel")):
        rows += [line(group, r) for r in data[key]]
    period = f"từ {vnformat.format_date(start)} đến {vnformat.format_date(end)}"
    return table_download("Thống kê hồ sơ", columns, rows, title=f"THỐNG KÊ HỒ SƠ TTHC — {unit.name}", subtitle=period)


@login_required
@require_GET
def stats_json(request):
    """The statistics page's figures as JSON: through the indicator store (null: no data, never 0; ``missing``
    names them), by field and by channel from the records (``records_only``)."""
    unit, start, end, desc = _stats_args(request)
    if end < start:
        return JsonResponse({"error": "Ngày cuối kỳ phải sau ngày đầu kỳ."}, status=400)
    total, lines, records = _read(unit, start, end, desc)
    data = {k: v for k, v in total.as_dict().items() if k != "shown"}
    data["by_unit"] = [
        {"unit": f.unit.code, "name": f.unit.name, **{k: v for k, v in f.as_dict().items() if k != "shown"}}
        for f in lines
    ]
    return JsonResponse(
        {
            "unit": unit.code,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "period": total.period_code or None,
            **data,
            "by_field": records["by_field"],
            "by_channel": records["by_channel"],
            "records_only": ["by_field", "by_channel"],
        },
        json_dumps_params={"ensure_ascii": False},
    )
