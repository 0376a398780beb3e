import pytest

from cchc.indicators import registry
from cchc.indicators.catalogue import ensure_catalogue


@pytest.fixture
def catalogue(db):
    ensure_catalogue()


@pytest.fixture
def no_catalogue(db):
    """A database without the catalogue that ``migrate`` loads (tests of loading itself)."""
    from cchc.core.models import AuditEvent
    from cchc.indicators.models import CatalogueVersion, ComputedValue, Indicator

    AuditEvent.objects.filter(verb="indicators.catalogue_loaded").delete()
    ComputedValue.objects.all().delete()
    Indicator.objects.all().delete()
    CatalogueVersion.objects.all().delete()


@pytest.fixture
def computed(db):
    """Swap compute functions for a test (``fn=None`` removes one) and restore the apps' afterwards,
    with their ``keeps_records`` predicates."""
    saved: dict = {}

    def register(code, fn, keeps_records=None):
        saved.setdefault(code, (registry.get_function(code), registry.get_keeps_records(code)))
        registry.unregister_computed(code)
        if fn is not None:
            registry.register_computed(code, keeps_records=keeps_records)(fn)
        return fn

    yield register
    for code, (fn, keeps) in saved.items():
        registry.unregister_computed(code)
        if fn is not None:
            registry.register_computed(code, keeps_records=keeps)(fn)
