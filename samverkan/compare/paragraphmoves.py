"""Paragraphs that moved as they are: marked as a move in the redline, not deleted here and inserted there.

The structural matching (:mod:`.matching`) pairs areas, medborgarlöften and
activities, and :mod:`.blockmerge` marks the ones that moved. Text that is
not such a part – a lead-in with its list of promises put before another,
paragraphs of a section in a new order – comes out of the merge as a run of
deleted paragraphs in one place and the same paragraphs inserted in another.
:func:`mark_moves` finds those runs (the same style and text, in the same
order, and at least :data:`LEAST` characters of text, so a lone short heading
like "Mål" is never taken for a move) and marks them ``w:moveFrom`` where
they stood and ``w:moveTo`` where they stand, in a named range, as Word
writes a move. Accept All and Reject All give the same text as before.

The summary says the same of a field's paragraphs (:mod:`.paragraphs`: an
added paragraph equal to a removed one is "moved").
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from difflib import SequenceMatcher

from lxml import etree

from .trackchanges import Revisions, move_range, style_of, text_of, w

LEAST = 30
"""Fewest characters of text a run of paragraphs needs to be taken for a move."""

_P = w("p")
_WHOLE = {w("ins"): "ins", w("del"): "del"}


def _whole(p: etree._Element) -> str | None:
    """ "ins"/"del" for a paragraph inserted or deleted whole (its mark and all its text), else None."""
    if p.tag != _P:
        return None
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    mark = None if rpr is None else next((c for c in rpr if c.tag in _WHOLE or c.tag in (w("moveFrom"), w("moveTo"))), None)
    if mark is None or mark.tag not in _WHOLE or p.find(f"{w('pPr')}/{w('sectPr')}") is not None:
        return None
    kind = _WHOLE[mark.tag]
    content = [c for c in p if c.tag not in (w("pPr"), w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"))]
    return kind if content and all(c.tag == w(kind) for c in content) else None


def _runs(blocks: Sequence[etree._Element], kind: str) -> list[list[int]]:
    """Maximal runs of consecutive paragraphs inserted (or deleted) whole."""
    out: list[list[int]] = []
    for n, b in enumerate(blocks):
        if _whole(b) == kind:
            if out and out[-1][-1] == n - 1:
                out[-1].append(n)
            else:
                out.append([n])
    return out


def _key(p: etree._Element) -> tuple[str, str]:
    return (style_of(p) or "", " ".join(text_of(p).split()))


def _mark(p: etree._Element, kind: str) -> None:
    """Turn a whole deletion into a move away (``moveFrom``), an insertion into a move here (``moveTo``)."""
    old = "del" if kind == "moveFrom" else "ins"
    for el in p.iter(w(old)):
        el.tag = w(kind)
    if kind == "moveFrom":  # moved text is still text
        for t in p.iter(w("delText")):
            t.tag = w("t")


def mark_moves(blocks: list[etree._Element], revs: Revisions) -> None:
    """Mark runs of paragraphs deleted in one place and inserted unchanged in another as moves, in place."""
    gone = _runs(blocks, "del")
    came = _runs(blocks, "ins")
    keys = [_key(b) if b.tag == _P else ("", "") for b in blocks]
    while True:
        found = None
        for g in gone:
            for c in came:
                match = SequenceMatcher(None, [keys[n] for n in g], [keys[n] for n in c], autojunk=False) \
                    .find_longest_match(0, len(g), 0, len(c))
                size = sum(len(keys[g[match.a + k]][1]) for k in range(match.size))
                if match.size and size >= LEAST and (found is None or size > found[0]):
                    found = (size, g, c, match)
        if found is None:
            return
        _size, g, c, match = found
        away, here = g[match.a : match.a + match.size], c[match.b : match.b + match.size]
        name = "samverkan-flytt-" + hashlib.sha256(repr([keys[n] for n in away]).encode("utf-8")).hexdigest()[:10]
        for kind, items in (("moveFrom", away), ("moveTo", here)):
            for n in items:
                _mark(blocks[n], kind)
            start, end = move_range(kind, name, revs)
            first = blocks[items[0]]
            pr = first.find(w("pPr"))
            first.insert(0 if pr is None else 1, start)
            blocks[items[-1]].append(end)
        # What is left of the two runs can still match elsewhere.
        gone = [r for r in (g[: match.a], g[match.a + match.size :]) if r] + [r for r in gone if r is not g]
        came = [r for r in (c[: match.b], c[match.b + match.size :]) if r] + [r for r in came if r is not c]


__all__ = ["LEAST", "mark_moves"]
