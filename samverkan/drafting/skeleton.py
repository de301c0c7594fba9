"""A fresh agreement skeleton (``samverkan init``).

The skeleton is built by walking the models: every field gets its description
as a comment, and every value the author must write is a ``"<FYLL I: …>"``
placeholder that validation reports until it is replaced.
"""

from __future__ import annotations

import json
import os
import re
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .. import fsutil
from ..errors import DraftError
from ..model.catalog import catalog
from ..model.checks import PLACEHOLDER
from ..model.models import (
    Agreement,
    Aktivitet,
    Avsnitt,
    Del1,
    Kalla,
    Kommun,
    Medborgarlofte,
    Omrade,
    Period,
    Polis,
    Roll,
    Undertecknare,
    unwrap,
)
from ..words import antal
from .kommuner import find, guess
from .new import SCHEMA_FILE, _target_free

# Fields shown commented out: optional, and most agreements do without them.
_COMMENTED = {
    (Agreement, "titel"),
    (Agreement, "datum"),
    (Agreement, "ersatter"),
    (Agreement, "egna_metoder"),
    (Agreement, "loftesverb"),
    (Agreement, "metodbeskrivningar"),
    (Agreement, "undertecknande"),
    (Medborgarlofte, "loftesverb"),
    (Medborgarlofte, "ersatter"),
    (Omrade, "id"),
    (Omrade, "nummer"),
    (Avsnitt, "rubrik"),
    (Avsnitt, "utan_rubrik"),
    (Avsnitt, "numrerad"),
    (Avsnitt, "avslutning"),
    (Kommun, "kommunkod"),
    (Kommun, "diarienummer"),
    (Polis, "diarienummer"),
    (Medborgarlofte, "titel"),
    (Medborgarlofte, "avvikelse_fran_period"),
    (Aktivitet, "omfattning"),
    (Aktivitet, "frekvens"),
    (Aktivitet, "senast"),
    (Roll, "namn"),
    (Kalla, "utgivare"),
    (Kalla, "ar"),
    (Undertecknare, "ort"),
    (Undertecknare, "datum"),
}

# Fields left out of the skeleton: the guide shows them (docs/guide.md).
_SKIPPED = {
    (Agreement, "overenskommelse"),
    (Agreement, "medborgarlofte"),
    (Period, "ej_publicerad"),  # a period a source leaves out is rare; the guide shows it
    (Aktivitet, "aktiviteter"),
    (Omrade, "grupper"),
    *((Medborgarlofte, name) for name in ("lagesbild_fran", "fokusomraden_text", "fokusomraden", "grupper", "avsnitt",
                                          "ordning", "undertecknare", "undertecknande")),
}

# Sections written out as `text` + `punkter` + `kallor` to show the long form.
_FULL_SECTIONS = {(Medborgarlofte, "lagesbild")}

# Lists shown with more than one item, and the values that tell them apart.
_ITEMS: dict[tuple[type, str], list[dict[str, Any]]] = {
    (Agreement, "undertecknare"): [{"part": "kommunen"}, {"part": "polisen"}],
    (Del1, "roller"): [{"titel": "Kommunpolis", "part": "polisen"}, {"titel": "Trygghetssamordnare", "part": "kommunen"}],
    (Medborgarlofte, "aktiviteter"): [{"ansvar": "kommunen"}, {"ansvar": "polisen"}, {"ansvar": "tillsammans"}],
    (Omrade, "aktiviteter"): [{"ansvar": "tillsammans"}],
}


def hint(description: str | None) -> str:
    """A placeholder's "what to write" from a field description.

    'Polisregionen, t.ex. "Polisregion Öst".' → 'polisregionen, t.ex. Polisregion Öst'
    """
    text = (description or "värdet").replace('"', "").replace("`", "")
    first = re.split(r"(?<!t\.ex)(?<!bl\.a)\.\s+(?=[A-ZÅÄÖ])", text, maxsplit=1)[0].strip().rstrip(".")
    if len(first) > 1 and not first[1].isupper():
        first = first[0].lower() + first[1:]
    return first


def placeholder(description: str | None) -> str:
    """``<FYLL I: …>`` for a field with this description."""
    return f"{PLACEHOLDER}: {hint(description)}>"


def _scalar(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # a date, read as one
        return text
    if re.fullmatch(r"[A-Za-zÅÄÖåäöÉé][\wÅÄÖåäöÉé .,()/–-]*", text) and text.lower() not in ("yes", "no", "on", "off", "null", "true", "false"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + indent > 98:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [f"{' ' * indent}# {part}" for part in [*lines, line] if part]


def _field_notes(model: type[BaseModel], name: str, field: FieldInfo) -> str:
    note = field.description or ""
    kind = unwrap(field.annotation)
    if isinstance(kind, type) and issubclass(kind, Enum) and not all(m.value in note for m in kind):
        note += f" Tillåtna värden: {', '.join(m.value for m in kind)}."
    if name == "metoder":
        note += f" Metoder i katalogen: {', '.join(catalog())}."
    if field.is_required():
        note += " (Obligatoriskt.)"
    return note.strip()


def _value_lines(
    model: type[BaseModel], name: str, field: FieldInfo, indent: int, given: Any, parent: str | None = None
) -> list[str]:
    """``name: value`` (and nested lines) for one field at ``indent``.

    ``given`` holds values known in advance (from the command line or
    :data:`_ITEMS`), nested like the agreement; the rest are placeholders.
    """
    pad = " " * indent
    if isinstance(given, (str, Enum)):
        return [f"{pad}{name}: {_scalar(given)}"]
    kind = unwrap(field.annotation)
    if typing.get_origin(kind) is list:
        item = unwrap(typing.get_args(kind)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            lines = [f"{pad}{name}:"]
            for values in given or _ITEMS.get((model, name), [{}]):
                body = _model_lines(item, indent + 4, values)
                first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
                body[first] = f"{pad}  - {body[first][indent + 4:]}"
                body[:first] = [f"{pad}  {line.lstrip()}" for line in body[:first]]
                lines += body
            return lines
        return [f"{pad}{name}:", f"{pad}  - {_scalar(placeholder(field.description))}"]
    if kind is Avsnitt or (model is Avsnitt and name == "text"):
        if (model, name) in _FULL_SECTIONS:
            return [f"{pad}{name}:", *_model_lines(Avsnitt, indent + 2, {}, parent=field.description)]
        what = parent if model is Avsnitt else field.description
        return [f"{pad}{name}: |", f"{pad}  {placeholder(what)}"]
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return [f"{pad}{name}:", *_model_lines(kind, indent + 2, given or {})]
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [f"{pad}{name}: {_scalar(next(iter(kind)))}"]
    return [f"{pad}{name}: {_scalar(placeholder(field.description))}"]


def _model_lines(model: type[BaseModel], indent: int, given: dict[str, Any], parent: str | None = None) -> list[str]:
    lines: list[str] = []
    for name, field in model.model_fields.items():
        if (model, name) in _SKIPPED:
            if indent == 0:  # named, so the author knows it exists
                lines += ["", *_comment(f"{name}: {_field_notes(model, name, field)} Se docs/guide.md.", indent)]
            continue
        if indent == 0:
            lines.append("")
        lines += _comment(_field_notes(model, name, field), indent)
        body = _value_lines(model, name, field, indent, given.get(name), parent)
        if (model, name) in _COMMENTED and name not in given:
            body = [f"{line[:indent]}# {line[indent:]}" for line in body]
        lines += body
    return lines


def _schema_line(target: Path) -> str:
    """The editor's schema line, relative to where the file is written."""
    folder = target.resolve().parent
    candidates = [base / SCHEMA_FILE for base in (folder, *folder.parents)]
    candidates.append(Path(__file__).resolve().parents[2] / SCHEMA_FILE)
    schema = next((c for c in candidates if c.is_file()), None)
    relative = Path(os.path.relpath(schema, folder)).as_posix() if schema else "../../schemas/agreement.schema.json"
    return f"# yaml-language-server: $schema={relative}"


def kommun_name(kommun: str) -> tuple[str, str]:
    """(namn, kortnamn) from what the user typed: "Oxelösund" → ("Oxelösunds kommun", "Oxelösund").

    A kommun in the table of all 290 gets the name it signs with ("Göteborgs Stad",
    "Falu kommun"); any other name is put in the genitive by rule.
    """
    given = " ".join(kommun.split())
    known = find(given)
    if known is not None:
        return known.part, known.namn
    if re.search(r"\s(kommun|stad)$", given, re.IGNORECASE):
        short = Kommun(namn=given).ort
        return given, short
    genitive = "" if given[-1].lower() in "aeiouyåäösxz" else "s"
    return f"{given}{genitive} kommun", given


def _lpo(name: str) -> str:
    lpo = " ".join(name.split())
    return lpo if lpo.lower().startswith("lokalpolisområde") else f"Lokalpolisområde {lpo}"


def skeleton_text(kommun: str, year: int, lokalpolisomrade: str | None = None, target: Path | None = None) -> str:
    """A complete agreement skeleton for ``kommun`` with placeholders and Swedish comments.

    What is known is filled in: the kommun's name, kommunkod and polisregion
    (and lokalpolisområde where known) from the table of all 290 kommuner, and
    the periods from ``year``; the rest are placeholders.
    """
    namn, kortnamn = kommun_name(kommun)
    known = find(kommun)
    parts: dict[str, Any] = {"kommun": {"namn": namn, "kortnamn": kortnamn}, "polis": {}}
    if known is not None:
        parts["kommun"]["kommunkod"] = known.kommunkod
        parts["polis"]["polisregion"] = known.polisregion
        if known.lokalpolisomrade:
            parts["polis"]["lokalpolisomrade"] = known.lokalpolisomrade
    if lokalpolisomrade:
        parts["polis"]["lokalpolisomrade"] = _lpo(lokalpolisomrade)
    given: dict[str, Any] = {
        "status": "utkast",
        "parter": parts,
        "period": {"start": f"{year}-01-01"},
        "medborgarloften": [{"id": f"ml-{year}", "period": {"start": f"{year}-01-01", "slut": f"{year}-12-31"}}],
    }
    header = [
        _schema_line(target or Path("agreements") / fsutil.slug(kortnamn) / f"{year}.yaml"),
        f"# Samverkansöverenskommelse mellan {namn} och Polisen – utkast skapat med `samverkan init`.",
        "#",
        f'# Ersätt varje "{PLACEHOLDER}: …>" med riktiga uppgifter; `samverkan validate` visar vilka',
        "# platshållare som återstår. Fält som inte är obligatoriska kan du ta bort om de inte behövs.",
        "# Rader som börjar med # är kommentarer: ta bort # framför ett fält som du vill använda.",
        "# Text med flera stycken skrivs efter | med en tom rad mellan styckena. Se docs/guide.md.",
        f"# Perioderna börjar {year}-01-01: ändra datumen om överenskommelsen börjar ett annat datum.",
    ]
    lines = _model_lines(Agreement, 0, given)
    if known is not None:  # the län beside the code, for the reader to check
        lines = [f"{line}  # {known.lan}" if line.strip().startswith("kommunkod:") else line for line in lines]
    return "\n".join([*header, *lines]) + "\n"


def init_summary(kommun: str, path: Path) -> str:
    """What ``init`` filled in and how many placeholders are left, for the user."""
    left = placeholders_left(path.read_text(encoding="utf-8"))
    return (
        f"{known_kommun(kommun)}\n{antal(left, 'platshållare', 'platshållare')} kvar att fylla i. "
        f"Kör sedan `samverkan validate {path}`."
    )


def placeholders_left(text: str) -> int:
    """How many placeholders a skeleton still holds outside comments."""
    return sum(line.count(PLACEHOLDER) for line in text.splitlines() if not line.lstrip().startswith("#"))


def known_kommun(kommun: str) -> str:
    """What ``init`` could fill in for ``kommun``, in a sentence for the user."""
    found = find(kommun)
    if found is None:
        near = guess(kommun)
        hint = f' – menade du "{near}"?' if near else ""
        return (
            f'"{" ".join(kommun.split())}" finns inte bland Sveriges 290 kommuner{hint} '
            "Kommunens namn, kommunkod och polisregion får du fylla i själv."
        )
    lpo = f", {found.lokalpolisomrade}" if found.lokalpolisomrade else ""
    return f"Ifyllt för {found.part}: kommunkod {found.kommunkod} ({found.lan}), {found.polisregion}{lpo}."


def init_agreement(
    kommun: str,
    year: int,
    lokalpolisomrade: str | None = None,
    output: Path | str | None = None,
    force: bool = False,
) -> Path:
    """Write a skeleton (default ``agreements/<kommun>/<year>.yaml``); return its path."""
    if not kommun.strip():
        raise DraftError("kommunens namn är tomt – skriv t.ex. `samverkan init Oxelösund`")
    _, kortnamn = kommun_name(kommun)
    target = Path(output) if output is not None else Path("agreements") / fsutil.slug(kortnamn) / f"{year}.yaml"
    _target_free(target, force)
    return fsutil.write_text(target, skeleton_text(kommun, year, lokalpolisomrade, target))


__all__ = ["hint", "init_agreement", "init_summary", "known_kommun", "kommun_name", "placeholder", "placeholders_left", "skeleton_text"]
