"""The signed-PDF upload and the signature check pass through the one upload guard (cchc.core.uploads)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.accounts.models import Role, User
from cchc.core.uploads import UploadKind, UploadRefused, check_upload


def test_a_renamed_file_is_not_a_pdf():
    with pytest.raises(UploadRefused, match="không phải là PDF hợp lệ"):
        check_upload(b"PK\x03\x04 a docx renamed", "bao-cao-da-ky.pdf", UploadKind.DOCUMENT)
    # The header may follow a little junk (ISO 32000-1 allows it within the first 1.024 bytes).
    check_upload(b"\n\n%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "bao-cao-da-ky.pdf", UploadKind.DOCUMENT)


@pytest.fixture
def client_in(client, db):
    user = User.objects.create_user(
        "kiemtra", password="x-Khong-quan-trong-1", role=Role.SYSTEM_ADMIN, must_change_password=False
    )
    client.force_login(user)
    return client


def _verify(client, name: str, data: bytes):
    return client.post(reverse("documents:verify"), {"tep": SimpleUploadedFile(name, data)}, follow=True)


def test_verify_page_refuses_a_renamed_file_in_vietnamese(client_in):
    page = _verify(client_in, "van-ban.pdf", b"MZ\x90\x00 not a pdf at all").content.decode()
    assert "không phải là PDF hợp lệ" in page
    assert "van-ban.pdf" not in page.split("không phải là PDF")[0][-200:]  # the message names no path


def test_verify_page_applies_the_document_size_cap(client_in, settings):
    settings.CCHC_UPLOAD_MAX_MB_DOCUMENT = 1
    page = _verify(client_in, "lon.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)).content.decode()
    assert "CCHC_UPLOAD_MAX_MB_DOCUMENT" in page


def test_verify_page_reads_a_real_pdf_past_the_guard(client_in):
    page = _verify(client_in, "chua-ky.pdf", b"%PDF-1.7 garbage").content.decode()
    assert "không phải là PDF hợp lệ" not in page
    assert "Không đọc được tệp PDF" in page  # reached pyHanko, which reports the broken file
