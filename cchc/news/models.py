from __future__ import annotations

from django.db import models


class NewsKind(models.TextChoices):
    NEWS = "tin", "Tin"
    ARTICLE = "bai", "Bài viết"
    REPORTAGE = "phong_su", "Phóng sự"


class Channel(models.TextChoices):
    """Where an item was published, as the statistics appendix counts them."""

    UNIT_SITE = "trang_don_vi", "Trang thông tin điện tử của đơn vị (chuyên mục CCHC)"
    PROVINCE_SITE = "chuyen_trang_tinh", "Chuyên trang CCHC của tỉnh"
    RADIO = "truyen_thanh", "Đài truyền thanh"
    SOCIAL = "mang_xa_hoi", "Mạng xã hội (Zalo, Facebook…)"
    PRESS = "bao_dai", "Báo, đài khác"


class NewsItem(models.Model):
    """Tin, bài tuyên truyền CCHC đã đăng."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="news_items", verbose_name="đơn vị")
    kind = models.CharField("loại", max_length=10, choices=NewsKind.choices, default=NewsKind.NEWS)
    title = models.CharField("tiêu đề", max_length=500)
    published_on = models.DateField("ngày đăng")
    channel = models.CharField("nơi đăng", max_length=30, choices=Channel.choices, default=Channel.UNIT_SITE)
    link = models.URLField("đường dẫn", max_length=500, blank=True)
    author = models.CharField("tác giả", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tin, bài"
        verbose_name_plural = "tin, bài"
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["unit", "published_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class NewsQuota(models.Model):
    """Chỉ tiêu số tin, bài mỗi tháng do đơn vị đặt cho một năm (bộ chỉ số thường chấm theo tháng)."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="news_quotas")
    year = models.PositiveSmallIntegerField("năm")
    per_month = models.PositiveSmallIntegerField("số tin, bài mỗi tháng")
    basis = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu tin, bài"
        verbose_name_plural = "chỉ tiêu tin, bài"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="news_one_quota_per_year")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year}: {self.per_month}/tháng"
