"""Bản trình diễn: báo cáo năm 2021 của xã Sơn Tây (đã gửi) và báo cáo tổng hợp của huyện Hương Sơn."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from cchc.indicators.periods import get_period
from cchc.org.models import OrgUnit
from cchc.reports import services
from cchc.reports.models import Report, Status

DEMO_COMMUNE = "000.16.21.H42"  # Xã Sơn Tây
DEMO_DISTRICT = "000.00.21.H42"  # Huyện Hương Sơn
DEMO_PERIOD = "2021-NAM"
ACTOR = "cchc demo"


def run_demo(out) -> None:
    commune = OrgUnit.objects.filter(code=DEMO_COMMUNE).first()
    district = OrgUnit.objects.filter(code=DEMO_DISTRICT).first()
    if commune is None or district is None:
        out("Chưa có tỉnh minh họa: bỏ qua báo cáo CCHC.")
        return
    period = get_period(DEMO_PERIOD)
    report = Report.objects.filter(unit=commune, period=period).first()
    if report is None:
        report = services.create_report(ACTOR, commune, period)
        report.signer_name = "Hoàng Văn Dũng"
        report.save(update_fields=["signer_name"])
    if report.status == Status.DRAFT:
        # Sent on 14/12/2021, before the due date, like the reference report 303/BC-UBND.
        sent = timezone.make_aware(datetime(2021, 12, 14, 9, 0))
        pre = services.pre_submit(report)
        comment = "Số liệu minh họa; các chỉ tiêu chưa có nguồn để trống." if pre.needs_comment else ""
        services.submit_report(ACTOR, report, comment, at=sent)
        report.refresh_from_db()
    out(f"{commune.name}: báo cáo {period.name} số {report.number}, {report.get_status_display().lower()}.")
    rollup = Report.objects.filter(unit=district, period=period).first()
    if rollup is None:
        rollup = services.create_report(ACTOR, district, period)
    out(f"{district.name}: báo cáo tổng hợp {period.name} (dự thảo) từ báo cáo đã gửi của các xã.")
