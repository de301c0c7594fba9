"""What did the author mean? Methods, sources and words matched forgivingly.

People write a method the way they say it: ``EST``, ``Trygghetsvandring``,
``Lokalt BRÅ``. The file must hold the id (``est``, ``trygghetsvandring``,
``lokalt-bra``), but the first message should already name the right one,
with its name, instead of a lesson in id syntax. The same goes for sources
and for misspelt field names and values.

Matching is done on a folded form: lower case, å/ä → a, ö → o, any run of
spaces, dashes or underscores → one hyphen. A method is found by its id, its
name, or the abbreviation in its name ("Effektiv samordning för trygghet
(EST)" → "est").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

_FOLD = str.maketrans("åäöÅÄÖéÉüÜ", "aaoAAOeEuU")


def fold(word: str) -> str:
    """A forgiving key for ``word``: "Lokalt BRÅ" → "lokalt-bra"."""
    return re.sub(r"[\s_\-–]+", "-", word.strip().translate(_FOLD).lower()).strip("-")


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` most likely means (case and å/ä/ö ignored), or None."""
    options = list(candidates)
    by_fold: dict[str, str] = {}
    for option in options:
        by_fold.setdefault(fold(option), option)
    key = fold(word)
    if key in by_fold:
        return by_fold[key]
    close = difflib.get_close_matches(key, list(by_fold), n=1, cutoff=0.6)
    return by_fold[close[0]] if close else None


def suggestion(word: str, candidates: Sequence[str]) -> str:
    """' – menade du "x"?' for the closest candidate, or '' when none is close."""
    found = closest(word, candidates)
    return f' – menade du "{found}"?' if found is not None and found != word else ""


class _Method(Protocol):
    id: str
    namn: str


def _abbreviation(name: str) -> str | None:
    found = re.search(r"\(([^()]+)\)\s*$", name)
    return found.group(1) if found else None


def _plain_name(name: str) -> str:
    return re.sub(r"\s*\([^()]*\)\s*$", "", name)


def method_for(word: str, known: Mapping[str, _Method]) -> _Method | None:
    """The method ``word`` names by id, name or abbreviation (any case), or the closest one."""
    key = fold(word)
    for method in known.values():
        names = [method.id, method.namn, _plain_name(method.namn), _abbreviation(method.namn) or ""]
        if key in {fold(n) for n in names if n}:
            return method
    found = closest(word, [m.id for m in known.values()] + [_plain_name(m.namn) for m in known.values()])
    if found is None:
        return None
    return next(m for m in known.values() if found in (m.id, _plain_name(m.namn)))


def unknown_method(word: str, known: Mapping[str, _Method]) -> str:
    """The message for a method reference that is not an id in ``known``."""
    method = method_for(word, known)
    if method is not None:
        name = _plain_name(method.namn)
        named = f" ({name})" if fold(name) != method.id else ""
        return f'okänd metod "{word}" – menade du "{method.id}"{named}? Metoder anges med sitt id: skriv `{method.id}` i stället för `{word}`'
    own = fold(word)
    as_id = f" med id `{own}`, och skriv {own} här" if own and own != word else ""
    return (
        f'okänd metod "{word}" – den finns inte i metodkatalogen: lägg till den under `egna_metoder` '
        f"(id, namn och beskrivning){as_id}, eller välj en ur katalogen: {', '.join(known)}"
    )


def unknown_source(word: str, known: Sequence[str]) -> str:
    """The message for a source reference that is not an id under ``kallor``."""
    found = closest(word, known)
    if found is not None:
        return f'okänd källa "{word}" – menade du "{found}"? Skriv `{found}` i stället för `{word}`'
    listed = ", ".join(known) if known else "inga ännu"
    return f'okänd källa "{word}" – lägg till den under `kallor` med detta id (källor som finns: {listed})'





_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"), ("februari", "feb"), ("mars", "mar"), ("april", "apr"), ("maj",), ("juni", "jun"),
            ("juli", "jul"), ("augusti", "aug"), ("september", "sep", "sept"), ("oktober", "okt"),
            ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


def iso_date(text: str) -> str | None:
    """``text`` as ÅÅÅÅ-MM-DD when it is a date written another way ("1 mars 2024", "2024-3-1", "1/3 2024")."""
    from datetime import date

    words = text.strip().lower().replace(",", " ")
    found = re.fullmatch(r"(\d{1,2})(?::[ae])?\.?\s*([a-zåäö]+)\.?\s+(\d{4})", words)
    if found and found.group(2) in _MONTHS:
        day, month, year = int(found.group(1)), _MONTHS[found.group(2)], int(found.group(3))
    elif found := re.fullmatch(r"(\d{4})[-./ ](\d{1,2})[-./ ](\d{1,2})", words):
        year, month, day = (int(g) for g in found.groups())
    elif found := re.fullmatch(r"(\d{1,2})[-./ ](\d{1,2})[-./ ]\s*(\d{4})", words):
        day, month, year = (int(g) for g in found.groups())
    elif found := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", words):
        year, month, day = (int(g) for g in found.groups())
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None

__all__ = ["closest", "fold", "iso_date", "method_for", "suggestion", "unknown_method", "unknown_source"]
