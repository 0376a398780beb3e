from django.apps import AppConfig


def _demo(out) -> None:
    from cchc.public.demo import run

    run(out)


class PublicConfig(AppConfig):
    """Trang công khai cho người dân: danh mục thủ tục, tra cứu hồ sơ, kết quả giải quyết, bảng điện tử."""

    name = "cchc.public"
    label = "public"
    verbose_name = "Công khai"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.public import indicators, signals  # noqa: F401  (computed indicators, desk → stale)

        registry.register_nav(
            registry.NavEntry(
                "Trang công khai",
                "public:index",
                order=95,
                visible=lambda user: user.is_authenticated,
                desk=True,
            )
        )
        registry.register_demo(registry.DemoStep("Trang công khai", _demo, order=90))
