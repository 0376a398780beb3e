from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    label = "surveys"
    verbose_name = "Khảo sát sự hài lòng"
