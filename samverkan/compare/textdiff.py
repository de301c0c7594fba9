"""Word-level differences between two texts, shared by the summary and the redline.

Texts are split into words and single punctuation marks, each with the
spaces before it, and line breaks on their own, so a change is shown as whole
words inserted or deleted, never as letters. (Keeping the spaces with the
words halves the tokens and leaves no very common "space" token, which keeps
difflib fast on long texts.)
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter

Segment = tuple[str, str]
"""One piece of a word-level diff: ``("=", text)``, ``("-", text)`` or ``("+", text)``."""

_TOKEN = re.compile(r"[ \t]*\w+|[ \t]*[^\w\s]|\s+", re.UNICODE)


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
    pieces: list[list[str]] = []  # [kind, old text, new text], kind "=" or "~"

    def add(kind: str, old_part: str, new_part: str) -> None:
        if pieces and pieces[-1][0] == kind:
            pieces[-1][1] += old_part
            pieces[-1][2] += new_part
        elif old_part or new_part:
            pieces.append([kind, old_part, new_part])

    matcher = difflib.SequenceMatcher(None, [t.strip() or t for t in a], [t.strip() or t for t in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            add("~", "".join(a[i1:i2]), "".join(b[j1:j2]))
            continue
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            word = x.strip() or x
            if x != y:  # the same word after other whitespace
                add("~", x[: len(x) - len(word)], y[: len(y) - len(word)])
            add("=", word if x != y else x, word if x != y else y)
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
