from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cchc.accounts"
    label = "accounts"
    verbose_name = "Người dùng và phân quyền"

    def ready(self) -> None:
        from cchc.accounts.demo import create_demo_users
        from cchc.core import registry

        registry.register_nav(
            registry.NavEntry("Quản trị", "admin:index", order=100, visible=lambda user: user.is_staff)
        )
        registry.register_demo(registry.DemoStep("Người dùng", create_demo_users, order=20))
