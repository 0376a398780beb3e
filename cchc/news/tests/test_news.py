from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from cchc.accounts.actors import SystemActor
from cchc.core.models import AuditEvent
from cchc.core.registry import todo_items
from cchc.indicators.registry import Computed, Span, get_function
from cchc.news import selectors, services
from cchc.news.models import Channel, NewsItem, NewsKind

TODAY = date(2021, 12, 20)
YEAR = Span(date(2020, 12, 15), date(2021, 12, 14), "2021-NAM")


def _item(unit, day, channel=Channel.UNIT_SITE, kind=NewsKind.NEWS, title="Tin CCHC"):
    return services.save_item(SystemActor("test"), unit, services.ItemData(title, day, kind, channel), today=TODAY)


def test_monthly_counts_against_quota(sontay, officer):
    services.set_quota(officer, sontay, 2021, 2)
    for day in (date(2021, 1, 5), date(2021, 1, 9), date(2021, 2, 3), date(2021, 12, 1)):
        _item(sontay, day)
    months = selectors.monthly_counts(sontay, 2021, TODAY)
    assert len(months) == 12
    assert [(m.count, m.short) for m in months[:3]] == [(2, False), (1, True), (0, True)]
    assert months[1].missing == 1
    # December 2021 on the 20th: 1 of 2, flagged from the 20th on, not before.
    assert months[11].short
    assert not selectors.monthly_counts(sontay, 2021, date(2021, 12, 19))[11].short
    assert selectors.current_month_shortfall(sontay, date(2021, 12, 19)) is None
    assert selectors.current_month_shortfall(sontay, TODAY).missing == 1
    # Months not yet begun are left out.
    assert len(selectors.monthly_counts(sontay, 2021, date(2021, 3, 2))) == 3


def test_no_quota_no_warning(sontay):
    _item(sontay, date(2021, 1, 5))
    assert not any(m.short for m in selectors.monthly_counts(sontay, 2021, TODAY))


def test_todo_from_the_20th(sontay, officer, outsider):
    services.set_quota(SystemActor("test"), sontay, 2021, 5)
    _item(sontay, date(2021, 12, 2))
    with mock.patch("cchc.news.todo.timezone.localdate", return_value=date(2021, 12, 20)):
        items = [i for i in todo_items(officer, sontay) if i.title.startswith("Tin, bài")]
        assert [(i.title, i.detail, i.count) for i in items] == [
            ("Tin, bài tháng 12/2021 chưa đạt chỉ tiêu", "Mới đăng 1/5 tin, bài; còn thiếu 4.", 4)
        ]
        assert not [i for i in todo_items(outsider, sontay) if i.title.startswith("Tin, bài")]
    with mock.patch("cchc.news.todo.timezone.localdate", return_value=date(2021, 12, 19)):
        assert not [i for i in todo_items(officer, sontay) if i.title.startswith("Tin, bài")]


def test_indicator_functions(sontay, demo_org):
    _item(sontay, date(2021, 3, 1))
    _item(sontay, date(2021, 3, 2), Channel.PROVINCE_SITE, NewsKind.ARTICLE)
    _item(sontay, date(2021, 3, 3), Channel.RADIO)
    _item(sontay, date(2021, 12, 15))  # after the 2021 cut-off
    units = [sontay, demo_org["001.16.21.H42"]]
    assert get_function("news.unit_site_posts")(units, YEAR) == 1
    assert get_function("news.province_site_posts")(units, YEAR) == 1
    media = get_function("news.media_posts")(units, YEAR)
    assert isinstance(media, Computed) and media.value == 3 and media.inputs == {"tin": 2, "bài, phóng sự": 1}


def test_item_rules(sontay, officer):
    for data, field, message in [
        (services.ItemData("", date(2021, 1, 1)), "title", "Cần nhập tiêu đề tin, bài."),
        (services.ItemData("Tin", date(2022, 1, 1)), "published_on", "Ngày đăng không được sau ngày hôm nay."),
        (
            services.ItemData("Tin", date(2021, 1, 1), link="sontay.gov.vn"),
            "link",
            "Đường dẫn phải bắt đầu bằng http:// hoặc https://.",
        ),
    ]:
        with pytest.raises(services.NewsError) as exc:
            services.save_item(officer, sontay, data, today=TODAY)
        assert (exc.value.field, exc.value.message) == (field, message)
    assert not NewsItem.objects.exists()


def test_demo_has_a_month_below_quota_and_is_idempotent(sontay):
    from cchc.news.demo import run_demo

    run_demo(lambda line: None)
    events = AuditEvent.objects.count()
    run_demo(lambda line: None)
    assert AuditEvent.objects.count() == events
    months = selectors.monthly_counts(sontay, 2021, TODAY)
    assert sum(m.count for m in months) == 63
    assert [m.month for m in months if m.short] == [9]


def test_views_and_scope(client, officer, outsider, sontay):
    item = _item(sontay, date(2021, 3, 1), title="Tin riêng Sơn Tây")
    client.force_login(outsider)
    assert client.get(reverse("news:edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("news:delete", args=[item.pk])).status_code == 404
    assert "Tin riêng Sơn Tây" not in client.get(reverse("news:index") + "?nam=2021").content.decode()
    client.force_login(officer)
    assert "Tin riêng Sơn Tây" in client.get(reverse("news:index") + "?nam=2021").content.decode()
    for url in [
        reverse("news:create"),
        reverse("news:quota"),
        reverse("news:edit", args=[item.pk]),
        reverse("news:index") + "?nam=2021&thang=3&noi=trang_don_vi&loai=tin&q=Tin",
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("news:quota"), {"year": 2021, "per_month": 5})
    assert response.status_code == 302
    page = client.get(reverse("news:index") + "?nam=2021").content.decode()
    assert "Tháng 01/2021: 0/5 tin, bài — thiếu 5." in page
