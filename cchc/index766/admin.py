from django.contrib import admin

from cchc.index766.models import FormulaVersion, Result


class _ReadOnly(admin.ModelAdmin):
    """Shown, never edited here: a version comes in by ``cchc index766 load-formulas`` (checked as a whole),
    a result by ``cchc index766 snapshot``; editing a row would rewrite what a past period was scored with."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FormulaVersion)
class FormulaVersionAdmin(_ReadOnly):
    list_display = ("code", "name", "valid_from", "valid_to", "file_name", "loaded_by_label", "loaded_at")
    search_fields = ("code", "name")


@admin.register(Result)
class ResultAdmin(_ReadOnly):
    list_display = ("unit", "start", "end", "version", "total", "computed_at", "computed_by_label")
    list_filter = ("version", "end")
    search_fields = ("unit__code", "unit__name")
