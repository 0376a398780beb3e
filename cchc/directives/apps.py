from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "cchc.directives"
    label = "directives"
    verbose_name = "Văn bản chỉ đạo, điều hành"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.directives import fillers, indicators  # noqa: F401  (register report fillers and compute functions)
        from cchc.directives.demo import run_demo

        registry.register_nav(registry.NavEntry("Văn bản chỉ đạo", "directives:index", order=25))
        registry.register_demo(registry.DemoStep("Văn bản chỉ đạo, điều hành", run_demo, order=51))
