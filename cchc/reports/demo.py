"""Bản trình diễn: báo cáo năm 2021 của xã Sơn Tây (đã gửi) và báo cáo tổng hợp của huyện Hương Sơn."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.indicators.periods import get_period
from cchc.org.models import OrgUnit
from cchc.reports import services
from cchc.reports.models import Report, Status

DEMO_COMMUNE = "000.16.21.H42"  # Xã Sơn Tây
DEMO_DISTRICT = "000.00.21.H42"  # Huyện Hương Sơn
DEMO_PERIOD = "2021-NAM"
ACTOR = SystemActor("cchc demo")
DEMO_OFFICER = "canbo.sontay"


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
    _awaiting_leader(commune, out)


def _awaiting_leader(commune: OrgUnit, out) -> None:
    """This year's Q3 report of Xã Sơn Tây, drafted by canbo.sontay and waiting for lanhdao.sontay's sign-off
    (so the leader's demo account has its "Chờ ký duyệt" item)."""
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.filter(username=DEMO_OFFICER).first()
    period = get_period(f"{timezone.localdate().year}-Q3")
    if officer is None or not commune.is_valid_on(period.end):
        return
    report = Report.objects.filter(unit=commune, period=period).first()
    if report is None:
        report = services.create_report(officer, commune, period)
    if report.status == Status.DRAFT:
        try:
            services.request_signature(
                officer,
                report,
                "Kính trình đồng chí Chủ tịch xem xét, ký duyệt; số liệu còn trống sẽ bổ sung khi có nguồn.",
            )
        except ValidationError as exc:  # the demo's own figures fail a rule: leave the draft, say why
            out(f"{commune.name}: báo cáo {period.name} chưa trình ký được: {' '.join(exc.messages)}")
            return
    out(f"{commune.name}: báo cáo {period.name} {Report.objects.get(pk=report.pk).get_status_display().lower()}.")
