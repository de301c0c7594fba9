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
* **Order.** Every list is printed in the order it is written: activities and
  their groups, signatories (two by two in the signing table), the
  agreement's own methods and its sources. :func:`visible_order` is
  therefore the identity today; it stays the one place to take out an order
  that a future document does not print.

``tests/test_canonical.py`` renders reordered and re-wrapped variants and
checks that equal text and equal Versionskod go together.
"""

from __future__ import annotations

import re
from typing import Any

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


def visible_order(data: dict[str, Any]) -> dict[str, Any]:
    """Dumped agreement data (``model_dump(mode="json")``) with unprinted order taken out.

    The result is only for fingerprints and comparisons. Every list of the
    model is printed in written order, so nothing is reordered.
    """
    return data


__all__ = ["cited_sources", "normal_text", "visible_order"]
