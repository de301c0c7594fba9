"""The machine-checkable rules of PDF/A-2b and PDF/UA-1 that samverkan's PDFs must keep.

The README promises archivable (PDF/A-2b) and accessible (PDF/UA-1, sv-SE)
documents. :func:`conformance_problems` checks what a program can check of
that promise on a finished PDF, read with :mod:`.pdfcontent`:

=========  ====================================================================
rule       what is required
=========  ====================================================================
pdfa       XMP says PDF/A-2b and PDF/UA-1; every XMP namespace is predefined
           or declared as a PDF/A extension schema (ISO 19005-2 6.6.2.3)
metadata   Info entries equal their XMP twins; dates in PDF date syntax,
           real dates (ISO 19005-2 6.6.3, ISO 32000-1 7.9.4)
tagged     /MarkInfo /Marked, a structure tree with a ParentTree
lang       /Lang set, a language tag
title      dc:title set and shown in the window bar (DisplayDocTitle)
untagged   every text, image and path is in a structure element or an Artifact
mcid       every marked-content id belongs to exactly one element, and exists;
           the ParentTree names that element
figure     every Figure has alt text and really contains an image; every image
           that is not an artifact sits in a Figure
list       L > LI > (Lbl, LBody), every item labelled, a second-level list
           inside its parent's item
heading    the first heading H1, no skipped level, none empty
table      every Table has header cells (TH with a Scope, or cells with
           /Headers); a table only for the layout is not a Table
font       every font embedded, with a ToUnicode map covering every code used
unicode    no Private Use or replacement characters in the tagged text
link       every link annotation tagged (/StructParent) with /Contents; pages
           with annotations have /Tabs /S
note       every note marker [n] whose source is listed is a link to it; every footnote links back to its place
=========  ====================================================================

Not covered: what needs a person (is the alt text meaningful, is the
reading order sensible) and the full veraPDF rule sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pikepdf

from .pdfcontent import Element, PdfContent, read_pdf

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}
# Namespaces PDF/A-2 lets XMP use without an extension schema (ISO 19005-2 6.6.2.3.1, XMP 2005).
PREDEFINED = {
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/", "http://ns.adobe.com/xap/1.0/rights/",
    "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/", "http://ns.adobe.com/pdf/1.3/", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/camera-raw-settings/1.0/", "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
    "http://ns.adobe.com/tiff/1.0/", "http://www.aiim.org/pdfa/ns/id/", "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#", "http://ns.adobe.com/xap/1.0/sType/Version#",
    "http://ns.adobe.com/xap/1.0/sType/Job#", "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "http://ns.adobe.com/xap/1.0/sType/Font#", "http://ns.adobe.com/xap/1.0/g/", "http://ns.adobe.com/xap/1.0/g/img/",
    "http://www.aiim.org/pdfa/ns/extension/", "http://www.aiim.org/pdfa/ns/schema#",
    "http://www.aiim.org/pdfa/ns/property#", "http://www.aiim.org/pdfa/ns/type#", "http://www.aiim.org/pdfa/ns/field#",
    NS["rdf"], "adobe:ns:meta/", "http://www.w3.org/XML/1998/namespace",
}
PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'\d{2}'?)?$")
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
BULLETS = "•–-◦▪\uf0b7"
MARKER = re.compile(r"\[(\d{1,3})\]")
HEADINGS = {f"H{n}" for n in range(1, 7)}


@dataclass(frozen=True)
class Problem:
    """One broken rule: its name (see the module docstring) and what is wrong, in Swedish."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def conformance_problems(source: Path | PdfContent) -> list[Problem]:
    """Every rule ``source`` breaks; an empty list when it keeps them all."""
    content = source if isinstance(source, PdfContent) else read_pdf(source)
    found: list[Problem] = []
    for rule in (_pdfa, _metadata, _catalog, _untagged, _mcids, _figures, _lists, _tables, _headings, _fonts, _links, _notes):
        found += rule(content)
    return found


# -- metadata ---------------------------------------------------------------------------


def xmp_text(content: PdfContent, prefix: str, name: str) -> str | None:
    """A simple XMP property, written as an element or as an attribute; for rdf:Alt/Seq the first item."""
    if content.xmp is None:
        return None
    tag = f"{{{NS[prefix]}}}{name}"
    for description in content.xmp.iter(f"{{{NS['rdf']}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag].strip()
        element = description.find(tag)
        if element is not None:
            items = element.findall(".//rdf:li", NS)
            return (items[0].text or "").strip() if items else (element.text or "").strip()
    return None


def _pdfa(content: PdfContent) -> list[Problem]:
    if content.xmp is None:
        return [Problem("pdfa", "XMP-metadata saknas, så PDF/A- och PDF/UA-identifikationen saknas")]
    problems = []
    if (xmp_text(content, "pdfaid", "part"), xmp_text(content, "pdfaid", "conformance")) != ("2", "B"):
        problems.append(Problem("pdfa", "XMP säger inte PDF/A-2b (pdfaid:part 2, pdfaid:conformance B)"))
    if xmp_text(content, "pdfuaid", "part") != "1":
        problems.append(Problem("pdfa", "XMP säger inte PDF/UA-1 (pdfuaid:part 1)"))
    intents = [i for i in content.pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFA1"]
    try:
        profiles = [i.DestOutputProfile.read_bytes() for i in intents]
    except (AttributeError, pikepdf.PdfError):
        profiles = []
    if len(profiles) != 1 or profiles[0][36:40] != b"acsp":
        problems.append(Problem("pdfa", "ingen läsbar PDF/A-färgprofil (OutputIntent GTS_PDFA1 med ICC-profil)"))
    declared = {(e.text or "").strip() for e in content.xmp.iter(f"{{{NS['pdfaSchema']}}}namespaceURI")}
    used = set()
    for element in content.xmp.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            used.add(element.tag[1:].split("}")[0])
        used |= {name[1:].split("}")[0] for name in element.attrib if name.startswith("{")}
    undeclared = sorted(used - PREDEFINED - declared)
    if undeclared:
        problems.append(Problem("pdfa", f"XMP använder namnrymder utan PDF/A-tilläggsschema: {', '.join(undeclared)}"))
    return problems


def parse_pdf_date(raw: str) -> datetime | None:
    """A strict ISO 32000-1 7.9.4 date (all fields), or None."""
    found = PDF_DATE.match(raw)
    if not found:
        return None
    year, month, day, hour, minute, second, zone = found.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        when -= sign * (datetime(1, 1, 1, int(zone[1:3]), int(zone[4:6])) - datetime(1, 1, 1))
    return when


def _xmp_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _metadata(content: PdfContent) -> list[Problem]:
    info = content.pdf.trailer.get("/Info")
    if info is None:
        return []
    problems = []
    pairs = {"/Title": ("dc", "title"), "/Author": ("dc", "creator"), "/Subject": ("dc", "description"),
             "/Keywords": ("pdf", "Keywords"), "/Creator": ("xmp", "CreatorTool"), "/Producer": ("pdf", "Producer")}
    for key, (prefix, name) in pairs.items():
        if key in info and str(info[key]) != xmp_text(content, prefix, name):
            problems.append(Problem("metadata", f"Info {key[1:]} {str(info[key])!r} skiljer sig från XMP {prefix}:{name}"))
    for key, name in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        raw_xmp = xmp_text(content, "xmp", name)
        if raw_xmp is not None and (_xmp_date(raw_xmp) is None or _xmp_date(raw_xmp).year < 1900):
            problems.append(Problem("metadata", f"XMP xmp:{name} {raw_xmp!r} är inget riktigt datum"))
        if key not in info:
            continue
        when = parse_pdf_date(str(info[key]))
        if when is None:
            problems.append(Problem("metadata", f"Info {key[1:]} {str(info[key])!r} följer inte PDF:s datumformat"))
        elif when != _xmp_date(raw_xmp):
            problems.append(Problem("metadata", f"Info {key[1:]} {str(info[key])!r} skiljer sig från XMP xmp:{name} {raw_xmp!r}"))
    return problems


def _catalog(content: PdfContent) -> list[Problem]:
    root = content.pdf.Root
    problems = []
    mark = root.get("/MarkInfo") or {}
    if not mark.get("/Marked") or mark.get("/Suspects"):
        problems.append(Problem("tagged", "/MarkInfo säger inte /Marked true"))
    tree = root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree:
        problems.append(Problem("tagged", "strukturträd eller ParentTree saknas"))
    lang = str(root.get("/Lang", ""))
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang):
        problems.append(Problem("lang", f"dokumentspråket (/Lang) är {lang or 'inte satt'}"))
    if not xmp_text(content, "dc", "title"):
        problems.append(Problem("title", "titeln (dc:title) saknas"))
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        problems.append(Problem("title", "titeln visas inte i fönstrets namnlist (DisplayDocTitle)"))
    return problems


# -- content and structure ------------------------------------------------------------


def _untagged(content: PdfContent) -> list[Problem]:
    names = {"text": "text", "image": "bild", "path": "linje/yta"}
    return [
        Problem("untagged", f"sida {page.number}: {count} × {names[kind]} varken taggad eller markerad som artefakt")
        for page in content.pages
        for kind, count in sorted(page.unmarked.items())
        if count
    ]


def _mcids(content: PdfContent) -> list[Problem]:
    owners: dict[tuple[int, int], int] = {}
    for element in content.elements:
        for key in element.content:
            owners[key] = owners.get(key, 0) + 1
    painted = {(page.number, mcid) for page in content.pages for mcid in page.mcid_order}
    problems = []
    orphans = sorted(painted - set(owners))
    if orphans:
        problems.append(Problem("mcid", f"innehåll som inget strukturelement äger (sida, MCID): {orphans[:5]}"))
    twice = sorted(key for key, count in owners.items() if count > 1)
    if twice:
        problems.append(Problem("mcid", f"innehåll som två strukturelement äger: {twice[:5]}"))
    missing = sorted(set(owners) - painted)
    if missing:
        problems.append(Problem("mcid", f"strukturelement pekar på innehåll som inte finns: {missing[:5]}"))
    wrong = _parent_tree_mismatches(content)
    if wrong:
        problems.append(Problem("mcid", f"ParentTree pekar på fel strukturelement för (sida, MCID): {wrong[:5]}"))
    return problems


def _parent_tree_mismatches(content: PdfContent) -> list[tuple[int, int]]:
    """(page, MCID) whose ParentTree entry is not the element that holds it (ISO 32000-1 14.7.4.4)."""
    root = content.pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return []
    arrays: dict[int, pikepdf.Object] = {}
    nodes = [root.ParentTree]
    while nodes:
        node = nodes.pop()
        nums = node.get("/Nums") or []
        arrays.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)})
        nodes += list(node.get("/Kids") or [])
    holder = {key: e.obj.objgen for e in content.elements if e.obj.is_indirect for key in e.content}
    wrong = []
    for number, page in enumerate(content.pdf.pages, start=1):
        array = arrays.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(array, pikepdf.Array):
            continue
        for mcid in range(len(array)):
            owner = array[mcid]
            expected = holder.get((number, mcid))
            if expected is not None and (not isinstance(owner, pikepdf.Dictionary) or owner.objgen != expected):
                wrong.append((number, mcid))
    return wrong


def _figures(content: PdfContent) -> list[Problem]:
    by_page = {page.number: page for page in content.pages}
    problems = []
    in_figures: set[tuple[int, int]] = set()
    for figure in (e for e in content.elements if e.std == "Figure"):
        keys = figure.all_content()
        in_figures.update(keys)
        if not figure.alt and not str(figure.obj.get("/ActualText", "")).strip():
            problems.append(Problem("figure", f"en figur på sida {figure.page} saknar alternativtext"))
        if not any(by_page[p].mcid_images[m] for p, m in keys if p in by_page):
            problems.append(Problem("figure", f"en figur på sida {figure.page} innehåller ingen bild"))
    for page in content.pages:
        stray = [m for m, count in page.mcid_images.items() if count and (page.number, m) not in in_figures]
        if stray:
            problems.append(Problem("figure", f"sida {page.number}: bild utanför en figur (MCID {stray[:5]})"))
    return problems


def _lists(content: PdfContent) -> list[Problem]:
    problems = []
    for element in content.elements:
        kinds = [child.std for child in element.children]
        if element.std == "L":
            if any(k not in ("LI", "L", "Caption") for k in kinds) or element.content:
                problems.append(Problem("list", f"en lista på sida {element.page} har annat än listpunkter ({kinds})"))
            # LibreOffice names a list paragraph's role after its level ("List 2"), Word's styles do too ("List Bullet 2").
            roles = {p.role for item in element.children for body in item.children if body.std == "LBody" for p in body.children}
            nested = any(re.search(r"\s[2-9]$", role) for role in roles)
            if nested and (element.parent is None or element.parent.std not in ("LI", "LBody", "L")):
                problems.append(Problem("list", f"en underlista på sida {element.page} står efter sin överordnade lista, inte i den"))
        elif element.std == "LI":
            if any(k not in ("Lbl", "LBody") for k in kinds):
                problems.append(Problem("list", f"en listpunkt på sida {element.page} har annat än Lbl och LBody ({kinds})"))
            if "Lbl" not in kinds:
                problems.append(Problem("list", f"en listpunkt på sida {element.page} saknar etikett (Lbl)"))
        elif element.std == "LBody" and content.text_of(element)[:1] in BULLETS:
            problems.append(Problem("list", f"en listpunkt på sida {element.page} har sin punkt i texten, inte i Lbl"))
    return problems


def _tables(content: PdfContent) -> list[Problem]:
    """PDF/UA-1 7.5: a data table says which header cells each cell belongs to."""
    problems = []
    for table in (e for e in content.elements if e.std == "Table"):
        cells = [e for e in table.descendants() if e.std in ("TH", "TD")]
        headers = [c for c in cells if c.std == "TH"]
        if not headers and not any("/Headers" in _attributes(c) for c in cells):
            problems.append(Problem("table", f"en tabell på sida {table.page} har inga rubrikceller (TH) – "
                                             "är den bara för layouten ska den inte vara en Table"))
        unscoped = [c for c in headers if "/Scope" not in _attributes(c)]
        if unscoped:
            problems.append(Problem("table", f"{len(unscoped)} rubrikceller på sida {table.page} saknar /Scope"))
    return problems


def _attributes(element: Element) -> set[str]:
    """The keys of an element's Table attributes."""
    found = element.obj.get("/A")
    items = list(found) if isinstance(found, pikepdf.Array) else [found]
    return {str(k) for a in items if isinstance(a, pikepdf.Dictionary) and a.get("/O") == "/Table" for k in a.keys()}


def _headings(content: PdfContent) -> list[Problem]:
    heads = [e for e in content.elements if e.std in HEADINGS or e.std == "H"]
    problems = []
    if any(e.std == "H" for e in heads) and any(e.std != "H" for e in heads):
        problems.append(Problem("heading", "både H och H1–H6 används"))
    previous = 0
    for element in (e for e in heads if e.std != "H"):
        level = int(element.std[1])
        text = content.text_of(element)
        if previous == 0 and level != 1:
            problems.append(Problem("heading", f"första rubriken är H{level}, inte H1 ({text[:40]!r})"))
        elif level > previous + 1 and previous:
            problems.append(Problem("heading", f"rubriknivå hoppar från H{previous} till H{level} vid {text[:40]!r} (sida {element.page})"))
        if not text:
            problems.append(Problem("heading", f"tom rubrik (H{level}) på sida {element.page}"))
        previous = level
    return problems


def _fonts(content: PdfContent) -> list[Problem]:
    problems = []
    for font in content.fonts:
        if not font.embedded:
            problems.append(Problem("font", f"typsnittet {font.name} är inte inbäddat"))
        if not font.has_to_unicode:
            problems.append(Problem("font", f"typsnittet {font.name} saknar ToUnicode-tabell"))
        if font.unmapped:
            problems.append(Problem("font", f"typsnittet {font.name} har tecken utan Unicode ({len(font.unmapped)} koder)"))
    text = content.tagged_text()
    private = sorted({f"U+{ord(c):04X}" for c in PRIVATE_USE.findall(text)})
    if private:
        problems.append(Problem("unicode", f"tecken från Private Use Area i den taggade texten: {', '.join(private)}"))
    if "\ufffd" in text:
        problems.append(Problem("unicode", "ersättningstecken (U+FFFD) i den taggade texten"))
    return problems


def _links(content: PdfContent) -> list[Problem]:
    linked = {a.objgen for e in content.elements if e.std == "Link" for a in e.annotations if a.is_indirect}
    problems = []
    for number, page in enumerate(content.pdf.pages, start=1):
        annotations = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") not in ("/Popup",)]
        if annotations and page.obj.get("/Tabs") != pikepdf.Name.S:
            problems.append(Problem("link", f"sida {number} har länkar men inte /Tabs /S"))
        for annotation in annotations:
            if annotation.get("/Subtype") != "/Link":
                continue
            if not str(annotation.get("/Contents", "")).strip():
                problems.append(Problem("link", f"en länk på sida {number} saknar beskrivning (/Contents)"))
            if "/StructParent" not in annotation or annotation.objgen not in linked:
                problems.append(Problem("link", f"en länk på sida {number} ligger inte i ett Link-element"))
    return problems


def _notes(content: PdfContent) -> list[Problem]:
    """Note markers [n] whose source entry (a paragraph starting with [n]) exists must be links."""
    by_page = {page.number: page for page in content.pages}

    def own_text(element: Element) -> str:
        return " ".join(by_page[p].mcid_text.get(m, "") for p, m in element.content if p in by_page)

    starts = {}
    for element in content.elements:
        found = re.match(r"\s*\[(\d{1,3})\]\s*\S", content.text_of(element))  # an entry: the marker, then its text
        if found and element.std not in ("Link", "Reference", "Span"):
            starts[id(element)] = found.group(1)
    sources = set(starts.values())
    problems = []
    for element in content.elements:
        if element.std == "Link" or id(element) in starts:
            continue
        for marker in MARKER.findall(own_text(element)):
            if marker in sources:
                problems.append(Problem("note", f"hänvisningen [{marker}] på sida {element.page} är ingen länk till källan"))
    # A footnote (Word's, tagged Note by LibreOffice): its number links back to the place in the text that cites it.
    for element in content.elements:
        if element.std != "Note":
            continue
        linked = any(inner.std == "Link" for inner in _descendants(element))
        if not linked:
            problems.append(Problem("note", f"fotnoten på sida {element.page} är ingen länk till stället i texten"))
    return problems


def _descendants(element: Element) -> list[Element]:
    found, stack = [], list(element.children)
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(child.children)
    return found
