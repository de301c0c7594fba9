"""Agreement values as plain Swedish text, the form in which the comparison sees them.

One paragraph or list point per line, names instead of ids, dates in
Swedish. The functions read the model by its field names and tolerate fields
an older or newer model lacks, so the comparison keeps working while the
model grows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from ..documents.formatting import long_date, period_full
from .changes import ROUTINE, SUBSTANCE

T = TypeVar("T")

MARKER = re.compile(r"\s*\[\^[^\]\s]+\]")
"""An inline source marker (``[^trygghetsmatning-2019]``): printed as a note, not as text."""

SIDES = {"kommun": "för kommunen", "polis": "för polisen", "kommunen": "för kommunen", "polisen": "för polisen"}
"""A signatory's party, as the summary names it."""


def value(x: Any) -> str | None:
    """An enum's value, a string as it is, None for nothing."""
    if x is None:
        return None
    return getattr(x, "value", x)


def date_text(when: date | None) -> str | None:
    return None if when is None else long_date(when)


def plain(text: str | None, sources: dict[str, str] | None = None) -> str | None:
    """Text with its inline source markers as the note titles they print as ("[Polisens trygghetsmätning]")."""
    if text is None:
        return None
    if not sources:
        return MARKER.sub("", text)
    return re.sub(r"\[\^([^\]\s]+)\]", lambda m: f" [{sources.get(m.group(1), m.group(1))}]", text)


def section_text(section: Any, sources: dict[str, str] | None = None) -> str | None:
    """A section as plain text, one paragraph per line: heading (if its own), paragraphs, points, closing, sources.

    ``sources`` maps source ids to their titles, so a citation reads as the
    note the document prints, not as an id.
    """
    if section is None:
        return None
    lines = []
    if getattr(section, "rubrik", None):
        lines.append(f"Rubrik: {section.rubrik}")
    lines += [plain(p, sources) or "" for p in section.text.split("\n\n")] if section.text else []
    lines += [f"• {plain(point, sources)}" for point in section.punkter]
    closing = getattr(section, "avslutning", None)
    if closing:
        lines += [plain(p, sources) or "" for p in closing.split("\n\n")]
    if getattr(section, "kallor", None):
        names = [(sources or {}).get(k, k) for k in section.kallor]
        lines.append("Källor: " + "; ".join(names))
    return "\n".join(lines)


def bullets(items: Sequence[str]) -> str | None:
    return "\n".join(f"• {plain(item)}" for item in items) if items else None


def activity_text(activity: Any) -> str:
    """ "genomföra trafikkontroller (minst 40 trafikkontroller; tertialvis; senast 1 juni 2025)"."""
    extra = [x for x in (activity.omfattning, activity.frekvens) if x]
    if activity.senast:
        extra.append(f"senast {date_text(activity.senast)}")
    text = plain(activity.text) or ""
    return text + (f" ({'; '.join(extra)})" if extra else "")


def forum_text(forum: Any) -> str:
    parts = [forum.namn + (f": {' '.join(forum.beskrivning.split())}" if forum.beskrivning else "")]
    if forum.medlemmar:
        parts.append("Medlemmar: " + ", ".join(forum.medlemmar))
    if forum.motesfrekvens:
        parts.append("Möten: " + forum.motesfrekvens)
    return ". ".join(parts)


def role_text(role: Any) -> str:
    head = role.titel + (f" ({role.namn})" if role.namn else "") + f", {value(role.part)}"
    return head + (f": {role.beskrivning}" if role.beskrivning else "")


def source_text(source: Any) -> str:
    return ", ".join(str(x) for x in (source.titel, source.utgivare, source.ar, source.url) if x)


def link_text(link: Any) -> str:
    return link.text + (f": {link.url}" if link.url else "")


def method_text(method: Any) -> str:
    """A method description as printed: its paragraphs, its points, its closing, its link."""
    lines = [" ".join(p.split()) for p in method.beskrivning.split("\n\n")]
    lines += [f"• {p}" for p in method.punkter]
    if getattr(method, "avslutning", None):
        lines.append(" ".join(method.avslutning.split()))
    if method.lank:
        lines.append(f"Länk: {method.lank}")
    return "\n".join(lines)


def signatory_text(person: Any) -> str:
    """ "Dag Bergentoft, Kommunstyrelsens ordförande, för kommunen"."""
    text = f"{person.namn}, {person.titel}, {SIDES.get(value(person.part) or '', value(person.part))}"
    place = ", ".join(x for x in (person.ort, date_text(person.datum)) if x)
    return f"{text}, {place}" if place else text


def signed_where(signing: Any) -> str | None:
    """Where and when a document was signed, as the signing page says it: "Askersund den 1 januari 2018"."""
    if signing is None:
        return None
    place, day = getattr(signing, "ort", None), date_text(getattr(signing, "datum", None))
    if place and day:
        return f"{' '.join(place.split())} den {day}"
    if place or day:
        return " ".join(place.split()) if place else day
    return NOT_PUBLISHED if getattr(signing, "ort_och_datum_ej_publicerade", False) else None


NOT_PUBLISHED = "framgår inte av den publicerade versionen"
"""What the signing page says when the published source gives neither place nor date."""


def signing_clause(signing: Any) -> str | None:
    """The clause printed before the names ("Parterna har …"), if any."""
    clause = getattr(signing, "klausul", None) if signing is not None else None
    return " ".join(clause.split()) if clause else None


def signing_rows(what: str, a: Any, b: Any) -> list[tuple[str, str, str | None, str | None, str]]:
    """Where and when the signatories signed, and the clause before their names: two lines, as printed."""
    return [("undertecknande.ort_och_datum", f"{what}, ort och datum", signed_where(a), signed_where(b), SUBSTANCE),
            ("undertecknande.klausul", f"{what}, text före namnen", signing_clause(a), signing_clause(b), SUBSTANCE)]


def belongs_rows(a: Any, b: Any) -> list[tuple[str, str, str | None, str | None, str]]:
    """The samverkansöverenskommelse a medborgarlöfte of its own belongs to: its title, period and diarienummer."""
    def get(x: Any, key: str) -> Any:
        return getattr(x, key, None) if x is not None else None

    def period(x: Any) -> str | None:
        return period_full(get(x, "period")) if get(x, "period") is not None else None

    return [("overenskommelse.titel", "Överenskommelsen löftet hör till", get(a, "titel"), get(b, "titel"), SUBSTANCE),
            ("overenskommelse.period", "Överenskommelsens period", period(a), period(b), SUBSTANCE),
            ("overenskommelse.diarienummer", "Överenskommelsens diarienummer", get(a, "diarienummer"),
             get(b, "diarienummer"), ROUTINE)]


def joined(items: Sequence[T], render: Callable[[T], str]) -> str | None:
    return "\n".join(render(x) for x in items) if items else None


__all__ = [
    "MARKER", "SIDES", "activity_text", "bullets", "date_text", "forum_text", "joined", "link_text",
    "belongs_rows", "method_text", "NOT_PUBLISHED", "plain", "role_text", "section_text", "signatory_text",
    "signed_where", "signing_clause", "signing_rows", "source_text", "value",
]
