"""Nơi tiếp nhận hồ sơ công khai của một đơn vị (Bộ phận Một cửa / Trung tâm Phục vụ hành chính công).

The public pages of a unit exist only once its desk is recorded and published: the catalogue says where
to submit from it, and the board and results pages are switched on with it.
"""

from django.db import models

from cchc.org.models import OrgUnit


class ServiceDesk(models.Model):
    """Bộ phận Một cửa của một đơn vị, as citizens see it."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="service_desk", verbose_name="đơn vị")
    name = models.CharField("tên", max_length=200, help_text="Ví dụ: Bộ phận Một cửa UBND xã Sơn Tây")
    address = models.CharField("địa chỉ", max_length=300)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    opening_hours = models.CharField(
        "giờ tiếp nhận",
        max_length=300,
        blank=True,
        help_text="Ví dụ: Sáng 7h30-11h30, chiều 13h30-17h00, từ thứ Hai đến thứ Sáu và sáng thứ Bảy",
    )
    published = models.BooleanField("công khai", default=True, help_text="Bỏ chọn để tạm ẩn các trang công khai")

    class Meta:
        verbose_name = "nơi tiếp nhận hồ sơ"
        verbose_name_plural = "nơi tiếp nhận hồ sơ"

    def __str__(self) -> str:
        return self.name
