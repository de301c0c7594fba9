"""`samverkan diff` with a .docx or PDF on one side: the comparison and its Word redline.

:func:`diff_plain` reads the document (with the agreement's own words as the
lexicon that decides a PDF's line-end hyphens), picks the agreement's render
– samverkansöverenskommelse or medborgarlöfte – whose text is most like the
document's, compares them (:mod:`.plain`) and writes the redline: the render
with the document's text as the other side, as Word tracked changes by
:func:`~samverkan.compare.redline.redline_docx`. Accepting every change gives
NEW's text, rejecting every change OLD's. Tables are laid out as their cells'
paragraphs on both sides, and the document's paragraphs take the style of
the render paragraph they pair with (or of their role: heading, list item).
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ..documents.reading import lexicon_of, read_document
from ..documents.render import documents_for, output_stem
from ..errors import ConversionError
from ..fsutil import slug, write_bytes
from ..model.loader import load
from .plain import PlainComparison, Render, Side, compare_plain, document_side, is_document, render_side
from .redline import redline_docx
from .textdiff import similarity
from .trackchanges import W, w

if TYPE_CHECKING:
    from ..documents.convert import Converter


# -- the redline -------------------------------------------------------------------------


def _package_with_body(docx: bytes, paragraphs: Sequence[etree._Element]) -> bytes:
    """The render's package with its body replaced by ``paragraphs`` (the section properties kept)."""
    package = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(package.read("word/document.xml"))
    body = root.find(w("body"))
    for child in list(body):
        if child.tag != w("sectPr"):
            body.remove(child)
    for n, p in enumerate(paragraphs):
        body.insert(n, copy.deepcopy(p))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    return out.getvalue()


def _style_ids(docx: bytes) -> dict[str, str]:
    package = zipfile.ZipFile(io.BytesIO(docx))
    if "word/styles.xml" not in package.namelist():
        return {}
    found = {}
    for style in etree.fromstring(package.read("word/styles.xml")).iter(w("style")):
        name = style.find(w("name"))
        if style.get(w("type")) == "paragraph" and name is not None:
            found.setdefault((name.get(w("val")) or "").lower(), style.get(w("styleId")) or "")
    return found


def _paragraph(text: str, like: etree._Element | None, style: str | None) -> etree._Element:
    """A w:p with ``text``, styled like the render paragraph it pairs with (or by the block's role)."""
    p = etree.Element(w("p"), nsmap={"w": W})
    ppr = like.find(w("pPr")) if like is not None else None
    if ppr is not None:
        p.append(copy.deepcopy(ppr))
    elif style:
        etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle")).set(w("val"), style)
    run = etree.SubElement(p, w("r"))
    first = like.find(f"{w('r')}/{w('rPr')}") if like is not None else None
    if first is not None:
        run.append(copy.deepcopy(first))
    for n, line in enumerate(text.split("\n")):
        if n:
            etree.SubElement(run, w("br"))
        t = etree.SubElement(run, w("t"))
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def plain_redline(comparison: PlainComparison, render: Render, when: date) -> bytes:
    """The render with the document's text as the other side, as Word tracked changes."""
    plain = comparison.old if comparison.old.plain else comparison.new
    styles = _style_ids(render.docx)
    partner: dict[int, int] = {}
    for xs, ys in comparison.pairs:
        doc_side, render_side = (xs, ys) if comparison.old.plain else (ys, xs)
        for d in doc_side:
            if render_side:
                partner[d] = render_side[0]
    built = [
        _paragraph(text, render.elements[partner[n]] if n in partner else None, styles.get(plain.styles[n]))
        for n, text in enumerate(plain.paragraphs)
    ]
    render_docx_flat = _package_with_body(render.docx, render.elements)
    document_docx = _package_with_body(render.docx, built)
    if comparison.old.plain:
        return redline_docx(document_docx, render_docx_flat, when)
    return redline_docx(render_docx_flat, document_docx, when)


def diff_plain(
    old_path: Path | str,
    new_path: Path | str,
    output: Path | None = Path("output"),
    template: Path | None = None,
    pdf: bool = True,
    converter: Converter | None = None,
) -> PlainComparison:
    """Compare an agreement file with a .docx/.pdf (either side), or two documents; write the redline.

    With an agreement file on one side the redline lands in
    ``output/<kommun>/``; two plain documents are compared as text only.
    """
    old_path, new_path = Path(old_path), Path(new_path)
    sides: dict[str, Side] = {}
    render: Render | None = None
    plain_paths = [p for p in (old_path, new_path) if is_document(p)]
    file_path = next((p for p in (old_path, new_path) if not is_document(p)), None)
    if file_path is not None:
        agreement = load(file_path)
        kinds = dict.fromkeys(d for d, _ in documents_for(agreement))
        renders = [render_side(file_path, agreement, d, template) for d in kinds]
        read = read_document(plain_paths[0], lexicon_of(t for r in renders for t in r.side.paragraphs))
        document_text = " ".join(read.paragraphs())
        # The render (överenskommelse or medborgarlöfte) whose text is most like the document's.
        render = max(renders, key=lambda r: similarity(" ".join(r.side.paragraphs), document_text))
        sides[str(file_path)] = render.side
        sides[str(plain_paths[0])] = document_side(read)
    else:
        for p in plain_paths:
            sides[str(p)] = document_side(read_document(p))
    comparison = compare_plain(sides[str(old_path)], sides[str(new_path)])
    if output is None or render is None or render.side.agreement is None:
        return comparison
    agreement = render.side.agreement
    plain = plain_paths[0]
    stem = f"{output_stem(agreement, render.side.document or 'overenskommelse')}-jamfort-med-{slug(plain.stem)}"
    docx = output / slug(agreement.parter.kommun.ort) / f"{stem}.docx"
    when = agreement.document_date  # never "now", and no date made up: the same input gives the same file
    write_bytes(docx, plain_redline(comparison, render, when))
    files: tuple[Path, ...] = (docx,)
    if pdf:
        from ..documents.convert import default_converter
        from ..documents.redlinetags import tag_changes

        target = docx.with_suffix(".pdf")
        try:
            (converter or default_converter()).convert([(docx, target)])
        except ConversionError as e:
            raise ConversionError(f"{e}\nJämförelsedokumentet finns som Word-fil: {docx}") from None
        write_bytes(target, tag_changes(target.read_bytes()))  # deletions and insertions told to a screen reader
        files += (target,)
    return PlainComparison(comparison.old, comparison.new, comparison.pairs, comparison.unchanged,
                           comparison.rebroken, comparison.changes, files)


__all__ = ["diff_plain", "plain_redline"]
