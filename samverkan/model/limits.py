"""How much a valid agreement may hold, so that every valid agreement can be made into documents.

The YAML reader's budgets (:mod:`.yamlread`) keep a file from exhausting
memory; these limits are lower and about the documents: a valid agreement
must also render, and LibreOffice lays out some 20 000 characters a second,
so an agreement of a million characters or a hundred thousand list items
passed validation only to fail at LibreOffice's time limit a minute later.
Real agreements are far below every limit (the longest text value in the
examples is under 1 500 characters, a whole agreement under 8 000, its
longest list 5 items); at the limits, both documents render in about 20 s.

Text is counted as printed: a text used several times through YAML aliases
counts each time it is used. Every limit is reported at the value that
passes it, in Swedish, with what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Loc = tuple[str | int, ...]

MAX_VALUE_CHARS = 20_000
"""Most characters in one text value (some eight pages of running text)."""

MAX_TOTAL_CHARS = 200_000
"""Most characters of text in one agreement, all values together (some 80 pages)."""

MAX_LIST_ITEMS = 300
"""Most items in one list (activities, promises, signatories …)."""

MAX_ITEMS = 2_000
"""Most list items in one agreement, all lists together."""


def over_limits(data: Any) -> Iterator[tuple[Loc, str]]:
    """Where ``data`` (an agreement file's plain data) holds more than a valid agreement may, and why.

    Stops after the first total that is passed: everything after it is over as well.
    """
    total_chars = total_items = 0
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            if len(value) > MAX_VALUE_CHARS:
                yield loc, (
                    f"texten är för lång: {len(value)} tecken, högst {MAX_VALUE_CHARS} – korta den "
                    "eller dela upp den i flera avsnitt"
                )
            total_chars += len(value)
            if total_chars > MAX_TOTAL_CHARS:
                yield loc, (
                    f"överenskommelsen har för mycket text: här passeras {MAX_TOTAL_CHARS} tecken sammanlagt – korta texterna "
                    "(text som används flera gånger med alias räknas varje gång)"
                )
                return
        elif isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                yield loc, f"listan har för många punkter: {len(value)}, högst {MAX_LIST_ITEMS} – slå ihop eller ta bort punkter"
            total_items += len(value)
            if total_items > MAX_ITEMS:
                yield loc, f"överenskommelsen har för många listpunkter: här passeras {MAX_ITEMS} sammanlagt – slå ihop eller ta bort punkter"
                return
            stack.extend(((*loc, index), item) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, dict):
            stack.extend(((*loc, key), item) for key, item in reversed(list(value.items())))
