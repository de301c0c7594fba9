"""Merging OLD's blocks into NEW's: what stayed, what changed, what came, went or moved.

:class:`BlockDiffer` walks two lists of body blocks (paragraphs, tables,
content controls) and returns NEW's blocks with OLD's changes as tracked
changes (the marks are written by :mod:`.trackchanges`). Two kinds of items
take part:

* **blocks** are aligned by their text and style; what is left between
  aligned blocks is paired by word similarity (:func:`.paragraphs.ordered_pairs`,
  the rule the summary uses too), so a paragraph that keeps half its words is
  changed word by word and one rewritten is deleted and inserted whole;
* **units** are parts the structural matching (:mod:`.matching`) has already
  paired – a prioritised area, a medborgarlöfte, an activity's row or
  paragraph. A unit is aligned only with its own partner, never with other
  text; one with no partner came or went whole; one whose partner stands
  elsewhere moved, and is marked ``w:moveFrom`` where it stood and
  ``w:moveTo`` where it stands. Inside paired units the same merge recurses.

Accepting every change gives NEW's blocks exactly; rejecting every change
gives OLD's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from lxml import etree

from .paragraphs import PAIR_THRESHOLD, ordered_pairs, text_score
from .textdiff import similarity
from .trackchanges import Revisions, diff_paragraph, mark_block, move_range, style_of, text_of, w

_P, _TBL, _TR, _TC, _TCPR = w("p"), w("tbl"), w("tr"), w("tc"), w("tcPr")


@dataclass
class Unit:
    """Blocks (or one table row) that belong to one matched part."""

    key: Hashable
    blocks: list[etree._Element]
    moved: bool = False
    inner: Callable[[etree._Element], Hashable | None] | None = field(default=None, repr=False)


Ident = Callable[[etree._Element], Hashable | None]
"""The matched part a paragraph or table row stands for (its unit key), or None."""


def _key(item: Any) -> Hashable:
    if isinstance(item, Unit):
        return ("unit", item.key, "moved" if item.moved else "", id(item) if item.moved else 0)
    if item.tag == _TBL:
        return ("tbl", *(text_of(tr) for tr in item.iter(_TR)))
    return (etree.QName(item).localname, style_of(item) or "", text_of(item))


def _score(a: Any, b: Any) -> float:
    if isinstance(a, Unit) or isinstance(b, Unit) or a.tag != b.tag or a.tag not in (_P, _TBL):
        return 0.0
    if a.tag == _TBL:
        return 1.0 if _columns(a) == _columns(b) else 0.0
    return text_score(text_of(a), text_of(b))


def _columns(tbl: etree._Element) -> int:
    return len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}"))


class BlockDiffer:
    """Merges two block lists; ``old_ident``/``new_ident`` name the matched parts of single blocks and rows."""

    def __init__(self, revs: Revisions, old_ident: Ident | None = None, new_ident: Ident | None = None,
                 moved: Callable[[Hashable], bool] | None = None):
        self.revs = revs
        self.objects: dict[bytes, str] = {}
        self.old_ident = old_ident or (lambda el: None)
        self.new_ident = new_ident or (lambda el: None)
        self.is_moved = moved or (lambda key: False)

    # -- items --

    def _items(self, blocks: Sequence[Any], ident: Ident) -> list[Any]:
        out = []
        for b in blocks:
            key = ident(b) if not isinstance(b, Unit) else None
            out.append(Unit(key, [b], self.is_moved(key)) if key is not None else b)
        return out

    def blocks(self, old: Sequence[Any], new: Sequence[Any], anchor: bool = True) -> list[etree._Element]:
        """The merged block list of a body, a unit or a table cell."""
        old, new = self._items(old, self.old_ident), self._items(new, self.new_ident)
        # The last paragraph of a container cannot lose its mark in Word: pair it.
        last_p = old and new and not isinstance(old[-1], Unit) and not isinstance(new[-1], Unit) \
            and old[-1].tag == _P and new[-1].tag == _P
        if anchor and last_p and _key(old[-1]) != _key(new[-1]):
            return [*self.blocks(old[:-1], new[:-1], anchor=False), self.changed(old[-1], new[-1])]
        out: list[etree._Element] = []
        matcher = SequenceMatcher(None, [_key(b) for b in old], [_key(b) for b in new], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                    out += self.unit(a, b) if isinstance(b, Unit) else [copy.deepcopy(b)]
            else:
                out += self.region(old[i1:i2], new[j1:j2])
        return out

    def region(self, old: Sequence[Any], new: Sequence[Any]) -> Iterator[etree._Element]:
        # Body-level bookmarks and the like only mean something in OLD's file.
        old = [b for b in old if isinstance(b, Unit) or b.tag in (_P, _TBL, w("sdt"), w("customXml"))]
        i = j = 0
        for x, y in [*ordered_pairs(old, new, _score), (len(old), len(new))]:
            for b in old[i:x]:
                yield from self.whole(b, "del")
            for b in new[j:y]:
                yield from self.whole(b, "ins")
            if x < len(old) and y < len(new):
                yield self.changed(old[x], new[y])
            i, j = x + 1, y + 1

    def whole(self, item: Any, kind: str) -> list[etree._Element]:
        """A block or unit that came or went (or, for a moved unit, moved away or here).

        Parts inside it that moved elsewhere are still marked as moved.
        """
        ident = self.old_ident if kind == "del" else self.new_ident
        if not isinstance(item, Unit):
            if item.tag == _TBL:
                rows = self._items(item.findall(_TR), ident)
                if any(isinstance(r, Unit) and r.moved for r in rows):
                    out = etree.Element(_TBL, dict(item.attrib))
                    out.extend(copy.deepcopy(c) for c in item if c.tag != _TR)
                    for r in rows:
                        out.extend(self.whole(r, kind))
                    return [out]
            return [mark_block(item, kind, self.revs)]
        if not item.moved:
            if len(item.blocks) == 1 and item.blocks[0].tag != _TBL:
                return [mark_block(item.blocks[0], kind, self.revs)]
            return [x for b in self._items(item.blocks, ident) for x in self.whole(b, kind)]
        move = "moveFrom" if kind == "del" else "moveTo"
        marked = [mark_block(b, move, self.revs) for b in item.blocks]
        start, end = move_range(move, _move_name(item.key), self.revs)
        _open(marked[0], start)
        _close(marked[-1], end)
        return marked

    def unit(self, old: Unit, new: Unit) -> list[etree._Element]:
        """Two units the matching paired, in their place: their blocks merged."""
        if len(old.blocks) == 1 and len(new.blocks) == 1 and old.blocks[0].tag == new.blocks[0].tag == _TR:
            return [self.row(old.blocks[0], new.blocks[0])]
        if len(old.blocks) == 1 and len(new.blocks) == 1 and old.blocks[0].tag == new.blocks[0].tag == _P:
            return [copy.deepcopy(new.blocks[0]) if _key(old.blocks[0]) == _key(new.blocks[0])
                    else diff_paragraph(old.blocks[0], new.blocks[0], self.revs, self.objects)]
        return self.blocks(old.blocks, new.blocks, anchor=False)

    def changed(self, old: etree._Element, new: etree._Element) -> etree._Element:
        if old.tag == _P and new.tag == _P:
            return diff_paragraph(old, new, self.revs, self.objects)
        if old.tag == _TBL and new.tag == _TBL:
            return self.table(old, new)
        raise AssertionError(f"cannot pair {old.tag} with {new.tag}")

    # -- tables --

    def table(self, old: etree._Element, new: etree._Element) -> etree._Element:
        out = etree.Element(_TBL, dict(new.attrib))
        out.extend(copy.deepcopy(c) for c in new if c.tag != _TR)
        a = self._items(old.findall(_TR), self.old_ident)
        b = self._items(new.findall(_TR), self.new_ident)

        def row_key(tr: Any) -> Hashable:
            return _key(tr) if isinstance(tr, Unit) else tuple(text_of(tc) for tc in tr.findall(_TC))

        def row_score(x: Any, y: Any) -> float:
            if isinstance(x, Unit) or isinstance(y, Unit) or len(x.findall(_TC)) != len(y.findall(_TC)):
                return 0.0
            first = row_key(x)[:1] == row_key(y)[:1]  # type: ignore[index]
            return max(similarity(text_of(x), text_of(y)), PAIR_THRESHOLD if first else 0)

        matcher = SequenceMatcher(None, [row_key(r) for r in a], [row_key(r) for r in b], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                    out.extend(self.unit(x, y) if isinstance(y, Unit) else [copy.deepcopy(y)])
                continue
            i, j = i1, j1
            for x, y in [*((i1 + p, j1 + q) for p, q in ordered_pairs(a[i1:i2], b[j1:j2], row_score)), (i2, j2)]:
                for r in a[i:x]:
                    out.extend(self.whole(r, "del"))
                for r in b[j:y]:
                    out.extend(self.whole(r, "ins"))
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
            plain = BlockDiffer(self.revs)  # inside a cell no part is matched
            plain.objects = self.objects
            cell.extend(plain.blocks([c for c in tc_old if c.tag != _TCPR], [c for c in tc_new if c.tag != _TCPR]))
        return out


def _move_name(key: Hashable) -> str:
    """A stable, short name for a move range (Word shows it nowhere; it links the two ends)."""
    import hashlib

    return "samverkan-flytt-" + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:10]


def _paragraphs(block: etree._Element) -> list[etree._Element]:
    return [block] if block.tag == _P else list(block.iter(_P))


def _open(block: etree._Element, start: etree._Element) -> None:
    first = _paragraphs(block)[0]
    pr = first.find(w("pPr"))
    first.insert(0 if pr is None else 1, start)


def _close(block: etree._Element, end: etree._Element) -> None:
    _paragraphs(block)[-1].append(end)


__all__ = ["BlockDiffer", "Ident", "Unit"]
