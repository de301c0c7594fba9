"""Where a stretch of inserted and deleted blocks records its paragraph breaks, so LibreOffice agrees with Word.

A paragraph that came or went whole carries its mark on its own paragraph
mark (``w:pPr/w:rPr/w:ins`` or ``w:del``), as ECMA-376 describes and Word
resolves. LibreOffice (measured with 25.2, ``tests/test_libreoffice_review.py``)
resolves the same XML differently in these places:

* a paragraph cannot be joined with a table, and the last paragraph of a
  body or cell cannot be removed: a deleted (accepted) or inserted (rejected)
  paragraph right before a table or at the end is left behind, empty;
* inserted paragraphs right after a deleted paragraph whose text ends
  deleted, or right before a paragraph whose mark and first words are
  deleted, are left behind as one empty paragraph when rejected;
* an insertion at the end of the paragraph before inserted paragraphs merges
  with them into one change, and Reject All then joins that paragraph with the
  one after the insertion.

:func:`relocate` looks at every stretch of blocks that came or went whole
(paragraphs, tables, moved ones included) together with the block before and
after it, and tries these changes, none of which changes what accepting or
rejecting gives in Word:

* the stretch as it is, its deletions first, its insertions first, or the
  interleaving a small search finds to break fewest rules (only blocks that
  came or went whole are reordered, each kind keeping its order);
* a deleted and an inserted paragraph put together as one paragraph, its old
  text struck and its new text inserted (a replaced paragraph, whose mark
  stays) – where the pair keeps both kinds in their order;
* a paragraph before inserted paragraphs whose words end replaced gets its
  inserted words before its struck ones, so it ends in a deletion;
* the first run's break moved one paragraph back: the paragraph before the
  stretch gets the mark, and a paragraph of the run keeps its mark unmarked
  and carries the properties of the paragraph it becomes (the one before the
  stretch, for a deletion accepted or an insertion rejected) with its own as a
  recorded property change (``w:pPrChange``).

Among the arrangements that break fewest rules, the one with fewest pairs put
together, then without a moved break, then the earliest in that list wins.
Where none avoids every rule (a paragraph that must go standing between two
tables, as when an area whose activities end in a table moves past another
such area; paragraphs inserted first in the body before an inserted table),
LibreOffice leaves that paragraph behind, empty: :func:`faults` counts them,
and ``tests/test_libreoffice_review.py`` checks the count against LibreOffice.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from .breakrules import MERGED, SEARCHED, Layout, Sketch, faults_of, fewest
from .trackchanges import Revisions, mark_paragraph_mark, w

_P, _TBL, _TR, _PPR, _RPR = w("p"), w("tbl"), w("tr"), w("pPr"), w("rPr")
_MARK_KIND = {w("ins"): "ins", w("del"): "del", w("moveTo"): "ins", w("moveFrom"): "del"}


def _mark(p: etree._Element) -> etree._Element | None:
    """The change mark on a paragraph's own mark, if any."""
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    if rpr is None:
        return None
    return next((c for c in rpr if c.tag in _MARK_KIND), None)


def _kind(p: etree._Element) -> str | None:
    mark = _mark(p)
    return None if mark is None else _MARK_KIND[mark.tag]


def _whole(block: etree._Element) -> str | None:
    """ "ins"/"del" when the whole block came or went (every paragraph mark, every row marked so)."""
    if block.tag == _P:
        if _mark(block) is None or block.find(f"{w('pPr')}/{w('sectPr')}") is not None:
            return None
        plain = [c for c in block if c.tag == w("r") and c.find(w("t")) is not None]
        return None if plain else _kind(block)
    if block.tag == _TBL:
        kinds = set()
        for tr in block.iter(_TR):
            pr = tr.find(w("trPr"))
            found = None if pr is None else next((c for c in pr if c.tag in (w("ins"), w("del"))), None)
            kinds.add(None if found is None else _MARK_KIND[found.tag])
        for p in block.iter(_P):  # a moved row's paragraphs are marked as moved, its row as deleted/inserted
            kinds.add(_kind(p))
        return kinds.pop() if len(kinds) == 1 else None
    return None


_NOT_CONTENT = {_PPR, w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"),
                *(w(f"{k}Range{e}") for k in ("moveFrom", "moveTo") for e in ("Start", "End"))}


def _edge(p: etree._Element, last: bool) -> str | None:
    """ "ins"/"del" when the paragraph's first (or last) content is inserted or deleted text."""
    content = [c for c in p if c.tag not in _NOT_CONTENT]
    return _MARK_KIND.get(content[-1 if last else 0].tag) if content else None


def _sketch(block: etree._Element) -> Sketch:
    if block.tag != _P:
        return Sketch(False, _whole(block))
    return Sketch(True, _kind(block), _whole(block) is not None, _edge(block, False), _edge(block, True))


def faults(blocks: Sequence[etree._Element]) -> int:
    """How many paragraphs LibreOffice's Accept All or Reject All would leave behind in ``blocks``, by the rules."""
    return faults_of([None, *(_sketch(b) for b in blocks), None])


# -- arrangements ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    layout: tuple[int | tuple[int, int], ...]
    kept: int | None  # index (in the layout) of the paragraph that keeps the break moved back


def _open_moves(blocks: Sequence[etree._Element], items: Sequence[int]) -> list[bool]:
    """For each of ``items``, whether a move range is still open after it (the next one must follow it)."""
    out, open_ = [], False
    for n in items:
        for el in blocks[n].iter(*(w(f"{k}Range{e}") for k in ("moveFrom", "moveTo") for e in ("Start", "End"))):
            open_ = etree.QName(el).localname.endswith("Start")
        out.append(open_)
    return out


def _style(p: etree._Element) -> str:
    found = p.find(f"{w('pPr')}/{w('pStyle')}")
    return "" if found is None else found.get(w("val")) or ""


def _unlike(deleted: etree._Element, inserted: etree._Element) -> bool:
    """Whether two paragraphs put together would change style (a heading with body text, say)."""
    return _style(deleted) != _style(inserted)


def _layouts(stretch: Sequence[int], kinds: Sequence[str], blocks: Sequence[etree._Element],
             sketches: Sequence[Sketch], context: tuple[Sketch | None, ...],
             usable: bool) -> Iterator[tuple[Layout, int | None | bool]]:
    """The stretch as it is, deletions first, insertions first; each also with one pair put together where
    the pair keeps every deletion and every insertion in its order; and the interleaving found by
    :func:`.breakrules.fewest` (with and without a break moved back). Each comes with the paragraph that keeps a moved
    break, or True where every way to move it is to be tried."""
    if len({kinds[n] for n in stretch}) == 1:
        yield list(stretch), True
        return

    plain_marks = {n: blocks[n].tag == _P and (m := _mark(blocks[n])) is not None and m.tag in (w("ins"), w("del"))
                   for n in stretch}
    plain = plain_marks.__getitem__
    styles = {n: _style(blocks[n]) for n in stretch}
    dels, ins = [n for n in stretch if kinds[n] == "del"], [n for n in stretch if kinds[n] == "ins"]
    for items, first, second in ((list(stretch), None, None), (dels + ins, dels, ins), (ins + dels, ins, dels)):
        yield items, True
        if plain(dels[-1]) and plain(ins[-1]):  # the last of each, together at the end
            yield [n for n in items if n not in (dels[-1], ins[-1])] + [(dels[-1], ins[-1])], True
        if first is None or second is None:
            continue
        # the first run's last paragraph with the second run's first paragraph, where the first stood
        last = next((n for n in reversed(first) if blocks[n].tag == _P), None)
        if last is not None and plain(last) and plain(second[0]):
            pair = (last, second[0]) if kinds[last] == "del" else (second[0], last)
            yield [pair if n == last else n for n in items if n != second[0]], True
    if len(dels) * len(ins) <= SEARCHED:
        glued = (_open_moves(blocks, dels), _open_moves(blocks, ins))
        for moved_back in (None, "del", "ins") if usable else (None,):
            layout, kept = fewest(dels, ins, sketches, context, plain, glued, lambda d, i: styles[d] != styles[i],
                                   moved_back)
            if layout:
                yield layout, kept


def _keeps(seq: Sequence[Sketch]) -> list[int]:
    """The paragraphs of the first run that could keep its break moved back – all paragraphs of the run
    before it join it – tried: the first, and the last one before anything else (a table, the other kind)."""
    prefix = 0
    while prefix < len(seq) and seq[0].kind is not None and seq[prefix].paragraph and seq[prefix].kind == seq[0].kind:
        prefix += 1
    return sorted({0, prefix - 1}) if prefix else []


def _plans(seq: list[Sketch], before: Sketch | None, usable: bool,
           keep: int | None | bool) -> Iterator[tuple[int | None, list[Sketch], Sketch | None]]:
    """The ways to move the first run's break back in ``seq`` – ``keep`` the paragraph that keeps it, None for
    none, True for every way tried: (kept, the stretch after it, the block before it)."""
    if keep is None or keep is True:
        yield None, seq, before
    if not usable or before is None or keep is None:
        return
    for kept in _keeps(seq) if keep is True else [keep]:
        yield kept, [*seq[:kept], replace(seq[kept], kind=None, whole=False), *seq[kept + 1 :]], \
            replace(before, kind=seq[0].kind, whole=False)


def _inversions(layout: Layout, kinds: Sequence[str]) -> int:
    """How many (inserted, deleted) pairs of blocks stand in that order: a reader expects the old text first."""
    count = seen = 0
    for n in layout:
        if isinstance(n, tuple):
            continue
        if kinds[n] == "ins":
            seen += 1
        else:
            count += seen
    return count


def _plan(blocks: list[etree._Element], sketches: list[Sketch], start: int, end: int, kinds: list[str]) -> _Plan:
    """The arrangement of ``blocks[start:end]`` that leaves fewest paragraphs behind, changing least."""
    b_el = blocks[start - 1] if start > 0 else None
    prior = sketches[start - 2] if start > 1 else None
    before = sketches[start - 1] if start > 0 else None
    after = sketches[end] if end < len(blocks) else None
    usable = (b_el is not None and b_el.tag == _P and _mark(b_el) is None
              and b_el.find(f"{w('pPr')}/{w('sectPr')}") is None)
    best: tuple[tuple[int, ...], _Plan] | None = None
    found = _layouts(range(start, end), kinds, blocks, sketches, (prior, before, after), usable)
    for rank, (layout, keep) in enumerate(found):
        seq = [MERGED if isinstance(n, tuple) else sketches[n] for n in layout]
        merges = sum(isinstance(n, tuple) for n in layout)
        unlike = sum(_unlike(blocks[n[0]], blocks[n[1]]) for n in layout if isinstance(n, tuple))
        late = _inversions(layout, kinds)
        for kept, moved, became in _plans(seq, before, usable, keep):
            # Fewest paragraphs left behind; then the fewest paragraphs put together (of unlike styles
            # above all), deletions before insertions, no break moved, the earliest in the list.
            cost = (faults_of([prior, became, *moved, after]), merges, unlike, late, kept is not None, rank)
            if best is None or cost < best[0]:
                best = (cost, _Plan(tuple(layout), kept))
    assert best is not None
    return best[1]


# -- writing the chosen arrangement ------------------------------------------------------------------------


def _pr_without_marks(p: etree._Element) -> etree._Element:
    pr = copy.deepcopy(p.find(_PPR)) if p.find(_PPR) is not None else etree.Element(_PPR)
    for node in list(pr):
        if node.tag in (w("pPrChange"), w("sectPr")):
            pr.remove(node)
    rpr = pr.find(_RPR)
    if rpr is not None:
        for node in list(rpr):
            if node.tag in _MARK_KIND:
                rpr.remove(node)
    return pr


def _same(a: etree._Element, b: etree._Element) -> bool:
    strip = [c for c in a if c.tag != _RPR], [c for c in b if c.tag != _RPR]
    return [etree.tostring(c) for c in strip[0]] == [etree.tostring(c) for c in strip[1]]


def _merge(deleted: etree._Element, inserted: etree._Element, revs: Revisions) -> etree._Element:
    """One paragraph: the deleted paragraph's text struck, the inserted one's inserted, NEW's properties."""
    out = copy.deepcopy(inserted)
    old_pr, new_pr = _pr_without_marks(deleted), _pr_without_marks(out)
    current = out.find(_PPR)
    if current is not None:
        out.remove(current)
    if not _same(old_pr, new_pr):
        change = revs.element("pPrChange")
        recorded = etree.SubElement(change, _PPR)
        recorded.extend(c for c in copy.deepcopy(old_pr) if c.tag != _RPR)
        new_pr.append(change)
    out.insert(0, new_pr)
    struck = [copy.deepcopy(c) for c in deleted if c.tag not in (_PPR, w("moveFromRangeStart"), w("moveFromRangeEnd"))]
    at = 1
    for node in struck:
        out.insert(at, node)
        at += 1
    return out


def _resolved(p: etree._Element, side: str) -> etree._Element:
    """The paragraph's properties once every change is accepted or rejected (``side``)."""
    pr = _pr_without_marks(p)
    recorded = p.find(f"{w('pPr')}/{w('pPrChange')}/{w('pPr')}")
    if side == "reject" and recorded is not None:
        rpr = pr.find(_RPR)
        pr = copy.deepcopy(recorded)
        if rpr is not None:
            pr.append(rpr)
    return pr


def _relocate(before: etree._Element, last: etree._Element, kind: str, revs: Revisions) -> None:
    """Move the break of the run ``before`` stands before onto ``before``; ``last`` keeps an unmarked mark."""
    mark = _mark(last)
    assert mark is not None
    # Once the change is resolved one way, ``last`` holds the text of ``before``: give it ``before``'s
    # properties in that state, and its own in the other.
    now = _resolved(before if kind == "del" else last, "accept")
    then = _resolved(last if kind == "del" else before, "reject")
    section = last.find(f"{w('pPr')}/{w('sectPr')}")
    current = last.find(_PPR)
    if current is not None:
        last.remove(current)
    keep_rpr = now.find(_RPR)
    if keep_rpr is not None:  # w:rPr comes after the other properties, before w:sectPr and w:pPrChange
        now.remove(keep_rpr)
        now.append(keep_rpr)
    if section is not None:
        now.append(section)
    if not _same(now, then):
        change = revs.element("pPrChange")
        etree.SubElement(change, _PPR).extend(c for c in copy.deepcopy(then) if c.tag != _RPR)
        now.append(change)
    last.insert(0, now)
    pr = before.find(_PPR)
    if pr is None:
        pr = etree.Element(_PPR)
        before.insert(0, pr)
    mark_paragraph_mark(pr, revs.element(kind))


def _swap_end(p: etree._Element) -> bool:
    """A paragraph whose words end replaced ("2024–2025" struck, "2025–2026" inserted) right before inserted
    paragraphs: the insertion first, so it does not end in one (LibreOffice would merge it with them)."""
    if p.tag != _P or _mark(p) is not None:
        return False
    content = [c for c in p if c.tag not in _NOT_CONTENT]
    if len(content) < 2 or content[-2].tag != w("del") or content[-1].tag != w("ins"):
        return False
    content[-2].addprevious(content[-1])
    return True


def relocate(container: Iterable[etree._Element] | etree._Element, revs: Revisions) -> list[etree._Element]:
    """The blocks with every stretch of whole changes arranged so LibreOffice resolves it as Word (see the module)."""
    blocks = list(container)
    kinds = [_whole(b) or "" for b in blocks]
    sketches = [_sketch(b) for b in blocks]
    out: list[etree._Element] = []
    n = 0
    while n < len(blocks):
        if not kinds[n]:
            out.append(blocks[n])
            n += 1
            continue
        end = n
        while end < len(blocks) and kinds[end]:
            end += 1
        if n > 0 and kinds[n] == "ins" and _swap_end(blocks[n - 1]):
            sketches[n - 1] = _sketch(blocks[n - 1])
        plan = _plan(blocks, sketches, n, end, kinds)
        arranged = [_merge(blocks[i[0]], blocks[i[1]], revs) if isinstance(i, tuple) else blocks[i] for i in plan.layout]
        if plan.kept is not None:
            _relocate(out[-1], arranged[plan.kept], _kind(arranged[0]) or "", revs)
        out += arranged
        n = end
    return out


__all__ = ["faults", "relocate"]
