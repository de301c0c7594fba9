"""Drafting: next year's version of an agreement, or a fresh skeleton.

``new`` edits the author's file in place with ruamel.yaml's round-trip mode,
so comments, key order, quoting and block text survive; only the values the
rules name are changed (see :func:`next_version_text`). ``init`` writes a
skeleton built by walking the models: every field gets its description as a
comment, and every value the author must write is a ``"<FYLL I: …>"``
placeholder that validation reports until it is replaced.
"""

from __future__ import annotations

import io
import json
import os
import re
import typing
from collections import Counter
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from . import fsutil
from .catalog import catalog
from .checks import PLACEHOLDER
from .errors import DraftError, InvalidAgreement
from .loader import load, loads
from .models import (
    Agreement, Aktivitet, Avsnitt, Del1, Kalla, Kommun, Medborgarlofte, Omrade, Period, Polis, Roll, Undertecknare, unwrap,
)

SCHEMA_FILE = Path("schemas") / "agreement.schema.json"

# -- dates --------------------------------------------------------------------


def _move(day: date, years: int) -> date:
    """``day`` in another year; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def shift_start(day: date, years: int) -> date:
    """Move a first day by whole years (2024-03-01 → 2026-03-01)."""
    return _move(day, years)


def shift_end(day: date, years: int) -> date:
    """Move a last day by whole years, keeping "last day of February" as such.

    A last day is moved as the day after it, so 1 mars 2023 – 28 februari
    2027 moved one year ends 29 februari 2028, and the period keeps its length.
    """
    return _move(day + timedelta(days=1), years) - timedelta(days=1)


def _shift_years_in(text: str, years: int, low: int, high: int) -> str:
    """Add ``years`` to every year ``low``–``high`` written in ``text`` (all at once)."""

    def moved(match: re.Match[str]) -> str:
        year = int(match.group())
        return str(year + years) if low <= year <= high else match.group()

    return re.sub(r"(?<!\d)\d{4}(?!\d)", moved, text)


# -- round-trip YAML ------------------------------------------------------------


def _indentation(text: str) -> tuple[int, int, int]:
    """Guess (mapping, sequence, offset) indentation as ruamel.yaml wants it.

    ruamel.yaml applies one style to the whole file, so the most common style
    in the author's file is used: the one that changes the fewest lines.
    """
    lines = [(len(raw) - len(raw.lstrip(" ")), raw.strip()) for raw in text.splitlines()]
    lines = [(ind, s) for ind, s in lines if s and not s.startswith("#")]
    mapping: Counter[int] = Counter()
    offset: Counter[int] = Counter()
    content: Counter[int] = Counter()
    for (ind, line), (next_ind, next_line) in zip(lines, lines[1:]):
        if not re.match(r"^[^\s#'\"-][^:#]*:\s*(#.*)?$", line):
            continue  # only "key:" lines that open a nested block
        if next_line.startswith("- ") or next_line == "-":
            offset[next_ind - ind] += 1
            rest = next_line[1:]
            content[next_ind - ind + 1 + len(rest) - len(rest.lstrip(" "))] += 1
        elif next_ind > ind:
            mapping[next_ind - ind] += 1
    map_indent = mapping.most_common(1)[0][0] if mapping else 2
    dash = offset.most_common(1)[0][0] if offset else 0
    seq_indent = content.most_common(1)[0][0] if content else dash + 2
    return map_indent, max(seq_indent, dash + 2), dash


def _round_trip(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the author's lines
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _set(node: CommentedMap, key: str, value: Any) -> None:
    """Replace a value that is present; keys the author left out stay out."""
    if key in node:
        node[key] = value


# -- new: next version ---------------------------------------------------------


def _previous_reference(agreement: Agreement) -> str:
    """What ``tidigare_version`` says about the version being replaced."""
    kommun, polis = agreement.parter.kommun, agreement.parter.polis
    numbers = [f"{kommun.diarienummer} ({kommun.namn})"] if kommun.diarienummer else []
    if polis.diarienummer:
        numbers.append(f"{polis.diarienummer} (Polisen)")
    if numbers:
        return ", ".join(numbers)
    period, title = agreement.period, agreement.document_title
    if str(period.start.year) in title:
        return title
    if period.slut is None:
        return f"{title}, gällande från {period.start.isoformat()}"
    if period.slut.year == period.start.year:
        return f"{title} {period.start.year}"
    return f"{title} {period.start.year}–{period.slut.year}"


def _move_period(node: Any, period: Period, years: int) -> None:
    _set(node, "start", shift_start(period.start, years))
    if period.slut is not None:
        _set(node, "slut", shift_end(period.slut, years))


def _move_activities(nodes: Any, activities: list[Aktivitet], years: int) -> None:
    for node, activity in zip(nodes or [], activities):
        if activity.senast is not None:
            _set(node, "senast", shift_end(activity.senast, years))


def source_year(path: Path, agreement: Agreement) -> int:
    """The year a version belongs to: its file name (``2024.yaml``), else its period's start."""
    if re.fullmatch(r"(19|20|21)\d\d", path.stem):
        return int(path.stem)
    return agreement.period.start.year


def next_version_text(source: Path | str, year: int) -> str:
    """The YAML text of the version after ``source``, starting in ``year``.

    Changed, and nothing else: every period (the agreement's and each
    medborgarlöfte's) moves by the whole years from the source's year
    (:func:`source_year`) to ``year``, keeping its length, with activity deadlines (``senast``)
    moved alike; years in the title and in medborgarlöfte ids and titles
    follow; ``status`` becomes ``utkast``; the version date ``datum`` and the
    parties' diarienummer are emptied (the new version gets its own);
    ``tidigare_version`` names the replaced version by its diarienummer (or
    title, years and file name when it has none); signatories keep name and
    title but lose place and date. Comments, key order and text are kept.
    """
    path = Path(source)
    agreement = load(path)  # an invalid source stops here with FILE:LINE errors
    base = source_year(path, agreement)
    years = year - base
    if years < 0:
        raise DraftError(f"{path}: --year {year} ligger före källans år {base} – ange ett senare år")
    text = path.read_bytes().decode("utf-8-sig")
    yaml = _round_trip(text)
    try:
        root = yaml.load(text)
    except YAMLError as e:  # pragma: no cover - load() above has parsed it already
        raise DraftError(f"{path}: filen kunde inte läsas om ({e})") from None

    periods = [agreement.period, *(p.period for p in agreement.medborgarloften)]
    low = min(p.start.year for p in periods)
    high = max((p.slut or p.start).year for p in periods)

    root["status"] = "utkast"
    _set(root, "datum", None)
    if agreement.titel:
        root["titel"] = _shift_years_in(agreement.titel, years, low, high)
    _move_period(root["period"], agreement.period, years)
    reference = _previous_reference(agreement)
    added = "tidigare_version" not in root
    if not added:
        root["tidigare_version"] = reference
    for party in ("kommun", "polis"):
        _set(root["parter"][party], "diarienummer", None)

    for node, promise in zip(root.get("medborgarloften") or [], agreement.medborgarloften):
        node["id"] = _shift_years_in(promise.id, years, low, high)
        if promise.titel:
            node["titel"] = _shift_years_in(promise.titel, years, low, high)
        _move_period(node["period"], promise.period, years)
        _move_activities(node.get("aktiviteter"), promise.aktiviteter, years)
    if agreement.del2:
        for node, area in zip(root["del2"].get("prioriterade_omraden") or [], agreement.del2.prioriterade_omraden):
            _move_activities(node.get("aktiviteter"), area.aktiviteter, years)
    for node in root.get("undertecknare") or []:
        _set(node, "ort", None)
        _set(node, "datum", None)

    out = io.StringIO()
    yaml.dump(root, out)
    text = out.getvalue()
    return _insert_after_period(text, _line("tidigare_version", reference)) if added else text


def _line(key: str, value: str) -> str:
    """``key: value`` as one YAML line, quoted as needed."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump({key: value}, out)
    return out.getvalue()


def _insert_after_period(text: str, line: str) -> str:
    """Put a new top-level ``line`` right after the ``period:`` block.

    Done on the text, not the tree: ruamel.yaml keeps the comments that
    precede a key on the value before it, so a key inserted in the tree
    would slip in under the heading comment of the next section.
    """
    lines = text.splitlines(keepends=True)
    start = next(i for i, raw in enumerate(lines) if re.match(r"period\s*:", raw))
    end = start
    for i in range(start + 1, len(lines)):
        raw = lines[i]
        if not raw.strip():
            continue
        if not raw[0].isspace():
            break  # the next top-level key or a top-level comment
        end = i
    return "".join([*lines[: end + 1], line, *lines[end + 1 :]])


def _move_schema_line(text: str, source: Path, target: Path) -> str:
    """Point a relative ``$schema=`` line at the same schema from the new file's folder."""

    def moved(match: re.Match[str]) -> str:
        schema = match.group(2)
        if "://" in schema or Path(schema).is_absolute():
            return match.group()
        resolved = os.path.normpath(source.parent.resolve() / schema)
        return match.group(1) + Path(os.path.relpath(resolved, target.parent.resolve())).as_posix()

    return re.sub(r"(?m)^(#\s*yaml-language-server:\s*\$schema=)(\S+)", moved, text, count=1)


def _target_free(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise DraftError(f"{target}: filen finns redan – välj en annan fil med -o, eller skriv över den med --force")
    if target.is_dir():
        raise DraftError(f"{target}: är en mapp – ange en fil med -o")


def new_version(source: Path | str, year: int, output: Path | str | None = None, force: bool = False) -> Path:
    """Write the version after ``source`` (default ``<same folder>/<year>.yaml``); return its path.

    Refuses an existing target unless ``force``, and never overwrites the
    source itself. A relative schema line is re-pointed when the target is in
    another folder. The result is validated before anything is written.
    """
    source = Path(source)
    target = Path(output) if output is not None else source.with_name(f"{year}.yaml")
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise DraftError(f"{target}: är källfilen själv – ange ett annat år eller en annan fil med -o")
    _target_free(target, force)
    text = _move_schema_line(next_version_text(source, year), source, target)
    try:
        loads(text, name=str(target))
    except InvalidAgreement as e:
        raise DraftError(
            f"{target}: den nya versionen blev ogiltig och skrevs inte – rätta källan {source} och försök igen:\n{e}"
        ) from None
    return fsutil.write_text(target, text)


# -- init: a skeleton ----------------------------------------------------------

# Fields shown commented out: optional, and most agreements do without them.
_COMMENTED = {
    (Agreement, "titel"),
    (Agreement, "datum"),
    (Agreement, "tidigare_version"),
    (Agreement, "egna_metoder"),
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

# Sections written out as `text` + `punkter` + `kallor` to show the long form.
_FULL_SECTIONS = {(Medborgarlofte, "lagesbild")}

# Lists shown with more than one item, and the values that tell them apart.
_ITEMS: dict[tuple[type, str], list[dict[str, Any]]] = {
    (Agreement, "undertecknare"): [{"part": "kommun"}, {"part": "polis"}],
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
        if indent == 0:
            lines.append("")
        lines += _comment(_field_notes(model, name, field), indent)
        body = _value_lines(model, name, field, indent, given.get(name), parent)
        if (model, name) in _COMMENTED:
            body = [f"{line[:indent]}# {line[indent:]}" for line in body]
        lines += body
    return lines


def _schema_line(target: Path) -> str:
    """The editor's schema line, relative to where the file is written."""
    folder = target.resolve().parent
    candidates = [base / SCHEMA_FILE for base in (folder, *folder.parents)]
    candidates.append(Path(__file__).resolve().parent.parent / SCHEMA_FILE)
    schema = next((c for c in candidates if c.is_file()), None)
    relative = Path(os.path.relpath(schema, folder)).as_posix() if schema else "../../schemas/agreement.schema.json"
    return f"# yaml-language-server: $schema={relative}"


def kommun_name(kommun: str) -> tuple[str, str]:
    """(namn, kortnamn) from what the user typed: "Oxelösund" → ("Oxelösunds kommun", "Oxelösund")."""
    given = " ".join(kommun.split())
    if re.search(r"\s(kommun|stad)$", given, re.IGNORECASE):
        short = Kommun(namn=given).ort
        return given, short
    genitive = "" if given[-1].lower() in "aeiouyåäösxz" else "s"
    return f"{given}{genitive} kommun", given


def skeleton_text(kommun: str, year: int, lokalpolisomrade: str | None = None, target: Path | None = None) -> str:
    """A complete agreement skeleton for ``kommun`` with placeholders and Swedish comments."""
    namn, kortnamn = kommun_name(kommun)
    given: dict[str, Any] = {
        "status": "utkast",
        "parter": {"kommun": {"namn": namn, "kortnamn": kortnamn}},
        "medborgarloften": [{"id": f"ml-{year}"}],
    }
    if lokalpolisomrade:
        lpo = " ".join(lokalpolisomrade.split())
        if not lpo.lower().startswith("lokalpolisområde"):
            lpo = f"Lokalpolisområde {lpo}"
        given["parter"]["polis"] = {"lokalpolisomrade": lpo}
    header = [
        _schema_line(target or Path("agreements") / fsutil.slug(kortnamn) / f"{year}.yaml"),
        f"# Samverkansöverenskommelse mellan {namn} och Polisen – utkast skapat med `samverkan init`.",
        "#",
        f'# Ersätt varje "{PLACEHOLDER}: …>" med riktiga uppgifter; `samverkan validate` visar vilka',
        "# platshållare som återstår. Fält som inte är obligatoriska kan du ta bort om de inte behövs.",
        "# Rader som börjar med # är kommentarer: ta bort # framför ett fält som du vill använda.",
        "# Text med flera stycken skrivs efter | med en tom rad mellan styckena. Se docs/guide.md.",
    ]
    return "\n".join([*header, *_model_lines(Agreement, 0, given)]) + "\n"


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


__all__ = [
    "init_agreement", "kommun_name", "new_version", "next_version_text", "placeholder",
    "shift_end", "shift_start", "skeleton_text", "source_year",
]
