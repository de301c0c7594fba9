"""Places in an agreement file said in words, not as programmer paths.

A message says 'i aktivitet 3 i området "Unga i riskzon"', never
``del2.prioriterade_omraden[0].aktiviteter[2]``: the reader counts from one
and knows her areas by their titles. This module holds the Swedish words
for the lists' items and builds those phrases from a data location.
"""

from __future__ import annotations

from typing import Any

Loc = tuple[str | int, ...]

# The list field → (its item in the definite form, "ett nytt …" / "en ny …", the item noun).
ITEMS: dict[str, tuple[str, str, str]] = {
    "prioriterade_omraden": ("området", "ett nytt område", "område"),
    "aktiviteter": ("aktiviteten", "en ny aktivitet", "aktivitet"),
    "medborgarloften": ("medborgarlöftet", "ett nytt medborgarlöfte", "medborgarlöfte"),
    "kallor": ("källan", "en ny källa", "källa"),
    "undertecknare": ("undertecknaren", "en ny undertecknare", "undertecknare"),
    "organisation": ("forumet", "ett nytt forum", "forum"),
    "roller": ("rollen", "en ny roll", "roll"),
    "egna_metoder": ("metoden", "en ny metod", "metod"),
    "lankar": ("länken", "en ny länk", "länk"),
    "fokusomraden": ("fokusområdet", "ett nytt fokusområde", "fokusområde"),
    "loften": ("löftet", "ett nytt löfte", "löfte"),
    "grupper": ("gruppen", "en ny grupp", "grupp"),
    "avsnitt": ("avsnittet", "ett nytt avsnitt", "avsnitt"),
}

_LABELS = ("titel", "namn", "text", "id")


def new_item(list_name: str | int) -> str:
    """'ett nytt område' for the list ``list_name`` ('en ny punkt' for one not known)."""
    return ITEMS[list_name][1] if isinstance(list_name, str) and list_name in ITEMS else "en ny punkt"


def _label(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in _LABELS:
            value = item.get(key)
            if isinstance(value, str) and value.strip() and "<" not in value:
                text = " ".join(value.split())
                return text if len(text) <= 40 else text[:39] + "…"
    return None


def _item(list_name: str | int, index: int, item: Any) -> str:
    definite, _, noun = ITEMS.get(list_name, ("punkten", "", "punkt")) if isinstance(list_name, str) else ("punkten", "", "punkt")
    label = _label(item)
    if label and list_name in ("prioriterade_omraden", "medborgarloften", "kallor", "egna_metoder", "organisation", "roller"):
        return f'{definite} "{label}"'
    if label and list_name in ("undertecknare",):
        return f"{noun} {index + 1} ({label})"
    return f"{noun} {index + 1}"


def describe(loc: Loc, data: Any) -> str:
    """Where ``loc`` is, innermost first: 'aktivitet 3 i området "Unga i riskzon"'.

    Field names are given as written in the file (`polis` under `parter`);
    list items by their number from one and their title where they have one.
    """
    parts: list[str] = []
    current = data
    parent: str | int = ""
    for part in loc:
        if isinstance(part, int):
            item = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
            parts.append(_item(parent, part, item))
            current = item
        else:
            nxt = current.get(part) if isinstance(current, dict) else None
            if not (isinstance(nxt, list) and ITEMS.get(part)) or part == loc[-1]:
                parts.append(f"`{part}`")
            current = nxt
        parent = part
    # Field names outside the innermost list item add nothing its title does not say.
    last_item = max((i for i, part in enumerate(parts) if not part.startswith("`")), default=-1)
    kept = [part for i, part in enumerate(parts) if i >= last_item or not part.startswith("`")]
    return " i ".join(reversed(kept))


__all__ = ["ITEMS", "describe", "new_item"]
