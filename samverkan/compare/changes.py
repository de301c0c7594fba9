"""The result of comparing two agreement versions: plain, frozen data.

:func:`samverkan.compare.compare` builds a :class:`Comparison`;
:mod:`samverkan.compare.formats` turns it into text, markdown or JSON (the
JSON shape is documented in ``docs/diff-format.md``) and the redline puts it
on its cover page.

Every change carries a *weight* (:data:`SUBSTANCE`, :data:`TEXT`,
:data:`ROUTINE`) so that the summary can put what the parties promise first
and fold routine changes into one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .paragraphs import ParagraphChange
from .textdiff import Segment

SUBSTANCE = "substance"
"""Obligations (activities, responsibility, scope, deadlines, numbers, goals), parties, period, signatories."""
TEXT = "text"
"""Prose: descriptions, background, lägesbild, method texts, sources."""
ROUTINE = "routine"
"""Status, diarienummer, the document's date, dates moved by the same interval as all others."""


@dataclass(frozen=True)
class FieldChange:
    """One value that differs. ``segments`` is the word-level diff when both exist and fit on one line;
    ``paragraphs`` the paragraph-level changes of a longer text."""

    field: str
    label: str
    old: str | None
    new: str | None
    segments: tuple[Segment, ...] = ()
    weight: str = TEXT
    paragraphs: tuple[ParagraphChange, ...] = ()


@dataclass(frozen=True)
class MethodRef:
    id: str
    name: str


@dataclass(frozen=True)
class MethodChanges:
    added: tuple[MethodRef, ...] = ()
    removed: tuple[MethodRef, ...] = ()
    order: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """The method names before and after, when the same methods are printed in another order."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.order)


@dataclass(frozen=True)
class Place:
    """Where something stands: the kind and title of its part (``("område", "Trygga ungdomar")``)."""

    kind: str
    title: str


@dataclass(frozen=True)
class ActivityChange:
    old: Any
    new: Any
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ActivityMove:
    """An activity that moved: to another place in its party's list, or to another area or promise."""

    old: Any
    new: Any
    fields: tuple[FieldChange, ...]
    source: Place
    target: Place
    old_position: int  # 1-based, within the party's activities in its part
    new_position: int


@dataclass(frozen=True)
class ActivityChanges:
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()
    changed: tuple[ActivityChange, ...] = ()
    moved: tuple[ActivityMove, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


@dataclass(frozen=True)
class Item:
    """A prioritised area or a medborgarlöfte that came or went."""

    id: str
    title: str
    methods: tuple[MethodRef, ...]
    activities: tuple[Any, ...]


@dataclass(frozen=True)
class ItemChange:
    """A prioritised area or medborgarlöfte present in both versions, with its changes."""

    id: str
    title: str
    old_id: str
    old_title: str
    fields: tuple[FieldChange, ...]
    methods: MethodChanges
    activities: ActivityChanges


@dataclass(frozen=True)
class ItemMove:
    """A part printed at another place in its list (positions count from 1)."""

    title: str
    old_position: int
    new_position: int


@dataclass(frozen=True)
class ItemChanges:
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    moved: tuple[ItemMove, ...] = ()
    order: tuple[str, ...] = ()
    """The titles in the new order, when something moved."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


@dataclass(frozen=True)
class SignatoryMove:
    person: Any
    old_position: int
    new_position: int


@dataclass(frozen=True)
class SignatoryChanges:
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()
    changed: tuple[tuple[Any, Any, tuple[FieldChange, ...]], ...] = ()
    moved: tuple[SignatoryMove, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


@dataclass(frozen=True)
class Version:
    """What identifies one of the two versions in a summary (the date in Swedish, as printed)."""

    title: str
    period: str
    status: str
    date: str
    date_iso: str
    fingerprint: str
    kommun: str


@dataclass(frozen=True)
class Comparison:
    """Everything that differs between two versions of an agreement."""

    old: Version
    new: Version
    general: tuple[FieldChange, ...] = ()
    signatories: SignatoryChanges = field(default_factory=SignatoryChanges)
    texts: tuple[FieldChange, ...] = ()
    areas: ItemChanges = field(default_factory=ItemChanges)
    methods: MethodChanges = field(default_factory=MethodChanges)
    medborgarloften: ItemChanges = field(default_factory=ItemChanges)
    sources: tuple[FieldChange, ...] = ()
    focus_areas: ItemChanges = field(default_factory=ItemChanges)
    """The medborgarlöften's own focus areas (fokusområden)."""
    moved_activities: tuple[ActivityMove, ...] = ()
    """Activities that left one area or medborgarlöfte for another."""
    date_shift: str | None = None
    """ "1 år senare" when every changed date moved by the same interval (those changes are routine)."""

    @property
    def empty(self) -> bool:
        """True when the two versions print the same content."""
        return not (self.general or self.texts or self.sources or self.moved_activities) and all(
            part.empty for part in (self.signatories, self.areas, self.methods, self.medborgarloften, self.focus_areas)
        )


__all__ = [
    "ROUTINE",
    "SUBSTANCE",
    "TEXT",
    "ActivityChange",
    "ActivityChanges",
    "ActivityMove",
    "Comparison",
    "FieldChange",
    "Item",
    "ItemChange",
    "ItemChanges",
    "ItemMove",
    "MethodChanges",
    "MethodRef",
    "Place",
    "SignatoryChanges",
    "SignatoryMove",
    "Version",
]
