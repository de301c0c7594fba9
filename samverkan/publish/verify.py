"""Is this e-signed PDF our agreement, signed by its signatories? And publishing it as it is.

``samverkan verify SIGNED.pdf [AGREEMENT]`` and ``samverkan publish
AGREEMENT --signed SIGNED.pdf`` (when the file carries digital signatures)
share one report, built here from three checks:

1. the signatures themselves (:mod:`samverkan.publish.esign`): intact,
   covering the document as it was signed, later revisions only adding
   signatures or form fill-ins, the PAdES level, and the issuer when trust
   anchors are given;
2. each signature's certificate name paired with the agreement's
   signatories (a signature by someone else is reported, a signatory
   without a signature too);
3. the content: the version code printed in the file ("Versionskod: …")
   must belong to this agreement (the fastställd version that went to
   signing counts, see :func:`samverkan.publish.signed.variants`), and the
   text of every page must equal a fresh render of that version.

Publishing copies the signed file byte for byte -- any re-export would break
the signatures -- next to the medborgarlöfte PDF and HTML, and only when the
report has no problem. Everything is built in a temporary folder first, so a
refusal writes nothing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from ..documents.convert import Converter, default_converter
from ..documents.pdfcheck import PdfReport, inspect_pdf
from ..documents.render import render_docx
from ..errors import PublishError
from ..fsutil import atomic_path, write_text
from ..model.loader import load
from ..model.models import Agreement, Status, Undertecknare
from ..words import antal
from .esign import SignatureCheck, SignedFile, check_signatures, load_trust
from .signed import Published, party_name, planned, variants
from .web import medborgarlofte_html

VERSION_CODE = re.compile(r"Versionskod:?\s*([0-9a-f]{12})")

__all__ = ["SignedReport", "format_report", "publish_esigned", "verify"]


@dataclass(frozen=True)
class SignedReport:
    """Everything ``verify`` found; :attr:`problems` empty means the file may be published."""

    file: SignedFile
    codes: tuple[str, ...]
    pdf: PdfReport
    source: Path | None = None
    agreement: Agreement | None = None
    signed_version: Agreement | None = None
    pairs: tuple[tuple[SignatureCheck, Undertecknare | None], ...] = ()
    unsigned: tuple[Undertecknare, ...] = ()
    content: str | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _words(text: str) -> str:
    return " ".join(text.split())


def _pair(file: SignedFile, agreement: Agreement) -> tuple[list[tuple[SignatureCheck, Undertecknare | None]], list[Undertecknare]]:
    """Each person's signature with the signatory its certificate names (or None), and who has not signed."""
    left = list(agreement.undertecknare)
    pairs: list[tuple[SignatureCheck, Undertecknare | None]] = []
    for check in file.people:
        names = {_norm(n) for n in check.names}
        match = next((s for s in left if _norm(s.namn) in names), None)
        if match is not None:
            left.remove(match)
        pairs.append((check, match))
    return pairs, left


def _signed_version(agreement: Agreement, codes: Sequence[str]) -> Agreement | None:
    by_code = {variant.fingerprint(): variant for variant in variants(agreement)}
    return next((by_code[c] for c in codes if c in by_code), None)


def _compare(signed: PdfReport, fresh: PdfReport) -> list[int]:
    """1-based numbers of the pages whose text differs (all pages when the counts differ)."""
    if signed.pages != fresh.pages:
        return list(range(1, max(signed.pages, fresh.pages) + 1))
    return [i + 1 for i, (a, b) in enumerate(zip(signed.text, fresh.text, strict=True)) if _words(a) != _words(b)]


def build_report(
    file: SignedFile,
    pdf: PdfReport,
    source: Path | None = None,
    agreement: Agreement | None = None,
    fresh: PdfReport | None = None,
) -> SignedReport:
    """The report from the checked signatures, the signed file's text and (optionally) the agreement and its render."""
    codes = tuple(dict.fromkeys(VERSION_CODE.findall(" ".join(pdf.text))))
    problems = list(file.problems)
    report = SignedReport(file=file, codes=codes, pdf=pdf)
    if agreement is None or source is None:
        return replace(report, problems=tuple(problems))
    pairs, unsigned = _pair(file, agreement)
    for check, signatory in pairs:
        if signatory is None:
            known = ", ".join(s.namn for s in agreement.undertecknare) or "inga"
            problems.append(f"underskrift {check.number} är gjord av {check.signer}, som inte är undertecknare i {source} ({known})")
    for signatory in unsigned:
        problems.append(f"{signatory.namn} ({signatory.titel}) har inte skrivit under digitalt")
    version = _signed_version(agreement, codes)
    content = None
    if not codes:
        problems.append("filen har ingen versionskod – den är inte en PDF som samverkan render har skapat")
    elif version is None:
        problems.append(
            f"filen är undertecknad över versionskod {codes[0]}, men {source} har versionskod "
            f"{agreement.fingerprint()} – filen hör till en annan överenskommelse eller version"
        )
    elif version.status is Status.UTKAST:
        problems.append(
            "den undertecknade filen är ett utkast (märkt UTKAST) – sätt `status: fastställd`, rendera igen "
            "och låt undertecknarna skriva under den versionen"
        )
    if version is not None and fresh is not None:
        differing = _compare(pdf, fresh)
        if pdf.pages != fresh.pages:
            problems.append(f"filen har {antal(pdf.pages, 'sida', 'sidor')}, men en ny rendering av {source} har {fresh.pages}")
        elif differing:
            pages = ", ".join(map(str, differing))
            problems.append(f"texten på sida {pages} skiljer sig från en ny rendering av {source}")
        else:
            content = f"samma text på alla {pdf.pages} sidor som en ny rendering av {source}"
    return replace(report, source=source, agreement=agreement, signed_version=version, pairs=tuple(pairs),
                   unsigned=tuple(unsigned), content=content, problems=tuple(problems))


# -- the text ---------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "anges inte"
    utc = moment.astimezone(timezone.utc)
    return f"{utc:%Y-%m-%d} kl. {utc.hour}.{utc.minute:02d} UTC"


def _signature_lines(check: SignatureCheck, report: SignedReport) -> list[str]:
    kind = "Dokumenttidsstämpel" if check.timestamp else "Underskrift"
    lines = [f"{kind} {check.number}: {check.signer}"]
    lines.append(f"  Fält: {check.field}")
    lines.append(f"  Certifikatet är utfärdat av: {check.issuer}")
    if check.timestamp:
        lines.append(f"  Tid: {_when(check.signed_at)}")
    else:
        lines.append(f"  Tid enligt undertecknarens program: {_when(check.signed_at)}")
        if check.timestamped_at:
            lines.append(f"  Tidsstämpel: {_when(check.timestamped_at)}")
    intact = "ja" if check.intact else "NEJ"
    covers = (f"täcker dokumentet som det såg ut vid underskriften (revision {check.revision} av {report.file.revisions})"
              if check.covers_revision else "täcker INTE hela dokumentet som det såg ut vid underskriften")
    lines.append(f"  Obruten: {intact}; {covers}")
    lines.append(f"  Ändringar efter underskriften: {check.later_changes or 'kunde inte avgöras'}")
    lines.append(f"  Format: {check.level}")
    if check.trusted is None:
        lines.append("  Utfärdaren: inte kontrollerad (inga betrodda utfärdare angivna; använd --trust CA.pem)")
    else:
        lines.append(f"  Utfärdaren: {'betrodd' if check.trusted else 'INTE betrodd'} (kedjan kontrollerad mot --trust)")
    if report.agreement is not None and not check.timestamp:
        signatory = dict((id(c), s) for c, s in report.pairs).get(id(check))
        if signatory is not None:
            lines.append(f"  Undertecknare i överenskommelsen: {signatory.namn}, {signatory.titel}, "
                         f"{party_name(report.agreement, signatory.part)}")
        else:
            lines.append("  Undertecknare i överenskommelsen: INGEN med det namnet")
    return lines


def format_report(report: SignedReport) -> str:
    """The Swedish report ``verify`` prints and ``publish`` sums up."""
    file = report.file
    lines = [f"Digitalt undertecknad PDF: {file.path}"]
    people = len(file.people)
    lines.append(f"{file.revisions} revisioner, {people} {'underskrift' if people == 1 else 'underskrifter'}"
                 + (f" och {antal(len(file.signatures) - people, 'dokumenttidsstämpel', 'dokumenttidsstämplar')}" if len(file.signatures) > people else ""))
    lines.append(f"Versionskod i filen: {', '.join(report.codes) or 'ingen'}")
    pdf = report.pdf
    pdfa = f"PDF/A-{pdf.pdfa_part}{(pdf.pdfa_conformance or '').upper()}" if pdf.pdfa_part else "inte märkt som PDF/A"
    lines.append(f"Arkiv och tillgänglighet: {pdfa}, {'taggad' if pdf.tagged else 'INTE taggad'}, språk {pdf.lang or 'saknas'}")
    for check in file.signatures:
        lines += ["", *_signature_lines(check, report)]
    if report.agreement is not None:
        lines += ["", f"Överenskommelse: {report.source}"]
        if report.signed_version is not None:
            lines.append(f"  Versionskoden hör till överenskommelsen (undertecknad som {report.signed_version.status.value}).")
        if report.content:
            lines.append(f"  Innehållet: {report.content}.")
        total = len(report.agreement.undertecknare)
        signed = total - len(report.unsigned)
        lines.append(f"  Undertecknare som har skrivit under: {signed} av {total}"
                     + (f" (saknas: {', '.join(s.namn for s in report.unsigned)})" if report.unsigned else ""))
    lines.append("")
    if report.problems:
        lines.append("Resultat: UNDERKÄND – " + "; ".join(report.problems) + ".")
    else:
        issuer = ("utfärdarna är kontrollerade mot de betrodda utfärdarna" if file.trust_checked
                  else "utfärdarna är inte kontrollerade (ange --trust för att kontrollera dem)")
        lines.append(f"Resultat: godkänd – alla underskrifter är obrutna och täcker dokumentet; {issuer}.")
    return "\n".join(lines) + "\n"


# -- the commands -------------------------------------------------------------------


def _convert(converter: Converter | None, jobs: list[tuple[Path, Path]]) -> None:
    (converter or default_converter()).convert(jobs)


def verify(
    signed: Path,
    source: Path | None = None,
    trust: Sequence[Path] = (),
    *,
    template: Path | None = None,
    converter: Converter | None = None,
) -> SignedReport:
    """Check ``signed`` (and, with ``source``, that it is that agreement, signed by its signatories)."""
    anchors = load_trust(trust) if trust else None
    agreement = load(source) if source is not None else None
    file = check_signatures(Path(signed), anchors)
    pdf = inspect_pdf(Path(signed))
    if agreement is None:
        return build_report(file, pdf)
    draft = build_report(file, pdf, source, agreement)
    if draft.signed_version is None:
        return draft
    with tempfile.TemporaryDirectory(prefix="samverkan-verify-") as tmp:
        docx, fresh = Path(tmp) / "overenskommelse.docx", Path(tmp) / "overenskommelse.pdf"
        docx.write_bytes(render_docx(draft.signed_version, "overenskommelse", template))
        _convert(converter, [(docx, fresh)])
        return build_report(file, pdf, source, agreement, inspect_pdf(fresh))


def publish_esigned(
    source: Path,
    signed: Path,
    out_dir: Path = Path("output"),
    trust: Sequence[Path] = (),
    *,
    converter: Converter | None = None,
    template: Path | None = None,
    html_template: Path | None = None,
    dry_run: bool = False,
) -> tuple[Published, SignedReport]:
    """Publish a digitally signed agreement: the file itself, byte for byte, with the medborgarlöfte beside it."""
    agreement = load(source)
    if agreement.status is Status.UTKAST:
        raise PublishError(
            f'{source}: överenskommelsen har status "utkast" – ett utkast publiceras inte; '
            "sätt `status: fastställd` (eller undertecknad) för versionen som skrevs under"
        )
    anchors = load_trust(trust) if trust else None
    file = check_signatures(Path(signed), anchors)
    pdf = inspect_pdf(Path(signed))
    plan = planned(agreement, out_dir)
    html_pages = [
        (path, medborgarlofte_html(agreement, promise, html_template))
        for path, promise in zip(plan.web_pages, agreement.promises(), strict=True)
    ]
    report = build_report(file, pdf, source, agreement)
    if report.problems or dry_run:
        _refuse(signed, report)
        return plan, report
    with tempfile.TemporaryDirectory(prefix="samverkan-publish-") as tmp:
        work = Path(tmp)
        jobs = [(work / "overenskommelse.docx", work / "overenskommelse.pdf")]
        assert report.signed_version is not None
        jobs[0][0].write_bytes(render_docx(report.signed_version, "overenskommelse", template))
        if plan.promise_pdf:
            own = template if template is None or template.is_dir() else None
            jobs.append((work / "medborgarlofte.docx", work / "medborgarlofte.pdf"))
            jobs[1][0].write_bytes(render_docx(agreement, "medborgarlofte", own))
        _convert(converter, jobs)
        report = build_report(file, pdf, source, agreement, inspect_pdf(jobs[0][1]))
        _refuse(signed, report)
        copy = work / "undertecknad.pdf"
        shutil.copyfile(signed, copy)
        if copy.read_bytes() != Path(signed).read_bytes():
            raise PublishError(f"{signed}: filen ändrades medan den kontrollerades – ingen fil skrevs; försök igen")
        built = [(copy, plan.signed_pdf)] + ([(jobs[1][1], plan.promise_pdf)] if plan.promise_pdf else [])
        for path, target in built:
            with atomic_path(target) as temporary:
                shutil.copyfile(path, temporary)
    for path, html in html_pages:
        write_text(path, html)
    return plan, report


def _refuse(signed: Path, report: SignedReport) -> None:
    if report.problems:
        raise PublishError(
            f"{signed}: den digitalt undertecknade filen kan inte publiceras – " + "; ".join(report.problems)
            + ". Ingen fil skrevs."
        )
