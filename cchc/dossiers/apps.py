from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.dossiers import demo, indicators, jobs, selectors  # noqa: F401  (indicators, jobs register on import)

        registry.register_nav(registry.NavEntry("Hồ sơ TTHC", "dossiers:list", order=10, desk=True))
        registry.register_nav(
            registry.NavEntry(
                "Tiếp nhận hồ sơ",
                "dossiers:intake",
                order=5,
                desk=True,
                visible=lambda u: getattr(u, "works_at_desk", False),
            )
        )
        registry.register_todo(selectors.todo_items, desk=True)
        registry.register_home_panel(selectors.desk_panel)
        registry.register_demo(registry.DemoStep("Hồ sơ thủ tục hành chính", demo.run, order=40))
        # After the public page's live dossiers (order 90): the demo month's other dossiers get their records.
        registry.register_demo(registry.DemoStep("Hồ sơ minh họa: số hóa, thanh toán", demo.fill_records, order=95))
        registry.register_upload_folder(registry.UploadFolder("dossier_imports", "dossiers.ImportJob"))
