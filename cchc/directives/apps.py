from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "cchc.directives"
    label = "directives"
    verbose_name = "Văn bản chỉ đạo, điều hành"
