from django.apps import AppConfig


class ParindexConfig(AppConfig):
    name = "cchc.parindex"
    label = "parindex"
    verbose_name = "Chỉ số cải cách hành chính"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.parindex import (
            demo,
            jobs,  # noqa: F401  (registers the PDF job kind)
        )
        from cchc.parindex.todo import early_warning_items, remediation_items

        registry.register_nav(registry.NavEntry("Chỉ số CCHC", "parindex:index", order=45))
        registry.register_todo(early_warning_items)
        registry.register_todo(remediation_items)
        registry.register_demo(registry.DemoStep("Chỉ số CCHC", demo.run, order=70))
        from cchc.parindex.services import register_approval_kind

        register_approval_kind()
