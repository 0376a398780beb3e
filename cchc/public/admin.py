from django.contrib import admin

from cchc.public.models import ServiceDesk


@admin.register(ServiceDesk)
class ServiceDeskAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "address", "phone", "published"]
    list_filter = ["published"]
    search_fields = ["name", "unit__code", "unit__name"]
    raw_id_fields = ["unit"]
