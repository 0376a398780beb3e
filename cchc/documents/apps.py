from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cchc.documents"
    label = "documents"
    verbose_name = "Văn bản theo Nghị định 30"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.documents.todo import approval_items, signs

        registry.register_nav(registry.NavEntry("Chờ ký duyệt", "documents:pending", order=15, visible=signs))
        registry.register_todo(approval_items)
        from cchc.documents import jobs  # noqa: F401  (registers the job kind)
