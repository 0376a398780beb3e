"""Issue 13 item 8: role and unit changes made in the admin reach the audit trail with old and new values."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import admin

from cchc.accounts.admin import CchcUserAdmin
from cchc.accounts.models import Role, User
from cchc.core.models import AuditEvent


def test_role_change_in_the_admin_is_audited_with_old_and_new(rf, demo_org, make_user):
    boss = make_user("quantri", Role.SYSTEM_ADMIN, None)
    user = make_user("canbo.x", Role.COMMUNE_OFFICER, demo_org["000.16.21.H42"])
    old_unit = user.unit_id
    user.role, user.unit = Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]
    request = rf.post("/admin/")
    request.user = boss
    CchcUserAdmin(User, admin.site).save_model(request, user, SimpleNamespace(changed_data=["role", "unit"]), True)
    row = AuditEvent.objects.get(verb="accounts.user_changed")
    assert row.actor == boss and row.object_id == str(user.pk)
    assert row.data["changes"]["role"] == {"old": Role.COMMUNE_OFFICER, "new": Role.PROVINCE_REVIEWER}
    assert row.data["changes"]["unit_id"] == {"old": old_unit, "new": demo_org["000.00.01.H42"].pk}
    assert "is_active" not in row.data["changes"]
