"""Reading and validating the digital signatures of an e-signed agreement.

An e-signing service returns the rendered agreement with a PAdES signature
(ETSI EN 319 142) per signatory, each added as an incremental update. Before
such a file is published, every signature is checked with pyHanko:

* **integrity**: the signed bytes hash to what the signature says, and the
  signature value verifies with the signer's certificate;
* **coverage**: the signature covers its whole revision, i.e. the document
  as it was when it was signed (not just a block at the start of the file);
* **later changes**: pyHanko's difference analysis of every later revision
  allows only more signatures, form fill-ins and validation data (DSS,
  document timestamps); anything else (new page content, a changed page,
  added annotations) is a change after signing;
* **format**: the SubFilter and the PAdES baseline level (B-B, B-T, B-LT,
  B-LTA) the signature reaches;
* **issuer**: only against trust anchors the caller gives (``--trust``).
  Without them the certificate chain is not checked, and the report says so:
  a signature can be intact and still come from anyone.

Nothing here knows about agreements; :mod:`samverkan.publish.verify` pairs the
signatures with the signatories and the content with a fresh render.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..errors import PublishError
from ..fsutil import FileTooLarge, IrregularFile, read_regular

PADES = "/ETSI.CAdES.detached"
PKCS7 = "/adbe.pkcs7.detached"

__all__ = ["SignatureCheck", "SignedFile", "check_signatures", "is_digitally_signed", "load_trust"]


@dataclass(frozen=True)
class SignatureCheck:
    """What one embedded signature (or document timestamp) is, and whether it holds."""

    number: int
    field: str
    timestamp: bool
    """A document timestamp (/DocTimeStamp), not a person's signature."""
    signer: str
    """The certificate's name (commonName, else given name and surname)."""
    names: tuple[str, ...]
    """Every name the certificate gives for its holder, to pair with a signatory."""
    issuer: str
    signed_at: datetime | None
    """The signing time the signer's software wrote (not proven), or the timestamp's time."""
    timestamped_at: datetime | None
    revision: int
    """The revision (1-based) the signature covers."""
    subfilter: str
    level: str
    intact: bool
    covers_revision: bool
    later_changes_ok: bool
    later_changes: str
    trusted: bool | None
    """None: no trust anchors were given, the issuer was not checked."""
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignedFile:
    """All signatures of one file, in signing order."""

    path: Path
    revisions: int
    signatures: tuple[SignatureCheck, ...]
    trust_checked: bool
    problems: tuple[str, ...] = field(default=())

    @property
    def people(self) -> tuple[SignatureCheck, ...]:
        return tuple(s for s in self.signatures if not s.timestamp)


def _reader(data: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(data), strict=False)


MAX_PDF_BYTES = 200_000_000
"""Largest signed PDF read (as for a scan)."""


def is_digitally_signed(path: Path) -> bool:
    """True if ``path`` is a PDF with at least one filled signature field (a scan has none)."""
    try:
        data = read_regular(Path(path), MAX_PDF_BYTES)  # a FIFO or /dev/zero: no wait, no endless read
        if not data.startswith(b"%PDF"):
            return False
        with _quiet():
            return bool(_reader(data).embedded_signatures)
    except Exception:  # noqa: BLE001 -- not readable as a signed PDF: the scan path says why
        return False


def load_trust(paths: Sequence[Path]) -> list[x509.Certificate]:
    """The trust anchors from PEM or DER files; a file without a certificate is refused by name."""
    anchors: list[x509.Certificate] = []
    for path in paths:
        try:
            found = list(load_certs_from_pemder_data(Path(path).read_bytes()))
        except OSError as e:
            raise PublishError(f"{path}: filen med betrodda utfärdare kan inte läsas ({e.strerror}) – ange en befintlig PEM-fil") from None
        except Exception:  # noqa: BLE001 -- asn1crypto raises many kinds for garbage
            found = []
        if not found:
            raise PublishError(
                f"{path}: filen innehåller inget certifikat – ange utfärdarens certifikat som PEM eller DER med --trust"
            )
        anchors += found
    return anchors


@contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs its findings as warnings; they are in the report, so they stay off stderr."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _names(cert: x509.Certificate) -> tuple[str, str, tuple[str, ...]]:
    subject = cert.subject.native
    common = str(subject.get("common_name", "") or "")
    given, surname = str(subject.get("given_name", "") or ""), str(subject.get("surname", "") or "")
    full = " ".join(p for p in (given, surname) if p)
    names = tuple(n for n in dict.fromkeys((common, full)) if n)
    issuer = cert.issuer.native
    issuer_name = str(issuer.get("common_name") or issuer.get("organization_name") or cert.issuer.human_friendly)
    return common or full or cert.subject.human_friendly, issuer_name, names


def _attribute_types(signer_info: Any) -> set[str]:
    attrs = signer_info["signed_attrs"]
    return {a["type"].native for a in attrs} if attrs else set()


def _level(emb: Any, timestamped: bool, later_dss: bool, later_doc_ts: bool) -> str:
    subfilter = str(emb.sig_object.get("/SubFilter", ""))
    if subfilter == PKCS7:
        return "PKCS#7-underskrift (adbe.pkcs7.detached), inte PAdES"
    if subfilter != PADES:
        return f"okänt format ({subfilter.lstrip('/') or 'ingen SubFilter'}), inte PAdES"
    if not _attribute_types(emb.signer_info) & {"signing_certificate_v2", "signing_certificate"}:
        return "CAdES utan signerat certifikatattribut, inte PAdES baseline"
    if not timestamped:
        return "PAdES B-B"
    if not later_dss:
        return "PAdES B-T"
    return "PAdES B-LTA" if later_doc_ts else "PAdES B-LT"


def _dss_revision(reader: PdfFileReader) -> int | None:
    """The (0-based) revision that last wrote the Document Security Store, or None without one."""
    if "/DSS" not in reader.root:
        return None
    ref = reader.root.raw_get("/DSS")
    try:
        return int(reader.xrefs.get_last_change(ref.reference))
    except AttributeError:  # a direct dictionary: it came with the catalog
        return int(reader.xrefs.get_last_change(reader.root_ref))


def _changes(level: ModificationLevel | None) -> tuple[bool, str]:
    if level is None or level is ModificationLevel.NONE:
        return True, "inga"
    if level is ModificationLevel.LTA_UPDATES:
        return True, "bara valideringsdata eller tidsstämplar"
    if level is ModificationLevel.FORM_FILLING:
        return True, "bara fler underskrifter eller ifyllda fält"
    if level is ModificationLevel.ANNOTATIONS:
        return False, "anteckningar har lagts till eller ändrats"
    return False, "innehållet har ändrats (sidinnehåll, sidor eller annat än underskrifter och ifyllda fält)"


def _context(trust: Sequence[x509.Certificate]) -> ValidationContext:
    # No network: certificates are judged from what the file and the anchors hold.
    return ValidationContext(trust_roots=list(trust), allow_fetching=False, revocation_mode="soft-fail")


def _check(number: int, emb: Any, everything: Sequence[Any], trust: Sequence[x509.Certificate] | None) -> SignatureCheck:
    """Validate one embedded signature; problems are collected in Swedish, never raised."""
    timestamp = str(emb.sig_object_type) == "/DocTimeStamp"
    try:
        signer, issuer, names = _names(emb.signer_cert)
    except Exception:  # noqa: BLE001
        signer, issuer, names = "(okänt certifikat)", "(okänd)", ()
    problems: list[str] = []
    later = [e for e in everything if e.signed_revision > emb.signed_revision]
    later_doc_ts = any(str(e.sig_object_type) == "/DocTimeStamp" for e in later)
    dss = _dss_revision(emb.reader)
    later_dss = dss is not None and dss > emb.signed_revision
    who = f"dokumenttidsstämpel {number}" if timestamp else f"underskrift {number} ({signer})"
    try:
        context = _context(trust or [])
        if timestamp:
            status: Any = validate_pdf_timestamp(emb, validation_context=context)
        else:
            status = validate_pdf_signature(emb, signer_validation_context=context)
    except Exception as e:  # noqa: BLE001 -- a broken signature is a finding, not a crash
        return SignatureCheck(
            number, str(emb.field_name), timestamp, signer, names, issuer, None, None, emb.signed_revision + 1,
            str(emb.sig_object.get("/SubFilter", "")).lstrip("/"), "", False, False, False, "", None,
            (f"{who} kan inte kontrolleras ({type(e).__name__}) – filen är skadad eller ändrad efter underskriften",),
        )
    intact = bool(status.intact and status.valid)
    if not status.intact:
        problems.append(f"{who} stämmer inte med innehållet – filen har ändrats efter underskriften")
    elif not status.valid:
        problems.append(f"{who} har ett ogiltigt underskriftsvärde")
    coverage = status.coverage
    covers = coverage is not None and coverage >= SignatureCoverageLevel.ENTIRE_REVISION
    if not covers:
        problems.append(f"{who} täcker inte hela dokumentet som det såg ut när det undertecknades")
    changes_ok, changes = _changes(status.modification_level)
    if status.docmdp_ok is False:
        changes_ok = False
        changes += "; ändringarna är inte tillåtna enligt dokumentets certifiering"
    if not changes_ok:
        problems.append(f"efter {who} har dokumentet ändrats: {changes}")
    trusted = None if trust is None else bool(status.trusted)
    if trusted is False:
        problems.append(
            f"certifikatet för {who}, utfärdat av {issuer}, leder inte till någon av de betrodda utfärdarna (--trust)"
        )
    timestamp_status = getattr(status, "timestamp_validity", None)
    stamped_at = timestamp_status.timestamp if timestamp_status is not None else None
    if timestamp:
        stamped_at = getattr(status, "timestamp", None)
    signed_at = stamped_at if timestamp else getattr(status, "signer_reported_dt", None)
    return SignatureCheck(
        number=number,
        field=str(emb.field_name),
        timestamp=timestamp,
        signer=signer,
        names=names,
        issuer=issuer,
        signed_at=signed_at,
        timestamped_at=stamped_at,
        revision=emb.signed_revision + 1,
        subfilter=str(emb.sig_object.get("/SubFilter", "")).lstrip("/"),
        level="dokumenttidsstämpel (ETSI.RFC3161)" if timestamp else _level(emb, stamped_at is not None, later_dss, later_doc_ts),
        intact=intact,
        covers_revision=covers,
        later_changes_ok=changes_ok,
        later_changes=changes,
        trusted=trusted,
        problems=tuple(problems),
    )


def check_signatures(path: Path, trust: Sequence[x509.Certificate] | None = None) -> SignedFile:
    """Every signature in ``path`` checked; ``trust`` None means the issuers are not checked.

    Raises :class:`PublishError` only when the file cannot be read as a PDF
    at all; everything found about the signatures is in the result.
    """
    path = Path(path)
    try:
        data = read_regular(path, MAX_PDF_BYTES)
    except IrregularFile:
        raise PublishError(f"{path}: detta är ingen vanlig fil (t.ex. en mapp, en FIFO eller en enhet) – ange PDF-filen") from None
    except FileTooLarge as e:
        raise PublishError(f"{path}: filen är för stor ({e.size // 1_000_000} MB, högst {MAX_PDF_BYTES // 1_000_000}) – ange rätt PDF-fil") from None
    except OSError as e:
        raise PublishError(f"{path}: filen kan inte läsas ({e.strerror}) – kontrollera sökvägen") from None
    with _quiet():
        try:
            reader = _reader(data)
            embedded = list(reader.embedded_signatures)
            revisions = reader.xrefs.total_revisions
        except Exception as e:  # noqa: BLE001
            raise PublishError(
                f"{path}: filen kan inte läsas som PDF ({type(e).__name__}) – den är skadad eller ändrad; "
                "be om en ny kopia från e-underskriftstjänsten"
            ) from None
        checks = tuple(_check(i, emb, embedded, trust) for i, emb in enumerate(embedded, start=1))
    problems = [p for c in checks for p in c.problems]
    if not embedded:
        problems.append("filen har inga digitala underskrifter")
    return SignedFile(path, revisions, checks, trust is not None, tuple(problems))
