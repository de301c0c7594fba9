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
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from .catalog import methods_for
from .matching import suggestion, unknown_method, unknown_source
from .models import Agreement, Avsnitt, Period, Sida, Status

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]


def check(agreement: Agreement) -> list[Finding]:
    """All cross-field problems in ``agreement``; empty when it is consistent."""
    findings: list[Finding] = []
    for rule in (_unique_ids, _method_refs, _source_refs, _promise_periods, _signatures):
        findings.extend(rule(agreement))
    return findings


def _duplicates(items: Sequence[Any], base: Loc, what: str) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in seen:
            yield (
                (*base, i, "id"),
                f'id "{item.id}" används redan av {what} nr {seen[item.id] + 1} – ge varje {what} ett eget id',
            )
        else:
            seen[item.id] = i


def _unique_ids(a: Agreement) -> Iterator[Finding]:
    if a.del2:
        yield from _duplicates(a.del2.prioriterade_omraden, ("del2", "prioriterade_omraden"), "område")
    yield from _duplicates(a.medborgarloften, ("medborgarloften",), "medborgarlöfte")
    yield from _duplicates(a.kallor, ("kallor",), "källa")
    yield from _duplicates(a.egna_metoder, ("egna_metoder",), "metod")


def _method_refs(a: Agreement) -> Iterator[Finding]:
    known = methods_for(a)
    places: list[tuple[Loc, list[str]]] = []
    if a.del2:
        for i, area in enumerate(a.del2.prioriterade_omraden):
            places.append((("del2", "prioriterade_omraden", i, "metoder"), area.metoder))
    for i, promise in enumerate(a.medborgarloften):
        places.append((("medborgarloften", i, "metoder"), promise.metoder))
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


def _inside(inner: Period, outer: Period) -> bool:
    if inner.start < outer.start:
        return False
    if outer.slut is None:
        return True
    return inner.slut is not None and inner.slut <= outer.slut


def _promise_periods(a: Agreement) -> Iterator[Finding]:
    for i, promise in enumerate(a.medborgarloften):
        if promise.avvikelse_fran_period is None and not _inside(promise.period, a.period):
            yield (
                ("medborgarloften", i, "period"),
                "medborgarlöftets period ligger utanför överenskommelsens period – "
                "ändra perioden eller förklara varför i `avvikelse_fran_period`",
            )


def _signatures(a: Agreement) -> Iterator[Finding]:
    if a.status is not Status.UNDERTECKNAD:
        return
    for side, label in ((Sida.KOMMUN, "kommunen"), (Sida.POLIS, "polisen")):
        if not any(s.part is side for s in a.undertecknare):
            yield (
                ("status",),
                f"en undertecknad överenskommelse behöver minst en undertecknare för {label} – "
                f"lägg till en under `undertecknare` med `part: {side.value}`",
            )
    for i, signer in enumerate(a.undertecknare):
        for field, what in (("ort", "ort"), ("datum", "datum")):
            if getattr(signer, field) is None:
                yield (
                    ("undertecknare", i),
                    f"{signer.namn} saknar {what} för underskriften, som krävs när status är "
                    f'"undertecknad" – fyll i `{field}` eller sätt status till "fastställd"',
                )


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
