"""Accept all / reject all at the OOXML level, written independently of samverkan's redline code.

What Word does: accepting keeps insertions and moved-here text and drops
deletions and moved-away text (a paragraph whose mark is deleted or moved
away goes, a row marked deleted goes); rejecting does the opposite. Range
markers of moves are dropped either way.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
START_BOOKMARK = "samverkan-redline-start"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(docx: bytes, name: str = "word/document.xml") -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read(name))


def body_of(docx: bytes) -> etree._Element:
    return part(docx).find(w("body"))


def resolve_element(root: etree._Element, keep: str) -> etree._Element:
    """``root`` after accepting (keep="ins") or rejecting (keep="del") every change, in place.

    A paragraph whose mark goes is joined with the next paragraph, which keeps
    its own properties (Word's rule: properties live in the paragraph mark).
    """
    drop_tags = [w("del"), w("moveFrom")] if keep == "ins" else [w("ins"), w("moveTo")]
    keep_tags = [w("ins"), w("moveTo")] if keep == "ins" else [w("del"), w("moveFrom")]
    for marker in list(root.iter(*(w(f"{k}Range{e}") for k in ("moveFrom", "moveTo") for e in ("Start", "End")))):
        marker.getparent().remove(marker)
    joined: list[etree._Element] = []
    for mark in list(root.iter(*drop_tags)):
        parent = mark.getparent()
        if parent is None:
            continue
        if parent.tag == w("rPr") and parent.getparent().tag == w("pPr"):  # the paragraph mark goes
            joined.append(parent.getparent().getparent())
            parent.remove(mark)
        elif parent.tag == w("trPr"):  # the table row goes
            tr = parent.getparent()
            if tr.getparent() is not None:
                tr.getparent().remove(tr)
        else:
            parent.remove(mark)
    for mark in list(root.iter(*keep_tags)):
        parent = mark.getparent()
        if parent is None:
            continue
        if parent.tag in (w("rPr"), w("trPr")):
            parent.remove(mark)
            continue
        at = parent.index(mark)
        for n, child in enumerate(list(mark)):
            parent.insert(at + n, child)
        parent.remove(mark)
    for change in list(root.iter(w("pPrChange"))):
        pr = change.getparent()
        pr.remove(change)
        if keep == "del":  # rejected: the recorded properties come back
            old = change.find(w("pPr"))
            for child in [c for c in pr if c.tag not in (w("rPr"), w("sectPr"))]:
                pr.remove(child)
            for n, child in enumerate(list(old) if old is not None else []):
                pr.insert(n, child)
    for p in joined:
        if p.getparent() is None:
            continue
        content = [c for c in p if c.tag != w("pPr")]
        after = p.getnext()
        if after is not None and after.tag == w("p"):
            at = 1 if after.find(w("pPr")) is not None else 0
            for n, child in enumerate(content):
                after.insert(at + n, child)
        elif "".join(t.text or "" for c in content for t in c.iter(w("t"), w("delText"))):
            text = "".join(t.text or "" for c in content for t in c.iter(w("t"), w("delText")))
            raise AssertionError(f"a paragraph with text lost its mark before a table or at the end: {text!r}")
        p.getparent().remove(p)
    for node in root.iter(w("delText")):
        node.tag = w("t")
    for tbl in list(root.iter(w("tbl"))):
        if tbl.find(w("tr")) is None:
            tbl.getparent().remove(tbl)
    return root


def resolve(docx: bytes, keep: str) -> etree._Element:
    return resolve_element(body_of(docx), keep)


def paragraphs(root: etree._Element, styles: bool = False) -> list[str]:
    """Every paragraph's text in document order, tables included (with its style when asked)."""
    out = []
    for p in root.iter(w("p")):
        text = "".join("\t" if n.tag == w("tab") else n.text or "" for n in p.iter(w("t"), w("delText"), w("tab")))
        if styles:
            style = p.find(f"{w('pPr')}/{w('pStyle')}")
            text = f"{'' if style is None else style.get(w('val'))}|{text}"
        out.append(text)
    return out


def after_cover(body: etree._Element) -> etree._Element:
    """The body without the cover page: everything after the first section-break paragraph."""
    for n, block in enumerate(body):
        if block.tag == w("p") and block.find(f"{w('pPr')}/{w('sectPr')}") is not None:
            assert block.xpath(f".//w:bookmarkStart[@w:name='{START_BOOKMARK}']", namespaces=NS)
            for earlier in list(body)[: n + 1]:
                body.remove(earlier)
            return body
    raise AssertionError("no cover page")


def accepted(docx: bytes, cover: bool = True, styles: bool = False) -> list[str]:
    body = resolve(docx, "ins")
    return paragraphs(after_cover(body) if cover else body, styles)


def rejected(docx: bytes, cover: bool = True, styles: bool = False) -> list[str]:
    body = resolve(docx, "del")
    return paragraphs(after_cover(body) if cover else body, styles)


def plain(docx: bytes, styles: bool = False) -> list[str]:
    return paragraphs(body_of(docx), styles)


def replaced(body: etree._Element, old: str, new: str) -> bool:
    """Whether one paragraph holds ``old`` struck whole and ``new`` inserted whole, and nothing else."""
    for p in body.iter(w("p")):
        struck = ["".join(t.text or "" for t in d.iter(w("delText"))) for d in p.findall(w("del"))]
        added = ["".join(t.text or "" for t in i.iter(w("t"))) for i in p.findall(w("ins"))]
        kept = [r for r in p.findall(w("r")) if "".join(r.itertext())]
        if struck == [old] and added == [new] and not kept:
            return True
    return False


def moves(docx: bytes) -> dict[str, list[str]]:
    """Move range names → the text moved away ("from") and here ("to"), checked to be paired."""
    body = body_of(docx)
    found: dict[str, dict[str, str]] = {}
    for kind in ("moveFrom", "moveTo"):
        for start in body.iter(w(f"{kind}RangeStart")):
            name = start.get(w("name"))
            ident = start.get(w("id"))
            text, on = [], False
            for el in body.iter():
                if el is start:
                    on = True
                elif el.tag == w(f"{kind}RangeEnd") and el.get(w("id")) == ident:
                    break
                elif on and el.tag in (w("t"), w("delText")) and any(a.tag == w(kind) for a in el.iterancestors()):
                    text.append(el.text or "")
            found.setdefault(name, {})[kind] = "".join(text)
    return {name: [ends.get("moveFrom", ""), ends.get("moveTo", "")] for name, ends in found.items()}
