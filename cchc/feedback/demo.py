"""Phản ánh, kiến nghị minh họa của xã Sơn Tây năm 2021: three about administrative rules (answered or
forwarded, matching the 3 received / 3 resolved the indicators demo enters) and one about something else."""

from __future__ import annotations

from datetime import date

from cchc.feedback import services
from cchc.feedback.models import FeedbackItem
from cchc.org.models import OrgUnit

DEMO_UNIT = "000.16.21.H42"
ACTOR = "cchc demo"
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
