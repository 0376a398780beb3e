"""A self-made certificate authority and keys for tests and the demo: never for real documents.

- :func:`make_ca` / :func:`make_pkcs12`: a CA and a signer's PKCS#12 file made with ``cryptography``.
- :class:`SoftToken`: a SoftHSM2 token (Debian's ``softhsm2``, a real PKCS#11 module) created with
  ``softhsm2-util``, a key pair generated *on the token* and a certificate for it issued by the CA and stored
  on the token beside the key. SoftHSM2 reads ``SOFTHSM2_CONF`` once per process, so one token directory
  serves a whole test session (tokens are told apart by label).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


def _name(common: str, org: str = "UBND xã Sơn Tây") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


@dataclass
class CA:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, public_key, common: str, org: str = "UBND xã Sơn Tây") -> x509.Certificate:
        """A signing certificate (digital signature, non-repudiation) for ``public_key``."""
        now = datetime.now(UTC)
        return (
            x509.CertificateBuilder()
            .subject_name(_name(common, org))
            .issuer_name(self.cert.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .sign(self.key, hashes.SHA256())
        )


def make_ca(common: str = "CA thử nghiệm cchc") -> CA:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    name = _name(common, "Tổ chức cấp chứng thư thử nghiệm")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=2))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CA(key, cert)


def make_pkcs12(ca: CA, common: str, password: str, org: str = "UBND xã Sơn Tây") -> bytes:
    """A signer's .p12 (key, certificate and the CA certificate), protected by ``password``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = ca.issue(key.public_key(), common, org)
    return pkcs12.serialize_key_and_certificates(
        common.encode(), key, cert, [ca.cert], serialization.BestAvailableEncryption(password.encode())
    )


@dataclass
class SoftToken:
    """A SoftHSM2 token holding a key generated on it and its certificate (same label)."""

    directory: Path
    label: str = "cchc-thu-nghiem"
    pin: str = "123456"
    so_pin: str = "12345678"
    key_label: str = "lanh-dao"
    lib: str = SOFTHSM_LIB

    def configure(self) -> None:
        """Point SoftHSM2 at ``directory`` (before the module is first loaded in this process)."""
        tokens = self.directory / "tokens"
        tokens.mkdir(parents=True, exist_ok=True)
        conf = self.directory / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
        os.environ["SOFTHSM2_CONF"] = str(conf)

    def create(self, ca: CA, common: str, org: str = "UBND xã Sơn Tây") -> x509.Certificate:
        """Initialise the token, generate the key pair on it and store the CA-issued certificate."""
        import pkcs11
        from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

        subprocess.run(
            [
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                self.label,
                "--pin",
                self.pin,
                "--so-pin",
                self.so_pin,
            ],
            check=True,
            capture_output=True,
            env=os.environ.copy(),
        )
        token = pkcs11.lib(self.lib).get_token(token_label=self.label)
        key_id = self.key_label.encode()
        with token.open(rw=True, user_pin=self.pin) as session:
            public, _ = session.generate_keypair(KeyType.RSA, 2048, label=self.key_label, id=key_id, store=True)
            numbers = rsa.RSAPublicNumbers(
                int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                int.from_bytes(public[Attribute.MODULUS], "big"),
            )
            cert = ca.issue(numbers.public_key(), common, org)
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: self.key_label,
                    Attribute.ID: key_id,
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                }
            )
        return cert
