from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    label = "reports"
    verbose_name = "Báo cáo CCHC định kỳ"
