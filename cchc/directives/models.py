from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from cchc.documents.symbols import document_types

OFFICIAL_LETTER = ""  # công văn: no type code in its symbol
OFFICIAL_LETTER_NAME = "Công văn"


def type_name(code: str) -> str:
    return document_types().get(code, code) if code else OFFICIAL_LETTER_NAME


class DirectiveDocument(models.Model):
    """Văn bản chỉ đạo, điều hành CCHC của đơn vị (quyết định, kế hoạch, công văn, báo cáo…).

    The number and symbol is parsed by the Nghị định 30 parser of the documents app; type, number and
    issuing body are stored apart so that counts per type need no parsing."""

    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="directive_documents", verbose_name="đơn vị ban hành"
    )
    symbol = models.CharField("số, ký hiệu", max_length=60)
    number = models.PositiveIntegerField("số")
    type_code = models.CharField("loại văn bản", max_length=10, blank=True)
    body = models.CharField("cơ quan, đơn vị soạn thảo", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    summary = models.CharField("trích yếu", max_length=1000)
    signer = models.CharField("người ký", max_length=200, blank=True)
    file = models.FileField("tệp văn bản", upload_to="directives/%Y/", blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "văn bản chỉ đạo, điều hành"
        verbose_name_plural = "văn bản chỉ đạo, điều hành"
        ordering = ["-issued_on", "-number"]
        indexes = [models.Index(fields=["unit", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.type_name} số {self.symbol} ngày {self.issued_on:%d/%m/%Y}"

    @property
    def type_name(self) -> str:
        return type_name(self.type_code)

    @property
    def owner_unit(self):
        return self.unit


class EvidenceLink(models.Model):
    """Tài liệu kiểm chứng: a document attached as evidence to any record (a plan task, a PAR criterion,
    a report section) by content type and id, with a note on what it proves."""

    document = models.ForeignKey(DirectiveDocument, on_delete=models.CASCADE, related_name="evidence_links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    note = models.CharField("ghi chú", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "content_type", "object_id"], name="directives_one_link_per_target"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.document.symbol} → {self.content_type_id}:{self.object_id}"
