"""Tự kiểm tra CCHC năm 2021 của xã Sơn Tây tại Bộ phận Một cửa: 05 vấn đề, đều đã khắc phục (the figures
the indicators demo enters for 2021: one unit inspected, 5 found, 5 resolved). The findings are those the
reference reports list as typical."""

from __future__ import annotations

from datetime import date

from cchc.accounts.actors import SystemActor
from cchc.inspections import services
from cchc.inspections.models import Inspection, TargetKind
from cchc.org.models import OrgUnit

DEMO_UNIT = "000.16.21.H42"
SECTION = "001.16.21.H42"
ACTOR = SystemActor("cchc demo")
TITLE = "Tự kiểm tra công tác CCHC năm 2021 tại Bộ phận Một cửa"
FINDINGS = [
    ("Còn hồ sơ trễ hạn trên phần mềm một cửa điện tử", "Rà soát, xử lý dứt điểm hồ sơ trễ hạn", date(2021, 10, 20)),
    (
        "Chưa công khai tiến độ giải quyết hồ sơ TTHC trên phần mềm một cửa điện tử",
        "Cập nhật trạng thái hồ sơ hằng ngày",
        date(2021, 10, 15),
    ),
    (
        "Niêm yết TTHC chưa cập nhật quyết định công bố mới",
        "Thay thế bảng niêm yết theo quyết định công bố mới",
        date(2021, 10, 12),
    ),
    ("Sổ theo dõi hồ sơ ghi chưa đầy đủ thông tin", "Ghi đầy đủ sổ theo dõi theo mẫu", date(2021, 10, 8)),
    ("Sử dụng chữ ký số trong gửi, nhận văn bản chưa thường xuyên", "Ký số toàn bộ văn bản đi", date(2021, 11, 5)),
]


def run_demo(out) -> None:
    unit = OrgUnit.objects.filter(code=DEMO_UNIT).first()
    if unit is None:
        out("Chưa có xã Sơn Tây: bỏ qua kiểm tra CCHC minh họa.")
        return
    inspection = Inspection.objects.filter(unit=unit, title=TITLE).first()
    if inspection is None:
        inspection = services.save_inspection(
            ACTOR,
            unit,
            title=TITLE,
            plan_ref="Kế hoạch số 07/KH-UBND ngày 19/01/2021",
            start_on=date(2021, 9, 27),
            end_on=date(2021, 9, 30),
            conclusion="Bộ phận Một cửa thực hiện cơ bản đúng quy định; còn 05 tồn tại cần khắc phục.",
        )
    section = OrgUnit.objects.filter(code=SECTION).first()
    target = inspection.targets.first() or services.add_target(
        ACTOR,
        inspection,
        org_unit=section,
        name="" if section else "Bộ phận Một cửa",
        kind=TargetKind.SUBORDINATE,
        inspected_on=date(2021, 9, 28),
    )
    for description, remedy, fixed_on in FINDINGS:
        if not inspection.findings.filter(description=description).exists():
            services.save_finding(
                ACTOR,
                inspection,
                description=description,
                remedy=remedy,
                target=target,
                found_on=date(2021, 9, 30),
                deadline=date(2021, 11, 30),
                fixed_on=fixed_on,
                fix_note="Đã khắc phục",
            )
    n = inspection.findings.count()
    fixed = inspection.findings.filter(fixed_on__isnull=False).count()
    out(f"{unit.name}: {inspection.title}: {n} vấn đề phát hiện, {fixed} đã khắc phục.")
