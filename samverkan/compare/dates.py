"""Dates that all moved by one interval: a routine roll-forward, not a change of substance.

A new year's version usually moves every date by a year. When every date
that changed moved by the same interval, the activities' deadlines and the
signing dates that moved are routine (:data:`.changes.ROUTINE`) and the
summary says so in one line; the periods stay substance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .changes import ROUTINE, Comparison, FieldChange, ItemChanges


def _shift(old: date, new: date) -> tuple[str, int]:
    if (old.month, old.day) == (new.month, new.day):
        return ("år", new.year - old.year)
    return ("dagar", (new - old).days)


def _shift_text(kind: str, amount: int) -> str:
    if kind == "år":
        n = abs(amount)
        return f"{'ett' if n == 1 else n} år {'senare' if amount > 0 else 'tidigare'}"
    return f"{abs(amount)} dagar {'senare' if amount > 0 else 'tidigare'}"


class Dates:
    """Collects every date that changed, to see whether all moved by the same interval."""

    def __init__(self) -> None:
        self.shifts: set[tuple[str, int]] = set()

    def add(self, old: date | None, new: date | None) -> None:
        if old is not None and new is not None and old != new:
            self.shifts.add(_shift(old, new))
        elif old != new:
            self.shifts.add(("saknas", 0))

    def common(self) -> str | None:
        if len(self.shifts) != 1:
            return None
        kind, amount = next(iter(self.shifts))
        return None if kind == "saknas" else _shift_text(kind, amount)


def routine_dates(result: Comparison, shift: str | None) -> Comparison:
    """When every date moved by one interval, the deadlines and signing dates that moved are routine."""
    if shift is None:
        return result
    calmed = {"senast": 0, "datum": 0}

    def calm(fields: tuple[FieldChange, ...]) -> tuple[FieldChange, ...]:
        for f in fields:
            if f.field in calmed:
                calmed[f.field] += 1
        return tuple(replace(f, weight=ROUTINE) if f.field in calmed else f for f in fields)

    def items(changes_: ItemChanges) -> ItemChanges:
        out = []
        for c in changes_.changed:
            acts = c.activities
            acts = replace(acts, changed=tuple(replace(a, fields=calm(a.fields)) for a in acts.changed),
                           moved=tuple(replace(a, fields=calm(a.fields)) for a in acts.moved))
            out.append(replace(c, activities=acts))
        return replace(changes_, changed=tuple(out))

    sig = result.signatories
    sig = replace(sig, changed=tuple((a, b, calm(fs)) for a, b, fs in sig.changed))
    areas, promises, focus = items(result.areas), items(result.medborgarloften), items(result.focus_areas)
    crossed = tuple(replace(a, fields=calm(a.fields)) for a in result.moved_activities)
    if not any(calmed.values()):  # only the periods moved: nothing was folded, nothing to say
        return result
    what = [f"{n} sista datum för aktiviteter" if n > 1 else "1 sista datum för en aktivitet" for n in [calmed["senast"]] if n]
    what += [f"{n} underskriftsdatum" for n in [calmed["datum"]] if n]
    text = f"{' och '.join(what)} ligger {shift}, som alla andra ändrade datum"
    return replace(result, areas=areas, medborgarloften=promises, focus_areas=focus, signatories=sig,
                   moved_activities=crossed, date_shift=text)



__all__ = ["Dates", "routine_dates"]
