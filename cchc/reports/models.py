"""Báo cáo CCHC định kỳ: the draft being written, its sections, and the frozen versions sent upward."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    """draft → awaiting_sign → approved (or sign_returned → awaiting_sign…) → submitted → accepted | returned."""

    DRAFT = "draft", "Dự thảo"
    AWAITING_SIGN = "awaiting_sign", "Chờ lãnh đạo ký duyệt"
    SIGN_RETURNED = "sign_returned", "Lãnh đạo trả lại để sửa"
    APPROVED = "approved", "Đã ký duyệt, chờ gửi cấp trên"
    SUBMITTED = "submitted", "Đã gửi, chờ tiếp nhận"
    ACCEPTED = "accepted", "Đã tiếp nhận"
    RETURNED = "returned", "Bị cấp trên trả lại"


EDITABLE = (Status.DRAFT, Status.RETURNED, Status.SIGN_RETURNED)


class FiguresFrom(models.TextChoices):
    """Where the report's figures come from."""

    INDICATORS = "indicators", "Số liệu chỉ tiêu của đơn vị"
    ROLLUP = "rollup", "Tổng hợp báo cáo đã gửi của đơn vị trực thuộc"


class Report(models.Model):
    """Báo cáo CCHC định kỳ của một đơn vị trong một kỳ (quý I, 6 tháng, quý III, năm)."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="cchc_reports")
    period = models.ForeignKey("indicators.Period", on_delete=models.PROTECT, related_name="reports")
    outline_code = models.CharField("đề cương", max_length=50)
    outline_version = models.PositiveIntegerField("phiên bản tệp đề cương")
    figures_from = models.CharField("nguồn số liệu", max_length=12, choices=FiguresFrom.choices)
    number = models.CharField("số, ký hiệu", max_length=50, blank=True, help_text="Cấp khi gửi báo cáo")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("tên loại", max_length=50, default="Báo cáo")
    summary = models.CharField("trích yếu", max_length=500)
    addressee = models.CharField("kính gửi", max_length=300, blank=True)
    recipients = models.JSONField("nơi nhận", default=list)
    signer_authority = models.CharField("thẩm quyền ký", max_length=200, default="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    intro = models.TextField("đoạn mở đầu", blank=True)
    closing = models.TextField("đoạn kết", blank=True)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("số phiên bản đã gửi", default=0)
    lock_version = models.PositiveIntegerField("phiên bản chỉnh sửa", default=0)
    due_date = models.DateField("hạn gửi")
    first_submitted_at = models.DateTimeField("gửi lần đầu lúc", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_label = models.CharField("người gửi", max_length=150, blank=True)
    reviewed_at = models.DateTimeField("thẩm định lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by_label = models.CharField("người thẩm định", max_length=150, blank=True)
    review_comment = models.TextField("ý kiến thẩm định", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by_label = models.CharField("người tạo", max_length=150, blank=True)

    class Meta:
        ordering = ["-period__start", "unit__code"]
        verbose_name = "báo cáo CCHC"
        verbose_name_plural = "báo cáo CCHC"
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="reports_one_per_unit_period")]

    def __str__(self) -> str:
        return f"Báo cáo CCHC {self.period.name} — {self.unit.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_late(self) -> bool:
        """Gửi muộn: the first submission came after the due date (a return does not make it late)."""
        if self.first_submitted_at is None:
            return False
        from django.utils import timezone

        return timezone.localdate(self.first_submitted_at) > self.due_date


class ReportSection(models.Model):
    """Nội dung một mục của đề cương, do cán bộ soạn; số liệu lưu dưới dạng chỗ điền {mã chỉ tiêu}."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField("mã mục", max_length=60)
    position = models.PositiveIntegerField("thứ tự")
    heading = models.CharField("tiêu đề", max_length=300)
    text = models.TextField("nội dung", blank=True)
    hint = models.CharField("gợi ý", max_length=500, blank=True)
    revision = models.PositiveIntegerField("lần sửa", default=0)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    updated_by_label = models.CharField("người sửa", max_length=150, blank=True)

    class Meta:
        ordering = ["report", "position"]
        verbose_name = "mục báo cáo"
        verbose_name_plural = "mục báo cáo"
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="reports_one_section_per_key")]

    def __str__(self) -> str:
        return self.heading

    @property
    def depth(self) -> int:
        return 1 if "." not in self.key else 2


class ReportVersion(models.Model):
    """Phiên bản trình ký và gửi: bất biến — nội dung đã điền số liệu, số liệu phụ lục kèm nguồn gốc, tệp DOCX.

    Frozen when the officer sends the report to the leader (the leader approves exactly this content);
    the leader's approval adds the number, the date and the approval stamp, sending adds the sending stamp
    (both through ``save(_allow_update=True)`` by the services, once). A version the leader returned stays
    as history."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    header = models.JSONField("phần đầu, chữ ký, nơi nhận")
    sections = models.JSONField("nội dung đã điền số liệu")
    values = models.JSONField("số liệu (mọi chỉ tiêu, kèm nguồn gốc)")
    by_unit = models.JSONField("số liệu theo đơn vị (báo cáo tổng hợp)", default=list)
    checks = models.JSONField("kết quả kiểm tra khi gửi", default=dict)
    comment = models.TextField("giải trình khi gửi", blank=True)
    docx = models.BinaryField("tệp DOCX")
    uploaded_name = models.CharField("tên tệp do đơn vị tải lên", max_length=200, blank=True)
    uploaded = models.BinaryField("tệp do đơn vị tải lên", null=True, blank=True)
    upload_check = models.JSONField("kết quả soát tệp tải lên", default=dict, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True, help_text="Trống khi chưa gửi cấp trên")
    submitted_by_label = models.CharField("người gửi", max_length=150, blank=True)
    approval = models.ForeignKey(
        "documents.Approval",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_versions",
        verbose_name="lần trình ký",
    )
    drafted_by_label = models.CharField("người trình", max_length=150, blank=True)
    approved_at = models.DateTimeField("ký duyệt lúc", null=True, blank=True)
    approved_by_label = models.CharField("lãnh đạo ký duyệt", max_length=150, blank=True)
    approved_by_title = models.CharField("chức vụ người ký duyệt", max_length=150, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = "phiên bản báo cáo đã gửi"
        verbose_name_plural = "phiên bản báo cáo đã gửi"
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reports_one_version_number")]

    def __str__(self) -> str:
        return f"{self.report} — phiên bản {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError("Phiên bản báo cáo đã gửi không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Phiên bản báo cáo đã gửi không được xóa.")
