from django.apps import AppConfig


def _demo(out) -> None:
    from cchc.surveys.demo import run

    run(out)


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    label = "surveys"
    verbose_name = "Khảo sát sự hài lòng"

    def ready(self) -> None:
        from cchc.core import registry
        from cchc.surveys import indicators, selectors  # noqa: F401  (registers surveys.ballots, surveys.satisfied)

        registry.register_nav(
            registry.NavEntry(
                "Khảo sát hài lòng",
                "surveys:results",
                order=30,
                visible=lambda user: user.is_authenticated,
                desk=True,
            )
        )
        registry.register_home_panel(selectors.kiosk_panel)
        registry.register_demo(registry.DemoStep("Khảo sát hài lòng", _demo, order=45))
