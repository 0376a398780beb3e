from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from cchc.core import checks, registry, todo

        assert checks  # imported for its @register: the secret-key check

        registry.register_nav(registry.NavEntry("Việc cần làm", "core:home", order=0, desk=True))
        registry.register_todo(todo.setup_items)
