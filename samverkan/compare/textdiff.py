"""Word-level differences between two texts, shared by the summary and the redline.

Texts are split into words and single punctuation marks, each with the
spaces before it, and line breaks on their own, so a change is shown as whole
words inserted or deleted, never as letters. A date or period ("1 mars 2023",
"2024–2025") is one token: it changes as a whole. (Keeping the spaces with the
words halves the tokens and leaves no very common "space" token, which keeps
difflib fast on long texts.)

difflib's matcher costs, for each word of one text, one step per place the
word occurs in the other: on ordinary prose that is little, but a text that
repeats one word 30 000 times makes it quadratic (minutes). So difflib is
used only where that cost is small, which is every ordinary text, and gives
exactly the diff it always gave there. Larger regions are first cut at their
common beginning and end and at words that occur once in each text
(patience diff); what is left is diffed by Myers' algorithm, whose work grows
with the number of differences rather than with the square of the length.
All of it runs under one work budget per diff; should a hostile pair of texts
exhaust it, the rest of each region is shown as replaced whole: still exact
(both texts are rebuilt from the segments), just coarser.
"""

from __future__ import annotations

import difflib
import functools
import re
from array import array
from collections import Counter
from collections.abc import Sequence

Segment = tuple[str, str]
"""One piece of a word-level diff: ``("=", text)``, ``("-", text)`` or ``("+", text)``."""

_MONTH = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_DAY = rf"(?:\d{{1,2}}\s(?:{_MONTH})\s)?\d{{4}}"
_PERIOD = rf"{_DAY}(?:\s?[–-]\s?{_DAY})?(?!\w)"
"""A year, a date ("1 mars 2023") or a span of them ("2024–2025"): one token, so that a changed
period is struck and inserted as a whole, never patched around a year both versions share."""

_JOINED = r"\w+(?:[./:@-]+\w+)+"
"""Words joined without spaces ("oxelosund.se", "ur/från", "https://polisen.se"): one token."""

_TOKEN = re.compile(rf"[ \t]*{_PERIOD}|[ \t]*{_JOINED}|[ \t]*\w+|[ \t]*[^\w\s]|\s+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Split text into words and punctuation marks (with the spaces before them) and other whitespace.

    Joining the tokens gives the text back exactly.
    """
    return list(_tokens(text))


@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff of two texts as ``=``/``-``/``+`` segments.

    Joining the ``=`` and ``-`` segments gives ``old``; the ``=`` and ``+``
    segments give ``new``. Within each change the deletion comes first.
    Words are matched without the spaces before them, so a word that moved
    to a new paragraph is still the same word. Whitespace left between two
    changes is folded into them, so that "a b" → "c d" reads as one replaced
    phrase rather than two words around a kept space.
    """
    a, b = _tokens(old), _tokens(new)
    kinds: list[str] = []  # "=" or "~", one per piece
    parts: list[tuple[list[str], list[str]]] = []  # each piece's old and new text, in parts

    def add(kind: str, old_part: str, new_part: str) -> None:
        if kinds and kinds[-1] == kind:
            parts[-1][0].append(old_part)
            parts[-1][1].append(new_part)
        elif old_part or new_part:
            kinds.append(kind)
            parts.append(([old_part], [new_part]))

    for tag, i1, i2, j1, j2 in _opcodes([t.strip() or t for t in a], [t.strip() or t for t in b]):
        if tag != "equal":
            add("~", "".join(a[i1:i2]), "".join(b[j1:j2]))
            continue
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            word = x.strip() or x
            if x != y:  # the same word after other whitespace
                add("~", x[: len(x) - len(word)], y[: len(y) - len(word)])
            add("=", word if x != y else x, word if x != y else y)
    pieces = [[kind, "".join(x), "".join(y)] for kind, (x, y) in zip(kinds, parts, strict=True)]
    out: list[Segment] = []
    for n, (kind, old_part, new_part) in enumerate(pieces):
        between = 0 < n < len(pieces) - 1
        if kind == "=" and not (between and not old_part.strip()):
            out.append(("=", old_part))
            continue
        if kind == "=":  # whitespace between two changes: part of both
            pieces[n + 1][1] = old_part + pieces[n + 1][1]
            pieces[n + 1][2] = new_part + pieces[n + 1][2]
            continue
        if old_part:
            out.append(("-", old_part))
        if new_part:
            out.append(("+", new_part))
    return tuple(_slide(out))


DIFFLIB_COST = 200_000
"""Largest region given to difflib: the sum, over the old words, of how often each occurs in the new text.

Ordinary prose of a few thousand words stays below it (about 0.1 s)."""

WORK_BUDGET = 2_000_000
"""Steps one diff may spend outside difflib (about a second) before regions are shown replaced whole."""

Block = tuple[int, int, int]
"""A run of equal words: start in the old text, start in the new text, length."""


def _opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """``equal``/``change`` opcodes like difflib's, in time near-linear in the texts' length."""
    if _difflib_cost(a, b, 0, len(a), 0, len(b)) <= DIFFLIB_COST:
        blocks = _difflib_blocks(a, b, 0, len(a), 0, len(b))
    else:
        blocks = []
        _blocks(a, b, 0, len(a), 0, len(b), blocks, [WORK_BUDGET])
    out: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for x, y, size in [*blocks, (len(a), len(b), 0)]:
        if i < x or j < y:
            out.append(("change", i, x, j, y))
        if size:
            out.append(("equal", x, x + size, y, y + size))
        i, j = x + size, y + size
    return out


def _difflib_cost(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int) -> int:
    counts = Counter(b[blo:bhi])
    return sum(counts[word] for word in a[alo:ahi])


def _difflib_blocks(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int) -> list[Block]:
    matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    return [(alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n]


def _blocks(
    a: Sequence[str],
    b: Sequence[str],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    out: list[Block],
    budget: list[int],
    depth: int = 0,
) -> None:
    """Append the equal runs of ``a[alo:ahi]`` and ``b[blo:bhi]`` to ``out``, in order."""
    head = 0
    while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
        head += 1
    if head:
        out.append((alo, blo, head))
        alo, blo = alo + head, blo + head
    tail = 0
    while alo < ahi - tail and blo < bhi - tail and a[ahi - tail - 1] == b[bhi - tail - 1]:
        tail += 1
    ahi, bhi = ahi - tail, bhi - tail
    budget[0] -= head + tail + (ahi - alo) + (bhi - blo)
    if alo < ahi and blo < bhi:
        if budget[0] <= 0:
            pass  # shown as replaced whole
        elif (cost := _difflib_cost(a, b, alo, ahi, blo, bhi)) <= min(DIFFLIB_COST, budget[0]):
            budget[0] -= cost
            out += _difflib_blocks(a, b, alo, ahi, blo, bhi)
        elif depth < 50 and (anchors := _unique_anchors(a, b, alo, ahi, blo, bhi)):
            i, j = alo, blo
            for x, y in anchors:
                _blocks(a, b, i, x, j, y, out, budget, depth + 1)
                out.append((x, y, 1))
                i, j = x + 1, y + 1
            _blocks(a, b, i, ahi, j, bhi, out, budget, depth + 1)
        else:
            out += _myers(a, b, alo, ahi, blo, bhi, budget)
    if tail:
        out.append((ahi, bhi, tail))


def _unique_anchors(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int]]:
    """Words found exactly once in each region, paired, longest run kept in the same order (patience)."""
    in_a = Counter(a[alo:ahi])
    in_b = Counter(b[blo:bhi])
    where: dict[str, int] = {}
    for j in range(blo, bhi):
        if in_b[b[j]] == 1 and in_a[b[j]] == 1:
            where[b[j]] = j
    pairs = [(i, where[a[i]]) for i in range(alo, ahi) if a[i] in where]
    # Longest increasing run of new positions (patience sorting).
    tops: list[int] = []  # new position on top of each pile
    top_index: list[int] = []
    previous = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        pile = _bisect(tops, j)
        if pile:
            previous[n] = top_index[pile - 1]
        if pile == len(tops):
            tops.append(j)
            top_index.append(n)
        else:
            tops[pile], top_index[pile] = j, n
    chain: list[tuple[int, int]] = []
    n = top_index[-1] if top_index else -1
    while n >= 0:
        chain.append(pairs[n])
        n = previous[n]
    return chain[::-1]


def _bisect(values: list[int], x: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _myers(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, budget: list[int]) -> list[Block]:
    """Equal runs by Myers' O(ND) algorithm; none (replaced whole) if the budget runs out first."""
    n, m = ahi - alo, bhi - blo
    offset = n + m + 1
    v = array("q", [0]) * (2 * offset + 1)
    trace: list[array[int]] = []
    for d in range(n + m + 1):
        trace.append(v[offset - d : offset + d + 1])
        budget[0] -= d
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[alo + x] == b[blo + y]:
                x += 1
                y += 1
            budget[0] -= x - start + 1
            v[offset + k] = x
            if x >= n and y >= m:
                return _myers_path(trace, d, k, x, alo, blo)
        if budget[0] <= 0:
            return []
    return []  # not reached: d = n + m always ends


def _myers_path(trace: list[array[int]], d: int, k: int, x: int, alo: int, blo: int) -> list[Block]:
    blocks: list[Block] = []
    for step in range(d, 0, -1):
        before = trace[step]  # v before this step, diagonals -step..step at 0..2*step
        if k == -step or (k != step and before[k - 1 + step] < before[k + 1 + step]):
            k_prev = k + 1  # came down: a word inserted
            x_start = before[k_prev + step]
        else:
            k_prev = k - 1  # came right: a word deleted
            x_start = before[k_prev + step] + 1
        if x > x_start:
            blocks.append((alo + x_start, blo + x_start - k, x - x_start))
        x, k = before[k_prev + step], k_prev
    if x > 0:
        blocks.append((alo, blo, x))
    return blocks[::-1]


def _slide(segments: list[Segment]) -> list[Segment]:
    """Let changes start with a word, not with a space.

    "utbilda| nya| kontaktombud" reads better as "utbilda |nya |kontaktombud",
    and in a replacement the space both sides share stays unchanged.
    """
    out: list[Segment] = []
    n = 0
    while n < len(segments):
        op, x = segments[n]
        if op == "-" and n + 1 < len(segments) and segments[n + 1][0] == "+":
            y = segments[n + 1][1]
            lead = len(x) - len(x.lstrip(" \t"))
            lead = min(lead, len(y) - len(y.lstrip(" \t")))
            if lead and x[lead:] and y[lead:]:
                out.append(("=", x[:lead]))
                x, y = x[lead:], y[lead:]
            out += [("-", x), ("+", y)]
            n += 2
            continue
        out.append((op, x))
        n += 1
    for n in range(1, len(out) - 1):
        (before, a), (op, x), (after, b) = out[n - 1], out[n], out[n + 1]
        if before == after == "=" and op != "=":
            while x and b and x[0].isspace() and x[0] == b[0]:
                a, x, b = a + x[0], x[1:] + x[0], b[1:]
            out[n - 1], out[n], out[n + 1] = ("=", a), (op, x), ("=", b)
    merged: list[Segment] = []
    for op, x in out:
        if not x:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + x)
        else:
            merged.append((op, x))
    return merged


def similarity(old: str, new: str) -> float:
    """How alike two texts are, 0–1: the share of words they have in common.

    Word order is not considered, which makes this linear in the length of
    the texts; it is used to decide what to pair, not to show the change.
    """
    a, b = _words(old), _words(new)
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    return 2.0 * common / (sum(a.values()) + sum(b.values()))


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> Counter[str]:
    return Counter(t.strip() for t in _tokens(text) if not t.isspace())
