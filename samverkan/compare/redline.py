"""The redline: the whole agreement with every change as a Word tracked change.

Both versions are rendered with the same template; the body of NEW's document
is then rebuilt block by block against OLD's (:mod:`.blockmerge` decides,
:mod:`.trackchanges` marks). When the two agreements are known, the parts the
structural matching paired (:mod:`.matching`, the summary's own) are found in
the rendered bodies (:mod:`.layout`) and aligned only with each other, and
what moved is marked as a move (``w:moveFrom``/``w:moveTo``).

Accepting every change gives exactly the text of NEW's rendered agreement
and rejecting every change gives OLD's, paragraph for paragraph, headers and
footers included – except the cover page: the first section of the document
(everything up to and including the first paragraph that carries a section
break, bookmarked ``samverkan-redline-start``, see :mod:`.cover`). Its pages
are outside the page count: the agreement's pages are numbered from 1 and
"av N" counts the agreement's own pages (``SECTIONPAGES``).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

from lxml import etree

from ..documents.render import render_docx
from ..errors import TemplateError
from ..model.models import Agreement
from .blockmerge import BlockDiffer
from .changes import Comparison
from .cover import START_BOOKMARK, cover
from .layout import Side, locate, outline_levels
from .matching import Matching, agreement_parts, match
from .paragraphmarks import relocate
from .paragraphmoves import mark_moves
from .structure import compare
from .trackchanges import Revisions, W, w

AUTHOR = "samverkan"
DOCUMENT = "word/document.xml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


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


def _max_id(*roots: etree._Element) -> int:
    ids = [int(v) for root in roots for v in root.xpath("//@w:id", namespaces={"w": W}) if v.lstrip("-").isdigit()]
    return max(ids, default=0)


# -- headers and footers --------------------------------------------------------------------


def _parts_by_reference(package: zipfile.ZipFile, sect: etree._Element | None) -> dict[tuple[str, str], str]:
    """(header|footer, default|first|even) → part name in the package, from the last section."""
    if sect is None or "word/_rels/document.xml.rels" not in package.namelist():
        return {}
    rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for kind in ("header", "footer"):
        for ref in sect.findall(w(f"{kind}Reference")):
            target = targets.get(ref.get(f"{{{R}}}id"), "")
            name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
            if name in package.namelist():
                out[(kind, ref.get(w("type")) or "default")] = name
    return out


_NUMPAGES = re.compile(r"\bNUMPAGES\b")


def _headers_and_footers(old_pkg: zipfile.ZipFile, new_pkg: zipfile.ZipFile, old_sect: etree._Element | None,
                         new_sect: etree._Element | None, revs: Revisions, one_section: bool) -> dict[str, bytes]:
    """NEW's headers and footers with OLD's text as tracked changes; "av N" counting the agreement's pages."""
    old_parts = _parts_by_reference(old_pkg, old_sect)
    out = {}
    for ref, name in _parts_by_reference(new_pkg, new_sect).items():
        new_root = etree.fromstring(new_pkg.read(name))
        blocks = list(new_root)
        old_name = old_parts.get(ref)
        old_blocks = list(etree.fromstring(old_pkg.read(old_name))) if old_name else []
        merged = relocate(BlockDiffer(revs).blocks(old_blocks, blocks), revs)
        for child in blocks:
            new_root.remove(child)
        new_root.extend(merged)
        if one_section:  # the cover is a section of its own: count the agreement's pages only
            for node in new_root.iter(w("instrText")):
                node.text = _NUMPAGES.sub("SECTIONPAGES", node.text or "")
            for node in new_root.iter(w("fldSimple")):
                node.set(w("instr"), _NUMPAGES.sub("SECTIONPAGES", node.get(w("instr")) or ""))
        out[name] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


_AFTER_PGNUM = {w(t) for t in "cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
                "printerSettings sectPrChange".split()}


def _number_from_one(sect: etree._Element) -> None:
    """Number the section's pages from 1 (the cover before it is not counted)."""
    found = sect.find(w("pgNumType"))
    if found is None:
        found = etree.Element(w("pgNumType"))
        later = [c for c in sect if c.tag in _AFTER_PGNUM]
        if later:
            later[0].addprevious(found)
        else:
            sect.append(found)
    found.set(w("start"), "1")


# -- moves --------------------------------------------------------------------------------------


def _pair_moves(root: etree._Element) -> None:
    """A move range whose other end is not in the document becomes a plain deletion or insertion."""
    names = {kind: {el.get(w("name")) for el in root.iter(w(f"{kind}RangeStart"))} for kind in ("moveFrom", "moveTo")}
    lonely = {"moveFrom": names["moveFrom"] - names["moveTo"], "moveTo": names["moveTo"] - names["moveFrom"]}
    for kind, plain in (("moveFrom", "del"), ("moveTo", "ins")):
        for start in [el for el in root.iter(w(f"{kind}RangeStart")) if el.get(w("name")) in lonely[kind]]:
            ident = start.get(w("id"))
            end = next((el for el in root.iter(w(f"{kind}RangeEnd")) if el.get(w("id")) == ident), None)
            inside, on = [], False
            for el in root.iter():
                if el is start:
                    on = True
                elif el is end:
                    break
                elif on and el.tag == w(kind):
                    inside.append(el)
            for el in inside:
                el.tag = w(plain)
                if plain == "del":
                    for t in el.iter(w("t")):
                        t.tag = w("delText")
            for el in (start, end):
                if el is not None:
                    el.getparent().remove(el)


# -- the document ------------------------------------------------------------------------------


def _sides(old_body: list[etree._Element], new_body: list[etree._Element], old_styles: etree._Element | None,
           new_styles: etree._Element | None, structure: tuple[Agreement, Agreement, Matching]) -> tuple[Side, Side]:
    old, new, matching = structure
    return (
        locate(old_body, agreement_parts(old), matching, "old", outline_levels(old_styles)),
        locate(new_body, agreement_parts(new), matching, "new", outline_levels(new_styles)),
    )


def _styles(package: zipfile.ZipFile) -> etree._Element | None:
    return etree.fromstring(package.read("word/styles.xml")) if "word/styles.xml" in package.namelist() else None


def redline_docx(
    old_docx: bytes,
    new_docx: bytes,
    when: date,
    comparison: Comparison | None = None,
    author: str = AUTHOR,
    structure: tuple[Agreement, Agreement, Matching] | None = None,
) -> bytes:
    """NEW's document with OLD→NEW as tracked changes; a cover page first when ``comparison`` is given.

    ``structure`` (the two agreements and their matching) makes the redline
    pair areas, medborgarlöften and activities as the summary does and mark
    moves; without it the bodies are compared as text.
    """
    old_pkg, old_root = _read(old_docx, "tidigare version")
    new_pkg, new_root = _read(new_docx, "ny version")
    old_body, new_body = old_root.find(w("body")), new_root.find(w("body"))
    old_sect, sect = old_body.find(w("sectPr")), new_body.find(w("sectPr"))
    revs = Revisions(_max_id(new_root) + 2, when, author)
    old_blocks = [b for b in old_body if b.tag != w("sectPr")]
    new_blocks = [b for b in new_body if b.tag != w("sectPr")]
    if structure is not None:
        old_side, new_side = _sides(old_blocks, new_blocks, _styles(old_pkg), _styles(new_pkg), structure)
        moved = old_side.moved | new_side.moved
        differ = BlockDiffer(revs, old_side.ident, new_side.ident, lambda key: key in moved)
        merged = differ.blocks(old_side.items, new_side.items)
    else:
        merged = BlockDiffer(revs).blocks(old_blocks, new_blocks)
    mark_moves(merged, revs)
    merged = relocate(merged, revs)
    one_section = not any(b.find(f"{w('pPr')}/{w('sectPr')}") is not None for b in new_blocks if b.tag == w("p"))
    if comparison is not None:
        merged = cover(comparison, _styles(new_pkg), sect, _max_id(new_root) + 1) + merged
        if sect is not None:
            _number_from_one(sect)
    parts = _headers_and_footers(old_pkg, new_pkg, old_sect, sect, revs, comparison is not None and one_section)
    for child in list(new_body):
        if child.tag != w("sectPr"):
            new_body.remove(child)
    for n, block in enumerate(merged):
        new_body.insert(n, block)
    _pair_moves(new_body)
    etree.cleanup_namespaces(new_body)
    document = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in new_pkg.infolist():
            data = document if info.filename == DOCUMENT else parts.get(info.filename) or new_pkg.read(info.filename)
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
    matching: Matching | None = None,
) -> bytes:
    """Render both versions with the same template and return the redline .docx.

    The redline pairs parts by the same matching as the summary (made here
    unless given). Tracked changes are by "samverkan", dated NEW's document
    date at midnight UTC.
    """
    matching = matching or match(old, new)
    old_docx = render_docx(old, document, template)
    new_docx = render_docx(new, document, template)
    return redline_docx(old_docx, new_docx, new.document_date, comparison or compare(old, new, matching),
                        structure=(old, new, matching))


__all__ = ["AUTHOR", "START_BOOKMARK", "redline", "redline_docx"]


def __getattr__(name: str) -> object:
    """``diff``, ``DiffResult`` and ``redline_stem`` live in :mod:`.review`; older imports from here still work."""
    if name in ("diff", "DiffResult", "redline_stem"):
        from . import review

        return getattr(review, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
