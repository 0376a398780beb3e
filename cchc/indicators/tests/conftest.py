import pytest

from cchc.indicators import registry
from cchc.indicators.catalogue import ensure_catalogue


@pytest.fixture
def catalogue(db):
    ensure_catalogue()


@pytest.fixture
def computed(db):
    """Swap compute functions for a test (``fn=None`` removes one) and restore the apps' afterwards."""
    saved: dict = {}

    def register(code, fn):
        saved.setdefault(code, registry.get_function(code))
        registry.unregister_computed(code)
        if fn is not None:
            registry.register_computed(code)(fn)
        return fn

    yield register
    for code, fn in saved.items():
        registry.unregister_computed(code)
        if fn is not None:
            registry.register_computed(code)(fn)
