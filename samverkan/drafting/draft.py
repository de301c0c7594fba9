"""What an import has found so far: the draft's data, its comments and the text it could not place.

Shared by the modules of `samverkan import` (:mod:`.importing`,
:mod:`.signing`, :mod:`.agreementdraft`) and written by :mod:`.draftwrite`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.checks import PLACEHOLDER

Path_ = tuple[Any, ...]


@dataclass
class Draft:
    """What the import found: the file's data in order, comments by place, and text it could not place."""

    data: dict[str, Any]
    notes: dict[Path_, list[str]] = field(default_factory=dict)
    leftovers: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    source: str = ""

    def note(self, where: Path_, text: str) -> None:
        self.notes.setdefault(where, []).append(text)


def fill(what: str) -> str:
    """A placeholder for a value the document does not give: `samverkan validate` reports it."""
    return f"{PLACEHOLDER}: {what}>"


def quote(text: str, words: int = 30) -> str:
    """The source text a guess was read from, in Swedish quotes (shortened after ``words`` words)."""
    parts = " ".join(text.split()).split(" ")
    return "”" + (" ".join(parts[:words]) + (" …" if len(parts) > words else "")) + "”"


__all__ = ["Draft", "Path_", "fill", "quote"]
