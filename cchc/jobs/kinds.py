"""Loại công việc (job kinds): each app registers the function that does one kind of long work.

A handler takes the job row and a ``progress(pct, stage)`` callable, does its work, and returns a small
JSON-able dict (``summary`` is shown as the last stage). It raises ``ImportRejected`` for bad input (the job
ends "Dữ liệu bị từ chối" with the errors listed) and anything else for a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from cchc.jobs.models import Job


class Progress(Protocol):
    def __call__(self, pct: int, stage: str) -> None: ...


Handler = Callable[["Job", Progress], dict[str, Any] | None]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    # A worker killed mid-way: the job runs again until it has started this many times, then fails.
    max_attempts: int = 2
    # True when the handler writes in one transaction: a killed run left nothing half written.
    atomic: bool = True
    # Shown under the progress bar when the job is over (context: job, result).
    result_template: str = ""


_KINDS: dict[str, JobKind] = {}


def register(
    name: str, *, max_attempts: int = 2, atomic: bool = True, result_template: str = ""
) -> Callable[[Handler], Handler]:
    """``@register("dossiers.import")`` on a handler, in a module the app imports in ``ready()``."""

    def deco(fn: Handler) -> Handler:
        _KINDS[name] = JobKind(name, fn, max_attempts, atomic, result_template)
        return fn

    return deco


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"Không có loại công việc “{name}”.") from None


def names() -> list[str]:
    return sorted(_KINDS)
