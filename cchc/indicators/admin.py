from django.contrib import admin

from cchc.indicators.models import CatalogueVersion, ComputedValue, Indicator, IndicatorValue, Period


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    """Kỳ số liệu: an administrator may correct the cut-off dates and the due date of a period."""

    list_display = ("code", "name", "kind", "start", "end", "due_date")
    list_filter = ("kind", "year")
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "group_code", "stt", "name", "unit_label", "value_type", "rollup", "source", "retired_in")
    list_filter = ("group_code", "source", "value_type", "in_appendix")
    search_fields = ("code", "name")

    def has_add_permission(self, request) -> bool:  # the catalogue file is the only way in
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "indicator", "value", "entered_by_label", "entered_at")
    list_filter = ("period",)
    search_fields = ("unit__code", "indicator__code")
    readonly_fields = ("unit", "period", "indicator", "value", "note", "entered_by", "entered_by_label", "entered_at")

    def has_add_permission(self, request) -> bool:  # entries go through services.enter_value (scope, audit)
        return False


admin.site.register(CatalogueVersion)
admin.site.register(ComputedValue)
