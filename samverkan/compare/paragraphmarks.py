"""Where a run of inserted or deleted paragraphs records its paragraph break, so LibreOffice agrees with Word.

A paragraph that came or went whole carries its mark on its own paragraph
mark (``w:pPr/w:rPr/w:ins`` or ``w:del``), as ECMA-376 describes and Word
resolves. LibreOffice reads the same XML differently in two places (measured
with LibreOffice 25.2, ``tests/test_libreoffice_review.py``):

* an insertion at the end of the paragraph before an inserted paragraph
  merges with it into one change, and Reject All then joins that paragraph
  with the one after the insertion;
* a paragraph whose next block is a table cannot be joined with it, so
  Accept All (deleted heading before a deleted table) or Reject All
  (inserted heading before an inserted table) leaves it behind, empty.

For such a run, :func:`relocate` moves the recorded break one paragraph
back: the paragraph before the run gets the mark, and the run's paragraph
before the table (or its first) keeps its mark unmarked and carries the
properties of the paragraph it becomes (the one before the run, for a deletion accepted or an
insertion rejected) with its own as a recorded property change
(``w:pPrChange``). Accepting or rejecting then leaves the same paragraphs,
with the same properties, in Word and in LibreOffice. Where the run has no
paragraph right before it, nothing is moved.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from lxml import etree

from .trackchanges import Revisions, w

_P, _TBL, _TR, _PPR, _RPR = w("p"), w("tbl"), w("tr"), w("pPr"), w("rPr")
_MARK_KIND = {w("ins"): "ins", w("del"): "del", w("moveTo"): "ins", w("moveFrom"): "del"}


def _mark(p: etree._Element) -> etree._Element | None:
    """The change mark on a paragraph's own mark, if any."""
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    if rpr is None:
        return None
    return next((c for c in rpr if c.tag in _MARK_KIND), None)


def _whole(block: etree._Element) -> str | None:
    """ "ins"/"del" when the whole block came or went (every paragraph mark, every row marked so)."""
    if block.tag == _P:
        mark = _mark(block)
        if mark is None:
            return None
        plain = [c for c in block if c.tag == w("r") and c.find(w("t")) is not None]
        return None if plain else _MARK_KIND[mark.tag]
    if block.tag == _TBL:
        kinds = set()
        for tr in block.iter(_TR):
            pr = tr.find(w("trPr"))
            found = None if pr is None else next((c for c in pr if c.tag in (w("ins"), w("del"))), None)
            kinds.add(None if found is None else _MARK_KIND[found.tag])
        for p in block.iter(_P):  # a moved row's paragraphs are marked as moved, its row as deleted/inserted
            mark = _mark(p)
            kinds.add(None if mark is None else _MARK_KIND[mark.tag])
        return kinds.pop() if len(kinds) == 1 else None
    return None


def _ends_with(p: etree._Element, kind: str) -> bool:
    """Whether the paragraph's last content is a change of ``kind`` (LibreOffice would merge it on)."""
    skip = (_PPR, w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"), w("moveFromRangeEnd"), w("moveToRangeEnd"))
    content = [c for c in p if c.tag not in skip]
    return bool(content) and _MARK_KIND.get(content[-1].tag) == kind


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


def _relocate(before: etree._Element, last: etree._Element, kind: str, revs: Revisions) -> None:
    mark = _mark(last)
    assert mark is not None
    mark.getparent().remove(mark)
    own, other = _pr_without_marks(last), _pr_without_marks(before)
    # After the change is resolved one way, ``last`` holds the text of ``before``: give it its properties
    # in that state, its own in the other.
    now, then = (other, own) if kind == "del" else (own, other)
    change = revs.element("pPrChange")
    old = etree.SubElement(change, _PPR)
    old.extend(c for c in copy.deepcopy(then) if c.tag != _RPR)
    now_pr = copy.deepcopy(now)
    keep_rpr = now_pr.find(_RPR)
    if keep_rpr is not None:
        now_pr.remove(keep_rpr)
        now_pr.append(keep_rpr)
    now_pr.append(change)
    section = last.find(f"{w('pPr')}/{w('sectPr')}")
    current = last.find(_PPR)
    if current is not None:
        last.remove(current)
    if section is not None:
        now_pr.insert(len(now_pr) - 1, section)
    last.insert(0, now_pr)
    pr = before.find(_PPR)
    if pr is None:
        pr = etree.Element(_PPR)
        before.insert(0, pr)
    rpr = pr.find(_RPR)
    if rpr is None:
        rpr = etree.Element(_RPR)
        later = [c for c in pr if c.tag in (w("sectPr"), w("pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            pr.append(rpr)
    rpr.insert(0, revs.element(kind))


def relocate(container: Iterable[etree._Element] | etree._Element, revs: Revisions) -> None:
    """Move recorded paragraph breaks where LibreOffice would resolve them wrongly (see the module)."""
    blocks = list(container)
    n = 0
    while n < len(blocks):
        kind = _whole(blocks[n])
        if kind is None:
            n += 1
            continue
        end = n
        while end + 1 < len(blocks) and _whole(blocks[end + 1]) == kind:
            end += 1
        run = blocks[n : end + 1]
        before = blocks[n - 1] if n > 0 else None
        usable = (before is not None and before.tag == _P and _mark(before) is None
                  and before.find(f"{w('pPr')}/{w('sectPr')}") is None)
        # The break goes to ``before``; the paragraphs of the run up to ``kept`` join forward into it,
        # so no table may stand between them.
        after = blocks[end + 1] if end + 1 < len(blocks) else None
        following = [*run, after]  # a paragraph of the run right before a table, in the run or after it
        at_table = next((i for i, b in enumerate(run) if b.tag == _P and following[i + 1] is not None
                         and following[i + 1].tag == _TBL), None)
        kept = None
        if at_table is not None and all(b.tag == _P for b in run[:at_table]):
            kept = run[at_table]
        elif before is not None and before.tag == _P and _ends_with(before, kind) and run[0].tag == _P:
            kept = run[0]
        if usable and kept is not None:
            _relocate(before, kept, kind, revs)  # type: ignore[arg-type]
        n = end + 1


__all__ = ["relocate"]
