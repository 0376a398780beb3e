from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "cchc.org"
    label = "org"
    verbose_name = "Đơn vị hành chính"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.org.demo import load_demo_org

        registry.register_nav(registry.NavEntry("Cơ cấu đơn vị", "org:tree", order=90))
        registry.register_demo(registry.DemoStep("Đơn vị hành chính", load_demo_org, order=10))
        # The pages and /api/org need the user's scope: they live in accounts (org_views, org_api, org_urls).
