from django.conf import settings
from django.db import models


class DayKind(models.TextChoices):
    OFF = "off", "Ngày nghỉ"
    WORK = "work", "Ngày làm việc"


class Notice(models.Model):
    """Thông báo nghỉ lễ, Tết của một năm (Bộ LĐTBXH đến 2025, Bộ Nội vụ từ 2026).

    A year with a notice is complete: its days off and Saturdays worked are exactly the ``NoticeDay`` rows.
    """

    year = models.PositiveSmallIntegerField("năm", unique=True)
    basis = models.TextField("căn cứ", blank=True)
    source = models.CharField(
        "nguồn nạp",
        max_length=255,
        help_text="“shipped” = tệp có sẵn cchc/data/workdays/notices.yaml; còn lại: tên tệp quản trị nạp",
    )
    loaded_at = models.DateTimeField("nạp lúc", auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "thông báo nghỉ lễ"
        verbose_name_plural = "thông báo nghỉ lễ"

    def __str__(self) -> str:
        return f"Thông báo nghỉ lễ năm {self.year}"


class NoticeDay(models.Model):
    """Một ngày trong thông báo: ngày nghỉ, hoặc thứ Bảy làm việc bù."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="days")
    day = models.DateField("ngày")
    kind = models.CharField("loại", max_length=4, choices=DayKind.choices)
    name = models.CharField("tên", max_length=255)
    basis = models.CharField("căn cứ pháp lý", max_length=500, blank=True)
    source_note = models.CharField("nguồn đối chiếu", max_length=500, blank=True)
    exchange_for = models.DateField("đổi cho ngày", null=True, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "ngày trong thông báo"
        verbose_name_plural = "ngày trong thông báo"
        constraints = [models.UniqueConstraint(fields=["notice", "day"], name="workdays_noticeday_unique_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class Override(models.Model):
    """Điều chỉnh của địa phương: a day made off or working, nationally (no province) or for one province."""

    day = models.DateField("ngày")
    province = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="tỉnh áp dụng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Để trống: áp dụng toàn quốc",
    )
    kind = models.CharField("loại", max_length=4, choices=DayKind.choices)
    name = models.CharField("tên", max_length=255)
    note = models.TextField("ghi chú, căn cứ", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        ordering = ["day", "province_id"]
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"
        constraints = [
            models.UniqueConstraint(fields=["province", "day"], name="workdays_override_unique_province_day"),
            # NULL is never equal to NULL in a unique index: the national rows need their own constraint.
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(province__isnull=True), name="workdays_override_unique_national_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class CalendarVersion(models.Model):
    """Số phiên bản lịch: one row, bumped in the same transaction as every change to notices or overrides.

    Each process caches its calendar engines with the version they were built from and compares it with
    this row (one primary-key read), so a change on one app server reaches every other one.
    """

    version = models.PositiveBigIntegerField(default=0)
    # A random token changed with the number: a number can repeat after a rolled-back transaction (an
    # engine cached inside it would then look current); the token cannot.
    token = models.CharField(max_length=32, default="", blank=True)

    class Meta:
        verbose_name = "phiên bản lịch"
        verbose_name_plural = "phiên bản lịch"

    def __str__(self) -> str:
        return f"Phiên bản lịch {self.version}"
