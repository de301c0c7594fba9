"""Next year's version of an agreement (``samverkan new``).

The author's file is edited in place with ruamel.yaml's round-trip mode, so
comments, key order, quoting and block text survive; only the values the
rules name are changed (see :func:`next_version_text`).
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from .. import fsutil
from ..errors import DraftError, InvalidAgreement
from ..model.loader import load, loads
from ..model.models import (
    Agreement,
    Aktivitet,
    Period,
    Year,
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
    """What ``ersatter`` says about the version being replaced."""
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


def _moved(day: Any, years: int, last: bool) -> Any:
    """A moved first or last day; a year stays a year (``start: 2022`` becomes ``start: 2024``)."""
    if isinstance(day, Year):
        return day.year + years
    return shift_end(day, years) if last else shift_start(day, years)


def _move_period(node: Any, period: Period, years: int) -> None:
    _set(node, "start", _moved(period.start, years, last=False))
    if period.slut is not None:
        _set(node, "slut", _moved(period.slut, years, last=True))


def _move_activities(nodes: Any, activities: list[Aktivitet], years: int) -> None:
    for node, activity in zip(nodes or [], activities):
        if activity.senast is not None:
            _set(node, "senast", shift_end(activity.senast, years))
        _move_activities(node.get("aktiviteter"), activity.aktiviteter, years)


def _move_all_activities(node: Any, holder: Any, years: int) -> None:
    """Deadlines in an area or medborgarlöfte: its activities, its groups' and (in a löfte) its focus areas'."""
    if node is None:
        return
    _move_activities(node.get("aktiviteter"), holder.aktiviteter, years)
    for group_node, group in zip(node.get("grupper") or [], holder.grupper):
        _move_activities(group_node.get("aktiviteter"), group.aktiviteter, years)
    for area_node, area in zip(node.get("fokusomraden") or [], getattr(holder, "fokusomraden", [])):
        _move_all_activities(area_node, area, years)


def _unsign(root: Any) -> None:
    """Signatories keep name and title; where and when they signed go."""
    for node in root.get("undertecknare") or []:
        _set(node, "ort", None)
        _set(node, "datum", None)
    signing = root.get("undertecknande")
    if signing is not None:
        _set(signing, "ort", None)
        _set(signing, "datum", None)
        _set(signing, "ort_och_datum_ej_publicerade", False)


_YEAR_NAME = re.compile(r"(19|20|21)\d\d(?=$|-)")


def source_year(path: Path, agreement: Agreement) -> int:
    """The year a version belongs to: its file name (``2024.yaml``, ``2024-medborgarlofte.yaml``), else its period's start."""
    found = _YEAR_NAME.match(path.stem)
    if found:
        return int(found.group())
    return agreement.period.start.year


def default_target(source: Path, year: int) -> Path:
    """``2023.yaml`` → ``2024.yaml``; ``2023-medborgarlofte.yaml`` → ``2024-medborgarlofte.yaml`` (same folder)."""
    if _YEAR_NAME.match(source.stem):
        return source.with_name(_YEAR_NAME.sub(str(year), source.stem, count=1) + source.suffix)
    return source.with_name(f"{year}.yaml")


def _still_inside_its_agreement(path: Path, agreement: Agreement, years: int, year: int) -> None:
    """A medborgarlöfte of its own must not be moved past the agreement it names: that agreement is due first."""
    outer = agreement.overenskommelse.period if agreement.is_promise and agreement.overenskommelse else None
    if outer is None or outer.slut is None:
        return
    moved_end = shift_end(agreement.period.slut or agreement.period.start, years)
    if moved_end > outer.slut:
        raise DraftError(
            f"{path}: medborgarlöftet för {year} skulle gälla efter överenskommelsen det hör till "
            f"(`overenskommelse`, som slutar {outer.slut.year}) – förnya överenskommelsen i stället med "
            f"`samverkan new --from <överenskommelsens fil> --year {year}` och skriv löftet i den"
        )


def next_version_text(source: Path | str, year: int) -> str:
    """The YAML text of the version after ``source``, starting in ``year``.

    Changed, and nothing else: every period (the agreement's and each
    medborgarlöfte's) moves by the whole years from the source's year
    (:func:`source_year`) to ``year``, keeping its length (a year stays a
    year), with activity deadlines (``senast``) moved alike; years in the
    title and in medborgarlöfte ids and titles follow; ``status`` becomes
    ``utkast``; the version date ``datum`` and the parties' diarienummer are
    emptied (the new version gets its own); ``ersatter`` names the replaced
    version by its diarienummer (or its title and years when it has none);
    signatories keep name and title but lose place and date. A medborgarlöfte
    of its own keeps ``overenskommelse``: renewing the löfte leaves the
    multi-year agreement it belongs to as it is. Comments, key order and text
    are kept.
    """
    path = Path(source)
    agreement = load(path)  # an invalid source stops here with FILE:LINE errors
    base = source_year(path, agreement)
    years = year - base
    if years < 0:
        raise DraftError(f"{path}: --year {year} ligger före källans år {base} – ange ett senare år")
    _still_inside_its_agreement(path, agreement, years, year)
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
    key = "tidigare_version" if "tidigare_version" in root else "ersatter"  # the older name stays if the author used it
    added = key not in root
    if not added:
        root[key] = reference
    for party in ("kommun", "polis"):
        _set(root["parter"][party], "diarienummer", None)

    for node, promise in zip(root.get("medborgarloften") or [], agreement.medborgarloften):
        node["id"] = _shift_years_in(promise.id, years, low, high)
        if promise.titel:
            node["titel"] = _shift_years_in(promise.titel, years, low, high)
        _move_period(node["period"], promise.period, years)
        _move_all_activities(node, promise, years)
        _unsign(node)
    if agreement.medborgarlofte is not None:
        _move_all_activities(root.get("medborgarlofte"), agreement.medborgarlofte, years)
    if agreement.del2:
        for node, area in zip(root["del2"].get("prioriterade_omraden") or [], agreement.del2.prioriterade_omraden):
            _move_all_activities(node, area, years)
    _unsign(root)

    out = io.StringIO()
    yaml.dump(root, out)
    text = out.getvalue()
    return _insert_after_period(text, _line("ersatter", reference)) if added else text


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
    """Write the version after ``source`` (default: in the same folder, named like the source with the new year,
    ``2025.yaml`` or ``2025-medborgarlofte.yaml``); return its path.

    Refuses an existing target unless ``force``, and never overwrites the
    source itself. A relative schema line is re-pointed when the target is in
    another folder. The result is validated before anything is written.
    """
    source = Path(source)
    target = Path(output) if output is not None else default_target(source, year)
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


__all__ = ["new_version", "next_version_text", "shift_end", "shift_start", "source_year"]
