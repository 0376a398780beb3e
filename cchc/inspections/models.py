from __future__ import annotations

from django.db import models


class Inspection(models.Model):
    """Cuộc kiểm tra CCHC do đơn vị tiến hành (theo kế hoạch kiểm tra, ví dụ Kế hoạch số 33/KH-UBND)."""

    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="cchc_inspections", verbose_name="đơn vị kiểm tra"
    )
    title = models.CharField("tên cuộc kiểm tra", max_length=500)
    plan_ref = models.CharField(
        "kế hoạch kiểm tra", max_length=300, blank=True, help_text="Ví dụ: Kế hoạch số 33/KH-UBND ngày 16/03/2021"
    )
    start_on = models.DateField("ngày bắt đầu")
    end_on = models.DateField("ngày kết thúc", null=True, blank=True)
    conclusion = models.TextField("kết luận", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cuộc kiểm tra CCHC"
        verbose_name_plural = "cuộc kiểm tra CCHC"
        ordering = ["-start_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_on:%d/%m/%Y})"


class TargetKind(models.TextChoices):
    """As the statistics appendix counts them."""

    DEPARTMENT = "phong_ban", "Phòng ban, bộ phận"
    SUBORDINATE = "truc_thuoc", "Đơn vị trực thuộc"
    COMMUNE = "ubnd_xa", "UBND cấp xã"


class InspectedUnit(models.Model):
    """Đơn vị được kiểm tra trong một cuộc kiểm tra."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đơn vị trong danh mục",
    )
    name = models.CharField("tên đơn vị", max_length=300)
    kind = models.CharField("loại", max_length=20, choices=TargetKind.choices)
    inspected_on = models.DateField("ngày kiểm tra")

    class Meta:
        verbose_name = "đơn vị được kiểm tra"
        verbose_name_plural = "đơn vị được kiểm tra"
        ordering = ["inspected_on", "name"]
        constraints = [models.UniqueConstraint(fields=["inspection", "name"], name="inspections_target_once")]

    def __str__(self) -> str:
        return self.name


class Finding(models.Model):
    """Vấn đề (tồn tại, hạn chế) phát hiện qua kiểm tra, with the fix asked for and when it was done."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    target = models.ForeignKey(
        InspectedUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name="đơn vị"
    )
    found_on = models.DateField("ngày phát hiện")
    description = models.TextField("vấn đề phát hiện")
    remedy = models.TextField("yêu cầu khắc phục", blank=True)
    deadline = models.DateField("hạn khắc phục", null=True, blank=True)
    fixed_on = models.DateField("ngày khắc phục xong", null=True, blank=True)
    fix_note = models.TextField("kết quả khắc phục", blank=True)

    class Meta:
        verbose_name = "vấn đề phát hiện qua kiểm tra"
        verbose_name_plural = "vấn đề phát hiện qua kiểm tra"
        ordering = ["found_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_unit(self):
        return self.inspection.unit

    @property
    def is_fixed(self) -> bool:
        return self.fixed_on is not None
