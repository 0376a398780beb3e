"""Chỉ số cải cách hành chính (PAR index): criteria sets, assessments, scores, evidence, remediation."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

POINTS = {"max_digits": 7, "decimal_places": 2}


class RuleType(models.TextChoices):
    MANUAL = "manual", "Chấm điểm trực tiếp"
    YES_NO = "yes_no", "Có / không"
    THRESHOLDS = "thresholds", "Theo mức"
    PROPORTIONAL = "proportional", "Theo tỷ lệ"
    DEDUCTION = "deduction", "Trừ điểm theo lần vi phạm"
    SURVEY = "survey", "Điểm điều tra xã hội học"
    BONUS = "bonus", "Điểm thưởng (ngoài 100 điểm)"
    PENALTY = "penalty", "Điểm trừ (ngoài 100 điểm)"


OUTSIDE_TOTAL = frozenset({RuleType.BONUS, RuleType.PENALTY})


class Framework(models.Model):
    """Bộ tiêu chí xác định Chỉ số CCHC: one versioned set, loaded from a YAML file and never edited in
    place once a unit has been assessed with it."""

    code = models.CharField("mã bộ tiêu chí", max_length=60, unique=True)
    name = models.CharField("tên", max_length=300)
    level = models.CharField("cấp đơn vị được đánh giá", max_length=10)
    year = models.PositiveSmallIntegerField("năm đánh giá")
    total = models.DecimalField("tổng điểm tối đa", default=Decimal(100), **POINTS)
    bands = models.JSONField("xếp loại", default=list, blank=True)
    content_hash = models.CharField("mã băm nội dung", max_length=64)
    source_file = models.CharField("tệp nguồn", max_length=300, blank=True)
    source_note = models.TextField(
        "văn bản ban hành bộ tiêu chí",
        blank=True,
        help_text="Số, ngày, cơ quan ban hành và nơi công bố của bộ tiêu chí",
    )
    groups = models.JSONField(
        "nhóm xếp hạng",
        default=dict,
        blank=True,
        help_text="{by: former_district|unit_type|list, groups: [...]}; xem docs/parindex.md",
    )
    calendar = models.JSONField(
        "lịch khắc phục",
        default=dict,
        blank=True,
        help_text="Thời hạn mặc định của các nhiệm vụ khắc phục (xem docs/parindex.md)",
    )
    # Quyết định công bố kết quả Chỉ số CCHC: entered once per set, cited by every remediation plan.
    announced_number = models.CharField("số quyết định công bố kết quả", max_length=60, blank=True)
    announced_on = models.DateField("ngày quyết định công bố", null=True, blank=True)
    announced_by = models.CharField("cơ quan ban hành quyết định công bố", max_length=200, blank=True)
    loaded_at = models.DateTimeField("nạp lúc", auto_now=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = "bộ tiêu chí Chỉ số CCHC"
        verbose_name_plural = "bộ tiêu chí Chỉ số CCHC"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def period_code(self) -> str:
        """Kỳ số liệu dùng để chấm các tiêu chí tự động: cả năm đánh giá."""
        return f"{self.year}-NAM"


class Criterion(models.Model):
    """Lĩnh vực, tiêu chí hoặc tiêu chí thành phần. Leaves carry a rule; a parent's maximum is the sum of
    its children's (bonus and penalty criteria excepted: they sit outside the 100 points)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField("mã tiêu chí", max_length=30)
    name = models.CharField("tên tiêu chí", max_length=500)
    field_code = models.CharField("lĩnh vực", max_length=30, help_text="Mã của lĩnh vực (cấp 1) chứa tiêu chí")
    depth = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    is_leaf = models.BooleanField(default=False)
    rule_type = models.CharField("cách chấm", max_length=20, choices=RuleType.choices, blank=True)
    rule = models.JSONField("quy tắc chấm", default=dict, blank=True)
    indicator = models.CharField("chỉ tiêu số liệu", max_length=100, blank=True)
    evidence_hint = models.TextField("tài liệu kiểm chứng", blank=True)
    method_text = models.TextField("phương pháp chấm (nguyên văn)", blank=True)
    responsible_hint = models.CharField("bộ phận tham mưu", max_length=200, blank=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="parindex_criterion_code")]
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def outside_total(self) -> bool:
        return self.rule_type in OUTSIDE_TOTAL


class Status(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi thẩm định"
    RETURNED = "returned", "Trả lại để giải trình"
    FINALISED = "finalised", "Đã có kết quả chính thức"


class Assessment(models.Model):
    """Hồ sơ đánh giá Chỉ số CCHC của một đơn vị theo một bộ tiêu chí."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="par_assessments")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    return_note = models.TextField("yêu cầu giải trình", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["framework", "unit"], name="parindex_assessment_unit")]
        verbose_name = "hồ sơ đánh giá Chỉ số CCHC"
        verbose_name_plural = "hồ sơ đánh giá Chỉ số CCHC"

    def __str__(self) -> str:
        return f"{self.unit} — {self.framework.code}"


class Score(models.Model):
    """Điểm một tiêu chí thành phần: số liệu kê khai, điểm tự chấm, điểm thẩm định.

    ``version`` grows on every save; a save that carries an older version is refused (two people editing
    the same criterion never silently overwrite each other)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    declared_value = models.DecimalField("số liệu kê khai", max_digits=15, decimal_places=4, null=True, blank=True)
    declared_text = models.TextField("thuyết minh số liệu", blank=True)
    explanation = models.TextField("giải trình (khi thiếu tài liệu kiểm chứng)", blank=True)
    self_score = models.DecimalField("điểm tự chấm", null=True, blank=True, **POINTS)
    appraised_score = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    comment = models.TextField("ý kiến thẩm định", blank=True)
    not_applicable = models.BooleanField("không áp dụng", default=False)
    # Snapshot of the automatic scoring at finalisation, so the official result never moves afterwards.
    computed_value = models.DecimalField(max_digits=15, decimal_places=4, null=True, blank=True)
    computed_score = models.DecimalField(null=True, blank=True, **POINTS)
    computed_note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by_label = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="parindex_score_criterion")]
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.self_score} / {self.appraised_score}"


class Evidence(models.Model):
    """Tài liệu kiểm chứng: a link (to a document in the document system, a web page) or an uploaded file."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField("tên tài liệu", max_length=300)
    url = models.URLField("đường dẫn", max_length=500, blank=True)
    file = models.FileField("tệp", upload_to="parindex/evidence/%Y/", blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"

    def __str__(self) -> str:
        return self.title


class RemediationPlan(models.Model):
    """Kế hoạch khắc phục tồn tại, hạn chế (after the official result)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="remediation_plan")
    number = models.CharField("số, ký hiệu", max_length=40, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    signer = models.CharField("người ký", max_length=150, blank=True)
    report_number = models.CharField("số báo cáo kết quả khắc phục", max_length=40, blank=True)
    report_on = models.DateField("ngày báo cáo", null=True, blank=True)
    directing = models.TextField("công tác chỉ đạo, triển khai", blank=True)
    overall = models.TextField("đánh giá chung", blank=True)
    next_measures = models.TextField("giải pháp tiếp theo", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kế hoạch khắc phục"
        verbose_name_plural = "kế hoạch khắc phục"

    def __str__(self) -> str:
        return f"Kế hoạch khắc phục {self.number or ''} — {self.assessment}"


class TaskStatus(models.TextChoices):
    TODO = "todo", "Chưa thực hiện"
    DOING = "doing", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"


class RemediationTask(models.Model):
    """Một nhiệm vụ khắc phục: one lost criterion, who fixes it, by when, what was done.

    Hook for the plans app: ``plans_task_ref`` is where a mirrored plans task id will be kept
    (see ``services.mirror_tasks_to_plans``)."""

    plan = models.ForeignKey(RemediationPlan, on_delete=models.CASCADE, related_name="tasks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    responsible = models.CharField("đơn vị, người chủ trì", max_length=300, blank=True)
    deadline = models.DateField("thời hạn", null=True, blank=True)
    deadline_text = models.CharField(
        "thời gian thực hiện (ghi chữ)", max_length=100, blank=True, help_text="Ví dụ: Hàng tháng, hàng quý"
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO)
    measure = models.TextField("giải pháp khắc phục", blank=True)
    action_taken = models.TextField("kết quả khắc phục", blank=True)
    result_evidence = models.TextField("tài liệu kiểm chứng kết quả khắc phục", blank=True)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    plans_task_ref = models.CharField(max_length=40, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [models.UniqueConstraint(fields=["plan", "criterion"], name="parindex_task_criterion")]
        verbose_name = "nhiệm vụ khắc phục"
        verbose_name_plural = "nhiệm vụ khắc phục"

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.responsible}"
