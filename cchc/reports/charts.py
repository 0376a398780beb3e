"""Biểu đồ SVG vẽ ở máy chủ (no JavaScript library): bars and lines from indicator values.

Every figure printed on a chart uses the Vietnamese format; a missing value draws no bar and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cchc.core.vnformat import format_number, format_percent

# A narrow viewBox with large letters: the chart is drawn about 400-600 px wide on the report page, where
# 10-unit letters in a 560-unit box came out at 6-7 px, too small to read.
WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 30, 56
COLOURS = ("#1f5f99", "#d9822b", "#3c8d40", "#8e44ad")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]


def _fmt(value: Decimal, percent: bool) -> str:
    return format_percent(value) if percent else format_number(value)


def _scale(series: list[Series], percent: bool) -> Decimal:
    """The axis' top: 100% for rates, else the largest value rounded up to a whole number of nice steps."""
    top = max((v for s in series for v in s.values if v is not None), default=Decimal(0))
    if percent:
        return Decimal(100)
    step = nice_step(top)
    return step * max((Decimal(top) / step).to_integral_value(rounding=ROUND_CEILING), 1)


def nice_step(top: Decimal | int, intervals: int = 4) -> Decimal:
    """A step of 1, 2, 2,5 or 5 × 10ⁿ giving about ``intervals`` gridlines up to ``top`` — ticks 0, 2, 4, 6, 8
    for a largest value of 7, never 0, 2, 4, 5, 7. Counts step by whole numbers (2,5 only from 25 up)."""
    raw = Decimal(top) / intervals if top else Decimal(1) / intervals
    magnitude = Decimal(10) ** raw.adjusted()
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = factor * magnitude
        if step >= raw and (step == step.to_integral_value() or magnitude < 1):
            break
    return max(step.to_integral_value(), Decimal(1))  # whole counts: "1", never "1,0"


def ticks(top: Decimal, percent: bool) -> list[Decimal]:
    step = Decimal(25) if percent else nice_step(top)
    count = int(top / step)
    return [step * i for i in range(count + 1)]


def _frame(title: str, labels: list[str], top: Decimal, percent: bool, body: list[str], series: list[Series]) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for value in ticks(top, percent):
        y = TOP + plot_h - plot_h * float(value / top)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="12" text-anchor="end">'
            f"{escape(_fmt(value, False) + ('%' if percent else ''))}</text>"
        )
    step = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = LEFT + step * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="12" text-anchor="middle">'
            f"{escape(label[:22])}</text>"
        )
    parts.extend(body)
    for i, s in enumerate(series if len(series) > 1 else []):
        x = LEFT + i * 170
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 18}" width="10" height="10" fill="{COLOURS[i % 4]}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 9}" font-size="12">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, labels: list[str], series: list[Series], *, percent: bool = False) -> SafeString:
    """Grouped bars: one group per label, one bar per series."""
    top = _scale(series, percent)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels), 1)
    bar_w = step * 0.7 / max(len(series), 1)
    body = []
    for i in range(len(labels)):
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            x = LEFT + step * i + step * 0.15 + bar_w * j
            if value is None:
                body.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - 4}" font-size="9" '
                    f'text-anchor="middle" fill="#888">—</text>'
                )
                continue
            h = float(min(value, top) / top) * plot_h if top else 0
            y = TOP + plot_h - h
            label = escape(_fmt(value, percent))
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[j % 4]}"><title>{escape(s.name)}: {label}</title></rect>'
            )
            body.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle">{label}</text>'
            )
    return mark_safe(_frame(title, labels, top, percent, body, series))


def line_chart(title: str, labels: list[str], series: list[Series], *, percent: bool = False) -> SafeString:
    top = _scale(series, percent)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels), 1)
    body = []
    for j, s in enumerate(series):
        points = []
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x = LEFT + step * (i + 0.5)
            y = TOP + plot_h - float(min(value, top) / top) * plot_h
            points.append((x, y, value))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[j % 4]}" stroke-width="2"/>')
        for x, y, value in points:
            label = escape(_fmt(value, percent))
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLOURS[j % 4]}">'
                f"<title>{escape(s.name)}: {label}</title></circle>"
                f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="11" text-anchor="middle">{label}</text>'
            )
    return mark_safe(_frame(title, labels, top, percent, body, series))
