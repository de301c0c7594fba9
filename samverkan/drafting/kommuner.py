"""Sweden's 290 kommuner as data: what `samverkan init` can fill in for a new kommun.

Kommunkod, the name a kommun signs with ("Oxelösunds kommun", "Göteborgs
Stad", "Region Gotland"), län and polisregion are public facts; the
lokalpolisområde is given only where a public source in the project names
it. The table is ``data/kommuner.csv`` (its head says where the facts come
from). A kommun is found by its name with or without "kommun"/"stad", in any
case, or by its kommunkod.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..model.matching import closest, fold


@dataclass(frozen=True)
class KommunData:
    """One kommun: its code, short name, name as a party, län, polisregion and (if known) lokalpolisområde."""

    kommunkod: str
    namn: str
    part: str
    lan: str
    polisregion: str
    lokalpolisomrade: str | None


@cache
def kommuner() -> tuple[KommunData, ...]:
    """All 290 kommuner in kommunkod order."""
    text = resources.files("samverkan.drafting").joinpath("data/kommuner.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(
        KommunData(r["kommunkod"], r["namn"], r["part"], r["lan"], r["polisregion"], r["lokalpolisomrade"] or None)
        for r in rows
    )


def _plain(name: str) -> str:
    """The name without "kommun", "stad" or "Region", in lower case: "göteborgs stad" → "göteborgs"."""
    words = " ".join(name.split()).lower()
    for suffix in (" kommun", " stad"):
        if words.endswith(suffix):
            words = words[: -len(suffix)]
    return words[len("region ") :] if words.startswith("region ") else words


@cache
def _tables() -> tuple[dict[str, KommunData], dict[str, KommunData]]:
    """By exact name (short, as a party, in the genitive, the code), and by folded name (å → a …)."""
    exact: dict[str, KommunData] = {}
    for kommun in kommuner():
        exact[_plain(kommun.namn)] = exact[_plain(kommun.part)] = exact[kommun.kommunkod] = kommun
    for kommun in kommuner():  # "Oxelösunds kommun" → "oxelösunds"
        exact.setdefault(_plain(kommun.part.rsplit(" ", 1)[0]), kommun)
    folded: dict[str, list[KommunData]] = {}
    for key, kommun in exact.items():
        entries = folded.setdefault(fold(key), [])
        if kommun not in entries:
            entries.append(kommun)
    # Håbo and Habo fold alike: a folded name stands for a kommun only when it is one kommun's.
    return exact, {key: found[0] for key, found in folded.items() if len(found) == 1}


def find(name: str) -> KommunData | None:
    """The kommun ``name`` names ("Oxelösund", "oxelösunds kommun", "Ostersund", "0481"), or None."""
    exact, folded = _tables()
    key = _plain(name)
    return exact.get(key) or folded.get(fold(key))


def guess(name: str) -> str | None:
    """The name of the kommun closest to ``name``, for a "menade du …?"."""
    found = closest(name, [k.namn for k in kommuner()])
    return found


__all__ = ["KommunData", "find", "guess", "kommuner"]
