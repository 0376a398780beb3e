from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cchc.accounts.models import User


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
