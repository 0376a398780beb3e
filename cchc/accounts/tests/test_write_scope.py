"""Issue 13 item 3: a reviewer reads below but writes only its own unit and the sections inside it; a unit
that has ended is read-only. Matrix: every role × own / own section / child / child's section / sibling /
ended units / another province, through scope, through write services and through the dossier import."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cchc.accounts import scope
from cchc.accounts.models import Role
from cchc.accounts.scope import Action
from cchc.core.importing import ImportRejected
from cchc.org.models import Level, OrgUnit, OrgUnitParent

PROVINCE, SNV = "000.00.00.H42", "000.00.01.H42"
HUONG_SON, PNV_HUONG_SON, SON_LAM = "000.00.21.H42", "000.01.21.H42", "000.13.21.H42"  # ended 30/6/2025
SON_TAY, SON_TAY_DESK, NEW_SON_GIANG = "000.16.21.H42", "001.16.21.H42", "000.00.62.H42"
OTHER = "T2.X1"
TARGETS = [PROVINCE, SNV, SON_TAY, SON_TAY_DESK, NEW_SON_GIANG, HUONG_SON, PNV_HUONG_SON, SON_LAM, OTHER]

# Where each role may write (EDIT) and sign (SIGN); everything else is refused.
EXPECTED_EDIT = {
    Role.SYSTEM_ADMIN: set(TARGETS),
    Role.PROVINCE_REVIEWER: {PROVINCE, SNV},  # not Sơn Tây's one-stop desk below it
    Role.DISTRICT_REVIEWER: set(),  # its district ended on 30/6/2025: read-only
    Role.COMMUNE_OFFICER: {SON_TAY, SON_TAY_DESK},
    Role.ONE_STOP_CLERK: {SON_TAY, SON_TAY_DESK},
    Role.LEADER: set(),
}
EXPECTED_SIGN = {
    **{r: set() for r in EXPECTED_EDIT},
    Role.SYSTEM_ADMIN: set(TARGETS),
    Role.LEADER: {SON_TAY, SON_TAY_DESK},
}


@pytest.fixture
def units(demo_org):
    province = OrgUnit.objects.create(
        code="T2", name="Tỉnh Khác", kind="Tỉnh", level=Level.PROVINCE, valid_from=date(2000, 1, 1)
    )
    commune = OrgUnit.objects.create(
        code=OTHER, name="Xã Khác", kind="Xã", level=Level.COMMUNE, valid_from=date(2000, 1, 1)
    )
    OrgUnitParent.objects.create(unit=commune, parent=province, valid_from=date(2000, 1, 1))
    return {u.code: u for u in OrgUnit.objects.filter(code__in=TARGETS)}


@pytest.fixture
def users(units, make_user):
    return {
        Role.SYSTEM_ADMIN: make_user("admin", Role.SYSTEM_ADMIN, None),
        Role.PROVINCE_REVIEWER: make_user("snv", Role.PROVINCE_REVIEWER, units[SNV]),
        Role.DISTRICT_REVIEWER: make_user("pnv", Role.DISTRICT_REVIEWER, units[PNV_HUONG_SON]),
        Role.COMMUNE_OFFICER: make_user("cb", Role.COMMUNE_OFFICER, units[SON_TAY]),
        Role.ONE_STOP_CLERK: make_user("mc", Role.ONE_STOP_CLERK, units[SON_TAY_DESK]),
        Role.LEADER: make_user("ld", Role.LEADER, units[SON_TAY]),
    }


def test_ended_units_are_ended_in_the_demo(units):
    assert all(units[c].valid_to == date(2025, 6, 30) for c in (HUONG_SON, PNV_HUONG_SON, SON_LAM))
    assert units[SON_TAY].valid_to is None and units[SON_TAY_DESK].level == Level.SECTION


@pytest.mark.parametrize("role", list(EXPECTED_EDIT))
def test_scope_matrix_write_only_own_and_live(role, users, units):
    user = users[role]
    edit = {c for c in TARGETS if scope.can(user, Action.EDIT, units[c])}
    sign = {c for c in TARGETS if scope.can(user, Action.SIGN, units[c])}
    assert (edit, sign) == (EXPECTED_EDIT[role], EXPECTED_SIGN[role])


@pytest.mark.parametrize("role", [Role.PROVINCE_REVIEWER, Role.DISTRICT_REVIEWER])
def test_reviewers_still_read_below(role, users, units):
    assert scope.can(users[role], Action.VIEW, units[SON_TAY_DESK])
    assert scope.can(users[role], Action.VIEW, units[SON_LAM])


@pytest.mark.parametrize("role", list(EXPECTED_EDIT))
def test_write_services_matrix(role, users, units):
    """Every target through real write services (news quota, feedback, directives): written exactly where
    the scope says, PermissionDenied elsewhere, and nothing saved when refused."""
    from cchc.news import services as news
    from cchc.news.models import NewsQuota

    user, written = users[role], set()
    for code in TARGETS:
        try:
            news.set_quota(user, units[code], 2026, 5)
        except PermissionDenied:
            assert not NewsQuota.objects.filter(unit=units[code], year=2026).exists()
        else:
            written.add(code)
    assert written == EXPECTED_EDIT[role]


def _dossier_csv(unit_code: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["ma_ho_so", "don_vi", "ma_thu_tuc", "kenh", "ngay_tiep_nhan"])
    w.writerow([f"{unit_code}-260105-0001", unit_code, "1.004873", "truc_tiep", "05/01/2026 08:00"])
    return buf.getvalue().encode()


def test_province_reviewer_cannot_import_the_commune_desk_dossiers(users, catalogue):
    with pytest.raises(ImportRejected) as exc:
        from cchc.dossiers.importing import import_dossiers

        import_dossiers("hs.csv", actor=users[Role.PROVINCE_REVIEWER], content=_dossier_csv(SON_TAY_DESK))
    assert "không có quyền" in str(exc.value.errors[0])
    from cchc.dossiers.importing import import_dossiers

    result = import_dossiers("hs.csv", actor=users[Role.ONE_STOP_CLERK], content=_dossier_csv(SON_TAY_DESK))
    assert result.created == 1
