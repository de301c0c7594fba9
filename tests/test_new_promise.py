"""`samverkan new --bara-medborgarlofte`: a multi-year agreement's yearly medborgarlöfte renewed on its own.

The normal pattern in a kommun folder: one samverkansöverenskommelse for
several years holding the first yearly löfte, and then one
``<år>-medborgarlofte.yaml`` per year beside it. The renewal takes only what
the löfte uses, names the agreement it belongs to, leaves the agreement's file
as it is, renders beside it without collisions, and is refused once the
agreement's period is over.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from samverkan.cli.commands import cli
from samverkan.documents.render import render_files
from samverkan.model.loader import load
from test_faithful import docx_paragraphs

AGREEMENT = """\
status: undertecknad
parter:
  kommun: {namn: Exempelby kommun, kommunkod: "0481", diarienummer: KS 2021/12}
  polis: {lokalpolisomrade: Lokalpolisområde Exempel, diarienummer: A 1/2021}
period: {start: 2022, slut: 2026}
loftesverb: lovar att
del1:
  syfte: "Att öka tryggheten.[^enkat-2021]"
del2:
  prioriterade_omraden:
    - titel: Trygga centrum
      metoder: [est]
medborgarloften:
  - id: ml-2022-trafik
    titel: Medborgarlöfte 2022 – trafik
    period: {start: 2022, slut: 2022}
    lagesbild: "Fler olyckor vid skolorna.[^trafikrapport-2021]"
    grupper:
      - ansvar: polisen
        aktiviteter: [{text: göra trafikkontroller vid skolorna, senast: 2022-06-30}]
  - id: ml-2022-unga
    titel: Medborgarlöfte 2022 – unga
    period: {start: 2022, slut: 2022}
    lagesbild_fran: ml-2022-trafik
    metoder: [grannsamverkan]
    grupper:
      - ansvar: kommunen
        aktiviteter: [{text: hålla fritidsgården öppen på fredagar, senast: 2022-12-31}]
kallor:
  - {id: enkat-2021, titel: Trygghetsenkät 2021}
  - {id: trafikrapport-2021, titel: Trafikrapport 2021}
egna_metoder:
  - {id: grannsamverkan, namn: Grannsamverkan i Exempelby, beskrivning: Grannar ser efter varandras hus.}
  - {id: est, namn: EST i Exempelby, beskrivning: Kommun och polis går igenom läget varje vecka.}
undertecknare:
  - {namn: Anna Andersson, titel: Kommunstyrelsens ordförande, part: kommunen}
  - {namn: Bo Berg, titel: Lokalpolisområdeschef, part: polisen}
undertecknande: {ort: Exempelby, datum: 2022-01-20}
"""


def _new(*args: str) -> object:
    return CliRunner().invoke(cli, ["new", *args])


def _folder(tmp_path: Path) -> tuple[Path, Path, bytes]:
    folder = tmp_path / "agreements" / "exempelby"
    folder.mkdir(parents=True)
    agreement = folder / "2022.yaml"
    agreement.write_text(AGREEMENT, encoding="utf-8")
    return folder, agreement, agreement.read_bytes()


def test_the_last_loefte_becomes_a_document_of_its_own_with_only_what_it_uses(tmp_path: Path) -> None:
    folder, agreement, before = _folder(tmp_path)
    result = _new("--from", str(agreement), "--year", "2023", "--bara-medborgarlofte")
    assert result.exit_code == 0, result.output
    target = folder / "2023-medborgarlofte.yaml"
    assert result.stdout.strip() == str(target)
    assert agreement.read_bytes() == before  # the multi-year agreement stays as it is

    promise, old = load(target), load(agreement)
    assert promise.is_promise and promise.status.value == "utkast" and promise.datum is None
    assert promise.titel == "Medborgarlöfte 2023 – unga"
    assert (promise.period.start.year, promise.period.slut.year) == (2023, 2023)  # type: ignore[union-attr]
    assert "start: 2023" in target.read_text(encoding="utf-8")  # a year stays a year
    assert promise.ersatter == "Medborgarlöfte 2022 – unga"
    assert promise.overenskommelse is not None
    assert promise.overenskommelse.period == old.period and promise.overenskommelse.diarienummer == "KS 2021/12"
    assert promise.parter.kommun.diarienummer is None and promise.parter.polis.diarienummer is None
    content = promise.medborgarlofte
    assert content is not None
    assert content.lagesbild == old.medborgarloften[0].lagesbild  # the shared lägesbild, written in
    assert content.lagesbild_fran is None
    assert content.loftesverb == "lovar att"  # the verb it had from the agreement
    assert content.grupper[0].aktiviteter[0].senast.isoformat() == "2023-12-31"
    assert [k.id for k in promise.kallor] == ["trafikrapport-2021"]  # cited by the löfte; the enkät is not
    assert [m.id for m in promise.egna_metoder] == ["grannsamverkan"]  # EST belongs to del 2
    assert [(s.namn, s.ort, s.datum) for s in promise.undertecknare] == [
        ("Anna Andersson", None, None),
        ("Bo Berg", None, None),
    ]
    assert promise.undertecknande is None


def test_a_series_of_yearly_loeften_renders_beside_the_agreement_in_one_call(tmp_path: Path) -> None:
    folder, agreement, _ = _folder(tmp_path)
    first = _new("--from", str(agreement), "--year", "2023", "--bara-medborgarlofte", "--id", "ml-2022-trafik")
    assert first.exit_code == 0, first.output
    # next year from the löfte's own file, with or without the flag
    second = _new("--from", str(folder / "2023-medborgarlofte.yaml"), "--year", "2024")
    third = _new("--from", str(folder / "2024-medborgarlofte.yaml"), "--year", "2025", "--bara-medborgarlofte")
    assert second.exit_code == 0 and third.exit_code == 0, second.output + third.output
    assert load(folder / "2025-medborgarlofte.yaml").titel == "Medborgarlöfte 2025 – trafik"
    assert load(folder / "2025-medborgarlofte.yaml").ersatter == "Medborgarlöfte 2024 – trafik"

    written = render_files([tmp_path / "agreements"], tmp_path / "out", formats=("docx",))
    assert sorted(p.name for p in written) == [
        "exempelby-medborgarlofte-2022-ml-2022-trafik.docx",
        "exempelby-medborgarlofte-2022-ml-2022-unga.docx",
        "exempelby-medborgarlofte-2023.docx",
        "exempelby-medborgarlofte-2024.docx",
        "exempelby-medborgarlofte-2025.docx",
        "exempelby-samverkansoverenskommelse-2022-2026.docx",
    ]
    printed = [t for _, t in docx_paragraphs((tmp_path / "out/exempelby/exempelby-medborgarlofte-2024.docx").read_bytes())]
    assert "Ingår i: Samverkansöverenskommelse 2022–2026, KS 2021/12" in printed
    assert "Ersätter: Medborgarlöfte 2023 – trafik" in printed
    assert "Fler olyckor vid skolorna." in printed
    assert "Trafikrapport 2021." in printed  # the footnote of the source it cites
    assert not any("Trygghetsenkät" in t or "EST i Exempelby" in t or "veckan" in t for t in printed)
    assert not any("Överenskommelsen" in t for t in printed)  # no sentence about an agreement's own text


def test_a_loefte_past_the_agreement_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    folder, agreement, _ = _folder(tmp_path)
    past = _new("--from", str(agreement), "--year", "2027", "--bara-medborgarlofte")
    assert past.exit_code == 1
    assert "utanför överenskommelsens period (2022–2026)" in past.output and "Traceback" not in past.output
    assert not (folder / "2027-medborgarlofte.yaml").exists()

    assert _new("--from", str(agreement), "--year", "2026", "--bara-medborgarlofte").exit_code == 0
    beyond = _new("--from", str(folder / "2026-medborgarlofte.yaml"), "--year", "2027")
    assert beyond.exit_code == 1 and "förnya överenskommelsen i stället" in beyond.output
    assert sorted(p.name for p in folder.iterdir()) == ["2022.yaml", "2026-medborgarlofte.yaml"]

    unknown = _new("--from", str(agreement), "--year", "2023", "--bara-medborgarlofte", "--id", "ml-2030")
    assert unknown.exit_code == 1 and "ml-2022-trafik, ml-2022-unga" in unknown.output
    stray = _new("--from", str(agreement), "--year", "2023", "--id", "ml-2022-trafik")
    assert stray.exit_code == 2 and "--bara-medborgarlofte" in stray.output  # a usage error, as Click gives



def test_diff_compares_next_years_loefte_with_the_loefte_it_follows(tmp_path: Path) -> None:
    """Not with the whole agreement: the lawyers see what changed in the löfte."""
    from samverkan.compare.review import load_both

    folder, agreement, _ = _folder(tmp_path)
    assert _new("--from", str(agreement), "--year", "2023", "--bara-medborgarlofte", "--id", "ml-2022-trafik").exit_code == 0
    target = folder / "2023-medborgarlofte.yaml"
    assert "senast: 2023-06-30\n" in target.read_text(encoding="utf-8")  # a date as an author writes it
    old, new = load_both(agreement, target)
    assert old.is_promise and old.titel == "Medborgarlöfte 2022 – trafik"  # the one it follows, not the last
    assert (old.period.start.year, new.period.start.year) == (2022, 2023)
    assert [k.id for k in old.kallor] == ["trafikrapport-2021"] and old.del2 is None and not old.egna_metoder

    result = _new_diff(agreement, target, tmp_path / "ut")
    assert result.exit_code == 0, result.output
    summary = result.stdout
    assert "prioriterat område" not in summary and "Trygga centrum" not in summary  # the agreement's del 2 is not in it
    assert "Period: 2022 → 2023" in summary and "1 sista datum för en aktivitet ligger ett år senare" in summary


def _new_diff(old: Path, new: Path, out: Path) -> object:
    return CliRunner().invoke(cli, ["diff", str(old), str(new), "-o", str(out), "--no-pdf"])


def test_an_agreement_whose_period_is_not_published_gives_no_period_to_its_loefte(tmp_path: Path) -> None:
    """Oxelösund 2024: the source gives only the löfte's years, so the löfte names the agreement by its parties."""
    folder = tmp_path / "oxelosund"
    folder.mkdir()
    source = folder / "2024.yaml"
    source.write_text((Path(__file__).parent.parent / "agreements" / "oxelosund" / "2024.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    result = _new("--from", str(source), "--year", "2026", "--bara-medborgarlofte")
    assert result.exit_code == 0, result.output
    promise = load(folder / "2026-medborgarlofte.yaml")
    assert promise.overenskommelse is not None and promise.overenskommelse.period is None
    assert promise.overenskommelse.titel == "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen"
    assert [m.id for m in promise.egna_metoder] == ["grannsamverkan", "batsamverkan"]  # not EST and SSPF of del 2
    assert (promise.period.start.year, promise.period.slut.year) == (2026, 2027)  # type: ignore[union-attr]
