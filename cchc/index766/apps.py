from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_shipped(sender, using="default", **kwargs) -> None:
    """After migrate (and after a test flush): the shipped formula files not yet loaded, so reading never
    writes them."""
    from cchc.index766.formulas import ensure_shipped

    if using != "default":
        return
    ensure_shipped()


def _sees_index(user) -> bool:
    """The menu entry: one-stop clerks, leaders, commune officers and reviewers."""
    return getattr(user, "role", "") in ("one_stop_clerk", "leader", "commune_officer") or getattr(
        user, "is_reviewer", False
    )


class Index766Config(AppConfig):
    name = "cchc.index766"
    label = "index766"
    verbose_name = "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"

    def ready(self) -> None:
        from cchc.core import registry

        post_migrate.connect(_load_shipped, sender=self, dispatch_uid="index766-shipped-formulas")
        from cchc.index766 import jobs  # noqa: F401  (registers the snapshot job kind)
        from cchc.index766.api import router

        registry.register_api_router("/index766", router)
        from cchc.index766.home import stake_panel

        registry.register_nav(
            registry.NavEntry("Chỉ số phục vụ (766)", "index766:unit", order=46, desk=True, visible=_sees_index)
        )
        registry.register_home_panel(stake_panel)
