"""`samverkan import`: a draft agreement file from a kommun's own published medborgarlöfte.

The documents are real published medborgarlöften (tests/imported/, each
source named there), as .docx, tagged PDF and untagged PDF. The tests show
what the import recovers from each – parties, period, focus areas,
promises grouped by party, signatories – that nothing of the source text is
lost, and that the draft validates once its placeholders are filled in.
"""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from samverkan.cli import cli
from samverkan.documents.reading import read_document
from samverkan.drafting.draftwrite import draft_text
from samverkan.drafting.importing import build_draft
from samverkan.model.loader import load
from test_reading import expected

HERE = Path(__file__).resolve().parent / "imported"
FORMS = {"docx": "{}.docx", "pdf": "{}.pdf", "otaggad": "{}-otaggad.pdf"}
KOMMUN = {"kumla-2017-2019": "Kumla", "hallstahammar-odaterat": "Hallstahammar", "hallstahammar-2024": "Hallstahammar",
          "mala-2020-2022": "Malå", "vingaker-2022": "Vingåker", "vingaker-2023": "Vingåker"}


def imported(name: str, form: str) -> str:
    document = read_document(HERE / "documents" / FORMS[form].format(name))
    draft = build_draft(list(document.blocks), KOMMUN[name], document.title, document.path.name, document.furniture)
    return draft_text(draft)


def data_of(text: str) -> Any:
    return YAML(typ="safe").load(text)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def squash(text: str) -> str:
    return " ".join(text.split())


# What each source says, as the import must recover it.
RECOVERED: dict[str, dict[str, Any]] = {
    "kumla-2017-2019": {
        "period": {"start": "2017-07-01", "slut": "2019-06-30"},
        "lokalpolisomrade": "Lokalpolisområde Hallsberg",
        "areas": [],
        "groups": [],
        "promises": ["polisen", "polisen", "tillsammans", "tillsammans", "tillsammans",
                     "kommunen", "kommunen", "kommunen", "kommunen"],
        "signers": [("Katarina Hansson", "kommunen"), ("Mats Scherp", "polisen"), ("Ulla Lundholm", "kommunen")],
        "signing": {"ort": "Kumla", "datum": "2017-07-03"},
    },
    "hallstahammar-odaterat": {
        "period": None,  # the page gives none: placeholders
        "lokalpolisomrade": None,
        "areas": [("Trygghet i Hallstahammars centrum", [("polisen", "åtar sig att", 2), ("kommunen", "åtar sig att", 2)]),
                  ("Skadegörelse/klotter", [("polisen", "åtar sig att", 4), ("kommunen", "åtar sig att", 3)])],
        "groups": [],
        "promises": [],
        "signers": [],
        "signing": None,
    },
    "hallstahammar-2024": {
        "period": {"start": 2024, "slut": 2024},
        "lokalpolisomrade": None,
        "areas": [("Genomföra och utveckla medborgardialoger", []), ("Öka medborgarnas känsla av trygghet", []),
                  ("Ungdomar (identifiera barn och unga i riskzonen, förhindra kriminalitet och droger)", []),
                  ("Utveckla arbetet med och strukturen kring en gemensam lägesbild och utifrån den genomföra "
                   "förebyggande insatser och åtgärder vid identifierade problembilder.", [])],
        "numbers": [1, 2, 3, 4],
        "groups": [],
        "promises": [],
        "signers": [],
        "signing": None,
        "sections": {"lagesbild": "GEMENSAM LÄGESBILD", "fokusomraden_text": "FOKUSOMRÅDEN"},
    },
    "mala-2020-2022": {
        "period": {"start": 2020, "slut": 2022},
        "lokalpolisomrade": "Lokalpolisområde Skellefteå",
        "areas": [],
        "groups": [("tillsammans", "ska", 2), ("tillsammans", "ska", 3)],
        "promises": [],
        "signers": [],
        "signing": None,
        "sections": {"folj_arbetet": "Kommunikation"},
    },
    "vingaker-2022": {
        "period": {"start": 2022, "slut": 2022},
        "lokalpolisomrade": "Lokalpolisområde Katrineholm",
        "areas": [],
        "groups": [("polisen", "lovar att", 5), ("kommunen", "lovar att", 4), ("tillsammans", "lovar att", 2)],
        "promises": [],
        "signers": [],
        "signing": None,
    },
    "vingaker-2023": {
        "period": {"start": 2023, "slut": 2023},
        "lokalpolisomrade": "Lokalpolisområde Katrineholm",
        "areas": [],
        "groups": [("polisen", "lovar att", 4), ("kommunen", "lovar att", 4), ("tillsammans", "lovar att", 2)],
        "promises": [],
        "signers": [],
        "signing": None,
    },
}


def _groups(groups: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [(g["ansvar"], g["verb"], len(g["aktiviteter"])) for g in groups]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", RECOVERED)
def test_what_the_import_recovers(name: str, form: str) -> None:
    want = RECOVERED[name]
    data = data_of(imported(name, form))
    assert data["dokument"] == "medborgarlöfte"
    assert data["status"] == "utkast"
    kommun = KOMMUN[name]
    assert data["parter"]["kommun"]["kortnamn"] == kommun
    period = {k: str(v) if not isinstance(v, int) else v for k, v in data["period"].items()}
    if want["period"] is None:
        assert all(v.startswith("<FYLL I:") for v in period.values())
    else:
        assert period == want["period"]
    police = data["parter"]["polis"]["lokalpolisomrade"]
    assert police == want["lokalpolisomrade"] if want["lokalpolisomrade"] else police.startswith("<FYLL I:")
    lofte = data["medborgarlofte"]
    areas = lofte.get("fokusomraden", [])
    assert [(a["titel"], _groups(a.get("grupper", []))) for a in areas] == want["areas"]
    if "numbers" in want:
        assert [a["nummer"] for a in areas] == want["numbers"]
    assert _groups(lofte.get("grupper", [])) == want["groups"]
    assert [a.get("ansvar") for a in lofte.get("aktiviteter", [])] == want["promises"]
    assert [(s["namn"], s["part"]) for s in data.get("undertecknare", [])] == want["signers"]
    signing = data.get("undertecknande")
    assert ({k: str(v) for k, v in signing.items()} if signing else None) == want["signing"]
    for key, heading in want.get("sections", {}).items():
        assert lofte[key]["rubrik"] == heading


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", RECOVERED)
def test_every_paragraph_of_the_source_is_in_the_draft(name: str, form: str) -> None:
    text = imported(name, form)
    values = squash(" | ".join(strings(data_of(text))))
    comments = comment_text(text)
    missing = [p for _, _, _, p in expected(HERE / "sources" / f"{name}.txt", tagged=True)
               if squash(p) not in values and squash(p) not in comments]
    assert not missing


def comment_text(text: str) -> str:
    return squash(" ".join(line.strip()[1:] for line in text.splitlines() if line.strip().startswith("#")))


def test_guesses_are_marked_with_the_source_text() -> None:
    text = imported("kumla-2017-2019", "otaggad")
    comments = comment_text(text)
    assert "kontrollera: datumen lästa ur ”Medborgarlöften som ska gälla under tiden den 1 juli 2017 till den 30 juni 2019”" in comments
    assert "kontrollera: läst ur ”Kumla den 3 juli 2017”" in comments
    assert "kontrollera: part gissad av titeln ”Lokalpolisområdeschef Hallsberg”" in comments
    assert "#   Sida 1 av 1" in text  # the footer left out is named
    grouped = comment_text(imported("vingaker-2022", "pdf"))
    assert "kontrollera: ansvar och verb lästa ur ingressen ”Polisen lovar i medborgarlöftet för 2022 att:”" in grouped


def test_text_without_a_place_is_kept_as_a_commented_block() -> None:
    blocks = read_document(HERE / "documents" / "hallstahammar-2024.docx").blocks
    draft = build_draft([*blocks], "Hallstahammar", source="x.docx")
    draft.leftovers.append("Detta stycke hade ingen plats.\nOch en rad till.")
    text = draft_text(draft)
    tail = text[text.index("# --- Text ur källan som inte kunde placeras (ordagrant) ---"):]
    assert "# Detta stycke hade ingen plats.\n# Och en rad till." in tail
    assert data_of(text)["titel"] == "Medborgarlöfte 2024"


def test_cli_writes_the_draft_and_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "agreements" / "vingaker" / "2022.yaml"
    source = HERE / "documents" / "vingaker-2022.pdf"
    result = runner.invoke(cli, ["import", str(source), "--kommun", "Vingåker", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(target)
    assert f"samverkan validate {target}" in result.stderr
    again = runner.invoke(cli, ["import", str(source), "--kommun", "Vingåker", "-o", str(target)])
    assert again.exit_code == 1
    assert f"{target}: filen finns redan" in again.stderr
    assert runner.invoke(cli, ["import", str(source), "--kommun", "Vingåker", "-o", str(target), "--force"]).exit_code == 0
    dry = runner.invoke(cli, ["import", str(source), "--kommun", "Vingåker", "-o", str(tmp_path / "ny.yaml"), "-n"])
    assert dry.exit_code == 0 and "dokument: medborgarlöfte" in dry.stdout
    assert not (tmp_path / "ny.yaml").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["saknas.pdf", "--kommun", "X"], "saknas.pdf: filen finns inte"),
        (["avtal.odt", "--kommun", "X"], "spara dokumentet som Word-dokument (.docx)"),
    ],
)
def test_cli_bad_input_is_named_in_swedish(tmp_path: Path, args: list[str], message: str) -> None:
    if args[0].endswith(".odt"):
        (tmp_path / args[0]).write_bytes(b"PK")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / args[0]), *args[1:], "-o", str(tmp_path / "u.yaml")])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "u.yaml").exists()


def test_either_the_kommun_or_the_file_to_write_into() -> None:
    for args in (["import", "x.pdf"], ["import", "x.docx", "--kommun", "Kumla", "--into", "a.yaml"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2
        assert "ange antingen --into FIL (ett redigerat dokument från render) eller --kommun NAMN" in result.stderr


# -- validation once the placeholders are filled ------------------------------------------------

FILLED = {
    "lokalpolisområdet": "Lokalpolisområde Västra Mälardalen",
    "första dag": "2019-01-01",
    "sista dag": "2019-12-31",
    "kommunen, polisen, tillsammans eller var för sig": "tillsammans",
}


def fill_placeholders(text: str) -> str:
    def value(found: re.Match[str]) -> str:
        hint = found.group(1)
        return next(v for k, v in FILLED.items() if hint.startswith(k))

    return re.sub(r"'<FYLL I: ([^>]*)>'", value, text)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", RECOVERED)
def test_the_draft_validates_once_its_placeholders_are_filled(tmp_path: Path, name: str, form: str) -> None:
    path = tmp_path / "utkast.yaml"
    path.write_text(fill_placeholders(imported(name, form)), encoding="utf-8")
    agreement = load(path)
    assert agreement.parter.kommun.ort == KOMMUN[name]


# -- the parts of a samverkansöverenskommelse, and links --------------------------------------
# No full two-part agreement was found among the public texts, so these outlines
# only show where each kind of heading goes; the sentences are placeholders.


@dataclass
class B:
    kind: str
    text: str
    level: int = 0
    label: str = ""
    bold: bool = False
    links: tuple[tuple[str, str], ...] = ()
    table: int | None = None
    row: int | None = None
    col: int | None = None


def cells(rows: list[list[str]]) -> list[B]:
    return [B("cell", text, table=0, row=r, col=c) for r, row in enumerate(rows) for c, text in enumerate(row)]


def test_an_agreement_outline_goes_to_del1_del2_and_its_medborgarlofte() -> None:
    blocks = [
        B("title", "Samverkansöverenskommelse mellan Exempels kommun och Polisen 2024–2027"),
        B("heading", "Del 1 – hur vi samverkar", 1), B("heading", "Syfte", 2), B("paragraph", "Syftestext."),
        B("heading", "Delmål", 2), B("item", "Första delmålet", label="•"), B("item", "Andra delmålet", label="•"),
        B("heading", "Organisation", 2), B("paragraph", "Styrgruppen träffas fyra gånger per år."),
        B("heading", "Del 2 – prioriterade områden", 1), B("heading", "Trygga ungdomar", 2),
        B("paragraph", "Polisen ska:"), B("item", "genomföra kontroller", label="•"),
        B("heading", "Medborgarlöfte 2024", 1), B("heading", "Lägesbild", 2), B("paragraph", "Lägesbildstext."),
        B("paragraph", "Kommunen lovar att:"), B("item", "se över belysningen", label="•"),
    ]
    draft = build_draft(blocks, "Exempel")  # type: ignore[arg-type]
    data = data_of(draft_text(draft))
    assert data["dokument"] == "samverkansöverenskommelse"
    assert data["period"] == {"start": 2024, "slut": 2027}
    assert data["del1"]["syfte"] == {"rubrik": "Syfte", "text": "Syftestext."}
    assert data["del1"]["delmal"] == ["Första delmålet", "Andra delmålet"]
    area = data["del2"]["prioriterade_omraden"][0]
    assert area["titel"] == "Trygga ungdomar" and _groups(area["grupper"]) == [("polisen", "ska", 1)]
    promise = data["medborgarloften"][0]
    assert (promise["id"], promise["period"]) == ("ml-2024", {"start": 2024, "slut": 2024})
    assert promise["lagesbild"]["text"] == "Lägesbildstext."
    assert _groups(promise["grupper"]) == [("kommunen", "lovar att", 1)]
    assert draft.leftovers == ["Organisation", "Styrgruppen träffas fyra gånger per år."]


def test_a_paragraph_that_is_a_link_becomes_a_link() -> None:
    blocks = [B("title", "Medborgarlöfte 2024"), B("heading", "Följ med i hur det går!", 1),
              B("paragraph", "Arbetet följs upp löpande."),
              B("paragraph", "Polisen i kommunen på Facebook", links=(("Polisen i kommunen på Facebook", "https://example.org/p"),))]
    data = data_of(draft_text(build_draft(blocks, "Exempel")))  # type: ignore[arg-type]
    assert data["medborgarlofte"]["lankar"] == [{"text": "Polisen i kommunen på Facebook", "url": "https://example.org/p"}]
    assert data["medborgarlofte"]["folj_arbetet"]["text"] == "Arbetet följs upp löpande."


def test_an_activity_table_gives_activities_with_their_party() -> None:
    blocks = [B("title", "Samverkansöverenskommelse mellan Exempels kommun och Polisen 2024–2027"),
              B("heading", "Del 2 – prioriterade områden", 1), B("heading", "Trygga ungdomar", 2),
              *cells([["Aktivitet", "Ansvarig", "Tid", "Kommentar"],
                      ["Trygghetsvandring i centrum", "Kommunen", "Varje höst", "Med föreningarna"],
                      ["Riktade trafikkontroller", "Polisen", "Tertialvis", ""],
                      ["Föräldramöte om ANDT", "Polisen och kommunen", "", ""]])]
    draft = build_draft(blocks, "Exempel")  # type: ignore[arg-type]
    area = data_of(draft_text(draft))["del2"]["prioriterade_omraden"][0]
    assert [(a["text"], a["ansvar"], a.get("frekvens")) for a in area["aktiviteter"]] == [
        ("Trygghetsvandring i centrum", "kommunen", "Varje höst"),
        ("Riktade trafikkontroller", "polisen", "Tertialvis"),
        ("Föräldramöte om ANDT", "tillsammans", None),
    ]
    assert "Med föreningarna" in draft.leftovers  # a column without a place is kept
    assert ("del2", "prioriterade_omraden", 0, "aktiviteter", 2, "ansvar") in draft.notes


def test_the_party_over_each_signature_is_read_from_the_signature_block() -> None:
    """Two common forms (the names are made up): party lines over signature lines, side by side, and
    one table cell per party with the form's "Underskrift"/"Namnförtydligande" boxes."""
    side_by_side = [B("title", "Medborgarlöfte 2024"), B("paragraph", "Polisen lovar att:"), B("item", "synas", label="•"),
                    B("paragraph", "Exempelby den 3 februari 2024"),
                    B("paragraph", "För Exempelby kommun\tFör Polismyndigheten"), B("paragraph", "________________\t________________"),
                    B("paragraph", "Anna Andersson\tBo Bengtsson"), B("paragraph", "Kommunstyrelsens ordförande\tChef för lokalpolisområde Exempelby"),
                    B("paragraph", "Versionskod 1")]
    boxes = [B("title", "Medborgarlöfte 2024"), B("paragraph", "Polisen lovar att:"), B("item", "synas", label="•"),
             B("cell", "Exempelby kommun\nUnderskrift\nAnna Andersson\nNamnförtydligande\nKommunchef", table=0, row=0, col=0),
             B("cell", "Polismyndigheten\nUnderskrift\nBo Bengtsson\nNamnförtydligande\nKommunpolis", table=0, row=0, col=1)]
    for blocks, titles in ((side_by_side, ("Kommunstyrelsens ordförande", "Chef för lokalpolisområde Exempelby")),
                           (boxes, ("Kommunchef", "Kommunpolis"))):
        text = draft_text(build_draft(blocks, "Exempelby"))  # type: ignore[arg-type]
        data = data_of(text)
        assert [(s["namn"], s["titel"], s["part"]) for s in data["undertecknare"]] == [
            ("Anna Andersson", titles[0], "kommunen"), ("Bo Bengtsson", titles[1], "polisen")]
        assert "part gissad" not in text  # the party was written over the signature, not guessed
    assert data_of(draft_text(build_draft(side_by_side, "Exempelby")))["undertecknande"] == {"ort": "Exempelby", "datum": date(2024, 2, 3)}  # type: ignore[arg-type]


def test_a_table_with_a_column_per_party_gives_a_group_per_party() -> None:
    blocks = [B("title", "Medborgarlöfte 2024"),
              *cells([["Polisen lovar att", "Kommunen lovar att", "Tillsammans lovar vi att"],
                      ["genomföra trafikkontroller", "se över belysningen", "genomföra trygghetsvandringar"],
                      ["synas i centrum", "", ""]])]
    data = data_of(draft_text(build_draft(blocks, "Exempel")))  # type: ignore[arg-type]
    assert _groups(data["medborgarlofte"]["grupper"]) == [("polisen", "lovar att", 2), ("kommunen", "lovar att", 1),
                                                          ("tillsammans", "lovar att", 1)]
