from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "cchc.news"
    label = "news"
    verbose_name = "Tin, bài tuyên truyền"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.news import indicators  # noqa: F401  (registers the compute functions)
        from cchc.news.demo import run_demo
        from cchc.news.todo import news_items

        registry.register_nav(registry.NavEntry("Tin, bài", "news:index", order=36))
        registry.register_todo(news_items)
        registry.register_demo(registry.DemoStep("Tin, bài", run_demo, order=50))
