"""Loading agreement files: safe YAML in, a validated :class:`Agreement` out.

Reading is careful before it is clever: the size is checked before the file
is read, the encoding before it is parsed, and aliases are counted while the
tree is built, so a hostile file is refused quickly and in bounded memory.
Every problem in a file is collected and reported as ``FILE:LINE:COL:
meddelande`` with a Swedish message that says what to do.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import checks
from .errors import InvalidAgreement, Problem
from .models import Agreement, Avsnitt

MAX_BYTES = 1_000_000
"""Largest agreement file read (a real one is 10–50 kB)."""

MAX_NODES = 100_000
"""Most values a file may expand to, aliases included (stops alias bombs)."""

MAX_TEXT = 4_000_000
"""Most characters of text a file may expand to, aliases included."""

MAX_DEPTH = 60
"""Deepest nesting accepted (a real agreement nests about 6 levels)."""

YAML_SUFFIXES = (".yaml", ".yml")

Loc = tuple[str | int, ...]


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str):
        self.line, self.column, self.message = line, column, message


@dataclass
class Document:
    """Plain data parsed from a YAML file and where each value stands in it."""

    path: Path
    data: Any
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int, int]:
        """1-based (line, column) of ``loc``, or of its nearest parent present."""
        for end in range(len(loc), 0, -1):
            found = self.key_positions.get(tuple(loc[:end]))
            if found:
                return found
        return (1, 1)

    def has(self, loc: Loc) -> bool:
        return tuple(loc) in self.key_positions


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    # Keep dates as text: pydantic then reports an impossible date such as
    # 2024-02-30 at its line, instead of the parser failing without one.
    yaml.constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda constructor, node: constructor.construct_scalar(node)
    )
    return yaml


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 2 and 0 in (raw[0], raw[1])):
        raise _Refused(1, 1, "filen är sparad som UTF-16 – spara den som UTF-8 och försök igen")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise _Refused(line, 1, "filen innehåller binära data (NUL-tecken) – är det rätt fil? Den ska vara en YAML-textfil")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        column = e.start - (before.rfind(b"\n") + 1) + 1
        raise _Refused(
            line,
            column,
            "filen är inte kodad som UTF-8 (troligen Latin-1/Windows-1252) – "
            "spara om den som UTF-8 så att å, ä och ö blir rätt",
        ) from None


_SYNTAX_HINTS = (
    ("found character '\\t'", "tabbtecken i indraget – YAML kräver mellanslag, byt tabbarna mot mellanslag"),
    ("mapping values are not allowed", "kolon på fel ställe – sätt text som innehåller \": \" inom citattecken, eller kontrollera indraget"),
    ("could not find expected ':'", "ett kolon saknas efter fältnamnet – skriv `namn: värde`"),
    ("found undefined alias", "aliaset (*namn) hänvisar till ett ankare (&namn) som inte finns – definiera ankaret först eller ta bort aliaset"),
    ("found unexpected end of stream", "filen tar slut mitt i ett värde – kontrollera att citattecken och hakparenteser är stängda"),
    ("did not find expected key", "fel indrag – fält på samma nivå ska ha exakt samma indrag"),
    ("expected <block end>", "fel indrag eller ett citattecken som inte stängs – fält på samma nivå ska ha exakt samma indrag, och ett \" eller ' ska stängas"),
    ("did not find expected '-' indicator", "fel indrag i en lista – varje punkt ska börja med \"- \" på samma indrag"),
    ("found unknown escape character", "okänd escape-sekvens inom dubbla citattecken – använd enkla citattecken eller skriv \\\\"),
)


def _syntax_message(error: MarkedYAMLError) -> str:
    problem = error.problem or str(error)
    for text in (problem, str(error)):
        for needle, hint in _SYNTAX_HINTS:
            if needle in text:
                return f"YAML-syntaxfel: {hint}"
    return f"YAML-syntaxfel ({problem}) – kontrollera indrag, kolon och citattecken på raden"


def _plain(node: Any, loc: Loc, doc: Document, budget: list[int], active: set[int], depth: int) -> Any:
    """Copy ruamel's tree into plain Python data, recording key positions."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _Refused(*doc.position(loc), f"filen blir för stor när alias expanderas (över {MAX_NODES} värden) – ta bort aliasen (*namn)")
    if depth > MAX_DEPTH:
        raise _Refused(*doc.position(loc), f"för djup nästling (över {MAX_DEPTH} nivåer) – en överenskommelse behöver inte så många nivåer")
    if isinstance(node, (CommentedMap, CommentedSeq)):
        if id(node) in active:
            raise _Refused(*doc.position(loc), "ett alias hänvisar till sig självt – ta bort det rekursiva aliaset")
        active.add(id(node))
        try:
            if isinstance(node, CommentedMap):
                out: dict[Any, Any] = {}
                for key in node:
                    plain_key = key if isinstance(key, (int, bool)) or key is None else str(key)
                    here = (*loc, plain_key)
                    try:
                        line, column = node.lc.key(key)
                        doc.key_positions[here] = (line + 1, column + 1)
                    except (KeyError, TypeError, AttributeError):
                        pass
                    out[plain_key] = _plain(node[key], here, doc, budget, active, depth + 1)
                return out
            items = []
            for i, item in enumerate(node):
                here = (*loc, i)
                try:
                    line, column = node.lc.item(i)
                    doc.key_positions[here] = (line + 1, column + 1)
                except (KeyError, TypeError, AttributeError):
                    pass
                items.append(_plain(item, here, doc, budget, active, depth + 1))
            return items
        finally:
            active.discard(id(node))
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        budget[1] -= len(node)
        if budget[1] < 0:
            raise _Refused(
                *doc.position(loc), f"texten blir för lång när alias expanderas (över {MAX_TEXT} tecken) – ta bort aliasen (*namn)"
            )
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def parse(path: Path, text: str | None = None) -> Document:
    """Parse a YAML agreement file into plain data with positions.

    Raises :class:`InvalidAgreement` for anything that is not a readable
    YAML mapping of sane size.
    """
    shown = str(path)
    try:
        if text is None:
            try:
                size = path.stat().st_size
            except FileNotFoundError:
                raise _Refused(1, 1, "filen finns inte – kontrollera sökvägen") from None
            except OSError as e:
                raise _Refused(1, 1, f"filen kan inte läsas ({e.strerror}) – kontrollera sökvägen och behörigheten") from None
            if path.is_dir():
                raise _Refused(1, 1, "detta är en mapp, inte en fil")
            if size > MAX_BYTES:
                raise _Refused(
                    1, 1, f"filen är för stor ({size} byte, högst {MAX_BYTES}) – en överenskommelse är normalt under 100 kB"
                )
            try:
                with path.open("rb") as handle:
                    raw = handle.read(MAX_BYTES + 1)
            except OSError as e:
                raise _Refused(1, 1, f"filen kan inte läsas ({e.strerror}) – kontrollera behörigheten") from None
            text = _decode(raw)
        if not text.strip() or all(
            not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
        ):
            raise _Refused(1, 1, "filen är tom – skriv in överenskommelsen, eller kör `samverkan init` för en mall")
        try:
            tree = _yaml().load(text)
        except DuplicateKeyError as e:
            mark = e.problem_mark
            key = (e.problem or "").split('"')[1] if '"' in (e.problem or "") else ""
            raise _Refused(
                mark.line + 1,
                mark.column + 1,
                f'fältet "{key}" förekommer två gånger i samma mappning – ta bort eller slå ihop det ena',
            ) from None
        except MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise _Refused(line, column, _syntax_message(e)) from None
        except RecursionError:
            raise _Refused(1, 1, f"för djup nästling (över {MAX_DEPTH} nivåer) – förenkla filen") from None
        except YAMLError as e:
            raise _Refused(1, 1, f"YAML-fel ({e}) – kontrollera filen") from None
        doc = Document(path=path, data=None)
        if not isinstance(tree, CommentedMap):
            kind = "en lista" if isinstance(tree, CommentedSeq) else "ett enskilt värde"
            raise _Refused(
                1, 1, f"filen innehåller {kind} – den ska vara en mappning med fält som `status:`, `parter:` och `period:`"
            )
        doc.data = _plain(tree, (), doc, [MAX_NODES, MAX_TEXT], set(), 0)
        return doc
    except _Refused as refused:
        raise InvalidAgreement(shown, [Problem(shown, refused.line, refused.column, refused.message)]) from None


# -- validation messages ----------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The model or item type behind Optional/Annotated/list wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            return annotation


def _model_at(loc: Loc) -> Any:
    """The model class (or type) at a data location inside an Agreement."""
    current: Any = Agreement
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is list:
                current = typing.get_args(current)[0]
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return None
    return _unwrap(current)


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


def _message(error: ErrorDetails, data_loc: Loc) -> str:
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
        hint = checks.suggestion(str(name), allowed)
        listing = f" Tillåtna fält här: {', '.join(allowed)}." if allowed and not hint else ""
        return f'okänt fält "{name}"{hint or " – ta bort det eller rätta stavningen."}{listing}'
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return f"ogiltigt datum {_describe(value)} – skriv ett datum som finns, som ÅÅÅÅ-MM-DD, t.ex. 2024-03-12"
    if kind == "enum":
        owner = _unwrap(_model_at(data_loc))
        allowed = [m.value for m in owner] if isinstance(owner, type) and issubclass(owner, Enum) else []
        hint = checks.suggestion(str(value), allowed) or " –"
        return f"ogiltigt värde {_describe(value)}{hint} tillåtna värden: {', '.join(allowed)}."
    if kind == "string_pattern_mismatch":
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
    if kind in ("int_type", "int_parsing", "int_from_float"):
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
    try:
        agreement = Agreement.model_validate(doc.data)
    except ValidationError as e:
        for error in e.errors(include_url=False):
            data_loc = _data_loc(error["loc"], doc.data)
            line, column = doc.position(data_loc)
            problems.append(Problem(shown, line, column, _message(error, data_loc)))
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
