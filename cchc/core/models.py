from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Nhật ký thay đổi: who changed what, when. Written in the same transaction as the change."""

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(
        "người thực hiện", max_length=150, blank=True, help_text="Tên đăng nhập, hoặc lệnh cchc khi chạy từ dòng lệnh"
    )
    verb = models.CharField("thao tác", max_length=60)
    object_type = models.CharField("loại đối tượng", max_length=60)
    object_id = models.CharField("mã đối tượng", max_length=64)
    unit = models.ForeignKey("org.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.verb} {self.object_type}#{self.object_id}"


class TableStamp(models.Model):
    """Dấu bảng: the token a database trigger changes at every write to a named group of tables
    (``core.tablestamps``)."""

    name = models.CharField("nhóm bảng", max_length=40, primary_key=True)
    token = models.CharField("dấu", max_length=40)

    class Meta:
        verbose_name = "dấu bảng"
        verbose_name_plural = "dấu bảng"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
