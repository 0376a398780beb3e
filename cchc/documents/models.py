from django.db import models


class NumberRegister(models.Model):
    """Sổ đăng ký số văn bản: the last number issued by a unit for a document type in a year.

    Numbers restart at 1 each year (Nghị định 30/2020, Điều 15). One row per (unit, year, register), where
    the register is the type code (BC, KH, QĐ…) or "CV" for official letters, which are numbered apart.
    """

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="number_registers")
    year = models.PositiveSmallIntegerField("năm")
    register = models.CharField("sổ", max_length=10)
    last_number = models.PositiveIntegerField("số cuối đã cấp", default=0)

    class Meta:
        verbose_name = "sổ đăng ký số văn bản"
        verbose_name_plural = "sổ đăng ký số văn bản"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "register"], name="documents_one_register"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year} {self.register}: {self.last_number}"
