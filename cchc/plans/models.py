from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from cchc.plans.areas import area_name


class PlanKind(models.TextChoices):
    """Loại kế hoạch. Only the yearly CCHC plan counts in the plan's indicators (tasks planned, done); a
    remediation plan after the PAR index is tracked the same way but never counted there."""

    CCHC = "cchc", "Kế hoạch CCHC năm"
    PAR_REMEDIATION = "khac_phuc_chi_so", "Kế hoạch khắc phục Chỉ số CCHC"


class Plan(models.Model):
    """Kế hoạch cải cách hành chính năm của một đơn vị (ví dụ Kế hoạch số 05/KH-UBND ngày 21/01/2021)."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="cchc_plans", verbose_name="đơn vị")
    kind = models.CharField("loại kế hoạch", max_length=20, choices=PlanKind.choices, default=PlanKind.CCHC)
    source_ref = models.CharField(
        "nguồn",
        max_length=60,
        blank=True,
        help_text="Bản ghi sinh ra kế hoạch này, ví dụ parindex:12 (kế hoạch khắc phục)",
    )
    year = models.PositiveSmallIntegerField("năm kế hoạch")
    symbol = models.CharField("số, ký hiệu", max_length=50, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ["-year", "unit__code", "symbol"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "symbol"], name="plans_one_symbol_per_year")]

    def __str__(self) -> str:
        head = f"Kế hoạch số {self.symbol}" if self.symbol else "Kế hoạch"
        return f"{head} — CCHC năm {self.year}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua_thuc_hien", "Chưa thực hiện"
    IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"


class PlanTask(models.Model):
    """Nhiệm vụ của kế hoạch; a task with children is a nhiệm vụ, a task without children a phần việc.

    Codes are outline numbers: ``2`` is a task, ``2.1`` and ``2.2`` its sub-tasks. Progress counts the
    leaves only (the 28 phần việc of a plan with 07 nhiệm vụ), so a parent's own status is never counted.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField("số thứ tự", max_length=20)
    position = models.PositiveBigIntegerField(default=0)  # outline order, up to 4 levels of 999 (services._position)
    area = models.CharField("lĩnh vực", max_length=40)
    title = models.CharField("nội dung", max_length=1000)
    responsible = models.CharField("người, bộ phận thực hiện", max_length=300, blank=True)
    deadline = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    evidence = models.TextField("kết quả, minh chứng", blank=True)
    assigned_by_higher = models.BooleanField("nhiệm vụ cấp trên giao", default=False)
    assigned_by = models.CharField("văn bản giao nhiệm vụ", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "nhiệm vụ kế hoạch CCHC"
        verbose_name_plural = "nhiệm vụ kế hoạch CCHC"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plans_task_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def owner_unit(self):
        """The unit that owns this record (used by evidence links)."""
        return self.plan.unit

    @property
    def area_name(self) -> str:
        return area_name(self.area)

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    def is_overdue(self, today: date) -> bool:
        """Quá hạn: not done and its deadline has passed."""
        return not self.is_done and self.deadline is not None and self.deadline < today

    @property
    def timeliness(self) -> str:
        """Đúng hạn / quá hạn / chưa hoàn thành, for tasks assigned by the level above."""
        if not self.is_done:
            return "not_done"
        if self.deadline is None or (self.completed_on is not None and self.completed_on <= self.deadline):
            return "on_time"
        return "late"
