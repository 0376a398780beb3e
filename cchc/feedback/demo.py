"""Phản ánh, kiến nghị minh họa của xã Sơn Tây năm 2021: three about administrative rules (answered or
forwarded, matching the 3 received / 3 resolved the indicators demo enters) and one about something else."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cchc.accounts.actors import SystemActor
from cchc.feedback import services
from cchc.feedback.models import FeedbackItem, Handling
from cchc.org.models import OrgUnit

DEMO_UNIT = "000.16.21.H42"
ACTOR = SystemActor("cchc demo")
ITEMS = [
    services.FeedbackData(
        date(2021, 3, 8),
        "truc_tiep",
        "Ông Nguyễn Văn Hùng, thôn 1",
        "Đề nghị niêm yết rõ thành phần hồ sơ đăng ký khai sinh kết hợp cấp thẻ bảo hiểm y tế.",
        True,
        "",
        "Công chức Tư pháp - Hộ tịch",
        date(2021, 3, 22),
        "",
        None,
        "Đã bổ sung niêm yết thành phần hồ sơ tại Bộ phận Một cửa và trả lời trực tiếp.",
        date(2021, 3, 15),
    ),
    services.FeedbackData(
        date(2021, 6, 14),
        "dien_tu",
        "Bà Trần Thị Lan",
        "Phản ánh yêu cầu nộp thêm bản sao giấy tờ không có trong quy định khi chứng thực.",
        True,
        "",
        "Bộ phận Một cửa",
        date(2021, 6, 28),
        "",
        None,
        "Đã chấn chỉnh công chức tiếp nhận; không yêu cầu giấy tờ ngoài quy định.",
        date(2021, 6, 21),
    ),
    services.FeedbackData(
        date(2021, 9, 6),
        "van_ban",
        "Hộ kinh doanh Lê Minh",
        "Kiến nghị đơn giản hóa thủ tục cấp giấy phép kinh doanh thuộc thẩm quyền cấp huyện.",
        True,
        "",
        "Công chức Văn phòng - Thống kê",
        date(2021, 9, 20),
        "UBND huyện Hương Sơn",
        date(2021, 9, 9),
        "Đã chuyển UBND huyện theo thẩm quyền; UBND huyện đã trả lời người kiến nghị.",
        date(2021, 10, 4),
    ),
    services.FeedbackData(
        date(2021, 11, 2),
        "dien_thoai",
        "Ông Phạm Văn Tâm, thôn 3",
        "Phản ánh đèn chiếu sáng công cộng tại ngã ba thôn 3 bị hỏng.",
        False,
        "",
        "Công chức Địa chính - Xây dựng",
        date(2021, 11, 16),
        "",
        None,
        "Đã sửa chữa đèn chiếu sáng.",
        date(2021, 11, 10),
    ),
]


# The demo month (cchc.dossiers.demo_month): a few items of each handling kind, dated in working days back
# from today — (citizen, content, handling, received N working days ago, answered M working days after
# receipt or None, satisfied, about a dossier of the month). One is still open two working days before its
# deadline (the to-do list's "sắp đến hạn"); the one about a dossier names the dossier asked twice for papers.
MONTH_ITEMS = [
    ("Bà Lê Thị Thanh", "Đề nghị hướng dẫn nộp hồ sơ chứng thực trực tuyến.", Handling.HANDLE, 24, 6, True, False),
    (
        "Ông Võ Văn Sáu",
        "Phản ánh thời gian chờ tại Bộ phận Một cửa buổi sáng quá lâu.",
        Handling.HANDLE,
        20,
        16,
        False,
        False,
    ),
    ("Ông Phan Đình Hòa", "Phản ánh hồ sơ bị yêu cầu bổ sung hai lần.", Handling.HANDLE, 18, 9, True, True),
    ("Bà Ngô Thị Hạnh", "Kiến nghị niêm yết phí, lệ phí tại quầy.", Handling.HANDLE, 13, None, None, False),
    ("Ông Hồ Sỹ Tuấn", "Phản ánh việc tranh chấp ranh giới đất giữa hai hộ.", Handling.REFUSE, 16, 1, None, False),
    ("Bà Đỗ Thị Vân", "Hỏi về chế độ của người có công (không thuộc thẩm quyền).", Handling.REFUSE, 9, 2, True, False),
    ("Ông Dương Văn Lực", "Phản ánh chưa nhận được kết quả qua bưu chính.", Handling.ASK_MORE, 14, 4, True, False),
    (
        "Bà Bùi Thị Nga",
        "Phản ánh cán bộ hướng dẫn chưa rõ (chưa ghi thời gian, địa điểm).",
        Handling.ASK_MORE,
        3,
        None,
        None,
        False,
    ),
]


def month_items(unit: OrgUnit, today: date | None = None) -> int:
    """The demo month's feedback of ``unit`` not made yet (matched by sender and content over the last 30
    working days, longer than any item's age, so a rerun adds nothing); returns how many were made."""
    from cchc.dossiers.demo_month import MONTH_NOTE
    from cchc.dossiers.models import Dossier
    from cchc.workdays.selectors import get_calendar_for_unit

    today = today or timezone.localdate()
    cal = get_calendar_for_unit(unit, today)
    since = cal.add_working_days(today, -30)
    asked_twice = (
        Dossier.objects.filter(unit=unit, note=MONTH_NOTE, supplement_requests__gte=2)
        .values_list("code", flat=True)
        .first()
    )
    made = 0
    for name, content, handling, ago, answered_after, satisfied, about_dossier in MONTH_ITEMS:
        if FeedbackItem.objects.filter(unit=unit, citizen_name=name, content=content, received_on__gte=since).exists():
            continue
        received = cal.add_working_days(today, -ago)
        answered = cal.add_working_days(received, answered_after) if answered_after is not None else None
        data = services.FeedbackData(
            received_on=received,
            channel="truc_tiep" if ago % 2 else "dien_tu",
            citizen_name=name,
            content=content,
            responsible="Bộ phận Một cửa",
            answer="Đã trả lời người phản ánh." if answered else "",
            answered_on=answered if answered and answered <= today else None,
            handling=handling,
            satisfied=satisfied if answered and answered <= today else None,
            dossier_code=(asked_twice or "") if about_dossier else "",
        )
        if not data.answered_on:
            data.answer = ""
        services.save_item(ACTOR, unit, data, today=today)
        made += 1
    return made


def run_demo(out) -> None:
    unit = OrgUnit.objects.filter(code=DEMO_UNIT).first()
    if unit is None:
        out("Chưa có xã Sơn Tây: bỏ qua phản ánh, kiến nghị minh họa.")
        return
    created = 0
    for data in ITEMS:
        if not FeedbackItem.objects.filter(
            unit=unit, received_on=data.received_on, citizen_name=data.citizen_name
        ).exists():
            services.save_item(ACTOR, unit, services.FeedbackData(**data.__dict__))
            created += 1
    out(f"{unit.name}: {len(ITEMS)} phản ánh, kiến nghị năm 2021 ({created} mới).")
    made = month_items(unit)
    out(f"{unit.name}: {len(MONTH_ITEMS)} phản ánh, kiến nghị gần đây theo cách xử lý ({made} mới).")
