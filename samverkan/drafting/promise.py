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

Only what the löfte uses comes along (:mod:`samverkan.model.promisedoc`
makes the löfte the document of its own it stands for): the sources it
cites, the methods with the agreement's own text that it refers to, the
promise verb it inherits and the lägesbild it shares with another löfte
(written into it, as a löfte of its own must). The text is carried over as it is, to be read through and
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
from ..model.loader import load, loads
from ..model.models import Agreement, Medborgarlofte, Period
from ..model.promisedoc import chosen_promise, promise_document_data
from .new import SCHEMA_FILE, _move_schema_line, _moved, _shift_years_in, _target_free, new_version, shift_end


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
    """A year as a number, a day as a date (written unquoted, as an author writes it)."""
    return day if isinstance(day, int) else date(day.year, day.month, day.day)


def _moved_period(dumped: dict[str, Any], period: Period, years: int) -> dict[str, Any]:
    out = dict(dumped)
    out["start"] = _plain(_moved(period.start, years, last=False))
    if period.slut is not None:
        out["slut"] = _plain(_moved(period.slut, years, last=True))
    return out


def _move_deadlines(data: Any, years: int) -> None:
    if isinstance(data, dict):
        if isinstance(data.get("senast"), str):
            data["senast"] = shift_end(date.fromisoformat(data["senast"]), years)
        for value in data.values():
            _move_deadlines(value, years)
    elif isinstance(data, list):
        for item in data:
            _move_deadlines(item, years)


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
    chosen = chosen_promise(agreement, promise_id)
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
    if not agreement.period.ej_publicerad and not _inside(moved, agreement.period):
        raise DraftError(
            f"{path}: medborgarlöftet skulle gälla {_years(moved)}, utanför överenskommelsens period "
            f"({_years(agreement.period)}) – förnya hela överenskommelsen med "
            f"`samverkan new --from {path} --year {year}`"
        )

    # The löfte as the file of its own it stands for, then the rules of `new`.
    out = promise_document_data(agreement, chosen)
    low, high = chosen.period.start.year, (chosen.period.slut or chosen.period.start).year
    if chosen.titel:
        out["titel"] = _shift_years_in(chosen.titel, years, low, high)
    out["status"] = "utkast"
    out.pop("datum", None)
    for party in ("kommun", "polis"):
        out["parter"][party].pop("diarienummer", None)  # the agreement's numbers; the löfte gets its own
    out["period"] = _moved_period(out["period"], chosen.period, years)
    out["ersatter"] = chosen.titel or f"Medborgarlöfte {_years(chosen.period)}"
    out = {k: out[k] for k in ("dokument", "titel", "status", "parter", "period", "ersatter") if k in out} | out
    _move_deadlines(out["medborgarlofte"], years)
    for signer in out.get("undertecknare", []):
        signer.pop("ort", None)
        signer.pop("datum", None)
    clause = out.pop("undertecknande", {}).get("klausul")
    if clause:
        out["undertecknande"] = {"klausul": clause}

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
        + (f"# Undertecknarna är {who}; ändra dem om andra skriver under löftet.\n" if out.get("undertecknare") else "")
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
