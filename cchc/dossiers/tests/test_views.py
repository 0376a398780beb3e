"""The screens answer, in Vietnamese, within scope."""

import pytest
from django.utils import timezone

from cchc.dossiers.importer import import_dossiers
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.test_import import rows_1000, to_csv

pytestmark = pytest.mark.django_db


def test_pages_render_for_the_clerk(catalogue, clerk, client):
    import_dossiers("hs.csv", actor="test", content=to_csv(rows_1000()))
    client.force_login(clerk)
    own = Dossier.objects.filter(unit__code="000.16.21.H42").first()
    for url in [
        "/ho-so/",
        "/ho-so/?tre=tre",
        "/ho-so/tre-han-chua-xin-loi/",
        "/ho-so/tiep-nhan/",
        "/ho-so/thu-tuc/",
        "/ho-so/thu-tuc/?q=khai+sinh",
        f"/ho-so/{own.pk}/",
        "/ho-so/nap/",
        "/ho-so/thong-ke/?don_vi=000.16.21.H42&tu=01/01/2024&den=31/12/2024",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/ho-so/tiep-nhan/thu-tuc/?q=khai sinh").content.decode()
    assert "Thủ tục đăng ký khai sinh" in page
    data = client.get("/ho-so/thong-ke.json?don_vi=000.16.21.H42&tu=2024-01-01&den=2024-12-31").json()
    assert data["received"] == 333 and data["unit"] == "000.16.21.H42"


def test_intake_form_receives_a_dossier(catalogue, clerk, client):
    client.force_login(clerk)
    proc = catalogue["1.004873"]
    response = client.post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": proc.pk,
            "channel": "truc_tiep",
            "applicant_name": "Lê Văn Cường",
            "sets": 1,
            f"giay_{proc.papers.first().pk}": "1",
        },
    )
    d = Dossier.objects.get()
    assert response.status_code == 302 and d.unit.code == "000.16.21.H42"
    assert d.code.startswith("000.16.21.H42-") and d.papers.count() == 1 and d.due_on > d.received_on
    assert d.received_on == timezone.localdate() and d.events.get().user == clerk
