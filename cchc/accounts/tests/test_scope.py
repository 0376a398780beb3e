"""Scope: every role against units of another unit, enforced in selectors, services and views."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.accounts import scope
from cchc.accounts.actors import SystemActor
from cchc.accounts.models import Role
from cchc.accounts.scope import Action
from cchc.core.models import AuditEvent
from cchc.org.models import Level, OrgUnit, OrgUnitParent

SON_TAY, SON_TAY_ONE_STOP = "000.16.21.H42", "001.16.21.H42"
SON_LAM, NEW_SON_GIANG = "000.13.21.H42", "000.00.62.H42"
HUONG_SON, DUC_THO_TOWN, PROVINCE = "000.00.21.H42", "000.11.22.H42", "000.00.00.H42"


@pytest.fixture
def other_province(demo_org):
    """A second province with one commune, outside every demo user's scope but the administrator's."""
    province = OrgUnit.objects.create(
        code="T2", name="Tỉnh Khác", kind="Tỉnh", level=Level.PROVINCE, valid_from=date(2000, 1, 1)
    )
    commune = OrgUnit.objects.create(
        code="T2.X1", name="Xã Khác", kind="Xã", level=Level.COMMUNE, valid_from=date(2000, 1, 1)
    )
    OrgUnitParent.objects.create(unit=commune, parent=province, valid_from=date(2000, 1, 1))
    return commune


@pytest.fixture
def users(demo_org, make_user):
    return {
        Role.SYSTEM_ADMIN: make_user("admin", Role.SYSTEM_ADMIN, None),
        Role.PROVINCE_REVIEWER: make_user("snv", Role.PROVINCE_REVIEWER, demo_org["000.00.01.H42"]),
        Role.DISTRICT_REVIEWER: make_user("pnv", Role.DISTRICT_REVIEWER, demo_org["000.01.21.H42"]),
        Role.COMMUNE_OFFICER: make_user("cb", Role.COMMUNE_OFFICER, demo_org[SON_TAY]),
        Role.ONE_STOP_CLERK: make_user("mc", Role.ONE_STOP_CLERK, demo_org[SON_TAY_ONE_STOP]),
        Role.LEADER: make_user("ld", Role.LEADER, demo_org[SON_TAY]),
    }


# For each role: a unit it must see, and a unit of someone else that it must not.
OWN_AND_FOREIGN = {
    Role.PROVINCE_REVIEWER: (SON_LAM, "T2.X1"),
    Role.DISTRICT_REVIEWER: (SON_TAY, DUC_THO_TOWN),
    Role.COMMUNE_OFFICER: (SON_TAY_ONE_STOP, SON_LAM),
    Role.ONE_STOP_CLERK: (SON_TAY, SON_LAM),
    Role.LEADER: (SON_TAY, NEW_SON_GIANG),
}


@pytest.mark.parametrize("role", list(OWN_AND_FOREIGN))
def test_every_role_sees_its_units_and_gets_404_for_another_units(role, users, other_province, client):
    own_code, foreign_code = OWN_AND_FOREIGN[role]
    user = users[role]
    own, foreign = OrgUnit.objects.get(code=own_code), OrgUnit.objects.get(code=foreign_code)
    assert scope.can(user, Action.VIEW, own) and not scope.can(user, Action.VIEW, foreign)
    assert scope.access_unit(user, own.pk) == own
    with pytest.raises(Http404):
        scope.access_unit(user, foreign.pk)
    with pytest.raises(Http404):
        scope.access(AuditEvent.objects.all(), user, Action.VIEW, pk=-1)
    client.force_login(user)
    assert client.get(f"/don-vi/{own.code}/").status_code == 200
    assert client.get(f"/don-vi/{foreign.code}/").status_code == 404


def test_the_administrator_sees_every_province(users, other_province):
    admin = users[Role.SYSTEM_ADMIN]
    assert scope.unit_ids(admin, Action.EDIT) is None
    assert scope.access_unit(admin, other_province.pk) == other_province


def test_commune_scope_is_the_commune_and_its_sections(users, demo_org):
    officer = users[Role.COMMUNE_OFFICER]
    visible = {u.code for u in scope.visible_units(officer)}
    assert visible == {SON_TAY, SON_TAY_ONE_STOP}
    assert {u.code for u in scope.visible_units(users[Role.ONE_STOP_CLERK])} == visible


def test_a_merged_communes_officer_reads_its_predecessors_but_writes_only_its_own(demo_org, make_user):
    officer = make_user("sg", Role.COMMUNE_OFFICER, demo_org[NEW_SON_GIANG])
    son_lam = demo_org[SON_LAM]
    assert scope.can(officer, Action.VIEW, son_lam)
    assert not scope.can(officer, Action.EDIT, son_lam)
    assert scope.can(officer, Action.EDIT, demo_org[NEW_SON_GIANG])
    with pytest.raises(PermissionDenied):
        scope.access_unit(officer, son_lam.pk, Action.EDIT)


def test_reviewers_review_below_but_write_only_their_own(users, demo_org):
    province = users[Role.PROVINCE_REVIEWER]
    assert scope.can(province, Action.REVIEW, demo_org[SON_TAY])
    assert not scope.can(province, Action.EDIT, demo_org[SON_TAY])
    assert scope.can(province, Action.EDIT, demo_org[PROVINCE])
    district = users[Role.DISTRICT_REVIEWER]
    # The district reviewer reads the district's communes of the years before the reform…
    assert scope.can(district, Action.REVIEW, demo_org[SON_LAM])
    # …but not the communes formed after it, which never belonged to the district.
    assert not scope.can(district, Action.VIEW, demo_org[NEW_SON_GIANG])


def test_leader_signs_but_does_not_edit(users, demo_org):
    leader = users[Role.LEADER]
    assert scope.can(leader, Action.SIGN, demo_org[SON_TAY])
    assert not scope.can(leader, Action.EDIT, demo_org[SON_TAY])
    with pytest.raises(PermissionDenied):
        scope.access_unit(leader, SON_TAY, Action.EDIT)


def test_scoped_filters_querysets(users, demo_org):
    officer = users[Role.COMMUNE_OFFICER]
    qs = scope.scoped(OrgUnitParent.objects.all(), officer)
    assert {link.unit.code for link in qs} == {SON_TAY, SON_TAY_ONE_STOP}


def test_inactive_or_anonymous_users_see_nothing(users, demo_org):
    from django.contrib.auth.models import AnonymousUser

    officer = users[Role.COMMUNE_OFFICER]
    officer.is_active = False
    assert scope.unit_ids(officer, Action.VIEW) == frozenset()
    assert scope.unit_ids(AnonymousUser(), Action.VIEW) == frozenset()


def test_access_follows_a_related_unit_field(users, demo_org, make_user):
    """A record owned through a relation (an API key belongs to a user, who belongs to a unit)."""
    from cchc.api.models import ApiToken
    from cchc.api.services import create_token

    officer, leader = users[Role.COMMUNE_OFFICER], users[Role.LEADER]
    own, _ = create_token(SystemActor("test"), officer, "một cửa")
    other, _ = create_token(SystemActor("test"), make_user("sl", Role.COMMUNE_OFFICER, demo_org[SON_LAM]), "khác")
    tokens = ApiToken.objects.all()
    assert scope.access(tokens, officer, Action.EDIT, unit_field="user__unit", pk=own.pk) == own
    with pytest.raises(Http404):
        scope.access(tokens, officer, Action.EDIT, unit_field="user__unit", pk=other.pk)
    with pytest.raises(PermissionDenied):  # the leader sees the key but may not change it
        scope.access(tokens, leader, Action.EDIT, unit_field="user__unit", pk=own.pk)


def test_a_command_line_actor_is_the_console_administrator(demo_org):
    assert scope.unit_ids(SystemActor("cchc demo"), Action.EDIT) is None
    assert scope.can(SystemActor("cchc org load"), Action.EDIT, demo_org[SON_LAM])
    scope.require(SystemActor("cchc demo"), Action.ADMIN, demo_org[PROVINCE])  # does not raise
