"""Filling a compiled template (samverkan.documents.docxfill) gives what docxtpl's own render gives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree
from test_render import FULL, all_text, make_template

from samverkan.documents.context import build_context
from samverkan.documents.links import add_links, add_relationships
from samverkan.documents.render import (
    DOCUMENTS,
    environment,
    render_docx,
    template_path,
)
from samverkan.errors import TemplateError
from samverkan.model.loader import loads


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def linked(theirs: zipfile.ZipFile) -> dict[str, bytes]:
    """docxtpl's package with the links docxfill adds (samverkan.documents.links) added the same way."""
    members = {name: theirs.read(name) for name in theirs.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    links = add_links(root.find(qn("w:body")))
    members["word/document.xml"] = etree.tostring(root)
    members["word/_rels/document.xml.rels"] = add_relationships(members["word/_rels/document.xml.rels"], links)
    return members


def without_provenance(xml: bytes) -> bytes:
    """A part with the references to samverkan's provenance parts (documents/provenance.py) taken out."""
    root = etree.fromstring(xml)
    for el in list(root):
        rel_id = el.get("Id") or ""
        provenance = "Samverkan" in rel_id and not rel_id.startswith("rIdSamverkanLink")  # links are compared
        if provenance or el.get("PartName") in ("/docProps/custom.xml", "/customXml/itemProps2.xml"):
            root.remove(el)
    return etree.tostring(root)


PROVENANCE = {"docProps/custom.xml", "customXml/item2.xml", "customXml/itemProps2.xml", "customXml/_rels/item2.xml.rels"}


@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_package_as_docxtpl_render(document: str) -> None:
    # Without citations: footnotes are placed after filling, which docxtpl does not do.
    agreement = loads(FULL.replace("      kallor: [tm-2019]\n", "").replace("    kallor: [ntu-2023]\n", ""))
    ours = zipfile.ZipFile(io.BytesIO(render_docx(agreement, document)))
    reference = DocxTemplate(str(template_path(document)))
    reference.render(build_context(agreement, document), environment(), autoescape=True)
    buffer = io.BytesIO()
    reference.save(buffer)
    theirs = linked(zipfile.ZipFile(buffer))
    assert sorted(set(ours.namelist()) - PROVENANCE) == sorted(theirs)
    compared = 0
    for name, data in theirs.items():
        if name.endswith((".xml", ".rels")) and name != "docProps/core.xml":  # core properties are ours, not the template's
            assert canonical(without_provenance(ours.read(name))) == canonical(data), name
            compared += 1
    assert compared >= 8
    assert b"w:hyperlink" in theirs["word/document.xml"]  # FULL's methods are linked to their pages


def test_a_changed_template_is_read_again(tmp_path: Path) -> None:
    template = make_template(tmp_path / "egen.docx", "Första {{ doc.title }}")
    assert "Första Samverkansöverenskommelse" in all_text(render_docx(loads(FULL), template=template))
    make_template(template, "Andra versionen: {{ doc.title }}")
    text = all_text(render_docx(loads(FULL), template=template))
    assert "Andra versionen: Samverkansöverenskommelse" in text and "Första" not in text


def test_template_without_core_properties_gets_them(tmp_path: Path) -> None:
    built = make_template(tmp_path / "med.docx", "{{ doc.title }}")
    template = tmp_path / "utan.docx"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(template, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                continue
            if name in ("_rels/.rels", "[Content_Types].xml"):
                root = etree.fromstring(data)
                for element in list(root):
                    if "core-properties" in (element.get("Type", "") + element.get("ContentType", "")):
                        root.remove(element)
                data = etree.tostring(root)
            target.writestr(name, data)
    result = docx.Document(io.BytesIO(render_docx(loads(FULL), template=template)))
    assert result.core_properties.title.startswith("Samverkansöverenskommelse mellan Oxelösunds kommun")
    assert result.core_properties.language == "sv-SE"


def test_tags_that_break_the_xml_are_a_template_error(tmp_path: Path) -> None:
    # A run-level {% if %} in a paragraph whose {% endif %} sits in a table
    # cell cuts the table's opening tags away and leaves its closing ones.
    template = tmp_path / "trasig.docx"
    document = docx.Document()
    document.add_paragraph("{% if doc.title == 'ingen' %}före")
    document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run("{% endif %}efter")
    document.save(str(template))
    with pytest.raises(TemplateError) as caught:
        render_docx(loads(FULL), template=template)
    message = str(caught.value)
    assert message.startswith(f"{template}: mallen gav ett trasigt dokument (XMLSyntaxError")
    assert "{%p …%} för hela stycken" in message
