"""Job kinds of the product as a whole (the apps register their own in their ``ready()``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cchc.jobs import kinds
from cchc.jobs.kinds import Progress
from cchc.jobs.models import Job

DEMO = "core.demo"


@kinds.register(DEMO, max_attempts=2, atomic=False)
def load_demo(job: Job, progress: Progress) -> dict[str, Any]:
    """Dữ liệu trình diễn (`cchc demo --background`): each app's step in its own transaction, as the command
    runs them; the steps are idempotent, so a killed run is simply run again."""
    from cchc.core.registry import demo_steps

    steps = demo_steps()
    lines: list[str] = []
    for k, step in enumerate(steps):
        progress(round(100 * k / max(len(steps), 1)), step.name)
        lines.append(f"— {step.name}")
        with transaction.atomic():
            step.run(lambda line: lines.append("  " + line))
    return {"summary": f"Dữ liệu trình diễn đã sẵn sàng ({len(steps)} phần).", "lines": lines}
