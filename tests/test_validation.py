"""Loading and validating agreement files: every bad input gets FILE:LINE:COL and a Swedish fix."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli.commands import cli
from samverkan.errors import InvalidAgreement
from samverkan.model.loader import MAX_BYTES, load, loads

# A small but complete agreement; line numbers in the table below refer to it.
BASE = """\
# yaml-language-server: $schema=../../schemas/agreement.schema.json
status: undertecknad
datum: 2024-03-12
parter:
  kommun:
    namn: Exempelby kommun
    kommunkod: "0481"
    diarienummer: KS 2023/388
  polis:
    lokalpolisomrade: Lokalpolisområde Nyköping
    polisregion: Polisregion Öst
period:
  start: 2024-01-01
  slut: 2025-12-31
del1:
  syfte: Att minska brottsligheten och öka tryggheten.
  delmal:
    - Fler grannsamverkansområden
del2:
  prioriterade_omraden:
    - id: stold
      titel: Stöld- och tillgreppsbrott
      metoder: [grannsamverkan, est]
      aktiviteter:
        - text: utbilda kontaktombud
          ansvar: tillsammans
          frekvens: minst en gång per år
medborgarloften:
  - id: ml-2024
    period:
      start: 2024-01-01
      slut: 2025-12-31
    lagesbild:
      text: Stölderna ökar igen.
      kallor: [tm-2019]
kallor:
  - id: tm-2019
    titel: Polisens trygghetsmätning 2019
    utgivare: Origo Group
    ar: 2020
undertecknare:
  - namn: Anna Andersson
    titel: Kommunstyrelsens ordförande
    part: kommun
    ort: Exempelby
    datum: 2024-03-12
  - namn: Bo Berg
    titel: Lokalpolisområdeschef
    part: polis
    ort: Exempelby
    datum: 2024-03-12
"""


def write(tmp_path: Path, text: str, name: str = "2024.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def replace(old: str, new: str, count: int = 1) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, count)


def test_base_is_valid() -> None:
    agreement = loads(BASE, "base.yaml")
    assert agreement.parter.kommun.ort == "Exempelby"
    assert agreement.del2 is not None
    assert agreement.del2.prioriterade_omraden[0].metoder == ["grannsamverkan", "est"]


# (id, yaml text, expected line, expected message fragment)
BAD_INPUTS = [
    ("unknown-key", replace("  syfte:", "  syfe:"), 16, 'okänt fält "syfe" – menade du "syfte"?'),
    ("unknown-top-key", replace("kallor:\n", "kalor:\n"), 36, 'okänt fält "kalor" – menade du "kallor"?'),
    ("misspelt-prioriteringar", replace("  prioriterade_omraden:", "  prioriterade_omrden:"), 20, 'menade du "prioriterade_omraden"'),
    ("impossible-date", replace("  slut: 2025-12-31\ndel1", "  slut: 2025-02-30\ndel1"), 14, 'ogiltigt datum "2025-02-30"'),
    ("date-format", replace("datum: 2024-03-12\nparter", "datum: 12 mars 2024\nparter"), 3, "ÅÅÅÅ-MM-DD"),
    ("missing-required", replace("    lokalpolisomrade: Lokalpolisområde Nyköping\n", ""), 9, 'obligatoriskt fält "lokalpolisomrade" saknas i `polis` i `parter` – lägg till raden `    lokalpolisomrade: …`'),
    ("missing-status", replace("status: undertecknad\n", ""), 1, 'obligatoriskt fält "status" saknas'),
    ("bad-status", replace("status: undertecknad", "status: signerad"), 2, "tillåtna värden: utkast, fastställd, undertecknad"),
    ("bad-ansvar", replace("ansvar: tillsammans", "ansvar: kommun"), 26, 'menade du "kommunen"?'),
    ("unknown-method", replace("[grannsamverkan, est]", "[grannsamverkn, est]"), 23, 'okänd metod "grannsamverkn" – menade du "grannsamverkan"?'),
    ("unknown-method-lists-known", replace("[grannsamverkan, est]", "[grannsamverkan, xyz]"), 23, "lägg till den under `egna_metoder`"),
    ("method-by-abbreviation", replace("[grannsamverkan, est]", "[grannsamverkan, EST]"), 23, 'okänd metod "EST" – menade du "est" (Effektiv samordning för trygghet)?'),
    ("method-by-name", replace("[grannsamverkan, est]", "[Trygghetsvandring, est]"), 23, 'menade du "trygghetsvandring"? Metoder anges med sitt id'),
    ("end-before-start", replace("  slut: 2025-12-31\ndel1", "  slut: 2023-12-31\ndel1"), 12, "ligger före dess start"),
    ("kommunkod-number", replace('kommunkod: "0481"', "kommunkod: 0481"), 7, "sätt värdet inom citattecken"),
    ("kommunkod-format", replace('kommunkod: "0481"', 'kommunkod: "481"'), 7, "fyra siffror"),
    ("bad-id", replace("    - id: stold", "    - id: Stöld"), 21, 'ogiltigt id "Stöld"'),
    ("duplicate-area-id", replace("        - text: utbilda kontaktombud\n          ansvar: tillsammans\n          frekvens: minst en gång per år\n",
                                  "        - text: utbilda kontaktombud\n          ansvar: tillsammans\n    - id: stold\n      titel: Igen\n"), 27, 'id "stold" används redan av område nr 1'),
    ("unknown-source", replace("kallor: [tm-2019]", "kallor: [tm-2018]"), 35, 'okänd källa "tm-2018" – menade du "tm-2019"?'),
    ("promise-outside-period", replace("      start: 2024-01-01\n      slut: 2025-12-31", "      start: 2023-01-01\n      slut: 2025-12-31"), 30, "utanför överenskommelsens period"),
    ("signed-without-date", replace("    ort: Exempelby\n    datum: 2024-03-12\n", "    ort: Exempelby\n"), 42, "saknar datum för underskriften"),
    ("signed-without-police", BASE.split("  - namn: Bo Berg")[0], 2, "minst en undertecknare för polisen"),
    ("empty-text", replace("  syfte: Att minska brottsligheten och öka tryggheten.", '  syfte: "   "'), 16, "texten är tom"),
    ("control-character", replace("Stölderna ökar igen.", '"Stölderna\\x07 ökar igen."'), 34, "otillåtet styrtecken (U+0007)"),
    ("list-expected", replace("  delmal:\n    - Fler grannsamverkansområden", "  delmal: Fler grannsamverkansområden"), 17, "ska vara en lista"),
    ("mapping-expected", replace("  kommun:\n    namn: Exempelby kommun\n    kommunkod: \"0481\"\n    diarienummer: KS 2023/388\n", "  kommun: Exempelby kommun\n"), 5, "ska ha sina fält på egna rader under sig"),
    ("year-out-of-range", replace("    ar: 2020", "    ar: 20200"), 40, "orimligt"),
    ("yaml-syntax-colon", replace("    titel: Polisens trygghetsmätning 2019", "    titel: Polisens: trygghetsmätning: 2019"), 38, 'sätt texten inom citattecken: `titel: "Polisens: trygghetsmätning: 2019"`'),
    ("tab-indent", replace("    utgivare: Origo Group", "\tutgivare: Origo Group"), 39, "tabbtecken"),
    ("duplicate-key", replace("  syfte: Att minska", "  delmal: []\n  syfte: Att minska"), 18, 'fältet "delmal" står redan på rad 16 på samma nivå och får bara finnas en gång – ta bort den ena'),
    ("unclosed-bracket", replace("[grannsamverkan, est]", "[grannsamverkan, est"), 23, "lägg till ] sist"),
    ("undefined-alias", replace("  syfte: Att minska brottsligheten och öka tryggheten.", "  syfte: *saknas"), 16, "ankare"),
    ("list-not-mapping", "- status: utkast\n- period: {}\n", 1, "filen innehåller en lista"),
    ("scalar-file", "bara text\n", 1, "filen innehåller ett enskilt värde"),
    ("empty-file", "", 1, "filen är tom"),
    ("only-comments", "# bara en kommentar\n", 1, "filen är tom"),
    ("empty-section", replace("  syfte: Att minska brottsligheten och öka tryggheten.", "  syfte: {}"), 16, "avsnittet är tomt"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_located_and_explained(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InvalidAgreement) as caught:
        load(path)
    problems = caught.value.problems
    matching = [p for p in problems if fragment in p.message]
    assert matching, f"no message contains {fragment!r}: {[str(p) for p in problems]}"
    assert matching[0].line == line, str(matching[0])
    assert str(matching[0]).startswith(f"{path}:{line}:")


def test_at_least_25_bad_inputs() -> None:
    assert len(BAD_INPUTS) >= 25


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = replace("  syfte:", "  syfe:").replace("status: undertecknad", "status: klar").replace(
        "    lokalpolisomrade: Lokalpolisområde Nyköping\n", ""
    )
    with pytest.raises(InvalidAgreement) as caught:
        load(write(tmp_path, text))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 3
    assert [p.line for p in caught.value.problems] == sorted(p.line for p in caught.value.problems)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        bomb.append(f"a{i}: &a{i} [{refs}]")
    path = write(tmp_path, "\n".join(bomb) + "\n")
    started = time.perf_counter()
    with pytest.raises(InvalidAgreement) as caught:
        load(path)
    assert time.perf_counter() - started < 5  # generous; the real bound is the node budget
    assert "alias" in str(caught.value)


@pytest.mark.parametrize("text", ["status: &x [*x]\n", "a: &x {b: *x}\nstatus: *x\n"])
def test_recursive_alias_does_not_hang(tmp_path: Path, text: str) -> None:
    with pytest.raises(InvalidAgreement) as caught:
        load(write(tmp_path, text))
    assert all(p.line >= 1 for p in caught.value.problems)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "#" * (MAX_BYTES + 10))
    with pytest.raises(InvalidAgreement, match="för stor"):
        load(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "status: " + "[" * 500 + "]" * 500 + "\n")
    with pytest.raises(InvalidAgreement, match="nästling"):
        load(path)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (BASE.encode("latin-1", errors="replace"), "inte kodad som UTF-8"),
        (BASE.encode("utf-16"), "UTF-16"),
        (b"status: utkast\n\x00\x01\x02binary", "binära data"),
    ],
    ids=["latin-1", "utf-16", "binary"],
)
def test_wrong_encodings(tmp_path: Path, raw: bytes, fragment: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    with pytest.raises(InvalidAgreement, match=fragment):
        load(path)


def test_latin1_error_points_at_first_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(BASE.encode("latin-1", errors="replace"))
    with pytest.raises(InvalidAgreement) as caught:
        load(path)
    assert caught.value.problems[0].line == 10  # "Lokalpolisområde" is the first non-ASCII text


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))
    assert load(path).parter.kommun.namn == "Exempelby kommun"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidAgreement, match="filen finns inte"):
        load(tmp_path / "saknas.yaml")


# -- the validate command -------------------------------------------------------


def test_validate_command_ok(tmp_path: Path) -> None:
    folder = tmp_path / "agreements" / "exempelby"
    folder.mkdir(parents=True)
    write(folder, BASE, "2024.yaml")
    write(folder, BASE.replace("status: undertecknad", "status: utkast"), "2025.yml")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "agreements")])
    assert result.exit_code == 0, result.output
    assert f"{folder / '2024.yaml'}: giltig" in result.stdout
    assert f"{folder / '2025.yml'}: giltig" in result.stdout


def test_validate_command_reports_every_file_and_exits_1(tmp_path: Path) -> None:
    good = write(tmp_path, BASE, "good.yaml")
    bad = write(tmp_path, replace("  syfte:", "  syfe:"), "bad.yaml")
    result = CliRunner().invoke(cli, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{good}: giltig" in result.stdout
    assert f'{bad}:16:3: okänt fält "syfe" – menade du "syfte"?' in result.stderr
    assert "1 av 2 filer är ogiltig." in result.stderr
    assert "Traceback" not in result.output


def test_validate_command_on_folder_without_yaml(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "inga överenskommelser" in result.stderr


def test_validate_command_needs_a_path() -> None:
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "ror.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InvalidAgreement, match="ingen vanlig fil"):
        load(fifo)
