"""Drafting: `samverkan new` (next version, comments kept) and `samverkan init` (skeleton)."""

from __future__ import annotations

import difflib
import io
import json
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from samverkan import drafting, load, loads
from samverkan.cli.commands import cli
from samverkan.documents.formatting import period_text
from samverkan.documents.render import render_docx
from samverkan.drafting import kommun_name, shift_end, shift_start
from samverkan.model import models
from samverkan.model.models import Agreement, Status

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "agreements").rglob("*.yaml"))

# Keys on the lines `new` may change (see drafting.next_version_text).
CHANGED_KEYS = {"titel", "status", "datum", "start", "slut", "senast", "id", "diarienummer", "ort", "tidigare_version",
                "ersatter", "ort_och_datum_ej_publicerade", "undertecknande"}


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def copy_example(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "agreements" / source.parent.name / source.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)
    return target


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def end_of_line_comments(text: str) -> list[str]:
    return [line[line.index(" #") :].strip() for line in text.splitlines() if " #" in line and not line.strip().startswith("#")]


def key_orders(node: Any, here: str = "") -> dict[str, list[str]]:
    """Key order of every mapping in a round-trip tree, by path."""
    out: dict[str, list[str]] = {}
    if isinstance(node, CommentedMap):
        out[here] = [str(k) for k in node]
        for key, value in node.items():
            out.update(key_orders(value, f"{here}.{key}"))
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            out.update(key_orders(value, f"{here}[{i}]"))
    return out


def comparable(agreement: Agreement) -> dict[str, Any]:
    """The model as data, without the values `new` is meant to change."""
    data = agreement.model_dump(mode="json")
    for key in ("status", "datum", "titel", "period", "ersatter", "undertecknande"):
        data.pop(key)
    for party in ("kommun", "polis"):
        data["parter"][party].pop("diarienummer")
    for promise in data["medborgarloften"]:
        for key in ("id", "titel", "period", "undertecknande"):
            promise.pop(key)
    activities = [a for p in data["medborgarloften"] for a in p["aktiviteter"]]
    activities += [a for g in (data["medborgarlofte"] or {}).get("grupper", []) for a in g["aktiviteter"]]
    activities += [a for o in (data["del2"] or {}).get("prioriterade_omraden", []) for a in o["aktiviteter"]]
    for activity in activities:
        activity.pop("senast")
    for signer in data["undertecknare"]:
        signer.pop("ort")
        signer.pop("datum")
    return data


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join(paragraphs + cells)


def days(start: date, end: date | None) -> int | None:
    return None if end is None else (end - start).days


# -- dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "years", "start", "end"),
    [
        (date(2024, 1, 1), 2, date(2026, 1, 1), date(2026, 1, 1)),
        (date(2025, 12, 31), 2, date(2027, 12, 31), date(2027, 12, 31)),
        # a split year ending on the last day of February stays that way
        (date(2027, 2, 28), 1, date(2028, 2, 28), date(2028, 2, 29)),
        (date(2028, 2, 29), 1, date(2029, 3, 1), date(2029, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29), date(2028, 2, 29)),
        (date(2024, 3, 1), 1, date(2025, 3, 1), date(2025, 3, 1)),
        (date(2024, 6, 15), 0, date(2024, 6, 15), date(2024, 6, 15)),
    ],
)
def test_shifting_dates(day: date, years: int, start: date, end: date) -> None:
    assert shift_start(day, years) == start
    assert shift_end(day, years) == end


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2023, 3, 1), date(2027, 2, 28)), (date(2024, 1, 1), date(2024, 12, 31)), (date(2024, 2, 29), date(2025, 2, 28))],
)
@pytest.mark.parametrize("years", [1, 2, 3, 4])
def test_shifted_periods_keep_their_length_in_years_and_months(start: date, end: date, years: int) -> None:
    new_start, new_end = shift_start(start, years), shift_end(end, years)
    after = new_end.toordinal() + 1
    # the day after the end is as many whole years after the start as before
    assert date.fromordinal(after) == shift_start(date.fromordinal(end.toordinal() + 1), years)
    assert abs(days(new_start, new_end) - days(start, end)) <= 1  # type: ignore[operator]


# -- new: every bundled example ------------------------------------------------------


def test_there_are_bundled_examples() -> None:
    assert EXAMPLES, "agreements/ has no examples"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_new_version_of_every_example(example: Path, tmp_path: Path) -> None:
    source = copy_example(example, tmp_path)
    old = load(source)
    years = 2
    outer = old.overenskommelse.period if old.overenskommelse else None
    while outer and outer.slut and years > 1 and shift_end(old.period.slut or old.period.start, years) > outer.slut:
        years -= 1  # a löfte of its own stays inside the agreement it names (Strängnäs 2017 under 2016–2018)
    year = drafting.source_year(source, old) + years
    result = run("new", "--from", str(source), "--year", str(year))
    assert result.exit_code == 0, result.output
    target = source.with_name(f"{year}.yaml")
    assert result.stdout.strip() == str(target)
    new = load(target)  # validates

    # Everything else is carried forward unchanged.
    assert comparable(new) == comparable(old)

    # The rules.
    assert new.status is Status.UTKAST
    assert new.datum is None
    assert new.period.start == shift_start(old.period.start, years)
    assert new.period.start.year == old.period.start.year + years
    assert new.period.slut == (old.period.slut and shift_end(old.period.slut, years))
    assert new.period.revidering == old.period.revidering
    assert new.parter.kommun.diarienummer is None and new.parter.polis.diarienummer is None
    for number in (old.parter.kommun.diarienummer, old.parter.polis.diarienummer):
        if number:
            assert number in (new.ersatter or "")
    if not (old.parter.kommun.diarienummer or old.parter.polis.diarienummer):
        assert str(old.period.start.year) in (new.ersatter or "")
    assert new.overenskommelse == old.overenskommelse  # renewing a löfte leaves its agreement as it is
    for before, after in zip(old.medborgarloften, new.medborgarloften, strict=True):
        assert after.period.start == shift_start(before.period.start, years)
        assert after.period.slut == (before.period.slut and shift_end(before.period.slut, years))
        assert days(after.period.start, after.period.slut) in {
            None if before.period.slut is None else days(before.period.start, before.period.slut) + d for d in (-1, 0, 1)
        }
        for text_before, text_after in ((before.id, after.id), (before.titel or "", after.titel or "")):
            old_years = {int(y) for y in re.findall(r"(?<!\d)\d{4}(?!\d)", text_before)}
            new_years = {int(y) for y in re.findall(r"(?<!\d)\d{4}(?!\d)", text_after)}
            assert new_years == {y + years for y in old_years}
            assert re.sub(r"\d{4}", "", text_before) == re.sub(r"\d{4}", "", text_after)
    for signer in new.undertecknare:
        assert signer.ort is None and signer.datum is None

    # The author's comments and key order survive.
    before_text = source.read_text(encoding="utf-8")
    after_text = target.read_text(encoding="utf-8")
    assert not Counter(comment_lines(before_text)) - Counter(comment_lines(after_text))
    for comment in end_of_line_comments(before_text):
        assert comment in after_text
    yaml = YAML(typ="rt")
    orders_before, orders_after = key_orders(yaml.load(before_text)), key_orders(yaml.load(after_text))
    if "ersatter" not in orders_before[""]:
        orders_after[""].remove("ersatter")
    assert orders_after == orders_before

    # Line by line, only lines that carry a value the rules change differ.
    for line in difflib.unified_diff(before_text.splitlines(), after_text.splitlines(), lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        key = re.match(r"^[+-]\s*(?:-\s+)?([a-z_]+)\s*:", line)
        assert key and key.group(1) in CHANGED_KEYS, f"unexpected change: {line!r}"

    # And it renders: both documents, with the new period and as a draft.
    agreement_text = docx_text(render_docx(new, "overenskommelse"))
    assert period_text(new.period) in agreement_text
    assert "UTKAST" in agreement_text
    assert (new.ersatter or "") in agreement_text
    if new.medborgarloften:
        promise_text = docx_text(render_docx(new, "medborgarlofte"))
        assert period_text(new.medborgarloften[0].period) in promise_text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_new_version_refuses_to_overwrite_without_force(example: Path, tmp_path: Path) -> None:
    source = copy_example(example, tmp_path)
    year = drafting.source_year(source, load(source)) + 1
    target = source.with_name(f"{year}.yaml")
    target.write_text("# mitt eget arbete\n", encoding="utf-8")

    refused = run("new", "--from", str(source), "--year", str(year))
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        f"{target}: filen finns redan – välj en annan fil med -o, eller skriv över den med --force"
    )
    assert target.read_text(encoding="utf-8") == "# mitt eget arbete\n"

    forced = run("new", "--from", str(source), "--year", str(year), "--force")
    assert forced.exit_code == 0, forced.output
    assert load(target).period.start.year == load(source).period.start.year + 1


# -- new: the rules on a file with every edge case ---------------------------------

EDGE = """\
# yaml-language-server: $schema=../../schemas/agreement.schema.json
# Östhammar: delat år, tills vidare och skottdag.

titel: Samverkansöverenskommelse 2023–2027   # rubriken
status: undertecknad
datum: 2023-02-20
parter:
    kommun:
        namn: Östhammars kommun
        diarienummer: "KS 2022/512"   # kommunens dnr
    polis:
        lokalpolisomrade: Lokalpolisområde Uppsala
        polisregion: Polisregion Mitt
        diarienummer: A 123.456/2022
period: {start: 2023-03-01, slut: 2027-02-28, revidering: revideras vart tredje år}
tidigare_version: KS 2018/99

# Löftena
medborgarloften:
    # första löftet
    -   id: ml-2023-2024
        titel: Medborgarlöfte 2023–2024 i Östhammar
        period:
            start: 2023-03-01
            slut: 2024-02-29
        aktiviteter:
            -   text: trygghetsvandringar i Gimo
                ansvar: tillsammans
                senast: 2024-02-29   # sista februari
    -   id: ml-lopande
        period:
            start: 2024-03-01
        avvikelse_fran_period: gäller tills vidare
undertecknare:
    -   namn: Anna Andersson
        titel: Kommunstyrelsens ordförande
        part: kommun
        ort: Östhammar   # ort
        datum: 2023-02-20
    -   namn: Bo Berg
        titel: Lokalpolisområdeschef
        part: polis
        ort: Uppsala
        datum: 2023-02-21
"""


def test_new_version_rules_on_edge_cases(tmp_path: Path) -> None:
    source = tmp_path / "osthammar" / "2023.yaml"
    source.parent.mkdir()
    source.write_text(EDGE, encoding="utf-8")
    result = run("new", "--from", str(source), "--year", "2024")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "osthammar" / "2024.yaml").read_text(encoding="utf-8")
    new = load(tmp_path / "osthammar" / "2024.yaml")

    assert new.titel == "Samverkansöverenskommelse 2024–2028"
    assert new.status is Status.UTKAST and new.datum is None
    # 1 mars 2023 – 28 februari 2027 becomes 1 mars 2024 – 29 februari 2028
    assert (new.period.start, new.period.slut) == (date(2024, 3, 1), date(2028, 2, 29))
    assert new.period.revidering == "revideras vart tredje år"
    assert new.ersatter == "KS 2022/512 (Östhammars kommun), A 123.456/2022 (Polisen)"
    assert new.parter.kommun.diarienummer is None and new.parter.polis.diarienummer is None
    first, second = new.medborgarloften
    assert (first.id, first.titel) == ("ml-2024-2025", "Medborgarlöfte 2024–2025 i Östhammar")
    assert (first.period.start, first.period.slut) == (date(2024, 3, 1), date(2025, 2, 28))
    assert first.aktiviteter[0].senast == date(2025, 2, 28)
    # a period "tills vidare" moves its start and stays open
    assert (second.id, second.period.start, second.period.slut) == ("ml-lopande", date(2025, 3, 1), None)
    assert [(s.namn, s.titel, s.ort, s.datum) for s in new.undertecknare] == [
        ("Anna Andersson", "Kommunstyrelsens ordförande", None, None),
        ("Bo Berg", "Lokalpolisområdeschef", None, None),
    ]
    # indentation, flow style, quotes and comments as the author wrote them
    for line in (
        "titel: Samverkansöverenskommelse 2024–2028   # rubriken",
        "        diarienummer:                 # kommunens dnr",
        "period: {start: 2024-03-01, slut: 2028-02-29, revidering: revideras vart tredje år}",
        "    # första löftet",
        "    -   id: ml-2024-2025",
        "                senast: 2025-02-28   # sista februari",
        "        ort:             # ort",
        "# Löftena",
    ):
        assert line in text.splitlines(), line


def test_new_version_without_diarienummer_refers_to_title_and_years(tmp_path: Path) -> None:
    source = tmp_path / "2023.yaml"
    source.write_text(
        "status: utkast\nparter:\n  kommun: {namn: Tierps kommun}\n"
        "  polis: {lokalpolisomrade: Lokalpolisområde Tierp, polisregion: Polisregion Mitt}\n"
        "period:\n  start: 2023-01-01\n  slut: 2025-12-31\n# Del 1\ndel1:\n  syfte: Trygghet.\n",
        encoding="utf-8",
    )
    assert run("new", "--from", str(source), "--year", "2026").exit_code == 0
    text = (tmp_path / "2026.yaml").read_text(encoding="utf-8")
    # added right after the period, above the next section's comment
    assert (
        "  slut: 2028-12-31\n"
        "ersatter: Samverkansöverenskommelse mellan Tierps kommun och Polisen 2023–2025\n"
        "# Del 1\n"
        "del1:\n"
    ) in text
    assert load(tmp_path / "2026.yaml").ersatter == (
        "Samverkansöverenskommelse mellan Tierps kommun och Polisen 2023–2025"
    )


def test_new_version_of_an_invalid_source_reports_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "2024.yaml"
    source.write_text(
        "status: utkast\nparter:\n  kommun: {namn: Tierps kommun}\n"
        "  polis: {lokalpolisomrade: LPO Tierp, polisregion: Polisregion Mitt}\n"
        "period:\n  start: 2024-01-01\n  slutt: 2025-12-31\n",
        encoding="utf-8",
    )
    result = run("new", "--from", str(source), "--year", "2026")
    assert result.exit_code == 1
    assert f'{source}:7:3: okänt fält "slutt"' in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "2026.yaml").exists()


def test_new_version_refuses_an_earlier_year_and_the_source_itself(tmp_path: Path) -> None:
    source = copy_example(EXAMPLES[0], tmp_path)
    start = drafting.source_year(source, load(source))
    earlier = run("new", "--from", str(source), "--year", str(start - 1))
    assert earlier.exit_code == 1
    assert f"--year {start - 1} ligger före källans år {start}" in earlier.stderr
    itself = run("new", "--from", str(source), "--year", str(start), "-o", str(source), "--force")
    assert itself.exit_code == 1
    assert "är källfilen själv" in itself.stderr
    missing = run("new", "--from", str(tmp_path / "finns-inte.yaml"), "--year", "2030")
    assert missing.exit_code == 1
    assert "filen finns inte" in missing.stderr
    assert run("new", "--from", str(source)).exit_code == 2  # --year is required


def test_new_version_to_another_file(tmp_path: Path) -> None:
    source = copy_example(EXAMPLES[0], tmp_path)
    target = tmp_path / "ut" / "nasta.yaml"
    year = drafting.source_year(source, load(source)) + 7
    result = run("new", "--from", str(source), "--year", str(year), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert load(target).period.start.year == load(source).period.start.year + 7
    assert [p.name for p in target.parent.iterdir()] == ["nasta.yaml"]  # no temporary files left


# -- init --------------------------------------------------------------------------


def fill_in(text: str) -> str:
    """Replace every placeholder with a real value, as an author would."""
    lines = text.splitlines()
    top = ""
    counter = 0
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):
            top = line.split(":")[0]
        if line.lstrip().startswith("#") or "<FYLL I" not in line:
            continue
        key_match = re.match(r"^\s*(?:- )?([a-z_]+):", line)
        if key_match:
            key = key_match.group(1)
        else:  # a list item or a block of text: the key is on a line above
            indent = len(line) - len(line.lstrip())
            above = next(
                lines[j] for j in range(i - 1, -1, -1)
                if lines[j].strip() and not lines[j].lstrip().startswith("#") and len(lines[j]) - len(lines[j].lstrip()) < indent
            )
            key = re.match(r"^\s*(?:- )?([a-z_]+):", above).group(1)  # type: ignore[union-attr]
        counter += 1
        value = {
            "start": "2025-01-01",
            "slut": "2030-12-31",
            "metoder": "est",
            "kallor": "kalla-1",
            "url": "https://www.example.se",
            "id": "kalla-1" if top == "kallor" else f"omrade-{counter}",
        }.get(key, f"Text nummer {counter}")
        lines[i] = re.sub(r'"?<FYLL I[^>]*>"?', json.dumps(value, ensure_ascii=False), line)
    return "\n".join(lines) + "\n"


def test_init_writes_a_commented_skeleton_that_fails_until_filled_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "agreement.schema.json").write_text("{}", encoding="utf-8")
    result = run("init", "Oxelösund", "--lokalpolisomrade", "Nyköping", "--year", "2025")
    assert result.exit_code == 0, result.output
    path = Path("agreements/oxelosund/2025.yaml")
    assert result.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/agreement.schema.json"
    assert "    namn: Oxelösunds kommun" in lines
    assert "    lokalpolisomrade: Lokalpolisområde Nyköping" in lines
    assert "  - id: ml-2025" in lines

    # Every key has a comment above it, and every description of the models is there.
    for i, line in enumerate(lines):
        if re.match(r"^\s*(- )?[a-z_]+:", line):
            assert lines[i - 1].lstrip().startswith("#"), f"line {i + 1} has no comment: {line}"
    flat = " ".join(line.lstrip(" #") for line in lines)
    for name, field in Agreement.model_fields.items():
        assert field.description and " ".join(field.description.split()) in flat, name

    # Validation names each placeholder, at its line, and nothing else.
    unfilled = [i + 1 for i, line in enumerate(lines) if "<FYLL I" in line and not line.lstrip().startswith("#")]
    result = run("validate", str(path))
    assert result.exit_code == 1
    problems = [p for p in result.stderr.splitlines() if p.startswith(f"{path}:")]
    assert len(problems) == len(unfilled)
    for problem in problems:
        assert re.match(rf'^{re.escape(str(path))}:\d+:\d+: platshållaren "<FYLL I: [^>]+>" är inte ifylld – skriv in ', problem), problem
    # a block of text is reported at its key, one line above the placeholder
    reported = sorted(int(p.split(":")[1]) for p in problems)
    assert all(line in unfilled or line + 1 in unfilled for line in reported)
    # What is known of Oxelösund and the year is filled in; the rest are placeholders.
    assert '    kommunkod: "0481"  # Södermanlands län' in lines
    assert "    polisregion: Polisregion Öst" in lines
    assert "  start: 2025-01-01" in lines and "      slut: 2025-12-31" in lines
    slut = lines.index('  slut: "<FYLL I: sista dag som gäller, ÅÅÅÅ-MM-DD, eller bara årtalet>"') + 1
    assert (
        f'{path}:{slut}:3: platshållaren "<FYLL I: sista dag som gäller, ÅÅÅÅ-MM-DD, eller bara årtalet>" är inte ifylld – '
        "skriv in sista dag som gäller, ÅÅÅÅ-MM-DD, eller bara årtalet, eller ta bort fältet om det inte behövs"
    ) in problems
    assert not any("ogiltigt datum" in p or "ogiltigt id" in p for p in problems)

    # Filled in, it validates.
    path.write_text(fill_in(text), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    agreement = load(path)
    assert agreement.parter.kommun.namn == "Oxelösunds kommun"
    assert agreement.period.start == date(2025, 1, 1)
    assert [s.part.value for s in agreement.undertecknare] == ["kommunen", "polisen"]


def test_init_without_lokalpolisomrade_leaves_a_placeholder(tmp_path: Path) -> None:
    target = tmp_path / "utkast.yaml"
    result = run("init", "Östhammars kommun", "--year", "2026", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "    namn: Östhammars kommun\n    # " in text
    assert "    kortnamn: Östhammar\n" in text
    assert '    lokalpolisomrade: "<FYLL I: lokalpolisområdet, t.ex. Lokalpolisområde Nyköping>"\n' in text
    result = run("validate", str(target))
    assert 'platshållaren "<FYLL I: lokalpolisområdet, t.ex. Lokalpolisområde Nyköping>" är inte ifylld' in result.stderr
    target.write_text(fill_in(text), encoding="utf-8")
    assert run("validate", str(target)).exit_code == 0


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "2025.yaml"
    target.write_text("status: utkast\n", encoding="utf-8")
    refused = run("init", "Tierp", "--year", "2025", "-o", str(target))
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"{target}: filen finns redan – välj en annan fil med -o, eller skriv över den med --force"
    assert target.read_text(encoding="utf-8") == "status: utkast\n"
    forced = run("init", "Tierp", "--year", "2025", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert "namn: Tierps kommun" in target.read_text(encoding="utf-8")
    assert run("init", " ", "-o", str(tmp_path / "x.yaml")).exit_code == 1


@pytest.mark.parametrize(
    ("typed", "namn", "kortnamn"),
    [
        ("Oxelösund", "Oxelösunds kommun", "Oxelösund"),
        ("Uppsala", "Uppsala kommun", "Uppsala"),
        ("Borås", "Borås Stad", "Borås"),  # the name the kommun signs with, from the table of all 290
        ("Falun", "Falu kommun", "Falun"),
        ("gotland", "Region Gotland", "Gotland"),
        ("Exempelstad", "Exempelstads kommun", "Exempelstad"),  # not a kommun: by rule
        ("Östhammars kommun", "Östhammars kommun", "Östhammar"),
        ("  Malung-Sälen ", "Malung-Sälens kommun", "Malung-Sälen"),
    ],
)
def test_kommun_name(typed: str, namn: str, kortnamn: str) -> None:
    assert kommun_name(typed) == (namn, kortnamn)


def test_skeleton_schema_line_is_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "agreement.schema.json").write_text("{}", encoding="utf-8")
    deep = tmp_path / "a" / "b" / "c" / "2025.yaml"
    text = drafting.skeleton_text("Tierp", 2025, target=deep)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../schemas/agreement.schema.json"


# -- the guide -------------------------------------------------------------------

GUIDE = ROOT / "docs" / "guide.md"
BASE = {
    "status": "utkast",
    "parter": {
        "kommun": {"namn": "Oxelösunds kommun"},
        "polis": {"lokalpolisomrade": "Lokalpolisområde Nyköping", "polisregion": "Polisregion Öst"},
    },
    "period": {"start": "2024-01-01", "slut": "2027-12-31"},
}


def guide_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    return [b for b in blocks if re.search(r"^[a-z0-9_]+:", b, re.MULTILINE) and "<FYLL I" not in b]


def all_fields(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name of ``model`` and the models inside it."""
    seen = seen if seen is not None else set()
    seen.add(model)
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for inner in re.findall(r"samverkan\.models\.(\w+)", str(field.annotation)):
            kind = getattr(models, inner)
            if isinstance(kind, type) and issubclass(kind, BaseModel) and kind not in seen:
                names |= all_fields(kind, seen)
    return names


def test_guide_shows_every_section_and_field() -> None:
    blocks = guide_examples()
    top = {key for block in blocks for key in re.findall(r"^([a-z0-9_]+):", block, re.MULTILINE)}
    assert top == set(Agreement.model_fields)
    shown = {key for block in blocks for key in re.findall(r"^\s*(?:- )?([a-z0-9_]+):", block, re.MULTILINE)}
    assert all_fields(Agreement) - shown == set()


@pytest.mark.parametrize("block", guide_examples())
def test_guide_examples_are_valid(block: str) -> None:
    """Each example, put into a minimal agreement, validates with every rule."""
    data = {**BASE, **YAML(typ="safe").load(block)}
    agreement = loads(json.dumps(data, ensure_ascii=False, default=str), name="guide.md")
    assert agreement.parter.kommun.namn == "Oxelösunds kommun"


def test_guide_commands_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for name in set(re.findall(r"samverkan ([a-z-]+)", text)):
        assert name in cli.commands, name


def test_guide_template_recipe_works(tmp_path: Path) -> None:
    """Copies of templates/*.docx in a folder of their own, passed as --template."""
    own = tmp_path / "mallar" / "oxelosund"
    own.mkdir(parents=True)
    for template in (ROOT / "templates").glob("*.docx"):
        shutil.copyfile(template, own / template.name)
    assert {p.name for p in own.iterdir()} >= {"overenskommelse.docx", "medborgarlofte.docx"}
    agreement = load(EXAMPLES[0])
    assert docx_text(render_docx(agreement, "overenskommelse", template=own)) == docx_text(
        render_docx(agreement, "overenskommelse")
    )
    assert (ROOT / "docs" / "template-reference.md").is_file()


def test_new_version_keeps_directives_and_document_markers(tmp_path: Path) -> None:
    source = tmp_path / "2024.yaml"
    source.write_text(
        "%YAML 1.2\n---\n# huvud\nstatus: fastställd\nparter:\n  kommun: {namn: Tierps kommun}\n"
        "  polis: {lokalpolisomrade: LPO Tierp, polisregion: Polisregion Mitt}\n"
        "period:\n  start: 2024-01-01\n  slut: 2024-12-31\n",
        encoding="utf-8",
    )
    assert run("new", "--from", str(source), "--year", "2025").exit_code == 0
    text = (tmp_path / "2025.yaml").read_text(encoding="utf-8")
    assert text.startswith("%YAML 1.2\n---\n# huvud\nstatus: utkast\n")
    assert text.count("---") == 1
    assert text.endswith("  slut: 2025-12-31\nersatter: Samverkansöverenskommelse mellan Tierps kommun och Polisen 2024\n")


def test_new_version_elsewhere_keeps_the_schema_line_working(tmp_path: Path) -> None:
    source = copy_example(EXAMPLES[0], tmp_path)
    first = source.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/agreement.schema.json"
    year = drafting.source_year(source, load(source)) + 1
    same_folder = run("new", "--from", str(source), "--year", str(year))
    assert same_folder.exit_code == 0, same_folder.output
    assert source.with_name(f"{year}.yaml").read_text(encoding="utf-8").splitlines()[0] == first
    elsewhere = tmp_path / "utkast" / "nasta.yaml"
    assert run("new", "--from", str(source), "--year", str(year), "-o", str(elsewhere)).exit_code == 0
    line = elsewhere.read_text(encoding="utf-8").splitlines()[0]
    assert line == "# yaml-language-server: $schema=../schemas/agreement.schema.json"


def test_kommun_table_has_all_290_with_code_lan_and_polisregion() -> None:
    from samverkan.drafting.kommuner import find, kommuner

    table = kommuner()
    assert len(table) == 290 and len({k.kommunkod for k in table}) == 290
    assert len({k.lan for k in table}) == 21
    assert {k.polisregion for k in table} == {
        "Polisregion Nord", "Polisregion Mitt", "Polisregion Stockholm", "Polisregion Öst",
        "Polisregion Väst", "Polisregion Syd", "Polisregion Bergslagen",
    }
    assert all(re.fullmatch(r"\d{4}", k.kommunkod) and k.kommunkod[:2] == find(k.namn).kommunkod[:2] for k in table)
    assert find("oxelösunds kommun") == find("Oxelösund") == find("0481")
    assert find("Hällefors").polisregion == "Polisregion Bergslagen"  # type: ignore[union-attr]


def test_init_fills_in_what_is_known_and_counts_the_placeholders(tmp_path: Path) -> None:
    target = tmp_path / "2025.yaml"
    result = run("init", "Hällefors", "--year", "2025", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert '    kommunkod: "1863"  # Örebro län\n' in text
    assert "    polisregion: Polisregion Bergslagen\n" in text
    assert "period:\n  # Första dag som gäller" in text and "  start: 2025-01-01\n" in text
    left = sum(line.count("<FYLL I") for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "Ifyllt för Hällefors kommun: kommunkod 1863 (Örebro län), Polisregion Bergslagen." in result.stderr
    assert f"{left} platshållare kvar att fylla i." in result.stderr
    unknown = run("init", "Hälleforss", "--year", "2025", "-o", str(tmp_path / "x.yaml"))
    assert unknown.exit_code == 0
    assert '"Hälleforss" finns inte bland Sveriges 290 kommuner – menade du "Hällefors"?' in unknown.stderr
