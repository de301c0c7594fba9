"""LibreOffice's rules for paragraph breaks next to whole insertions and deletions, and a search that keeps them.

:mod:`.paragraphmarks` arranges each stretch of blocks that came or went
whole; this module knows, for a sketch of each block (paragraph or table,
its mark, how its text starts and ends), where LibreOffice 25.2 would leave
a paragraph behind (:func:`fault`, measured by
``tests/test_libreoffice_review.py``), and searches the interleavings of a
stretch's deletions and insertions for one that breaks fewest (:func:`fewest`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

Layout = list[int | tuple[int, int]]
"""A stretch arranged: block indices, and (deleted, inserted) pairs put together as one paragraph."""

Key = tuple[int, int, str, str, int]
"""A state of :func:`fewest`'s search: deletions placed, insertions placed, the last move, the one before,
and whether the paragraph that keeps a moved break is placed yet."""

SEARCHED = 2500
"""Up to this many (deleted × inserted) blocks in a stretch, every interleaving is searched (:func:`fewest`)."""


@dataclass(frozen=True)
class Sketch:
    """What the rules look at in one block: paragraph or not, its mark, whether it came or went whole,
    and whether its text starts or ends with a change ("ins"/"del"/None)."""

    paragraph: bool
    kind: str | None
    whole: bool = True
    starts: str | None = None
    ends: str | None = None


MERGED = Sketch(True, None, False, "del", "ins")  # a deleted and an inserted paragraph as one


def fault(before: Sketch | None, b: Sketch | None, after: Sketch | None) -> int:
    """1 when LibreOffice would leave ``b`` behind between ``before`` and ``after`` (None: the container's
    start or end), else 0."""
    if b is None or not b.paragraph or b.kind is None:
        return 0
    if after is None or not after.paragraph:
        return 1  # cannot be joined with a table, nor be the last paragraph
    if b.kind == "ins" and after.kind == "del" and after.starts == "del":
        return 1  # inserted right before deleted text that ends in a deleted break
    if b.kind == "ins" and before is not None and before.paragraph and (
        (before.kind == "del" and before.ends == "del") or (before.kind is None and before.ends == "ins")
    ):
        return 1  # inserted right after a deleted paragraph, or merged with the insertion it follows
    return 0


def faults_of(seq: Sequence[Sketch | None]) -> int:
    """How many paragraphs LibreOffice would leave behind in ``seq``."""
    return sum(fault(seq[n - 1] if n else None, b, seq[n + 1] if n + 1 < len(seq) else None)
               for n, b in enumerate(seq))


def fewest(dels: Sequence[int], ins: Sequence[int], sketches: Sequence[Sketch], context: tuple[Sketch | None, ...],
           plain: Callable[[int], bool], glued: tuple[list[bool], list[bool]], unlike: Callable[[int, int], bool],
           moved_back: str | None = None) -> tuple[Layout, int | None]:
    """The interleaving of ``dels`` and ``ins`` (each kept in its order, a deleted and an inserted paragraph
    perhaps put together) that breaks fewest rules; then with fewest pairs, fewest pairs of unlike paragraphs,
    then deletions as early as possible. With ``moved_back`` ("del"/"ins"), the stretch starts with paragraphs
    of that kind whose break moves to the paragraph before: the last of them keeps its mark (its index is
    returned with the layout).

    A search over (deletions placed, insertions placed, the last two moves): a block's rule needs only the
    block before it and the one after it. Nothing is placed inside a move range.
    """
    prior, before, after = context
    kept_step = (1, 0) if moved_back == "del" else (0, 1)
    step = {"d": (1, 0), "i": (0, 1), "m": (1, 1), "k": kept_step}
    if moved_back is not None and before is not None:
        before = replace(before, kind=moved_back, whole=False)

    def sketch(i: int, j: int, last: str) -> Sketch | None:
        """The block placed last when ``i`` deletions and ``j`` insertions are placed, ``last`` the move."""
        if last == "d":
            return sketches[dels[i - 1]]
        if last == "i":
            return sketches[ins[j - 1]]
        if last == "k":
            return replace(sketches[dels[i - 1]] if moved_back == "del" else sketches[ins[j - 1]], kind=None, whole=False)
        return MERGED if last == "m" else before if last == "b" else prior

    def allowed(i: int, j: int, last: str, phase: int) -> tuple[str, ...]:
        if last == "d" and glued[0][i - 1]:
            return ("d",)
        if last == "i" and glued[1][j - 1]:
            return ("i",)
        if phase == 0:  # before the paragraph that keeps the moved break: only paragraphs of its kind
            nxt = (dels[i] if i < len(dels) else None) if moved_back == "del" else (ins[j] if j < len(ins) else None)
            if nxt is None or not sketches[nxt].paragraph:
                return ()
            return ("d", "k") if moved_back == "del" else ("i", "k")
        return ("d", "i", "m")

    start: Key = (0, 0, "b", "p", 0 if moved_back else 1)
    best: dict[Key, tuple[tuple[int, int, int, int], Key | None]] = {start: ((0, 0, 0, 0), None)}
    by_total: list[list[Key]] = [[] for _ in range(len(dels) + len(ins) + 1)]
    by_total[0].append(start)
    for total in range(len(dels) + len(ins) + 1):
        for key in by_total[total]:
            i, j, last, prev, phase = key
            (faults_, merges, unlikes, late), _ = best[key]
            pi, pj = i - step.get(last, (0, 0))[0], j - step.get(last, (0, 0))[1]
            here, earlier = sketch(i, j, last), sketch(pi, pj, prev) if prev in step else sketch(0, 0, prev)
            for move in allowed(i, j, last, phase):
                ni, nj = i + step[move][0], j + step[move][1]
                if ni > len(dels) or nj > len(ins) or (move == "m" and not (plain(dels[i]) and plain(ins[j]))):
                    continue
                cost = (faults_ + fault(earlier, here, sketch(ni, nj, move)),  # the rules of the block before
                        merges + (move == "m"), unlikes + (move == "m" and unlike(dels[i], ins[j])),
                        late + (move == "i" or (move == "k" and moved_back == "ins")) * (len(dels) - i))
                new_key = (ni, nj, move, last, 1 if move == "k" else phase)
                if new_key not in best:
                    by_total[ni + nj].append(new_key)
                if new_key not in best or cost < best[new_key][0]:
                    best[new_key] = (cost, key)
    ends = [k for k in best if k[0] == len(dels) and k[1] == len(ins) and k[4] == 1]
    if not ends:
        return [], None
    last_key = min(ends, key=lambda k: _add(best[k][0], _end_faults(k, sketch, step, after)))
    moves: list[str] = []
    key: Key | None = last_key
    while key is not None and key[2] in step:
        moves.append(key[2])
        key = best[key][1]
    layout: Layout = []
    kept = None
    i = j = 0
    for move in reversed(moves):
        if move == "k":
            kept = len(layout)
        if move == "d" or (move == "k" and moved_back == "del"):
            layout.append(dels[i])
        elif move == "i" or move == "k":
            layout.append(ins[j])
        else:
            layout.append((dels[i], ins[j]))
        i, j = i + step[move][0], j + step[move][1]
    return layout, kept


def _add(cost: tuple[int, int, int, int], faults_: int) -> tuple[int, int, int, int]:
    return (cost[0] + faults_, *cost[1:])


def _end_faults(key: Key, sketch: Callable[[int, int, str], Sketch | None],
               step: dict[str, tuple[int, int]], after: Sketch | None) -> int:
    """The rules of the last block placed, now that the block after the stretch is known."""
    i, j, last, prev, _phase = key
    earlier = sketch(i - step[last][0], j - step[last][1], prev) if prev in step else sketch(0, 0, prev)
    return fault(earlier, sketch(i, j, last), after)


__all__ = ["MERGED", "SEARCHED", "Key", "Layout", "Sketch", "fault", "faults_of", "fewest"]
