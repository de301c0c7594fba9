"""What people did to a .docx: its text with changes accepted or rejected, its tracked changes and comments.

A draft comes back from the lokalpolisområde or the kommun's lawyer edited in
Word or LibreOffice, usually with changes tracked and remarks in the margin.
:func:`read_edits` reads the package with lxml (python-docx shows neither
tracked changes nor comment anchors) and gives:

- the paragraphs of the body, the footnotes and the headers and footers, each
  in two views: as if every pending change were accepted, and as if every one
  were rejected. A paragraph mark inserted with Enter while tracking splits a
  paragraph only in the accepted view; a deleted mark joins two only there;
  a tracked table row is there or not;
- every tracked change (w:ins, w:del, w:moveFrom, w:moveTo, formatting and
  paragraph-mark changes) with its author, date, text and paragraph;
- every comment with its author, date, its own words and the text it is
  anchored to;
- per character, the direct formatting a person can see (bold, italic,
  underline, strike, highlight, colour), so formatting applied to a word is
  noticed even though an agreement file cannot hold it.

Field results that a program recomputes (page numbers, dates) are left out
of the text; a footnote reference is the character :data:`NOTE_REF`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from ..errors import SamverkanError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NOTE_REF = "\ufffc"
"""Stands for a footnote reference in paragraph text (the object replacement character)."""
_RECOMPUTED = ("PAGE", "NUMPAGES", "SECTIONPAGES", "DATE", "TIME", "PRINTDATE", "SAVEDATE", "FILENAME")
_SEEN_FORMATS = ("b", "i", "u", "strike", "dstrike", "highlight", "color", "caps", "vertAlign")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)

View = Literal["accepted", "rejected"]


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class UnreadableDocument(SamverkanError):
    """The file is not a Word document that can be read."""


@dataclass(frozen=True)
class Char:
    """One character of a paragraph as written, before choosing a view."""

    text: str
    inserted: bool
    deleted: bool
    formats: frozenset[str]


@dataclass
class RawParagraph:
    """A w:p element in document order: its characters, style and tracked marks."""

    number: int  # position among the part's paragraphs
    part: str  # "body", "footnotes", "header", "footer"
    style: str
    listed: bool  # has numbering (a list item)
    cell: tuple[int, int, int] | None  # (table, row, cell) when inside a table
    chars: list[Char] = field(default_factory=list)
    mark_inserted: bool = False
    mark_deleted: bool = False
    row_inserted: bool = False
    row_deleted: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in one view: its text, the formatting of each character and where it comes from."""

    part: str
    style: str
    listed: bool
    cell: tuple[int, int, int] | None
    text: str
    formats: tuple[frozenset[str], ...]
    sources: tuple[int, ...]  # the RawParagraph numbers joined into it (one unless a mark was deleted)


@dataclass(frozen=True)
class Revision:
    """One tracked change."""

    kind: str  # "infogat", "borttaget", "flyttat hit", "flyttat från", "formatering", "nytt stycke", "borttaget styckeslut"
    author: str
    date: str
    text: str
    part: str
    paragraph: int  # RawParagraph number


@dataclass(frozen=True)
class Comment:
    """A comment in the margin and the text it is anchored to."""

    id: str
    author: str
    date: str
    text: str
    anchor: str
    part: str
    paragraphs: tuple[int, ...]  # RawParagraph numbers the anchor touches


@dataclass
class EditedDocument:
    """Everything :func:`read_edits` found."""

    raw: dict[str, list[RawParagraph]]
    revisions: list[Revision]
    comments: list[Comment]
    properties: dict[str, str]
    custom_parts: list[bytes]

    def paragraphs(self, part: str, view: View = "accepted") -> list[Paragraph]:
        return view_of(self.raw.get(part, []), view)


# -- reading ----------------------------------------------------------------------------


def _xml(data: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as e:
        raise UnreadableDocument(f"delen {name} är inte giltig XML ({e})") from None


def _formats(run: etree._Element | None) -> frozenset[str]:
    rpr = run.find(w("rPr")) if run is not None else None
    if rpr is None:
        return frozenset()
    found = set()
    for name in _SEEN_FORMATS:
        el = rpr.find(w(name))
        if el is None:
            continue
        value = el.get(w("val"), "true")
        if value in ("false", "0", "none", "auto", "baseline"):
            continue
        found.add(name if name in ("b", "i", "strike", "dstrike", "caps") else f"{name}={value}")
    return frozenset(found)


class _Walker:
    """Walks one part's XML in document order and records paragraphs, revisions and comment anchors."""

    def __init__(self, part: str):
        self.part = part
        self.paragraphs: list[RawParagraph] = []
        self.revisions: list[Revision] = []
        self.anchors: dict[str, list[tuple[int, int]]] = {}  # comment id -> [(paragraph, char index) start, end]
        self.field_depth: list[bool] = []  # for each open complex field: is its result recomputed?
        self.in_result: list[bool] = []
        self.table = -1

    def walk(self, root: etree._Element) -> None:
        self._container(root, cell=None, inserted=False, deleted=False, row=(False, False))

    def _container(self, el: etree._Element, cell: tuple[int, int, int] | None, inserted: bool, deleted: bool,
                   row: tuple[bool, bool]) -> None:
        for child in el:
            tag = child.tag
            if tag == w("p"):
                self._paragraph(child, cell, row)
            elif tag == w("tbl"):
                self.table += 1
                table = self.table
                for r, tr in enumerate(child.iterfind(w("tr"))):
                    trpr = tr.find(w("trPr"))
                    row_ins = trpr is not None and trpr.find(w("ins")) is not None
                    row_del = trpr is not None and trpr.find(w("del")) is not None
                    for c, tc in enumerate(tr.iterfind(w("tc"))):
                        self._container(tc, (table, r, c), inserted, deleted, (row_ins, row_del))
            elif isinstance(tag, str) and tag in (w("sdt"), w("sdtContent"), w("customXml"), w("body"), w("ins"),
                                                  w("del"), w("moveTo"), w("moveFrom"), w("txbxContent"),
                                                  w("footnote"), w("hdr"), w("ftr"), w("footnotes")):
                self._container(child, cell, inserted, deleted, row)

    def _paragraph(self, p: etree._Element, cell: tuple[int, int, int] | None, row: tuple[bool, bool]) -> None:
        ppr = p.find(w("pPr"))
        style_el = ppr.find(w("pStyle")) if ppr is not None else None
        raw = RawParagraph(
            number=len(self.paragraphs), part=self.part, style=style_el.get(w("val"), "") if style_el is not None else "",
            listed=ppr is not None and ppr.find(w("numPr")) is not None, cell=cell,
            row_inserted=row[0], row_deleted=row[1],
        )
        self.paragraphs.append(raw)
        mark = ppr.find(w("rPr")) if ppr is not None else None
        if mark is not None:
            for kind, attr, label in (("ins", "mark_inserted", "nytt stycke"), ("del", "mark_deleted", "borttaget styckeslut"),
                                      ("moveTo", "mark_inserted", ""), ("moveFrom", "mark_deleted", "")):
                el = mark.find(w(kind))
                if el is not None:
                    setattr(raw, attr, True)
                    if label:  # a moved paragraph's mark moves with its text, listed once
                        self._revision(label, el, "", raw)
        if ppr is not None and ppr.find(w("pPrChange")) is not None:
            self._revision("formatering", ppr.find(w("pPrChange")), "", raw)
        self._inline(p, raw, inserted=row[0], deleted=row[1])

    def _revision(self, kind: str, el: etree._Element, text: str, raw: RawParagraph) -> None:
        self.revisions.append(Revision(kind=kind, author=el.get(w("author"), ""), date=el.get(w("date"), ""),
                                       text=text, part=self.part, paragraph=raw.number))

    def _inline(self, el: etree._Element, raw: RawParagraph, inserted: bool, deleted: bool) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in (w("ins"), w("moveTo")):
                start = len(raw.chars)
                self._inline(child, raw, True, deleted)
                label = "infogat" if tag == w("ins") else "flyttat hit"
                self._revision(label, child, "".join(c.text for c in raw.chars[start:]), raw)
            elif tag in (w("del"), w("moveFrom")):
                start = len(raw.chars)
                self._inline(child, raw, inserted, True)
                label = "borttaget" if tag == w("del") else "flyttat från"
                self._revision(label, child, "".join(c.text for c in raw.chars[start:]), raw)
            elif tag == w("r"):
                self._run(child, raw, inserted, deleted)
            elif tag == w("commentRangeStart"):
                self.anchors.setdefault(child.get(w("id"), ""), [(raw.number, len(raw.chars))] * 2)[0] = (raw.number, len(raw.chars))
            elif tag == w("commentRangeEnd"):
                self.anchors.setdefault(child.get(w("id"), ""), [(raw.number, len(raw.chars))] * 2)[1] = (raw.number, len(raw.chars))
            elif tag == w("fldSimple"):
                instr = (child.get(w("instr")) or "").strip().split(" ")[0].upper()
                if instr not in _RECOMPUTED:
                    self._inline(child, raw, inserted, deleted)
            elif tag in (w("hyperlink"), w("smartTag"), w("sdt"), w("sdtContent"), w("customXml"), w("bdo"), w("dir")):
                self._inline(child, raw, inserted, deleted)

    def _run(self, r: etree._Element, raw: RawParagraph, inserted: bool, deleted: bool) -> None:
        formats = _formats(r)
        rpr = r.find(w("rPr"))
        if rpr is not None and rpr.find(w("rPrChange")) is not None:
            self._revision("formatering", rpr.find(w("rPrChange")), "".join(r.itertext()), raw)
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    self.field_depth.append(False)
                    self.in_result.append(False)
                elif kind == "separate" and self.in_result:
                    self.in_result[-1] = True
                elif kind == "end" and self.field_depth:
                    self.field_depth.pop()
                    self.in_result.pop()
                continue
            if tag == w("instrText"):
                if self.field_depth and (child.text or "").strip().split(" ")[0].upper() in _RECOMPUTED:
                    self.field_depth[-1] = True
                continue
            if any(recomputed and result for recomputed, result in zip(self.field_depth, self.in_result)):
                continue  # the result of a page number or date field
            text = None
            if tag in (w("t"), w("delText")):
                text = child.text or ""
            elif tag == w("tab"):
                text = "\t"
            elif tag in (w("br"), w("cr")):
                text = "\n" if child.get(w("type")) in (None, "textWrapping") else ""
            elif tag == w("noBreakHyphen"):
                text = "\u2011"
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                text = NOTE_REF
            if text:
                raw.chars.extend(Char(ch, inserted, deleted or tag == w("delText"), formats) for ch in text)


def view_of(raws: list[RawParagraph], view: View) -> list[Paragraph]:
    """The paragraphs of a part with every pending change accepted (or rejected)."""
    out: list[Paragraph] = []
    pending: tuple[list[str], list[frozenset[str]], list[int]] | None = None
    for raw in raws:
        gone_row = raw.row_deleted if view == "accepted" else raw.row_inserted
        if gone_row:
            continue
        keep = [c for c in raw.chars if (not c.deleted if view == "accepted" else not c.inserted)]
        if pending is None:
            pending = ([], [], [])
        pending[0].extend(c.text for c in keep)
        pending[1].extend(c.formats for c in keep)
        pending[2].append(raw.number)
        joined_with_next = raw.mark_deleted if view == "accepted" else raw.mark_inserted
        if joined_with_next and raw is not raws[-1]:
            continue
        first = raws[pending[2][0]]
        out.append(Paragraph(part=raw.part, style=first.style, listed=first.listed, cell=first.cell,
                             text="".join(pending[0]), formats=tuple(pending[1]), sources=tuple(pending[2])))
        pending = None
    return out


def _comments(package: zipfile.ZipFile, names: set[str], walkers: dict[str, _Walker]) -> list[Comment]:
    if "word/comments.xml" not in names:
        return []
    root = _xml(package.read("word/comments.xml"), "word/comments.xml")
    found = []
    for c in root.iterfind(w("comment")):
        cid = c.get(w("id"), "")
        body = "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in c.iter(w("p")))
        anchor, paras, part = "", (), "body"
        for name, walker in walkers.items():
            if cid in walker.anchors:
                (p0, c0), (p1, c1) = walker.anchors[cid]
                texts = []
                for number in range(p0, p1 + 1):
                    chars = walker.paragraphs[number].chars
                    lo, hi = (c0 if number == p0 else 0), (c1 if number == p1 else len(chars))
                    texts.append("".join(ch.text for ch in chars[lo:hi] if not ch.deleted))
                anchor, paras, part = "\n".join(t for t in texts if t), tuple(range(p0, p1 + 1)), name
                break
        found.append(Comment(id=cid, author=c.get(w("author"), ""), date=c.get(w("date"), ""), text=body.strip(),
                             anchor=anchor, part=part, paragraphs=paras))
    return found


def _properties(package: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    if "docProps/custom.xml" not in names:
        return {}
    root = _xml(package.read("docProps/custom.xml"), "docProps/custom.xml")
    props = {}
    for prop in root.iterfind(f"{{{CUSTOM}}}property"):
        value = next(iter(prop), None)
        props[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return props


def read_edits(data: bytes) -> EditedDocument:
    """Read an edited .docx (its bytes); :class:`UnreadableDocument` if it is not one."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableDocument("filen är inte ett Word-dokument (.docx är en zip-fil)") from None
    if "word/document.xml" not in names:
        raise UnreadableDocument("filen saknar word/document.xml och är inte ett Word-dokument")
    walkers: dict[str, _Walker] = {}
    parts = [("body", ["word/document.xml"]), ("footnotes", ["word/footnotes.xml"]),
             ("header", sorted(n for n in names if n.startswith("word/header") and n.endswith(".xml"))),
             ("footer", sorted(n for n in names if n.startswith("word/footer") and n.endswith(".xml")))]
    for part, members in parts:
        walker = _Walker(part)
        for member in members:
            if member not in names:
                continue
            root = _xml(package.read(member), member)
            if part == "footnotes":  # the separators Word keeps as footnotes -1 and 0 are not notes
                for note in list(root):
                    if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                        root.remove(note)
            walker.walk(root)
        walkers[part] = walker
    custom = [package.read(n) for n in sorted(names) if n.startswith("customXml/item") and "Props" not in n]
    return EditedDocument(
        raw={part: wk.paragraphs for part, wk in walkers.items()},
        revisions=[r for wk in walkers.values() for r in wk.revisions],
        comments=_comments(package, names, walkers),
        properties=_properties(package, names),
        custom_parts=custom,
    )


__all__ = ["NOTE_REF", "Char", "Comment", "EditedDocument", "Paragraph", "RawParagraph", "Revision",
           "UnreadableDocument", "read_edits", "view_of"]
