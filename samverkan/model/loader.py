"""Loading agreement files: YAML in, a validated :class:`Agreement` out.

Reading the YAML safely is :mod:`samverkan.yamlread`'s job; this module turns
pydantic's errors and the cross-field findings of :mod:`samverkan.checks`
into ``FILE:LINE:COL: meddelande`` problems with Swedish messages that say
what to do. Every problem in a file is collected and reported at once.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import InvalidAgreement, Problem
from . import checks
from .catalog import catalog
from .matching import suggestion, unknown_method, unknown_source
from .models import Agreement, Avsnitt, Metod, unwrap
from .yamlread import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT,
    Document,
    Refused,
    parse_text,
    read_text,
)

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "MAX_TEXT", "Document", "find_agreements", "load", "loads", "parse", "validate"]

YAML_SUFFIXES = (".yaml", ".yml")

Loc = tuple[str | int, ...]


def parse(path: Path, text: str | None = None) -> Document:
    """Read and parse an agreement file (or ``text`` in its name) into plain data with positions.

    Raises :class:`InvalidAgreement` for anything that is not a readable YAML
    mapping of sane size.
    """
    shown = str(path)
    try:
        return parse_text(path, read_text(path) if text is None else text)
    except Refused as refused:
        raise InvalidAgreement(shown, [Problem(shown, refused.line, refused.column, refused.message)]) from None


# -- validation messages ----------------------------------------------------


def _model_at(loc: Loc) -> Any:
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


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, bool):
        return "ett sanningsvärde"
    if isinstance(value, (int, float)):
        return f"talet {value}"
    if value is None:
        return "ett tomt värde"
    return f'"{value}"'


def _reference(data_loc: Loc, value: Any, data: Any) -> str | None:
    """The message for a method or source reference that is not even shaped like an id ("EST")."""
    if len(data_loc) < 2 or not isinstance(data_loc[-1], int) or not isinstance(value, str):
        return None
    own = data.get("egna_metoder") if isinstance(data, dict) else None
    if data_loc[-2] == "metoder":
        known = dict(catalog())
        for method in own if isinstance(own, list) else []:
            if isinstance(method, dict) and isinstance(method.get("id"), str):
                known[method["id"]] = Metod.model_construct(id=method["id"], namn=str(method.get("namn", method["id"])))
        return unknown_method(value, known)
    if data_loc[-2] == "kallor" and len(data_loc) > 2:
        sources = data.get("kallor") if isinstance(data, dict) else None
        ids = [s["id"] for s in sources if isinstance(s, dict) and isinstance(s.get("id"), str)] if isinstance(sources, list) else []
        return unknown_source(value, ids)
    return None


def _message(error: ErrorDetails, data_loc: Loc, data: Any = None) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = data_loc[-1] if data_loc else ""
    if kind == "missing":
        parent = _dotted(data_loc[:-1])
        where = f" i `{parent}`" if parent else ""
        owner = _model_at(data_loc[:-1])
        hint = ""
        if isinstance(owner, type) and issubclass(owner, BaseModel) and name in owner.model_fields:
            hint = f" ({owner.model_fields[name].description})"
        return f'obligatoriskt fält "{name}" saknas{where} – lägg till det{hint}'
    if kind == "extra_forbidden":
        owner = _model_at(data_loc[:-1])
        allowed = list(owner.model_fields) if isinstance(owner, type) and issubclass(owner, BaseModel) else []
        hint = suggestion(str(name), allowed)
        listing = f" Tillåtna fält här: {', '.join(allowed)}." if allowed and not hint else ""
        return f'okänt fält "{name}"{hint or " – ta bort det eller rätta stavningen."}{listing}'
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return f"ogiltigt datum {_describe(value)} – skriv ett datum som finns, som ÅÅÅÅ-MM-DD, t.ex. 2024-03-12"
    if kind == "enum":
        owner = unwrap(_model_at(data_loc))
        allowed = [m.value for m in owner] if isinstance(owner, type) and issubclass(owner, Enum) else []
        hint = suggestion(str(value), allowed) or " –"
        return f"ogiltigt värde {_describe(value)}{hint} tillåtna värden: {', '.join(allowed)}."
    if kind == "string_pattern_mismatch":
        reference = _reference(data_loc, value, data)
        if reference:
            return reference
        if name == "kommunkod":
            return f"kommunkoden {_describe(value)} ska vara fyra siffror inom citattecken, t.ex. \"0481\""
        return (
            f"ogiltigt id {_describe(value)} – använd små bokstäver a–z, siffror och bindestreck, "
            'utan å, ä, ö och mellanslag, t.ex. "trygga-ungdomar"'
        )
    if kind == "string_type":
        if isinstance(value, int) and not isinstance(value, bool):
            return f"ska vara text, inte {_describe(value)} – sätt värdet inom citattecken"
        return f"ska vara text, inte {_describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float", "finite_number"):
        return f"ska vara ett heltal, inte {_describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        limit = ctx.get("ge", ctx.get("le"))
        bound = "minst" if kind == "greater_than_equal" else "högst"
        return f"värdet {_describe(value)} är orimligt – det ska vara {bound} {limit}"
    if kind == "string_too_long":
        return f"texten är för lång – högst {ctx.get('max_length')} tecken"
    if kind == "list_type":
        return f"ska vara en lista (rader som börjar med \"- \"), inte {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if _model_at(data_loc) is Avsnitt:
            return f"ska vara text eller en mappning med `text`/`punkter`, inte {_describe(value)}"
        return f"ska vara en mappning med fält (namn: värde), inte {_describe(value)}"
    if kind in ("control_character", "empty_text", "period_order", "empty_section"):
        return error["msg"]
    return f"ogiltigt värde {_describe(value)} ({error['msg']})"


def _data_loc(loc: tuple[int | str, ...], data: Any) -> Loc:
    """Drop pydantic's union/function tags so the location matches the data."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not part.startswith(("function-", "union")) and part not in (
            "str",
            "Avsnitt",
            "int",
            "date",
            "enum",
        ):
            out.append(part)  # a missing key: keep it for the message
            current = None
        # anything else is a tag pydantic adds for unions and validators
    return tuple(out)


def validate(doc: Document) -> Agreement:
    """Validate parsed data; raise :class:`InvalidAgreement` with every problem."""
    shown = str(doc.path)
    problems: list[Problem] = []
    # Placeholders left by `samverkan init` are named even where the model
    # refuses them (dates, ids), instead of pydantic's less helpful message.
    unfilled = dict(checks.placeholders(doc.data)) if doc.may_hold("<") else {}
    for loc, message in unfilled.items():
        problems.append(Problem(shown, *doc.position(loc), message))
    try:
        agreement = Agreement.model_validate(doc.data)
    except ValidationError as e:
        for error in e.errors(include_url=False):
            data_loc = _data_loc(error["loc"], doc.data)
            if data_loc in unfilled:
                continue
            line, column = doc.position(data_loc)
            problems.append(Problem(shown, line, column, _message(error, data_loc, doc.data)))
        raise InvalidAgreement(shown, problems) from None
    for loc, message in checks.check(agreement):
        line, column = doc.position(loc)
        problems.append(Problem(shown, line, column, message))
    if problems:
        raise InvalidAgreement(shown, problems)
    return agreement


def load(path: Path | str) -> Agreement:
    """Read, parse and validate one agreement file."""
    return validate(parse(Path(path)))


def loads(text: str, name: str = "<text>") -> Agreement:
    """Validate an agreement given as YAML text (``name`` is used in messages)."""
    return validate(parse(Path(name), text=text))


def find_agreements(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Agreement files named directly, or found recursively under folders, sorted."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
        else:
            yield path
