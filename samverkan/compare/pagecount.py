""""Sida X av Y" in the redline counts the agreement's pages, not the cover's.

The redline numbers the agreement's pages from 1 and counts them with Word's
``SECTIONPAGES`` field (:mod:`.redline`). Word computes that field;
LibreOffice, which writes the redline's PDF, shows the value stored in the
file instead. So when a PDF is made, the redline and its cover alone are
converted once, the agreement's pages counted (all pages less the cover's),
the count stored as the field's value, and the PDF made again.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from .trackchanges import w

_PARTS = re.compile(r"word/(header|footer)\d*\.xml")


def cover_only(docx: bytes) -> bytes:
    """The redline with its body cut after the cover's section break (to count the cover's pages)."""
    package = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(package.read("word/document.xml"))
    body = root.find(w("body"))
    blocks = list(body)
    end = next((n for n, b in enumerate(blocks) if b.tag == w("p") and b.find(f"{w('pPr')}/{w('sectPr')}") is not None),
               None)
    if end is not None:  # the cover's own section becomes the document's only one
        for block in blocks[end + 1 :]:
            body.remove(block)
        own = blocks[end].find(f"{w('pPr')}/{w('sectPr')}")
        own.getparent().remove(own)
        body.append(own)
    return _replace(package, {"word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                                   standalone=True)})


def store_section_pages(docx: bytes, pages: int) -> bytes:
    """The redline with ``pages`` as the shown value of every SECTIONPAGES field in its headers and footers."""
    package = zipfile.ZipFile(io.BytesIO(docx))
    changed: dict[str, bytes] = {}
    for name in package.namelist():
        if not _PARTS.fullmatch(name):
            continue
        root = etree.fromstring(package.read(name))
        if _set_results(root, str(pages)):
            changed[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _replace(package, changed) if changed else docx


def _set_results(root: etree._Element, value: str) -> bool:
    found = False
    for p in root.iter(w("p")):
        state, instruction = "", ""
        for run in p.iter(w("r")):
            char = run.find(w("fldChar"))
            kind = char.get(w("fldCharType")) if char is not None else None
            if kind == "begin":
                state, instruction = "code", ""
            elif kind == "separate":
                state = "result" if "SECTIONPAGES" in instruction else ""
                first = True
            elif kind == "end":
                state = ""
            elif state == "code":
                instruction += "".join(t.text or "" for t in run.iter(w("instrText")))
            elif state == "result":
                for t in run.iter(w("t")):
                    t.text = value if first else ""
                    first, found = False, True
        for simple in p.iter(w("fldSimple")):
            if "SECTIONPAGES" in (simple.get(w("instr")) or ""):
                texts = list(simple.iter(w("t")))
                for n, t in enumerate(texts):
                    t.text = value if n == 0 else ""
                found = found or bool(texts)
    return found


def _replace(package: zipfile.ZipFile, parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            target.writestr(info, parts.get(info.filename) or package.read(info.filename))
    return out.getvalue()


__all__ = ["cover_only", "store_section_pages"]
