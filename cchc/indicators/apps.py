from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_shipped(sender, using="default", **kwargs) -> None:
    """After migrate (and after a test flush): the shipped catalogue when the database has an older one or
    none, and the rows of the periods of the usual span of years — so that reading never writes them."""
    from cchc.indicators.catalogue import ensure_catalogue
    from cchc.indicators.periods import create_periods

    if using != "default":
        return
    ensure_catalogue()
    create_periods()


class IndicatorsConfig(AppConfig):
    name = "cchc.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu, số liệu"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.indicators import jobs  # noqa: F401  (registers the import job kind)
        from cchc.indicators.demo import enter_demo_values

        registry.register_nav(registry.NavEntry("Số liệu chỉ tiêu", "indicators:index", order=40))
        registry.register_demo(registry.DemoStep("Số liệu chỉ tiêu", enter_demo_values, order=30))
        post_migrate.connect(_load_shipped, sender=self, dispatch_uid="indicators-shipped-catalogue")
        from cchc.indicators.api import router

        registry.register_api_router("/indicators", router)
