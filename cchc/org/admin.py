from django.contrib import admin

from cchc.org.models import OrgUnit, OrgUnitParent, UnitLineage


class ParentInline(admin.TabularInline):
    model = OrgUnitParent
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ("parent",)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name")
    inlines = [ParentInline]


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ("from_unit", "kind", "to_unit", "date")
    autocomplete_fields = ("from_unit", "to_unit")
