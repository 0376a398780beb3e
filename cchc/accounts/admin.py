from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cchc.accounts.models import User
from cchc.core.audit import Verb


@admin.register(User)
class CchcUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Đơn vị và vai trò", {"fields": ("full_name", "job_title", "role", "unit", "must_change_password")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Đơn vị và vai trò", {"fields": ("full_name", "job_title", "role", "unit")}),
    )

    # What decides what a user may do: every change to it made here reaches the audit trail, old and new.
    AUDITED = ("username", "role", "unit_id", "is_active", "is_staff", "is_superuser", "full_name", "job_title")

    def save_model(self, request, obj, form, change) -> None:
        from django.db import transaction

        from cchc.core import audit

        before = dict(User.objects.filter(pk=obj.pk).values(*self.AUDITED).first() or {}) if change and obj.pk else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = {f: getattr(obj, f) for f in self.AUDITED}
            changed = {f: {"old": before.get(f), "new": after[f]} for f in self.AUDITED if before.get(f) != after[f]}
            if "password" in form.changed_data:
                changed["password"] = {"old": "…", "new": "đã đổi"}
            if changed or not change:
                verb = Verb.USER_CHANGED if change else Verb.USER_CREATED
                audit.record(request.user, verb, obj, unit=obj.unit, data={"changes": changed, "via": "admin"})

    def save_related(self, request, form, formsets, change) -> None:
        """Groups and permissions are many-to-many: compared around their own save."""
        from cchc.core import audit

        obj = form.instance
        before = {
            "groups": sorted(obj.groups.values_list("name", flat=True)) if change else [],
            "user_permissions": sorted(obj.user_permissions.values_list("codename", flat=True)) if change else [],
        }
        super().save_related(request, form, formsets, change)
        after = {
            "groups": sorted(obj.groups.values_list("name", flat=True)),
            "user_permissions": sorted(obj.user_permissions.values_list("codename", flat=True)),
        }
        changed = {k: {"old": before[k], "new": after[k]} for k in before if before[k] != after[k]}
        if changed:
            audit.record(
                request.user,
                Verb.USER_PERMISSIONS_CHANGED,
                obj,
                unit=obj.unit,
                data={"changes": changed, "via": "admin"},
            )
