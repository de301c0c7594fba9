"""Real Word footnotes where the text cites a source.

The context leaves a footnote's place in a text as its number between two
private-use characters (see :mod:`.blocks`); after the template is filled,
:func:`place` splits the run there and puts a footnote reference in it, and
:func:`footnotes_xml` writes the footnotes part with the sources' texts.
Word and LibreOffice number the footnotes themselves, and LibreOffice's
tagged PDF marks them as notes. A template without a footnotes part (a
kommun's own, made elsewhere) gets a superscript number instead.
"""

from __future__ import annotations

import copy
from xml.sax.saxutils import escape

from lxml import etree

from .blocks import NOTE_MARK

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_T, _R, _RPR = f"{{{W}}}t", f"{{{W}}}r", f"{{{W}}}rPr"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _reference_run(number: int, as_footnote: bool) -> etree._Element:
    run = etree.Element(_R)
    rpr = etree.SubElement(run, _RPR)
    if as_footnote:
        etree.SubElement(rpr, f"{{{W}}}rStyle").set(f"{{{W}}}val", "FootnoteReference")
        etree.SubElement(run, f"{{{W}}}footnoteReference").set(f"{{{W}}}id", str(number))
    else:
        etree.SubElement(rpr, f"{{{W}}}vertAlign").set(f"{{{W}}}val", "superscript")
        etree.SubElement(run, _T).text = str(number)
    return run


def _text_run(model: etree._Element, text: str) -> etree._Element:
    run = copy.deepcopy(model)
    for t in run.findall(_T):
        run.remove(t)
    t = etree.SubElement(run, _T)
    t.set(_SPACE, "preserve")
    t.text = text
    return run


def place(body: etree._Element, as_footnotes: bool) -> int:
    """Turn every footnote place in ``body`` into a reference; return how many there were."""
    count = 0
    for t in list(body.iter(_T)):
        if not t.text or not NOTE_MARK.search(t.text):
            continue
        run = t.getparent()
        if run is None or run.tag != _R or len(run.findall(_T)) != 1:
            t.text = NOTE_MARK.sub("", t.text)
            continue
        parent = run.getparent()
        at = parent.index(run)
        pieces: list[etree._Element] = []
        last = 0
        for found in NOTE_MARK.finditer(t.text):
            if found.start() > last:
                pieces.append(_text_run(run, t.text[last:found.start()]))
            pieces.append(_reference_run(int(found.group(1)), as_footnotes))
            last = found.end()
            count += 1
        if last < len(t.text):
            pieces.append(_text_run(run, t.text[last:]))
        parent.remove(run)
        for offset, piece in enumerate(pieces):
            parent.insert(at + offset, piece)
    return count


def footnotes_xml(notes: dict[int, str]) -> bytes:
    """The footnotes part: Word's two separators, then one footnote per citation."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<w:footnotes xmlns:w="{W}">',
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for number, text in sorted(notes.items()):
        parts.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    parts.append("</w:footnotes>")
    return "".join(parts).encode("utf-8")


__all__ = ["footnotes_xml", "place"]
