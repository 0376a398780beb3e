"""cchc org load-official: a real province and its communes from the official list since 1/7/2025."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.core.audit import AuditEvent
from cchc.org import selectors
from cchc.org.models import Level, OrgUnit
from cchc.org.official import REFORM_DAY, load_official

pytestmark = pytest.mark.django_db


def test_a_province_by_name_loads_its_communes_under_it_once(capsys):
    from vietnam_provinces import Ward

    call_command("org", "load-official", "--province", "ha tinh")
    province = OrgUnit.objects.get(code="42")
    wards = list(Ward.iter_by_province(42))
    assert province.name == "Tỉnh Hà Tĩnh" and province.level == Level.PROVINCE and province.valid_from == REFORM_DAY
    assert OrgUnit.objects.filter(level=Level.COMMUNE).count() == len(wards) > 50
    assert "Tỉnh Hà Tĩnh" in capsys.readouterr().out
    tree = selectors.tree_on(REFORM_DAY, province)[0]
    names = {node.unit.name for node in tree.walk()}
    assert {w.name for w in wards} <= names and len(names) == len(wards) + 1
    # Again, by code: nothing changes, no audit row is added.
    audits = AuditEvent.objects.count()
    _, again = load_official("42")
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(wards) + 1)
    assert AuditEvent.objects.count() == audits
    assert not selectors.tree_on(REFORM_DAY - timedelta(days=1), province)


def test_communes_hang_under_a_province_already_installed_under_its_agency_code(demo_org):
    from vietnam_provinces import Ward

    ha_tinh = OrgUnit.objects.get(code="000.00.00.H42")
    _, result = load_official("Tỉnh Hà Tĩnh", under_code=ha_tinh.code)
    assert result.created == len(list(Ward.iter_by_province(42))) and not OrgUnit.objects.filter(code="42").exists()
    descendants = selectors.descendants_on(ha_tinh, REFORM_DAY)
    assert (
        OrgUnit.objects.filter(level=Level.COMMUNE, code__regex=r"^\d{5}$", pk__in=[u.pk for u in descendants]).count()
        == result.created
    )


def test_unknown_or_ambiguous_provinces_and_dry_run(capsys):
    with pytest.raises(CommandError):
        call_command("org", "load-official", "--province", "Tỉnh Không Có")
    assert "Không có tỉnh, thành phố nào khớp" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("org", "load-official", "--province", "a")  # a piece of many names
    assert "khớp nhiều tỉnh" in capsys.readouterr().err
    call_command("org", "load-official", "--province", "1", "--dry-run")
    assert not OrgUnit.objects.exists()
    assert "Thành phố Hà Nội" in capsys.readouterr().out
