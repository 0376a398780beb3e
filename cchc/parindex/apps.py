from django.apps import AppConfig


class ParindexConfig(AppConfig):
    name = "cchc.parindex"
    label = "parindex"
    verbose_name = "Chỉ số cải cách hành chính"
