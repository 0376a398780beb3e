"""Biểu đồ SVG vẽ ở máy chủ (no JavaScript library): bars and lines from indicator values.

Every figure printed on a chart uses the Vietnamese format; a missing value draws no bar and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cchc.core.vnformat import format_number, format_percent

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 52
COLOURS = ("#1f5f99", "#d9822b", "#3c8d40", "#8e44ad")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal | None]


def _fmt(value: Decimal, percent: bool) -> str:
    return format_percent(value) if percent else format_number(value)


def _scale(series: list[Series], percent: bool) -> Decimal:
    top = max((v for s in series for v in s.values if v is not None), default=Decimal(0))
    if percent:
        return Decimal(100)
    return top if top > 0 else Decimal(1)


def _frame(title: str, labels: list[str], top: Decimal, percent: bool, body: list[str], series: list[Series]) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}">', f'<title>{escape(title)}</title>',
             f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        value = top * Decimal(i) / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
                     f'{escape(_fmt(value.quantize(Decimal(1)), False) + ("%" if percent else ""))}</text>')
    step = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = LEFT + step * (i + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle">'
                     f'{escape(label[:22])}</text>')
    parts.extend(body)
    for i, s in enumerate(series if len(series) > 1 else []):
        x = LEFT + i * 150
        parts.append(f'<rect x="{x}" y="{HEIGHT - 18}" width="10" height="10" fill="{COLOURS[i % 4]}"/>'
                     f'<text x="{x + 14}" y="{HEIGHT - 9}" font-size="11">{escape(s.name)}</text>')
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
                body.append(f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - 4}" font-size="9" '
                            f'text-anchor="middle" fill="#888">—</text>')
                continue
            h = float(min(value, top) / top) * plot_h if top else 0
            y = TOP + plot_h - h
            label = escape(_fmt(value, percent))
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                        f'fill="{COLOURS[j % 4]}"><title>{escape(s.name)}: {label}</title></rect>')
            body.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="9" text-anchor="middle">'
                        f'{label}</text>')
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
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLOURS[j % 4]}">'
                        f'<title>{escape(s.name)}: {label}</title></circle>'
                        f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="9" text-anchor="middle">{label}</text>')
    return mark_safe(_frame(title, labels, top, percent, body, series))
