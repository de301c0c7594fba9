"""Generate realistic synthetic agreements for the benchmark.

One agreement per Swedish kommun (290 by default), each a full two-part
samverkansöverenskommelse with a medborgarlöfte, about 8–12 pages when
rendered, written as YAML files that validate. The same ``seed`` always
gives the same files, byte for byte.

    .venv/bin/python benchmarks/synth.py /tmp/synth --n 290 --seed 1

Files are written as ``<out>/<kommun>/<år>.yaml``, the layout of
``agreements/``. Beyond 290 the kommuner repeat with a later year.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import texts
from benchmarks.kommuner import KOMMUNER, Kommun, official_name, polisregion
from samverkan.fsutil import slug

DEFAULT_N = len(KOMMUNER)
DEFAULT_SEED = 2024

SOURCES = [
    {"id": "trygghetsmatning", "titel": "Polisens trygghetsmätning", "utgivare": "Polismyndigheten"},
    {"id": "ntu", "titel": "Nationella trygghetsundersökningen (NTU)", "utgivare": "Brottsförebyggande rådet",
     "url": "https://bra.se/statistik/nationella-trygghetsundersokningen"},
    {"id": "anmalda-brott", "titel": "Anmälda brott, kommunvis statistik", "utgivare": "Brottsförebyggande rådet",
     "url": "https://bra.se/statistik/kriminalstatistik"},
    {"id": "drogvaneundersokning", "titel": "Drogvaneundersökningen bland elever i årskurs 9 och gymnasiet",
     "utgivare": "Centralförbundet för alkohol- och narkotikaupplysning (CAN)"},
]


def _lpo(kommun: Kommun) -> str:
    """A plausible lokalpolisområde: named after a larger town in the same län."""
    towns = [k for k in KOMMUNER if k.lan == kommun.lan and int(k.kod[2:]) >= 80] or [kommun]
    if kommun in towns:
        return f"Lokalpolisområde {kommun.namn}"
    return f"Lokalpolisområde {towns[int(kommun.kod) % len(towns)].namn}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.LAST_NAMES)}"


def _fill(template: str, slots: dict[str, Any]) -> str:
    return template.format(**slots)


def _paragraphs(rng: random.Random, bank: list[str], slots: dict[str, Any], per: int, count: int) -> str:
    """Up to ``count`` paragraphs of ``per`` sentences, no sentence twice, each in bank order."""
    picked = rng.sample(range(len(bank)), min(per * count, len(bank)))
    groups = [sorted(picked[i : i + per]) for i in range(0, len(picked), per)]
    return "\n\n".join(" ".join(_fill(bank[i], slots) for i in group) for group in groups)


def _activity(rng: random.Random, spec: tuple[str, str, str | None, str | None], slots: dict[str, Any], senast: date | None) -> dict[str, Any]:
    text, ansvar, omfattning, frekvens = spec
    item: dict[str, Any] = {"text": _fill(text, slots), "ansvar": ansvar}
    if omfattning:
        item["omfattning"] = _fill(omfattning, slots)
    if frekvens:
        item["frekvens"] = frekvens
    if senast is not None and rng.random() < 0.25:
        item["senast"] = senast
    return item


def _area(rng: random.Random, spec: dict[str, Any], slots: dict[str, Any], senast: date | None) -> dict[str, Any]:
    area: dict[str, Any] = {
        "id": spec["id"],
        "titel": spec["titel"],
        "beskrivning": {
            "text": _paragraphs(rng, spec["beskrivning"], slots, per=2, count=2),
            "kallor": ["anmalda-brott"],
        },
    }
    orsaker: dict[str, Any] = {"text": " ".join(_fill(s, slots) for s in spec["orsaker"])}
    if spec["orsaker_punkter"]:
        orsaker["punkter"] = list(spec["orsaker_punkter"])
    area["orsaker"] = orsaker
    area["mal"] = [_fill(m, slots) for m in spec["mal"]]
    area["metoder"] = list(spec["metoder"])
    area["aktiviteter"] = [_activity(rng, a, slots, senast) for a in spec["aktiviteter"][:4]]
    return area


def agreement_data(kommun: Kommun, seed: int = DEFAULT_SEED, cycle: int = 0) -> dict[str, Any]:
    """The plain data of one synthetic agreement for ``kommun`` (deterministic for ``seed``)."""
    rng = random.Random(f"{seed}:{kommun.kod}:{cycle}")
    ort = kommun.namn
    namn = official_name(kommun.namn)
    lpo = _lpo(kommun)
    start_year = 2024 + rng.randrange(3) + 4 * cycle
    open_ended = rng.random() < 0.1
    years = rng.choice((2, 3, 4))
    start = date(start_year, rng.choice((1, 1, 1, 3)), 1)
    slut = None if open_ended else date(start.year + years - (1 if start.month == 1 else 0), 12 if start.month == 1 else 2, 31 if start.month == 1 else 28)
    slots: dict[str, Any] = {
        "ort": ort,
        "kommun": namn,
        "lpo": lpo,
        "ar0": start_year - 1,
        "n1": rng.randrange(40, 900),
        "n2": rng.randrange(3, 12),
        "n3": rng.randrange(10, 40),
        "n4": rng.randrange(20, 120),
        "n5": rng.randrange(2, 8),
        "n6": f"{rng.randrange(200, 2500)} 000",
        "p1": rng.randrange(5, 30),
        "p2": rng.randrange(5, 20),
    }
    # Three or four prioritised areas; the medborgarlöfte takes up the first one or two.
    areas = rng.sample(texts.AREAS, rng.choice((3, 3, 4)))
    promise_areas = areas[: rng.choice((1, 2))]

    status = rng.choices(("utkast", "fastställd", "undertecknad"), weights=(2, 4, 4))[0]
    signed_on = date(start.year, start.month, 1).replace(day=rng.randrange(1, 28))
    signers = [
        {"namn": _person(rng), "titel": "Kommunstyrelsens ordförande", "part": "kommunen"},
        {"namn": _person(rng), "titel": rng.choice(("Lokalpolisområdeschef", "tf lokalpolisområdeschef")), "part": "polisen"},
    ]
    if rng.random() < 0.4:
        signers.insert(1, {"namn": _person(rng), "titel": rng.choice(("Kommundirektör", "Kommunchef")), "part": "kommunen"})
    if status == "undertecknad":
        for signer in signers:
            signer["ort"] = ort
            signer["datum"] = signed_on

    period: dict[str, Any] = {"start": start}
    if slut is None:
        period["revidering"] = "revideras vart tredje år"
    else:
        period["slut"] = slut

    promise_end = date(start.year + rng.choice((0, 1)), 12, 31)
    if slut is not None and promise_end > slut:
        promise_end = slut
    promise_years = f"{start.year}" if promise_end.year == start.year else f"{start.year}–{promise_end.year}"
    omrade = " och ".join(a["titel"].lower() for a in promise_areas)
    promise_slots = {**slots, "period": promise_years, "omrade": omrade, "omrade_lc": omrade}
    promise_methods = sorted({m for a in promise_areas for m in a["metoder"]})

    forums = rng.sample(texts.FORUM, 3)
    roles = rng.sample(texts.ROLLER, 3)
    data: dict[str, Any] = {
        "status": status,
        "datum": signed_on if status == "undertecknad" else start,
        "parter": {
            "kommun": {
                "namn": namn,
                "kortnamn": ort,
                "kommunkod": kommun.kod,
                "diarienummer": f"KS {start_year - 1}/{rng.randrange(100, 999)}",
            },
            "polis": {
                "lokalpolisomrade": lpo,
                "polisregion": polisregion(kommun.lan),
                "diarienummer": f"A{rng.randrange(100000, 999999)}.{start_year - 1}",
            },
        },
        "period": period,
        "ersatter": f"KS {start_year - 4}/{rng.randrange(100, 999)}",
        "del1": {
            "bakgrund": _paragraphs(rng, texts.BAKGRUND, slots, per=3, count=2),
            "syfte": " ".join(_fill(s, slots) for s in texts.SYFTE),
            "overgripande_mal": " ".join(_fill(s, slots) for s in texts.OVERGRIPANDE_MAL),
            "delmal": rng.sample(texts.DELMAL, 4),
            "organisation": [
                {"namn": n, "beskrivning": b, "medlemmar": list(m), "motesfrekvens": f} for n, b, m, f in forums
            ],
            "roller": [
                {"titel": t, "namn": _person(rng), "part": p, "beskrivning": b} for t, p, b in roles
            ],
            "lagesbild": {"text": "\n\n".join(_fill(s, slots) for s in texts.LAGESBILD), "kallor": ["trygghetsmatning", "ntu"]},
            "kommunikation": "\n\n".join(_fill(s, slots) for s in texts.KOMMUNIKATION),
            "uppfoljning": "\n\n".join(_fill(s, slots) for s in texts.UPPFOLJNING),
            "kommunens_ansvar": dict(texts.KOMMUNENS_ANSVAR),
        },
        "del2": {
            "inledning": f"Utifrån den gemensamma lägesbilden för {ort} prioriterar parterna följande områden under perioden.",
            "prioriterade_omraden": [_area(rng, spec, slots, slut) for spec in areas],
        },
        "medborgarloften": [
            {
                "id": f"ml-{start.year}" if promise_end.year == start.year else f"ml-{start.year}-{promise_end.year}",
                "period": {"start": start, "slut": promise_end},
                "inledning": "\n\n".join(_fill(s, promise_slots) for s in texts.ML_INLEDNING),
                "lagesbild": {
                    "text": " ".join(_fill(s, promise_slots) for s in texts.ML_LAGESBILD),
                    "kallor": ["trygghetsmatning"],
                },
                "mal": " ".join(_fill(s, promise_slots) for s in texts.ML_MAL),
                "genomforande": "\n\n".join(_fill(s, promise_slots) for s in texts.ML_GENOMFORANDE),
                "metoder": promise_methods,
                "aktiviteter": [
                    _activity(rng, spec, slots, promise_end) for a in promise_areas for spec in a["aktiviteter"][:4]
                ],
                "uppfoljning": " ".join(_fill(s, promise_slots) for s in texts.ML_UPPFOLJNING),
                "folj_arbetet": " ".join(_fill(s, promise_slots) for s in texts.ML_FOLJ),
                "lankar": [
                    {"text": f"{slug(ort)}.se", "url": f"https://www.{slug(ort)}.se"},
                    {"text": "polisen.se", "url": "https://polisen.se"},
                ],
            }
        ],
        "kallor": [{**s, "ar": start_year - 1} for s in SOURCES],
        "undertecknare": signers,
    }
    return data


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style, paragraphs as literal blocks, number-like text quoted, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: Any, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if value[:1].isdigit():
        # YAML 1.2 reads 0481 as a number; a kommunkod must stay text.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def agreement_yaml(kommun: Kommun, seed: int = DEFAULT_SEED, cycle: int = 0) -> str:
    """One synthetic agreement as YAML text, with a schema comment like the bundled examples."""
    return _dump(kommun, seed, agreement_data(kommun, seed, cycle))


def _dump(kommun: Kommun, seed: int, data: dict[str, Any]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    head = (
        "# yaml-language-server: $schema=../../schemas/agreement.schema.json\n"
        f"# Syntetisk överenskommelse för prestandamätning ({kommun.namn}, frö {seed}). Inte en verklig text.\n\n"
    )
    return head + body


def generate(out_dir: Path | str, n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``n`` synthetic agreements under ``out_dir``; return their paths in order."""
    if n < 1:
        raise ValueError("n must be at least 1")
    out = Path(out_dir)
    paths = []
    taken: set[tuple[str, int]] = set()
    for i in range(n):
        cycle, index = divmod(i, len(KOMMUNER))
        kommun = KOMMUNER[index]
        folder = slug(kommun.namn)
        data = agreement_data(kommun, seed, cycle)
        # Håbo and Habo share a file-name slug; a later start keeps their
        # files (and rendered documents) apart.
        while (folder, data["period"]["start"].year) in taken:
            cycle += 1
            data = agreement_data(kommun, seed, cycle)
        taken.add((folder, data["period"]["start"].year))
        path = out / folder / f"{data['period']['start'].year}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dump(kommun, seed, data), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate synthetic agreements for the benchmark.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="number of agreements (default 290)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate(args.out_dir, args.n, args.seed):
        print(path)


if __name__ == "__main__":
    main()
