"""The redline PDF's own page numbers, in the top margin: "Jämförelsedokument · Sida 3 av 5".

The redline numbers the agreement's pages as the agreement does ("Sida 1 av
3" after the cover page, issue 16), so its footers do not say which page of
the printed comparison a sheet is, and a loose sheet reads like a page of the
agreement itself. Every page of the redline PDF therefore also carries, in
the top margin above the agreement's header, :data:`LABEL` with the page's
number in the whole file – as a running header, an Artifact (PDF/UA-1 7.8)
of type Pagination. Only the PDF gets it: the .docx stays exactly the tracked
new version (accepting every change gives the agreement, issue 16).

The line is typeset by LibreOffice like the rest (a small document of as
many pages, with PAGE and NUMPAGES fields in its header), so its font is
embedded and mapped to Unicode as PDF/A and PDF/UA require; each of its
pages is drawn onto the redline's page of the same number as a form
XObject, its own marked-content tags removed (:func:`numbering_job`, then
:func:`overlay`).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pikepdf
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

LABEL = "Jämförelsedokument"
SIZE = Pt(8)
COLOUR = RGBColor(0x4D, 0x4D, 0x4D)  # 8.5:1 on white (WCAG 1.4.3 asks 4.5:1)
_MARKS = {"BDC", "BMC", "EMC"}
_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Header>> BDC"


def stamp_docx(pages: int, width: float, height: float) -> bytes:
    """A document of ``pages`` empty pages of ``width`` × ``height`` points, each headed with its number."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Pt(width), Pt(height)
    section.top_margin, section.header_distance = Pt(40), Pt(14)
    section.left_margin = section.right_margin = Pt(71)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text in (f"{LABEL} · Sida ", "PAGE", " av ", "NUMPAGES"):
        if text.isupper():
            _field(header, text)
        else:
            _run(header, text)
    for number in range(pages):
        document.add_paragraph().paragraph_format.page_break_before = number > 0
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _run(paragraph: object, text: str) -> object:
    run = paragraph.add_run(text)  # type: ignore[attr-defined]
    run.font.name, run.font.size, run.font.color.rgb = "Liberation Sans", SIZE, COLOUR
    return run


def _field(paragraph: object, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) formatted like the text around it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = _run(paragraph, "1")
    run._r.addprevious(field)  # type: ignore[attr-defined]
    field.append(run._r)  # type: ignore[attr-defined]


def overlay(target: bytes, stamp: bytes) -> bytes:
    """``target`` with page N of ``stamp`` drawn on its page N, untagged, as a pagination Artifact."""
    with pikepdf.open(io.BytesIO(target)) as pdf, pikepdf.open(io.BytesIO(stamp)) as source:
        if len(source.pages) != len(pdf.pages):
            raise ValueError(f"{len(source.pages)} sidnummer för {len(pdf.pages)} sidor")
        for page, numbered in zip(pdf.pages, source.pages):
            ops = [(operands, op) for operands, op in pikepdf.parse_content_stream(numbered) if str(op) not in _MARKS]
            form = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(ops))
            form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
            form.BBox = pikepdf.Array([float(v) for v in numbered.mediabox])
            form.Resources = pdf.copy_foreign(numbered.obj.get("/Resources", pikepdf.Dictionary()))
            name = page.add_resource(pdf.make_indirect(form), pikepdf.Name.XObject, prefix="Sidnummer")
            page.contents_add(pdf.make_stream(b"q " + _ARTIFACT + b" " + bytes(name) + b" Do EMC Q"), prepend=False)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def numbering_job(folder: Path, target: bytes) -> tuple[Path, Path]:
    """Write the numbering document for the PDF ``target`` (as many pages, as large) into ``folder``.

    Returns the (.docx, .pdf) pair to convert; convert it with the other documents of the same run.
    """
    with pikepdf.open(io.BytesIO(target)) as opened:
        pages = len(opened.pages)
        x1, y1, x2, y2 = (float(v) for v in opened.pages[0].mediabox)
    source, numbered = folder / "sidnummer.docx", folder / "sidnummer.pdf"
    source.write_bytes(stamp_docx(pages, x2 - x1, y2 - y1))
    return source, numbered


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return len(opened.pages)
