from __future__ import annotations

from datetime import date

from django.db import models

from cchc.feedback.rules import channel_name


class Handling(models.TextChoices):
    """Cách xử lý phản ánh, kiến nghị: each has its own deadline in working days (cchc/data/feedback/rules.yaml)."""

    HANDLE = "xu_ly", "Xem xét, xử lý"
    REFUSE = "tu_choi", "Từ chối tiếp nhận"
    ASK_MORE = "bo_sung", "Đề nghị bổ sung thông tin"


class FeedbackItem(models.Model):
    """Phản ánh, kiến nghị của cá nhân, tổ chức: received, handled by a unit, forwarded or answered."""

    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="feedback_items", verbose_name="đơn vị tiếp nhận"
    )
    received_on = models.DateField("ngày tiếp nhận")
    channel = models.CharField("hình thức tiếp nhận", max_length=30)
    citizen_name = models.CharField("cá nhân, tổ chức phản ánh", max_length=300)
    citizen_contact = models.CharField("địa chỉ, điện thoại", max_length=300, blank=True)
    content = models.TextField("nội dung phản ánh, kiến nghị")
    about_admin_rule = models.BooleanField("về quy định hành chính", default=True)
    responsible = models.CharField("bộ phận, người xử lý", max_length=300, blank=True)
    deadline = models.DateField("hạn xử lý")
    forwarded_to = models.CharField("chuyển đến cơ quan", max_length=300, blank=True)
    forwarded_on = models.DateField("ngày chuyển", null=True, blank=True)
    answer = models.TextField("kết quả xử lý, trả lời", blank=True)
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    handling = models.CharField("cách xử lý", max_length=8, choices=Handling.choices, default=Handling.HANDLE)
    # The answer's rating by the person who sent it (QĐ 766: hài lòng với việc xử lý phản ánh); NULL: not rated.
    satisfied = models.BooleanField("hài lòng với kết quả xử lý", null=True, blank=True)
    dossier_code = models.CharField("mã hồ sơ liên quan", max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["unit", "received_on"])]

    def __str__(self) -> str:
        return f"{self.citizen_name}: {self.content[:60]}"

    @property
    def channel_name(self) -> str:
        return channel_name(self.channel)

    def status(self, today: date) -> str:
        """resolved | forwarded | overdue | open."""
        if self.answered_on is not None:
            return "resolved"
        if self.forwarded_on is not None:
            return "forwarded"
        if self.deadline < today:
            return "overdue"
        return "open"

    def status_label(self, today: date) -> str:
        return STATUS_LABELS[self.status(today)]


STATUS_LABELS = {
    "resolved": "Đã giải quyết",
    "forwarded": "Đã chuyển cơ quan khác",
    "overdue": "Quá hạn",
    "open": "Đang xử lý",
}
