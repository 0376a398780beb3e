"""Where apps plug into the shell: navigation entries and the home page's to-do items.

Each app registers in its ``AppConfig.ready``; the shell never imports an app by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int = 50
    visible: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True)
class TodoItem:
    """Một việc cần làm trên trang chủ."""

    title: str
    detail: str = ""
    url: str = ""
    severity: str = "info"  # danger | warning | info
    count: int | None = None


TodoProvider = Callable[[Any, Any], list[TodoItem]]

_nav: list[NavEntry] = []
_todo_providers: list[TodoProvider] = []


def register_nav(entry: NavEntry) -> None:
    if entry not in _nav:
        _nav.append(entry)


def nav_entries(user: Any) -> list[NavEntry]:
    return sorted((e for e in _nav if e.visible(user)), key=lambda e: e.order)


def register_todo(provider: TodoProvider) -> TodoProvider:
    if provider not in _todo_providers:
        _todo_providers.append(provider)
    return provider


_SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}


def todo_items(user: Any, unit: Any) -> list[TodoItem]:
    items = [item for provider in _todo_providers for item in provider(user, unit)]
    return sorted(items, key=lambda i: _SEVERITY_ORDER.get(i.severity, 3))


# ---- demo data -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoStep:
    """One app's part of `cchc demo`. ``run(out)`` must be idempotent; ``out`` is a line writer."""

    name: str
    run: Callable[[Callable[[str], None]], None]
    order: int = 50


_demo_steps: list[DemoStep] = []


def register_demo(step: DemoStep) -> None:
    if all(s.name != step.name for s in _demo_steps):
        _demo_steps.append(step)


def demo_steps() -> list[DemoStep]:
    return sorted(_demo_steps, key=lambda s: s.order)


# ---- JSON API -----------------------------------------------------------------------------------------
_api_routers: list[tuple[str, Any]] = []


def register_api_router(prefix: str, router: Any) -> None:
    """Mount a django-ninja Router at /api/<prefix>. Call from AppConfig.ready()."""
    if all(p != prefix for p, _ in _api_routers):
        _api_routers.append((prefix, router))


def api_routers() -> list[tuple[str, Any]]:
    return list(_api_routers)
