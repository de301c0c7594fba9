"""The redline's cover page: what is compared, how to read it, and the change summary as a table.

The cover is the first section of the redline (it ends with the first
paragraph that carries a section break, bookmarked ``samverkan-redline-start``)
and is not marked as a change: it is not part of the agreement.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from lxml import etree

from .changes import Comparison, Version
from .formats import summary_rows
from .summary import NO_CHANGES
from .trackchanges import XML, W, w

START_BOOKMARK = "samverkan-redline-start"


def style_id(styles: etree._Element | None, *names: str) -> str | None:
    """The id of the first paragraph style found by its (English, built-in) name."""
    if styles is None:
        return None
    by_name = {}
    for style in styles.iter(w("style")):
        name = style.find(w("name"))
        if style.get(w("type")) == "paragraph" and name is not None:
            by_name.setdefault((name.get(w("val")) or "").lower(), style.get(w("styleId")))
    return next((by_name[n] for n in names if n in by_name), None)


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    el = etree.Element(w(tag), nsmap={"w": W}) if parent is None else etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        el.set(w(key), value)
    return el


def _para(text: str, style: str | None = None, bold: bool = False) -> etree._Element:
    p = _el("p")
    if style:
        _el("pStyle", _el("pPr", p), val=style)
    r = _el("r", p)
    if bold:
        _el("b", _el("rPr", r))
    t = _el("t", r)
    t.text = text
    t.set(f"{{{XML}}}space", "preserve")
    return p


def _summary_table(rows: Sequence[tuple[str, str]], width: int, style: str | None) -> etree._Element:
    tbl = _el("tbl")
    pr = _el("tblPr", tbl)
    _el("tblW", pr, w="5000", type="pct")
    borders = _el("tblBorders", pr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(side, borders, val="single", sz="4", space="0", color="808080")
    grid = _el("tblGrid", tbl)
    widths = (width * 3 // 10, width - width * 3 // 10)
    for col in widths:
        _el("gridCol", grid, w=str(col))
    for n, row in enumerate([("Del", "Ändring"), *rows]):
        tr = _el("tr", tbl)
        if n == 0:
            _el("tblHeader", _el("trPr", tr))
        for col, text in zip(widths, row, strict=True):
            tc = _el("tc", tr)
            _el("tcW", _el("tcPr", tc), w=str(col), type="dxa")
            tc.append(_para(text, style, bold=n == 0))
    return tbl


def _text_width(sect: etree._Element | None) -> int:
    size, margins = (None, None) if sect is None else (sect.find(w("pgSz")), sect.find(w("pgMar")))
    try:
        return int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))  # type: ignore[union-attr,arg-type]
    except (AttributeError, TypeError, ValueError):
        return 9070  # A4 with 2.5 cm margins


def cover(comparison: Comparison, styles: etree._Element | None, sect: etree._Element | None, bookmark_id: int) -> list[etree._Element]:
    """The cover page: who and what is compared, how to read it, the summary table, a section break."""
    heading = style_id(styles, "title", "heading 1")
    normal = style_id(styles, "normal")
    old, new = comparison.old, comparison.new

    def version(label: str, v: Version) -> etree._Element:
        return _para(f"{label}: " + ", ".join(x for x in (v.period, v.status, v.date, f"Versionskod {v.fingerprint}") if x),
                     normal)

    blocks = [
        _para("Ändringar mellan versionerna", heading),
        _para(new.title, normal, bold=True),
        version("Ny version", new),  # first: the redline is the new version, the first version code named is its own
        version("Tidigare version", old),
        _para(
            "Efter den här sidan följer den nya versionen av överenskommelsen med alla ändringar från den "
            "tidigare versionen markerade som spårade ändringar (författare ”samverkan”). Godkänn alla "
            "ändringar för att få den nya versionens text, avvisa alla för att få den tidigare versionens. "
            "Den här sidan hör inte till överenskommelsen och är inte markerad som ändring: ta bort den "
            "innan dokumentet används.",
            normal,
        ),
    ]
    rows = summary_rows(comparison)
    if rows:
        blocks.append(_summary_table(rows, _text_width(sect), normal))
    else:
        blocks.append(_para(NO_CHANGES, normal, bold=True))
    # The section break that ends the cover: NEW's page setup, no header or footer.
    end = _para("", normal)
    section = copy.deepcopy(sect) if sect is not None else _el("sectPr")
    for child in list(section):
        if child.tag in (w("headerReference"), w("footerReference"), w("titlePg")):
            section.remove(child)
    properties = end.find(w("pPr"))
    if properties is None:
        properties = _el("pPr")
        end.insert(0, properties)
    properties.append(section)
    _el("bookmarkStart", end, id=str(bookmark_id), name=START_BOOKMARK)
    _el("bookmarkEnd", end, id=str(bookmark_id))
    return blocks + [end]


__all__ = ["START_BOOKMARK", "cover", "style_id"]
