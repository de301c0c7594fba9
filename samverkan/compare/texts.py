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


def section_text(section: Avsnitt | None) -> str | None:
    """A section as plain text: its paragraphs, then its bullet points and sources."""
    if section is None:
        return None
    lines = [section.text.strip()] if section.text else []
    lines += [f"• {point}" for point in section.punkter]
    if section.kallor:
        lines.append("Källor: " + ", ".join(section.kallor))
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
    parts = [forum.namn + (f": {forum.beskrivning}" if forum.beskrivning else "")]
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
    return link.text + (f" <{link.url}>" if link.url else "")


def method_text(method: Metod) -> str:
    lines = [f"{method.namn}: {method.beskrivning}", *(f"• {p}" for p in getattr(method, "punkter", []))]
    return "\n".join(lines) + (f" <{method.lank}>" if method.lank else "")


def signatory_text(person: Undertecknare) -> str:
    text = f"{person.namn}, {person.titel} ({person.part.value})"
    place = ", ".join(x for x in (person.ort, date_text(person.datum)) if x)
    return f"{text}, {place}" if place else text


def joined(items: Sequence[T], render: Callable[[T], str]) -> str | None:
    return "\n".join(render(x) for x in items) if items else None


__all__ = ["activity_text", "bullets", "date_text", "forum_text", "joined", "link_text", "method_text", "role_text", "section_text", "signatory_text", "source_text"]
