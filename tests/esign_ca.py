"""A small test CA and an "e-signing service" for the e-signing tests (issue 19).

Everything is made here, offline: a root CA and one certificate per test
person, with EC P-256 keys derived from fixed numbers, so the same keys and
certificates come out on every run (the validity period is fixed too). The
signing service signs a PDF in an existing signature field the way a real
one does: pyHanko, PAdES (ETSI.CAdES.detached), one incremental update per
signature, with a visible appearance that uses no fonts (a drawn stroke), so
the signed file can still be PDF/A.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
NOT_AFTER = dt.datetime(2099, 12, 31, tzinfo=dt.timezone.utc)


def _key(secret: int) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(secret, ec.SECP256R1())


def _name(common: str, **extra: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "SE")]
    if "given" in extra:
        attributes.append(x509.NameAttribute(NameOID.GIVEN_NAME, extra["given"]))
    if "surname" in extra:
        attributes.append(x509.NameAttribute(NameOID.SURNAME, extra["surname"]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(attributes)


@dataclass(frozen=True)
class Identity:
    """A certificate with its key, as cryptography objects."""

    name: str
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def asn1_cert(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        der = self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_keys.PrivateKeyInfo.load(der)


class TestCA:
    """A root CA that issues signing certificates; ``seed`` picks a different (but fixed) key."""

    __test__ = False  # not a pytest test class

    def __init__(self, name: str = "Test-CA för samverkan", seed: int = 1) -> None:
        key = _key(0x5EC0_0000 + seed)
        subject = _name(name)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(1000 + seed)
            .not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        self.identity = Identity(name, key, self.cert)
        self._issued = 0

    def pem(self, folder: Path) -> Path:
        path = folder / "test-ca.pem"
        path.write_bytes(self.identity.cert_pem)
        return path

    def issue(self, common: str, given: str | None = None, surname: str | None = None) -> Identity:
        self._issued += 1
        key = _key(0xA11CE_0000 + 97 * self._issued + sum(map(ord, common)))
        extra = {k: v for k, v in (("given", given), ("surname", surname)) if v}
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common, **extra))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(5000 + self._issued)
            .not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.identity.key.public_key()), critical=False
            )
            .sign(self.identity.key, hashes.SHA256())
        )
        return Identity(common, key, cert)


def _stroke(width: float, height: float) -> RawContent:
    """A handwriting-like stroke in dark blue: vector paths only, no font."""
    w, h = width, height
    path = (
        f"q 0.1 0.15 0.5 RG 1.2 w 1 J 1 j {0.08 * w:.2f} {0.35 * h:.2f} m "
        f"{0.2 * w:.2f} {0.9 * h:.2f} {0.3 * w:.2f} {0.1 * h:.2f} {0.42 * w:.2f} {0.55 * h:.2f} c "
        f"{0.55 * w:.2f} {0.95 * h:.2f} {0.62 * w:.2f} {0.15 * h:.2f} {0.75 * w:.2f} {0.5 * h:.2f} c "
        f"{0.82 * w:.2f} {0.7 * h:.2f} {0.88 * w:.2f} {0.3 * h:.2f} {0.95 * w:.2f} {0.45 * h:.2f} c S Q"
    )
    return RawContent(path.encode("ascii"), box=BoxConstraints(width=width, height=height))


class CarefulWriter(IncrementalPdfFileWriter):
    """A service that leaves the document's metadata alone.

    pyHanko's own writer rewrites the XMP packet when it signs: it sets
    pdf:Producer to itself (while the Info dictionary appends it, so the two
    disagree) and writes the PDF/A extension schema's namespaceURI as an
    rdf:resource, which PDF/A validators do not accept. A service that keeps
    PDF/A intact does not touch the metadata; that is what this one does.
    """

    def _update_meta(self) -> None:
        return None


def sign(data: bytes, field: str, who: Identity, ca: TestCA, subfilter: SigSeedSubFilter = SigSeedSubFilter.PADES,
         careful: bool = True) -> bytes:
    """``data`` signed by ``who`` in the existing field ``field``, as one incremental update."""
    signer = signers.SimpleSigner(
        signing_cert=who.asn1_cert(),
        signing_key=who.asn1_key(),
        cert_registry=SimpleCertificateStore.from_certs([ca.identity.asn1_cert()]),
    )
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=subfilter, md_algorithm="sha256")
    style = StaticStampStyle(background=_stroke(200, 48), border_width=0, background_opacity=1.0)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style)
    writer = (CarefulWriter if careful else IncrementalPdfFileWriter)(io.BytesIO(data))
    out = pdf_signer.sign_pdf(writer)
    return out.getvalue()


def field_names(data: bytes) -> list[str]:
    """The signature fields of a PDF, in the order of the AcroForm."""
    from pypdf import PdfReader

    fields = PdfReader(io.BytesIO(data)).trailer["/Root"]["/AcroForm"]["/Fields"]
    return [str(f.get_object()["/T"]) for f in fields]
