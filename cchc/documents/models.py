from django.conf import settings
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


class ApprovalState(models.TextChoices):
    """Trạng thái trình ký của một văn bản."""

    PENDING = "pending", "Chờ ký duyệt"
    APPROVED = "approved", "Đã ký duyệt"
    RETURNED = "returned", "Lãnh đạo trả lại"


class SignatureMethod(models.TextChoices):
    PKCS12 = "pkcs12", "Tệp khóa PKCS#12"
    PKCS11 = "pkcs11", "Thiết bị ký số (USB token, PKCS#11)"
    UPLOAD = "upload", "Tải lên bản PDF đã ký bằng phần mềm khác"


class Approval(models.Model):
    """Trình ký: one request to the unit's leader to approve a document (a report, a remediation plan…).

    One row per round: a document returned by the leader and sent again gets a new round, so the history
    of returns stays. The document itself lives in its own app (``object_type`` is its model label); that
    app registers an :class:`cchc.documents.approvals.ApprovalKind` saying what approving does to it."""

    object_type = models.CharField("loại văn bản", max_length=100)
    object_id = models.CharField("mã văn bản", max_length=40)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="approvals")
    title = models.CharField("tên văn bản", max_length=300)
    round = models.PositiveIntegerField("lần trình", default=1)
    state = models.CharField("trạng thái", max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING)
    requested_at = models.DateTimeField("trình lúc")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_label = models.CharField("người trình", max_length=150)
    request_note = models.TextField("ý kiến của người trình", blank=True)
    decided_at = models.DateTimeField("ký duyệt / trả lại lúc", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField("lãnh đạo", max_length=150, blank=True)
    decided_by_title = models.CharField("chức vụ", max_length=150, blank=True)
    decision_comment = models.TextField("ý kiến của lãnh đạo", blank=True)
    pdf_to_sign = models.BinaryField(
        "bản PDF chuẩn bị để ký", null=True, blank=True, help_text="Tạo bằng công việc chạy nền khi lãnh đạo ký duyệt"
    )
    signed_pdf = models.BinaryField("bản PDF đã ký số", null=True, blank=True)
    signed_pdf_name = models.CharField("tên tệp đã ký", max_length=200, blank=True)
    signed_at = models.DateTimeField("ký số lúc", null=True, blank=True)
    signed_by_label = models.CharField("người ký số (theo chứng thư)", max_length=300, blank=True)
    signature_method = models.CharField("cách ký", max_length=10, choices=SignatureMethod.choices, blank=True)
    signature_check = models.JSONField("kết quả kiểm tra chữ ký khi ký hoặc tải lên", default=dict, blank=True)
    lock_version = models.PositiveIntegerField("phiên bản", default=0)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "trình ký văn bản"
        verbose_name_plural = "trình ký văn bản"
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id", "round"], name="documents_one_approval_round"),
        ]
        indexes = [models.Index(fields=["state", "unit"], name="documents_approval_pending")]

    def __str__(self) -> str:
        return f"{self.title} — lần trình {self.round}: {self.get_state_display()}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class TrustedRoot(models.Model):
    """Chứng thư gốc được tin cậy: a root (or intermediate) CA certificate, PEM, that an administrator
    configured; a signature is "trusted" when its certificate chains to an active one (e.g. the root of
    Ban Cơ yếu Chính phủ's CA for state bodies, or of a licensed public CA)."""

    name = models.CharField("tên", max_length=200)
    pem = models.TextField("chứng thư (PEM)")
    subject = models.CharField("chủ thể", max_length=500, blank=True, editable=False)
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=100, unique=True, editable=False)
    valid_to = models.DateTimeField("hết hạn", null=True, blank=True, editable=False)
    active = models.BooleanField("đang dùng", default=True)
    added_at = models.DateTimeField("thêm lúc", auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "chứng thư gốc tin cậy"
        verbose_name_plural = "chứng thư gốc tin cậy"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from cchc.documents.signing import cert_name, load_certificates

        try:
            certs = load_certificates(self.pem.strip().encode())
        except Exception as exc:  # asn1crypto raises ValueError/TypeError on a broken certificate
            raise ValidationError({"pem": f"Không đọc được chứng thư PEM: {exc}"}) from exc
        if len(certs) != 1:
            raise ValidationError({"pem": "Mỗi dòng chứa đúng một chứng thư (-----BEGIN CERTIFICATE-----)."})
        cert = certs[0]
        self.subject = cert_name(cert)[:500]
        self.fingerprint = cert.sha256_fingerprint.replace(" ", "")
        twin = TrustedRoot.objects.filter(fingerprint=self.fingerprint).exclude(pk=self.pk).first()
        if twin is not None:
            raise ValidationError({"pem": f"Chứng thư này đã có trong danh sách (“{twin.name}”)."})
        self.valid_to = cert.not_valid_after
