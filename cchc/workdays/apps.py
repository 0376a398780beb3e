from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_shipped_notices(sender, using="default", **kwargs) -> None:
    """After migrate (and after a test flush): the shipped notices for the years nobody loaded by hand."""
    from cchc.accounts.actors import MIGRATE
    from cchc.workdays.services import load_shipped_notices

    if using != "default":
        return
    load_shipped_notices(actor=MIGRATE)


def _demo(out) -> None:
    from cchc.accounts.actors import DEMO
    from cchc.workdays.services import load_shipped_notices

    result = load_shipped_notices(actor=DEMO)
    out(f"Lịch làm việc (thông báo nghỉ lễ có sẵn): {result.summary()}")


def _todo(user, unit) -> list:
    """From October, remind the administrator when next year's notice is not loaded yet."""
    from django.urls import reverse
    from django.utils import timezone

    from cchc.core.registry import TodoItem
    from cchc.workdays.models import Notice
    from cchc.workdays.services import can_manage

    today = timezone.localdate()
    if today.month < 10 or not can_manage(user) or Notice.objects.filter(year=today.year + 1).exists():
        return []
    return [
        TodoItem(
            title=f"Chưa nạp thông báo nghỉ lễ năm {today.year + 1}",
            detail="Hạn giải quyết hồ sơ sang năm đang tính theo Bộ luật Lao động (dự kiến). "
            "Khi có thông báo, nạp bằng lệnh cchc calendar load-notices.",
            url=reverse("workdays:year") + f"?nam={today.year + 1}",
            severity="warning",
        )
    ]


class WorkdaysConfig(AppConfig):
    name = "cchc.workdays"
    label = "workdays"
    verbose_name = "Lịch ngày làm việc"

    def ready(self) -> None:
        from cchc.core import registry

        registry.register_nav(registry.NavEntry("Lịch làm việc", "workdays:year", order=80))
        from cchc.workdays.api import router

        registry.register_api_router("/calendar", router)
        registry.register_demo(registry.DemoStep("Lịch làm việc", _demo, order=15))
        registry.register_todo(_todo)
        post_migrate.connect(_load_shipped_notices, sender=self, dispatch_uid="workdays-shipped-notices")
