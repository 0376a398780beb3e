"""Chốt kết quả Bộ chỉ số của cả tỉnh như một công việc nền (cchc.jobs): the province and every unit under it."""

from __future__ import annotations

from datetime import date
from typing import Any

from cchc.jobs import kinds
from cchc.jobs import services as jobs
from cchc.jobs.kinds import Progress
from cchc.jobs.models import Job
from cchc.org.models import OrgUnit

KIND = "index766.snapshot"


def units_of(province: OrgUnit, end: date) -> list[OrgUnit]:
    """The province and the units under it on the range's last day (sections left out)."""
    from cchc.org.models import Level
    from cchc.org.selectors import descendants_on

    return [u for u in descendants_on(province, end) if u.level != Level.SECTION]


def start_snapshot(actor: Any, province: OrgUnit, start: date, end: date, *, inline: bool = False) -> Job:
    label = f"Chốt Bộ chỉ số 766 {province.name} {start:%d/%m/%Y}–{end:%d/%m/%Y}"
    params = {"unit": province.pk, "from": start.isoformat(), "to": end.isoformat()}
    return jobs.enqueue(KIND, label=label, actor=actor, unit=province, params=params, inline=inline)


@kinds.register(KIND)
def run_snapshot(job: Job, progress: Progress) -> dict[str, Any]:
    from cchc.accounts.actors import SystemActor
    from cchc.index766 import services

    province = OrgUnit.objects.get(pk=job.params["unit"])
    start, end = date.fromisoformat(job.params["from"]), date.fromisoformat(job.params["to"])
    actor = job.actor or SystemActor(job.actor_label or "cchc index766")
    saved = services.snapshot(units_of(province, end), start, end, actor=actor)
    return {"summary": f"Đã chốt kết quả của {len(saved)} đơn vị.", "results": len(saved)}
