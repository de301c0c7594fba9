"""Where a rendered .docx came from, carried invisibly inside it.

A draft goes out as .docx and comes back edited. To bring the edits back
into the YAML (``samverkan import … --into``) the tool must know which
version of which agreement the document was made from, and what that
version said, even when the file has been changed since. Every rendered
.docx therefore carries:

- custom document properties (``docProps/custom.xml``): the version code
  (``samverkan-versionskod``, the same code the footer prints), the document
  kind (``samverkan-dokument``) and, for a medborgarlöfte, its id;
- a custom XML part (``customXml/item…``) holding the agreement's validated
  content as JSON (its values, never the YAML's comments).

Both are kept by Word and by LibreOffice (measured with 25.2: it keeps the
custom properties and custom XML parts through a .docx save). Neither is
shown in the document or exported to its PDF, and both are the same for the
same input, so rendering stays byte-identical.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from lxml import etree

from ..model.models import Agreement

CODE = "samverkan-versionskod"
KIND = "samverkan-dokument"
PROMISE = "samverkan-medborgarlofte"
NAMESPACE = "urn:samverkan:kalla:1"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_ITEM_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_ITEM_ID = "{5A3F6B2E-7C1D-4E8A-9B0F-2D6C8E4A1B37}"  # fixed: the same document must give the same bytes


@dataclass(frozen=True)
class Provenance:
    """What a document says about its source."""

    code: str | None
    kind: str | None
    promise: str | None
    source: dict | None  # the agreement's content as JSON, when the document carries it


def _properties(props: dict[str, str]) -> bytes:
    root = etree.Element("Properties", nsmap={None: "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
                                              "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"})
    for pid, (name, value) in enumerate(props.items(), start=2):
        prop = etree.SubElement(root, "property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _source_xml(agreement: Agreement) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}kalla", nsmap={None: NAMESPACE})
    # The file's own order (the version code's canonical form sorts lists it does not print in order).
    root.text = json.dumps(agreement.model_dump(mode="json", exclude_none=True), ensure_ascii=False, separators=(",", ":"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _item_props() -> bytes:
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    root = etree.Element(f"{{{ds}}}datastoreItem", nsmap={"ds": ds})
    root.set(f"{{{ds}}}itemID", _ITEM_ID)
    etree.SubElement(etree.SubElement(root, f"{{{ds}}}schemaRefs"), f"{{{ds}}}schemaRef").set(f"{{{ds}}}uri", NAMESPACE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_relationship(xml: bytes, rel_type: str, target: str) -> bytes:
    root = etree.fromstring(xml)
    ids = {r.get("Id") for r in root}
    number = 1
    while f"rIdSamverkan{number}" in ids:
        number += 1
    etree.SubElement(root, f"{{{_PKG_REL}}}Relationship", Id=f"rIdSamverkan{number}", Type=rel_type, Target=target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_override(xml: bytes, part: str, content_type: str) -> bytes:
    root = etree.fromstring(xml)
    etree.SubElement(root, f"{{{_CT}}}Override", PartName=part, ContentType=content_type)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def members(existing: list[tuple[str, bytes]], agreement: Agreement, document: str,
            promise_id: str | None = None) -> list[tuple[str, bytes]]:
    """The package's members with the provenance added (``existing`` as name, data pairs)."""
    names = {name for name, _ in existing}
    number = 1
    while f"customXml/item{number}.xml" in names:
        number += 1
    item = f"customXml/item{number}.xml"
    props = {CODE: agreement.fingerprint(), KIND: document}
    if promise_id:
        props[PROMISE] = promise_id
    out = []
    for name, data in existing:
        if name == "[Content_Types].xml":
            data = _add_override(data, "/docProps/custom.xml", _CUSTOM_TYPE)
            data = _add_override(data, f"/customXml/itemProps{number}.xml", _ITEM_PROPS_TYPE)
        elif name == "_rels/.rels":
            data = _add_relationship(data, f"{_REL}/custom-properties", "docProps/custom.xml")
        elif name == "word/_rels/document.xml.rels":
            data = _add_relationship(data, f"{_REL}/customXml", f"../{item}")
        out.append((name, data))
    out += [
        (item, _source_xml(agreement)),
        (f"customXml/itemProps{number}.xml", _item_props()),
        (f"customXml/_rels/item{number}.xml.rels", _add_relationship(
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
            f"{_REL}/customXmlProps", f"itemProps{number}.xml")),
        ("docProps/custom.xml", _properties(props)),
    ]
    return out


def stamp(data: bytes, agreement: Agreement, document: str, promise_id: str | None = None) -> bytes:
    """A rendered .docx with its provenance added."""
    from .docxfill import write_package

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        existing = [(name, package.read(name)) for name in package.namelist()]
    return write_package(members(existing, agreement, document, promise_id))


def read(properties: dict[str, str], custom_parts: list[bytes]) -> Provenance:
    """The provenance of a document from its custom properties and custom XML parts."""
    source = None
    for part in custom_parts:
        try:
            root = etree.fromstring(part, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        if root.tag == f"{{{NAMESPACE}}}kalla":
            try:
                source = json.loads(root.text or "")
            except ValueError:
                source = None
            break
    return Provenance(code=properties.get(CODE), kind=properties.get(KIND), promise=properties.get(PROMISE), source=source)


__all__ = ["CODE", "KIND", "PROMISE", "Provenance", "members", "read", "stamp"]
