"""Warm a web process before it takes its first request.

Django imports the URLconf and its views on the first request and compiles each template the first time it
renders, and the product reads its shipped data files (report outlines, the indicator catalogue, the law of
working days…) the first time a page needs them: on a fresh process the first report page took 280–410 ms
against 60–75 ms after — on a server just started, and on every process gunicorn recycles after
``max_requests``. ``cchc serve`` loads the application in gunicorn's
master (``preload_app``) and calls :func:`warm` there, so each web process is forked ready, recycled ones too.

Nothing here touches the database or the cache: a connection opened in the master would be shared by every
forked process.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

from cchc.core.loading import read_shipped_files

log = logging.getLogger("cchc.runtime")
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def warm() -> dict[str, int]:
    """Import every view, read the shipped data files and compile every template; returns what it did."""
    get_resolver().url_patterns  # noqa: B018 - importing the URLconf imports every view module
    data_files = read_shipped_files()  # the report outlines and the catalogue: 0,6 s on the first report page
    translation.activate("vi")  # loads the message catalogues once, here rather than in each process
    translation.deactivate()
    compiled = 0
    for engine in engines.all():
        for name in _template_names(engine):
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError) as exc:  # a page that fails fails when used
                log.debug("template not warmed: %s (%s)", name, exc)
                continue
            compiled += 1
    return {"data_files": data_files, "templates": compiled}


def _template_names(engine) -> list[str]:
    """The names the engine's loaders would find: each template directory's files, below the directory."""
    names: set[str] = set()
    for folder in engine.template_dirs:
        root = Path(folder)
        if root.is_dir():
            names.update(p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in TEMPLATE_SUFFIXES)
    return sorted(names)
