"""A demonstration certification authority for ``make run`` and the tests.

In production the certificates come from BSrE (BSSN) and this module is not used. For a demo the city needs a
root it trusts and one certificate per official, so that signing and validation run end to end without any
outside service. Keys are ECDSA P-256 (fast to generate for a few hundred officials); each official's key and
certificate are packed in a PKCS#12 archive encrypted with their passphrase, which is never stored.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT_FILE = "demo-ca.pem"
CA_KEY_FILE = "demo-ca-key.pem"
CA_VALID_DAYS = 3650
# An official's certificate lasts two years, like a BSrE certificate (to confirm per issuance policy).
OFFICIAL_VALID_DAYS = 730


@dataclass(frozen=True)
class DemoCA:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class IssuedCertificate:
    pkcs12: bytes
    subject: str
    serial: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def create_ca(*, organization: str, now: dt.datetime | None = None) -> DemoCA:
    """A self-signed root that may only sign certificates (path length 0)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("Pamong Demo Root CA (bukan untuk produksi)", organization)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=CA_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return DemoCA(cert, key)


def issue_official(
    ca: DemoCA, *, common_name: str, organization: str, passphrase: str, nik: str = "",
    now: dt.datetime | None = None, valid_days: int = OFFICIAL_VALID_DAYS,
) -> IssuedCertificate:
    """A signing certificate for one official (non-repudiation, as PAdES validators expect), packed with its
    key and the CA certificate in a PKCS#12 archive encrypted with ``passphrase``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                  x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                  x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if nik:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, nik))
    not_before = now - dt.timedelta(minutes=5)
    not_after = now + dt.timedelta(days=valid_days)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes)).issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    archive = pkcs12.serialize_key_and_certificates(
        name=common_name.encode("utf-8"), key=key, cert=cert, cas=[ca.certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    return IssuedCertificate(
        pkcs12=archive, subject=cert.subject.rfc4514_string(), serial=format(cert.serial_number, "x"),
        issuer=cert.issuer.rfc4514_string(), not_before=not_before, not_after=not_after,
    )


def save_ca(ca: DemoCA, folder: Path) -> None:
    """Write the root certificate (public, a trust root) and its key (readable by the owner only)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CA_CERT_FILE).write_bytes(ca.pem)
    key_path = folder / CA_KEY_FILE
    key_path.write_bytes(ca.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
    key_path.chmod(0o600)


def load_ca(folder: Path) -> DemoCA | None:
    cert_path, key_path = folder / CA_CERT_FILE, folder / CA_KEY_FILE
    if not (cert_path.is_file() and key_path.is_file()):
        return None
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return DemoCA(cert, key)


def load_or_create_ca(folder: Path, *, organization: str) -> DemoCA:
    ca = load_ca(folder)
    if ca is None:
        ca = create_ca(organization=organization)
        save_ca(ca, folder)
    return ca
