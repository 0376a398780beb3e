"""Intake of an incomplete dossier: never a code and form 01 without the clerk deciding (form 02, form 03, or
receiving with a recorded reason)."""

import io

import pytest
from docx import Document

from cchc.core.models import AuditEvent
from cchc.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
URL = "/ho-so/tiep-nhan/"


def _post(client, proc, ticked, **extra):
    data = {"procedure": proc.pk, "channel": "truc_tiep", "applicant_name": "Trần Thị Mai", "sets": 1, **extra}
    data.update({f"giay_{p.pk}": "1" for p in ticked})
    return client.post(URL, data)


@pytest.fixture
def proc(catalogue):
    proc = catalogue["1.009994"]  # giấy phép xây dựng nhà ở riêng lẻ: three papers
    assert proc.papers.count() >= 2
    return proc


def test_all_papers_receive_at_once(client, clerk, proc):
    client.force_login(clerk)
    assert _post(client, proc, proc.papers.all()).status_code == 302
    d = Dossier.objects.get()
    assert d.papers.count() == proc.papers.count() and "missing" not in d.events.get().data


def test_missing_paper_asks_and_saves_nothing(client, clerk, proc):
    client.force_login(clerk)
    missing = proc.papers.last()
    page = _post(client, proc, proc.papers.exclude(pk=missing.pk)).content.decode()
    assert Dossier.objects.count() == 0
    assert "Hồ sơ còn thiếu 1 giấy tờ" in page and missing.name in page
    assert "In phiếu hướng dẫn bổ sung (mẫu 02)" in page and "In phiếu từ chối tiếp nhận (mẫu 03)" in page
    assert 'id="missing-guide" autofocus' in page


def test_refusal_slip_needs_a_reason_and_is_recorded(client, clerk, proc):
    client.force_login(clerk)
    page = _post(client, proc, [], quyet_dinh="03").content.decode()
    assert (
        "Cần ghi lý do từ chối tiếp nhận hồ sơ." in page
        and not AuditEvent.objects.filter(verb="dossiers.counter_refusal").exists()
    )
    response = _post(client, proc, [], quyet_dinh="03", ly_do_tu_choi="Thửa đất không thuộc địa bàn xã")
    assert response["Content-Disposition"].startswith('attachment; filename="phieu-tu-choi-')
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Thửa đất không thuộc địa bàn xã" in text
    assert "Trần Thị Mai" in text and "{{" not in text
    assert Dossier.objects.count() == 0
    event = AuditEvent.objects.get(verb="dossiers.counter_refusal")
    assert (
        event.data["reason"] == "Thửa đất không thuộc địa bàn xã" and len(event.data["missing"]) == proc.papers.count()
    )


def test_receiving_anyway_records_the_reason(client, clerk, proc):
    client.force_login(clerk)
    brought = proc.papers.first()
    page = _post(client, proc, [brought], quyet_dinh="van_nhan").content.decode()
    assert "cần ghi lý do vẫn tiếp nhận" in page and Dossier.objects.count() == 0
    response = _post(client, proc, [brought], quyet_dinh="van_nhan", ly_do_van_nhan="Bổ sung bản vẽ trong ngày")
    assert response.status_code == 302
    event = Dossier.objects.get().events.get()
    assert event.data["missing_reason"] == "Bổ sung bản vẽ trong ngày"
    assert event.data["missing"] == [p.name for p in proc.papers.exclude(pk=brought.pk)]
