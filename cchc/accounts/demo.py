"""Demo users, one per role. Their password is public (README): only for the demo."""

from django.contrib.auth import get_user_model

from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.accounts.services import create_user
from cchc.org.models import OrgUnit

DEMO_PASSWORD = "cchc-demo-2026"

# username, role, unit code (None for the administrator), full name, job title
DEMO_USERS = [
    ("quantri", Role.SYSTEM_ADMIN, None, "Quản trị hệ thống", "Quản trị hệ thống"),
    ("sonoivu", Role.PROVINCE_REVIEWER, "000.00.01.H42", "Nguyễn Thị Hà", "Chuyên viên Phòng CCHC, Sở Nội vụ"),
    ("noivu.huongson", Role.DISTRICT_REVIEWER, "000.01.21.H42", "Trần Văn Bình", "Chuyên viên Phòng Nội vụ"),
    ("canbo.sontay", Role.COMMUNE_OFFICER, "000.16.21.H42", "Lê Thị Lan", "Công chức Văn phòng - Thống kê"),
    ("motcua.sontay", Role.ONE_STOP_CLERK, "001.16.21.H42", "Phan Văn Minh", "Công chức Bộ phận Một cửa"),
    ("lanhdao.sontay", Role.LEADER, "000.16.21.H42", "Hoàng Văn Dũng", "Chủ tịch UBND xã"),
    ("canbo.songiang", Role.COMMUNE_OFFICER, "000.00.62.H42", "Võ Thị Hoa", "Công chức Văn phòng - Thống kê"),
]


def create_demo_users(out) -> None:
    user_model = get_user_model()
    for username, role, unit_code, full_name, title in DEMO_USERS:
        if user_model.objects.filter(username=username).exists():
            out(f"{username}: đã có")
            continue
        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        create_user(
            actor=SystemActor("cchc demo"),
            username=username,
            role=role,
            unit=unit,
            full_name=full_name,
            job_title=title,
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
        out(f"{username} / {DEMO_PASSWORD}: {Role(role).label}{f' — {unit.name}' if unit else ''}")
