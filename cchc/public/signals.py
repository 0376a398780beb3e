"""Publishing or withdrawing a desk changes the published-progress indicator of every period."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cchc.public.models import ServiceDesk


@receiver(post_save, sender=ServiceDesk, dispatch_uid="public.desk_saved")
@receiver(post_delete, sender=ServiceDesk, dispatch_uid="public.desk_deleted")
def desk_changed(sender: type, instance: ServiceDesk, **kwargs: Any) -> None:
    from cchc.indicators.services import mark_stale_functions
    from cchc.public.indicators import FUNCTIONS

    mark_stale_functions(*FUNCTIONS)
