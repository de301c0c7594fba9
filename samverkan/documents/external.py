"""A Word template may not reach outside itself.

A template is trusted less than the code: nothing in it may make the
converter, or Word when someone opens the result, read a file or the
network. A .docx can point outside itself in three ways, and each is
refused with the template's name and what to do:

- an external relationship (``TargetMode="External"``) of any kind but a
  hyperlink: a linked image (``r:link``), a linked OLE object, frame,
  subdocument or alternative-format chunk. A hyperlink is only followed when
  a reader clicks it, so it stays. The one exception is Word's record of the
  template a document was made from (``attachedTemplate``, often a path like
  ``C:\\Users\\…\\Normal.dotm``): it is dropped, not refused, since Word puts
  it in almost every file and nothing is read through it;
- a field that includes another file or asks another program
  (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDE``, ``DDEAUTO``,
  ``IMPORT``, ``DATABASE``);
- a VML image whose source is an address (``src="http://…"``, ``o:href``).

LibreOffice is also started with linked content blocked (see
:mod:`.office`), so a link this check did not foresee is still not fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ..errors import TemplateError

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
_FIELDS = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT|DATABASE)\b", re.IGNORECASE)
# Field instructions, in document order: a complex field's may be split over several runs.
_FIELD_PIECE = re.compile(
    r"<w:fldChar\b[^>]*w:fldCharType=\"(begin|separate|end)\"|<w:instrText\b[^>]*>([^<]*)</w:instrText>|\bw:instr=\"([^\"]*)\""
)
_ADDRESS = re.compile(r"""\b(?:src|o:href|href)=["'](?:[a-z][a-z0-9+.-]*:|\\\\)""", re.IGNORECASE)
_VML = re.compile(r"<v:imagedata\b[^>]*>|<v:fill\b[^>]*>|<o:OLEObject\b[^>]*>", re.IGNORECASE)

_KINDS = {
    "image": "en länkad bild",
    "oleObject": "ett länkat objekt",
    "frame": "en länkad ram",
    "subDocument": "ett länkat underdokument",
    "aFChunk": "ett länkat dokument (altChunk)",
    "package": "ett länkat paket",
}


def refuse_external(template: Path, members: Iterable[tuple[str, bytes]]) -> tuple[tuple[str, bytes], ...]:
    """The template's package members, checked; ``attachedTemplate`` links dropped.

    Raises :class:`TemplateError` naming ``template`` for anything that
    would be read from outside the file.
    """
    members = tuple(members)
    dropped: dict[str, set[str]] = {}  # part → relationship ids removed from it
    out: list[tuple[str, bytes]] = []
    for name, data in members:
        if name.endswith(".rels"):
            data, removed = _check_relationships(template, name, data)
            if removed:
                dropped[_source_part(name)] = removed
        elif name.endswith(".xml"):
            _check_part(template, name, data)
        out.append((name, data))
    if dropped:
        out = [(name, _without_attached(data) if name in dropped else data) for name, data in out]
    return tuple(out)


def _check_relationships(template: Path, name: str, data: bytes) -> tuple[bytes, set[str]]:
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise TemplateError(f"{template}: mallens del {name} är skadad – spara mallen på nytt i Word") from None
    removed: set[str] = set()
    for rel in list(root):
        if rel.get("TargetMode") != "External":
            continue
        kind = rel.get("Type", "")
        if kind == _HYPERLINK:
            continue
        if kind == _ATTACHED_TEMPLATE:
            removed.add(rel.get("Id", ""))
            root.remove(rel)
            continue
        what = _KINDS.get(kind.rsplit("/", 1)[-1], f"en extern länk ({kind.rsplit('/', 1)[-1]})")
        raise TemplateError(
            f"{template}: mallen innehåller {what} till {rel.get('Target', '')!r}, som skulle hämtas när dokumentet "
            "skapas eller öppnas – bädda in innehållet i mallen (i Word: Infoga › Bilder, inte Länka till fil) "
            "eller ta bort det"
        )
    if not removed:
        return data, removed
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), removed


def _check_part(template: Path, name: str, data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    for instruction in _instructions(text):
        found = _FIELDS.match(instruction)
        if found:
            raise TemplateError(
                f"{template}: mallen innehåller fältet {found.group(1).upper()} (i {name}), som hämtar innehåll från "
                "en annan fil eller ett annat program – ta bort fältet och klistra in innehållet i mallen"
            )
    for element in _VML.findall(text):
        if _ADDRESS.search(element):
            raise TemplateError(
                f"{template}: mallen innehåller en bild eller ett objekt som hämtas från en adress (i {name}) – "
                "bädda in bilden i mallen i stället"
            )


def _instructions(text: str) -> list[str]:
    """Every field instruction in a part, the pieces of a complex field joined (nested fields apart)."""
    found: list[str] = []
    open_fields: list[list[str]] = []
    for match in _FIELD_PIECE.finditer(text):
        kind, piece, simple = match.groups()
        if simple is not None:
            found.append(simple)
        elif kind == "begin":
            open_fields.append([])
        elif kind in ("separate", "end") and open_fields:
            found.append("".join(open_fields.pop() if kind == "end" else open_fields[-1]))
            if kind == "separate":
                open_fields[-1] = []  # the result follows: no more instruction for this field
        elif piece is not None and open_fields:
            open_fields[-1].append(piece)
    return found + ["".join(pieces) for pieces in open_fields]


def _source_part(rels_name: str) -> str:
    """``word/_rels/settings.xml.rels`` → ``word/settings.xml``."""
    folder, _, file = rels_name.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


def _without_attached(data: bytes) -> bytes:
    return re.sub(rb"<w:attachedTemplate\b[^>]*/>", b"", data)
