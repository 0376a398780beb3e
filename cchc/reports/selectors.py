"""Đọc báo cáo: số liệu của báo cáo (đang liên kết hoặc đã chốt), tổng hợp, tình hình gửi báo cáo."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cchc.accounts import scope
from cchc.core.vnformat import format_date, format_number, percent
from cchc.documents.issuer import issuer_for
from cchc.indicators.models import Indicator, Period, ValueSource
from cchc.indicators.selectors import ValueContext, ValueWithProvenance, current_indicators
from cchc.org.models import Level, OrgUnit
from cchc.org.selectors import OrgGraph, load_graph
from cchc.reports.models import FiguresFrom, Report, ReportVersion, Status
from cchc.reports.outlines import Outlines, load_outlines, period_suffix
from cchc.reports.placeholders import Figure, missing_mark


# ---- one figure ------------------------------------------------------------------------------------
@dataclass
class FigureRow:
    """Một chỉ tiêu trong báo cáo: tên, STT như in, số liệu, cách hiển thị, nguồn gốc và ghi chú in ra."""

    code: str
    name: str
    group_code: str
    group_name: str
    stt: str
    unit: str
    value_type: str
    in_appendix: bool
    is_heading: bool
    value: Decimal | None
    display: str
    source: str = ""
    source_kind: str = ""
    note: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None and not self.is_heading

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["value"] = None if self.value is None else str(self.value)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FigureRow:
        data = dict(data)
        data["value"] = None if data.get("value") is None else Decimal(data["value"])
        return cls(**data)


def _base(ind: Indicator) -> dict[str, Any]:
    return {
        "code": ind.code,
        "name": ind.name,
        "group_code": ind.group_code,
        "group_name": ind.group_name,
        "stt": ind.stt,
        "unit": ind.shown_unit,
        "value_type": ind.value_type or "",
        "in_appendix": ind.in_appendix,
        "is_heading": ind.is_heading,
    }


def _ratio_note(numerator: Decimal | None, denominator: Decimal | None) -> str:
    if numerator is None or denominator is None:
        return ""
    return f"{format_number(numerator)}/{format_number(denominator)}"


def _from_live(v: ValueWithProvenance) -> FigureRow:
    ind = v.indicator
    note = ""
    if v.source == ValueSource.RATIO:
        nums = [Decimal(str(n["value"])) for n in v.detail.get("numerator", []) if n["value"] is not None]
        den = v.detail.get("denominator", {}).get("value")
        note = _ratio_note(sum(nums, Decimal(0)), None if den is None else Decimal(str(den)))
    elif v.source == ValueSource.ENTERED:
        note = v.detail.get("note") or ""
    elif v.source == ValueSource.ROLLUP and v.detail.get("units"):
        note = f"Tổng hợp từ {len(v.detail['units'])} đơn vị"
    return FigureRow(
        **_base(ind), value=v.value, display=v.display, source=v.source_text, source_kind=v.source, note=note
    )


def live_rows(unit: OrgUnit, period: Period, context: ValueContext | None = None) -> dict[str, FigureRow]:
    """Mọi chỉ tiêu của đơn vị trong kỳ, tính lúc này (the figures of a draft stay linked)."""
    context = context or ValueContext(period)
    return {code: _from_live(context.value(unit.pk, code)) for code in context.indicators}


# ---- who reports to whom -------------------------------------------------------------------------
REPORTING_LEVELS = (Level.DISTRICT, Level.COMMUNE)


def expected_units(parent: OrgUnit, period: Period, graph: OrgGraph | None = None) -> list[OrgUnit]:
    """Đơn vị phải gửi báo cáo cho ``parent`` trong kỳ: its districts and communes as the tree stood on the
    period's last day (a district's communes in 2021; nobody under a district after 30/6/2025)."""
    graph = graph or load_graph()
    return [u for u in graph.children_on(parent.pk, period.end) if u.level in REPORTING_LEVELS]


def parent_for_report(unit: OrgUnit, period: Period, graph: OrgGraph | None = None) -> OrgUnit | None:
    """The level above as it stood on the unit's last day within the period."""
    graph = graph or load_graph()
    day = min(period.end, unit.valid_to or period.end)
    parent = graph.parent_on(unit.pk, day)
    while parent is not None and parent.level == Level.SECTION:
        parent = graph.parent_on(parent.pk, day)
    return parent


def has_reporting_children(unit: OrgUnit, period: Period, graph: OrgGraph | None = None) -> bool:
    return bool(expected_units(unit, period, graph))


# ---- roll-up ---------------------------------------------------------------------------------------
@dataclass
class UnitFigures:
    """Một đơn vị trực thuộc trong báo cáo tổng hợp: báo cáo của nó và số liệu đã gửi."""

    unit: OrgUnit
    report: Report | None
    version: ReportVersion | None
    values: dict[str, FigureRow] = field(default_factory=dict)

    @property
    def state(self) -> str:
        return _state(self.report)


def submitted_version(report: Report | None) -> ReportVersion | None:
    """The figures a report sent upward: its last version while submitted or accepted (not when returned)."""
    if report is None or report.status not in (Status.SUBMITTED, Status.ACCEPTED):
        return None
    return report.versions.order_by("-number").first()


def version_rows(version: ReportVersion) -> dict[str, FigureRow]:
    """The frozen figures in appendix order. PostgreSQL's jsonb does not keep the order of an object's keys,
    so the order is the catalogue's (codes it no longer has keep their stored order, at the end)."""
    values = version.values
    positions = dict(Indicator.objects.filter(code__in=list(values)).values_list("code", "position"))
    stored = {code: i for i, code in enumerate(values)}
    ordered = sorted(values, key=lambda c: (c not in positions, positions.get(c, 0), stored[c]))
    return {code: FigureRow.from_json(values[code]) for code in ordered}


def rollup_rows(
    unit: OrgUnit, period: Period, graph: OrgGraph | None = None, own: dict[str, FigureRow] | None = None
) -> tuple[dict[str, FigureRow], list[UnitFigures]]:
    """Số liệu tổng hợp: the SUBMITTED figures of the units below added up per the catalogue's roll-up
    (sum; ratio of the summed parts; any/all). A figure no unit below reported falls back to the unit's
    own figure (its own entries, e.g. the district's own one-stop counts).

    The adding up is the indicator store's (``ValueContext.rolled_up``): the children's submitted figures
    are handed to it as frozen values, so a roll-up report and a live figure add up the same way."""
    graph = graph or load_graph()
    indicators = current_indicators()
    children = expected_units(unit, period, graph)
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=children)}
    by_unit: list[UnitFigures] = []
    for child in children:
        report = reports.get(child.pk)
        version = submitted_version(report)
        by_unit.append(UnitFigures(child, report, version, version_rows(version) if version else {}))
    frozen = {u.unit.pk: {code: row.value for code, row in u.values.items()} for u in by_unit}
    context = ValueContext(period, graph, indicators, frozen=frozen, frozen_label="báo cáo đã gửi")
    rows: dict[str, FigureRow] = {}
    for code in indicators:
        value = context.rolled_up(unit.pk, code, children)
        rows[code] = (
            own[code]
            if own is not None and value.source not in (ValueSource.ROLLUP, ValueSource.RATIO) and code in own
            else _from_live(value)
        )
    context.flush()
    return rows, by_unit


def by_unit_table(by_unit: list[UnitFigures], columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Bảng số liệu theo đơn vị (JSON-ready, also frozen into a submitted version)."""
    columns = columns if columns is not None else load_outlines().by_unit_columns
    out = []
    for u in by_unit:
        report = u.report
        out.append(
            {
                "code": u.unit.code,
                "name": u.unit.name,
                "state": u.state,
                "label": STATE_LABELS[u.state],
                "status": report.get_status_display() if report else "Chưa có báo cáo",
                "submitted_on": format_date(timezone.localdate(report.first_submitted_at))
                if report and report.first_submitted_at
                else "",
                "version": u.version.number if u.version else None,
                "values": [shown(u.values[c]) if c in u.values else missing_mark() for c in columns],
                "raw": {
                    c: (str(u.values[c].value) if c in u.values and u.values[c].value is not None else None)
                    for c in columns
                },
            }
        )
    return out


def by_unit_headers(columns: tuple[str, ...] | None = None) -> list[str]:
    columns = columns if columns is not None else load_outlines().by_unit_columns
    indicators = current_indicators()
    return [indicators[c].name if c in indicators else c for c in columns]


# ---- the figures of a report ------------------------------------------------------------------------
def report_rows(
    report: Report, graph: OrgGraph | None = None, context: ValueContext | None = None
) -> tuple[dict[str, FigureRow], list[dict[str, Any]]]:
    """Số liệu của báo cáo: frozen in the last version once submitted; linked (recomputed now) in a draft.

    ``context``: the page's reading of the report's period (the figures' sources and the trend read it too)."""
    if not report.is_editable:
        version = report.versions.order_by("-number").first()
        if version is not None:
            return version_rows(version), version.by_unit
    if report.figures_from == FiguresFrom.ROLLUP:
        rows, by_unit = rollup_rows(report.unit, report.period, graph)
        return rows, by_unit_table(by_unit)
    return live_rows(report.unit, report.period, context), []


def context_figures(
    unit: OrgUnit,
    period: Period,
    outlines: Outlines | None = None,
    graph: OrgGraph | None = None,
    day: date | None = None,
) -> dict[str, Figure]:
    """The non-indicator placeholders: the period's name and dates, the unit and the level above."""
    outlines = outlines or load_outlines()
    names = outlines.period_names.get(period_suffix(period.code), {})
    fmt = {"nam": period.year, "nam_sau": period.year + 1}
    day = day or min(timezone.localdate(), unit.valid_to or timezone.localdate())
    parent = parent_for_report(unit, period, graph)
    source = f"Kỳ {period.code}: {format_date(period.start)} – {format_date(period.end)}"
    return {
        "ky.ten": Figure(names.get("ten", period.name).format(**fmt), source),
        "ky.tu_ngay": Figure(format_date(period.start), source),
        "ky.den_ngay": Figure(format_date(period.end), source),
        "ky.han": Figure(format_date(period.due_date) if period.due_date else "", source),
        "ky_toi.ten": Figure(names.get("ky_toi", "").format(**fmt), "Kỳ tiếp theo"),
        "don_vi.ten": Figure(issuer_for(unit, day).display or unit.name, f"Đơn vị {unit.code}"),
        "don_vi.dia_danh": Figure(issuer_for(unit, day).place, f"Đơn vị {unit.code}"),
        "cap_tren.ten": Figure(
            issuer_for(parent, day).display if parent else "",
            f"Đơn vị cấp trên {parent.code}" if parent else "Không có cấp trên",
        ),
    }


def figures_for(rows: dict[str, FigureRow], context: dict[str, Figure]) -> dict[str, Figure]:
    figures = dict(context)
    for code, row in rows.items():
        if not row.is_heading:
            figures[code] = Figure(row.display, row.source, row.missing)
    return figures


def shown(row: FigureRow) -> str:
    """The figure as printed: its Vietnamese display, or the missing mark ("…") — never 0 — when unknown."""
    return missing_mark() if row.missing else row.display


def appendix_rows(rows: dict[str, FigureRow]) -> list[dict[str, Any]]:
    """Phụ lục thống kê: every appendix row of the catalogue, grouped I–VII with STT as printed."""
    out: list[dict[str, Any]] = []
    group = None
    for row in rows.values():
        if not row.in_appendix:
            continue
        if row.group_code != group:
            group = row.group_code
            out.append(
                {
                    "is_group": True,
                    "stt": row.group_code,
                    "name": row.group_name,
                    "unit": "",
                    "value": "",
                    "note": "",
                    "code": "",
                    "row": None,
                }
            )
        out.append(
            {
                "is_group": False,
                "stt": row.stt,
                "name": row.name,
                "unit": "" if row.is_heading else row.unit,
                "value": shown(row),
                "note": row.note,
                "code": row.code,
                "row": row,
            }
        )
    return out


# ---- lists and status ------------------------------------------------------------------------------
def reports_visible(user: Any) -> QuerySet[Report]:
    return scope.scoped(Report.objects.select_related("unit", "period"), user, scope.Action.VIEW)


def get_report(user: Any, pk: int, action: scope.Action = scope.Action.VIEW) -> Report:
    """The report if ``user`` may see it (404 otherwise) and do ``action`` on it (403)."""
    if action == scope.Action.REVIEW:
        report = scope.access(Report.objects.select_related("unit", "period"), user, scope.Action.VIEW, pk=pk)
        return report
    return scope.access(Report.objects.select_related("unit", "period"), user, action, pk=pk)


def inbox(user: Any) -> QuerySet[Report]:
    """Báo cáo chờ tiếp nhận mà người dùng được thẩm định."""
    qs = scope.scoped(Report.objects.select_related("unit", "period"), user, scope.Action.REVIEW)
    qs = qs.filter(status=Status.SUBMITTED).order_by("due_date", "submitted_at")
    home = getattr(user, "unit_id", None)
    return qs.exclude(unit_id=home) if home else qs


def _state(report: Report | None) -> str:
    if report is None or report.first_submitted_at is None:
        return "missing"
    return "late" if report.is_late else "on_time"


STATE_LABELS = {"on_time": "Gửi đúng hạn", "late": "Gửi muộn", "missing": "Chưa gửi"}


@dataclass
class StatusRow:
    unit: OrgUnit
    report: Report | None
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class StatusTable:
    """Tình hình gửi báo cáo của các đơn vị trực thuộc trong một kỳ."""

    parent: OrgUnit
    period: Period
    rows: list[StatusRow]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def count_on_time(self) -> int:
        return self.count("on_time")

    @property
    def count_late(self) -> int:
        return self.count("late")

    @property
    def count_missing(self) -> int:
        return self.count("missing")

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return self.count("on_time") + self.count("late")

    def rate(self, numerator: int) -> Decimal | None:
        return percent(numerator, self.expected)

    @property
    def submitted_rate(self) -> Decimal | None:
        return self.rate(self.submitted)

    @property
    def on_time_rate(self) -> Decimal | None:
        return self.rate(self.count("on_time"))

    def as_dict(self) -> dict[str, Any]:
        def num(v: Decimal | None) -> float | None:
            return None if v is None else float(v)

        return {
            "unit": self.parent.code,
            "unit_name": self.parent.name,
            "period": self.period.code,
            "due_date": self.period.due_date.isoformat() if self.period.due_date else None,
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.count("on_time"),
            "late": self.count("late"),
            "missing": self.count("missing"),
            "submitted_rate": num(self.submitted_rate),
            "on_time_rate": num(self.on_time_rate),
            "units": [
                {
                    "code": r.unit.code,
                    "name": r.unit.name,
                    "state": r.state,
                    "label": r.label,
                    "status": r.report.status if r.report else None,
                    "submitted_at": r.report.first_submitted_at.isoformat()
                    if r.report and r.report.first_submitted_at
                    else None,
                }
                for r in self.rows
            ],
        }


def submission_status(
    parent: OrgUnit, period: Period, *, user: Any = None, graph: OrgGraph | None = None
) -> StatusTable:
    """Which units under ``parent`` submitted on time, late or not at all. Only the units expected as
    the tree stood at the period's end are counted, so the rates never exceed 100%."""
    if user is not None:
        parent = scope.access_unit(user, parent.pk, scope.Action.VIEW)
    units = expected_units(parent, period, graph)
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=units)}
    return StatusTable(parent, period, [StatusRow(u, reports.get(u.pk), _state(reports.get(u.pk))) for u in units])


# ---- charts ------------------------------------------------------------------------------------------
def dossier_codes(unit: OrgUnit) -> dict[str, str]:
    """Which level's one-stop figures describe the unit (a commune's own, or a district's/province's)."""
    prefix = "dossiers.commune" if unit.level == Level.COMMUNE else "dossiers.district"
    return {
        "received": f"{prefix}.received",
        "resolved": f"{prefix}.resolved",
        "on_time": f"{prefix}.on_time_rate",
        "online": "online.level3_rate",
    }


def trend(unit: OrgUnit, year: int, until: date | None = None, context: ValueContext | None = None) -> dict[str, Any]:
    """Figures of the unit for each report period of the year (Q1, 6 tháng, Q3, năm), current values; with
    ``until`` (the report's own period end) only the periods ending by then — a Q3 report shows no year.

    ``context``: the page's reading of one of these periods (the report's own): its figures are not computed
    twice, and the other periods' readings share its graph, catalogue and inputs (each unit's first dossier)."""
    from cchc.indicators.periods import get_period, report_suffixes

    codes = dossier_codes(unit)
    graph = context.graph if context else load_graph()
    indicators = context.indicators if context else current_indicators()
    inputs = context.inputs if context else None
    labels, data = [], {k: [] for k in codes}
    for suffix in report_suffixes():
        period = get_period(f"{year}-{suffix}")
        if until is not None and period.end > until:
            continue
        if context is not None and context.period.code == period.code:
            reading = context
        else:
            reading = ValueContext(period, graph, indicators, inputs=inputs)
        labels.append(period.name.replace(f" năm {year}", ""))
        for key, code in codes.items():
            data[key].append(reading.value(unit.pk, code).value if code in indicators else None)
        if reading is not context:  # the page's own reading is the page's to keep
            reading.flush()
    return {"labels": labels, **data}
