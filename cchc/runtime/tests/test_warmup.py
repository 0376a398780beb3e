"""A web process is forked warm: ``cchc serve`` imports every view, reads the shipped data files and compiles
every template in gunicorn's master, without touching the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.test.utils import CaptureQueriesContext

from cchc.core import loading
from cchc.reports import outlines
from cchc.runtime.warmup import warm


@pytest.mark.django_db
def test_warm_reads_the_shipped_files_and_compiles_the_templates_without_a_query():
    outlines._load_shipped.cache_clear()
    (cached,) = engines["django"].engine.template_loaders  # DEBUG off: Django's cached loader
    assert isinstance(cached, CachedLoader)
    cached.reset()
    with CaptureQueriesContext(connection) as queries:
        done = warm()
    assert len(queries) == 0  # a connection opened in the master would be shared by every fork
    assert "reports/detail.html" in cached.get_template_cache
    assert "dossiers/stats.html" in cached.get_template_cache
    assert done["templates"] == len(cached.get_template_cache) > 100
    assert outlines._load_shipped.cache_info().currsize == 1  # the report page's 0,6 s, read here
    assert done["data_files"] == len(loading._READ_AT_START) >= 10


def test_every_marked_reader_is_called(monkeypatch):
    calls = []
    monkeypatch.setattr(loading, "_READ_AT_START", [])
    loading.read_at_start(lambda: calls.append("a"))
    loading.read_at_start(lambda: calls.append("b"))
    assert loading.read_shipped_files() == 2 and calls == ["a", "b"]
