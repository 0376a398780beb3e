from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "cchc.news"
    label = "news"
    verbose_name = "Tin, bài tuyên truyền"
