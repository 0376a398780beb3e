from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cchc.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.feedback import indicators  # noqa: F401  (registers the compute functions)
        from cchc.feedback.demo import run_demo
        from cchc.feedback.todo import feedback_items

        registry.register_nav(registry.NavEntry("Phản ánh, kiến nghị", "feedback:index", order=37))
        registry.register_todo(feedback_items)
        registry.register_demo(registry.DemoStep("Phản ánh, kiến nghị", run_demo, order=50))
