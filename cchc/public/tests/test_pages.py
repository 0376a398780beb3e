"""The shell of the public pages: no login, the unit chooser, merged and unpublished units."""

import pytest

from cchc.public.models import ServiceDesk
from cchc.public.tests.conftest import DEMO_COMMUNE, MERGED_AWAY

pytestmark = pytest.mark.django_db


def test_index_lists_published_desks_without_login(client, desk, demo_org):
    ServiceDesk.objects.create(unit=demo_org["000.00.62.H42"], name="Hidden", address="x", published=False)
    page = client.get("/cong-khai/").content.decode()
    assert "Xã Sơn Tây" in page and "Trụ sở UBND xã Sơn Tây" in page
    assert "Hidden" not in page


def test_index_leaves_out_units_merged_away(client, demo_org):
    ServiceDesk.objects.create(unit=demo_org[MERGED_AWAY], name="Một cửa cũ", address="Trụ sở cũ")
    assert "Trụ sở cũ" not in client.get("/cong-khai/").content.decode()


def test_unpublished_unit_looks_like_no_unit(client, demo_org):
    assert client.get(f"/cong-khai/{DEMO_COMMUNE}/thu-tuc/").status_code == 404
    assert client.get("/cong-khai/khong-co/thu-tuc/").status_code == 404


def test_code_of_a_merged_commune_leads_to_its_successor(client, demo_org):
    response = client.get(f"/cong-khai/{MERGED_AWAY}/thu-tuc/")
    assert response.status_code == 301
    assert response["Location"] == "/cong-khai/000.00.62.H42/thu-tuc/"
