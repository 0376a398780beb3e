"""Ghi Bộ chỉ số QĐ 766: the snapshot of a closed period (``Result``), so that past results keep their version."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.audit import Verb
from cchc.index766 import selectors
from cchc.index766.formulas import version_for
from cchc.index766.models import Result
from cchc.org.models import OrgUnit


@transaction.atomic
def snapshot(units: list[OrgUnit], start: date, end: date, *, actor: Any) -> list[Result]:
    """Chốt kết quả: compute live (with the version valid on ``end``) and store each unit's figures,
    replacing an earlier snapshot of the same range. Only a closed range (ended before today)."""
    if end >= timezone.localdate():
        raise ValueError("Chỉ chốt kết quả của kỳ đã kết thúc.")
    from cchc.accounts import scope

    for unit in units:
        scope.require(actor, scope.Action.REVIEW, unit)
    version = version_for(end)
    if version is None:
        raise selectors.NoFormula(f"Chưa có phiên bản công thức áp dụng cho ngày {end:%d/%m/%Y}.")
    ranked = selectors.index_for_units(units, start, end, actor=actor, as_of=end, live=True)
    saved: list[Result] = []
    now = timezone.now()
    label = actor.get_username() if hasattr(actor, "get_username") else str(actor)
    for _rank, result in ranked:
        row, _ = Result.objects.update_or_create(
            unit=result.unit,
            start=start,
            end=end,
            defaults={
                "version": version,
                "total": result.total,
                "figures": result.as_dict(),
                "computed_at": now,
                "computed_by_label": label[:150],
            },
        )
        saved.append(row)
    audit.record(
        actor,
        Verb.INDEX766_SNAPSHOT,
        saved[0] if saved else ("index766.result", ""),
        data={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "units": [u.code for u in units],
            "version": version.code,
        },
    )
    return saved
