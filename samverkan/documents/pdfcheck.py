"""Inspect a finished PDF: the facts the tests and the publish step verify.

Everything here is read with pypdf from the file as written: the page tree,
the document catalog (/Lang, /MarkInfo, /ViewerPreferences, /Outlines), the
document information dictionary and the XMP metadata stream (PDF/A and PDF/UA
identification). Nothing is modified, so checking a PDF can never break its
PDF/A claim.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject, IndirectObject

from ..errors import ConversionError

_NS_PDFA = "http://www.aiim.org/pdfa/ns/id/"
_NS_PDFUA = "http://www.aiim.org/pdfua/ns/id/"
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass
class PdfReport:
    """What a PDF says about itself; sizes in PostScript points (1/72 inch)."""

    pages: int
    page_sizes: list[tuple[float, float]]
    tagged: bool
    lang: str | None
    title: str | None
    display_doc_title: bool
    has_outlines: bool
    pdfa_part: str | None
    pdfa_conformance: str | None
    pdfua_part: str | None
    fonts_not_embedded: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def inspect_pdf(path: Path) -> PdfReport:
    """Read ``path`` and report pages, tags, language, title, PDF/A and fonts.

    Raises :class:`ConversionError` naming the file if it is not a readable PDF.
    """
    path = Path(path)
    try:
        reader = PdfReader(path)
        pages = list(reader.pages)
        catalog = _resolve(reader.trailer["/Root"])
    except (OSError, PdfReadError, KeyError, ValueError) as e:
        raise ConversionError(f"{path}: filen är ingen läsbar PDF ({e}) – skapa den igen med samverkan render") from None

    xmp = _xmp_values(catalog)
    mark_info = _resolve(catalog.get("/MarkInfo")) or {}
    prefs = _resolve(catalog.get("/ViewerPreferences")) or {}
    outlines = _resolve(catalog.get("/Outlines")) or {}
    info = reader.metadata
    lang = catalog.get("/Lang")
    return PdfReport(
        pages=len(pages),
        page_sizes=[(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pages],
        tagged=bool(mark_info.get("/Marked", False)) and "/StructTreeRoot" in catalog,
        lang=str(lang) if lang is not None else None,
        title=str(info.title) if info is not None and info.title else None,
        display_doc_title=bool(prefs.get("/DisplayDocTitle", False)),
        has_outlines="/First" in outlines,
        pdfa_part=xmp.get((_NS_PDFA, "part")),
        pdfa_conformance=xmp.get((_NS_PDFA, "conformance")),
        pdfua_part=xmp.get((_NS_PDFUA, "part")),
        fonts_not_embedded=_fonts_not_embedded(pages),
        text=[p.extract_text() or "" for p in pages],
    )


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _xmp_values(catalog: DictionaryObject) -> dict[tuple[str, str], str]:
    """Every simple XMP property as {(namespace, name): value}.

    XMP may write a property as an element (<pdfaid:part>2</pdfaid:part>) or
    as an attribute of rdf:Description (pdfaid:part="2"); both are read.
    """
    stream = _resolve(catalog.get("/Metadata"))
    if stream is None:
        return {}
    try:
        root = ET.fromstring(stream.get_data())
    except ET.ParseError:
        return {}
    values: dict[tuple[str, str], str] = {}
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.startswith("{"):
                ns, local = name[1:].split("}", 1)
                values.setdefault((ns, local), value.strip())
        if isinstance(element.tag, str) and element.tag.startswith("{") and len(element) == 0 and element.text:
            ns, local = element.tag[1:].split("}", 1)
            values.setdefault((ns, local), element.text.strip())
    return values


def _fonts_not_embedded(pages: list[Any]) -> list[str]:
    """Names of fonts used on any page (or in its form XObjects) without a font file."""
    missing: set[str] = set()
    seen: set[int] = set()

    def visit_resources(resources: Any) -> None:
        resources = _resolve(resources)
        if not isinstance(resources, DictionaryObject) or id(resources) in seen:
            return
        seen.add(id(resources))
        fonts = _resolve(resources.get("/Font")) or {}
        for font in fonts.values():
            check_font(_resolve(font))
        xobjects = _resolve(resources.get("/XObject")) or {}
        for xobject in xobjects.values():
            xobject = _resolve(xobject)
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                visit_resources(xobject["/Resources"])

    def check_font(font: DictionaryObject) -> None:
        subtype = font.get("/Subtype")
        if subtype == "/Type3":  # glyphs are drawn by the PDF itself
            if "/Resources" in font:
                visit_resources(font["/Resources"])
            return
        if subtype == "/Type0":
            for descendant in _resolve(font.get("/DescendantFonts")) or []:
                check_font(_resolve(descendant))
            return
        descriptor = _resolve(font.get("/FontDescriptor")) or {}
        if not any(key in descriptor for key in _FONT_FILES):
            missing.add(str(font.get("/BaseFont", "(namnlöst typsnitt)")).lstrip("/"))

    for page in pages:
        visit_resources(page.get("/Resources"))
    return sorted(missing)
