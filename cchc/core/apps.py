from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from cchc.core import checks, registry

        assert checks  # imported for its @register: the secret-key check
        from django.contrib.auth.signals import user_login_failed

        from cchc.core.security import count_failed_login

        user_login_failed.connect(count_failed_login, dispatch_uid="cchc-login-account-cap")
        from django.db.models.signals import pre_save

        from cchc.core.audit import snapshot_before_save

        pre_save.connect(snapshot_before_save, dispatch_uid="cchc-audit-before")

        registry.register_nav(registry.NavEntry("Việc cần làm", "core:home", order=0, desk=True))
