from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "cchc.jobs"
    label = "jobs"
    verbose_name = "Công việc chạy nền"

    def ready(self) -> None:
        from cchc.jobs import builtin  # noqa: F401  (registers the product-wide job kinds)
