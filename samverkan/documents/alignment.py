"""Lining an edited document up with the render it came from: paragraphs, then characters.

:func:`align` pairs the paragraphs of two versions of a document that are the
same paragraph, edited or not (an exact diff first, then the most similar
pairs, in order, inside each stretch that changed); :func:`split_edit` shares
the new text of one edited paragraph out among the values it was made of,
and says when fixed text changed; :func:`parse_like` reads a new paragraph
with the pattern of a neighbouring one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from difflib import SequenceMatcher

from .docxedits import Paragraph
from .tracing import Traced

SIMILAR = 0.5


def ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR else 0.0


def pair_in_order(old: list[str], new: list[str], score: Callable[[str, str], float] = ratio,
                  threshold: float = SIMILAR) -> list[tuple[int, int]]:
    """Order-keeping pairs of similar items with the best total similarity (none for a huge rewrite)."""
    n, m = len(old), len(new)
    if n * m > 40_000:
        return []
    scores = {(i, j): score(old[i], new[j]) for i in range(n) for j in range(m)}
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            both = best[i + 1][j + 1] + scores[i, j] if scores[i, j] >= threshold else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], both)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if scores[i, j] >= threshold and best[i][j] == best[i + 1][j + 1] + scores[i, j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def align(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Pairs (old index, new index) of paragraphs that are the same paragraph, edited or not."""
    pairs: list[tuple[int, int]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "replace":
            pairs += [(i1 + a, j1 + b) for a, b in pair_in_order(old[i1:i2], new[j1:j2])]
    return pairs


# -- inside a paragraph ----------------------------------------------------------------------

SegKey = tuple[int, int, int]  # (value, occurrence, piece)


def split_edit(traced: Traced, new: str) -> tuple[dict[SegKey, str], list[tuple[str, str]]]:
    """The new text of each value segment of ``traced`` after it became ``new``; fixed text changed → problems."""
    segments = traced.segments
    old = traced.text
    owner: list[int] = []
    starts = []
    for index, seg in enumerate(segments):
        starts.append(len(owner))
        owner += [index] * len(seg.text)
    out: dict[int, list[str]] = defaultdict(list)
    problems: list[tuple[str, str]] = []

    def place_insert(i: int) -> int | None:
        empty = [k for k, s in enumerate(segments) if s.value is not None and not s.text and starts[k] == i]
        if empty:
            return empty[0]
        left = owner[i - 1] if i > 0 else None
        right = owner[i] if i < len(old) else None
        for candidate in (left, right):
            if candidate is not None and segments[candidate].value is not None:
                return candidate
        return None

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i1, i2):
                out[owner[k]].append(old[k])
            continue
        touched = sorted(set(owner[i1:i2]))
        if not touched:
            target = place_insert(i1)
            if target is None:
                problems.append((old[max(0, i1 - 20):i1 + 20], new[max(0, j1 - 20):j2 + 20]))
            else:
                out[target].append(new[j1:j2])
            continue
        if any(segments[k].value is None for k in touched) or len(touched) > 1:
            problems.append((old[i1:i2], new[j1:j2]))
            for k in touched:  # keep the old text so the rest of the paragraph stays consistent
                out[k].extend(ch for ch, o in zip(old[i1:i2], owner[i1:i2]) if o == k)
            continue
        out[touched[0]].append(new[j1:j2])
    result = {}
    for index, seg in enumerate(segments):
        if seg.value is not None:
            result[(seg.value, seg.occurrence, seg.piece)] = "".join(out.get(index, []))
    return result, problems


def parse_like(traced: Traced, text: str) -> dict[int, str] | None:
    """Read ``text`` with the pattern of ``traced`` (its fixed text as separators); None if it does not fit."""
    pattern = "".join(f"(?P<v{s.value}_{k}>.+?)" if s.value is not None else re.escape(s.text)
                      for k, s in enumerate(traced.segments))
    found = re.fullmatch(pattern, text, re.DOTALL)
    if not found:
        return None
    return {int(name[1:].split("_")[0]): value for name, value in found.groupdict().items()}


def keys(paragraphs: list[Paragraph]) -> list[str]:
    """What paragraphs are lined up by: their text, and in a table also the row's first cell and the column."""
    first: dict[tuple[int, int], str] = {}
    for p in paragraphs:
        if p.cell is not None:
            first.setdefault(p.cell[:2], p.text)
    return [p.text if p.cell is None else f"{p.text}\x00{p.cell[2]}\x00{first[p.cell[:2]]}" for p in paragraphs]



__all__ = ["SIMILAR", "SegKey", "align", "keys", "pair_in_order", "parse_like", "ratio", "split_edit"]
