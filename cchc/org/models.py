"""Org units with validity dates, dated parent links and lineage.

Since 1/7/2025 districts no longer exist and most communes were merged, so neither a unit nor its
place in the tree is permanent: a unit is valid over an interval, it hangs under a parent over an
interval (a commune that survived the reform moved from its district to the province), and lineage
rows say which units became which. "The tree on a date" is answered by ``cchc.org.selectors``.
"""

from datetime import date

from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    """Cấp của đơn vị. The order matters: a parent is always of a higher level than its children."""

    PROVINCE = "tinh", "Cấp tỉnh"
    DISTRICT = "huyen", "Cấp huyện"
    COMMUNE = "xa", "Cấp xã"
    SECTION = "bo_phan", "Cơ quan, bộ phận trực thuộc"


LEVEL_RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2, Level.SECTION: 3}


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> "ValidityQuerySet":
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))


class OrgUnit(models.Model):
    """Đơn vị: tỉnh, huyện (đến 30/6/2025), xã/phường/đặc khu, or a section inside one of them."""

    code = models.CharField("mã định danh", max_length=40, unique=True, help_text="Theo TT 10/2016/TT-BTTTT")
    name = models.CharField("tên đơn vị", max_length=200)
    kind = models.CharField(
        "loại hình", max_length=60, help_text="Tỉnh, Huyện, Thị xã, Xã, Phường, Đặc khu, Bộ phận Một cửa…"
    )
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    place_name = models.CharField(
        "địa danh", max_length=100, blank=True, help_text="Dùng ở dòng địa danh, ngày tháng của văn bản"
    )
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True, help_text="Ngày cuối còn tồn tại")

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_unit_valid_interval",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class OrgUnitParent(models.Model):
    """Quan hệ trực thuộc: ``unit`` hangs under ``parent`` from ``valid_from`` to ``valid_to``."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "valid_from"]
        verbose_name = "quan hệ trực thuộc"
        verbose_name_plural = "quan hệ trực thuộc"
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="org_parent_one_link_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_parent_valid_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} ⊂ {self.parent.code} ({self.valid_from}–{self.valid_to or '…'})"


class LineageKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập, hợp nhất vào"
    SPLIT = "split", "Chia tách thành"
    RENAME = "rename", "Đổi tên, tổ chức lại thành"


class UnitLineage(models.Model):
    """Kế thừa: on ``date`` the unit ``from_unit`` became (part of) ``to_unit``."""

    from_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successor_links")
    to_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessor_links")
    kind = models.CharField("hình thức", max_length=10, choices=LineageKind.choices)
    date = models.DateField("ngày có hiệu lực")
    basis = models.CharField("căn cứ", max_length=200, blank=True, help_text="Nghị quyết, quyết định")

    class Meta:
        ordering = ["date", "from_unit__code"]
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["from_unit", "to_unit"], name="org_lineage_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.from_unit.code} → {self.to_unit.code} ({self.get_kind_display()}, {self.date})"
