from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    label = "reports"
    verbose_name = "Báo cáo CCHC định kỳ"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.reports.demo import run_demo

        registry.register_nav(registry.NavEntry("Báo cáo CCHC", "reports:index", order=50))
        registry.register_demo(registry.DemoStep("Báo cáo CCHC", run_demo, order=60))
        from cchc.reports.todo import report_items

        registry.register_todo(report_items)
        from cchc.reports.todo_signoff import approved_items

        registry.register_todo(approved_items)
        from cchc.reports import jobs  # noqa: F401  (registers the PDF job kind)
        from cchc.reports.services import register_approval_kind

        register_approval_kind()
