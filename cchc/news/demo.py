"""Tin, bài tuyên truyền CCHC năm 2021 của xã Sơn Tây: chỉ tiêu 5 tin, bài mỗi tháng; tháng 9 chỉ có 3
(during the Covid-19 outbreak), so the monthly table shows one month below quota."""

from __future__ import annotations

from datetime import date

from cchc.accounts.actors import SystemActor
from cchc.news import services
from cchc.news.models import Channel, NewsItem, NewsKind
from cchc.org.models import OrgUnit

DEMO_UNIT = "000.16.21.H42"
ACTOR = SystemActor("cchc demo")
YEAR = 2021
QUOTA = 5
PER_MONTH = [5, 6, 5, 5, 7, 5, 6, 5, 3, 5, 6, 5]
TOPICS = [
    "Kết quả cải cách hành chính của xã",
    "Thực hiện cơ chế một cửa, một cửa liên thông",
    "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng dịch vụ công",
    "Niêm yết công khai thủ tục hành chính",
    "Tiếp nhận phản ánh, kiến nghị về quy định hành chính",
    "Kỷ luật, kỷ cương hành chính",
    "Chương trình tổng thể CCHC giai đoạn 2021-2030 (Nghị quyết 76/NQ-CP)",
    "Chuyển đổi số ở cơ sở",
]
CHANNELS = [
    Channel.UNIT_SITE,
    Channel.RADIO,
    Channel.UNIT_SITE,
    Channel.SOCIAL,
    Channel.RADIO,
    Channel.UNIT_SITE,
    Channel.PROVINCE_SITE,
]


def items() -> list[services.ItemData]:
    rows, n = [], 0
    for month, count in enumerate(PER_MONTH, start=1):
        for i in range(count):
            day = min(3 + i * 5, 28)
            topic = TOPICS[n % len(TOPICS)]
            kind = NewsKind.ARTICLE if n % 4 == 3 else NewsKind.NEWS
            channel = CHANNELS[n % len(CHANNELS)]
            link = (
                f"https://sontay.example.gov.vn/tin-cchc/{YEAR}-{month:02d}-{i + 1}"
                if channel == Channel.UNIT_SITE
                else ""
            )
            rows.append(
                services.ItemData(
                    f"{topic} (tháng {month:02d}/{YEAR}, số {i + 1})",
                    date(YEAR, month, day),
                    kind,
                    channel,
                    link,
                    "Công chức Văn hóa - Xã hội",
                )
            )
            n += 1
    return rows


def run_demo(out) -> None:
    unit = OrgUnit.objects.filter(code=DEMO_UNIT).first()
    if unit is None:
        out("Chưa có xã Sơn Tây: bỏ qua tin, bài minh họa.")
        return
    services.set_quota(ACTOR, unit, YEAR, QUOTA, "Bộ chỉ số CCHC cấp xã: tuyên truyền hằng tháng")
    created = 0
    for data in items():
        if not NewsItem.objects.filter(unit=unit, title=data.title, published_on=data.published_on).exists():
            services.save_item(ACTOR, unit, data)
            created += 1
    out(
        f"{unit.name}: {sum(PER_MONTH)} tin, bài năm {YEAR} ({created} mới), chỉ tiêu {QUOTA}/tháng; "
        f"tháng 09 chỉ có {PER_MONTH[8]}."
    )
