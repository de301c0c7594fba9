"""Next year's medborgarlöfte on its own, from an agreement that holds one (``samverkan new --bara-medborgarlofte``).

A multi-year samverkansöverenskommelse often holds the first yearly
medborgarlöfte, and the löfte is then renewed each year while the agreement
stays. This module writes that renewal: a medborgarlöfte of its own
(``dokument: medborgarlöfte``, named ``<år>-medborgarlofte.yaml`` beside the
agreement) that names the agreement it belongs to, with the agreement's last
medborgarlöfte (or the one asked for) moved to the new year by the same rules
as ``new``: periods moved with their length (a year stays a year), deadlines
moved, status ``utkast``, no date, signing place and date emptied,
``ersatter`` naming the löfte it follows. The agreement's file is not touched.

Only what the löfte uses comes along: the sources it cites, the methods with
the agreement's own text that it refers to, the promise verb it inherits and
the lägesbild it shares with another löfte (written into it, as a löfte of
its own must). The text is carried over as it is, to be read through and
updated. A new period outside the agreement's is refused: then the
agreement itself is due for renewal.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from .. import fsutil
from ..errors import DraftError, InvalidAgreement
from ..model.checks import MARKER
from ..model.loader import load, loads
from ..model.models import Agreement, Lofte, Medborgarlofte, Period
from .new import SCHEMA_FILE, _move_schema_line, _moved, _shift_years_in, _target_free, new_version, shift_end

_HEAD = ("id", "titel", "period", "avvikelse_fran_period", "ersatter", "undertecknare", "undertecknande", "lagesbild_fran")
"""What names and signs a löfte inside an agreement; a löfte of its own says these at the top of its file."""


def _years(period: Period) -> str:
    first, last = period.start.year, (period.slut.year if period.slut else None)
    if last is None:
        return f"från {first}"
    return str(first) if last == first else f"{first}–{last}"


def _inside(inner: Period, outer: Period) -> bool:
    if inner.start < outer.start:
        return False
    return outer.slut is None or (inner.slut is not None and inner.slut <= outer.slut)


def _plain(day: Any) -> Any:
    return day if isinstance(day, int) else day.isoformat()


def _moved_period(dumped: dict[str, Any], period: Period, years: int) -> dict[str, Any]:
    out = dict(dumped)
    out["start"] = _plain(_moved(period.start, years, last=False))
    if period.slut is not None:
        out["slut"] = _plain(_moved(period.slut, years, last=True))
    return out


def _move_deadlines(data: Any, years: int) -> None:
    if isinstance(data, dict):
        if isinstance(data.get("senast"), str):
            data["senast"] = shift_end(date.fromisoformat(data["senast"]), years).isoformat()
        for value in data.values():
            _move_deadlines(value, years)
    elif isinstance(data, list):
        for item in data:
            _move_deadlines(item, years)


def _cited(data: Any, found: list[str]) -> list[str]:
    """The source ids ``data`` cites, by ``kallor`` lists and ``[^id]`` markers, in the order met."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "kallor" and isinstance(value, list):
                found += [v for v in value if isinstance(v, str) and v not in found]
            else:
                _cited(value, found)
    elif isinstance(data, list):
        for item in data:
            _cited(item, found)
    elif isinstance(data, str) and "[^" in data:
        found += [m.group(1) for m in MARKER.finditer(data) if m.group(1) not in found]
    return found


def _methods(promise: Medborgarlofte) -> set[str]:
    ids = set(promise.metoder)
    for area in promise.fokusomraden:
        ids.update(area.metoder)
    return ids


def _blocks(data: Any) -> Any:
    """Text with paragraphs written as a block (``|-``), as an author writes it."""
    if isinstance(data, dict):
        return {k: _blocks(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_blocks(v) for v in data]
    if isinstance(data, str) and "\n" in data:
        return LiteralScalarString(data)
    return data


def _chosen(path: Path, agreement: Agreement, promise_id: str | None) -> Medborgarlofte:
    if not agreement.medborgarloften:
        raise DraftError(
            f"{path}: överenskommelsen har inget medborgarlöfte under `medborgarloften` att förnya – "
            f"förnya hela överenskommelsen med `samverkan new --from {path} --year ÅR`"
        )
    if promise_id is None:
        return agreement.medborgarloften[-1]
    chosen = next((p for p in agreement.medborgarloften if p.id == promise_id), None)
    if chosen is None:
        ids = ", ".join(p.id for p in agreement.medborgarloften)
        raise DraftError(f'{path}: inget medborgarlöfte har id "{promise_id}" – välj ett av: {ids}')
    return chosen


def next_promise_text(source: Path | str, year: int, promise_id: str | None = None) -> str:
    """The YAML text of a medborgarlöfte of its own for ``year``, from the agreement at ``source``."""
    path = Path(source)
    agreement = load(path)  # an invalid source stops here with FILE:LINE errors
    chosen = _chosen(path, agreement, promise_id)
    years = year - chosen.period.start.year
    if years < 1:
        raise DraftError(f"{path}: --year {year} ligger inte efter löftets år {chosen.period.start.year} – ange ett senare år")
    moved = Period.model_validate(_moved_period(chosen.period.model_dump(mode="json", exclude_none=True), chosen.period, years))
    if not _inside(moved, agreement.period):
        raise DraftError(
            f"{path}: medborgarlöftet skulle gälla {_years(moved)}, utanför överenskommelsens period "
            f"({_years(agreement.period)}) – förnya hela överenskommelsen med "
            f"`samverkan new --from {path} --year {year}`"
        )

    data = chosen.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    content = {k: v for k, v in data.items() if k not in _HEAD}
    if chosen.lagesbild_fran:  # the lägesbild it shares with another löfte, written into it
        shared = next(p for p in agreement.medborgarloften if p.id == chosen.lagesbild_fran)
        content["lagesbild"] = shared.lagesbild.model_dump(mode="json", exclude_none=True, exclude_defaults=True)  # type: ignore[union-attr]
    if agreement.loftesverb and not chosen.loftesverb:  # the verb it had from the agreement
        content["loftesverb"] = agreement.loftesverb
    content = {k: content[k] for k in Lofte.model_fields if k in content}  # the order an author writes
    _move_deadlines(content, years)

    low, high = chosen.period.start.year, (chosen.period.slut or chosen.period.start).year
    parter = agreement.parter.model_dump(mode="json", exclude_none=True)
    for party in ("kommun", "polis"):
        parter[party].pop("diarienummer", None)  # the agreement's numbers; the löfte gets its own
    reference: dict[str, Any] = {}
    if agreement.titel:
        reference["titel"] = agreement.titel
    reference["period"] = agreement.model_dump(mode="json", exclude_none=True)["period"]
    if agreement.parter.kommun.diarienummer:
        reference["diarienummer"] = agreement.parter.kommun.diarienummer

    out: dict[str, Any] = {"dokument": "medborgarlöfte"}
    if chosen.titel:
        out["titel"] = _shift_years_in(chosen.titel, years, low, high)
    out["status"] = "utkast"
    out["parter"] = parter
    out["period"] = _moved_period(data["period"], chosen.period, years)
    out["ersatter"] = chosen.titel or f"Medborgarlöfte {_years(chosen.period)}"
    out["overenskommelse"] = reference
    out["medborgarlofte"] = content
    cited = _cited(content, [])
    methods = _methods(chosen)
    own = [m for m in agreement.egna_metoder if m.id in methods]
    cited = _cited([m.model_dump(mode="json") for m in own], cited)
    kallor = [k.model_dump(mode="json", exclude_none=True) for k in agreement.kallor if k.id in cited]
    if kallor:
        out["kallor"] = kallor
    if own:
        out["egna_metoder"] = [m.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for m in own]
    if agreement.metodbeskrivningar:
        out["metodbeskrivningar"] = True
    signers = chosen.undertecknare or agreement.undertecknare
    if signers:
        out["undertecknare"] = [s.model_dump(mode="json", exclude_none=True, exclude={"ort", "datum"}) for s in signers]
    if chosen.undertecknande is not None and chosen.undertecknande.klausul:
        out["undertecknande"] = {"klausul": chosen.undertecknande.klausul}

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    text = io.StringIO()
    yaml.dump(_blocks(out), text)
    who = "löftets" if chosen.undertecknare else "överenskommelsens"
    header = (
        f"# yaml-language-server: $schema=../../{SCHEMA_FILE.as_posix()}\n"
        f"# Medborgarlöfte för sig, gjort med `samverkan new --bara-medborgarlofte` från {path.name}\n"
        f"# (löftet {chosen.id}). Läs igenom texterna och uppdatera dem för det nya året.\n"
        + (f"# Undertecknarna är {who}; ändra dem om andra skriver under löftet.\n" if signers else "")
        + "\n"
    )
    return header + text.getvalue()


def new_promise(source: Path | str, year: int, output: Path | str | None = None, force: bool = False,
                promise_id: str | None = None) -> Path:
    """Write next year's medborgarlöfte of its own (default ``<same folder>/<year>-medborgarlofte.yaml``).

    From a file that already is a medborgarlöfte of its own this is ``new``
    itself (:func:`~.new.new_version`), as long as no ``promise_id`` is asked for.
    """
    source = Path(source)
    agreement = load(source)
    if agreement.is_promise:
        if promise_id is not None:
            raise DraftError(f"{source}: filen är ett enda medborgarlöfte – ta bort --id")
        return new_version(source, year, output=output, force=force)
    target = Path(output) if output is not None else source.with_name(f"{year}-medborgarlofte.yaml")
    _target_free(target, force)
    text = _move_schema_line(next_promise_text(source, year, promise_id), source, target)
    try:
        loads(text, name=str(target))
    except InvalidAgreement as e:
        raise DraftError(f"{target}: medborgarlöftet blev ogiltigt och skrevs inte – rätta källan {source}:\n{e}") from None
    return fsutil.write_text(target, text)


__all__ = ["new_promise", "next_promise_text"]
