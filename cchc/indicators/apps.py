from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cchc.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, số liệu"
