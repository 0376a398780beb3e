from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = "Kế hoạch CCHC và nhiệm vụ"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.plans import fillers, indicators  # noqa: F401  (register report fillers and compute functions)
        from cchc.plans.demo import run_demo
        from cchc.plans.parindex_link import connect
        from cchc.plans.todo import plan_items

        connect()  # remediation rows of the PAR index tracked as plan tasks (and back)

        registry.register_nav(registry.NavEntry("Kế hoạch CCHC", "plans:index", order=20))
        registry.register_todo(plan_items)
        registry.register_demo(registry.DemoStep("Kế hoạch CCHC", run_demo, order=50))
