"""Chỉ tiêu thống kê, kỳ báo cáo và số liệu theo (đơn vị, kỳ, chỉ tiêu) có nguồn gốc.

The catalogue lives in ``cchc/data/indicators/catalogue.yaml``; ``Indicator`` rows are its loaded
form. Codes are permanent: a later catalogue version updates names and adds codes, never deletes one
(it marks it retired), so every stored value keeps pointing at what it meant.
"""

from __future__ import annotations

import re
from enum import StrEnum

from django.conf import settings
from django.db import models


class ValueType(models.TextChoices):
    INTEGER = "integer", "Số nguyên"
    DECIMAL = "decimal", "Số thập phân"
    PERCENT = "percent", "Tỷ lệ phần trăm"
    BOOLEAN = "boolean", "Có/Không"
    ENUM = "enum", "Lựa chọn"


class Rollup(models.TextChoices):
    """Cách cộng dồn lên đơn vị cấp trên."""

    SUM = "sum", "Cộng"
    RATIO = "ratio", "Tỷ lệ của các tổng"
    ANY = "any", "Có nếu một đơn vị có"
    ALL = "all", "Có nếu mọi đơn vị có"
    NONE = "none", "Không cộng dồn"


class Source(models.TextChoices):
    ENTERED = "entered", "Nhập tay"
    COMPUTED = "computed", "Tính từ dữ liệu nghiệp vụ"
    RATIO = "ratio", "Tính từ các thành phần"
    HEADING = "heading", "Dòng tiêu đề"


class ValueSource(StrEnum):
    """Nguồn của một số liệu khi đọc (``selectors.ValueWithProvenance.source``; not stored): its own entry or
    computation, a roll-up of the units below, a sum of parts, a ratio, a submitted report's frozen figure,
    none (missing), or a heading row that takes no figure."""

    ENTERED = "entered"
    COMPUTED = "computed"
    ROLLUP = "rollup"
    SUM = "sum"
    RATIO = "ratio"
    FROZEN = "frozen"
    MISSING = "missing"
    HEADING = "heading"


class Counts(models.TextChoices):
    """Số liệu của đơn vị tính trên những bản ghi nào."""

    OWN = "own", "Của riêng đơn vị (kể cả bộ phận, phòng ban)"
    AREA = "area", "Của cả địa bàn (mọi đơn vị trực thuộc)"


class Origin(models.TextChoices):
    """Số liệu nhập tay đến từ đâu (nguồn gốc in trong báo cáo)."""

    PAGE = "page", "Nhập tay"
    FILE = "file", "Nhập từ tệp"
    API = "api", "Nhập qua API"
    SYSTEM = "system", "Nhập bởi hệ thống"


class CatalogueVersion(models.Model):
    """Một phiên bản danh mục đã nạp (giữ nguyên nội dung để đối chiếu về sau)."""

    version = models.PositiveIntegerField("phiên bản", unique=True)
    title = models.CharField("tên", max_length=300, blank=True)
    checksum = models.CharField("mã băm nội dung", max_length=64)
    content = models.JSONField("nội dung")
    loaded_at = models.DateTimeField("nạp lúc", auto_now_add=True)
    loaded_by = models.CharField("người nạp", max_length=150, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = "phiên bản danh mục chỉ tiêu"
        verbose_name_plural = "phiên bản danh mục chỉ tiêu"

    def __str__(self) -> str:
        return f"Danh mục chỉ tiêu phiên bản {self.version}"


class Indicator(models.Model):
    """Chỉ tiêu thống kê (một dòng của phụ lục thống kê, hoặc thành phần của một tỷ lệ)."""

    code = models.CharField("mã", max_length=100, unique=True)
    name = models.CharField("tên chỉ tiêu", max_length=500)
    group_code = models.CharField("nhóm", max_length=10)
    group_name = models.CharField("tên nhóm", max_length=300)
    position = models.PositiveIntegerField("thứ tự")
    stt = models.CharField("STT", max_length=10, blank=True)
    unit_label = models.CharField("đơn vị tính", max_length=100, blank=True)
    printed_unit = models.CharField(
        "đơn vị tính in", max_length=100, null=True, blank=True, help_text="Khi bản gốc in khác đơn vị tính (để trống)"
    )
    value_type = models.CharField("kiểu số liệu", max_length=10, choices=ValueType.choices, blank=True)
    rollup = models.CharField("cộng dồn", max_length=10, choices=Rollup.choices, default=Rollup.NONE)
    source = models.CharField("nguồn", max_length=10, choices=Source.choices)
    function = models.CharField("hàm tính", max_length=100, blank=True)
    counts = models.CharField(
        "phạm vi số liệu",
        max_length=10,
        choices=Counts.choices,
        default=Counts.AREA,
        help_text="own: bản ghi của chính đơn vị và các bộ phận của nó; area: của mọi đơn vị trên địa bàn",
    )
    numerator = models.JSONField("tử số", default=list, blank=True)
    denominator = models.CharField("mẫu số", max_length=100, blank=True)
    sum_of = models.JSONField("tổng của", default=list, blank=True)
    choices = models.JSONField("các lựa chọn", default=dict, blank=True)
    in_appendix = models.BooleanField("in trong phụ lục", default=True)
    introduced_in = models.PositiveIntegerField("có từ phiên bản")
    retired_in = models.PositiveIntegerField("bỏ từ phiên bản", null=True, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def ordered_choices(self) -> list[tuple[str, str]]:
        """The choices in the order the unit label prints them ("Có = 1 Không = 0"): PostgreSQL's jsonb
        does not keep the order of a stored dict's keys."""
        order = {key: n for n, key in enumerate(_printed_order(self.unit_label))}
        return sorted((self.choices or {}).items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))

    @property
    def is_heading(self) -> bool:
        return self.source == Source.HEADING

    @property
    def is_entered(self) -> bool:
        return self.source == Source.ENTERED

    @property
    def shown_unit(self) -> str:
        """Đơn vị tính như in trong phụ lục."""
        return self.unit_label if self.printed_unit is None else self.printed_unit


class Period(models.Model):
    """Kỳ số liệu: kỳ báo cáo CCHC (2021-Q1, 2021-6T, 2021-Q3, 2021-NAM) hoặc tháng, quý dương lịch."""

    code = models.CharField("mã kỳ", max_length=20, unique=True)
    kind = models.CharField("loại kỳ", max_length=30)
    name = models.CharField("tên kỳ", max_length=100)
    year = models.PositiveIntegerField("năm")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    due_date = models.DateField("hạn gửi báo cáo", null=True, blank=True)

    class Meta:
        ordering = ["start", "end", "code"]
        verbose_name = "kỳ số liệu"
        verbose_name_plural = "kỳ số liệu"
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="indicators_period_interval"),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day) -> bool:
        return self.start <= day <= self.end


class IndicatorValue(models.Model):
    """Số liệu nhập tay của một đơn vị cho một chỉ tiêu trong một kỳ (ai nhập, lúc nào, ghi chú)."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="indicator_values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField("số liệu", max_digits=20, decimal_places=4)
    note = models.TextField("ghi chú", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_label = models.CharField("người nhập", max_length=150)
    entered_at = models.DateTimeField("nhập lúc", auto_now=True)
    origin = models.CharField("nhập từ", max_length=10, choices=Origin.choices, default=Origin.PAGE)
    origin_name = models.CharField(
        "tên tệp hoặc nguồn", max_length=255, blank=True, help_text="Tên tệp đã nhập, hoặc tên khóa API"
    )

    class Meta:
        verbose_name = "số liệu nhập tay"
        verbose_name_plural = "số liệu nhập tay"
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "indicator"], name="indicators_one_value"),
        ]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period.code} {self.indicator.code} = {self.value}"

    @property
    def origin_text(self) -> str:
        """ "Nhập tay", "Nhập từ tệp so_lieu.xlsx", "Nhập qua API (Hệ thống một cửa)"."""
        label = Origin(self.origin).label if self.origin in Origin.values else Origin.PAGE.label
        if not self.origin_name:
            return label
        return f"{label} {self.origin_name}" if self.origin == Origin.FILE else f"{label} ({self.origin_name})"


class ComputedValue(models.Model):
    """Số liệu tính từ dữ liệu nghiệp vụ, giữ lại để đọc nhanh; ``stale`` khi có ghi mới làm nó cũ."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField("số liệu", max_digits=20, decimal_places=4, null=True)
    function = models.CharField("hàm tính", max_length=100)
    inputs = models.JSONField("đầu vào", default=dict)
    computed_at = models.DateTimeField("tính lúc")
    stale = models.BooleanField("cần tính lại", default=False)
    # The data versions of the units it counted when its reading began (``versions.Snapshot.stamp``): the
    # row is read again only while they are still current ("": kept before stamps; never read again).
    stamp = models.CharField("dấu phiên bản dữ liệu", max_length=40, default="", blank=True)

    class Meta:
        verbose_name = "số liệu tính toán"
        verbose_name_plural = "số liệu tính toán"
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "indicator"], name="indicators_one_computed"),
        ]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_id} {self.indicator_id} = {self.value} ({self.function})"


class DataVersion(models.Model):
    """Phiên bản dữ liệu: how many times the records of one unit dated in one year have changed.

    Bumped in the writer's own transaction (``services.mark_stale*``), so it commits with the records; the
    computed figures' cache is keyed by it (``versions``). ``scope`` is a unit id, or 0 (with year 0) for a
    write that changes the figures of every unit (a one-stop desk published)."""

    scope = models.IntegerField("đơn vị (0: mọi đơn vị)")
    year = models.IntegerField("năm của ngày dữ liệu đổi")
    version = models.BigIntegerField("phiên bản", default=0)

    class Meta:
        verbose_name = "phiên bản dữ liệu"
        verbose_name_plural = "phiên bản dữ liệu"
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="indicators_one_data_version")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.year} v{self.version}"


_CHOICE_RE = re.compile(r"\s*(.+?)\s*=\s*(\d+)")


def parse_choices(unit_label: str) -> dict[str, str]:
    """ "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2" → {"0": "Trực tuyến", "1": "Phát phiếu", "2": "Kết hợp"}.
    Here, not in the catalogue loader, because the model reads it and the loader imports the models."""
    return {value: label.strip() for label, value in _CHOICE_RE.findall(unit_label)}


def _printed_order(unit_label: str) -> list[str]:
    return list(parse_choices(unit_label or ""))
