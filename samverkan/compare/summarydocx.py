"""The change summary as a short Word document, ready to paste into a tjänsteskrivelse.

`samverkan diff --format docx` writes it. It is made from NEW's rendered
agreement, so it has the kommun's own template: its fonts, its heading and
list styles and its page setup. Only the body is new – a heading, the two
versions, and the sections of :mod:`.summary` as bulleted lists – and the
header and footer are left out (the agreement's Versionskod and UTKAST mark
belong to the agreement, not to a tjänsteskrivelse). Deleted words are struck
through, inserted words underlined, as Swedish legal texts show amendments.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from .changes import Comparison
from .cover import style_id
from .summary import NO_CHANGES, header_lines, summary
from .trackchanges import XML, W, w

DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
LEGEND = "Borttagna ord är genomstrukna, tillagda ord understrukna."


def _para(style: str | None, spans: list[tuple[str, str]]) -> etree._Element:
    p = etree.Element(w("p"), nsmap={"w": W})
    if style:
        etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle")).set(w("val"), style)
    pieces: list[tuple[str, str]] = []
    for op, text in spans:  # spaces around a marked stretch are not marked
        core = text.strip()
        if op == "=" or not core:
            pieces.append(("=", text))
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        pieces += [("=", lead), (op, core), ("=", trail)]
    for op, text in pieces:
        if not text:
            continue
        r = etree.SubElement(p, w("r"))
        if op != "=":
            rpr = etree.SubElement(r, w("rPr"))
            if op == "-":
                etree.SubElement(rpr, w("strike"))
            else:
                etree.SubElement(rpr, w("u")).set(w("val"), "single")
        t = etree.SubElement(r, w("t"))
        t.text = text
        t.set(f"{{{XML}}}space", "preserve")
    return p


def summary_blocks(c: Comparison, styles: etree._Element | None) -> list[etree._Element]:
    """The body: heading, versions, legend when needed, then each section as a list."""
    heading1 = style_id(styles, "heading 1", "title")
    heading2 = style_id(styles, "heading 2", "heading 1")
    normal = style_id(styles, "normal")
    bullets = [style_id(styles, "list bullet"), style_id(styles, "list bullet 2", "list bullet"),
               style_id(styles, "list bullet 3", "list bullet 2", "list bullet")]
    out = [_para(heading1, [("=", f"Ändringar i {c.new.title}")])]
    out += [_para(normal, [("=", line)]) for line in header_lines(c)]
    sections = summary(c)
    if any(op != "=" for s in sections for line in s.lines for op, _ in line.spans):
        out.append(_para(normal, [("=", LEGEND)]))
    if not sections:
        out.append(_para(normal, [("=", NO_CHANGES)]))
    for section in sections:
        out.append(_para(heading2, [("=", section.heading)]))
        for line in section.lines:
            out.append(_para(bullets[min(line.level, 2)], list(line.spans)))
    return out


def summary_document(c: Comparison, new_docx: bytes) -> bytes:
    """The summary in the style of ``new_docx`` (NEW's rendered agreement)."""
    package = zipfile.ZipFile(io.BytesIO(new_docx))
    root = etree.fromstring(package.read(DOCUMENT))
    body = root.find(w("body"))
    styles = etree.fromstring(package.read("word/styles.xml")) if "word/styles.xml" in package.namelist() else None
    sect = body.find(w("sectPr"))
    for child in list(body):
        body.remove(child)
    body.extend(summary_blocks(c, styles))
    if sect is not None:
        for ref in sect.findall(w("headerReference")) + sect.findall(w("footerReference")):
            sect.remove(ref)
        title_page = sect.find(w("titlePg"))
        if title_page is not None:
            sect.remove(title_page)
        body.append(sect)
    etree.cleanup_namespaces(root)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == DOCUMENT:
                data = document
            elif info.filename == CORE:
                data = _core(data, f"Ändringar i {c.new.title}")
            target.writestr(info, data)
    return out.getvalue()


def _core(data: bytes, title: str) -> bytes:
    """NEW's document properties with the summary's title and no agreement-specific notes."""
    root = etree.fromstring(data)
    for el in root:
        name = etree.QName(el).localname
        if name == "title":
            el.text = title
        elif name in ("description", "keywords", "identifier", "subject"):
            el.text = ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


__all__ = ["LEGEND", "summary_blocks", "summary_document"]
