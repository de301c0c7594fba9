"""Swedish counts with the noun in the right number: "1 fil", "2 filer".

Every count a person reads goes through :func:`antal`, so no message says
"1 filer" or "Alla 1 filer är giltiga".
"""

from __future__ import annotations


def antal(count: int, one: str, many: str) -> str:
    """``count`` and the noun agreeing with it: ``antal(1, "fil", "filer")`` → "1 fil"."""
    return f"{count} {one if count == 1 else many}"




def invalid_of(invalid: int, total: int) -> str:
    """"1 av 2 filer är ogiltig", "2 av 2 filer är ogiltiga"."""
    return f"{invalid} av {antal(total, 'fil', 'filer')} är {'ogiltig' if invalid == 1 else 'ogiltiga'}"


__all__ = ["antal", "invalid_of"]
