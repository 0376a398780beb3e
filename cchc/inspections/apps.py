from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "cchc.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra CCHC"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.inspections import indicators  # noqa: F401  (registers the compute functions)
        from cchc.inspections.demo import run_demo

        registry.register_nav(registry.NavEntry("Kiểm tra CCHC", "inspections:index", order=35))
        registry.register_demo(registry.DemoStep("Kiểm tra CCHC", run_demo, order=50))
