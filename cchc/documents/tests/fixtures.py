"""Pytest plugin (loaded by the root conftest): a self-made CA, a signer's PKCS#12 file and a SoftHSM2
token for the signature tests of every app and the browser walk. SoftHSM2 reads its configuration once per
process, so the token is made once per test session, here and nowhere else."""

import shutil
from datetime import date

import pytest

from cchc.documents import testing_pki as pki

P12_PASSWORD = "mat-khau-tep-khoa"


@pytest.fixture(scope="session")
def test_ca():
    return pki.make_ca()


@pytest.fixture(scope="session")
def p12_file(test_ca):
    return pki.make_pkcs12(test_ca, "Nguyễn Văn An", P12_PASSWORD)


@pytest.fixture(scope="session")
def soft_token(test_ca, tmp_path_factory):
    """A SoftHSM2 token with a key generated on it and its CA-issued certificate."""
    if shutil.which("softhsm2-util") is None:
        pytest.fail("Cần gói softhsm2 của Debian (make test cài gói này).")
    token = pki.SoftToken(tmp_path_factory.mktemp("softhsm"))
    token.configure()
    token.create(test_ca, "Hoàng Văn Dũng")
    return token


_PDF: dict[str, bytes] = {}


@pytest.fixture
def nd30_pdf(demo_org):
    """A one-page ND 30 plan signed "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH — Nguyễn Văn An" (LibreOffice, once)."""
    if "pdf" not in _PDF:
        from cchc.documents.rendering import Signature, docx_to_pdf, official_header, render_docx

        header = official_header(
            demo_org["000.13.21.H42"],
            date(2023, 3, 9),
            number="07/KH-UBND",
            title="Kế hoạch",
            summary="Khắc phục tồn tại, hạn chế Chỉ số CCHC năm 2022",
            sign=Signature(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Nguyễn Văn An"),
        )
        body = [{"kind": "text", "text": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,25%."}]
        _PDF["pdf"] = docx_to_pdf(render_docx("van-ban", {**header.as_context(), "body": body}))
    return _PDF["pdf"]
