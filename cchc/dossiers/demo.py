"""Bước trình diễn: danh mục thủ tục minh họa và vài nghìn hồ sơ của các xã minh họa, 2021–2026.

Deterministic (seeded) and idempotent: the dossiers are generated as a provincial export and loaded with
the real import, which changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cchc.accounts.actors import DEMO
from cchc.dossiers.demo_month import MONTH_UNIT, fill_records, month_dossiers, month_window
from cchc.org.models import Level, OrgUnit

PROCEDURES_FILE = Path(settings.BASE_DIR) / "data" / "dossiers" / "procedures_demo.csv"
DEMO_START, DEMO_END = date(2021, 1, 4), date(2026, 11, 13)
HEADER = [
    "ma_ho_so",
    "don_vi",
    "ma_thu_tuc",
    "ten_thu_tuc",
    "linh_vuc",
    "so_ngay_giai_quyet",
    "kenh",
    "muc_do",
    "ngay_tiep_nhan",
    "ngay_hen_tra",
    "ngay_tra_ket_qua",
    "da_xin_loi",
    "ngay_hen_tra_moi",
]


def demo_rows(per_unit_year: int = 70, seed: int = 20250701) -> list[list[str]]:
    """Rows of a provincial export for the demo communes (before and after the 2025 merger)."""
    from cchc.dossiers.models import Procedure
    from cchc.dossiers.rules import due_date
    from cchc.workdays.selectors import get_calendar

    rng = random.Random(seed)
    cal = get_calendar()
    procs = list(
        Procedure.objects.order_by("code").values_list(
            "code", "time_unit", "time_value", "cutoff", "online_form", "valid_from"
        )
    )
    weights = [30 if p[1] == "trong_ngay" else 6 if p[2] <= 5 else 2 for p in procs]
    rows = []
    month_start = month_window(timezone.localdate())[0]
    communes = OrgUnit.objects.filter(level=Level.COMMUNE).order_by("code")
    for unit in communes:
        start = max(DEMO_START, unit.valid_from)
        end = min(DEMO_END, unit.valid_to or DEMO_END)
        if start > end:
            continue
        count = int(per_unit_year * ((end - start).days + 1) / 365)
        seq: dict[date, int] = {}
        for _ in range(count):
            day = start + timedelta(days=rng.randrange((end - start).days + 1))
            channel = rng.choices(["truc_tiep", "truc_tuyen", "buu_chinh"], [55, 40, 5])[0]
            if not cal.is_working_day(day) and channel != "truc_tuyen":
                day = cal.add_working_days(day, 0)  # the counter is closed: the next working day
                if day > end:
                    continue
            code, unit_kind, value, cutoff, form, valid_from = rng.choices(procs, weights)[0]
            if valid_from and day < valid_from:
                continue
            moment = datetime.combine(day, time(rng.randrange(7, 17), rng.choice([0, 15, 30, 45])))
            due, _ = due_date(cal, moment, unit_kind, value, cutoff)
            seq[day] = seq.get(day, 0) + 1
            # Most are resolved early or on time; some late (some of those with an apology); the last weeks
            # still pending, a few of them overdue.
            luck = rng.random()
            shift = -rng.randrange(0, 3) if luck < 0.82 else 0 if luck < 0.93 else rng.randrange(1, 6)
            returned = cal.add_working_days(due, shift) if shift else due
            if shift < 0 and returned < day:
                returned = day
            apology, new_due = "", ""
            if shift > 0 and rng.random() < 0.6:
                apology, new_due = "có", cal.add_working_days(due, shift + 1).strftime("%d/%m/%Y")
            if returned > DEMO_END or (day > DEMO_END - timedelta(days=20) and rng.random() < 0.5):
                returned_text = ""
            else:
                returned_text = returned.strftime("%d/%m/%Y")
            if unit.code == MONTH_UNIT and day >= month_start:
                continue  # the demo commune's latest month is received through the counter (month_dossiers)
            rows.append(
                [
                    f"{unit.code}-{day:%y%m%d}-{seq[day]:04d}",
                    unit.code,
                    code,
                    "",
                    "",
                    "",
                    channel,
                    form if channel == "truc_tuyen" else "",
                    moment.strftime("%d/%m/%Y %H:%M"),
                    due.strftime("%d/%m/%Y"),
                    returned_text,
                    apology,
                    new_due,
                ]
            )
    return rows


__all__ = ["fill_records", "run"]


def run(out) -> None:
    from cchc.dossiers.importing import import_dossiers
    from cchc.dossiers.services import import_procedures

    result = import_procedures(PROCEDURES_FILE, actor=DEMO)
    out(f"Danh mục thủ tục minh họa: {result.summary()}")
    if not OrgUnit.objects.filter(level=Level.COMMUNE).exists():
        out("Chưa có đơn vị minh họa: bỏ qua hồ sơ minh họa.")
        return
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(demo_rows())
    result = import_dossiers("ho_so_minh_hoa.csv", actor=DEMO, content=buf.getvalue().encode("utf-8"))
    out(f"Hồ sơ minh họa: {result.summary()}")
    unit = OrgUnit.objects.filter(code=MONTH_UNIT).first()
    if unit is not None:
        made = month_dossiers(unit)
        start = month_window(timezone.localdate())[0]
        out(f"{unit.name}: {made} hồ sơ mới từ {start:%d/%m/%Y} đến hôm nay, đủ dữ liệu chỉ số QĐ 766.")
