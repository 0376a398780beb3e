"""Chart axes: evenly spaced, round ticks (0, 2, 4, 6, 8 — never 0, 2, 4, 5, 7), readable letters."""

import re
from decimal import Decimal

from cchc.reports import charts


def _ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]+)</text>', svg)


def test_count_axis_has_even_round_ticks():
    svg = charts.bar_chart(
        "Hồ sơ", ["Quý I", "6 tháng", "Quý III"], [charts.Series("Tiếp nhận", [Decimal(7), Decimal(3), None])]
    )
    assert _ticks(svg) == ["0", "2", "4", "6", "8"]
    svg = charts.bar_chart("Hồ sơ", ["Quý I"], [charts.Series("Tiếp nhận", [Decimal(1234)])])
    assert _ticks(svg) == ["0", "500", "1.000", "1.500"]
    svg = charts.bar_chart("Hồ sơ", ["Quý I"], [charts.Series("Tiếp nhận", [Decimal(3)])])
    assert _ticks(svg) == ["0", "1", "2", "3"]


def test_percent_axis_and_letter_size():
    svg = charts.line_chart(
        "Tỷ lệ", ["Quý I", "Quý III"], [charts.Series("Đúng hạn", [Decimal("96.9"), Decimal(100)])], percent=True
    )
    assert _ticks(svg) == ["0%", "25%", "50%", "75%", "100%"]
    width = int(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
    # Drawn 400 px wide, the smallest letters are at least 9 px.
    assert min(sizes) * 400 / width >= 9


def test_q3_report_charts_stop_at_q3(demo_values):
    from cchc.indicators.periods import get_period
    from cchc.reports.selectors import trend

    q3 = get_period("2021-Q3")
    labels = trend(demo_values["000.16.21.H42"], 2021, until=q3.end)["labels"]
    assert labels and labels[-1] == q3.name.replace(" năm 2021", "") and not any("Năm" in x for x in labels)
    assert any("Năm" in x for x in trend(demo_values["000.16.21.H42"], 2021)["labels"])
