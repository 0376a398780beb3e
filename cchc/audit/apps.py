from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Nhật ký thay đổi for people: the page and the API over core's ``AuditEvent`` rows. Its own app (not
    core) because reading the trail needs the users' scope (accounts) and the units (org), which core never
    imports."""

    name = "cchc.audit"
    label = "audit"
    verbose_name = "Nhật ký thay đổi"

    def ready(self) -> None:
        from cchc.audit.views import router
        from cchc.core import registry

        registry.register_api_router("/audit", router)
