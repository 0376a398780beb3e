from django.apps import AppConfig


class CheckerConfig(AppConfig):
    name = "cchc.checker"
    label = "checker"
    verbose_name = "Kiểm tra báo cáo"

    def ready(self) -> None:
        from cchc.core import registry

        registry.register_nav(registry.NavEntry("Kiểm tra báo cáo", "checker:check", order=60))
