from django.contrib import admin

from cchc.documents.models import Approval, TrustedRoot


@admin.register(TrustedRoot)
class TrustedRootAdmin(admin.ModelAdmin):
    """Chứng thư gốc tin cậy: paste the CA's PEM; subject, fingerprint and expiry are read from it."""

    list_display = ("name", "subject", "valid_to", "active")
    list_filter = ("active",)
    readonly_fields = ("subject", "fingerprint", "valid_to", "added_at")
    fields = ("name", "pem", "active", "subject", "fingerprint", "valid_to", "added_at")


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """Read-only: approvals change only through the sign-off pages (audited)."""

    list_display = ("title", "unit", "round", "state", "requested_by_label", "decided_by_label", "signed_at")
    list_filter = ("state",)
    exclude = ("signed_pdf",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
