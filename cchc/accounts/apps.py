from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # this module also holds the Vietnamese django-axes config
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
        from cchc.accounts.todo import setup_items

        registry.register_todo(setup_items)
        from cchc.accounts.org_api import router  # the org tree API, scoped (org imports nothing of accounts)

        registry.register_api_router("/org", router)


class AxesVietnameseConfig(AxesAppConfig):
    """django-axes (login throttling) under a Vietnamese heading in the administration pages; its model and
    field labels come from cchc/locale/vi (the package ships no Vietnamese catalogue)."""

    verbose_name = "Chống dò mật khẩu (khóa đăng nhập)"
