"""Every field the structured comparison does not know, still compared: nothing printed goes unreported.

The model grows (a promise verb, a signing clause, a section of the parties'
own); :mod:`.structure` compares the fields it knows by name, and this module
compares the rest of the same object as plain text, under a Swedish label
from :data:`LABELS` (or the key itself for a field added later), so a change
in the file is never missing from the summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .changes import SUBSTANCE, TEXT, FieldChange

LABELS = {
    "dokument": ("Dokumentslag", SUBSTANCE),
    "loftesverb": ("Löftesverb", SUBSTANCE),
    "metodbeskrivningar": ("Metodbeskrivningar i bilaga", TEXT),
    "undertecknande": ("Undertecknande", SUBSTANCE),
    "overenskommelse": ("Hör till överenskommelsen", SUBSTANCE),
    "ersatter": ("Ersätter", TEXT),
    "lagesbild_fran": ("Lägesbild från ett annat medborgarlöfte", TEXT),
    "fokusomraden_text": ("Text om fokusområdena", TEXT),
    "avsnitt": ("Egna avsnitt", TEXT),
    "ordning": ("Avsnittens ordning", TEXT),
    "undertecknare": ("Undertecknare av medborgarlöftet", SUBSTANCE),
    "nummer": ("Nummer", TEXT),
    "ort": ("Ort", SUBSTANCE),
    "datum": ("Datum", SUBSTANCE),
    "klausul": ("Klausul före underskrifterna", SUBSTANCE),
    "ort_och_datum_ej_publicerade": ("Ort och datum inte publicerade", SUBSTANCE),
    "titel": ("Titel", TEXT),
    "period": ("Period", SUBSTANCE),
    "diarienummer": ("Diarienummer", TEXT),
    "rubrik": ("Rubrik", TEXT),
    "text": ("Text", TEXT),
    "punkter": ("Punkter", TEXT),
    "avslutning": ("Avslutning", TEXT),
    "namn": ("Namn", SUBSTANCE),
    "part": ("Part", SUBSTANCE),
}
"""Field name → (Swedish label, weight)."""

_BOOLS = {True: "ja", False: "nej"}


def _lines(data: Any, sources: dict[str, str]) -> list[str]:
    """A dumped value as plain lines: texts as they are, lists item by item, objects as "Label: value"."""
    if data is None:
        return []
    if isinstance(data, bool):
        return [_BOOLS[data]]
    if isinstance(data, (str, int, float)):
        return [line for line in str(data).split("\n") if line.strip()]
    if isinstance(data, list):
        return [f"• {line}" if n == 0 else f"  {line}" for item in data for n, line in enumerate(_lines(item, sources))]
    if isinstance(data, dict):
        out = []
        for key, item in data.items():
            inner = _lines(item, sources)
            label = LABELS.get(key, (key, TEXT))[0]
            if len(inner) == 1:
                out.append(f"{label}: {inner[0]}")
            elif inner:
                out += [f"{label}:", *inner]
        return out
    return [str(data)]


def _text(data: Any, sources: dict[str, str]) -> str | None:
    lines = _lines(data, sources)
    return "\n".join(lines) if lines else None


def extras(old: Any, new: Any, known: Iterable[str], old_sources: dict[str, str] | None = None,
           new_sources: dict[str, str] | None = None) -> tuple[FieldChange, ...]:
    """Changes in the fields of ``old``/``new`` (pydantic models) that are not in ``known``."""
    from .structure import change  # one rule for building a field change

    a = old.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    b = new.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    skip = set(known)
    out = []
    for key in dict.fromkeys([*a, *b]):
        if key in skip or a.get(key) == b.get(key):
            continue
        label, weight = LABELS.get(key, (key, TEXT))
        found = change(key, label, _text(a.get(key), old_sources or {}), _text(b.get(key), new_sources or {}), weight)
        if found is not None:
            out.append(found)
    return tuple(out)


__all__ = ["LABELS", "extras"]
