"""Targeted edits of agreements/oxelosund/2024.yaml, as a reviewer would make them (issue 16).

``BASE`` is the 2024 agreement as a draft with two prioritised areas that
hold activities (so that areas, parties, numbers and deadlines can change);
every entry of ``EDITS`` is the YAML text of one edit of it. The edits are
made on the data, not on the text of the file, so they keep meaning the same
thing when the bundled file is re-encoded.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "agreements" / "oxelosund" / "2024.yaml"


class _Dumper(yaml.SafeDumper):
    """Quote strings YAML 1.2 would read as something else (`0481`, `2024`), write long texts as blocks."""


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    if re.fullmatch(r"[-+]?[0-9][0-9_.:-]*|true|false|null|~|yes|no|on|off", data, re.I):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


UTBILDNING = {
    "text": "genomföra en utbildning för blivande kontaktombud i grannsamverkan och båtsamverkan, i samarbete med Polisen",
    "ansvar": "kommunen",
    "frekvens": "minst en gång per år",
}
TRAFIK = {"text": "genomföra trafikkontroller vid skolorna", "ansvar": "polisen",
          "omfattning": "minst 40 trafikkontroller", "senast": "2025-06-01"}
MOTE = {"text": "hålla ett öppet möte om grannsamverkan", "ansvar": "tillsammans"}
SSPF = {"text": "samordna SSPF-arbetet i kommunens skolor", "ansvar": "kommunen"}

BAKGRUND_2 = "Oxelösunds kommun arbetar trygghetsskapande och brottsförebyggande i samverkan med Polismyndigheten."


def _base() -> dict[str, Any]:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    for key in ("undertecknande", "ersatter", "tidigare_version"):
        data.pop(key, None)
    data["status"] = "utkast"
    data["titel"] = "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen"
    data["datum"] = "2024-01-01"
    data["period"] = {"start": "2024-01-01", "slut": "2025-12-31"}
    data["parter"]["kommun"].pop("diarienummer", None)
    data["del2"] = {
        "prioriterade_omraden": [
            {"id": "stold-och-tillgreppsbrott", "titel": "Stöld- och tillgreppsbrott",
             "metoder": ["grannsamverkan", "batsamverkan", "est"],
             "aktiviteter": [dict(UTBILDNING), dict(TRAFIK), dict(MOTE)]},
            {"id": "trygga-ungdomar", "titel": "Trygga ungdomar",
             "mal": ["Målet är att ungdomar i Oxelösund ska ha en fungerande skolgång och leva ett liv fritt från "
                     "kriminalitet och droger."],
             "metoder": ["sspf", "est"], "aktiviteter": [dict(SSPF)]},
        ]
    }
    promise = data["medborgarloften"][0]
    promise["titel"] = "Medborgarlöfte 2024–2025"
    promise["period"] = {"start": "2024-01-01", "slut": "2025-12-31"}
    for key in ("undertecknare", "undertecknande"):
        promise.pop(key, None)
    data["undertecknare"] = [
        {"namn": "Dag Bergentoft", "titel": "Kommunstyrelsens ordförande", "part": "kommun"},
        {"namn": "Ludvig Hellman", "titel": "tf lokalpolisområdeschef", "part": "polis"},
    ]
    return data


BASE_DATA = _base()
BASE = dump(BASE_DATA)


def variant(change: Callable[[dict[str, Any]], None]) -> str:
    data = copy.deepcopy(BASE_DATA)
    change(data)
    return dump(data)


def areas(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["del2"]["prioriterade_omraden"]


def _rewrap(d: dict[str, Any]) -> None:
    paragraphs = d["del1"]["bakgrund"].split("\n\n")
    words = paragraphs[0].split(" ")
    paragraphs[0] = " ".join(words[:6]) + "\n" + "  ".join(words[6:]) + "   "
    d["del1"]["bakgrund"] = "\n\n".join(paragraphs)


def _move(d: dict[str, Any]) -> None:
    stold, unga = areas(d)
    stold["aktiviteter"].remove(TRAFIK)
    unga["aktiviteter"].append(dict(TRAFIK))


def _next_year(d: dict[str, Any]) -> None:
    d["status"] = "fastställd"
    d["datum"] = "2025-01-01"
    d["parter"]["kommun"]["diarienummer"] = "KS 2025/12"
    d["period"] = {"start": "2025-01-01", "slut": "2026-12-31"}
    d["medborgarloften"][0]["period"] = {"start": "2025-01-01", "slut": "2026-12-31"}
    areas(d)[0]["aktiviteter"][1]["senast"] = "2026-06-01"


def _new_period(d: dict[str, Any]) -> None:
    d["period"]["slut"] = "2026-12-31"
    d["medborgarloften"][0]["period"]["slut"] = "2026-12-31"


def _rewritten(d: dict[str, Any]) -> None:
    d["del1"]["bakgrund"] = d["del1"]["bakgrund"].replace(
        BAKGRUND_2, "Parterna möts varje månad i en gemensam ledningsgrupp som följer upp lägesbilden och beslutar om insatser.")


EDITS = {
    "omradbrytning": variant(_rewrap),
    "omraden-i-ny-ordning": variant(lambda d: areas(d).reverse()),
    "aktivitet-flyttad": variant(_move),
    "nytt-ansvar": variant(lambda d: areas(d)[0]["aktiviteter"][2].update(ansvar="kommunen")),
    "ny-omfattning": variant(lambda d: areas(d)[0]["aktiviteter"][1].update(omfattning="minst 60 trafikkontroller")),
    "ny-period": variant(_new_period),
    "ny-undertecknare": variant(lambda d: d["undertecknare"][0].update(namn="Anna Andersson")),
    "nasta-ar": variant(_next_year),
    "omskrivet-stycke": variant(_rewritten),
}
"""Name → the edited YAML text."""
