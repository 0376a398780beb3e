"""Bộ chỉ số QĐ 766/QĐ-TTg: the formula versions (data, not code) and the stored results of closed periods."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormulaVersion(models.Model):
    """Một phiên bản công thức của Bộ chỉ số (tệp cchc/data/index766/qd766-<phiên bản>.yaml đã nạp).

    The version used for a period is the one valid on the period's last day (selectors.version_for)."""

    code = models.CharField("phiên bản", max_length=40, unique=True)
    name = models.CharField("tên", max_length=300, blank=True)
    valid_from = models.DateField("áp dụng từ")
    valid_to = models.DateField("áp dụng đến", null=True, blank=True)
    source = models.TextField("nguồn, căn cứ")
    spec = models.JSONField("công thức (nội dung tệp)")
    file_name = models.CharField("tệp", max_length=255, blank=True)
    digest = models.CharField("dấu vân tay nội dung", max_length=64)
    loaded_at = models.DateTimeField("thời điểm nạp", auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    loaded_by_label = models.CharField("người nạp", max_length=150, blank=True)

    class Meta:
        ordering = ["-valid_from", "-code"]
        verbose_name = "phiên bản công thức Bộ chỉ số 766"
        verbose_name_plural = "phiên bản công thức Bộ chỉ số 766"

    def __str__(self) -> str:
        return self.code


class Result(models.Model):
    """Kết quả Bộ chỉ số đã chốt của một đơn vị trong một khoảng ngày, với phiên bản công thức đã dùng.

    Written by ``cchc index766 snapshot`` (or its background job), never by a page: a closed period keeps
    the figures and the version it was computed with even after a new version is loaded."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    version = models.ForeignKey(FormulaVersion, on_delete=models.PROTECT, related_name="results")
    total = models.DecimalField("tổng điểm", max_digits=7, decimal_places=2, null=True)
    figures = models.JSONField("số liệu từng thành phần")
    computed_at = models.DateTimeField("thời điểm tính")
    computed_by_label = models.CharField("người chốt", max_length=150, blank=True)

    class Meta:
        ordering = ["-end", "unit"]
        verbose_name = "kết quả Bộ chỉ số 766"
        verbose_name_plural = "kết quả Bộ chỉ số 766"
        constraints = [models.UniqueConstraint(fields=["unit", "start", "end"], name="index766_result_unit_range")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start}…{self.end}"
