"""Fill one docxtpl template many times without re-reading it (issue 8).

docxtpl's own ``render`` opens the template package with python-docx,
cleans the XML of body, headers and footers for Jinja (``patch_xml``) and
compiles it, renders, parses the result back into the package and saves it,
every time. For a batch of hundreds of documents from the same two
templates all of that except the Jinja rendering is the same work again, so
:func:`compile_template` does it once per template file (the caller keeps
the result) and :func:`fill` only renders: about a third of the time per
document.

The result is the document docxtpl would make: the same cleaned template
text, rendered the same way (docxtpl's own ``resolve_listing`` for tabs and
line breaks in values and ``fix_tables`` for table grids), in the package
python-docx writes, as a zip with a fixed member order and timestamps; then
web addresses and note markers in the body are made links (:mod:`.links`).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

from .external import refuse_external
from . import footnotes
from .links import Links, add_links, add_relationships

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_PARAGRAPH = re.compile(r"<w:p([ >])")
_MARKED_PARAGRAPH = re.compile(r"\n<w:p([ >])")
_LISTING = ("\t", "\a", "\n", "\f")

# docxtpl's text helpers (patch_xml, resolve_listing, fix_tables) do not use
# the template they belong to, so one instance serves every template.
_DOCXTPL = DocxTemplate("")


@dataclass(frozen=True)
class Part:
    """One XML part with Jinja tags: its member name and its cleaned template text."""

    name: str
    source: str


@dataclass(frozen=True)
class CompiledTemplate:
    """What filling a template needs, read from the template file once."""

    members: tuple[tuple[str, bytes], ...]  # the package as python-docx saves it
    body: Part  # the main document's <w:body>
    skeleton: Any  # the main document's root element without its body
    body_index: int
    parts: tuple[Part, ...]  # headers, footers and footnotes
    core: str  # member name of the core properties
    core_xml: bytes
    footnotes: str | None = None  # member name of the footnotes part, if the template has one

    @property
    def sources(self) -> tuple[str, ...]:
        """The Jinja text of every part, one paragraph per line (for error messages)."""
        return (self.body.source, *(part.source for part in self.parts))


def compile_template(path: Path) -> CompiledTemplate:
    """Read the template at ``path``; python-docx's errors propagate.

    A template that would make the converter read a file or the network is
    refused (:class:`TemplateError`, see :mod:`.external`).

    The caller keeps the result for as long as the file is unchanged
    (:func:`samverkan.render._inspect` caches it by modification time and size).
    """
    document = docx.Document(str(path))
    document.core_properties  # noqa: B018 - creates the part in a template that has none
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        members = refuse_external(path, ((name, package.read(name)) for name in package.namelist()))
    main = document.part
    root = parse_xml(main.blob)
    body = root.find(docx.oxml.ns.qn("w:body"))
    body_index = root.index(body)
    root.remove(body)
    parts = [
        rel.target_part
        for rel in main.rels.values()
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external and rel.target_part.blob
    ]
    parts += [part for part in main.package.iter_parts() if part.content_type == _FOOTNOTES]
    footnotes = next((_member(p.partname) for p in main.package.iter_parts() if p.content_type == _FOOTNOTES), None)
    core = main.package.part_related_by(RT.CORE_PROPERTIES)
    return CompiledTemplate(
        members=members,
        body=Part(_member(main.partname), _clean(etree.tostring(body, encoding="unicode"))),
        skeleton=root,
        body_index=body_index,
        parts=tuple(Part(_member(part.partname), _clean(_text(part.blob))) for part in parts),
        core=_member(core.partname),
        core_xml=core.blob,
        footnotes=footnotes,
    )


def _member(partname: str) -> str:
    return partname.lstrip("/")


def _text(blob: bytes) -> str:
    return etree.tostring(parse_xml(blob), encoding="unicode")


def _clean(xml: str) -> str:
    """docxtpl's cleaning, with every paragraph on a line of its own (as docxtpl renders it)."""
    return _PARAGRAPH.sub(r"\n<w:p\1", _DOCXTPL.patch_xml(xml))


def fill(
    compiled: CompiledTemplate,
    render: Callable[[str], str],
    properties: Callable[[CoreProperties], None],
    notes: dict[int, str] | None = None,
    extra: Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]] | None = None,
) -> bytes:
    """The filled document as .docx bytes.

    ``render`` turns a part's Jinja text into XML (the caller owns the Jinja
    environment and its errors); ``properties`` sets the core properties;
    ``notes`` are the footnotes whose places the text holds (see
    :mod:`.footnotes`). A part whose rendered XML is not well-formed raises
    lxml's XMLSyntaxError. ``extra`` may change the package's members before
    they are zipped.
    """
    document, links = _document(compiled, _rendered(compiled.body, render), compiled.footnotes is not None)
    replaced = {compiled.body.name: document}
    if links.targets:
        rels_name = _rels_name(compiled.body.name)
        rels = dict(compiled.members)[rels_name]
        replaced[rels_name] = add_relationships(rels, links)
    for part in compiled.parts:
        replaced[part.name] = serialize_part_xml(etree.fromstring(_rendered(part, render).encode("utf-8")))
    if compiled.footnotes is not None:
        replaced[compiled.footnotes] = footnotes.footnotes_xml(notes or {})
    core = parse_xml(compiled.core_xml)
    properties(CoreProperties(core))
    replaced[compiled.core] = serialize_part_xml(core)
    members = [(name, replaced.get(name, data)) for name, data in compiled.members]
    return write_package(extra(members) if extra is not None else members)


def _rendered(part: Part, render: Callable[[str], str]) -> str:
    xml = render(part.source)
    # A carriage return from a value ("\r" in YAML) must survive parsing, where XML turns it into "\n".
    xml = _MARKED_PARAGRAPH.sub(r"<w:p\1", xml.replace("\r", "&#13;"))
    if any(mark in xml for mark in _LISTING):  # tabs and line breaks inside a value
        xml = _DOCXTPL.resolve_listing(xml)
    return xml


def _document(compiled: CompiledTemplate, body_xml: str, as_footnotes: bool) -> tuple[bytes, Links]:
    """The main document part around the filled body: footnotes placed, addresses and note markers linked."""
    etree.fromstring(body_xml)  # strict: fix_tables below would quietly repair broken XML
    body = _DOCXTPL.fix_tables(body_xml)
    footnotes.place(body, as_footnotes)
    for number, drawing in enumerate(body.iter(_WP_DOCPR), start=1001):  # docxtpl's fix_docpr_ids
        drawing.set("id", str(number))
    links = add_links(body)
    root = copy.deepcopy(compiled.skeleton)
    root.insert(compiled.body_index, body)
    return serialize_part_xml(root), links


def _rels_name(member: str) -> str:
    """``word/document.xml`` → ``word/_rels/document.xml.rels``."""
    folder, _, name = member.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def write_package(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A .docx zip with a stable member order (content types first, properties last) and fixed timestamps."""
    members = list(members)
    position = {name: i for i, (name, _) in enumerate(members)}
    order = sorted(members, key=lambda m: (m[0] != "[Content_Types].xml", m[0].startswith("docProps/"), position[m[0]]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, data, compresslevel=6)
    return out.getvalue()
