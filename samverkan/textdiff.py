"""Word-level differences between two texts, shared by the summary and the redline.

Texts are split into words, runs of whitespace and single punctuation marks,
so a change is shown as whole words inserted or deleted, never as letters.
"""

from __future__ import annotations

import difflib
import functools
import re

Segment = tuple[str, str]
"""One piece of a word-level diff: ``("=", text)``, ``("-", text)`` or ``("+", text)``."""

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Split text into words, runs of whitespace and single punctuation marks.

    Joining the tokens gives the text back exactly.
    """
    return list(_tokens(text))


@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff of two texts as ``=``/``-``/``+`` segments.

    Joining the ``=`` and ``-`` segments gives ``old``; the ``=`` and ``+``
    segments give ``new``. Within each change the deletion comes first. A
    lone space between two changes is folded into them, so that "a b" → "c d"
    reads as one replaced phrase rather than two words around a kept space.
    """
    a, b = tokens(old), tokens(new)
    blocks: list[tuple[str, str, str]] = []  # (kind, old text, new text)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        inner = 0 < n < len(opcodes) - 1
        if tag == "equal" and not (inner and not old_part.strip()):
            blocks.append(("=", old_part, new_part))
        elif blocks and blocks[-1][0] == "~":
            _, o, w = blocks.pop()
            blocks.append(("~", o + old_part, w + new_part))
        else:
            blocks.append(("~", old_part, new_part))
    out: list[Segment] = []
    for kind, old_part, new_part in blocks:
        if kind == "=":
            out.append(("=", old_part))
            continue
        if old_part:
            out.append(("-", old_part))
        if new_part:
            out.append(("+", new_part))
    return tuple(_slide(out))


def _slide(segments: list[Segment]) -> list[Segment]:
    """Move a lone insertion or deletion so that it starts with a word, not a space.

    "utbilda| nya| kontaktombud" reads better as "utbilda |nya |kontaktombud".
    """
    for n in range(1, len(segments) - 1):
        (before, a), (op, x), (after, b) = segments[n - 1], segments[n], segments[n + 1]
        if before == after == "=" and op != "=":
            while x and b and x[0].isspace() and x[0] == b[0]:
                a, x, b = a + x[0], x[1:] + x[0], b[1:]
            segments[n - 1], segments[n], segments[n + 1] = ("=", a), (op, x), ("=", b)
    return [s for s in segments if s[1]]


def similarity(old: str, new: str, at_least: float = 0.0) -> float:
    """How alike two texts are, 0–1, counted in words.

    When the texts cannot reach ``at_least``, a cheap upper bound below it is
    returned instead of the exact value.
    """
    matcher = difflib.SequenceMatcher(None, _tokens(old), _tokens(new), autojunk=False)
    bound = matcher.real_quick_ratio()
    if bound < at_least or (bound := matcher.quick_ratio()) < at_least:
        return bound
    return matcher.ratio()
