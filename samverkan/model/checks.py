"""Rules that look across a whole agreement.

Each rule yields ``(location, message)`` where the location is a path into
the YAML data (``("del2", "prioriterade_omraden", 1, "metoder", 0)``), so the
loader can point at the exact line. Messages are Swedish and say what to do.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from enum import Enum
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from .catalog import methods_for
from .matching import suggestion, unknown_method, unknown_source
from .models import PROMISE_SECTIONS, Agreement, Aktivitet, Avsnitt, Lofte, Omrade, Period, Sida, Status

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]


def check(agreement: Agreement) -> list[Finding]:
    """All cross-field problems in ``agreement``; empty when it is consistent."""
    findings: list[Finding] = []
    for rule in (_kind, _unpublished_period, _unique_ids, _method_refs, _source_refs, _source_markers, _promise_periods, _signatures,
                 _order, _shared_situation, _nesting):
        findings.extend(rule(agreement))
    return findings


def _duplicates(items: Sequence[Any], base: Loc, what: str) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id is None:
            continue
        if item.id in seen:
            yield (
                (*base, i, "id"),
                f'id "{item.id}" används redan av {what} nr {seen[item.id] + 1} – ge varje {what} ett eget id',
            )
        else:
            seen[item.id] = i


def promise_places(a: Agreement) -> list[tuple[Loc, Lofte]]:
    """Every medborgarlöfte's content in the file, with where it is."""
    if a.medborgarlofte is not None:
        return [(("medborgarlofte",), a.medborgarlofte)]
    return [(("medborgarloften", i), p) for i, p in enumerate(a.medborgarloften)]


def areas(a: Agreement) -> list[tuple[Loc, Omrade]]:
    """Every focus area in the file, with where it is."""
    found: list[tuple[Loc, Omrade]] = []
    if a.del2:
        found += [(("del2", "prioriterade_omraden", i), o) for i, o in enumerate(a.del2.prioriterade_omraden)]
    for base, promise in promise_places(a):
        found += [((*base, "fokusomraden", i), o) for i, o in enumerate(promise.fokusomraden)]
    return found


_ONLY_AGREEMENT = ("del1", "del2", "medborgarloften")


def _kind(a: Agreement) -> Iterator[Finding]:
    """What each kind of document may hold."""
    if a.is_promise:
        if a.medborgarlofte is None:
            yield (("dokument",), "ett medborgarlöfte behöver sitt innehåll under `medborgarlofte` – lägg till det")
        for key in _ONLY_AGREEMENT:
            if getattr(a, key):
                yield ((key,), f"`{key}` hör till en samverkansöverenskommelse, inte till ett medborgarlöfte – "
                       "ta bort det, eller ändra `dokument` till samverkansöverenskommelse")
        return
    if a.medborgarlofte is not None:
        yield (("medborgarlofte",), "`medborgarlofte` används i ett medborgarlöfte som eget dokument – sätt "
               "`dokument: medborgarlöfte`, eller lägg löftet i listan `medborgarloften`")
    if a.overenskommelse is not None:
        yield (("overenskommelse",), "`overenskommelse` anger vilken överenskommelse ett medborgarlöfte hör till – "
               "den används bara med `dokument: medborgarlöfte`")


def notices(a: Agreement) -> list[str]:
    """What is valid but will not show as the writer may expect (said by `validate`, never an error)."""
    if a.status is not Status.UTKAST:
        return []
    signings = [a.undertecknande, *(p.undertecknande for p in a.medborgarloften)]
    signers = [*a.undertecknare, *(s for p in a.medborgarloften for s in p.undertecknare)]
    if any(u is not None and (u.ort or u.datum) for u in signings) or any(s.ort or s.datum for s in signers):
        return ["ort och datum för underskrifterna skrivs inte ut i ett utkast (linjerna lämnas tomma) – "
                "de skrivs ut när status är undertecknad"]
    return []


def _unpublished_period(a: Agreement) -> Iterator[Finding]:
    """`ej_publicerad` is for an agreement's own period: a medborgarlöfte always has one it prints."""
    places: list[tuple[Loc, Period | None]] = [((), a.period)] if a.is_promise else []
    places += [(("medborgarloften", i), p.period) for i, p in enumerate(a.medborgarloften)]
    if a.overenskommelse is not None:
        places.append((("overenskommelse",), a.overenskommelse.period))
    for loc, period in places:
        if period is not None and period.ej_publicerad:
            yield ((*loc, "period", "ej_publicerad"),
                   "`ej_publicerad` gäller bara en samverkansöverenskommelses egen period – ta bort det här")


def _unique_ids(a: Agreement) -> Iterator[Finding]:
    if a.del2:
        yield from _duplicates(a.del2.prioriterade_omraden, ("del2", "prioriterade_omraden"), "område")
    yield from _duplicates(a.medborgarloften, ("medborgarloften",), "medborgarlöfte")
    for base, promise in promise_places(a):
        yield from _duplicates(promise.fokusomraden, (*base, "fokusomraden"), "fokusområde")
        yield from _duplicates(promise.avsnitt, (*base, "avsnitt"), "avsnitt")
    yield from _duplicates(a.kallor, ("kallor",), "källa")
    yield from _duplicates(a.egna_metoder, ("egna_metoder",), "metod")


def _method_refs(a: Agreement) -> Iterator[Finding]:
    known = methods_for(a)
    places: list[tuple[Loc, list[str]]] = [((*loc, "metoder"), area.metoder) for loc, area in areas(a)]
    places += [((*loc, "metoder"), promise.metoder) for loc, promise in promise_places(a)]
    for base, ids in places:
        for j, method_id in enumerate(ids):
            if method_id not in known:
                yield (*base, j), unknown_method(method_id, known)


def _may_hold_sections(annotation: Any) -> bool:
    """Whether a field of this type can hold an Avsnitt, at any depth (or is of a type not known)."""
    if annotation is Any or annotation is object:
        return True
    if isinstance(annotation, type):
        if issubclass(annotation, Avsnitt) or annotation in _LOOKING_INTO:  # a model inside itself: assume so
            return True
        return issubclass(annotation, BaseModel) and bool(_fields_with_sections(annotation))
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        args = args[:1]
    return any(_may_hold_sections(arg) for arg in args) if args else annotation is not None


_LOOKING_INTO: set[type] = set()


@functools.cache
def _fields_with_sections(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that can hold an Avsnitt, in field order."""
    _LOOKING_INTO.add(model)
    try:
        return tuple(name for name, field in model.model_fields.items() if _may_hold_sections(field.annotation))
    finally:
        _LOOKING_INTO.discard(model)


def _sections(model: BaseModel, loc: Loc) -> Iterator[tuple[Loc, Avsnitt]]:
    """Every Avsnitt inside ``model`` with its location."""
    for name in _fields_with_sections(type(model)):  # text, dates, ids, periods … never hold one
        value = getattr(model, name)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in values:
            here = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, Avsnitt):
                yield here, item
            elif isinstance(item, BaseModel):
                yield from _sections(item, here)


def _source_refs(a: Agreement) -> Iterator[Finding]:
    known = [k.id for k in a.kallor]
    for loc, section in _sections(a, ()):
        for j, source_id in enumerate(section.kallor):
            if source_id not in known:
                yield (*loc, "kallor", j), unknown_source(source_id, known)


MARKER = re.compile(r"\[\^([^\]\s]*)\]")
"""A note marker in text: ``[^trygghetsmatning-2019]`` puts the source's footnote right there."""


def texts(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text value inside ``model`` with its location, in field order."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in values:
            here = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, str) and not isinstance(item, Enum):
                yield here, item
            elif isinstance(item, BaseModel):
                yield from texts(item, here)


def _source_markers(a: Agreement) -> Iterator[Finding]:
    known = [k.id for k in a.kallor]
    for loc, text in texts(a):
        if "[^" not in text:
            continue
        for found in MARKER.finditer(text):
            source_id = found.group(1)
            if source_id not in known:
                listed = ", ".join(known) if known else "inga"
                yield (
                    loc,
                    f'noten [^{source_id}] hänvisar till en okänd källa{suggestion(source_id, known)} '
                    f"Lägg till den under `kallor` (definierade källor: {listed}).",
                )


def _inside(inner: Period, outer: Period) -> bool:
    if inner.start < outer.start:
        return False
    if outer.slut is None:
        return True
    return inner.slut is not None and inner.slut <= outer.slut


def _promise_periods(a: Agreement) -> Iterator[Finding]:
    if a.period.ej_publicerad:  # nothing to be inside of
        return
    for i, promise in enumerate(a.medborgarloften):
        if promise.avvikelse_fran_period is None and not _inside(promise.period, a.period):
            yield (
                ("medborgarloften", i, "period"),
                "medborgarlöftets period ligger utanför överenskommelsens period – "
                "ändra perioden eller förklara varför i `avvikelse_fran_period`",
            )


def _signing(signers: Sequence[Any], signing: Any, base: Loc, what: str, status_loc: Loc) -> Iterator[Finding]:
    for side in Sida:
        if not any(s.part is side for s in signers):
            yield (
                status_loc,
                f"{what} behöver minst en undertecknare för {side.value} – "
                f"lägg till en under `undertecknare` med `part: {side.value}`",
            )
    shared_place = signing is not None and signing.ort is not None
    shared_date = signing is not None and signing.datum is not None
    unpublished = signing is not None and signing.ort_och_datum_ej_publicerade
    if unpublished:
        return
    for i, signer in enumerate(signers):
        for field, what_, shared in (("ort", "ort", shared_place), ("datum", "datum", shared_date)):
            if getattr(signer, field) is None and not shared:
                yield (
                    (*base, "undertecknare", i),
                    f"{signer.namn} saknar {what_} för underskriften, som krävs när status är "
                    f'"undertecknad" – fyll i `{field}` (för alla under `undertecknande`), eller sätt '
                    "`undertecknande: {ort_och_datum_ej_publicerade: true}` om källan inte anger det",
                )


def _signatures(a: Agreement) -> Iterator[Finding]:
    if a.status is Status.UNDERTECKNAD:
        what = "ett undertecknat medborgarlöfte" if a.is_promise else "en undertecknad överenskommelse"
        yield from _signing(a.undertecknare, a.undertecknande, (), what, ("status",))
    for i, promise in enumerate(a.medborgarloften):
        if promise.undertecknare and a.status is Status.UNDERTECKNAD:
            loc = ("medborgarloften", i)
            yield from _signing(promise.undertecknare, promise.undertecknande, loc, "medborgarlöftet", (*loc, "undertecknare"))


def _order(a: Agreement) -> Iterator[Finding]:
    for base, promise in promise_places(a):
        if not promise.ordning:
            continue
        own = [s.id for s in promise.avsnitt]
        allowed = [*PROMISE_SECTIONS, *own]
        seen: set[str] = set()
        for j, key in enumerate(promise.ordning):
            if key not in allowed:
                yield ((*base, "ordning", j), f'okänt avsnitt "{key}" i `ordning`{suggestion(key, allowed)} '
                       f"Möjliga: {', '.join(allowed)}.")
            elif key in seen:
                yield ((*base, "ordning", j), f'"{key}" står två gånger i `ordning` – ta bort den ena')
            seen.add(key)
        present = [k for k in PROMISE_SECTIONS if _has(promise, k)] + own
        for key in present:
            if key not in seen:
                yield ((*base, "ordning"), f'"{key}" saknas i `ordning` – skriv in det där det står i källan')


def _has(promise: Lofte, key: str) -> bool:
    if key == "fokusomraden":
        return bool(promise.fokusomraden or promise.fokusomraden_text)
    if key == "genomforande":
        return bool(promise.genomforande or promise.metoder or promise.aktiviteter or promise.grupper)
    if key == "folj_arbetet":
        return bool(promise.folj_arbetet or promise.lankar)
    if key == "lagesbild":
        return bool(promise.lagesbild or promise.lagesbild_fran)
    return getattr(promise, key) is not None


def _shared_situation(a: Agreement) -> Iterator[Finding]:
    if a.medborgarlofte is not None and a.medborgarlofte.lagesbild_fran:
        yield (("medborgarlofte", "lagesbild_fran"),
               "`lagesbild_fran` hänvisar till ett annat medborgarlöfte i samma överenskommelse – "
               "i ett medborgarlöfte som eget dokument skrivs lägesbilden in under `lagesbild`")
    with_own = {p.id for p in a.medborgarloften if p.lagesbild}
    for i, promise in enumerate(a.medborgarloften):
        ref = promise.lagesbild_fran
        if ref is None:
            continue
        if promise.lagesbild is not None:
            yield (("medborgarloften", i, "lagesbild_fran"), "löftet har både `lagesbild` och `lagesbild_fran` – ta bort den ena")
        elif ref == promise.id or ref not in with_own:
            yield (("medborgarloften", i, "lagesbild_fran"),
                   f'"{ref}" är inget annat medborgarlöfte med egen lägesbild{suggestion(ref, sorted(with_own))} '
                   f"Löften med lägesbild: {', '.join(sorted(with_own)) or 'inga'}.")


MAX_NESTING = 3
"""Activities may hold sub-activities this many levels deep in all (three list levels in Word)."""


def _too_deep(activities: Sequence[Aktivitet], loc: Loc, level: int) -> Iterator[Finding]:
    for i, activity in enumerate(activities):
        if activity.aktiviteter and level >= MAX_NESTING:
            yield ((*loc, i, "aktiviteter"), f"underpunkterna går djupare än {MAX_NESTING} nivåer – "
                   "skriv dem som en lista på en högre nivå")
        else:
            yield from _too_deep(activity.aktiviteter, (*loc, i, "aktiviteter"), level + 1)


def _nesting(a: Agreement) -> Iterator[Finding]:
    holders: list[tuple[Loc, Any]] = [*areas(a), *promise_places(a)]
    for loc, holder in holders:
        yield from _too_deep(holder.aktiviteter, (*loc, "aktiviteter"), 1)
        for g, group in enumerate(holder.grupper):
            yield from _too_deep(group.aktiviteter, (*loc, "grupper", g, "aktiviteter"), 1)


# -- placeholders left by `samverkan init` ---------------------------------

PLACEHOLDER = "<FYLL I"
"""How every placeholder in a skeleton begins: ``"<FYLL I: kommunens namn>"``."""

_MARKER = re.compile(r"<FYLL I\b[^>\n]*>?", re.IGNORECASE)


def _optional(loc: Loc) -> bool | None:
    """Whether the field at ``loc`` may be left out (None: a list item)."""
    current: Any = Agreement
    required = True
    for part in loc:
        while typing.get_origin(current) in (typing.Annotated, typing.Union, types.UnionType):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0]
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return False
            current, required = typing.get_args(current)[0], None
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            field = current.model_fields[part]
            current, required = field.annotation, field.is_required()
        else:
            return False
    return None if required is None else not required


def placeholders(data: Any, loc: Loc = ()) -> Iterator[Finding]:
    """Every ``<FYLL I: …>`` placeholder still in the (unvalidated) data.

    Works on the plain data rather than the model, so placeholders in dates
    and ids, which the model refuses, are named too, all in one run.
    """
    texts: list[tuple[Loc, str]] = []
    _texts_with_angle(data, loc, texts)
    for here, text in texts:
        found = _MARKER.search(text)
        if found:
            yield (here, _unfilled(found.group(), here))


def _texts_with_angle(data: Any, loc: Loc, out: list[tuple[Loc, str]]) -> None:
    """Every text in ``data`` holding a "<", in document order (most hold none)."""
    if isinstance(data, dict):
        items: Iterable[tuple[Any, Any]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        if isinstance(data, str) and "<" in data:
            out.append((loc, data))
        return
    for key, value in items:
        if isinstance(value, str):
            if "<" in value:
                out.append(((*loc, key), value))
        elif isinstance(value, (dict, list)):
            _texts_with_angle(value, (*loc, key), out)


def _unfilled(marker: str, loc: Loc) -> str:
    what = marker[len(PLACEHOLDER) :].strip(" :>") or "rätt uppgift"
    optional = _optional(loc)
    rest = (
        ", eller ta bort punkten om den inte behövs"
        if optional is None
        else ", eller ta bort fältet om det inte behövs"
        if optional
        else ""
    )
    return f'platshållaren "{marker}" är inte ifylld – skriv in {what}{rest}'
