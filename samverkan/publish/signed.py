"""The signed PDF for the kommun website and the archive.

After both parties have signed the printed agreement, the kommun scans the
signature page(s). A scan is an image; exporting the agreement again with the
picture in it lost the signature section's headings, bookmarks and text, and
merging pages with a PDF library would drop the tags and make the PDF/A claim
a lie. So the route here is:

1. read the scan with pypdf and refuse anything that is not a plain,
   readable, unencrypted PDF of images (``read_scan``); a page fed into the
   scanner askew comes back straightened, with a status line saying so
   (``straightening_notes``);
2. render the agreement to .docx and PDF (PDF/A-2b, tagged), and find the
   signature pages in the PDF: from the heading "Underskrifter" (the last
   part of the document) to the end;
3. draw each scanned page over its signature page as a tagged ``/Figure``
   whose alt text names every signatory with title, place and date, keeping
   the page's words as invisible tagged text (:mod:`.signpages`);
4. verify the result before moving it into place (``verify_signed``): every
   machine-checkable PDF/A-2b and PDF/UA-1 rule
   (:func:`~samverkan.documents.conformance.conformance_problems`), and
   against the render: same pages and sizes, same tagged text on every page,
   the same headings and every bookmark, title, /Lang sv-SE, PDF/A and PDF/UA
   identification, and one Figure with the scanned image and the alt text
   on each signature page. Anything missing: nothing is written.

Version check: the signature page carries "Versionskod: <fingerprint>".
A plain scan is only an image, so the code can only be checked when the
scan has a text layer (a scanner with text recognition). When it does, the
code must belong to this agreement; the version printed before signing
(status ``fastställd`` or ``utkast``, no places or dates) counts as the same
agreement.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from babel.numbers import format_decimal

from ..documents.conformance import conformance_problems, xmp_text
from ..documents.convert import Converter, default_converter
from ..documents.formatting import LOCALE, place_and_date
from ..documents.pdfcontent import PdfContent, read_pdf
from ..documents.context import metadata_title
from ..documents.render import fit_property, output_stem, render_docx
from ..errors import PublishError
from ..fsutil import atomic_path, slug, write_text
from ..model.loader import load
from ..model.models import Agreement, Sida, Status
from ..words import antal
from .esign import is_digitally_signed
from .scan import Scan, read_scan
from .signpages import SignedCopy, sign_pdf
from .tempnames import named_after
from .web import html_filename, medborgarlofte_html

SIGNATURE_HEADING = "Underskrifter"


# -- the agreement ----------------------------------------------------------


def require_signed(agreement: Agreement, source: Path | str) -> None:
    """Refuse an agreement that is not marked signed with place and date for every signatory."""
    if agreement.status is not Status.UNDERTECKNAD:
        raise PublishError(
            f'{source}: {"medborgarlöftet" if agreement.is_promise else "överenskommelsen"} har status '
            f'"{agreement.status.value}" – sätt `status: undertecknad` '
            "och fyll i ort och datum för varje undertecknare när båda parter har skrivit under"
        )
    for side, label in ((Sida.KOMMUN, "kommunen"), (Sida.POLIS, "polisen")):
        if not any(s.part is side for s in agreement.undertecknare):
            raise PublishError(f"{source}: ingen undertecknare för {label} – lägg till en under `undertecknare`")
    shared = agreement.undertecknande
    for signer in agreement.undertecknare:
        place = signer.ort or (shared.ort if shared else None)
        day = signer.datum or (shared.datum if shared else None)
        if place is None or day is None:
            raise PublishError(
                f"{source}: {signer.namn} saknar ort eller datum för underskriften – fyll i `ort` och `datum` "
                "under `undertecknare` (eller för alla under `undertecknande`) som de står på den underskrivna sidan"
            )


def party_name(agreement: Agreement, side: Sida) -> str:
    if side is Sida.KOMMUN:
        return agreement.parter.kommun.namn
    return f"Polismyndigheten, {agreement.parter.polis.lokalpolisomrade}"


def signatories_text(agreement: Agreement) -> str:
    """Who signed, for the alt text: name, title, party, place and date of each signatory."""
    people = []
    shared = agreement.undertecknande
    for s in agreement.undertecknare:
        place, day = s.ort or (shared.ort if shared else None), s.datum or (shared.datum if shared else None)
        when = f", {place_and_date(place, day)}" if place and day else ""
        people.append(f"{s.namn}, {s.titel}, {party_name(agreement, s.part)}{when}")
    return "; ".join(people)


def alt_text(agreement: Agreement, number: int, total: int) -> str:
    """The alt text of scanned page ``number`` of ``total``: what it is, and who signed where and when."""
    document = "Medborgarlöftet är undertecknat" if agreement.is_promise else "Överenskommelsen är undertecknad"
    return (
        f"Underskrifter, inskannad sida {number} av {total}: sidan med namnteckningar. "
        f"{document} av: {signatories_text(agreement)}."
    )


def variants(agreement: Agreement) -> list[Agreement]:
    """The versions of ``agreement`` a signed copy of it may have been printed from.

    The printed copy that was signed is usually the version before signing:
    status fastställd (or utkast), without places and dates, and perhaps
    without a version date or with another one (the date is often set to the
    signing day afterwards). All of those variants, and the signed version
    itself, are the same agreement; any change to the content is not.
    """
    unsigned = [s.model_copy(update={"ort": None, "datum": None}) for s in agreement.undertecknare]
    dates = {agreement.datum, None, *(s.datum for s in agreement.undertecknare)}
    signings = [agreement.undertecknande] if agreement.undertecknande is None else [agreement.undertecknande, None]
    found = []
    for status in Status:
        for signers in (agreement.undertecknare, unsigned):
            for day in sorted(dates, key=lambda d: (d is not None, d)):
                for signing in signings:
                    found.append(agreement.model_copy(
                        update={"status": status, "undertecknare": signers, "datum": day, "undertecknande": signing}
                    ))
    return found


def accepted_codes(agreement: Agreement) -> set[str]:
    """Fingerprints a signed copy of this agreement may carry (see :func:`variants`)."""
    return {variant.fingerprint() for variant in variants(agreement)}


def check_version(scan: Scan, agreement: Agreement, source: Path | str) -> None:
    """Refuse a scan whose text layer shows the version code of another agreement version."""
    known = accepted_codes(agreement)
    for code in scan.version_codes:
        if code not in known:
            raise PublishError(
                f"{scan.path}: den inskannade sidan har versionskod {code}, men {source} har versionskod "
                f"{agreement.fingerprint()} – skanna underskriftssidan från den version som skrevs under, "
                "eller publicera med den YAML-fil som hör till den"
            )


def straightening_notes(scan: Scan) -> tuple[str, ...]:
    """A Swedish status line for each scanned page that was straightened: ``Skanningens sida 1 rätades upp 2,1°``."""
    return tuple(
        f"Skanningens sida {page.number} rätades upp {format_decimal(abs(page.straightened), format='0.0', locale=LOCALE)}°"
        for page in scan.pages
        if page.straightened
    )


# -- the document -------------------------------------------------------------


def signature_page(content: PdfContent) -> int:
    """0-based index of the page where the signature section begins: its heading "Underskrifter", the last one
    (a top heading in an agreement, a section under the title in a medborgarlöfte of its own)."""
    pages = [e.page for e in content.elements
             if e.std in ("H1", "H2") and content.text_of(e) == SIGNATURE_HEADING and e.page]
    if not pages:
        raise PublishError(
            f'den renderade överenskommelsen har ingen rubrik "{SIGNATURE_HEADING}" – '
            "kontrollera att Word-mallen har kvar underskriftssidan (Rubrik 1, eller Rubrik 2 i ett medborgarlöfte)"
        )
    return pages[-1] - 1


def document_author(agreement: Agreement) -> str:
    return f"{agreement.parter.kommun.namn}; {party_name(agreement, Sida.POLIS)}"


def signed_copy(agreement: Agreement, reference: PdfContent, scan: Scan) -> SignedCopy:
    """The scanned pages with their alt texts, and the render's subject and keywords marked as signed."""
    info = reference.pdf.trailer.get("/Info") or {}
    subject = str(info.get("/Subject", "")) or f"Samverkansöverenskommelse mellan {agreement.parter.kommun.namn} och Polisen"
    keywords = "; ".join(k for k in (str(info.get("/Keywords", "")), "undertecknad", f"versionskod {agreement.fingerprint()}") if k)
    return SignedCopy(
        pages=scan.pages,
        alt_texts=[alt_text(agreement, page.number, len(scan.pages)) for page in scan.pages],
        subject=f"{'Undertecknat' if agreement.is_promise else 'Undertecknad'} {subject[:1].lower()}{subject[1:]}",
        keywords=keywords,
    )


# -- checking the result ------------------------------------------------------


A4 = (595.3, 841.9)


def verify_signed(
    signed: PdfContent, reference: PdfContent, first_signature_page: int, agreement: Agreement, label: Path | str
) -> None:
    """Check the signed PDF against the unsigned render; raise :class:`PublishError` naming ``label`` on any gap."""
    problems = [str(p) for p in conformance_problems(signed)]
    pages, total = len(signed.pdf.pages), len(reference.pdf.pages)
    if pages != total:
        problems.append(f"{antal(pages, 'sida', 'sidor')} i stället för {total}")
    sizes = [tuple(round(float(v)) for v in p.mediabox) for p in signed.pdf.pages]
    if sizes != [tuple(round(float(v)) for v in p.mediabox) for p in reference.pdf.pages]:
        problems.append("sidstorlekarna skiljer sig från den renderade överenskommelsen")
    for number in range(1, min(pages, total) + 1):
        if signed.page_text(number) != reference.page_text(number):
            problems.append(f"den taggade texten på sida {number} skiljer sig från den renderade överenskommelsen")
    if signed.outline != reference.outline:
        lost = [title for _, title in reference.outline if title not in {t for _, t in signed.outline}]
        problems.append("bokmärkena skiljer sig från den renderade överenskommelsen" + (f" (saknas: {', '.join(lost)})" if lost else ""))
    headings = [(e.std, signed.text_of(e)) for e in signed.elements if e.std.startswith("H")]
    if headings != [(e.std, reference.text_of(e)) for e in reference.elements if e.std.startswith("H")]:
        problems.append("rubrikerna skiljer sig från den renderade överenskommelsen")
    if xmp_text(signed, "dc", "title") != fit_property(metadata_title(agreement, "overenskommelse")):  # as in render
        problems.append("titeln saknas eller är fel")
    if str(signed.pdf.Root.get("/Lang", "")) != "sv-SE":
        problems.append(f"dokumentspråket är {signed.pdf.Root.get('/Lang')} i stället för sv-SE")
    for prefix, name in (("pdfaid", "part"), ("pdfaid", "conformance"), ("pdfuaid", "part")):
        if xmp_text(signed, prefix, name) != xmp_text(reference, prefix, name):
            problems.append(f"{prefix}:{name} i XMP skiljer sig från den renderade överenskommelsen")
    figures = [e for e in signed.elements if e.std == "Figure" and e.page and e.page > first_signature_page]
    scanned = total - first_signature_page
    if sorted(e.page for e in figures) != list(range(first_signature_page + 1, total + 1)):
        problems.append(f"de inskannade sidorna är inte en figur var ({len(figures)} figurer för {scanned} sidor)")
    needed = [part for s in agreement.undertecknare for part in (s.namn, s.titel, place_and_date(s.ort, s.datum) if s.ort and s.datum else "")]
    for figure in figures:
        missing = [part for part in needed if part and part not in figure.alt]
        if missing:
            problems.append(f"alternativtexten på sida {figure.page} nämner inte {', '.join(missing)}")
    if problems:
        raise PublishError(
            f"{label}: den färdiga PDF:en klarade inte kontrollen ({'; '.join(problems)}) – ingen fil skrevs; "
            "kontrollera Word-mallen och LibreOffice-versionen (se README)"
        )


# -- the whole step ------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """The files one publish run wrote."""

    signed_pdf: Path
    promise_pdf: Path | None
    web_pages: tuple[Path, ...]
    notes: tuple[str, ...] = ()
    """Status lines about the scan (pages straightened), for stderr; not part of the documents."""

    @property
    def paths(self) -> list[Path]:
        return [self.signed_pdf, *([self.promise_pdf] if self.promise_pdf else []), *self.web_pages]


def signed_filename(agreement: Agreement) -> str:
    """``<render stem>-undertecknad.pdf``."""
    return f"{output_stem(agreement, 'overenskommelse')}-undertecknad.pdf"


def _check_accessible(label: Path, pdf: Path) -> None:
    problems = conformance_problems(pdf)
    if problems:
        raise PublishError(
            f"{label}: PDF:en klarade inte kontrollen ({'; '.join(str(p) for p in problems)}) – ingen fil skrevs; "
            "kontrollera Word-mallen och LibreOffice-versionen (se README)"
        )


def planned(agreement: Agreement, out_dir: Path) -> Published:
    """Where ``publish`` writes for ``agreement``: ``out_dir/<kommun>/``, next to what `render` writes."""
    folder = out_dir / slug(agreement.parter.kommun.ort)
    promise_pdf = folder / f"{output_stem(agreement, 'medborgarlofte')}.pdf" if agreement.medborgarloften else None
    return Published(
        signed_pdf=folder / signed_filename(agreement),
        promise_pdf=promise_pdf,
        web_pages=tuple(folder / html_filename(agreement, p) for p in agreement.promises()),
    )


def publish(
    source: Path,
    scan_path: Path,
    out_dir: Path = Path("output"),
    *,
    converter: Converter | None = None,
    template: Path | None = None,
    html_template: Path | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
    trust: Sequence[Path] = (),
) -> Published:
    """Turn a signed agreement and the scan of its signature page(s) into the files to publish.

    A digitally signed PDF (issue 19) takes another route: it is checked and
    published as it is (:func:`samverkan.publish.verify.publish_esigned`,
    with ``trust`` as the trust anchors), and :attr:`Published.notes` holds
    the signature report.

    Writes into ``out_dir/<kommun>/``: the signed, tagged PDF/A of the whole
    agreement; the medborgarlöfte as an accessible PDF; and the
    medborgarlöfte as HTML (one page per medborgarlöfte). Everything is built
    and checked in a temporary folder first, so a refusal or failure writes
    nothing. With ``dry_run`` the agreement and the scan are checked (not the
    page count, which needs LibreOffice) and nothing is written. A scanned
    page that lay askew is straightened; each such page gives a status line
    in :attr:`Published.notes`, also passed to ``progress`` as it is known.
    """
    if is_digitally_signed(scan_path):
        from .verify import format_report, publish_esigned  # verify builds on this module

        plan, report = publish_esigned(source, scan_path, out_dir, trust, converter=converter, template=template,
                                       html_template=html_template, dry_run=dry_run)
        plan = replace(plan, notes=tuple(format_report(report).rstrip("\n").splitlines()))
        if progress:
            for note in plan.notes:
                progress(note)
        return plan
    agreement = load(source)
    require_signed(agreement, source)
    # No signature part has more pages than signatories and a heading page: a longer scan
    # is refused before any page is decoded or LibreOffice is started.
    scan = read_scan(scan_path, max_pages=len(agreement.undertecknare) + 1)
    check_version(scan, agreement, source)
    plan = replace(planned(agreement, out_dir), notes=straightening_notes(scan))
    if progress:
        for note in plan.notes:
            progress(note)
    html_pages = [
        (path, medborgarlofte_html(agreement, promise, html_template))
        for path, promise in zip(plan.web_pages, agreement.promises(), strict=True)
    ]
    if dry_run:
        return plan
    converter = converter or default_converter()

    with tempfile.TemporaryDirectory(prefix="samverkan-publish-") as tmp, named_after(Path(tmp), source):
        work = Path(tmp)
        unsigned_docx, unsigned_pdf = work / "overenskommelse.docx", work / "overenskommelse.pdf"
        promise_docx, promise_pdf = work / "medborgarlofte.docx", work / "medborgarlofte.pdf"
        signed_pdf = work / "undertecknad.pdf"

        rendered = render_docx(agreement, "overenskommelse", template)
        unsigned_docx.write_bytes(rendered)
        jobs = [(unsigned_docx, unsigned_pdf)]
        if plan.promise_pdf:
            # As in `render`: a single template file is for the full agreement only.
            own = template if template is None or template.is_dir() else None
            promise_docx.write_bytes(render_docx(agreement, "medborgarlofte", own))
            jobs.append((promise_docx, promise_pdf))
        converter.convert(jobs)

        reference = read_pdf(unsigned_pdf)
        first = signature_page(reference)
        total = len(reference.pdf.pages)
        expected = total - first
        if len(scan.pages) != expected:
            which = f"sida {first + 1}" if expected == 1 else f"sidorna {first + 1}–{total}"
            raise PublishError(
                f"{scan_path}: den inskannade filen har {antal(len(scan.pages), 'sida', 'sidor')}, men underskriftsdelen i "
                f"{source} är {expected} {'sida' if expected == 1 else 'sidor'} – skanna bara "
                f"underskriftssidorna ({which} av {total}), i ordning, till en PDF"
            )
        signed_pdf.write_bytes(sign_pdf(unsigned_pdf.read_bytes(), first, signed_copy(agreement, reference, scan)))
        verify_signed(read_pdf(signed_pdf), reference, first, agreement, plan.signed_pdf)
        built = [(signed_pdf, plan.signed_pdf)]
        if plan.promise_pdf:
            _check_accessible(plan.promise_pdf, promise_pdf)
            built.append((promise_pdf, plan.promise_pdf))
        for path, target in built:
            with atomic_path(target) as temporary:
                shutil.copyfile(path, temporary)
    for path, html in html_pages:
        write_text(path, html)
    return plan
