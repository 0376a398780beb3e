"""Phiếu đánh giá sự hài lòng và bộ câu hỏi đơn vị chọn.

A rating refers to its dossier by CODE (``<unit code>-YYMMDD-NNNN``), not by a foreign key: ratings
are given on a counter tablet that may be offline, and postal/online dossiers are rated through a
public link; the dossier app checks existence through ``selectors.dossier_status``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    KIOSK = "kiosk", "Màn hình tại Bộ phận Một cửa"
    LINK = "link", "Đường dẫn trên giấy tiếp nhận"


class QuestionSetChoice(models.Model):
    """Bộ câu hỏi đơn vị dùng từ một ngày (đến ngày trước lựa chọn kế tiếp).

    The set itself lives in ``cchc/data/surveys/questions.yaml``; this row only says which set a unit
    uses over which dates, so "questions per unit and period" are data an officer chooses.
    """

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="survey_question_sets"
    )
    set_code = models.CharField("mã bộ câu hỏi", max_length=40)
    valid_from = models.DateField("dùng từ ngày")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chọn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_at = models.DateTimeField("thời điểm chọn", auto_now_add=True)

    class Meta:
        ordering = ["unit", "-valid_from"]
        verbose_name = "bộ câu hỏi của đơn vị"
        verbose_name_plural = "bộ câu hỏi của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="surveys_one_set_per_unit_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.set_code} từ {self.valid_from:%d/%m/%Y}"


class Rating(models.Model):
    """Phiếu đánh giá mức độ hài lòng của người dân, tổ chức đối với một hồ sơ (một phiếu một hồ sơ)."""

    dossier_code = models.CharField("mã hồ sơ", max_length=80)
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="đơn vị của hồ sơ",
        on_delete=models.PROTECT,
        related_name="survey_ratings",
        help_text="Đơn vị có mã ở đầu mã hồ sơ",
    )
    kiosk_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="nơi đánh giá",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Đơn vị đặt màn hình đánh giá (trống khi đánh giá qua đường dẫn)",
    )
    client_id = models.UUIDField("mã phiếu của thiết bị", help_text="Do trình duyệt tạo; gửi lại không tạo phiếu mới")
    channel = models.CharField("hình thức", max_length=10, choices=Channel.choices)
    question_set = models.CharField("bộ câu hỏi", max_length=40)
    overall = models.CharField("mức hài lòng chung", max_length=40)
    satisfied = models.BooleanField("hài lòng", help_text="Rất hài lòng hoặc hài lòng ở câu hỏi chung")
    comment = models.TextField("ý kiến khác", blank=True, max_length=1000)
    rated_at = models.DateTimeField("thời điểm đánh giá", help_text="Giờ trên thiết bị khi người dân bấm gửi")
    rated_on = models.DateField("ngày đánh giá", db_index=True, help_text="Ngày (giờ Việt Nam) dùng để tính theo kỳ")
    received_at = models.DateTimeField("thời điểm máy chủ nhận", auto_now_add=True)
    verified = models.BooleanField(
        "được tính vào số liệu",
        default=True,
        help_text="Phiếu từ màn hình đã đăng ký, từ đường dẫn ký số, hoặc của hồ sơ đã có trong hệ thống. Phiếu "
        "gửi ẩn danh cho mã hồ sơ chưa có được giữ riêng và chỉ được tính khi hồ sơ đó có trong hệ thống.",
    )

    class Meta:
        ordering = ["-rated_at"]
        verbose_name = "phiếu đánh giá"
        verbose_name_plural = "phiếu đánh giá"
        constraints = [
            # The rule "one rating per dossier" lives in the database, so that two tablets (or two app
            # servers) racing on the same code cannot both win.
            models.UniqueConstraint(fields=["dossier_code"], name="surveys_one_rating_per_dossier"),
            models.UniqueConstraint(fields=["client_id"], name="surveys_rating_client_id_unique"),
            models.CheckConstraint(condition=Q(channel__in=[c.value for c in Channel]), name="surveys_rating_channel"),
        ]
        indexes = [models.Index(fields=["unit", "rated_on"], name="surveys_rating_unit_day")]

    def __str__(self) -> str:
        return f"{self.dossier_code}: {self.overall}"


class KioskDevice(models.Model):
    """Màn hình đánh giá đã đăng ký: a tablet an administrator registered for a unit. Its token lives in the
    tablet's browser (localStorage) and is sent with every rating; only its SHA-256 is stored here, and the
    administrator revokes it (a lost or stolen tablet) from the admin pages."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name="đơn vị đặt màn hình", on_delete=models.PROTECT)
    name = models.CharField("tên thiết bị", max_length=120, help_text="Ví dụ: Máy tính bảng quầy số 1")
    token_hash = models.CharField("mã băm khóa thiết bị", max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đăng ký", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("ngày đăng ký", auto_now_add=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("lần gửi phiếu gần nhất", null=True, blank=True)

    class Meta:
        verbose_name = "màn hình đánh giá đã đăng ký"
        verbose_name_plural = "màn hình đánh giá đã đăng ký"

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Answer(models.Model):
    """Câu trả lời của một phiếu cho một câu hỏi."""

    rating = models.ForeignKey(Rating, verbose_name="phiếu", on_delete=models.CASCADE, related_name="answers")
    question = models.CharField("câu hỏi", max_length=40)
    option = models.CharField("trả lời", max_length=40)

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [models.UniqueConstraint(fields=["rating", "question"], name="surveys_one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question}={self.option}"
