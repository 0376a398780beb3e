"""The dossier figures reach the indicator store: the appendix reads what `cchc dossiers stats` reads."""

from decimal import Decimal

import pytest

from cchc.accounts.actors import SystemActor
from cchc.dossiers.tests.test_stats import U, small  # noqa: F401  (fixture)
from cchc.indicators.selectors import value_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("dossiers.commune.received", Decimal(6)),
        ("dossiers.commune.resolved", Decimal(4)),
        ("dossiers.commune.resolved_early", Decimal(1)),
        ("dossiers.commune.resolved_on_time", Decimal(1)),
        ("dossiers.commune.resolved_late", Decimal(2)),
        ("dossiers.commune.carried_over", Decimal(2)),
        ("dossiers.commune.on_time_rate", Decimal("50.00")),
        ("dossiers.commune.late_without_apology", Decimal(3)),
        ("postal.dossiers_received", Decimal(1)),
        ("postal.procedures_received", Decimal(1)),
    ],
)
def test_commune_figures_for_the_q1_2025_period(small, code, expected):  # noqa: F811
    value = value_of(U, "2025-Q1", code)
    assert value.value == expected, value.source_text()
    assert not value.is_missing


def test_the_district_counts_its_communes_dossiers_in_the_commune_rows(small, demo_org):  # noqa: F811
    # Before the reform Sơn Tây hung under Huyện Hương Sơn: the district's report adds up its communes.
    district = "000.00.21.H42"
    assert value_of(district, "2025-Q1", "dossiers.commune.received").value == Decimal(6)
    # The district itself received none in the product: its own line is unknown ("…"), not 0 (issue 12) —
    # and a commune has no district-level line of its own either.
    own = value_of(district, "2025-Q1", "dossiers.district.received")
    assert own.value is None and own.source == "missing" and own.detail["counts"] == "own"
    assert value_of(U, "2025-Q1", "dossiers.district.received").value is None


def test_a_dossier_received_or_moved_at_the_counter_refreshes_cached_figures(small, clerk, catalogue):  # noqa: F811
    """The indicator store caches computed values; every write of a dossier marks the periods it changes."""
    from datetime import datetime

    from django.utils import timezone

    from cchc.dossiers import services
    from cchc.dossiers.models import Dossier, EventKind, ReturnMethod

    assert value_of(U, "2025-Q1", "dossiers.commune.received").value == Decimal(6)  # now cached
    assert value_of(U, "2025-6T", "dossiers.commune.resolved").value is not None
    at = timezone.make_aware(datetime(2025, 3, 10, 9, 0))
    dossier = services.receive(
        clerk,
        unit=small,
        procedure=catalogue["1.004884"],
        applicant=services.Applicant("Lê Thị Hoa"),
        received_at=at,
    )
    assert value_of(U, "2025-Q1", "dossiers.commune.received").value == Decimal(7)
    resolved_before = value_of(U, "2025-6T", "dossiers.commune.resolved").value
    services.transition(clerk, dossier.pk, EventKind.RESULT_READY, at=at.replace(day=12))
    services.transition(
        clerk, dossier.pk, EventKind.RETURNED, at=at.replace(day=13), return_method=ReturnMethod.COUNTER
    )
    assert Dossier.objects.get(pk=dossier.pk).returned_on.day == 13
    assert value_of(U, "2025-6T", "dossiers.commune.resolved").value == resolved_before + 1


def test_an_import_refreshes_cached_figures_of_the_periods_it_touches(small, demo_org):  # noqa: F811
    from cchc.dossiers.importing import import_dossiers
    from cchc.dossiers.tests.test_import import to_csv

    assert value_of(U, "2025-Q1", "dossiers.commune.received").value == Decimal(6)  # now cached
    # S-9 was received and finished in 2024; the corrected file moves it into the period, late.
    late = ["S-9", U, "1.004884", "", "", "", "truc_tiep", "", "03/03/2025", "10/03/2025", "12/03/2025", "", ""]
    import_dossiers("them.csv", actor=SystemActor("test"), content=to_csv([late]))
    assert value_of(U, "2025-Q1", "dossiers.commune.received").value == Decimal(7)
    assert value_of(U, "2025-Q1", "dossiers.commune.resolved_late").value == Decimal(3)
