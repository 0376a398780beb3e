"""A dossier's forms, downloaded from its page: filled from the dossier, in the ND 30 layout."""

import io

import pytest
from docx import Document

from cchc.dossiers.models import EventKind
from cchc.dossiers.services import transition
from cchc.dossiers.tests.test_lifecycle import _receive, at

pytestmark = pytest.mark.django_db
SON_TAY = "000.16.21.H42"


def _docx_text(response) -> str:
    doc = Document(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts), doc


def test_receipt_and_apology_forms_carry_the_dossiers_facts(catalogue, clerk, demo_org, client):
    d = _receive(clerk, demo_org[SON_TAY], catalogue["1.004873"], at(2025, 3, 10, 8, 15))
    client.force_login(clerk)
    page = client.get(f"/ho-so/{d.pk}/").content.decode()
    assert f"/ho-so/{d.pk}/mau/01/" in page and f"/ho-so/{d.pk}/mau/04/" not in page
    text, doc = _docx_text(client.get(f"/ho-so/{d.pk}/mau/01/"))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and f"Mã hồ sơ: {d.code}" in text
    assert "UBND XÃ SƠN TÂY" in text and "BỘ PHẬN MỘT CỬA" in text
    assert "Nguyễn Văn An" in text and "08 giờ 15 phút, ngày 10/03/2025" in text
    assert f"ngày {d.due_on:%d/%m/%Y}" in text
    assert len(doc.inline_shapes) == 1  # the QR code of the dossier code
    assert client.get(f"/ho-so/{d.pk}/mau/04/").status_code == 404  # no apology yet

    transition(
        clerk,
        d.pk,
        EventKind.APOLOGY,
        at=at(2025, 3, 12),
        note="Chờ xác minh nguồn gốc đất",
        new_due_on=d.due_on.replace(day=18),
    )
    text, _ = _docx_text(client.get(f"/ho-so/{d.pk}/mau/04/"))
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ SƠN TÂY" in text  # the deciding agency apologises
    assert "Chờ xác minh nguồn gốc đất" in text and "18/03/2025" in text


def test_another_communes_clerk_cannot_download_the_forms(catalogue, clerk, other_clerk, demo_org, client):
    d = _receive(clerk, demo_org[SON_TAY], catalogue["1.004873"], at(2025, 3, 10))
    client.force_login(other_clerk)
    assert client.get(f"/ho-so/{d.pk}/mau/01/").status_code == 404


def test_register_of_a_period(catalogue, clerk, demo_org, client):
    d = _receive(clerk, demo_org[SON_TAY], catalogue["1.004873"], at(2025, 3, 10))
    client.force_login(clerk)
    text, doc = _docx_text(client.get("/ho-so/so-theo-doi/?tu=01/03/2025&den=31/03/2025"))
    assert "SỔ THEO DÕI HỒ SƠ" in text and d.code in text
    assert doc.sections[0].page_width > doc.sections[0].page_height
