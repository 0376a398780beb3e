"""Trang Bộ chỉ số QĐ 766: a unit's index (groups as bars, components, 12-month trend), the ranking of an
area's units, the drill-down from a component to the records that cost points, the points still at stake.

Every page only reads (GET); the figures come from cchc.index766.selectors, the printing from presenters.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.accounts import scope
from cchc.accounts.middleware import current_unit_of
from cchc.core.downloads import table_download, wants_xlsx
from cchc.core.vnformat import VietnameseParseError, format_number, parse_date
from cchc.index766 import presenters, selectors
from cchc.index766.formulas import version_for
from cchc.index766.measures import RecordSource
from cchc.index766.presenters import PagePeriod
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import load_graph

UNIT_PARAM, PERIOD_PARAM, FROM_PARAM, TO_PARAM = "don-vi", "ky", "tu", "den"


# ---- the query every page reads ----------------------------------------------------------------------------
def _period(request) -> PagePeriod:
    """``?ky=`` (a month, quarter, half or year), else ``?tu=&den=`` (a day range), else the running month."""
    g = request.GET
    try:
        if g.get(PERIOD_PARAM):
            return presenters.period_of(g[PERIOD_PARAM])
        if g.get(FROM_PARAM) or g.get(TO_PARAM):
            if not (g.get(FROM_PARAM) and g.get(TO_PARAM)):
                raise ValueError("Cần cả ngày bắt đầu và ngày kết thúc.")
            return presenters.day_range(parse_date(g[FROM_PARAM]), parse_date(g[TO_PARAM]))
    except (ValueError, VietnameseParseError) as exc:
        raise BadRequest(str(exc)) from exc
    return presenters.month_of(timezone.localdate())


def _unit(request, default: OrgUnit | None = None) -> OrgUnit:
    """The unit of ``?don-vi=`` if the user may see it (404 otherwise), else the unit the user works on."""
    code = (request.GET.get(UNIT_PARAM) or "").strip()
    if code:
        return scope.access_unit(request.user, code)
    unit = default or current_unit_of(request)
    if unit is None:
        raise Http404("Chọn đơn vị.")
    return unit


def _period_query(period: PagePeriod) -> str:
    if period.code:
        return urlencode({PERIOD_PARAM: period.code})
    return urlencode({FROM_PARAM: f"{period.start:%d/%m/%Y}", TO_PARAM: f"{period.end:%d/%m/%Y}"})


def _query(unit: OrgUnit, period: PagePeriod) -> str:
    """The query string naming this unit and period (links between the pages keep both)."""
    return f"{urlencode({UNIT_PARAM: unit.code})}&{_period_query(period)}"


def _choosers(request, unit: OrgUnit, period: PagePeriod, units: list[OrgUnit]) -> dict[str, Any]:
    return {
        "unit": unit,
        "period": period,
        "choosable": units if unit in units else [unit, *units],
        "periods": _periods(period),
        "query": _query(unit, period),
        "period_query": _period_query(period),
    }


def _periods(period: PagePeriod) -> list[PagePeriod]:
    """The chooser's periods, the one shown among them even when older than last year."""
    offered = presenters.period_choices(timezone.localdate())
    return offered if not period.code or period in offered else [period, *offered]


def _visible_units(request) -> list[OrgUnit]:
    return list(scope.visible_units(request.user).order_by("valid_to", "level", "name"))


def _no_formula(request, unit: OrgUnit, period: PagePeriod, exc: Exception):
    context = _choosers(request, unit, period, _visible_units(request))
    return render(request, "index766/no_formula.html", {**context, "message": str(exc)})


# ---- the unit's page --------------------------------------------------------------------------------------
@login_required
@require_GET
def unit_page(request):
    """Chỉ số của một đơn vị trong một kỳ: tổng điểm, năm nhóm, các thành phần, xu hướng 12 tháng."""
    unit, period = _unit(request), _period(request)
    try:
        result = selectors.index_for(unit, period.start, period.end, actor=request.user)
    except selectors.NoFormula as exc:
        return _no_formula(request, unit, period, exc)
    version = version_for(period.end)
    if wants_xlsx(request):
        return table_download(
            "Chỉ số phục vụ QĐ 766",
            presenters.UNIT_COLUMNS,
            presenters.unit_table(result),
            title=f"Bộ chỉ số QĐ 766/QĐ-TTg — {unit.name} ({unit.code}), {period.label}",
            subtitle=f"Công thức phiên bản {result.version}",
        )
    today = timezone.localdate()
    context = {
        **_choosers(request, unit, period, _visible_units(request)),
        "result": result,
        "total": presenters.points_text(result.total),
        "total_width": presenters.bar_width(result.total, result.max_total),
        "max_total": format_number(result.max_total),
        "bars": presenters.group_bars(result),
        "rows": presenters.component_rows(result),
        "trend": presenters.trend(unit, period.end, actor=request.user, today=today),
        "version": version,
        "running": period.start <= today <= period.end,
    }
    return render(request, "index766/unit.html", context)


# ---- ranking ------------------------------------------------------------------------------------------------
def _default_area(request) -> OrgUnit | None:
    """The province (or former district) of the unit the user works on."""
    unit = current_unit_of(request)
    if unit is None or unit.level in (Level.PROVINCE, Level.DISTRICT):
        return unit
    parent = load_graph().parent_on(unit.pk, min(timezone.localdate(), unit.valid_to or date.max))
    return parent if parent is not None and scope.can(request.user, scope.Action.VIEW, parent) else unit


@login_required
@require_GET
def ranking(request):
    """Bảng xếp hạng các đơn vị của một tỉnh (hoặc huyện cũ): tổng điểm, năm nhóm, hạng (bằng điểm thì
    cùng hạng)."""
    area, period = _unit(request, _default_area(request)), _period(request)
    units = presenters.ranking_units(area, period.start, period.end)
    try:
        ranked = selectors.index_for_units(units, period.start, period.end, actor=request.user)
    except selectors.NoFormula as exc:
        return _no_formula(request, area, period, exc)
    groups = ranked[0][1].groups if ranked else ()
    if wants_xlsx(request):
        return table_download(
            "Xếp hạng chỉ số QĐ 766",
            presenters.ranking_columns(groups),
            presenters.ranking_table(ranked),
            title=f"Xếp hạng Bộ chỉ số QĐ 766/QĐ-TTg — {area.name}, {period.label}",
            subtitle=f"Công thức phiên bản {ranked[0][1].version}" if ranked else "",
        )
    rows = [
        {
            "rank": rank,
            "result": result,
            "total": presenters.points_text(result.total),
            "width": presenters.bar_width(result.total, Decimal(100)),
            "groups": [presenters.points_text(g.points) for g in result.groups],
            "query": _query(result.unit, period),
        }
        for rank, result in ranked
    ]
    areas = presenters.ranking_areas(scope.visible_units(request.user))
    context = {
        **_choosers(request, area, period, areas),
        "rows": rows,
        "groups": groups,
        # a commune's users see their own commune only (scope): the ranking then holds it alone
        "alone": area.level not in (Level.PROVINCE, Level.DISTRICT),
    }
    return render(request, "index766/ranking.html", context)


# ---- drill-down ---------------------------------------------------------------------------------------------
@login_required
@require_GET
def component(request, code: str):
    """Hồ sơ (thủ tục, phản ánh) bị tính thiếu điểm ở một thành phần, phân trang, dẫn tới trang của từng
    hồ sơ."""
    unit, period = _unit(request), _period(request)
    try:
        result = selectors.index_for(unit, period.start, period.end, actor=request.user)
    except selectors.NoFormula as exc:
        return _no_formula(request, unit, period, exc)
    found = next((c for c in result.components if c.code == code), None)
    if found is None:
        raise Http404("Không có thành phần này trong công thức áp dụng cho kỳ.")
    source = presenters.component_source(code, period.end)
    as_of = result.as_of or min(period.end, timezone.localdate())
    if source == RecordSource.DOSSIERS:
        records: Any = selectors.component_dossiers(
            unit, period.start, period.end, code, actor=request.user
        ).select_related("unit", "procedure")
    elif source == RecordSource.PROCEDURES:
        records = presenters.lost_procedures(unit, period.start, period.end, code)
    elif source == RecordSource.FEEDBACK:
        records = presenters.lost_feedback(unit, period.start, period.end, code, as_of)
    else:
        records = []
    page = Paginator(records, 50).get_page(request.GET.get("trang"))
    context = {
        **_choosers(request, unit, period, _visible_units(request)),
        "component": found,
        "row": presenters.ComponentRow(found, "", False, source),
        "source": source,
        "page": page,
        "as_of": as_of,
    }
    return render(request, "index766/component.html", context)


# ---- points at stake ----------------------------------------------------------------------------------------
@login_required
@require_GET
def at_stake(request):
    """Điểm có thể mất trước khi hết tháng: hồ sơ sẽ quá hạn, thủ tục công bố/công khai chậm, phản ánh sắp
    đến hạn — mỗi loại xếp theo số điểm sẽ mất."""
    unit = _unit(request)
    today = timezone.localdate()
    period = presenters.month_of(today)
    try:
        stake = selectors.points_at_stake(unit, period.start, period.end, actor=request.user, today=today)
    except selectors.NoFormula as exc:
        return _no_formula(request, unit, period, exc)
    context = {
        **_choosers(request, unit, period, _visible_units(request)),
        "stake": stake,
        "page": Paginator(stake.dossiers, 50).get_page(request.GET.get("trang")),
    }
    return render(request, "index766/stake.html", context)
