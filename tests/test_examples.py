"""The bundled example agreements: all valid, and faithful to the source pages they come from."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from samverkan.cli.commands import cli
from samverkan.model.catalog import methods_for
from samverkan.model.loader import find_agreements, load
from samverkan.model.models import Agreement, Ansvar, Sida, Status, Year

ROOT = Path(__file__).resolve().parent.parent
AGREEMENTS = ROOT / "agreements"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/agreement.schema.json"

EXPECTED = [
    "askersund/2018.yaml",
    "askersund/2020.yaml",
    "hallstahammar/2022.yaml",
    "hallstahammar/2023.yaml",
    "hallstahammar/2024.yaml",
    "koping/2024.yaml",
    "kumla/2017.yaml",
    "mala/2024.yaml",
    "olofstrom/2021.yaml",
    "osthammar/2021.yaml",
    "oxelosund/2020.yaml",
    "oxelosund/2021.yaml",
    "oxelosund/2024.yaml",
    "strangnas/2017.yaml",
    "vingaker/2020.yaml",
    "vingaker/2022.yaml",
    "vingaker/2023.yaml",
]
# Real agreements kept aside for acceptance: never encoded here.
KEPT_ASIDE = ("kalmar", "solvesborg", "kungsor", "grastorp", "lulea", "laxa")
EXAMPLES = sorted(AGREEMENTS.rglob("*.yaml"))


def example(name: str) -> Agreement:
    return load(AGREEMENTS / name)


def texts(value: Any) -> list[str]:
    """Every string inside a dumped model, whitespace collapsed."""
    if isinstance(value, str):
        return [" ".join(value.split())]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


def all_text(agreement: Agreement) -> str:
    return "\n".join(texts(agreement.model_dump(mode="json")))


def test_the_bundled_examples_are_the_expected_ones() -> None:
    assert [p.relative_to(AGREEMENTS).as_posix() for p in EXAMPLES] == EXPECTED
    assert sorted(find_agreements([AGREEMENTS])) == EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(AGREEMENTS).as_posix())
def test_every_example_validates(path: Path) -> None:
    agreement = load(path)
    assert agreement.parter.kommun.kommunkod is not None
    assert agreement.parter.polis.lokalpolisomrade.startswith("Lokalpolisområde ")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(AGREEMENTS).as_posix())
def test_every_example_starts_with_the_schema_line_and_names_its_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert (path.parent / "../../schemas/agreement.schema.json").resolve().is_file()
    header = text.split("\ndokument:")[0].split("\nstatus:")[0]
    assert "Källa" in header and ("http" in header or "seed 00" in header), path


def test_no_kommun_kept_aside_for_acceptance_is_used() -> None:
    for path in EXAMPLES:
        assert path.parent.name not in KEPT_ASIDE
        assert not any(k in all_text(load(path)).lower() for k in ("kalmar", "sölvesborg", "kungsör", "grästorp", "luleå", "laxå"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(AGREEMENTS).as_posix())
def test_file_name_is_the_year_the_version_starts(path: Path) -> None:
    agreement = load(path)
    years = {agreement.period.start.year} | {ml.period.start.year for ml in agreement.medborgarloften}
    assert int(path.stem) in years


def test_cli_validate_names_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["validate", "agreements/"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED)
    for name in EXPECTED:
        assert any(line.startswith(f"agreements/{name}: giltig") for line in lines), name
    assert "agreements/strangnas/2017.yaml: giltig (Strängnäs kommun, undertecknad)" in lines
    assert f"Alla {len(EXPECTED)} filer är giltiga." in result.stderr


def test_no_example_keeps_a_footnote_number_in_its_text() -> None:
    for path in EXAMPLES:
        assert not re.search(r"\[\d+\]", all_text(load(path))), path


def test_the_examples_cover_what_real_agreements_have() -> None:
    loaded = {name: example(name) for name in EXPECTED}
    alone = [a for a in loaded.values() if a.is_promise]
    assert len(alone) >= 10
    # a medborgarlöfte signed on its own, with its own place and date
    assert any(a.undertecknande and a.undertecknande.ort and a.undertecknande.datum for a in alone)
    # three or more signatories; police named first
    assert any(len(a.undertecknare) >= 3 for a in alone)
    assert any(a.undertecknare and a.undertecknare[0].part is Sida.POLIS for a in alone)
    # a period known only to the year; signed but place and date not published
    assert any(isinstance(a.period.start, Year) for a in alone)
    assert any(a.undertecknande and a.undertecknande.ort_och_datum_ej_publicerade for a in alone)
    # numbered focus areas, and focus areas with their own description and activities
    areas = [o for a in alone for o in a.medborgarlofte.fokusomraden]  # type: ignore[union-attr]
    assert any(o.nummer for o in areas) and any(o.beskrivning and o.grupper for o in areas)
    # three yearly löften from one kommun
    assert {n for n in EXPECTED if n.startswith("hallstahammar/")} == {f"hallstahammar/{y}.yaml" for y in (2022, 2023, 2024)}


# -- Oxelösund ---------------------------------------------------------------


def test_oxelosund_2020_is_a_medborgarlofte_with_its_own_headings() -> None:
    a = example("oxelosund/2020.yaml")
    assert a.is_promise and a.status is Status.FASTSTALLD
    assert a.undertecknare == [] and a.datum is None
    assert (a.period.start, a.period.slut) == (date(2020, 1, 1), date(2020, 12, 31))
    ml = a.medborgarlofte
    assert ml is not None and ml.lagesbild is not None and ml.lagesbild.utan_rubrik
    assert "28 % av befolkningen i Oxelösunds kommun oroar sig" in (ml.lagesbild.text or "")
    assert a.kallor == []  # the 2020 text has no footnote
    assert ml.folj_arbetet is not None and ml.folj_arbetet.rubrik == "Följ med i hur det går!"


def test_oxelosund_2021_cites_the_safety_survey_at_the_claim() -> None:
    a = example("oxelosund/2021.yaml")
    [source] = a.kallor
    assert (source.titel, source.utgivare, source.ar) == ("Polisens trygghetsmätning 2019", "Origo Group", 2020)
    ml = a.medborgarlofte
    assert ml is not None and ml.lagesbild is not None and ml.lagesbild.rubrik == "Situationen idag"
    assert "senaste lokala trygghetsmätning[^trygghetsmatning-2019] uppger" in (ml.lagesbild.text or "")
    assert ml.lagesbild.kallor == []
    assert [m.id for m in a.egna_metoder] == ["est"] and ml.metoder == ["est"]


def test_oxelosund_2024_is_the_two_part_agreement() -> None:
    a = example("oxelosund/2024.yaml")
    assert not a.is_promise and a.status is Status.UNDERTECKNAD
    assert a.undertecknande is not None and a.undertecknande.ort_och_datum_ej_publicerade
    assert [(s.namn, s.part) for s in a.undertecknare] == [("Dag Bergentoft", Sida.KOMMUN), ("Ludvig Hellman", Sida.POLIS)]
    assert a.del1 is not None and a.del2 is not None and a.del2.inledning is not None
    assert a.del2.inledning.punkter[0] == "Stöld- och tillgreppsbrott, genom att arbeta med metoderna Grannsamverkan och EST"
    roles = {(r.titel, r.namn, r.part) for r in a.del1.roller}
    assert roles == {("Trygghetssamordnare", "Stina Jansson", Ansvar.KOMMUNEN), ("Kommunpolis", "Mattias Hedström", Ansvar.POLISEN)}
    methods = methods_for(a)
    assert methods["batsamverkan"].punkter[-1] == "bryr sig om sin båtgranne"
    assert methods["est"].avslutning is not None and methods["est"].avslutning.startswith("Målet med metoden")
    assert "Målet är att ungdomar i Oxelösund" in methods["sspf"].beskrivning
    [promise] = a.medborgarloften
    assert promise.titel == "Medborgarlöfte 2024" and promise.period.slut == date(2025, 12, 31)
    assert promise.lagesbild is not None and promise.lagesbild.rubrik == "Lägesbild idag"


# -- the other bundled examples -------------------------------------------------


def test_strangnas_2017_is_the_signed_medborgarlofte_under_the_2016_2018_agreement() -> None:
    a = example("strangnas/2017.yaml")
    assert a.is_promise and a.status is Status.UNDERTECKNAD
    assert (a.period.start.year, a.period.slut.year) == (2017, 2017)  # type: ignore[union-attr]
    assert a.overenskommelse is not None and a.overenskommelse.period is not None
    assert (a.overenskommelse.period.start.year, a.overenskommelse.period.slut.year) == (2016, 2018)  # type: ignore[union-attr]
    assert a.undertecknande is not None and (a.undertecknande.ort, a.undertecknande.datum) == ("Strängnäs", date(2017, 2, 1))
    ml = a.medborgarlofte
    assert ml is not None and ml.lagesbild is not None and ml.lagesbild.rubrik == "Aktuell lägesbild"
    assert [o.titel for o in ml.fokusomraden][-1] == "Trygghet i offentlig miljö"
    assert ml.genomforande is not None and ml.genomforande.rubrik == "Gemensamma aktiviteter under året"
    assert ml.ordning[-1] == "mal"


def test_osthammar_and_olofstrom_keep_their_headings_and_lead_ins() -> None:
    o = example("osthammar/2021.yaml").medborgarlofte
    assert o is not None and [g.rubrik for g in o.grupper] == ["Detta genom att:"]
    assert [s.rubrik for s in o.avsnitt] == ["Syfte", "Östhammars kommuns medborgarlöfte 2021"]  # the source's heading over the promise
    assert o.lagesbild is not None and o.lagesbild.rubrik == "Avslutad enkät är grund till medborglöftet 2021"
    f = example("olofstrom/2021.yaml").medborgarlofte
    assert f is not None and [g.rubrik for g in f.grupper] == ["Kommunen ska", "Polisen ska"]
    assert f.genomforande is not None and (f.genomforande.text or "").endswith("kommit överens om är:")


def test_kumla_2017_three_signatories_police_first() -> None:
    a = example("kumla/2017.yaml")
    assert a.undertecknande is not None and (a.undertecknande.ort, a.undertecknande.datum) == ("Kumla", date(2017, 7, 3))
    assert [s.namn for s in a.undertecknare] == ["Katarina Hansson", "Mats Scherp", "Ulla Lundholm"]
    ml = a.medborgarlofte
    assert ml is not None and ml.aktiviteter[0].ansvar is Ansvar.POLISEN
    assert ml.aktiviteter[0].text.startswith("Polisen lovar")
