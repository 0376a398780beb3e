"""`cchc calendar …` prints exactly what the issue asks for."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(capsys, *args) -> str:
    call_command("calendar", *args)
    return capsys.readouterr().out


def test_add_working_days_prints_the_iso_date(capsys):
    assert run(capsys, "add-working-days", "2025-01-24", "3") == "2025-02-05\n"
    assert run(capsys, "add-working-days", "24/01/2025", "3") == "2025-02-05\n"


def test_is_working_day_says_why(capsys):
    out = run(capsys, "is-working-day", "2025-04-26")
    assert out.startswith("26/04/2025 (thứ Bảy) là ngày làm việc: làm việc bù cho thứ Sáu 02/05/2025")
    assert run(capsys, "is-working-day", "02/05/2025").startswith(
        "02/05/2025 (thứ Sáu) là ngày nghỉ: Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)"
    )
    assert (
        run(capsys, "is-working-day", "2025-04-27")
        == "27/04/2025 (Chủ nhật) là ngày nghỉ: ngày nghỉ hằng tuần (Chủ nhật).\n"
    )


def test_holidays_lists_the_days_off_with_their_names(capsys):
    lines = run(capsys, "holidays", "2025").splitlines()
    assert lines[0] == "Ngày nghỉ lễ, Tết năm 2025 (toàn quốc)"
    assert "01/01/2025  thứ Tư    Tết Dương lịch" in lines
    assert "07/04/2025  thứ Hai   Giỗ Tổ Hùng Vương (10/3 âm lịch)" in lines
    assert "01/09/2025  thứ Hai   Quốc khánh (ngày liền kề)" in lines
    assert "02/05/2025  thứ Sáu   Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)" in lines
    assert sum("Nghỉ Tết Nguyên đán Ất Tỵ" in line for line in lines) == 9
    assert lines[-3:] == [
        "Ngày làm việc bù năm 2025:",
        "26/04/2025  thứ Bảy   Làm việc bù cho thứ Sáu 02/05/2025",
        "Tổng số ngày làm việc trong năm: 250.",
    ]


def test_bad_input_is_a_vietnamese_error():
    with pytest.raises(CommandError, match="không phải là ngày"):
        call_command("calendar", "add-working-days", "hôm qua", "3")
    with pytest.raises(CommandError, match="nằm ngoài phạm vi lịch làm việc"):
        call_command("calendar", "holidays", "2040")
