"""Thủ tục hành chính và hồ sơ một cửa.

The dossier row carries, besides what the counter enters, the few dates every figure is computed from
(received_on, due_on, closed_on, returned_on, apology_on) and its outcome, so that the import can write
it with one SQL statement per batch and the statistics never need to read the event log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cchc.org.models import OrgUnit


class Field(models.Model):
    """Lĩnh vực thủ tục hành chính (hộ tịch, chứng thực, đất đai…)."""

    code = models.CharField("mã lĩnh vực", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self) -> str:
        return self.name


class DecidingLevel(models.TextChoices):
    PROVINCE = "tinh", "Cấp tỉnh"
    DISTRICT = "huyen", "Cấp huyện"
    COMMUNE = "xa", "Cấp xã"


class TimeUnit(models.TextChoices):
    DAYS = "ngay", "Ngày làm việc"
    HOURS = "gio", "Giờ làm việc"
    SAME_DAY = "trong_ngay", "Trong ngày"


class OnlineForm(models.TextChoices):
    FULL = "toan_trinh", "Toàn trình"
    PARTIAL = "mot_phan", "Một phần"
    NONE = "", "Không"


class Procedure(models.Model):
    """Thủ tục hành chính (TTHC) trong danh mục."""

    code = models.CharField("mã thủ tục", max_length=40, unique=True, help_text="Mã trên Cổng DVC quốc gia")
    name = models.CharField("tên thủ tục", max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name="lĩnh vực")
    level = models.CharField("cấp giải quyết", max_length=10, choices=DecidingLevel.choices, default="xa")
    time_unit = models.CharField("đơn vị thời hạn", max_length=12, choices=TimeUnit.choices, default="ngay")
    time_value = models.PositiveIntegerField("thời hạn giải quyết", default=0, help_text="Số ngày hoặc số giờ làm việc")
    cutoff = models.TimeField(
        "giờ chốt tiếp nhận",
        null=True,
        blank=True,
        help_text="Nhận sau giờ này thì tính từ ngày làm việc kế tiếp (để trống: không áp dụng)",
    )
    fee = models.CharField("phí, lệ phí", max_length=300, blank=True)
    online_form = models.CharField("dịch vụ công trực tuyến", max_length=12, choices=OnlineForm.choices, blank=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    # What the QĐ 766/QĐ-TTg service-quality index reads of a procedure (cchc.index766). Every one may be
    # unknown (NULL / empty): a component with nothing known reads "no data", never 0.
    announced_in = models.CharField("quyết định công bố", max_length=120, blank=True, help_text="Số, ký hiệu")
    announced_on = models.DateField("ngày quyết định công bố", null=True, blank=True)
    basis_effective_on = models.DateField(
        "ngày văn bản quy định có hiệu lực",
        null=True,
        blank=True,
        help_text="Ngày có hiệu lực của văn bản quy phạm pháp luật quy định thủ tục",
    )
    published_on = models.DateField("ngày công khai", null=True, blank=True, help_text="Trên Cổng DVC, tại Một cửa")
    published_complete = models.BooleanField("công khai đủ nội dung", null=True, blank=True)
    has_fee = models.BooleanField("có phí, lệ phí", null=True, blank=True)
    online_payment = models.BooleanField("có thanh toán trực tuyến", null=True, blank=True)
    population_data_linked = models.BooleanField(
        "khai thác CSDL quốc gia về dân cư",
        null=True,
        blank=True,
        help_text="Thủ tục đã kết nối, khai thác dữ liệu dân cư",
    )

    class Meta:
        ordering = ["field__name", "name"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def time_label(self) -> str:
        if self.time_unit == TimeUnit.SAME_DAY:
            cut = f" (nhận trước {self.cutoff:%H:%M})" if self.cutoff else ""
            return "Trong ngày" + cut
        if self.time_unit == TimeUnit.HOURS:
            return f"{self.time_value} giờ làm việc"
        return f"{self.time_value} ngày làm việc"


class PaperKind(models.TextChoices):
    ORIGINAL = "ban_chinh", "Bản chính"
    COPY = "ban_sao", "Bản sao"
    CERTIFIED = "ban_sao_ct", "Bản sao chứng thực"


class ProcedurePaper(models.Model):
    """Thành phần hồ sơ của một thủ tục."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="papers")
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    name = models.CharField("tên giấy tờ", max_length=500)
    kind = models.CharField("loại", max_length=12, choices=PaperKind.choices, default=PaperKind.ORIGINAL)
    count = models.PositiveSmallIntegerField("số lượng", default=1)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    COUNTER = "truc_tiep", "Trực tiếp"
    ONLINE = "truc_tuyen", "Trực tuyến"
    POST = "buu_chinh", "Bưu chính công ích"


class Status(models.TextChoices):
    PROCESSING = "dang_xu_ly", "Đang giải quyết"
    SUPPLEMENT = "bo_sung", "Chờ bổ sung hồ sơ"
    SUSPENDED = "tam_dung", "Tạm dừng"
    RESULT_READY = "co_ket_qua", "Đã có kết quả, chờ trả"
    RETURNED = "da_tra", "Đã trả kết quả"
    REFUSED = "tu_choi", "Từ chối giải quyết"
    WITHDRAWN = "rut", "Công dân rút hồ sơ"
    STOPPED = "dung", "Dừng giải quyết"


OPEN_STATUSES = frozenset({Status.PROCESSING, Status.SUPPLEMENT, Status.SUSPENDED, Status.RESULT_READY})


class Outcome(models.TextChoices):
    EARLY = "som", "Trước hạn"
    ON_TIME = "dung", "Đúng hạn"
    LATE = "tre", "Quá hạn"


class ReturnMethod(models.TextChoices):
    COUNTER = "truc_tiep", "Tại Bộ phận Một cửa"
    POST = "buu_chinh", "Qua bưu chính công ích"
    ONLINE = "truc_tuyen", "Trực tuyến"


class Source(models.TextChoices):
    COUNTER = "quay", "Tiếp nhận tại phần mềm"
    IMPORT = "nhap", "Nạp từ hệ thống của tỉnh"


class Dossier(models.Model):
    """Hồ sơ thủ tục hành chính."""

    # Unique by a constraint, not ``unique=True``: on PostgreSQL the latter adds a second, text_pattern_ops
    # index for LIKE queries that nothing uses and that costs the million-row import seconds to build.
    code = models.CharField("mã hồ sơ", max_length=80)
    # The second factor of the public progress lookup, printed on receipt form 01 (and in its QR code):
    # dossier codes are sequential, so the code alone must reveal nothing. Empty: not yet issued (an
    # imported dossier gets one when its receipt is printed here).
    lookup_key = models.CharField("mã tra cứu", max_length=8, blank=True, default="")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="dossiers", verbose_name="đơn vị", db_index=False
    )  # covered by the (unit, received_on) index
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    # Copied from the procedure at receipt: a procedure moved to another field later does not rewrite history.
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    channel = models.CharField("kênh tiếp nhận", max_length=12, choices=Channel.choices, default=Channel.COUNTER)
    online_form = models.CharField("mức độ DVC trực tuyến", max_length=12, choices=OnlineForm.choices, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.PROCESSING)
    source = models.CharField("nguồn", max_length=6, choices=Source.choices, default=Source.COUNTER)

    applicant_name = models.CharField("người nộp", max_length=200, blank=True)
    applicant_id_number = models.CharField("số định danh cá nhân", max_length=20, blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=300, blank=True)
    applicant_phone = models.CharField("điện thoại", max_length=20, blank=True)
    applicant_email = models.CharField("thư điện tử", max_length=120, blank=True)
    sets = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1)
    register_line = models.PositiveIntegerField("số thứ tự trong sổ", null=True, blank=True)

    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True)
    received_on = models.DateField("ngày tiếp nhận")
    original_due_on = models.DateField("ngày hẹn trả ban đầu")
    due_at = models.DateTimeField("thời điểm hẹn trả", null=True, blank=True)
    due_on = models.DateField("ngày hẹn trả", help_text="Chỉ dời khi tạm dừng tính thời hạn (chờ bổ sung)")
    paused_days = models.PositiveIntegerField("số ngày làm việc tạm dừng", default=0)
    apology_on = models.DateField("ngày xin lỗi", null=True, blank=True)
    new_due_on = models.DateField("ngày hẹn trả mới", null=True, blank=True)
    result_ready_on = models.DateField("ngày có kết quả", null=True, blank=True)
    returned_on = models.DateField("ngày trả kết quả", null=True, blank=True)
    return_method = models.CharField("hình thức trả", max_length=12, choices=ReturnMethod.choices, blank=True)
    closed_on = models.DateField(
        "ngày kết thúc", null=True, blank=True, help_text="Trả kết quả, từ chối, rút hoặc dừng giải quyết"
    )
    outcome = models.CharField("kết quả đúng hạn", max_length=4, choices=Outcome.choices, blank=True)
    holder = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name="cơ quan đang giữ hồ sơ",
    )
    # The person the dossier was handed to (công chức chuyên môn, lãnh đạo…) inside ``holder``; empty when
    # it sits with the agency as a whole (the counter, another agency).
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index below: imported rows (no holder) cost it nothing
        verbose_name="người đang giữ hồ sơ",
    )
    # The applicant's name folded (no diacritics, lower case: cchc.core.text.fold), for searching as people
    # type: "nguyen van thu" finds "Nguyễn Văn Thu". Written by the services with the name.
    applicant_folded = models.CharField("tên người nộp (không dấu)", max_length=200, blank=True, default="")
    note = models.TextField("ghi chú", blank=True)

    # What the QĐ 766/QĐ-TTg service-quality index reads of a dossier (cchc.index766). NULL is "not known"
    # (an import without the column): components over unknown dossiers read "no data", never 0.
    supplement_requests = models.PositiveSmallIntegerField(
        "số lần yêu cầu bổ sung", null=True, blank=True, help_text="Hơn một lần thì hồ sơ tính là trễ hạn"
    )
    fee_due = models.PositiveBigIntegerField("phí, lệ phí phải nộp (đồng)", null=True, blank=True)
    paid_online = models.BooleanField("đã thanh toán trực tuyến", null=True, blank=True)
    e_result = models.BooleanField("có kết quả điện tử", null=True, blank=True)
    digitised = models.BooleanField("thành phần hồ sơ đã số hóa", null=True, blank=True)
    reused_data = models.BooleanField("tái sử dụng dữ liệu đã số hóa", null=True, blank=True)
    e_certified_copy = models.BooleanField("chứng thực bản sao điện tử", null=True, blank=True)
    stored_in_repository = models.BooleanField(
        "kết quả lưu vào Kho dữ liệu",
        null=True,
        blank=True,
        help_text="Kho quản lý dữ liệu điện tử của tổ chức, cá nhân",
    )
    vneid_authenticated = models.BooleanField("tài khoản định danh VNeID", null=True, blank=True)
    synced_to_portal = models.BooleanField("đã đồng bộ lên Cổng DVC quốc gia", null=True, blank=True)

    row_hash = models.CharField(max_length=32, blank=True, help_text="Dấu vân tay dòng nhập, để nạp lại không đổi gì")
    import_job = models.ForeignKey(
        "ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["-received_on", "-code"]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        # Few indexes on purpose: each one costs the million-row import a b-tree insert per row, and the
        # statistics read the summary table. Lists filter by unit and period; the to-dos by unit and status.
        indexes = [
            models.Index(fields=["unit", "received_on"]),
            models.Index(fields=["unit", "status", "due_on"]),
            models.Index(fields=["holder_user"], condition=Q(holder_user__isnull=False), name="dossier_holder_user"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="dossier_due_after_receipt"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class PaperReceived(models.Model):
    """Giấy tờ đã nhận trong hồ sơ (theo danh mục thành phần hồ sơ của thủ tục)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="papers")
    name = models.CharField("tên giấy tờ", max_length=500)
    kind = models.CharField("loại", max_length=12, choices=PaperKind.choices, default=PaperKind.ORIGINAL)
    count = models.PositiveSmallIntegerField("số lượng", default=1)

    class Meta:
        ordering = ["dossier", "pk"]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    RECEIVED = "tiep_nhan", "Tiếp nhận hồ sơ"
    HANDOVER = "chuyen", "Chuyển hồ sơ"
    SUPPLEMENT_REQUESTED = "yc_bo_sung", "Yêu cầu bổ sung, hoàn thiện hồ sơ"
    SUPPLEMENT_RECEIVED = "nhan_bo_sung", "Nhận hồ sơ bổ sung (dời ngày hẹn trả)"
    SUSPENDED = "tam_dung", "Tạm dừng giải quyết"
    RESUMED = "tiep_tuc", "Tiếp tục giải quyết"
    REFUSED = "tu_choi", "Từ chối giải quyết"
    WITHDRAWN = "rut", "Công dân rút hồ sơ"
    STOPPED = "dung", "Dừng giải quyết"
    APOLOGY = "xin_loi", "Xin lỗi và hẹn lại ngày trả"
    RESULT_READY = "co_ket_qua", "Có kết quả giải quyết"
    RETURNED = "tra", "Trả kết quả"
    IMPORTED = "nhap", "Nạp, cập nhật từ tệp"


class DossierEvent(models.Model):
    """Một bước trong quá trình giải quyết hồ sơ (dòng của Phiếu kiểm soát, mẫu 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("bước", max_length=14, choices=EventKind.choices)
    at = models.DateTimeField("thời điểm")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("người thực hiện", max_length=150, blank=True)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    from_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="bên giao"
    )
    to_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="bên nhận"
    )
    # A hand-over to or from a person of the unit (công chức chuyên môn, lãnh đạo) names them as well.
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người giao",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhận",
    )
    note = models.TextField("ghi chú", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "pk"]
        verbose_name = "bước xử lý hồ sơ"
        verbose_name_plural = "bước xử lý hồ sơ"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.at:%d/%m/%Y %H:%M}"


class DailySequence(models.Model):
    """Số thứ tự hồ sơ trong ngày của một đơn vị (phần NNNN của mã hồ sơ)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="dossier_sequence_unit_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class DossierStat(models.Model):
    """Bảng tổng hợp hồ sơ theo đơn vị × lĩnh vực × kênh × ngày (grain "D") và × tháng (grain "M").

    Flow columns count what happened on that day (or month); the ``*_delta`` columns are changes of a
    stock: the number of pending (overdue, overdue without apology) dossiers on day t is the sum of the
    deltas up to t. Kept current by every write path (services and import); never by a nightly job.
    """

    unit_id = models.BigIntegerField()
    field_id = models.BigIntegerField()
    channel = models.CharField(max_length=12)
    grain = models.CharField(max_length=1)
    day = models.DateField()
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    resolved_late_no_apology = models.IntegerField(default=0)
    closed_other = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    pending_delta = models.IntegerField(default=0)
    overdue_delta = models.IntegerField(default=0)
    overdue_no_apology_delta = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Day first after the grain: a period reads a range of days (its ragged edges) or of months.
            models.UniqueConstraint(fields=["grain", "day", "unit_id", "field_id", "channel"], name="dossier_stat_key"),
        ]
        # One unit's rows (a commune's report, its public results page): through the key above PostgreSQL
        # walks every unit's rows of the days asked for (30 ms for one commune of a province, 0,1 ms here).
        indexes = [models.Index(fields=["unit_id", "grain", "day"], name="dossier_stat_unit")]

    def __str__(self) -> str:
        return f"{self.grain} {self.unit_id}/{self.field_id}/{self.channel} {self.day}"


STAT_COLUMNS = (
    "received",
    "received_online",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_late_no_apology",
    "closed_other",
    "apologies",
    "pending_delta",
    "overdue_delta",
    "overdue_no_apology_delta",
)


class ImportJob(models.Model):
    """Một lần nạp tệp hồ sơ: the file and who sent it. Its status, progress, errors and figures live in the
    background job (``job``, cchc.jobs) that reads it, so that any app server shows them."""

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    file_name = models.CharField("tên tệp", max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    dry_run = models.BooleanField("chỉ kiểm tra", default=False)
    job = models.OneToOneField(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="dossier_import"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
