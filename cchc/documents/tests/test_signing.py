"""Chữ ký số PAdES: PKCS#12 and PKCS#11 (SoftHSM2) signing, verification, the visible box, the CLI."""

import json
import os
import subprocess
import sys

import pytest

from cchc.documents import signing
from cchc.documents import testing_pki as pki
from cchc.documents.models import TrustedRoot

from .fixtures import P12_PASSWORD


def _roots(ca):
    return signing.load_certificates(ca.pem)


def _one_byte_changed(data: bytes) -> bytes:
    """Change one byte inside the signed range: a digit of the page's content, far from the signature."""
    changed = bytearray(data)
    at = data.index(b"stream", len(data) // 5) + 20
    changed[at] = (changed[at] + 1) % 256
    return bytes(changed)


def test_pkcs12_signature_is_intact_and_trusted_only_with_its_ca(nd30_pdf, test_ca, p12_file):
    signed = signing.sign_pdf(
        nd30_pdf, signing.Pkcs12Key(p12_file, P12_PASSWORD), signer_name="Nguyễn Văn An", reason="Ký duyệt kế hoạch"
    )
    assert signed.signer.startswith("Nguyễn Văn An")
    trusted = signing.verify_pdf(signed.data, _roots(test_ca))
    assert trusted.valid and len(trusted.signatures) == 1
    check = trusted.signatures[0]
    assert check.intact and check.trusted and check.signer == "Nguyễn Văn An, UBND xã Sơn Tây"
    assert set(trusted.as_json()["signatures"][0]) == {"signer", "signed_at", "intact", "trusted"}
    other_ca = pki.make_ca("Một CA khác")
    untrusted = signing.verify_pdf(signed.data, _roots(other_ca)).signatures[0]
    assert untrusted.intact and not untrusted.trusted
    assert not signing.verify_pdf(signed.data, []).signatures[0].trusted  # no roots: never the system's list


def test_one_changed_byte_breaks_the_signature(nd30_pdf, test_ca, p12_file):
    signed = signing.sign_pdf(nd30_pdf, signing.Pkcs12Key(p12_file, P12_PASSWORD))
    result = signing.verify_pdf(_one_byte_changed(signed.data), _roots(test_ca))
    assert not result.valid
    assert result.error or not result.signatures[0].intact
    if result.signatures:
        assert "đã bị sửa" in result.signatures[0].intact_text


def test_wrong_password_and_not_a_pdf_are_refused(nd30_pdf, p12_file):
    with pytest.raises(signing.SigningError, match="sai mật khẩu"):
        signing.sign_pdf(nd30_pdf, signing.Pkcs12Key(p12_file, "sai-mat-khau"))
    with pytest.raises(signing.SigningError, match="không phải PDF"):
        signing.sign_pdf(b"PK\x03\x04 a docx", signing.Pkcs12Key(p12_file, P12_PASSWORD))


def test_visible_box_sits_between_the_title_and_the_name(nd30_pdf, p12_file):
    """ND 30: the signature goes under "PHÓ CHỦ TỊCH" and above the signer's name, right column."""
    page, (x0, y0, x1, y1) = signing.signature_box(nd30_pdf, "Nguyễn Văn An")
    lines = [ln for ln in signing.pdf_lines(nd30_pdf) if ln.page == page]
    title = next(ln for ln in lines if ln.text == "PHÓ CHỦ TỊCH")
    name = next(ln for ln in lines if ln.text == "Nguyễn Văn An")
    height = title.page_height
    assert height - y1 >= title.bottom and height - y0 <= name.top  # between them, in PDF coordinates
    assert x0 < (name.x0 + name.x1) / 2 < x1 and x0 > title.page_width * 0.4
    signed = signing.sign_pdf(nd30_pdf, signing.Pkcs12Key(p12_file, P12_PASSWORD), signer_name="Nguyễn Văn An")
    assert (signed.page, signed.box) == (page, (x0, y0, x1, y1))
    # the stamp is real text in the page: pdftotext reads the signer back inside the box
    stamp = [ln for ln in signing.pdf_lines(signed.data) if ln.text.startswith("Ký số bởi")]
    assert stamp and height - y1 - 1 <= stamp[0].top <= height - y0


def test_pdf_without_a_signature_block_gets_the_bottom_right_corner(nd30_pdf, p12_file, monkeypatch):
    monkeypatch.setattr(signing, "pdf_lines", lambda data: [])
    page, (_, y0, x1, _) = signing.signature_box(nd30_pdf)
    assert page == 0 and x1 > 500 and y0 < 100


def test_pkcs11_token_signs_with_a_key_that_stays_on_the_token(nd30_pdf, test_ca, soft_token):
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    key = signing.TokenKey(soft_token.lib, soft_token.label, soft_token.key_label, soft_token.pin)
    signed = signing.sign_pdf(nd30_pdf, key, signer_name="Nguyễn Văn An")
    check = signing.verify_pdf(signed.data, _roots(test_ca)).signatures[0]
    assert check.intact and check.trusted and check.signer.startswith("Hoàng Văn Dũng")
    token = pkcs11.lib(soft_token.lib).get_token(token_label=soft_token.label)
    with token.open(user_pin=soft_token.pin) as session:
        private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=soft_token.key_label)
        assert private[Attribute.SENSITIVE] and not private[Attribute.EXTRACTABLE]
    with pytest.raises(signing.SigningError, match="sai mã PIN"):
        signing.sign_pdf(nd30_pdf, signing.TokenKey(soft_token.lib, soft_token.label, soft_token.key_label, "000000"))
    with pytest.raises(signing.SigningError, match="Không mở được thiết bị"):
        signing.sign_pdf(nd30_pdf, signing.TokenKey(soft_token.lib, "khong-co", soft_token.key_label, "1"))


def test_a_second_signature_keeps_the_first_valid(nd30_pdf, test_ca, p12_file, soft_token):
    first = signing.sign_pdf(nd30_pdf, signing.Pkcs12Key(p12_file, P12_PASSWORD))
    key = signing.TokenKey(soft_token.lib, soft_token.label, soft_token.key_label, soft_token.pin)
    both = signing.verify_pdf(signing.sign_pdf(first.data, key).data, _roots(test_ca))
    assert [s.valid for s in both.signatures] == [True, True]


def test_configured_trust_roots_are_the_default(db, nd30_pdf, test_ca, p12_file):
    signed = signing.sign_pdf(nd30_pdf, signing.Pkcs12Key(p12_file, P12_PASSWORD))
    assert not signing.verify_pdf(signed.data).signatures[0].trusted
    root = TrustedRoot.objects.create(name="CA thử nghiệm", pem=test_ca.pem.decode())
    assert root.fingerprint and "CA thử nghiệm cchc" in root.subject
    assert signing.verify_pdf(signed.data).signatures[0].trusted
    root.active = False
    root.save()
    assert not signing.verify_pdf(signed.data).signatures[0].trusted
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        TrustedRoot.objects.create(name="Trùng", pem=test_ca.pem.decode())


def test_trusted_root_refuses_what_is_not_a_certificate(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Không đọc được chứng thư"):
        TrustedRoot(name="Hỏng", pem="-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----").full_clean()


def test_unsigned_and_broken_files_say_so(nd30_pdf):
    assert signing.verify_pdf(nd30_pdf, []).error == "Tệp không có chữ ký số."
    assert "Không đọc được tệp PDF" in signing.verify_pdf(b"%PDF-1.7 garbage", []).error


# ---- command line -------------------------------------------------------------------------------------
def _cchc(*args, env=None):
    run_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cchc.settings", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cchc.cli", *args], capture_output=True, text=True, env=run_env, timeout=180
    )


@pytest.fixture
def files(tmp_path, nd30_pdf, test_ca, p12_file):
    (tmp_path / "in.pdf").write_bytes(nd30_pdf)
    (tmp_path / "ca.pem").write_bytes(test_ca.pem)
    (tmp_path / "key.p12").write_bytes(p12_file)
    return tmp_path


def test_cli_sign_pkcs12_then_verify_json_and_exit_codes(files, tmp_path):
    out = files / "out.pdf"
    bad = _cchc(
        "documents",
        "sign",
        str(files / "in.pdf"),
        "--out",
        str(out),
        "--pkcs12",
        str(files / "key.p12"),
        env={"CCHC_SIGN_PASSWORD": "sai"},
    )
    assert bad.returncode != 0 and "sai mật khẩu" in bad.stderr and not out.exists()
    done = _cchc(
        "documents",
        "sign",
        str(files / "in.pdf"),
        "--out",
        str(out),
        "--pkcs12",
        str(files / "key.p12"),
        "--signer-name",
        "Nguyễn Văn An",
        env={"CCHC_SIGN_PASSWORD": P12_PASSWORD},
    )
    assert done.returncode == 0, done.stderr
    ok = _cchc("documents", "verify", str(out), "--trust", str(files / "ca.pem"), "--json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert list(data) == ["signatures"] and len(data["signatures"]) == 1
    assert set(data["signatures"][0]) == {"signer", "signed_at", "intact", "trusted"}
    assert data["signatures"][0]["intact"] is True and data["signatures"][0]["trusted"] is True
    other = tmp_path / "other.pem"
    other.write_bytes(pki.make_ca("CA khác").pem)
    untrusted = _cchc("documents", "verify", str(out), "--trust", str(other), "--json")
    assert untrusted.returncode == 1 and json.loads(untrusted.stdout)["signatures"][0]["trusted"] is False
    changed = files / "changed.pdf"
    changed.write_bytes(_one_byte_changed(out.read_bytes()))
    broken = _cchc("documents", "verify", str(changed), "--trust", str(files / "ca.pem"))
    assert broken.returncode in (1, 2) and ("đã bị sửa" in broken.stdout + broken.stderr)
    unsigned = _cchc("documents", "verify", str(files / "in.pdf"), "--json")
    assert unsigned.returncode == 2 and json.loads(unsigned.stdout) == {"signatures": []}


def test_cli_sign_with_a_pkcs11_token(files, soft_token, test_ca):
    out = files / "token.pdf"
    env = {"CCHC_SIGN_PASSWORD": soft_token.pin, "SOFTHSM2_CONF": os.environ["SOFTHSM2_CONF"]}
    done = _cchc(
        "documents",
        "sign",
        str(files / "in.pdf"),
        "--out",
        str(out),
        "--pkcs11-lib",
        soft_token.lib,
        "--token",
        soft_token.label,
        "--key-label",
        soft_token.key_label,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    check = signing.verify_pdf(out.read_bytes(), _roots(test_ca)).signatures[0]
    assert check.valid and check.signer.startswith("Hoàng Văn Dũng")
    missing = _cchc(
        "documents", "sign", str(files / "in.pdf"), "--out", str(out), "--pkcs11-lib", soft_token.lib, env=env
    )
    assert missing.returncode != 0 and "--token" in missing.stderr
