"""inspect_pdf on hand-made PDFs: each fact is read from where the PDF keeps it.

The LibreOffice-made PDFs are checked in test_convert.py; here every field is
shown to turn false/None when the PDF lacks it, and true when it has it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from samverkan.documents.pdfcheck import inspect_pdf
from samverkan.errors import ConversionError

# pypdf has no public way to add an indirect object; _add_object is what its
# own helpers use.

XMP_ELEMENTS = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""

XMP_ATTRIBUTES = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="3" pdfaid:conformance="U"/>
</rdf:RDF></x:xmpmeta>"""


def bare_pdf(pages: list[tuple[float, float]]) -> PdfWriter:
    writer = PdfWriter()
    for width, height in pages:
        writer.add_blank_page(width=width, height=height)
    return writer


def test_a_bare_pdf_claims_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bare.pdf"
    bare_pdf([(595.28, 841.89), (612, 792)]).write(path)
    report = inspect_pdf(path)
    assert report.pages == 2
    assert report.page_sizes == [(595.28, 841.89), (612.0, 792.0)]
    assert not report.tagged
    assert report.lang is None and report.title is None
    assert not report.display_doc_title and not report.has_outlines
    assert report.pdfa_part is None and report.pdfa_conformance is None and report.pdfua_part is None
    assert report.fonts_not_embedded == []
    assert report.text == ["", ""]


def test_catalog_info_and_xmp_are_read(tmp_path: Path) -> None:
    path = tmp_path / "claims.pdf"
    writer = bare_pdf([(595.28, 841.89)])
    writer.add_metadata({"/Title": "Medborgarlöfte Åre 2025"})
    writer.add_outline_item(title="Del 1", page_number=0)
    catalog = writer.root_object
    catalog[NameObject("/Lang")] = TextStringObject("sv-SE")
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    catalog[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")}))
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    xmp = DecodedStreamObject()
    xmp.set_data(XMP_ELEMENTS)
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    catalog[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.write(path)

    report = inspect_pdf(path)
    assert report.tagged
    assert report.lang == "sv-SE"
    assert report.title == "Medborgarlöfte Åre 2025"
    assert report.display_doc_title
    assert report.has_outlines
    assert (report.pdfa_part, report.pdfa_conformance, report.pdfua_part) == ("2", "B", "1")


def test_xmp_properties_written_as_attributes(tmp_path: Path) -> None:
    path = tmp_path / "attributes.pdf"
    writer = bare_pdf([(595.28, 841.89)])
    xmp = DecodedStreamObject()
    xmp.set_data(XMP_ATTRIBUTES)
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.write(path)
    report = inspect_pdf(path)
    assert (report.pdfa_part, report.pdfa_conformance, report.pdfua_part) == ("3", "U", None)


def test_marked_without_structure_tree_is_not_tagged(tmp_path: Path) -> None:
    path = tmp_path / "marked.pdf"
    writer = bare_pdf([(595.28, 841.89)])
    writer.root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    writer.write(path)
    assert not inspect_pdf(path).tagged


def test_fonts_without_font_file_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "fonts.pdf"
    writer = bare_pdf([(595.28, 841.89)])
    page = writer.pages[0]
    helvetica = DictionaryObject(
        {NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"), NameObject("/BaseFont"): NameObject("/Helvetica")}
    )
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): NameObject("/DejaVuSans"),
            NameObject("/FontDescriptor"): DictionaryObject({NameObject("/FontName"): NameObject("/DejaVuSans")}),
        }
    )
    type0 = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/DejaVuSans"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
        }
    )
    embedded_file = DecodedStreamObject()
    embedded_file.set_data(b"\x00")
    embedded = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/TrueType"),
            NameObject("/BaseFont"): NameObject("/ABCDEF+Carlito"),
            NameObject("/FontDescriptor"): DictionaryObject({NameObject("/FontFile2"): writer._add_object(embedded_file)}),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): helvetica, NameObject("/F2"): type0, NameObject("/F3"): embedded})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    writer.write(path)
    assert inspect_pdf(path).fonts_not_embedded == ["DejaVuSans", "Helvetica"]


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7 but nothing else", b"Hej"], ids=["empty", "truncated", "text"])
def test_unreadable_file_names_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "trasig.pdf"
    path.write_bytes(content)
    with pytest.raises(ConversionError, match="trasig.pdf: filen är ingen läsbar PDF"):
        inspect_pdf(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="saknas.pdf: filen är ingen läsbar PDF"):
        inspect_pdf(tmp_path / "saknas.pdf")
