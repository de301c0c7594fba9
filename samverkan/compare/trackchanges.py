"""Word tracked changes between two bodies of WordprocessingML.

:class:`BlockDiffer` merges OLD's blocks (paragraphs, tables, content
controls) into NEW's:

* equal blocks are kept as they are in NEW;
* paragraphs that changed get word-level ``w:ins``/``w:del`` runs (the run
  formatting of each word is kept, NEW's for kept and inserted words, OLD's
  for deleted ones) – a changed style is recorded as ``w:pPrChange``;
* paragraphs that came or went are inserted or deleted whole, paragraph mark
  included (``w:pPr/w:rPr/w:ins`` or ``w:del``), so accepting or rejecting
  leaves exactly the paragraphs of one version;
* tables are compared row by row and cell by cell; rows that came or went are
  marked in ``w:trPr``.

Every change carries a unique ``w:id``, the author and the date given to
:class:`Revisions`; deleted text is ``w:delText``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from lxml import etree

from .textdiff import similarity, word_diff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = "http://www.w3.org/XML/1998/namespace"

_PAIR_THRESHOLD = 0.5
"""Least word similarity for two paragraphs to be shown as one changed paragraph."""


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

    def __init__(self, first_id: int, when: date, author: str):
        self.next_id = first_id
        self.date = f"{when.isoformat()}T00:00:00Z"
        self.author = author

    def element(self, kind: str) -> etree._Element:
        el = etree.Element(w(kind))
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), self.author)
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


def _style(p: etree._Element) -> str | None:
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


def _mark_rpr(pr: etree._Element, mark: etree._Element) -> None:
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
    """Wrap each stretch of consecutive runs directly under ``parent`` in one w:ins/w:del."""
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


def mark_block(block: etree._Element, kind: str, revs: Revisions) -> etree._Element:
    """Mark a whole paragraph or table (a copy) as inserted or deleted."""
    block = copy.deepcopy(block)
    if kind == "del":
        _clean_foreign(block)
    for tr in block.iter(_TR):
        pr = _trpr(tr)
        later = pr.find(w("trPrChange"))
        mark = revs.element(kind)
        if later is not None:
            later.addprevious(mark)
        else:
            pr.append(mark)
    paragraphs = [block] if block.tag == _P else list(block.iter(_P))
    for p in paragraphs:
        _wrap_runs(p, kind, revs)
        _mark_rpr(_ppr(p), revs.element(kind))
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
        if _style(old) != _style(new):
            change = revs.element("pPrChange")
            old_pr = etree.SubElement(change, _PPR)
            if _style(old) is not None:
                etree.SubElement(old_pr, w("pStyle")).set(w("val"), _style(old) or "")
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


# -- aligning blocks ---------------------------------------------------------------------


def _key(el: etree._Element) -> tuple[str, ...]:
    if el.tag == _TBL:
        return ("tbl", *(text_of(tr) for tr in el.iter(_TR)))
    return (etree.QName(el).localname, _style(el) or "", text_of(el))


def _score(a: etree._Element, b: etree._Element) -> float:
    if a.tag != b.tag or a.tag not in (_P, _TBL):
        return 0.0
    if a.tag == _TBL:
        return 1.0 if _columns(a) == _columns(b) else 0.0
    ta, tb = text_of(a), text_of(b)
    if not ta.strip() or not tb.strip():
        return 1.0 if ta == tb else 0.0
    return similarity(ta, tb)


def _columns(tbl: etree._Element) -> int:
    return len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}"))


def _pair(old: Sequence[Any], new: Sequence[Any], score: Callable[[Any, Any], float]) -> list[tuple[int, int]]:
    """Order-keeping pairs of similar items (best total similarity)."""
    n, m = len(old), len(new)
    if n * m > 40_000:  # a huge rewrite: no word-level pairing, whole blocks instead
        return []
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    scores: dict[tuple[int, int], float] = {}
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            s = score(old[x], new[y])
            scores[x, y] = s
            take = best[x + 1][y + 1] + s if s >= _PAIR_THRESHOLD else -1.0
            best[x][y] = max(best[x + 1][y], best[x][y + 1], take)
    pairs, x, y = [], 0, 0
    while x < n and y < m:
        s = scores[x, y]
        if s >= _PAIR_THRESHOLD and best[x][y] == best[x + 1][y + 1] + s:
            pairs.append((x, y))
            x, y = x + 1, y + 1
        elif best[x][y] == best[x + 1][y]:
            x += 1
        else:
            y += 1
    return pairs


class BlockDiffer:
    def __init__(self, revs: Revisions):
        self.revs = revs
        self.objects: dict[bytes, str] = {}

    def blocks(
        self, old: Sequence[etree._Element], new: Sequence[etree._Element], anchor: bool = True
    ) -> list[etree._Element]:
        """The merged block list of a body or a table cell."""
        # The last paragraph of a container cannot lose its mark in Word: pair it.
        last_p = old and new and old[-1].tag == _P and new[-1].tag == _P
        if anchor and last_p and _key(old[-1]) != _key(new[-1]):
            return [*self.blocks(old[:-1], new[:-1], anchor=False), self.changed(old[-1], new[-1])]
        out: list[etree._Element] = []
        matcher = SequenceMatcher(None, [_key(b) for b in old], [_key(b) for b in new], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out += [copy.deepcopy(b) for b in new[j1:j2]]
            else:
                out += self.region(old[i1:i2], new[j1:j2])
        return out

    def region(self, old: Sequence[etree._Element], new: Sequence[etree._Element]) -> Iterator[etree._Element]:
        # Body-level bookmarks and the like only mean something in OLD's file.
        old = [b for b in old if b.tag in (_P, _TBL, w("sdt"), w("customXml"))]
        i = j = 0
        for x, y in [*_pair(old, new, _score), (len(old), len(new))]:
            yield from (mark_block(b, "del", self.revs) for b in old[i:x])
            yield from (mark_block(b, "ins", self.revs) for b in new[j:y])
            if x < len(old) and y < len(new):
                yield self.changed(old[x], new[y])
            i, j = x + 1, y + 1

    def changed(self, old: etree._Element, new: etree._Element) -> etree._Element:
        if old.tag == _P and new.tag == _P:
            return diff_paragraph(old, new, self.revs, self.objects)
        if old.tag == _TBL and new.tag == _TBL:
            return self.table(old, new)
        raise AssertionError(f"cannot pair {old.tag} with {new.tag}")

    def table(self, old: etree._Element, new: etree._Element) -> etree._Element:
        out = etree.Element(_TBL, dict(new.attrib))
        out.extend(copy.deepcopy(c) for c in new if c.tag != _TR)
        a, b = old.findall(_TR), new.findall(_TR)

        def row_key(tr: etree._Element) -> tuple[str, ...]:
            return tuple(text_of(tc) for tc in tr.findall(_TC))

        def row_score(x: etree._Element, y: etree._Element) -> float:
            if len(x.findall(_TC)) != len(y.findall(_TC)):
                return 0.0
            return max(similarity(text_of(x), text_of(y)), _PAIR_THRESHOLD if row_key(x)[:1] == row_key(y)[:1] else 0)

        matcher = SequenceMatcher(None, [row_key(r) for r in a], [row_key(r) for r in b], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out.extend(copy.deepcopy(r) for r in b[j1:j2])
                continue
            i, j = i1, j1
            for x, y in [*((i1 + p, j1 + q) for p, q in _pair(a[i1:i2], b[j1:j2], row_score)), (i2, j2)]:
                out.extend(mark_block(r, "del", self.revs) for r in a[i:x])
                out.extend(mark_block(r, "ins", self.revs) for r in b[j:y])
                if x < i2 and y < j2:
                    out.append(self.row(a[x], b[y]))
                i, j = x + 1, y + 1
        return out

    def row(self, old: etree._Element, new: etree._Element) -> etree._Element:
        out = etree.Element(_TR, dict(new.attrib))
        out.extend(copy.deepcopy(c) for c in new if c.tag != _TC)
        for tc_old, tc_new in zip(old.findall(_TC), new.findall(_TC), strict=True):
            cell = etree.SubElement(out, _TC, dict(tc_new.attrib))
            cell.extend(copy.deepcopy(c) for c in tc_new if c.tag == _TCPR)
            cell.extend(self.blocks([c for c in tc_old if c.tag != _TCPR], [c for c in tc_new if c.tag != _TCPR]))
        return out


__all__ = ["W", "BlockDiffer", "Revisions", "diff_paragraph", "mark_block", "text_of", "w"]
