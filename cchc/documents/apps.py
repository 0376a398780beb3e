from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cchc.documents"
    label = "documents"
    verbose_name = "Văn bản theo Nghị định 30"
