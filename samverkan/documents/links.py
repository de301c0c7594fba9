"""Clickable web addresses and source notes in the filled Word document.

The agreement's text reaches the template as plain strings, so a web address
or an e-mail address would be printed but not clickable, and a note marker
such as ``[1]`` would only look like a reference. After the template is
filled, :func:`add_links` turns, in the body:

* every ``http(s)://…`` address into a hyperlink to itself and every e-mail
  address into a ``mailto:`` hyperlink;
* every marker ``[n]`` into an internal hyperlink to the paragraph that
  starts with ``[n]`` (the entry in the list of sources), which gets a
  bookmark.

Word shows them as links; LibreOffice exports them as PDF link annotations
inside ``/Link`` structure elements, so a screen reader can follow a note
marker to its source (PDF/UA-1 7.9, 7.18.5). Markers without a source entry
and text in headers and footers are left alone. Links use the character
style "Hyperlink" when the template defines it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
LINK_STYLE = "Hyperlink"
PENDING_LINK = "rIdSamverkanPending"
"""The relationship id a template's own link carries (its target in ``w:tooltip``) until the document is filled."""
BOOKMARK_PREFIX = "kalla"  # letters and digits only: LibreOffice rewrites other characters in PDF destination names

_URL = r"https?://[^\s<>\"\[\]]+[^\s<>\"\[\].,;:!?)]"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_MARKER = r"\[(\d{1,3})\]"
_PATTERN = re.compile(f"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<marker>{_MARKER})")
_SOURCE_START = re.compile(r"^\s*\[(\d{1,3})\]")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Links:
    """The external targets the body now links to, each with its relationship id."""

    targets: dict[str, str] = field(default_factory=dict)

    def rel_id(self, target: str) -> str:
        if target not in self.targets:
            self.targets[target] = f"rIdSamverkanLink{len(self.targets) + 1}"
        return self.targets[target]


def add_links(body: etree._Element) -> Links:
    """Link addresses and note markers in ``body`` (a filled ``w:body``) in place."""
    links = Links()
    for link in body.iter(w("hyperlink")):  # the template's own links: their relationships now
        if link.get(f"{{{R}}}id") == PENDING_LINK:
            target = link.get(w("tooltip")) or ""
            if re.match(r"(https?://|mailto:)", target):
                link.set(f"{{{R}}}id", links.rel_id(target))
            else:  # not an address a reader can follow: the text stays, without a link
                parent = link.getparent()
                at = parent.index(link)
                for offset, child in enumerate(list(link)):
                    parent.insert(at + offset, child)
                parent.remove(link)
    sources = _bookmark_sources(body)
    for paragraph in list(body.iter(w("p"))):
        source_number = _source_number(paragraph)
        depth = 0  # inside a field (a HYPERLINK field the template made is a link already)
        for run in [r for r in paragraph if r.tag == w("r")]:
            for char in run.iter(w("fldChar")):
                depth += {"begin": 1, "end": -1}.get(char.get(w("fldCharType")) or "", 0)
            if depth == 0 and run.find(w("fldChar")) is None:
                _link_run(run, links, sources, skip_marker=source_number)
    return links


def split_addresses(text: str) -> list[tuple[str, str | None]]:
    """``text`` in pieces, each with the link target of a web or e-mail address in it (``mailto:…``), else None.

    The same addresses :func:`add_links` links in Word and the PDF; the web page links them too.
    """
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for match in _PATTERN.finditer(text):
        if match.group("marker"):
            continue
        if match.start() > at:
            pieces.append((text[at : match.start()], None))
        target = match.group("url") or f"mailto:{match.group('email')}"
        pieces.append((match.group(0), target))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def add_relationships(rels_xml: bytes, links: Links) -> bytes:
    """``word/_rels/document.xml.rels`` with a hyperlink relationship for each external target."""
    if not links.targets:
        return rels_xml
    root = etree.fromstring(rels_xml)
    for target, rel_id in links.targets.items():
        rel = etree.SubElement(root, f"{{{RELS}}}Relationship")
        rel.set("Id", rel_id)
        rel.set("Type", REL_HYPERLINK)
        rel.set("Target", target)
        rel.set("TargetMode", "External")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def _source_number(paragraph: etree._Element) -> str | None:
    found = _SOURCE_START.match(_text(paragraph))
    return found.group(1) if found else None


def _bookmark_sources(body: etree._Element) -> set[str]:
    """Bookmark each source entry (a paragraph starting with ``[n]``); the numbers that have one."""
    ids = [int(b.get(w("id"), "0")) for b in body.iter(w("bookmarkStart")) if (b.get(w("id")) or "").isdigit()]
    next_id = max(ids, default=0) + 1
    numbered: set[str] = set()
    for paragraph in body.iter(w("p")):
        number = _source_number(paragraph)
        if number is None or number in numbered:
            continue
        numbered.add(number)
        runs = [child for child in paragraph if child.tag == w("r")]
        start = etree.Element(w("bookmarkStart"))
        start.set(w("id"), str(next_id))
        start.set(w("name"), f"{BOOKMARK_PREFIX}{number}")
        end = etree.Element(w("bookmarkEnd"))
        end.set(w("id"), str(next_id))
        next_id += 1
        runs[0].addprevious(start)
        runs[-1].addnext(end)
    return numbered


def _link_run(run: etree._Element, links: Links, sources: set[str], skip_marker: str | None) -> None:
    """Split ``run`` around the addresses and markers in its text; wrap those pieces in w:hyperlink."""
    pieces: list[tuple[etree._Element, dict[str, str] | None]] = []  # (run child, link attributes)
    found = False
    for child in [c for c in run if c.tag != w("rPr")]:
        if child.tag != w("t") or not child.text:
            pieces.append((child, None))
            continue
        text, at = child.text, 0
        for match in _PATTERN.finditer(text):
            target = _target(match, links, sources, skip_marker)
            if target is None:
                continue
            found = True
            if match.start() > at:
                pieces.append((_t(text[at : match.start()]), None))
            pieces.append((_t(match.group(0)), target))
            at = match.end()
        if at == 0:
            pieces.append((child, None))
        elif at < len(text):
            pieces.append((_t(text[at:]), None))
    if not found:
        return
    rpr = run.find(w("rPr"))
    parent, position = run.getparent(), run.getparent().index(run)
    parent.remove(run)
    replacement: list[etree._Element] = []
    for child, target in pieces:
        if target is None and replacement and replacement[-1].tag == w("r"):
            replacement[-1].append(child)
            continue
        new_run = _run(rpr, link=target is not None)
        new_run.append(child)
        if target is None:
            replacement.append(new_run)
        else:
            hyperlink = etree.Element(w("hyperlink"))
            for name, value in target.items():
                hyperlink.set(name, value)
            hyperlink.append(new_run)
            replacement.append(hyperlink)
    for offset, element in enumerate(replacement):
        parent.insert(position + offset, element)


def _target(match: re.Match[str], links: Links, sources: set[str], skip_marker: str | None) -> dict[str, str] | None:
    if match.group("url"):
        url = match.group("url")
        return {f"{{{R}}}id": links.rel_id(url), w("tooltip"): url, w("history"): "1"}
    if match.group("email"):
        email = match.group("email")
        return {f"{{{R}}}id": links.rel_id(f"mailto:{email}"), w("tooltip"): f"E-post till {email}", w("history"): "1"}
    number = match.group("marker")[1:-1]
    if number in sources and number != skip_marker:
        # No w:tooltip here: LibreOffice 25.2 drops an internal link that has one (pdffinish describes it instead).
        return {w("anchor"): f"{BOOKMARK_PREFIX}{number}", w("history"): "1"}
    return None


def _t(text: str) -> etree._Element:
    element = etree.Element(w("t"))
    element.text = text
    if text != text.strip():
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _run(rpr: etree._Element | None, *, link: bool) -> etree._Element:
    run = etree.Element(w("r"))
    props = etree.fromstring(etree.tostring(rpr)) if rpr is not None else None
    if link:
        props = props if props is not None else etree.Element(w("rPr"))
        for old in props.findall(w("rStyle")):
            props.remove(old)
        style = etree.Element(w("rStyle"))
        style.set(w("val"), LINK_STYLE)
        props.insert(0, style)
    if props is not None:
        run.append(props)
    return run
