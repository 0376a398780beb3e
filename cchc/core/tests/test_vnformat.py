from datetime import date
from decimal import Decimal

import pytest

from cchc.core import vnformat as vn


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (54647, {}, "54.647"),
        (665, {}, "665"),
        (81889689373, {}, "81.889.689.373"),
        (-1234, {}, "-1.234"),
        (Decimal("1234.5"), {"decimals": 2}, "1.234,50"),
        (0.25, {}, "0,25"),
        (2.5, {}, "2,5"),
        (Decimal("10.00"), {}, "10"),
    ],
)
def test_format_number(value, kwargs, expected):
    assert vn.format_number(value, **kwargs) == expected


def test_format_percent_keeps_two_decimals_and_rounds_half_up():
    assert vn.format_percent(96.9) == "96,90%"
    assert vn.format_percent(vn.percent(219, 226)) == "96,90%"
    assert vn.format_percent(vn.percent(26, 28)) == "92,86%"  # 92.857… rounds up, not 92,85
    assert vn.percent(1, 0) is None
    assert vn.format_percent(None, empty="—") == "—"


def test_long_dates_follow_nd30_padding():
    assert vn.format_date_long(date(2021, 12, 14)) == "ngày 14 tháng 12 năm 2021"
    assert vn.format_date_long(date(2022, 2, 28)) == "ngày 28 tháng 02 năm 2022"
    assert vn.format_date_long(date(2022, 3, 5)) == "ngày 05 tháng 3 năm 2022"
    assert vn.place_and_date("Sơn Lĩnh", date(2022, 2, 28)) == "Sơn Lĩnh, ngày 28 tháng 02 năm 2022"
    assert vn.format_date(date(2021, 9, 4)) == "04/09/2021"


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("54.647", {}, Decimal("54647")),
        ("96,9", {}, Decimal("96.9")),
        ("92,85%", {}, Decimal("92.85")),
        ("99.81", {}, Decimal("99.81")),
        ("4,747", {"table_cell": True}, Decimal("4747")),
        ("4,747", {}, Decimal("4.747")),
        ("81.889.689.373đ", {}, Decimal("81889689373")),
        ("1.234,5", {}, Decimal("1234.5")),
        ("1,234.5", {}, Decimal("1234.5")),
        ("-12", {}, Decimal("-12")),
    ],
)
def test_parse_number(text, kwargs, expected):
    assert vn.parse_number(text, **kwargs) == expected


@pytest.mark.parametrize("text", ["", "abc", "1..2", ".5", "12,3,4.5.6x"])
def test_parse_number_rejects_with_vietnamese_message(text):
    with pytest.raises(vn.VietnameseParseError, match="không phải là một số"):
        vn.parse_number(text)


def test_parse_date_reads_day_first_and_rejects_impossible_dates():
    assert vn.parse_date("03/04/2026") == date(2026, 4, 3)
    assert vn.parse_date("2026-04-03") == date(2026, 4, 3)
    assert vn.parse_date("ngày 14 tháng 12 năm 2021") == date(2021, 12, 14)
    with pytest.raises(vn.VietnameseParseError, match="không tồn tại"):
        vn.parse_date("31/02/2023")
    with pytest.raises(vn.VietnameseParseError):
        vn.parse_date("14/12/20230")


def test_template_filters_render_vietnamese_figures():
    from django.template import Context, Template

    out = Template("{{ n|so }} {{ r|phan_tram }} {{ d|ngay }} {{ d|ngay_dai }} {{ missing|so }}").render(
        Context({"n": 54647, "r": Decimal("96.9"), "d": date(2021, 12, 14)})
    )
    assert out == "54.647 96,90% 14/12/2021 ngày 14 tháng 12 năm 2021 —"


def test_django_locale_formats_group_thousands(settings):
    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.number_format(54647, use_l10n=True, force_grouping=True) == "54.647"
        assert formats.number_format(Decimal("96.90"), 2, use_l10n=True) == "96,90"
        assert formats.date_format(date(2021, 12, 14), "SHORT_DATE_FORMAT") == "14/12/2021"
