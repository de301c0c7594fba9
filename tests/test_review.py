"""The legal review as issue 16 asks for it: targeted edits of oxelosund/2024.yaml, read as a lawyer would.

For every edit: the summary says exactly what changed, in words (no ids, no
ISO dates, no ambiguous marks); the redline accepts to NEW and rejects to OLD
paragraph for paragraph with the same styles (tests/ooxml_review.py resolves
it by Word's rules); moves are moves in the XML. Then the guard rails and the
Word summary for the tjänsteskrivelse.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from edits import BASE, EDITS, edit, variant
from lxml import etree
from ooxml_review import NS, accepted, moves, part, plain, rejected, replaced, resolve_element, w

from samverkan.cli.commands import cli
from samverkan.compare.formats import format_text
from samverkan.compare.matching import match
from samverkan.compare.redline import redline
from samverkan.compare.structure import compare
from samverkan.documents.render import render_docx
from samverkan.model.loader import loads

SUMMARY = {
    "omradbrytning": ["Inga ändringar i innehållet."],
    "omraden-i-ny-ordning": [
        "• Prioriterat område ”Stöld- och tillgreppsbrott” har flyttats från plats 1 till plats 2",
        "  • Ny ordning: 1. Trygga ungdomar, 2. Stöld- och tillgreppsbrott",
    ],
    "aktivitet-flyttad": [
        "• Aktiviteten ”genomföra trafikkontroller vid skolorna” (polisen) har flyttats från området "
        "”Stöld- och tillgreppsbrott” till området ”Trygga ungdomar”",
    ],
    "nytt-ansvar": [
        "• Prioriterat område ”Stöld- och tillgreppsbrott”:",
        "  • Ändrad aktivitet: ”hålla ett öppet möte om grannsamverkan”",
        "    • Ansvar: Tillsammans → Kommunen",
    ],
    "ny-omfattning": ["    • Omfattning: minst 40 trafikkontroller → minst 60 trafikkontroller"],
    "ny-period": [
        "• Period: 2024–2025 → 2024–2026",
        "• Medborgarlöftet ”Medborgarlöfte 2024–2025”:",
        "  • Period: 2024–2025 → 2024–2026",
    ],
    "ny-undertecknare": ["• Undertecknare för kommunen: Dag Bergentoft ersätts av Anna Andersson (Kommunstyrelsens ordförande)"],
    "nasta-ar": [
        "• Period: 2024–2025 → 2025–2026",
        "• Medborgarlöftet ”Medborgarlöfte 2024–2025”:",
        "  • Period: 2024–2025 → 2025–2026",
        "• Status: utkast → fastställd; Dokumentets datum: 1 januari 2024 → 1 januari 2025; Kommunens diarienummer: "
        "saknas → KS 2025/12; 1 sista datum för en aktivitet ligger ett år senare, som alla andra ändrade datum.",
    ],
    "omskrivet-stycke": [
        "• Bakgrund, stycke 2 omskrivet: ”Oxelösunds kommun arbetar trygghetsskapande och brottsförebyggande i "
        "samverkan med Polismyndigheten.” ersätts av ”Parterna möts varje månad i en gemensam ledningsgrupp som "
        "följer upp lägesbilden och beslutar om insatser.”",
    ],
}

FORBIDDEN = [
    (re.compile(r"\b(ml-2024-2025|stold-och-tillgreppsbrott|trygga-ungdomar|grannsamverkan\.nykoping)\b"), "ett id"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "ett ISO-datum"),
    (re.compile(r"¶| / "), "en tvetydig styckemarkering"),
    (re.compile(r"fingeravtryck|\bord borttagna\b"), "ett gammalt uttryck"),
]


def summary_of(name: str) -> str:
    return format_text(compare(loads(BASE), loads(EDITS[name])))


@pytest.mark.parametrize("name", sorted(EDITS))
def test_the_summary_says_what_changed_in_words(name: str) -> None:
    text = summary_of(name)
    body = text.split("\n\n", 2)[2]  # after the title and the two versions
    for line in SUMMARY[name]:
        assert line in body.splitlines(), (line, body)
    for pattern, what in FORBIDDEN:
        assert not pattern.search(body), (what, body)
    # Nothing but the expected lines, section headings and their underlines.
    lines = [x for x in body.splitlines() if x and not set(x) <= {"-"}]
    extra = [x for x in lines if x not in SUMMARY[name] and x not in ("Väsentliga ändringar", "Ändrade texter", "Rutinändringar")]
    allowed = {"ny-omfattning": 2}  # the area and activity lines above the expected one
    assert len(extra) == allowed.get(name, 0), extra


def test_substance_comes_first_and_routine_last_in_one_line() -> None:
    text = summary_of("nasta-ar")
    headings = [h for h in ("Väsentliga ändringar", "Ändrade texter", "Rutinändringar") if h in text]
    assert headings == ["Väsentliga ändringar", "Rutinändringar"]
    routine = text.split("Rutinändringar\n--------------\n", 1)[1].strip().splitlines()
    assert len(routine) == 1


@pytest.mark.parametrize("name", sorted(EDITS))
def test_the_redline_accepts_to_new_and_rejects_to_old(name: str) -> None:
    old, new = loads(BASE), loads(EDITS[name])
    docx = redline(old, new)
    assert accepted(docx, styles=True) == plain(render_docx(new), styles=True)
    assert rejected(docx, styles=True) == plain(render_docx(old), styles=True)
    marks = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")).xpath(
        "//w:body/*[not(.//w:bookmarkStart[@w:name='samverkan-redline-start'])]//w:ins"
        " | //w:body//w:del | //w:body//w:moveFrom | //w:body//w:moveTo", namespaces=NS)
    assert bool(marks) == (name != "omradbrytning")


def test_moved_areas_and_activities_are_moves_in_the_xml() -> None:
    area = moves(redline(loads(BASE), loads(EDITS["omraden-i-ny-ordning"])))
    assert len(area) == 1
    ((away, here),) = area.values()
    assert away == here and away.startswith("Stöld- och tillgreppsbrott")
    activity = moves(redline(loads(BASE), loads(EDITS["aktivitet-flyttad"])))
    ((away, here),) = activity.values()
    assert away == here and away.startswith("genomföra trafikkontroller vid skolorna") and "minst 40" in away


def test_a_changed_period_is_struck_and_inserted_whole() -> None:
    docx = redline(loads(BASE), loads(EDITS["ny-period"]))
    body = part(docx).find(w("body"))
    deleted = ["".join(t.text or "" for t in d.iter(w("delText"))) for d in body.iter(w("del"))]
    inserted = ["".join(t.text or "" for t in i.iter(w("t"))) for i in body.iter(w("ins"))]
    assert "2024–2025" in deleted and "2024–2026" in inserted
    assert not any(x in ("2025", "2026", "–") for x in deleted + inserted)


def test_the_redline_pairs_parts_as_the_summary_does() -> None:
    """A removed area and a renamed one: the redline must not pair the removed one with the renamed."""
    def change(d: dict) -> None:
        d["del2"]["prioriterade_omraden"].pop(0)
        d["del2"]["prioriterade_omraden"][0]["titel"] = "Unga i Oxelösund"

    text = variant(change)
    old, new = loads(BASE), loads(text)
    c = compare(old, new, match(old, new))
    assert [a.title for a in c.areas.removed] == ["Stöld- och tillgreppsbrott"]
    assert [(a.old_title, a.title) for a in c.areas.changed] == [("Trygga ungdomar", "Unga i Oxelösund")]
    body = part(redline(old, new)).find(w("body"))
    headings = [p for p in body.iter(w("p")) if (p.find(f"{w('pPr')}/{w('pStyle')}") is not None
                and p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == "Heading2")]
    marked = [("".join(p.itertext()), p.find(f"{w('pPr')}/{w('rPr')}")) for p in headings]
    kinds = {text: [etree.QName(m).localname for m in rpr] if rpr is not None else [] for text, rpr in marked}
    # The removed area is struck whole; the renamed one's heading (no word in common) is replaced whole …
    assert kinds["Stöld- och tillgreppsbrott"] == ["del"]
    assert replaced(body, "Trygga ungdomar", "Unga i Oxelösund")
    # … and its content is paired with its own old content: unchanged, not struck against the removed area.
    goal = next(p for p in body.iter(w("p")) if "".join(p.itertext()).startswith("Målet är att ungdomar"))
    assert not goal.xpath(".//w:ins | .//w:del", namespaces=NS)
    sspf = next(p for p in body.iter(w("p")) if "".join(p.itertext()) == "samordna SSPF-arbetet i kommunens skolor")
    assert not sspf.xpath(".//w:ins | .//w:del", namespaces=NS)


def test_header_changes_are_tracked_and_pages_count_from_the_agreement() -> None:
    docx = redline(loads(BASE), loads(EDITS["nasta-ar"]))
    names = zipfile.ZipFile(io.BytesIO(docx)).namelist()
    headers = [n for n in names if re.fullmatch(r"word/header\d*\.xml", n)]
    footers = [n for n in names if re.fullmatch(r"word/footer\d*\.xml", n)]
    header = part(docx, headers[0])
    assert any("UTKAST" in (d.findtext(f".//{w('delText')}") or "") for d in header.iter(w("del")))
    assert "UTKAST" not in "".join(resolve_element(part(docx, headers[0]), "ins").itertext())
    assert "UTKAST" in "".join(resolve_element(part(docx, headers[0]), "del").itertext())
    footer = etree.tostring(part(docx, footers[0]), encoding="unicode")
    assert "SECTIONPAGES" in footer and "NUMPAGES" not in footer.replace("SECTIONPAGES", "")
    last = part(docx).find(w("body")).find(w("sectPr"))
    assert last.find(w("pgNumType")).get(w("start")) == "1"


# -- the command: guard rails and the Word summary ------------------------------------------------


def run(tmp_path: Path, old: str, new: str, *args: str) -> object:
    a, b = tmp_path / "gammal.yaml", tmp_path / "ny.yaml"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    return CliRunner().invoke(cli, ["diff", str(a), str(b), "-o", str(tmp_path / "ut"), *args])


def test_other_kommun_and_older_new_version_are_warned_about(tmp_path: Path) -> None:
    other = BASE.replace("Oxelösunds kommun", "Nyköpings kommun").replace("kortnamn: Oxelösund", "kortnamn: Nyköping")
    result = run(tmp_path, BASE, other, "--no-redline")
    assert result.exit_code == 0
    assert "Varning: den tidigare versionen gäller Oxelösunds kommun men den nya Nyköpings kommun" in result.stderr
    older = run(tmp_path, EDITS["nasta-ar"], BASE, "--no-redline")
    assert older.exit_code == 0
    assert "Varning: den nya versionen (1 januari 2024, 2024–2025) är äldre än den tidigare" in older.stderr
    assert "Varning" not in run(tmp_path, BASE, EDITS["nasta-ar"], "--no-redline").stderr


def test_errors_of_both_files_are_reported_at_once(tmp_path: Path) -> None:
    result = run(tmp_path, BASE.replace("status: utkast", "status: klar"), BASE.replace("ansvar: kommunen", "ansvar: kommun", 1))
    assert result.exit_code == 1
    assert "gammal.yaml:" in result.output and "ny.yaml:" in result.output
    assert result.output.index("gammal.yaml:") < result.output.index("ny.yaml:")
    assert "Traceback" not in result.output and not (tmp_path / "ut").exists()


def test_format_docx_writes_the_summary_in_the_kommuns_template(tmp_path: Path) -> None:
    new = edit(BASE, "ett nära samarbete", "ett mycket nära och förtroendefullt samarbete")
    new = edit(new, "minst 40 trafikkontroller", "minst 60 trafikkontroller")
    result = run(tmp_path, BASE, new, "--format", "docx", "--no-redline")
    assert result.exit_code == 0, result.output
    (path,) = [Path(line) for line in result.output.splitlines()]
    assert path.name.endswith("-sammanfattning.docx") and path.parent == tmp_path / "ut" / "oxelosund"
    docx = path.read_bytes()
    body = part(docx).find(w("body"))
    styles = [p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) for p in body.iter(w("p"))]
    assert styles[0] == "Heading1" and "Heading2" in styles and "ListBullet" in styles
    text = [("".join(t.text or "" for t in p.iter(w("t")))) for p in body.iter(w("p"))]
    assert "Väsentliga ändringar" in text and "Ändrade texter" in text
    assert "Omfattning: minst 40 trafikkontroller → minst 60 trafikkontroller" in text
    struck = [r.findtext(w("t")) for r in body.iter(w("r")) if r.find(f"{w('rPr')}/{w('strike')}") is not None]
    underlined = [r.findtext(w("t")) for r in body.iter(w("r")) if r.find(f"{w('rPr')}/{w('u')}") is not None]
    assert underlined == ["mycket", "och förtroendefullt"]
    assert struck == []
    assert not body.xpath(".//w:headerReference | .//w:footerReference", namespaces=NS)
    assert "samverkan diff" not in "".join(text)


def test_a_paragraph_cut_in_two_is_said_to_be_split() -> None:
    def cut(d: dict) -> None:
        text = d["del1"]["bakgrund"]
        d["del1"]["bakgrund"] = text.replace("I del 1 har vi kommit överens om hur vi ska arbeta tillsammans och i del 2",
                                             "I del 1 har vi kommit överens om hur vi ska arbeta tillsammans.\n\nI del 2")
    old, new = loads(BASE), loads(variant(cut))
    text = format_text(compare(old, new))
    assert "Bakgrund, stycke 3 har delats i två (nu stycke 3 och 4), utan annan ändring" not in text  # words changed
    glued = variant(lambda d: d["del1"].update(bakgrund=d["del1"]["bakgrund"].replace(
        "Polismyndigheten.\n\nOxelösunds kommun arbetar", "Polismyndigheten. Oxelösunds kommun arbetar")))
    joined = format_text(compare(old, loads(glued)))
    assert "• Bakgrund, stycke 1 och 2 har slagits ihop (nu stycke 1), utan annan ändring" in joined.splitlines()
    apart = format_text(compare(loads(glued), old))
    assert "• Bakgrund, stycke 1 har delats i två (nu stycke 1 och 2), utan annan ändring" in apart.splitlines()
    docx = redline(loads(glued), old)
    assert accepted(docx, styles=True) == plain(render_docx(old), styles=True)
    assert rejected(docx, styles=True) == plain(render_docx(loads(glued)), styles=True)


SERIES_LINES = {
    # The signing page's own words, one line: place and date as printed, or that the source does not say.
    ("vingaker", 2020, 2022): ["• Underskrifterna, ort och datum: 3 februari 2020 → framgår inte av den publicerade versionen"],
    ("askersund", 2018, 2020): ["• Underskrifterna, ort och datum: Askersund den 1 januari 2018 → framgår inte av den "
                                "publicerade versionen",
                                "• ”Askersund – medborgarlöften”, Så här ska vi göra (nytt): ”Medborgarlöftet som ska "
                                "gälla under tiden 1 januari 2020 - 30 juni 2021:”"],
    ("hallstahammar", 2022, 2023): ["• Underskrifterna, ort och datum (borttaget): ”12 maj 2022”"],
    # The agreement a löfte of its own belongs to, by its period, not by the file's keys.
    ("vingaker", 2022, 2023): ["• Överenskommelsens period (nytt): ”2023–2026”"],
}


@pytest.mark.parametrize("kommun,a,b", sorted(SERIES_LINES))
def test_the_real_series_are_summarised_in_the_documents_words(kommun: str, a: int, b: int) -> None:
    folder = Path(__file__).resolve().parent.parent / "agreements" / kommun
    old, new = (loads((folder / f"{y}.yaml").read_text(encoding="utf-8")) for y in (a, b))
    body = format_text(compare(old, new, match(old, new))).split("\n\n", 2)[2]
    for line in SERIES_LINES[(kommun, a, b)]:
        assert line in body.splitlines(), (line, body)
    for pattern, what in [*FORBIDDEN, (re.compile(r"^\s*• ”?(start|slut|ort|datum):", re.M), "ett fältnamn"),
                          (re.compile(r":\s+→"), "ett tomt gammalt värde")]:
        assert not pattern.search(body), (what, body)
    # A löfte of its own: its period is the file's, said once.
    assert len(re.findall(r"^\s*• Period:", body, re.M)) <= 1, body


def test_a_moved_focus_area_of_a_medborgarlofte_is_a_move_in_the_redline() -> None:
    """Fokusområden printed as a numbered list move as paragraphs, as the summary says they move."""
    import yaml

    source = Path(__file__).resolve().parent.parent / "agreements" / "hallstahammar" / "2024.yaml"
    text = source.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    focus = data["medborgarlofte"]["fokusomraden"]
    focus.insert(0, focus.pop(2))
    old, new = loads(text), loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    summary = format_text(compare(old, new, match(old, new)))
    title = "Ungdomar (identifiera barn och unga i riskzonen, förhindra kriminalitet och droger)"
    assert f"• Fokusområde ”{title}” har flyttats från plats 3 till plats 1" in summary.splitlines()
    docx = redline(old, new)
    ((away, here),) = moves(docx).values()
    assert away == here and away.endswith(title)
    assert accepted(docx, styles=True) == plain(render_docx(new), styles=True)
    assert rejected(docx, styles=True) == plain(render_docx(old), styles=True)


def _vingaker_with_groups_swapped() -> tuple[str, str]:
    """Vingåker 2023 with the kommun's promises (lead-in and list) put before the police's."""
    import yaml

    from edits import dump

    text = (Path(__file__).resolve().parent.parent / "agreements" / "vingaker" / "2023.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    groups = data["medborgarlofte"]["grupper"]
    groups.insert(0, groups.pop(1))
    return text, dump(data)


def test_paragraphs_that_moved_unchanged_are_a_move_in_summary_and_redline() -> None:
    old_text, new_text = _vingaker_with_groups_swapped()
    old, new = loads(old_text), loads(new_text)
    summary = format_text(compare(old, new, match(old, new)))
    assert "  • Ingresser till löftena: ”Kommunen lovar att:” har flyttats från stycke 2 till stycke 1" in summary.splitlines()
    assert "borttaget" not in summary and "nytt stycke" not in summary
    docx = redline(old, new)
    ((away, here),) = moves(docx).values()
    assert away == here and away.startswith("Kommunen lovar att:genomföra den årliga trygghetsvandringen")
    assert accepted(docx, styles=True) == plain(render_docx(new), styles=True)
    assert rejected(docx, styles=True) == plain(render_docx(old), styles=True)

