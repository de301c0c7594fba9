"""An agreement's content in the form the documents show it: what its Versionskod is made of.

Two files that render the same text must have the same Versionskod, and the
year-to-year comparison must call them equal. Two things in a YAML file do
not reach the page and are therefore taken out here, once for everyone:

* **Whitespace.** The documents split text into paragraphs at blank lines and
  print each paragraph as one line of words: re-wrapping a ``|-`` block,
  indenting it differently or leaving two spaces between words changes
  nothing. :func:`normal_text` is applied to every text when the model is
  validated, so the renderer, the fingerprint and the comparison all see the
  same text.
* **Order that is not printed.** Activities are printed grouped by the party
  responsible, signatories grouped by party, the agreement's own method
  descriptions are looked up by id wherever an area names them, and sources
  are numbered in the order the text first cites them (only sources nobody
  cites follow in the order of the list). :func:`visible_order` puts such
  lists in one fixed order before the fingerprint is computed;
  :mod:`samverkan.compare` reports an order change only where it is printed,
  by the same rules (:data:`PARTY_ORDER`, :data:`SIDE_ORDER`).

``tests/test_canonical.py`` renders reordered and re-wrapped variants and
checks that equal text and equal Versionskod go together.
"""

from __future__ import annotations

import re
from typing import Any

PARTY_ORDER = ("kommunen", "polisen", "tillsammans")
"""The order in which activity groups are printed (the ``ansvar`` values)."""

SIDE_ORDER = ("kommun", "polis")
"""The order in which signatories are printed (the ``part`` values)."""

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def normal_text(value: str) -> str:
    """Text as the documents print it: paragraphs separated by one blank line, single spaces within.

    >>> normal_text("  Polisen ska\\n  genomföra   kontroller.\\n\\n\\n Nytt stycke. ")
    'Polisen ska genomföra kontroller.\\n\\nNytt stycke.'

    Only ASCII whitespace is folded; a no-break space is kept, as the
    documents keep it.
    """
    blocks = (_SPACES.sub(" ", block).strip() for block in _BLANK_LINE.split(value))
    return "\n\n".join(block for block in blocks if block)


def cited_sources(data: Any) -> set[str]:
    """Ids of sources cited anywhere in dumped agreement data (every ``kallor`` list of ids)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "kallor" and isinstance(value, list) and all(isinstance(x, str) for x in value):
                found.update(value)
            else:
                found |= cited_sources(value)
    elif isinstance(data, list):
        for item in data:
            found |= cited_sources(item)
    return found


def _rank(order: tuple[str, ...], value: Any) -> int:
    return order.index(value) if value in order else len(order)


def _grouped(data: Any) -> Any:
    """Activities in printed order (grouped by party), recursively."""
    if isinstance(data, dict):
        out = {key: _grouped(value) for key, value in data.items()}
        activities = out.get("aktiviteter")
        if isinstance(activities, list) and all(isinstance(a, dict) for a in activities):
            out["aktiviteter"] = sorted(activities, key=lambda a: _rank(PARTY_ORDER, a.get("ansvar")))
        return out
    if isinstance(data, list):
        return [_grouped(item) for item in data]
    return data


def visible_order(data: dict[str, Any]) -> dict[str, Any]:
    """Dumped agreement data (``model_dump(mode="json")``) with unprinted order taken out.

    The result is only for fingerprints and comparisons: lists come in the
    order the documents print them, and lists whose order is never printed
    are sorted by id.
    """
    out = _grouped(data)
    if isinstance(out.get("undertecknare"), list):
        out["undertecknare"] = sorted(out["undertecknare"], key=lambda s: _rank(SIDE_ORDER, s.get("part")))
    if isinstance(out.get("egna_metoder"), list):
        out["egna_metoder"] = sorted(out["egna_metoder"], key=lambda m: m.get("id", ""))
    if isinstance(out.get("kallor"), list):
        cited = cited_sources({k: v for k, v in out.items() if k != "kallor"})
        sources = out["kallor"]
        out["kallor"] = sorted((k for k in sources if k.get("id") in cited), key=lambda k: k.get("id", "")) + [
            k for k in sources if k.get("id") not in cited
        ]
    return out


__all__ = ["PARTY_ORDER", "SIDE_ORDER", "cited_sources", "normal_text", "visible_order"]
