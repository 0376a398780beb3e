"""Issue 12 item 7: a typed actor — a user or a named SystemActor; None never means every unit."""

from __future__ import annotations

import pytest

from cchc.accounts import scope
from cchc.accounts.actors import DEMO, SystemActor
from cchc.accounts.scope import Action
from cchc.core.importing import ImportRejected
from cchc.core.models import AuditEvent

CSV = "ma_ho_so,don_vi,ma_thu_tuc,kenh,ngay_tiep_nhan\nX-1,000.16.21.H42,1.004873,truc_tiep,05/01/2026 08:00\n"


def test_system_actor_reaches_every_unit_none_reaches_nothing(demo_org):
    assert scope.unit_ids(SystemActor("cchc dossiers import"), Action.EDIT) is None
    assert scope.unit_ids(None, Action.EDIT) == frozenset()
    assert not scope.can(None, Action.VIEW, demo_org["000.16.21.H42"])
    with pytest.raises(ValueError):
        SystemActor("  ")


def test_an_import_without_an_actor_writes_nothing(catalogue, demo_org):
    """Before: ``actor=None`` (or anything not logged in) imported into every unit."""
    from cchc.dossiers.importing import import_dossiers

    with pytest.raises(ImportRejected) as exc:
        import_dossiers("hs.csv", actor=None, content=CSV.encode())
    assert "không có quyền" in str(exc.value.errors[0])
    result = import_dossiers("hs.csv", actor=DEMO, content=CSV.encode())
    assert result.created == 1
    row = AuditEvent.objects.get(verb="dossiers.import")
    assert row.actor is None and row.actor_label == "cchc demo"  # recorded as the system actor it is


def test_a_plain_string_is_refused(demo_org):
    """A name typed where a user was meant never opens every unit: a TypeError naming the fix."""
    with pytest.raises(TypeError, match=r"SystemActor\('cchc something'\)"):
        scope.unit_ids("cchc something", Action.EDIT)
    with pytest.raises(TypeError):
        scope.can("cchc org load", Action.VIEW, demo_org["000.16.21.H42"])
