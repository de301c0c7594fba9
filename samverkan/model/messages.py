"""pydantic's validation errors as Swedish sentences that say what to write.

Each message names the value as written, says what is wrong in words a
trygghetssamordnare uses (a field, a list, a line – never a mapping or a
path counted from zero) and, where the right value can be worked out, shows
the line as it should be written (`start: 2024-03-01`, `ansvar: polisen`).
"""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from .catalog import catalog
from .matching import closest, iso_date, suggestion, unknown_method, unknown_source
from .models import Agreement, Avsnitt, Metod, unwrap
from .places import describe

Loc = tuple[str | int, ...]


class Where:
    """What a message may know of the place: the data, and the columns and lines of the file."""

    def __init__(self, data: Any, positions: dict[Loc, tuple[int, int]] | None = None):
        self.data = data
        self.positions = positions or {}

    def column(self, loc: Loc) -> int | None:
        """1-based column of the key or item at ``loc``, if it is in the file."""
        found = self.positions.get(loc)
        return found[1] if found else None

    def indent(self, loc: Loc) -> str:
        """The indentation a new field under ``loc`` takes: that of its siblings, else two more than its parent."""
        parent = self.value(loc)
        if isinstance(parent, dict):
            for key in parent:
                column = self.column((*loc, key))
                if column:
                    return " " * (column - 1)
        column = self.column(loc)
        return " " * (column + 1) if column else ""

    def value(self, loc: Loc) -> Any:
        """The data at ``loc``, or None."""
        current = self.data
        for part in loc:
            if isinstance(current, dict) and part in current:
                current = current[part]
            elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
                current = current[part]
            else:
                return None
        return current


def model_at(loc: Loc) -> Any:
    """The model class (or type) at a data location inside an Agreement."""
    current: Any = Agreement
    for part in loc:
        current = unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is list:
                current = typing.get_args(current)[0]
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return None
    return unwrap(current)


def shown(value: Any) -> str:
    """A value as the message names it."""
    if isinstance(value, dict):
        return "flera fält"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, bool):
        return "ett ja/nej-värde (true/false)"
    if isinstance(value, (int, float)):
        return f"talet {value}"
    if value is None:
        return "ett tomt värde"
    return f'"{value}"'


def _reference(loc: Loc, value: Any, data: Any) -> str | None:
    """The message for a method or source reference that is not even shaped like an id ("EST")."""
    if len(loc) < 2 or not isinstance(loc[-1], int) or not isinstance(value, str):
        return None
    if loc[-2] == "metoder":
        known = dict(catalog())
        own = data.get("egna_metoder") if isinstance(data, dict) else None
        for method in own if isinstance(own, list) else []:
            if isinstance(method, dict) and isinstance(method.get("id"), str):
                known[method["id"]] = Metod.model_construct(id=method["id"], namn=str(method.get("namn", method["id"])))
        return unknown_method(value, known)
    if loc[-2] == "kallor" and len(loc) > 2:
        sources = data.get("kallor") if isinstance(data, dict) else None
        ids = [s["id"] for s in sources if isinstance(s, dict) and isinstance(s.get("id"), str)] if isinstance(sources, list) else []
        return unknown_source(value, ids)
    return None


def _write(where: Where, loc: Loc, value: str) -> str:
    """'`namn: värde`' as the line should be written, with the field's own indentation."""
    name = loc[-1]
    if isinstance(name, int):
        return f"`{where.indent(loc[:-1])}- {value}`"
    return f"`{name}: {value}`"


def _missing(loc: Loc, where: Where) -> str:
    name = loc[-1]
    place = describe(loc[:-1], where.data) if loc[:-1] else ""
    owner = model_at(loc[:-1])
    hint = ""
    if isinstance(owner, type) and issubclass(owner, BaseModel) and name in owner.model_fields:
        hint = f" ({(owner.model_fields[str(name)].description or '').rstrip('.')})"
    under = f" i {place}" if place else ""
    return f'obligatoriskt fält "{name}" saknas{under} – lägg till raden `{where.indent(loc[:-1])}{name}: …`{hint}'


def _unknown_field(loc: Loc, where: Where) -> str:
    name = str(loc[-1])
    owner = model_at(loc[:-1])
    allowed = list(owner.model_fields) if isinstance(owner, type) and issubclass(owner, BaseModel) else []
    found = closest(name, allowed)
    if found is not None and found != name:
        return f'okänt fält "{name}" – menade du "{found}"? Skriv `{found}:` i stället för `{name}:`'
    listing = f" Fält som får stå här: {', '.join(allowed)}." if allowed else ""
    return f'okänt fält "{name}" – rätta stavningen eller ta bort raden.{listing}'


def _date(loc: Loc, value: Any, where: Where) -> str:
    if isinstance(value, str):
        iso = iso_date(value)
        if iso is not None and iso != value.strip():
            return f"ogiltigt datum {shown(value)} – datum skrivs ÅÅÅÅ-MM-DD: skriv {_write(where, loc, iso)}"
    return f"ogiltigt datum {shown(value)} – skriv ett datum som finns, som ÅÅÅÅ-MM-DD, t.ex. 2024-03-12"


def _enum(loc: Loc, value: Any, where: Where) -> str:
    owner = unwrap(model_at(loc))
    allowed = [m.value for m in owner] if isinstance(owner, type) and issubclass(owner, Enum) else []
    found = closest(str(value), allowed)
    if found is not None:
        return f"ogiltigt värde {shown(value)} – menade du \"{found}\"? Skriv {_write(where, loc, found)}; tillåtna värden: {', '.join(allowed)}."
    return f"ogiltigt värde {shown(value)} – tillåtna värden: {', '.join(allowed)}."


def _list_expected(loc: Loc, value: Any, where: Where) -> str:
    if isinstance(value, str) and value.startswith("-") and value[1:2] not in ("", " "):
        return (
            f'ska vara en lista, men efter "-" saknas ett mellanslag, så "{value}" blev en text – '
            f"skriv streck och mellanslag först på raden: `- {value[1:].lstrip()}`"
        )
    example = ""
    if isinstance(value, str) and "\n" not in value:
        column = where.column(loc)
        pad = " " * (column + 1) if column else "  "
        example = f", t.ex. `{loc[-1]}:` och på nästa rad `{pad}- {value}`"
    return f'ska vara en lista, inte {shown(value)}: skriv varje punkt på en egen rad som börjar med "- "{example}'


def message(error: ErrorDetails, loc: Loc, where: Where) -> str:
    """The Swedish message for one pydantic error at the data location ``loc``."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = loc[-1] if loc else ""
    if kind == "missing":
        return _missing(loc, where)
    if kind == "extra_forbidden":
        return _unknown_field(loc, where)
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return _date(loc, value, where)
    if kind == "enum":
        return _enum(loc, value, where)
    if kind == "string_pattern_mismatch":
        reference = _reference(loc, value, where.data)
        if reference:
            return reference
        if name == "kommunkod":
            return f"kommunkoden {shown(value)} ska vara fyra siffror inom citattecken, t.ex. \"0481\""
        return (
            f"ogiltigt id {shown(value)} – använd små bokstäver a–z, siffror och bindestreck, "
            'utan å, ä, ö och mellanslag, t.ex. "trygga-ungdomar"'
        )
    if kind == "string_type":
        if isinstance(value, int) and not isinstance(value, bool):
            return f"ska vara text, inte {shown(value)} – sätt värdet inom citattecken: {_write(where, loc, chr(34) + str(value) + chr(34))}"
        return f"ska vara text, inte {shown(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float", "finite_number"):
        return f"ska vara ett heltal, inte {shown(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        limit = ctx.get("ge", ctx.get("le"))
        bound = "minst" if kind == "greater_than_equal" else "högst"
        return f"värdet {shown(value)} är orimligt – det ska vara {bound} {limit}"
    if kind == "string_too_long":
        return f"texten är för lång – högst {ctx.get('max_length')} tecken"
    if kind == "list_type":
        return _list_expected(loc, value, where)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if model_at(loc) is Avsnitt:
            return f"ska vara text, eller fälten `text` och `punkter` på egna rader med större indrag, inte {shown(value)}"
        return f"ska ha sina fält på egna rader under sig (namn: värde, med större indrag), inte {shown(value)}"
    if kind in ("control_character", "empty_text", "period_order", "empty_section"):
        return str(error["msg"])
    return f"ogiltigt värde {shown(value)} ({error['msg']})"


__all__ = ["Where", "message", "model_at", "shown", "suggestion"]
