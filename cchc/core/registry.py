"""Where apps plug into the shell: navigation entries and the home page's to-do items.

Each app registers in its ``AppConfig.ready``; the shell never imports an app by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int = 50
    visible: Callable[[Any], bool] = lambda user: True
    # Shown to a one-stop clerk (whose work is the desk: dossiers, intake, ratings); every other entry is
    # left out of the clerk's menu, so the desk does not open modules it never fills.
    desk: bool = False


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
_desk_todo_providers: set[TodoProvider] = set()


def register_nav(entry: NavEntry) -> None:
    if entry not in _nav:
        _nav.append(entry)


def nav_entries(user: Any) -> list[NavEntry]:
    desk_only = getattr(user, "works_at_desk", False)
    return sorted((e for e in _nav if e.visible(user) and (e.desk or not desk_only)), key=lambda e: e.order)


@dataclass(frozen=True)
class HomeRow:
    """One line of a home-page panel: a count and where its list is."""

    label: str
    count: int | None
    url: str = ""
    severity: str = "info"  # danger | warning | info: how the count is coloured
    detail: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page contributed by an app (the desk's day, the kiosk's ratings…)."""

    title: str
    rows: list[HomeRow]
    order: int = 50
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) actions under the rows


HomePanelProvider = Callable[[Any, Any], "HomePanel | None"]
_home_panels: list[HomePanelProvider] = []


def register_home_panel(provider: HomePanelProvider) -> HomePanelProvider:
    if provider not in _home_panels:
        _home_panels.append(provider)
    return provider


def home_panels(user: Any, unit: Any) -> list[HomePanel]:
    panels = [p for p in (provider(user, unit) for provider in _home_panels) if p is not None]
    return sorted(panels, key=lambda p: p.order)


def register_todo(provider: TodoProvider, *, desk: bool = False) -> TodoProvider:
    """``desk``: also asked for a one-stop clerk's home page (the others speak of the commune's plans,
    reports and index, which the desk does not handle)."""
    if provider not in _todo_providers:
        _todo_providers.append(provider)
    if desk:
        _desk_todo_providers.add(provider)
    return provider


_SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}


def todo_items(user: Any, unit: Any) -> list[TodoItem]:
    desk_only = getattr(user, "works_at_desk", False)
    providers = [p for p in _todo_providers if p in _desk_todo_providers or not desk_only]
    items = [item for provider in providers for item in provider(user, unit)]
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


# ---- uploaded import files -------------------------------------------------------------------------
@dataclass(frozen=True)
class UploadFolder:
    """A folder under MEDIA_ROOT holding uploaded import files only (``cchc purge-uploads`` empties it past
    the retention). ``model`` ("app_label.Model") has one row per upload: ``path_field`` names the file (blanked
    when the file goes; the row stays) and ``created_field`` its time (files of recent rows are kept)."""

    folder: str
    model: str
    path_field: str = "file_path"
    created_field: str = "created_at"


_upload_folders: list[UploadFolder] = []


def register_upload_folder(folder: UploadFolder) -> None:
    """Call from AppConfig.ready() of the app that stores the uploads."""
    if folder not in _upload_folders:
        _upload_folders.append(folder)


def upload_folders() -> list[UploadFolder]:
    return list(_upload_folders)


# ---- JSON API -----------------------------------------------------------------------------------------
_api_routers: list[tuple[str, Any]] = []


def register_api_router(prefix: str, router: Any) -> None:
    """Mount a django-ninja Router at /api/<prefix>. Call from AppConfig.ready()."""
    if all(p != prefix for p, _ in _api_routers):
        _api_routers.append((prefix, router))


def api_routers() -> list[tuple[str, Any]]:
    return list(_api_routers)
