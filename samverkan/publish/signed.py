"""The signed PDF for the kommun website and the archive.

After both parties have signed the printed agreement, the kommun scans the
signature page(s). A scan is an image, and merging it into the rendered PDF
with a PDF library would drop the tags and make the PDF/A claim a lie. So
the route here is:

1. read the scan with pypdf and refuse anything that is not a plain,
   readable, unencrypted PDF of images (``read_scan``); a page fed into the
   scanner askew comes back straightened, with a status line saying so
   (``straightening_notes``);
2. render the agreement to .docx and PDF, and find the signature pages in
   the PDF (they start with the heading "Underskrifter", the last part of
   the document);
3. in the .docx, replace the signature section with the scanned pages as
   full-page inline pictures whose alt text names every signatory with
   title, place and date (``replace_signature_pages``);
4. export that .docx through LibreOffice again (PDF/A-2b, tagged), and
   verify the result with pypdf before moving it into place: same page
   count, same text on every page before the signatures, tagged, /Lang
   sv-SE, title, PDF/A identification, embedded fonts, and the alt text.

Version check: the signature page carries "Versionskod: <fingerprint>".
A plain scan is only an image, so the code can only be checked when the
scan has a text layer (a scanner with text recognition). When it does, the
code must belong to this agreement; the version printed before signing
(status ``fastställd`` or ``utkast``, no places or dates) counts as the same
agreement.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from ..documents.convert import Converter, default_converter
from ..documents.formatting import LOCALE, place_and_date
from ..documents.pdfcheck import PdfReport, inspect_pdf
from ..documents.render import output_stem, render_docx
from ..errors import PublishError
from ..fsutil import atomic_path, slug, write_text
from ..model.loader import load
from ..model.models import Agreement, Sida, Status
from .esign import is_digitally_signed
from .scan import Scan, read_scan
from .web import html_filename, medborgarlofte_html

SIGNATURE_HEADING = "Underskrifter"


# -- the agreement ----------------------------------------------------------


def require_signed(agreement: Agreement, source: Path | str) -> None:
    """Refuse an agreement that is not marked signed with place and date for every signatory."""
    if agreement.status is not Status.UNDERTECKNAD:
        raise PublishError(
            f'{source}: överenskommelsen har status "{agreement.status.value}" – sätt `status: undertecknad` '
            "och fyll i ort och datum för varje undertecknare när båda parter har skrivit under"
        )
    for side, label in ((Sida.KOMMUN, "kommunen"), (Sida.POLIS, "polisen")):
        if not any(s.part is side for s in agreement.undertecknare):
            raise PublishError(f"{source}: ingen undertecknare för {label} – lägg till en under `undertecknare`")
    for signer in agreement.undertecknare:
        if signer.ort is None or signer.datum is None:
            raise PublishError(
                f"{source}: {signer.namn} saknar ort eller datum för underskriften – fyll i `ort` och `datum` "
                "under `undertecknare` som de står på den underskrivna sidan"
            )


def party_name(agreement: Agreement, side: Sida) -> str:
    if side is Sida.KOMMUN:
        return agreement.parter.kommun.namn
    return f"Polismyndigheten, {agreement.parter.polis.lokalpolisomrade}"


def signatories_text(agreement: Agreement) -> str:
    """Who signed, for the alt text: name, title, party, place and date of each signatory."""
    people = []
    for s in agreement.undertecknare:
        when = f", {place_and_date(s.ort, s.datum)}" if s.ort and s.datum else ""
        people.append(f"{s.namn}, {s.titel}, {party_name(agreement, s.part)}{when}")
    return "; ".join(people)


def alt_text(agreement: Agreement, number: int, total: int) -> tuple[str, str]:
    """(title, description) for the picture of scanned page ``number`` of ``total``."""
    title = f"Underskrifter, inskannad sida {number} av {total}"
    description = f"Inskannad sida med namnteckningar. Undertecknad av: {signatories_text(agreement)}."
    return title, description


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
    found = []
    for status in Status:
        for signers in (agreement.undertecknare, unsigned):
            for day in sorted(dates, key=lambda d: (d is not None, d)):
                found.append(agreement.model_copy(update={"status": status, "undertecknare": signers, "datum": day}))
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


def signature_start(page_texts: list[str]) -> int:
    """0-based index of the page where the signature section begins (searching from the end)."""
    for index in range(len(page_texts) - 1, -1, -1):
        lines = [line.strip() for line in page_texts[index].splitlines()]
        if SIGNATURE_HEADING in lines:
            return index
    raise PublishError(
        f'den renderade överenskommelsen har ingen sida med rubriken "{SIGNATURE_HEADING}" – '
        "kontrollera att Word-mallen har kvar underskriftssidan"
    )


def document_author(agreement: Agreement) -> str:
    return f"{agreement.parter.kommun.namn}; {party_name(agreement, Sida.POLIS)}"


def replace_signature_pages(docx: bytes, agreement: Agreement, scan: Scan) -> bytes:
    """The rendered .docx with its signature section replaced by the scanned pages.

    The heading "Underskrifter" stays (so the bookmarks and headings are the
    render's); everything after it is replaced by the scanned pages, each an
    inline picture on its own page, scaled to fit inside the page margins
    (below the heading on the first page), with alt text (title and
    description on ``wp:docPr``) naming every signatory. The core properties
    keep the render's title, parties and keywords, marked as signed.
    """

    document = Document(io.BytesIO(docx))
    body = document.element.body
    children = list(body.iterchildren())
    start = None
    for index, child in enumerate(children):
        if child.tag == qn("w:p") and _is_signature_heading(document, child):
            start = index
    if start is None:
        raise PublishError(
            f'den renderade överenskommelsen saknar rubriken "{SIGNATURE_HEADING}" (Rubrik 1) – '
            "kontrollera att Word-mallen har kvar underskriftssidan"
        )
    for child in children[start + 1 :]:
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    # A little less than the full height, so line spacing never pushes a picture onto a page of its own.
    full_height = int((section.page_height - section.top_margin - section.bottom_margin) * 0.96)
    heading = Paragraph(children[start], document.part)
    below_heading = full_height - _height_of(heading)
    for page in scan.pages:
        height = below_heading if page.number == 1 else full_height
        scale = min(width / page.width, height / page.height)
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Emu(0)
        fmt.line_spacing = 1.0
        fmt.first_line_indent = fmt.left_indent = fmt.right_indent = Emu(0)
        fmt.page_break_before = page.number > 1
        fmt.keep_with_next = False
        shape = paragraph.add_run().add_picture(
            io.BytesIO(page.png), width=Emu(int(page.width * scale)), height=Emu(int(page.height * scale))
        )
        title, description = alt_text(agreement, page.number, len(scan.pages))
        doc_pr = shape._inline.docPr
        doc_pr.set("name", f"Underskrifter {page.number}")
        doc_pr.set("title", title)
        doc_pr.set("descr", description)

    # The render already set title, author (both parties), subject and keywords;
    # mark this copy as the signed one and make sure the version code is there.
    props = document.core_properties
    props.title = agreement.document_title
    props.author = props.author or document_author(agreement)
    subject = props.subject or f"Samverkansöverenskommelse mellan {agreement.parter.kommun.namn} och Polisen"
    props.subject = f"Undertecknad {subject[:1].lower()}{subject[1:]}"
    props.keywords = "; ".join(k for k in (props.keywords, "undertecknad", f"versionskod {agreement.fingerprint()}") if k)
    props.comments = (
        f"Versionskod {agreement.fingerprint()}. Underskriftssidan är inskannad; "
        "bildens alternativtext anger vem som skrivit under."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _is_signature_heading(document: Any, paragraph: Any) -> bool:
    p = Paragraph(paragraph, document.part)
    if p.text.strip() != SIGNATURE_HEADING:
        return False
    style = p.style
    while style is not None:
        if style.name in ("Heading 1", "heading 1") or style.style_id == "Heading1":
            return True
        style = style.base_style
    return False


def _height_of(paragraph: Paragraph) -> int:
    """A generous estimate (EMU) of the height a one-line heading takes: spacing plus 1.5 lines."""
    size = spacing_before = spacing_after = None
    style = paragraph.style
    while style is not None and None in (size, spacing_before, spacing_after):
        size = size or style.font.size
        spacing_before = spacing_before if spacing_before is not None else style.paragraph_format.space_before
        spacing_after = spacing_after if spacing_after is not None else style.paragraph_format.space_after
        style = style.base_style
    own = paragraph.paragraph_format
    spacing_before = own.space_before if own.space_before is not None else spacing_before
    spacing_after = own.space_after if own.space_after is not None else spacing_after
    return int((spacing_before or Pt(12)) + (spacing_after or Pt(12)) + 1.5 * (size or Pt(20)))


# -- checking the result ------------------------------------------------------


def figure_alt_texts(path: Path) -> list[str]:
    """The /Alt text of every Figure in the PDF's structure tree, in document order."""
    found: list[str] = []
    root = PdfReader(path).trailer["/Root"].get_object()
    tree = root.get("/StructTreeRoot")
    stack = [tree.get_object()] if tree is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if node.get("/S") == "/Figure" and "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        kids = kids.get_object() if kids is not None else None
        items = list(kids) if isinstance(kids, ArrayObject) else [kids]
        stack.extend(reversed([k.get_object() for k in items if k is not None and hasattr(k, "get_object")]))
    return found


A4 = (595.3, 841.9)


def _words(text: str) -> str:
    return " ".join(text.split())


def verify_signed(
    pdf: Path, reference: PdfReport, first_signature_page: int, agreement: Agreement, label: Path | str | None = None
) -> PdfReport:
    """Check the final PDF against the unsigned render; raise :class:`PublishError` naming ``label`` on any gap."""
    report = inspect_pdf(pdf)
    problems = []
    if report.pages != reference.pages:
        problems.append(f"{report.pages} sidor i stället för {reference.pages}")
    if any(abs(w - A4[0]) > 2 or abs(h - A4[1]) > 2 for w, h in report.page_sizes):
        problems.append("någon sida är inte A4")
    if not report.tagged:
        problems.append("PDF:en är inte taggad")
    if report.lang != "sv-SE":
        problems.append(f"dokumentspråket är {report.lang} i stället för sv-SE")
    if report.title != agreement.document_title:
        problems.append("titeln saknas eller är fel")
    if not report.pdfa_part:
        problems.append("PDF/A-identifikation saknas i XMP")
    if report.fonts_not_embedded:
        problems.append(f"typsnitt som inte är inbäddade: {', '.join(report.fonts_not_embedded)}")
    if not report.has_outlines and reference.has_outlines:
        problems.append("bokmärken saknas")
    if reference.display_doc_title and not report.display_doc_title:
        problems.append("titeln visas inte i fönstrets namnlist")
    if reference.pdfua_part and report.pdfua_part != reference.pdfua_part:
        problems.append("PDF/UA-identifikation saknas i XMP")
    for index in range(min(first_signature_page, report.pages)):
        if _words(report.text[index]) != _words(reference.text[index]):
            problems.append(f"texten på sida {index + 1} skiljer sig från den renderade överenskommelsen")
    alts = figure_alt_texts(pdf)
    signature_alts = [a for a in alts if a.startswith("Underskrifter, inskannad sida")]
    if len(signature_alts) != reference.pages - first_signature_page:
        problems.append("alternativtext för de inskannade sidorna saknas")
    elif not all(s.namn in alt for alt in signature_alts for s in agreement.undertecknare):
        problems.append("alternativtexten nämner inte alla undertecknare")
    if problems:
        raise PublishError(
            f"{label or pdf}: den färdiga PDF:en klarade inte kontrollen ({'; '.join(problems)}) – ingen fil skrevs; "
            "kontrollera Word-mallen och LibreOffice-versionen"
        )
    return report


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


def _check_accessible(label: Path, report: PdfReport) -> None:
    problems = [
        text
        for failed, text in (
            (not report.tagged, "inte taggad"),
            (report.lang != "sv-SE", f"språk {report.lang}"),
            (not report.title, "titel saknas"),
            (not report.pdfa_part, "PDF/A-identifikation saknas"),
            (bool(report.fonts_not_embedded), "typsnitt inte inbäddade"),
        )
        if failed
    ]
    if problems:
        raise PublishError(
            f"{label}: PDF:en klarade inte kontrollen ({'; '.join(problems)}) – ingen fil skrevs; "
            "kontrollera Word-mallen och LibreOffice-versionen"
        )


def planned(agreement: Agreement, out_dir: Path) -> Published:
    """Where ``publish`` writes for ``agreement``: ``out_dir/<kommun>/``, next to what `render` writes."""
    folder = out_dir / slug(agreement.parter.kommun.ort)
    promise_pdf = folder / f"{output_stem(agreement, 'medborgarlofte')}.pdf" if agreement.medborgarloften else None
    return Published(
        signed_pdf=folder / signed_filename(agreement),
        promise_pdf=promise_pdf,
        web_pages=tuple(folder / html_filename(agreement, p) for p in agreement.medborgarloften),
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
    scan = read_scan(scan_path)
    check_version(scan, agreement, source)
    plan = replace(planned(agreement, out_dir), notes=straightening_notes(scan))
    if progress:
        for note in plan.notes:
            progress(note)
    html_pages = [
        (path, medborgarlofte_html(agreement, promise, html_template))
        for path, promise in zip(plan.web_pages, agreement.medborgarloften, strict=True)
    ]
    if dry_run:
        return plan
    converter = converter or default_converter()

    with tempfile.TemporaryDirectory(prefix="samverkan-publish-") as tmp:
        work = Path(tmp)
        unsigned_docx, unsigned_pdf = work / "overenskommelse.docx", work / "overenskommelse.pdf"
        promise_docx, promise_pdf = work / "medborgarlofte.docx", work / "medborgarlofte.pdf"
        signed_docx, signed_pdf = work / "undertecknad.docx", work / "undertecknad.pdf"

        rendered = render_docx(agreement, "overenskommelse", template)
        unsigned_docx.write_bytes(rendered)
        jobs = [(unsigned_docx, unsigned_pdf)]
        if plan.promise_pdf:
            # As in `render`: a single template file is for the full agreement only.
            own = template if template is None or template.is_dir() else None
            promise_docx.write_bytes(render_docx(agreement, "medborgarlofte", own))
            jobs.append((promise_docx, promise_pdf))
        converter.convert(jobs)

        reference = inspect_pdf(unsigned_pdf)
        first = signature_start(reference.text)
        expected = reference.pages - first
        if len(scan.pages) != expected:
            which = f"sida {first + 1}" if expected == 1 else f"sidorna {first + 1}–{reference.pages}"
            raise PublishError(
                f"{scan_path}: den inskannade filen har {len(scan.pages)} sidor, men underskriftsdelen i "
                f"{source} är {expected} {'sida' if expected == 1 else 'sidor'} – skanna bara "
                f"underskriftssidorna ({which} av {reference.pages}), i ordning, till en PDF"
            )
        signed_docx.write_bytes(replace_signature_pages(rendered, agreement, scan))
        converter.convert([(signed_docx, signed_pdf)])
        verify_signed(signed_pdf, reference, first, agreement, plan.signed_pdf)
        built = [(signed_pdf, plan.signed_pdf)]
        if plan.promise_pdf:
            _check_accessible(plan.promise_pdf, inspect_pdf(promise_pdf))
            built.append((promise_pdf, plan.promise_pdf))
        for path, target in built:
            with atomic_path(target) as temporary:
                shutil.copyfile(path, temporary)
    for path, html in html_pages:
        write_text(path, html)
    return plan
