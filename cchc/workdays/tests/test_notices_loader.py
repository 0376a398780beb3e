# ruff: noqa: E501  (expected Vietnamese messages are kept whole, to be compared exactly)
"""Loading yearly notices: atomic, idempotent, dry run, errors naming the line and field."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from cchc.core.actors import SystemActor
from cchc.core.importing import ImportRejected
from cchc.core.models import AuditEvent
from cchc.workdays.models import CalendarVersion, Notice, NoticeDay
from cchc.workdays.rules import NOTICES_FILE
from cchc.workdays.selectors import get_calendar
from cchc.workdays.services import load_notices_file, load_shipped_notices

pytestmark = pytest.mark.django_db

GOOD_2027 = """\
years:
  - year: 2027
    basis: Thông báo thử nghiệm
    days_off:
      - {date: 01/01/2027, name: Tết Dương lịch, basis: BLLĐ 2019 Điều 112}
      - {from: 04/02/2027, to: 10/02/2027, name: Nghỉ Tết Nguyên đán Đinh Mùi, basis: Thông báo thử nghiệm}
      - {date: 16/04/2027, name: Giỗ Tổ Hùng Vương, basis: BLLĐ 2019 Điều 112}
      - {date: 30/04/2027, name: Ngày Chiến thắng, basis: BLLĐ 2019 Điều 112}
      - {date: 01/05/2027, name: Ngày Quốc tế Lao động, basis: BLLĐ 2019 Điều 112}
      - {date: 03/05/2027, name: Nghỉ bù Ngày Quốc tế Lao động, basis: BLLĐ 2019 Điều 111}
      - {date: 02/09/2027, name: Quốc khánh, basis: BLLĐ 2019 Điều 112}
      - {date: 03/09/2027, name: Quốc khánh (ngày liền kề), basis: BLLĐ 2019 Điều 112}
      - {date: 24/11/2027, name: Ngày Văn hóa Việt Nam, basis: NQ 80-NQ/TW}
      - {date: 31/12/2027, name: Nghỉ hoán đổi, basis: Thông báo thử nghiệm}
    working_days:
      - {date: 11/12/2027, name: Làm việc bù cho thứ Sáu 31/12/2027, in_exchange_for: 31/12/2027, basis: Thông báo thử nghiệm}
"""


def write(tmp_path, text, name="notices-2027.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reloading_the_shipped_file_changes_nothing():
    counts = (Notice.objects.count(), NoticeDay.objects.count(), AuditEvent.objects.count())
    version = CalendarVersion.objects.get(pk=1).token
    result = load_notices_file(NOTICES_FILE, source="shipped")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7)
    assert (Notice.objects.count(), NoticeDay.objects.count(), AuditEvent.objects.count()) == counts
    assert CalendarVersion.objects.get(pk=1).token == version


def test_an_admin_adds_2027_and_it_stops_being_estimated(tmp_path):
    path = write(tmp_path, GOOD_2027)
    assert 2027 in get_calendar().estimated_years
    dry = load_notices_file(path, dry_run=True)
    assert dry.dry_run and dry.created == 1 and not Notice.objects.filter(year=2027).exists()
    result = load_notices_file(path, actor=SystemActor("test"))
    assert result.created == 1
    cal = get_calendar()
    assert 2027 not in cal.estimated_years
    assert cal.is_working_day(date(2027, 12, 11)) and not cal.is_working_day(date(2027, 12, 31))
    assert cal.last_year == 2028  # the range grows with the notices
    again = load_notices_file(path, actor=SystemActor("test"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert (
        AuditEvent.objects.filter(
            verb="workdays.notice.create", object_id=str(Notice.objects.get(year=2027).pk)
        ).count()
        == 1
    )
    # After the next migrate the admin's 2027 is kept, the shipped years stay as they are.
    assert load_shipped_notices().unchanged == 7
    assert Notice.objects.get(year=2027).source == "notices-2027.yaml"


def test_a_bad_file_is_rejected_with_line_and_field_and_nothing_saved(tmp_path):
    bad = (
        GOOD_2027.replace(
            "{date: 16/04/2027, name: Giỗ Tổ Hùng Vương, basis: BLLĐ 2019 Điều 112}",
            "{date: 31/02/2027, name: Giỗ Tổ Hùng Vương, basis: BLLĐ 2019 Điều 112}",
        )
        .replace(
            "{date: 30/04/2027, name: Ngày Chiến thắng, basis: BLLĐ 2019 Điều 112}",
            "{date: 30/04/2027, name: Ngày Chiến thắng}",
        )
        .replace("{date: 11/12/2027, name: Làm", "{date: 10/12/2027, name: Làm")
    )
    path = write(tmp_path, bad)
    before = (Notice.objects.count(), NoticeDay.objects.count(), CalendarVersion.objects.get(pk=1).token)
    with pytest.raises(ImportRejected) as caught:
        load_notices_file(path)
    messages = [str(e) for e in caught.value.errors]
    assert (
        "Dòng 7, cột “năm 2027.days_off[3].date” (giá trị “31/02/2027”): Ngày “31/02/2027” không tồn tại." in messages
    )
    assert "Dòng 8, cột “năm 2027.days_off[4].basis”: Thiếu căn cứ pháp lý (basis)." in messages
    assert any(
        m.startswith("Dòng 16, cột “năm 2027.working_days[1].date” (giá trị “10/12/2027”): Ngày làm việc bù phải là")
        for m in messages
    )
    assert any("Thiếu ngày lễ luật định: Giỗ Tổ Hùng Vương 16/04/2027" in m for m in messages)
    assert caught.value.total == 4
    assert (Notice.objects.count(), NoticeDay.objects.count(), CalendarVersion.objects.get(pk=1).token) == before


def test_a_changed_year_replaces_that_year_only(tmp_path):
    load_notices_file(write(tmp_path, GOOD_2027))
    changed = GOOD_2027.replace(
        "      - {date: 31/12/2027, name: Nghỉ hoán đổi, basis: Thông báo thử nghiệm}\n", ""
    ).replace(
        "    working_days:\n      - {date: 11/12/2027, name: Làm việc bù cho thứ Sáu 31/12/2027, in_exchange_for: 31/12/2027, basis: Thông báo thử nghiệm}\n",
        "    working_days: []\n",
    )
    result = load_notices_file(write(tmp_path, changed, "v2.yaml"))
    assert (result.created, result.updated) == (0, 1)
    cal = get_calendar()
    assert cal.is_working_day(date(2027, 12, 31)) and not cal.is_working_day(date(2027, 12, 11))
    assert Notice.objects.count() == 8


def test_cli_load_notices_prints_errors_in_vietnamese(tmp_path, capsys):
    path = write(tmp_path, "years:\n  - year: hai nghìn\n")
    with pytest.raises(CommandError, match="Tệp bị từ chối, không có dữ liệu nào được lưu: 1 lỗi"):
        call_command("calendar", "load-notices", str(path))
    assert "Năm phải là số, ví dụ 2027." in capsys.readouterr().err
