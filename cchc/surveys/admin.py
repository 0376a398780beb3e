from django.contrib import admin

from cchc.surveys.models import Answer, QuestionSetChoice, Rating


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "option"]
    can_delete = False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["dossier_code", "unit", "channel", "overall", "satisfied", "rated_at"]
    list_filter = ["channel", "satisfied", "question_set"]
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
