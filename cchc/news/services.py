"""Ghi tin, bài tuyên truyền CCHC và chỉ tiêu tháng — scoped and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from cchc.accounts import scope
from cchc.core import audit
from cchc.core.audit import Verb
from cchc.core.errors import FieldError
from cchc.indicators.services import mark_stale_days
from cchc.news.models import Channel, NewsItem, NewsKind, NewsQuota


class NewsError(FieldError):
    """Lỗi dữ liệu của ứng dụng news."""


@dataclass
class ItemData:
    title: str
    published_on: date
    kind: str = NewsKind.NEWS
    channel: str = Channel.UNIT_SITE
    link: str = ""
    author: str = ""


def save_item(actor, unit, data: ItemData, *, item: NewsItem | None = None, today: date | None = None) -> NewsItem:
    today = today or timezone.localdate()
    owner = unit if item is None else item.unit
    scope.require(actor, scope.Action.EDIT, owner)
    if not data.title.strip():
        raise NewsError("title", "Cần nhập tiêu đề tin, bài.")
    if data.published_on is None:
        raise NewsError("published_on", "Cần nhập ngày đăng.")
    if data.published_on > today:
        raise NewsError("published_on", "Ngày đăng không được sau ngày hôm nay.")
    if data.kind not in NewsKind.values:
        raise NewsError("kind", "Loại phải là tin, bài viết hoặc phóng sự.")
    if data.channel not in Channel.values:
        raise NewsError("channel", "Nơi đăng không hợp lệ.")
    if data.link:
        try:
            URLValidator(schemes=["http", "https"])(data.link)
        except ValidationError as exc:
            raise NewsError("link", "Đường dẫn phải bắt đầu bằng http:// hoặc https://.") from exc
    with transaction.atomic():
        creating = item is None
        old_day = None if creating else item.published_on
        item = item or NewsItem(unit=owner)
        for k, v in data.__dict__.items():
            setattr(item, k, v.strip() if isinstance(v, str) else v)
        item.save()
        audit.record(
            actor,
            Verb.NEWS_CREATED if creating else Verb.NEWS_UPDATED,
            item,
            unit=owner,
            data={"title": item.title, "published_on": item.published_on.isoformat(), "channel": item.channel},
        )
        mark_stale_days(owner, item.published_on, old_day)
    return item


def delete_item(actor, item: NewsItem) -> None:
    scope.require(actor, scope.Action.EDIT, item.unit)
    with transaction.atomic():
        audit.record(actor, Verb.NEWS_DELETED, item, unit=item.unit, data={"title": item.title})
        unit, day = item.unit, item.published_on
        item.delete()
        mark_stale_days(unit, day)


def set_quota(actor, unit, year: int, per_month: int, basis: str = "") -> NewsQuota:
    """Đặt chỉ tiêu số tin, bài mỗi tháng của năm (0 = không đặt chỉ tiêu)."""
    scope.require(actor, scope.Action.EDIT, unit)
    if per_month is None or int(per_month) < 0 or int(per_month) > 1000:
        raise NewsError("per_month", "Chỉ tiêu mỗi tháng phải từ 0 đến 1.000.")
    current = NewsQuota.objects.filter(unit=unit, year=year).first()
    if current is not None and current.per_month == int(per_month) and current.basis == basis.strip():
        return current
    with transaction.atomic():
        quota, _ = NewsQuota.objects.update_or_create(
            unit=unit, year=year, defaults={"per_month": int(per_month), "basis": basis.strip()}
        )
        audit.record(actor, Verb.NEWS_QUOTA_SET, quota, unit=unit, data={"year": year, "per_month": int(per_month)})
    return quota
