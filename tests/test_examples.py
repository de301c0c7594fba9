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
from samverkan.model.models import Agreement, Ansvar, Sida, Status

ROOT = Path(__file__).resolve().parent.parent
AGREEMENTS = ROOT / "agreements"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/agreement.schema.json"

EXPECTED = [
    "olofstrom/2021.yaml",
    "osthammar/2021.yaml",
    "oxelosund/2020.yaml",
    "oxelosund/2021.yaml",
    "oxelosund/2024.yaml",
    "strangnas/2017.yaml",
]
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
    assert agreement.parter.polis.polisregion.startswith("Polisregion ")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(AGREEMENTS).as_posix())
def test_every_example_starts_with_the_schema_line(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    assert (path.parent / "../../schemas/agreement.schema.json").resolve().is_file()


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


def test_no_example_keeps_a_footnote_marker_in_its_text() -> None:
    for path in EXAMPLES:
        assert not re.search(r"\[\d+\]", all_text(load(path))), path


# -- Oxelösund ---------------------------------------------------------------


def test_oxelosund_2020() -> None:
    a = example("oxelosund/2020.yaml")
    assert a.status is Status.UTKAST
    assert a.undertecknare == []
    assert a.parter.kommun.kommunkod == "0481"
    assert a.parter.polis.polisregion == "Polisregion Öst"
    [promise] = a.medborgarloften
    assert (promise.period.start, promise.period.slut) == (date(2020, 1, 1), date(2020, 12, 31))
    assert promise.metoder == ["est"]
    assert promise.lagesbild is not None and promise.lagesbild.text is not None
    assert "28 % av befolkningen i Oxelösunds kommun oroar sig" in promise.lagesbild.text
    assert "befolkningen i Oxelösund har" in promise.lagesbild.text  # double space from the page removed
    assert a.del2 is not None
    assert [o.titel for o in a.del2.prioriterade_omraden] == ["Trygghet och säkerhet i boendemiljö"]
    text = all_text(a)
    for sentence in (
        "Polisen och kommunen ska samverka genom att arbeta enligt modellen EST, Effektiv samordning för trygghet, "
        "och vidta både kort- och långsiktiga åtgärder utifrån en samlad och aktuell lägesbild.",
        "medverka till att öka tryggheten i boende- och utemiljön.",
        "Arbetet med medborgarlöftet går att följa på Polisens och kommunens Facebook.",
    ):
        assert sentence in text


def test_oxelosund_2021_cites_the_safety_survey_as_a_source() -> None:
    a = example("oxelosund/2021.yaml")
    [source] = a.kallor
    assert (source.titel, source.utgivare, source.ar) == ("Polisens trygghetsmätning 2019", "Origo Group", 2020)
    [promise] = a.medborgarloften
    assert promise.lagesbild is not None and promise.lagesbild.kallor == [source.id]
    assert "I polisens senaste lokala trygghetsmätning uppger" in (promise.lagesbild.text or "")
    assert promise.period.start == date(2021, 1, 1)
    assert "utveckla och arbeta med modellen EST" in (promise.genomforande.text or "")  # type: ignore[union-attr]
    assert [link.text for link in promise.lankar] == ["Uppföljning medborgarlöfte Oxelösunds kommun tertial 1_2021"]


def test_oxelosund_2024_is_the_two_part_agreement() -> None:
    a = example("oxelosund/2024.yaml")
    assert a.status is Status.UTKAST
    assert a.parter.polis.lokalpolisomrade == "Lokalpolisområde Nyköping"
    assert a.del1 is not None and a.del2 is not None
    assert a.del1.syfte is not None
    assert a.del1.syfte.text == (
        "Syftet är att minska sannolikheten för brott och minska skadeverkningar (inklusive rädsla) av brott."
    )
    assert "gemensam lägesbild och handlingsplan" in (a.del1.lagesbild.text or "")  # type: ignore[union-attr]
    roles = {(r.titel, r.namn, r.part) for r in a.del1.roller}
    assert roles == {
        ("Trygghetssamordnare", "Stina Jansson", Ansvar.KOMMUNEN),
        ("Kommunpolis", "Mattias Hedström", Ansvar.POLISEN),
    }

    areas = {o.id: o for o in a.del2.prioriterade_omraden}
    assert [o.titel for o in areas.values()] == ["Stöld- och tillgreppsbrott", "Trygga ungdomar"]
    assert areas["stold-och-tillgreppsbrott"].metoder == ["grannsamverkan", "batsamverkan", "est"]
    assert areas["trygga-ungdomar"].metoder == ["sspf", "est"]
    [training] = areas["stold-och-tillgreppsbrott"].aktiviteter
    assert training.ansvar is Ansvar.KOMMUNEN
    assert training.frekvens == "minst en gång per år"
    assert "kontaktombud" in training.text and "i samarbete med Polisen" in training.text

    # The agreement's own method texts replace the catalog's in this document.
    methods = methods_for(a)
    assert methods["batsamverkan"].punkter[-1] == "bryr sig om sin båtgranne"
    assert "grannsamverkan.nykoping@polisen.se" in methods["grannsamverkan"].beskrivning
    assert methods["est"].namn == "Effektiv samordning för ökad trygghet (EST)"

    [promise] = a.medborgarloften
    assert (promise.period.start, promise.period.slut) == (date(2024, 1, 1), date(2025, 12, 31))
    assert promise.metoder == ["grannsamverkan", "batsamverkan"]
    assert "minskning av inbrott med 36 % i grannsamverkansområden jämfört med 8 % i kontrollområden" in (
        promise.genomforande.text or ""  # type: ignore[union-attr]
    )
    assert "stölder ur/från fordon och cykelstölder" in (promise.lagesbild.text or "")  # type: ignore[union-attr]
    assert [link.text for link in promise.lankar] == [
        "PolisenOxelosund på Facebook",
        "Oxelösunds kommun på Facebook",
        "polisen.se",
        "oxelosund.se",
    ]

    signers = [(s.namn, s.titel, s.part, s.ort, s.datum) for s in a.undertecknare]
    assert signers == [
        ("Dag Bergentoft", "Kommunstyrelsens ordförande", Sida.KOMMUN, None, None),
        ("Ludvig Hellman", "tf lokalpolisområdeschef", Sida.POLIS, None, None),
    ]


# -- Östhammar ----------------------------------------------------------------


def test_osthammar_2021() -> None:
    a = example("osthammar/2021.yaml")
    assert a.status is Status.FASTSTALLD
    assert a.parter.kommun.namn == "Östhammars kommun"
    assert a.parter.kommun.ort == "Östhammar"
    assert (a.parter.kommun.kommunkod, a.parter.polis.polisregion) == ("0382", "Polisregion Mitt")
    assert a.del1 is not None and a.del1.syfte is not None
    assert len(a.del1.syfte.punkter) == 4
    assert a.del1.syfte.punkter[1] == "Öka samverkan mellan Polisen och kommunen."
    assert [f.namn for f in a.del1.organisation] == ["Trygg i Östhammar (Lokalt BRÅ)"]

    [promise] = a.medborgarloften
    assert "Ett ökat arbete kring den upplevda tryggheten i hemmet" in (promise.titel or "")
    assert promise.metoder == ["vaga-varna", "grannsamverkan", "batsamverkan", "medborgardialog"]
    assert [m.namn for m in a.egna_metoder] == ["Våga värna"]
    assert all(act.ansvar is Ansvar.TILLSAMMANS for act in promise.aktiviteter)
    assert "”Våga värna”" in promise.aktiviteter[0].text
    assert "hösten 2021" in (promise.uppfoljning.text or "")  # type: ignore[union-attr]
    assert "Trygg i Östhammar" in (promise.uppfoljning.text or "")  # type: ignore[union-attr]
    assert "7 oktober-2 november" in (promise.lagesbild.text or "")  # type: ignore[union-attr]


# -- Olofström ----------------------------------------------------------------


def test_olofstrom_2021() -> None:
    a = example("olofstrom/2021.yaml")
    assert a.status is Status.UTKAST
    assert (a.parter.kommun.kommunkod, a.parter.polis.polisregion) == ("1060", "Polisregion Syd")
    [promise] = a.medborgarloften
    assert (promise.period.start, promise.period.slut) == (date(2021, 1, 18), date(2021, 12, 31))
    by_party = {
        party: [act.text for act in promise.aktiviteter if act.ansvar is party]
        for party in (Ansvar.KOMMUNEN, Ansvar.POLISEN)
    }
    assert by_party[Ansvar.KOMMUNEN] == [
        "arbeta för vuxennärvaro i miljöer där barn och unga finns",
        "fortsätta arbeta för att erbjuda trygga och attraktiva miljöer och fritidsaktiviteter för barn och unga",
    ]
    assert by_party[Ansvar.POLISEN][1] == (
        "arbeta trafikrelaterat med utgångspunkt i dialog med invånare samt underrättelsebaserat"
    )
    assert promise.lagesbild is not None and promise.lagesbild.kallor == ["trygghetsmatning"]
    assert "Däremot har känslan av otrygghet ökat." in (promise.lagesbild.text or "")
    assert a.del1 is not None
    assert "Varje år genomförs en trygghetsmätning" in (a.del1.lagesbild.text or "")  # type: ignore[union-attr]


def test_olofstrom_explains_the_assumed_period_in_a_comment() -> None:
    head = (AGREEMENTS / "olofstrom/2021.yaml").read_text(encoding="utf-8").split("\nstatus:")[0]
    assert "2021-01-18" in head and "polisen.se" in head


# -- Strängnäs ----------------------------------------------------------------


def test_strangnas_2017_is_signed() -> None:
    a = example("strangnas/2017.yaml")
    assert a.status is Status.UNDERTECKNAD
    assert a.parter.kommun.ort == "Strängnäs"
    assert a.parter.polis.lokalpolisomrade == "Lokalpolisområde Eskilstuna"
    assert (a.period.start.year, a.period.slut.year if a.period.slut else None) == (2016, 2018)
    signers = [(s.namn, s.titel, s.part) for s in a.undertecknare]
    assert signers == [
        ("Jacob Högfeldt", "Kommunstyrelsens ordförande (M)", Sida.KOMMUN),
        ("Per Bäckström", "Kommunchef", Sida.KOMMUN),
        ("Christer Sjökvist", "Lokalpolisområdeschef", Sida.POLIS),
    ]
    assert {(s.ort, s.datum) for s in a.undertecknare} == {("Strängnäs", date(2017, 2, 1))}

    assert a.del1 is not None and a.del2 is not None
    assert "Sedan 2007" in (a.del1.bakgrund.text or "")  # type: ignore[union-attr]
    assert [o.titel for o in a.del2.prioriterade_omraden] == [
        "Förebygga brott bland unga",
        "Droger",
        "Trafik",
        "Våld i offentlig miljö",
        "Trygghet i offentlig miljö",
    ]
    [promise] = a.medborgarloften
    assert promise.period.start == date(2017, 1, 1)
    assert promise.lagesbild is not None and len(promise.lagesbild.punkter) == 3
    assert promise.lagesbild.punkter[0].startswith("I kommunen upplevs ett problem med buskörning")
    assert len(promise.aktiviteter) == 3
    assert all(act.ansvar is Ansvar.TILLSAMMANS for act in promise.aktiviteter)
    assert "”trafikvandringar”" in promise.aktiviteter[0].text
    assert "trygghetsvandring" in promise.metoder
