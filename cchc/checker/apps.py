from django.apps import AppConfig


class CheckerConfig(AppConfig):
    name = "cchc.checker"
    label = "checker"
    verbose_name = "Kiểm tra báo cáo"
