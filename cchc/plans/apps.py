from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = "Kế hoạch CCHC và nhiệm vụ"
