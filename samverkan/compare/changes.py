"""The result of comparing two agreement versions: plain, frozen data.

:func:`samverkan.compare.compare` builds a :class:`Comparison`;
:mod:`samverkan.diffformat` turns it into text, markdown or JSON (the JSON
shape is documented in ``docs/diff-format.md``) and the redline puts it on
its cover page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..documents.formatting import period_full
from ..model.models import Agreement, Aktivitet, Undertecknare
from .textdiff import Segment


@dataclass(frozen=True)
class FieldChange:
    """One value that differs. ``segments`` is the word-level diff when both exist."""

    field: str
    label: str
    old: str | None
    new: str | None
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class MethodRef:
    id: str
    name: str


@dataclass(frozen=True)
class MethodChanges:
    added: tuple[MethodRef, ...] = ()
    removed: tuple[MethodRef, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed)


@dataclass(frozen=True)
class ActivityChange:
    old: Aktivitet
    new: Aktivitet
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ActivityChanges:
    added: tuple[Aktivitet, ...] = ()
    removed: tuple[Aktivitet, ...] = ()
    changed: tuple[ActivityChange, ...] = ()
    reordered: bool = False

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reordered)


@dataclass(frozen=True)
class Item:
    """A prioritised area or a medborgarlöfte that came or went."""

    id: str
    title: str
    methods: tuple[MethodRef, ...]
    activities: tuple[Aktivitet, ...]


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
class ItemChanges:
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    reordered: bool = False

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reordered)


@dataclass(frozen=True)
class SignatoryChanges:
    added: tuple[Undertecknare, ...] = ()
    removed: tuple[Undertecknare, ...] = ()
    changed: tuple[tuple[Undertecknare, Undertecknare, tuple[FieldChange, ...]], ...] = ()
    reordered: bool = False

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reordered)


@dataclass(frozen=True)
class Version:
    """What identifies one of the two versions in a summary."""

    title: str
    period: str
    status: str
    date: date
    fingerprint: str

    @classmethod
    def of(cls, agreement: Agreement) -> Version:
        return cls(
            agreement.document_title,
            period_full(agreement.period),
            agreement.status.value,
            agreement.document_date,
            agreement.fingerprint(),
        )


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

    @property
    def empty(self) -> bool:
        """True when the two versions have the same content."""
        return not (self.general or self.texts or self.sources) and all(
            part.empty for part in (self.signatories, self.areas, self.methods, self.medborgarloften)
        )


__all__ = [
    "ActivityChange",
    "ActivityChanges",
    "Comparison",
    "FieldChange",
    "Item",
    "ItemChange",
    "ItemChanges",
    "MethodChanges",
    "MethodRef",
    "SignatoryChanges",
    "Version",
]
