from django.contrib import admin, messages

from cchc.surveys import devices
from cchc.surveys.models import Answer, KioskDevice, QuestionSetChoice, Rating


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "option"]
    can_delete = False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["dossier_code", "unit", "channel", "overall", "satisfied", "verified", "rated_at"]
    list_filter = ["channel", "satisfied", "verified", "question_set"]
    search_fields = ["dossier_code"]
    date_hierarchy = "rated_at"
    inlines = [AnswerInline]
    # A citizen's rating is evidence: nobody edits it afterwards.
    readonly_fields = [f.name for f in Rating._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(QuestionSetChoice)
class QuestionSetChoiceAdmin(admin.ModelAdmin):
    list_display = ["unit", "set_code", "valid_from", "chosen_by", "chosen_at"]
    search_fields = ["unit__code", "unit__name"]


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    """Đăng ký màn hình đánh giá: saving a new device shows its one-time address to open on the tablet."""

    list_display = ["name", "unit", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "unit__code", "unit__name"]
    fields = ["unit", "name", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["created_by", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["unit"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        device, token = devices.register_device(request.user, obj.unit, obj.name)
        obj.pk = device.pk
        obj.token_hash = device.token_hash
        messages.warning(
            request,
            f"Mở địa chỉ sau MỘT LẦN trên máy tính bảng (không lưu lại nơi khác): "
            f"{request.build_absolute_uri(devices.registration_path(device, token))}",
        )

    @admin.action(description="Thu hồi màn hình đã chọn")
    def revoke(self, request, queryset) -> None:
        for device in queryset.filter(revoked_at__isnull=True):
            devices.revoke_device(request.user, device)
