"""Which paragraphs of two texts are the same paragraph: one rule for the summary and the redline.

A paragraph that keeps at least half of its words (:data:`PAIR_THRESHOLD`)
is shown as changed, word by word; one that keeps less was rewritten and is
shown as replaced: the old paragraph deleted, the new one inserted. The
redline (:mod:`.blockmerge`) pairs the rendered paragraphs of a document by
:func:`ordered_pairs`, and the summary pairs the paragraphs of a text by
:func:`paragraph_changes`, which uses the same function and threshold, so a
paragraph the redline strikes whole is never shown as fragments in the
summary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from .textdiff import Segment, similarity, word_diff

PAIR_THRESHOLD = 0.5
"""Least word similarity for two paragraphs to be shown as one changed paragraph."""


def ordered_pairs(old: Sequence[Any], new: Sequence[Any], score: Callable[[Any, Any], float]) -> list[tuple[int, int]]:
    """Order-keeping pairs of similar items with the best total similarity (each at least the threshold)."""
    n, m = len(old), len(new)
    if n * m > 40_000:  # a huge rewrite: no pairing, whole blocks instead
        return []
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    scores: dict[tuple[int, int], float] = {}
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            s = score(old[x], new[y])
            scores[x, y] = s
            take = best[x + 1][y + 1] + s if s >= PAIR_THRESHOLD else -1.0
            best[x][y] = max(best[x + 1][y], best[x][y + 1], take)
    pairs, x, y = [], 0, 0
    while x < n and y < m:
        s = scores[x, y]
        if s >= PAIR_THRESHOLD and best[x][y] == best[x + 1][y + 1] + s:
            pairs.append((x, y))
            x, y = x + 1, y + 1
        elif best[x][y] == best[x + 1][y]:
            x += 1
        else:
            y += 1
    return pairs


def text_score(a: str, b: str) -> float:
    if not a.strip() or not b.strip():
        return 1.0 if a == b else 0.0
    return similarity(a, b)


@dataclass(frozen=True)
class ParagraphChange:
    """One paragraph that changed, came, went or was rewritten (numbers count from 1)."""

    kind: str  # "changed", "added", "removed", "replaced", "split", "joined" or "moved"
    old_no: int | None
    new_no: int | None
    old: str | None
    new: str | None
    segments: tuple[Segment, ...] = ()


def split(text: str | None) -> list[str]:
    """A text's paragraphs: its non-empty lines (the plain texts of :mod:`.texts` put one paragraph per line)."""
    return [line for line in (text or "").split("\n") if line.strip()]


def paragraph_changes(old: str | None, new: str | None) -> tuple[ParagraphChange, ...]:
    """The paragraph-level changes between two texts, in reading order."""
    a, b = split(old), split(new)
    out: list[ParagraphChange] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i, j = i1, j1
        pairs = [(i1 + x, j1 + y) for x, y in ordered_pairs(a[i1:i2], b[j1:j2], text_score)]
        for x, y in [*pairs, (i2, j2)]:
            gone, came = list(range(i, x)), list(range(j, y))
            while gone and came:  # rewritten in place
                g, c = gone.pop(0), came.pop(0)
                out.append(ParagraphChange("replaced", g + 1, c + 1, a[g], b[c]))
            out += [ParagraphChange("removed", g + 1, None, a[g], None) for g in gone]
            out += [ParagraphChange("added", None, c + 1, None, b[c]) for c in came]
            if x < i2 and y < j2:
                out.append(ParagraphChange("changed", x + 1, y + 1, a[x], b[y], word_diff(a[x], b[y])))
            i, j = x + 1, y + 1
    return tuple(_moves(_splits(out)))


def _moves(changes: list[ParagraphChange]) -> list[ParagraphChange]:
    """A paragraph removed in one place and added unchanged in another moved: one line, where it stands now."""
    def norm(text: str | None) -> str:
        return " ".join((text or "").split())

    removed = [c for c in changes if c.kind == "removed"]
    out: list[ParagraphChange] = []
    used: set[int] = set()
    for c in changes:
        if c.kind == "added":
            twin = next((r for r in removed if id(r) not in used and norm(r.old) == norm(c.new)), None)
            if twin is not None:
                used.add(id(twin))
                out.append(ParagraphChange("moved", twin.old_no, c.new_no, twin.old, c.new))
                continue
        out.append(c)
    return [c for c in out if id(c) not in used]


def _only(segments: tuple[Segment, ...], op: str) -> str | None:
    """The text of the ``op`` segments when every change is of that kind (spaces aside), else None."""
    other = "+" if op == "-" else "-"
    if any(o == other and t.strip() for o, t in segments):
        return None
    return " ".join(" ".join(t.split()) for o, t in segments if o == op).strip() or None


def _splits(changes: list[ParagraphChange]) -> list[ParagraphChange]:
    """A paragraph cut in two (or two put together) without other change: one line, not a deletion and a new paragraph."""
    out: list[ParagraphChange] = []
    n = 0
    while n < len(changes):
        here = changes[n]
        after = changes[n + 1] if n + 1 < len(changes) else None
        if after is not None and {here.kind, after.kind} == {"added", "changed"}:
            added, changed = (here, after) if here.kind == "added" else (after, here)
            if _only(changed.segments, "-") == " ".join((added.new or "").split()):
                new_nos = sorted(x for x in (added.new_no, changed.new_no) if x)
                out.append(ParagraphChange("split", changed.old_no, new_nos[0], changed.old, changed.new))
                n += 2
                continue
        if after is not None and {here.kind, after.kind} == {"removed", "changed"}:
            removed, changed = (here, after) if here.kind == "removed" else (after, here)
            if _only(changed.segments, "+") == " ".join((removed.old or "").split()):
                old_nos = sorted(x for x in (removed.old_no, changed.old_no) if x)
                out.append(ParagraphChange("joined", old_nos[0], changed.new_no, changed.old, changed.new))
                n += 2
                continue
        out.append(here)
        n += 1
    return out


__all__ = ["PAIR_THRESHOLD", "ParagraphChange", "ordered_pairs", "paragraph_changes", "split", "text_score"]
