from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cchc.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, số liệu"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.indicators.demo import enter_demo_values

        registry.register_nav(registry.NavEntry("Số liệu chỉ tiêu", "indicators:index", order=40))
        registry.register_demo(registry.DemoStep("Số liệu chỉ tiêu", enter_demo_values, order=30))
