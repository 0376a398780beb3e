from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """Vai trò. What each role may do, and where, is in ``cchc.accounts.scope``."""

    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"
    PROVINCE_REVIEWER = "province_reviewer", "Chuyên viên Sở Nội vụ (thẩm định cấp tỉnh)"
    DISTRICT_REVIEWER = "district_reviewer", "Chuyên viên Phòng Nội vụ huyện (dữ liệu trước 7/2025)"
    COMMUNE_OFFICER = "commune_officer", "Công chức phụ trách CCHC"
    ONE_STOP_CLERK = "one_stop_clerk", "Công chức Bộ phận Một cửa"
    LEADER = "leader", "Lãnh đạo (xem, ký duyệt)"


REVIEWER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_REVIEWER, Role.DISTRICT_REVIEWER})


class User(AbstractUser):
    """Người dùng: one role, attached to one unit."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    job_title = models.CharField("chức vụ", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=30, choices=Role.choices, default=Role.COMMUNE_OFFICER)
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    must_change_password = models.BooleanField(
        "phải đổi mật khẩu", default=True, help_text="Mật khẩu do quản trị đặt phải được đổi ở lần đăng nhập đầu"
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="system_admin") | models.Q(unit__isnull=False),
                name="accounts_user_unit_required_except_admin",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()

    @property
    def works_at_desk(self) -> bool:
        """A one-stop clerk: the menu and the home page show the desk's work only."""
        return self.role == Role.ONE_STOP_CLERK

    @property
    def is_reviewer(self) -> bool:
        return self.role in REVIEWER_ROLES
