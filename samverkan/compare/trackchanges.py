"""Word tracked changes: the marks on paragraphs, runs and table rows.

:mod:`.blockmerge` decides what changed; this module writes it. Its rules:

* equal blocks are kept as they are in NEW;
* paragraphs that changed get word-level ``w:ins``/``w:del`` runs (the run
  formatting of each word is kept, NEW's for kept and inserted words, OLD's
  for deleted ones) – a changed style is recorded as ``w:pPrChange``;
* paragraphs that came or went are inserted or deleted whole, paragraph mark
  included (``w:pPr/w:rPr/w:ins`` or ``w:del``), so accepting or rejecting
  leaves exactly the paragraphs of one version;
* tables are compared row by row and cell by cell; rows that came or went are
  marked in ``w:trPr``;
* moved paragraphs and rows are marked ``w:moveFrom`` where they stood and
  ``w:moveTo`` where they stand, inside named ``w:moveFromRangeStart``/
  ``w:moveToRangeStart`` ranges, so Word shows them as a move (a moved row is
  also marked deleted/inserted in ``w:trPr``: rows have no move mark).

Every change carries a unique ``w:id``, the author and the date given to
:class:`Revisions`; deleted text is ``w:delText``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from lxml import etree

from .textdiff import word_diff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = "http://www.w3.org/XML/1998/namespace"

MOVE_KINDS = {"moveFrom": "del", "moveTo": "ins"}
"""The move marks and the plain mark a table row carries for each (rows have no move mark)."""


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _R, _T, _TBL, _TR, _TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
_PPR, _RPR, _TRPR, _TCPR = w("pPr"), w("rPr"), w("trPr"), w("tcPr")
# Run content that other parts of OLD's package give meaning to: it cannot be
# carried into NEW's package as deleted text, and deleted text does not need it.
_FOREIGN = {w("footnoteReference"), w("endnoteReference"), w("commentReference"), w("drawing"), w("pict"), w("object")}
_MARKERS = {
    w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"), w("permStart"), w("permEnd"),
    w("commentRangeStart"), w("commentRangeEnd"),
}  # fmt: skip
_CONTAINERS = {w("hyperlink"), w("smartTag"), w("fldSimple"), w("customXml")}


class Revisions:
    """Hands out unique w:id values and the author/date attributes of every change."""

    def __init__(self, first_id: int, when: date | None, author: str):
        self.next_id = first_id
        self.date = f"{when.isoformat()}T00:00:00Z" if when else None  # a version without a date gives none
        self.author = author

    def element(self, kind: str) -> etree._Element:
        el = etree.Element(w(kind))
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), self.author)
        if self.date:
            el.set(w("date"), self.date)
        self.next_id += 1
        return el


# -- reading paragraphs -------------------------------------------------------------


_DELTEXT, _TAB, _BR, _CR = w("delText"), w("tab"), w("br"), w("cr")


def text_of(el: etree._Element) -> str:
    """The visible text of a paragraph or block: text, tabs and breaks."""
    out = []
    for node in el.iter(_T, _DELTEXT, _TAB, _BR, _CR):
        tag = node.tag
        if tag == _T or tag == _DELTEXT:
            out.append(node.text or "")
        elif tag != _TAB:
            out.append("\n")
        elif node.getparent().tag == _R:  # not a tab stop in w:tabs
            out.append("\t")
    return "".join(out)


def style_of(p: etree._Element) -> str | None:
    found = p.find(f"{_PPR}/{w('pStyle')}")
    return None if found is None else found.get(w("val"))


class _Atom:
    """One character (or one object such as a field char) of a paragraph."""

    __slots__ = ("char", "run", "node", "container")

    def __init__(self, char: str, run: etree._Element, node: etree._Element | None, container: Any):
        self.char, self.run, self.node, self.container = char, run, node, container


class _Flat:
    """A paragraph flattened into characters, objects mapped to private-use characters."""

    def __init__(self, p: etree._Element, objects: dict[bytes, str]):
        self.atoms: list[_Atom] = []
        self.markers: dict[int, list[etree._Element]] = {}
        self._objects = objects
        self._walk(p, None)
        self.text = "".join(a.char for a in self.atoms)

    def _object_char(self, node: etree._Element) -> str:
        key = etree.tostring(node)
        if key not in self._objects:
            self._objects[key] = chr(0xE000 + len(self._objects) % 6400)
        return self._objects[key]

    def _walk(self, parent: etree._Element, container: Any) -> None:
        for child in parent:
            if child.tag in (_PPR, _RPR):
                continue
            if child.tag == _R:
                for node in child:
                    if node.tag == _RPR:
                        continue
                    if node.tag in (_T, w("delText")):
                        self.atoms += [_Atom(c, child, None, container) for c in node.text or ""]
                    elif node.tag == w("tab"):
                        self.atoms.append(_Atom("\t", child, node, container))
                    elif node.tag in (w("br"), w("cr")) and node.get(w("type")) in (None, "textWrapping"):
                        self.atoms.append(_Atom("\n", child, node, container))
                    else:
                        self.atoms.append(_Atom(self._object_char(node), child, node, container))
            elif child.tag in _CONTAINERS:
                self._walk(child, child)
            elif child.tag == w("sdt"):  # a content control: its text counts, the control is dropped
                content = child.find(w("sdtContent"))
                if content is not None:
                    self._walk(content, container)
            elif child.tag in (w("ins"), w("del")):
                self._walk(child, container)
            elif child.tag in _MARKERS:  # bookmarks, proofing marks and the like: keep their place
                self.markers.setdefault(len(self.atoms), []).append(child)
            # Anything else (a container's own properties, field data) is dropped:
            # it cannot stand directly in a paragraph.


# -- marking whole blocks -------------------------------------------------------------


def mark_paragraph_mark(pr: etree._Element, mark: etree._Element) -> None:
    """Put ``mark`` (w:ins/w:del) first in the paragraph mark's run properties."""
    rpr = pr.find(_RPR)
    if rpr is None:
        rpr = etree.Element(_RPR)
        later = [c for c in pr if c.tag in (w("sectPr"), w("pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            pr.append(rpr)
    rpr.insert(0, mark)


def _ppr(p: etree._Element) -> etree._Element:
    pr = p.find(_PPR)
    if pr is None:
        pr = etree.Element(_PPR)
        p.insert(0, pr)
    return pr


def _trpr(tr: etree._Element) -> etree._Element:
    pr = tr.find(_TRPR)
    if pr is None:
        pr = etree.Element(_TRPR)
        ex = tr.find(w("tblPrEx"))
        tr.insert(0 if ex is None else 1, pr)
    return pr


def _to_deleted_run(run: etree._Element) -> None:
    for node in list(run):
        if node.tag == _T:
            node.tag = w("delText")
        elif node.tag == w("instrText"):
            node.tag = w("delInstrText")
        elif node.tag in _FOREIGN:
            run.remove(node)


def _clean_foreign(el: etree._Element) -> None:
    """Strip what only OLD's package can resolve (links, notes, images, bookmarks, sections)."""
    for node in list(el.iter(w("sectPr"))):
        node.getparent().remove(node)
    for node in list(el.iter(*_MARKERS, *_FOREIGN)):
        node.getparent().remove(node)
    for link in list(el.iter(w("hyperlink"))):
        parent = link.getparent()
        at = parent.index(link)
        for n, child in enumerate(list(link)):
            parent.insert(at + n, child)
        parent.remove(link)
    for node in el.iter():
        for attr in [a for a in node.attrib if a.startswith(f"{{{R}}}")]:
            del node.attrib[attr]


def _wrap_runs(parent: etree._Element, kind: str, revs: Revisions) -> None:
    """Wrap each stretch of consecutive runs directly under ``parent`` in one w:ins/w:del/w:moveFrom/w:moveTo."""
    children = list(parent)
    group: etree._Element | None = None
    for child in children:
        if child.tag == _R:
            if group is None:
                group = revs.element(kind)
                child.addprevious(group)
            group.append(child)
            if kind == "del":
                _to_deleted_run(child)
        elif child.tag in _CONTAINERS:
            group = None
            _wrap_runs(child, kind, revs)
        else:
            group = None


def move_range(kind: str, name: str, revs: Revisions) -> tuple[etree._Element, etree._Element]:
    """The start and end of a named move range (``kind`` "moveFrom" or "moveTo")."""
    start = revs.element(f"{kind}RangeStart")
    start.set(w("name"), name)
    end = etree.Element(w(f"{kind}RangeEnd"))
    end.set(w("id"), start.get(w("id")) or "")
    return start, end


def mark_block(block: etree._Element, kind: str, revs: Revisions) -> etree._Element:
    """Mark a whole paragraph or table (a copy) as inserted, deleted, moved away or moved here.

    ``kind`` is "ins", "del", "moveFrom" or "moveTo". Moved text keeps its
    ``w:t`` (it is still text, only elsewhere); the caller puts the marked
    blocks inside a move range (:func:`move_range`).
    """
    block = copy.deepcopy(block)
    if kind in ("del", "moveFrom"):
        _clean_foreign(block)
    for tr in block.iter(_TR):
        pr = _trpr(tr)
        later = pr.find(w("trPrChange"))
        mark = revs.element(MOVE_KINDS.get(kind, kind))
        if later is not None:
            later.addprevious(mark)
        else:
            pr.append(mark)
    paragraphs = [block] if block.tag == _P else list(block.iter(_P))
    for p in paragraphs:
        _wrap_runs(p, kind, revs)
        mark_paragraph_mark(_ppr(p), revs.element(kind))
    return block


# -- word-level changes inside a paragraph ---------------------------------------------------


def _emit(out: etree._Element, atoms: Sequence[_Atom], kind: str, revs: Revisions) -> None:
    """Append runs rebuilt from ``atoms`` to paragraph ``out``; kind is "=", "+" or "-"."""
    wrapper: etree._Element | None = None
    holder: etree._Element | None = None
    container: Any = object()
    run: etree._Element | None = None
    source: Any = None
    text_node: etree._Element | None = None
    texts: list[tuple[etree._Element, list[str]]] = []  # each text node's characters, set once at the end
    for atom in atoms:
        if atom.node is not None and atom.node.tag in _FOREIGN and kind == "-":
            continue
        atom_container = None if kind == "-" else atom.container
        if atom_container is not container:
            container = atom_container
            holder = out if container is None else etree.SubElement(out, container.tag, dict(container.attrib))
            wrapper, run = None, None
        if kind != "=" and wrapper is None:
            wrapper = revs.element("ins" if kind == "+" else "del")
            holder.append(wrapper)  # type: ignore[union-attr]
        if run is None or atom.run is not source:
            source = atom.run
            run = etree.SubElement(wrapper if wrapper is not None else holder, _R)  # type: ignore[arg-type]
            rpr = atom.run.find(_RPR)
            if rpr is not None:
                run.append(copy.deepcopy(rpr))
            text_node = None
        if atom.node is None:
            if text_node is None:
                text_node = etree.SubElement(run, w("delText") if kind == "-" else _T)
                text_node.set(f"{{{XML}}}space", "preserve")
                texts.append((text_node, []))
            texts[-1][1].append(atom.char)
        else:
            node = copy.deepcopy(atom.node)
            if kind == "-":
                node.tag = {w("instrText"): w("delInstrText")}.get(node.tag, node.tag)
            run.append(node)
            text_node = None
    for node, chars in texts:  # lxml copies the whole text on every +=: quadratic on long paragraphs
        node.text = "".join(chars)


def diff_paragraph(old: etree._Element, new: etree._Element, revs: Revisions, objects: dict[bytes, str]) -> etree._Element:
    """NEW's paragraph with OLD's words that went as w:del and NEW's that came as w:ins."""
    a, b = _Flat(old, objects), _Flat(new, objects)
    out = etree.Element(_P, dict(new.attrib))
    pr = new.find(_PPR)
    if pr is not None:
        pr = copy.deepcopy(pr)
        out.append(pr)
        if style_of(old) != style_of(new):
            change = revs.element("pPrChange")
            old_pr = etree.SubElement(change, _PPR)
            if style_of(old) is not None:
                etree.SubElement(old_pr, w("pStyle")).set(w("val"), style_of(old) or "")
            pr.append(change)
    i = j = 0

    def markers_until(end: int) -> None:
        for pos in sorted(k for k in b.markers if j <= k < end or (end == len(b.atoms) and k == end)):
            for m in b.markers.pop(pos):
                out.append(copy.deepcopy(m))

    for op, text in word_diff(a.text, b.text):
        n = len(text)
        if op == "-":
            _emit(out, a.atoms[i : i + n], "-", revs)
            i += n
        else:
            markers_until(j + n)
            _emit(out, b.atoms[j : j + n], op, revs)
            j += n
            if op == "=":
                i += n
    markers_until(len(b.atoms))
    return out


__all__ = [
    "W", "MOVE_KINDS", "Revisions", "diff_paragraph", "mark_block", "move_range", "style_of", "text_of", "w",
]
