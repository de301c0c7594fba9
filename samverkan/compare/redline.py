"""The redline: the whole agreement with every change as a Word tracked change.

Both versions are rendered with the same template; the body of NEW's document
is then rebuilt block by block against OLD's (see :mod:`samverkan.trackchanges`
for how paragraphs, words and table rows are marked).

Accepting every change gives exactly the body text of NEW's rendered agreement
and rejecting every change gives OLD's, paragraph for paragraph – except the
cover page: it is the first section of the document (everything up to and
including the first paragraph that carries a section break, bookmarked
``samverkan-redline-start``), holds the change summary as a table, and is not
itself marked as a change. Headers and footers are NEW's.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..documents.formatting import period_text
from ..documents.render import output_stem, render_docx
from ..errors import ConversionError, TemplateError
from ..fsutil import slug, write_bytes
from ..model.loader import load
from ..model.models import Agreement
from .changes import Comparison
from .formats import summary_rows
from .structure import compare
from .trackchanges import XML, BlockDiffer, Revisions, W, w

if TYPE_CHECKING:
    from ..documents.convert import Converter

AUTHOR = "samverkan"
START_BOOKMARK = "samverkan-redline-start"
DOCUMENT = "word/document.xml"


# -- the cover page ------------------------------------------------------------------------


def _style_id(styles: etree._Element | None, *names: str) -> str | None:
    """The id of the first paragraph style found by its (English, built-in) name."""
    if styles is None:
        return None
    by_name = {}
    for style in styles.iter(w("style")):
        name = style.find(w("name"))
        if style.get(w("type")) == "paragraph" and name is not None:
            by_name.setdefault((name.get(w("val")) or "").lower(), style.get(w("styleId")))
    return next((by_name[n] for n in names if n in by_name), None)


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    el = etree.Element(w(tag), nsmap={"w": W}) if parent is None else etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        el.set(w(key), value)
    return el


def _para(text: str, style: str | None = None, bold: bool = False) -> etree._Element:
    p = _el("p")
    if style:
        _el("pStyle", _el("pPr", p), val=style)
    r = _el("r", p)
    if bold:
        _el("b", _el("rPr", r))
    t = _el("t", r)
    t.text = text
    t.set(f"{{{XML}}}space", "preserve")
    return p


def _summary_table(rows: Sequence[tuple[str, str]], width: int, style: str | None) -> etree._Element:
    tbl = _el("tbl")
    pr = _el("tblPr", tbl)
    _el("tblW", pr, w="5000", type="pct")
    borders = _el("tblBorders", pr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(side, borders, val="single", sz="4", space="0", color="808080")
    grid = _el("tblGrid", tbl)
    widths = (width * 3 // 10, width - width * 3 // 10)
    for col in widths:
        _el("gridCol", grid, w=str(col))
    for n, row in enumerate([("Del", "Ändring"), *rows]):
        tr = _el("tr", tbl)
        if n == 0:
            _el("tblHeader", _el("trPr", tr))
        for col, text in zip(widths, row, strict=True):
            tc = _el("tc", tr)
            _el("tcW", _el("tcPr", tc), w=str(col), type="dxa")
            tc.append(_para(text, style, bold=n == 0))
    return tbl


def _text_width(sect: etree._Element | None) -> int:
    size, margins = (None, None) if sect is None else (sect.find(w("pgSz")), sect.find(w("pgMar")))
    try:
        return int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))  # type: ignore[union-attr,arg-type]
    except (AttributeError, TypeError, ValueError):
        return 9070  # A4 with 2.5 cm margins


def cover(comparison: Comparison, styles: etree._Element | None, sect: etree._Element | None, bookmark_id: int) -> list[etree._Element]:
    """The cover page: who and what is compared, how to read it, the summary table, a section break."""
    heading = _style_id(styles, "title", "heading 1")
    normal = _style_id(styles, "normal")
    old, new = comparison.old, comparison.new

    def version(label: str, v: Any) -> etree._Element:
        return _para(f"{label}: {v.period}, {v.status}, {v.date.isoformat()} (fingeravtryck {v.fingerprint})", normal)

    blocks = [
        _para("Ändringar mellan versionerna", heading),
        _para(new.title, normal, bold=True),
        version("Tidigare version", old),
        version("Ny version", new),
        _para(
            "Efter den här sidan följer den nya versionen av överenskommelsen med alla ändringar från den "
            "tidigare versionen markerade som spårade ändringar (författare ”samverkan”). Godkänn alla "
            "ändringar för att få den nya versionens text, avvisa alla för att få den tidigare versionens. "
            "Den här sidan hör inte till överenskommelsen och är inte markerad som ändring: ta bort den "
            "innan dokumentet används.",
            normal,
        ),
    ]
    rows = summary_rows(comparison)
    if rows:
        blocks.append(_summary_table(rows, _text_width(sect), normal))
    else:
        blocks.append(_para("Inga ändringar i innehållet.", normal, bold=True))
    # The section break that ends the cover: NEW's page setup, header and footer, so the PDF's
    # pages are numbered from the cover on ("Sida 1 av N", as PDF/UA checkers expect on every page).
    end = _para("", normal)
    section = copy.deepcopy(sect) if sect is not None else _el("sectPr")
    for child in list(section):
        if child.tag == w("titlePg"):
            section.remove(child)
    properties = end.find(w("pPr"))
    if properties is None:
        properties = _el("pPr")
        end.insert(0, properties)
    properties.append(section)
    _el("bookmarkStart", end, id=str(bookmark_id), name=START_BOOKMARK)
    _el("bookmarkEnd", end, id=str(bookmark_id))
    return blocks + [end]


# -- the document --------------------------------------------------------------------------


def _read(docx: bytes, what: str) -> tuple[zipfile.ZipFile, etree._Element]:
    try:
        package = zipfile.ZipFile(io.BytesIO(docx))
        return package, etree.fromstring(package.read(DOCUMENT))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as e:
        raise TemplateError(f"{what}: det renderade dokumentet är inte ett giltigt Word-dokument ({e})") from None


# Elements that come before w:trackRevisions in w:settings (ECMA-376 CT_Settings).
_BEFORE_TRACKING = {
    w(tag)
    for tag in (
        "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
        "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
        "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
        "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
        "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate linkStyles "
        "stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView"
    ).split()
}


def _track_revisions(settings: bytes) -> bytes:
    """Turn on "track changes", so the reviewers' own edits are tracked too."""
    root = etree.fromstring(settings)
    if root.find(w("trackRevisions")) is None:
        before = [n for n, child in enumerate(root) if child.tag in _BEFORE_TRACKING]
        root.insert(before[-1] + 1 if before else 0, etree.Element(w("trackRevisions")))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _max_id(*roots: etree._Element) -> int:
    ids = [int(v) for root in roots for v in root.xpath("//@w:id", namespaces={"w": W}) if v.lstrip("-").isdigit()]
    return max(ids, default=0)


def redline_docx(
    old_docx: bytes, new_docx: bytes, when: date, comparison: Comparison | None = None, author: str = AUTHOR
) -> bytes:
    """NEW's document with OLD→NEW as tracked changes; a cover page first when ``comparison`` is given."""
    old_pkg, old_root = _read(old_docx, "tidigare version")
    new_pkg, new_root = _read(new_docx, "ny version")
    old_body, new_body = old_root.find(w("body")), new_root.find(w("body"))
    sect = new_body.find(w("sectPr"))
    revs = Revisions(_max_id(new_root) + 2, when, author)
    merged = BlockDiffer(revs).blocks(
        [b for b in old_body if b.tag != w("sectPr")], [b for b in new_body if b.tag != w("sectPr")]
    )
    if comparison is not None:
        styles = etree.fromstring(new_pkg.read("word/styles.xml")) if "word/styles.xml" in new_pkg.namelist() else None
        merged = cover(comparison, styles, sect, _max_id(new_root) + 1) + merged
    for child in list(new_body):
        if child.tag != w("sectPr"):
            new_body.remove(child)
    for n, block in enumerate(merged):
        new_body.insert(n, block)
    etree.cleanup_namespaces(new_body)
    document = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in new_pkg.infolist():
            data = document if info.filename == DOCUMENT else new_pkg.read(info.filename)
            if info.filename == "word/settings.xml":
                data = _track_revisions(data)
            target.writestr(info, data)
    return out.getvalue()


def redline(
    old: Agreement,
    new: Agreement,
    template: Path | None = None,
    comparison: Comparison | None = None,
    document: str = "overenskommelse",
) -> bytes:
    """Render both versions with the same template and return the redline .docx.

    Tracked changes are by "samverkan", dated NEW's document date at midnight UTC.
    """
    old_docx = render_docx(old, document, template)
    new_docx = render_docx(new, document, template)
    return redline_docx(old_docx, new_docx, new.document_date, comparison or compare(old, new))


@dataclass(frozen=True)
class DiffResult:
    """What :func:`diff` found and wrote."""

    comparison: Comparison
    files: tuple[Path, ...]


def redline_stem(old: Agreement, new: Agreement) -> str:
    """File name stem of the redline: NEW's document name plus the version compared with."""
    return f"{output_stem(new, 'overenskommelse')}-andringar-fran-{slug(period_text(old.period))}"


def diff(
    old_path: Path | str,
    new_path: Path | str,
    output: Path | None = Path("output"),
    template: Path | None = None,
    pdf: bool = True,
    converter: Converter | None = None,
) -> DiffResult:
    """Compare two agreement files; write the redline .docx (and PDF) under ``output``.

    ``output=None`` only compares. The redline lands in ``output/<kommun>/``
    next to the rendered documents, named by :func:`redline_stem`.
    """
    old, new = load(old_path), load(new_path)
    comparison = compare(old, new)
    if output is None:
        return DiffResult(comparison, ())
    docx = output / slug(new.parter.kommun.ort) / f"{redline_stem(old, new)}.docx"
    write_bytes(docx, redline(old, new, template, comparison))
    if not pdf:
        return DiffResult(comparison, (docx,))
    from ..documents.convert import (
        default_converter,  # LibreOffice and pypdf only when a PDF is wanted
    )

    target = docx.with_suffix(".pdf")
    try:
        (converter or default_converter()).convert([(docx, target)])
    except ConversionError as e:
        raise ConversionError(f"{e}\nJämförelsedokumentet finns som Word-fil: {docx}") from None
    return DiffResult(comparison, (docx, target))


__all__ = [
    "AUTHOR",
    "DiffResult",
    "diff",
    "redline_stem",
    "START_BOOKMARK",
    "cover",
    "redline",
    "redline_docx",
]
