"""Agreement values as plain Swedish text, the form in which the comparison sees them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from ..documents.formatting import long_date
from ..model.models import (
    Aktivitet,
    Avsnitt,
    Forum,
    Kalla,
    Lank,
    Metod,
    Roll,
    Undertecknare,
)

T = TypeVar("T")

def date_text(value: date | None) -> str | None:
    return None if value is None else long_date(value)


def section_text(section: Avsnitt | None, sources: dict[str, str] | None = None) -> str | None:
    """A section as plain text, one paragraph per line: its paragraphs, bullet points and cited sources.

    ``sources`` maps source ids to their titles, so a citation reads as the
    note the document prints, not as an id.
    """
    if section is None:
        return None
    lines = section.text.split("\n\n") if section.text else []
    lines += [f"• {point}" for point in section.punkter]
    if section.kallor:
        names = [(sources or {}).get(k, k) for k in section.kallor]
        lines.append("Källor: " + "; ".join(names))
    return "\n".join(lines)


def bullets(items: Sequence[str]) -> str | None:
    return "\n".join(f"• {item}" for item in items) if items else None


def activity_text(activity: Aktivitet) -> str:
    """ "genomföra trafikkontroller (minst 40 trafikkontroller; tertialvis; senast 1 juni 2025)"."""
    extra = [x for x in (activity.omfattning, activity.frekvens) if x]
    if activity.senast:
        extra.append(f"senast {date_text(activity.senast)}")
    return activity.text + (f" ({'; '.join(extra)})" if extra else "")


def forum_text(forum: Forum) -> str:
    parts = [forum.namn + (f": {' '.join(forum.beskrivning.split())}" if forum.beskrivning else "")]
    if forum.medlemmar:
        parts.append("Medlemmar: " + ", ".join(forum.medlemmar))
    if forum.motesfrekvens:
        parts.append("Möten: " + forum.motesfrekvens)
    return ". ".join(parts)


def role_text(role: Roll) -> str:
    head = role.titel + (f" ({role.namn})" if role.namn else "") + f", {role.part.value}"
    return head + (f": {role.beskrivning}" if role.beskrivning else "")


def source_text(source: Kalla) -> str:
    return ", ".join(str(x) for x in (source.titel, source.utgivare, source.ar, source.url) if x)


def link_text(link: Lank) -> str:
    return link.text + (f": {link.url}" if link.url else "")


def method_text(method: Metod) -> str:
    """A method description as printed: one paragraph, its points, its link."""
    lines = [" ".join(method.beskrivning.split()), *(f"• {p}" for p in method.punkter)]
    if method.lank:
        lines.append(f"Länk: {method.lank}")
    return "\n".join(lines)


SIDES = {"kommun": "för kommunen", "polis": "för polisen"}


def signatory_text(person: Undertecknare) -> str:
    """ "Dag Bergentoft, Kommunstyrelsens ordförande, för kommunen"."""
    text = f"{person.namn}, {person.titel}, {SIDES[person.part.value]}"
    place = ", ".join(x for x in (person.ort, date_text(person.datum)) if x)
    return f"{text}, {place}" if place else text


def joined(items: Sequence[T], render: Callable[[T], str]) -> str | None:
    return "\n".join(render(x) for x in items) if items else None


__all__ = ["activity_text", "bullets", "date_text", "forum_text", "joined", "link_text", "method_text", "role_text", "section_text", "signatory_text", "source_text", "SIDES"]
