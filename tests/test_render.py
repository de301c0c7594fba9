"""Rendering to Word (and, end to end, PDF): content, safety, determinism, templates, CLI."""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.cli.commands import cli
from samverkan.documents.cache import (
    MANIFEST,  # issue 8: the up-to-date manifest next to the outputs
)
from samverkan.documents.blocks import without_notes
from samverkan.documents.context import build_context
from samverkan.documents.reference import REGENERATE
from samverkan.documents.render import (
    DOCUMENTS,
    output_stem,
    render_docx,
    render_files,
    template_reference,
)
from samverkan.errors import ConversionError, OutputError, SamverkanError, TemplateError
from samverkan.model.characters import refused_character
from samverkan.model.loader import loads
from samverkan.model.models import Agreement

ROOT = Path(__file__).resolve().parent.parent

FULL = """\
status: undertecknad
datum: 2024-03-12
parter:
  kommun:
    namn: Oxelösunds kommun
    kommunkod: "0481"
    diarienummer: KS 2023/388
  polis:
    lokalpolisomrade: Lokalpolisområde Nyköping
    polisregion: Polisregion Öst
    diarienummer: A123.456/2023
period:
  start: 2024-01-01
  slut: 2025-12-31
  revidering: ses över årligen i styrgruppen
tidigare_version: KS 2021/77
del1:
  bakgrund: |
    Kommunen och Polisen har samverkat i många år.

    Den här överenskommelsen bygger vidare
    på det arbetet.
  syfte: Att minska brottsligheten och öka tryggheten i Oxelösund.
  delmal:
    - Fler grannsamverkansområden
  organisation:
    - namn: Styrgrupp
      beskrivning: Styrgruppen beslutar om inriktningen.
      medlemmar: [Kommundirektör, Lokalpolisområdeschef]
      motesfrekvens: fyra gånger per år
  roller:
    - titel: Kommunpolis
      namn: Mattias Hedström
      part: polisen
      beskrivning: Polisens kontaktperson för kommunen.
  lagesbild:
    text: Parterna tar fram en gemensam lägesbild varje år.
    kallor: [ntu-2023]
  kommunens_ansvar:
    samordningsfunktion: Trygghetssamordnaren är kommunens samordningsfunktion.
del2:
  prioriterade_omraden:
    - id: stold
      titel: Stöld- och tillgreppsbrott
      beskrivning: Stölderna ur fordon ökar igen.
      mal: [Minst 10 nya grannsamverkansområden]
      metoder: [grannsamverkan, est]
      aktiviteter:
        - text: utbilda kontaktombud
          ansvar: tillsammans
          frekvens: minst en gång per år
        - text: genomföra trafikkontroller
          ansvar: polisen
          omfattning: minst 40 trafikkontroller
          senast: 2024-06-01
        - text: informera om grannsamverkan
          ansvar: kommunen
medborgarloften:
  - id: ml-2024
    period:
      start: 2024-01-01
      slut: 2025-12-31
    lagesbild:
      text: Stölderna ökar igen, framför allt ur fordon.
      kallor: [tm-2019]
    mal: Färre stölder och ökad trygghet.
    genomforande: Polisen och kommunen ska underlätta för grannsamverkan.
    metoder: [batsamverkan]
    aktiviteter:
      - text: hålla informationsmöten om båtsamverkan
        ansvar: kommunen
        frekvens: två gånger per år
      - text: besöka båtklubbar
        ansvar: polisen
    uppfoljning: Löftet följs upp per tertial.
    folj_arbetet: Arbetet redovisas på polisen.se och oxelosund.se.
kallor:
  - id: tm-2019
    titel: Polisens trygghetsmätning 2019
    utgivare: Origo Group
    ar: 2020
  - id: ntu-2023
    titel: Nationella trygghetsundersökningen 2023
    utgivare: Brå
    ar: 2023
undertecknare:
  - namn: Dag Bergentoft
    titel: Kommunstyrelsens ordförande
    part: kommun
    ort: Oxelösund
    datum: 2024-03-12
  - namn: Ludvig Hellman
    titel: tf lokalpolisområdeschef
    part: polis
    ort: Nyköping
    datum: 2024-03-14
"""

MINIMAL = """\
status: utkast
parter:
  kommun: {namn: Strängnäs kommun}
  polis: {lokalpolisomrade: Lokalpolisområde Eskilstuna, polisregion: Polisregion Öst}
period: {start: 2023-03-01, slut: 2027-02-28}
"""

NASTY = "Tom & Jerry <b>fet</b> \"citat\" 'apostrof' {{ x }} {% if %} {_{ y }_} {# c #}"


def nasty_agreement() -> str:
    quoted = "'" + NASTY.replace("'", "''") + "'"
    return FULL.replace("syfte: Att minska brottsligheten och öka tryggheten i Oxelösund.", f"syfte: {quoted}").replace(
        "titel: Stöld- och tillgreppsbrott", "titel: 'Stöld {{ brott }} & <annat>'"
    )


# -- helpers ------------------------------------------------------------------


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style, text) for every paragraph of the body in order, table cells included."""
    document = docx.Document(io.BytesIO(data))
    result = []
    for element in document.element.body.iter(qn("w:p")):
        para = docx.text.paragraph.Paragraph(element, document)
        result.append((para.style.name if para.style is not None else "", para.text))
    return result


def all_text(data: bytes) -> str:
    """Body, tables, headers and footers as one text."""
    document = docx.Document(io.BytesIO(data))
    parts = [text for _, text in paragraphs(data)]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def full() -> bytes:
    return render_docx(loads(FULL))


@pytest.fixture(scope="module")
def promise() -> bytes:
    return render_docx(loads(FULL), "medborgarlofte")


# -- content --------------------------------------------------------------------


def test_full_document_has_every_part_in_swedish(full: bytes) -> None:
    text = all_text(full)
    for expected in [
        "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen",
        "Period: 2024–2025 (ses över årligen i styrgruppen)",
        "Diarienummer: Oxelösunds kommun: KS 2023/388",
        "Diarienummer: Polismyndigheten: A123.456/2023",
        "Datum: 12 mars 2024",
        "Status: Undertecknad",
        "Den här överenskommelsen bygger vidare på det arbetet.",
        "Kommunpolis\nMattias Hedström",  # the roles table: Roll | Namn | Part | Ansvar
        "Trygghetssamordnaren är kommunens samordningsfunktion.",
        "genomföra trafikkontroller",
        "minst 40 trafikkontroller; senast 1 juni 2024",
        "Metoder: Grannsamverkan, Effektiv samordning för trygghet (EST)",
        "hålla informationsmöten om båtsamverkan (två gånger per år)",
        "Oxelösund den 12 mars 2024",
        "Nyköping den 14 mars 2024",
        "Oxelösunds kommun · Lokalpolisområde Nyköping",  # header
        "Sida 1 av 1",  # footer fields (Word and LibreOffice update the numbers)
    ]:
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text and "UTKAST" not in text
    assert text.count("\u2013") >= 3  # en dashes in periods and method lines


def test_headings_use_heading_styles_in_reading_order(full: bytes) -> None:
    headings = [(style, text) for style, text in paragraphs(full) if style.startswith("Heading")]
    assert headings[:3] == [("Heading 1", "Del 1 – Hur vi samverkar"), ("Heading 2", "Parter och giltighetstid"),
                            ("Heading 2", "Bakgrund")]
    h1 = [text for style, text in headings if style == "Heading 1"]
    assert h1 == ["Del 1 – Hur vi samverkar", "Del 2 – Prioriterade områden och metoder", "Medborgarlöfte 2024–2025",
                  "Källor", "Underskrifter"]
    texts = [text for _, text in headings]
    for section in ("Lägesbild", "Det här ska vi åstadkomma tillsammans", "Så här ska vi göra", "Uppföljning",
                    "Följ med i hur det går", "Kommunens ansvar enligt lag (2023:196)"):
        assert section in texts
    assert ("Title", "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen 2024–2025") in paragraphs(full)


def test_a_heading_written_in_the_file_replaces_the_default() -> None:
    data = render_docx(loads(FULL.replace("    lagesbild:\n      text: Stölderna", "    lagesbild:\n      rubrik: Aktuell lägesbild\n      text: Stölderna")))
    texts = [text for style, text in paragraphs(data) if style.startswith("Heading")]
    assert "Aktuell lägesbild" in texts and "Lägesbild" not in texts


def test_activities_keep_the_written_order(full: bytes) -> None:
    items = [text for _, text in paragraphs(full)]
    start = items.index("Stöld- och tillgreppsbrott")
    area = items[start:items.index("Medborgarlöfte 2024–2025")]
    assert area.index("utbilda kontaktombud") < area.index("genomföra trafikkontroller") < area.index("informera om grannsamverkan")
    assert ["Aktivitet", "Ansvar", "Omfattning och tid"] == area[area.index("Aktivitet"):area.index("Aktivitet") + 3]
    assert "Tillsammans" in area and "Polisen" in area and "Kommunen" in area


def test_groups_keep_their_lead_in_and_promise_verb() -> None:
    text = FULL.replace("""    aktiviteter:
      - text: hålla informationsmöten om båtsamverkan
        ansvar: kommunen
        frekvens: två gånger per år
      - text: besöka båtklubbar
        ansvar: polisen
""", """    loftesverb: lovar att
    grupper:
      - ansvar: polisen
        aktiviteter:
          - text: besöka båtklubbar
            aktiviteter:
              - text: i hamnen
      - ansvar: kommunen
        rubrik: "Kommunen lovar i sin tur att:"
        aktiviteter:
          - text: hålla informationsmöten om båtsamverkan
      - ansvar: tillsammans
        aktiviteter:
          - text: följa upp
      - ansvar: var för sig
        verb: kommer att
        aktiviteter:
          - text: rapportera
""")
    body = paragraphs(render_docx(loads(text)))
    items = [t for _, t in body]
    order = ["Polisen lovar att:", "besöka båtklubbar", "i hamnen", "Kommunen lovar i sin tur att:",
             "hålla informationsmöten om båtsamverkan", "Kommunen och polisen lovar tillsammans att:", "följa upp",
             "Kommunen och polisen kommer var för sig att:", "rapportera"]
    assert [items.index(t) for t in order] == sorted(items.index(t) for t in order)
    styles = dict((t, s) for s, t in body)
    assert styles["i hamnen"] == "List Bullet 2" and styles["Polisen lovar att:"] == "Ingress"


def test_sources_are_footnotes_at_the_claim(full: bytes, promise: bytes) -> None:
    document = _part(full, "word/document.xml").decode("utf-8")
    notes = _part(full, "word/footnotes.xml").decode("utf-8")
    assert document.count("<w:footnoteReference") == 2
    assert notes.index("Nationella trygghetsundersökningen 2023. Brå, 2023.") < notes.index("Polisens trygghetsmätning 2019")
    text = all_text(full)
    assert "Nationella trygghetsundersökningen 2023. Brå, 2023." in text  # the list of sources too
    # The standalone medborgarlöfte lists only its own sources.
    own = all_text(promise)
    assert "Polisens trygghetsmätning 2019. Origo Group, 2020." in own and "Nationella trygghetsundersökningen" not in own
    assert _part(promise, "word/document.xml").count(b"<w:footnoteReference") == 1


def test_a_marker_in_the_text_puts_the_note_right_there() -> None:
    text = FULL.replace("text: Stölderna ökar igen, framför allt ur fordon.\n      kallor: [tm-2019]",
                        "text: Stölderna[^tm-2019] ökar igen, framför allt ur fordon.")
    xml = _part(render_docx(loads(text)), "word/document.xml").decode("utf-8")
    at = xml.index('<w:footnoteReference w:id="2"/>')
    assert xml.rindex("Stölderna", 0, at) > xml.rindex("<w:p", 0, at)  # in the same paragraph, after the word
    assert xml.index("ökar igen, framför allt ur fordon.", at) < xml.index("</w:p>", at)
    assert "[^tm-2019]" not in xml


def test_signature_page_is_last_and_starts_on_a_new_page(full: bytes) -> None:
    document = docx.Document(io.BytesIO(full))
    body = list(document.paragraphs)
    start = next(i for i, p in enumerate(body) if p.style.name == "Heading 1" and p.text == "Underskrifter")
    assert body[start].paragraph_format.page_break_before or body[start].style.paragraph_format.page_break_before
    assert all(p.style.name != "Heading 1" for p in body[start + 1:])
    tail = [p.text for p in body[start:]]
    fingerprint = loads(FULL).fingerprint()
    assert f"Versionskod: {fingerprint}" in tail
    # The signing table: kommun and polis side by side, lines with captions under them.
    table = document.tables[-1]
    assert list(document.element.body).index(table._tbl) > list(document.element.body).index(body[start]._p)
    left, right = ([p.text for p in cell.paragraphs] for cell in table.rows[0].cells)
    assert left == ["Oxelösunds kommun", "Oxelösund den 12 mars 2024", "Ort och datum", "", "Underskrift",
                    "Dag Bergentoft", "Namnförtydligande", "Kommunstyrelsens ordförande"]
    assert right[:2] == ["Polismyndigheten", "Nyköping den 14 mars 2024"] and right[-4:] == [
        "Ludvig Hellman", "Namnförtydligande", "tf lokalpolisområdeschef", ""]  # a cell keeps one paragraph
    lines = [p for p in table.rows[0].cells[0].paragraphs if p._p.find(qn("w:pPr")) is not None
             and p._p.find(qn("w:pPr")).find(qn("w:pBdr")) is not None]
    assert len(lines) == 3  # drawn lines, not typed underscores


def test_standalone_promise_is_only_the_public_part(promise: bytes) -> None:
    text = all_text(promise)
    assert "Medborgarlöfte 2024–2025" in text and "Så här ska vi göra" in text and "besöka båtklubbar" in text
    for absent in ("Del 1", "Del 2", "Underskrifter", "Dag Bergentoft", "Stöld- och tillgreppsbrott", "Överenskommelsen"):
        assert absent not in text
    assert docx.Document(io.BytesIO(promise)).core_properties.title == "Medborgarlöfte 2024–2025 – Oxelösunds kommun och Polisen"


def test_empty_sections_are_left_out() -> None:
    data = render_docx(loads(MINIMAL))
    headings = [text for style, text in paragraphs(data) if style.startswith("Heading")]
    assert headings == ["Del 1 – Hur vi samverkar", "Parter och giltighetstid", "Underskrifter"]
    assert "Överenskommelsen gäller 1 mars 2023 – 28 februari 2027." in all_text(data)
    assert not any(style.startswith("Heading") and not text.strip() for style, text in paragraphs(data))


def test_draft_shows_utkast_and_blank_signing_lines() -> None:
    draft = FULL.replace("status: undertecknad", "status: utkast")
    data = render_docx(loads(draft))
    document = docx.Document(io.BytesIO(data))
    assert "UTKAST" in document.sections[0].header.paragraphs[0].text
    body = [text for _, text in paragraphs(data)]
    assert any(t.startswith("UTKAST") for t in body[:5])  # banner on the title page
    assert document.sections[0].header.paragraphs[0].text.endswith("\tUTKAST – får inte undertecknas")  # every page
    assert body.count("UTKAST – får inte undertecknas") == 2  # the title page, and beside the signing table
    assert "Oxelösund den 12 mars 2024" not in body
    assert body.count("Ort och datum") == 2
    assert "Dag Bergentoft" in body  # names stay, dates are blank until signed
    assert "UTKAST" in all_text(render_docx(loads(draft), "medborgarlofte"))


def test_draft_without_signatories_has_a_blank_block_per_party() -> None:
    body = [text for _, text in paragraphs(render_docx(loads(MINIMAL)))]
    assert body.count("Namnförtydligande") == 2 and body.count("Underskrift") == 2 and body.count("Ort och datum") == 2
    assert "Strängnäs kommun" in body and "Polismyndigheten" in body


# -- safety -----------------------------------------------------------------------


def test_special_characters_and_jinja_look_alikes_appear_literally() -> None:
    agreement = loads(nasty_agreement())
    for document in DOCUMENTS:
        text = all_text(render_docx(agreement, document))
        if document == "overenskommelse":
            assert NASTY in text
            assert "Stöld {{ brott }} & <annat>" in text
    raw = render_docx(agreement)
    assert b"&lt;b&gt;fet&lt;/b&gt;" in _part(raw, "word/document.xml")


def _part(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


# -- page, language, properties, determinism --------------------------------------


def test_a4_swedish_arial_and_core_properties(full: bytes) -> None:
    document = docx.Document(io.BytesIO(full))
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.left_margin.cm == pytest.approx(2.5, abs=0.01)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    assert defaults.find(qn("w:rFonts")).get(qn("w:ascii")) == "Arial"
    props = document.core_properties
    assert props.title == "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen 2024–2025"
    assert props.author == "Oxelösunds kommun; Polismyndigheten, Lokalpolisområde Nyköping"
    assert props.keywords.split("; ") == ["Samverkansöverenskommelse", "brottsförebyggande arbete", "trygghet",
                                          "Oxelösunds kommun", "Lokalpolisområde Nyköping", "Polisregion Öst"]
    assert props.subject.startswith("Samverkansöverenskommelse 2024–2025")
    assert props.language == "sv-SE"
    assert props.created == props.modified == datetime(2024, 3, 12, tzinfo=timezone.utc)
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.endswith(f"Versionskod {loads(FULL).fingerprint()}")


def test_two_renders_are_byte_identical(full: bytes) -> None:
    assert render_docx(loads(FULL)) == full
    assert render_docx(loads(FULL), "medborgarlofte") == render_docx(loads(FULL), "medborgarlofte")


def test_a_content_change_changes_the_version_code() -> None:
    other = render_docx(loads(FULL.replace("minst 40", "minst 50")))
    assert loads(FULL).fingerprint() not in all_text(other)


# -- templates -----------------------------------------------------------------------


def make_template(path: Path, *texts: str) -> Path:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_own_template_gets_the_documented_variables(tmp_path: Path) -> None:
    template = make_template(tmp_path / "egen.docx", "{{ doc.title }}", "{%p for p in promises %}", "{{ p.title }}: {{ p.period }}",
                             "{%p endfor %}", "{{ kommun.place }} {{ polis.area }}")
    text = all_text(render_docx(loads(FULL), template=template))
    assert "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen" in text
    assert "Medborgarlöfte 2024–2025: 2024–2025" in text and "Oxelösund Lokalpolisområde Nyköping" in text


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["{{ doc.titel }}"], "mallen använder 'titel' i taggen {{ doc.titel }}, som inte finns"),
        (["Hej", "{{ okand }}"], "mallen använder variabeln 'okand' i taggen {{ okand }}, som inte finns"),
        (["{% for a in promises %}{{ a.namn }}{% endfor %}"], "'namn' i taggen {{ a.namn }}"),
        (["{%p if doc.is_draft %}", "utkast"],
         "Jinja-syntaxfel i taggen {% if doc.is_draft %}: blocket {% if %} stängs aldrig – lägg till {%p endif %}"),
        (["{{ doc.title }"], "Jinja-syntaxfel i stycket «{{ doc.title }»: oväntat '}'"),
        (["{% endfor %}"], "okänd tagg 'endfor'"),
        (["{{ doc.__class__ }}"], "som inte är tillåtet"),
    ],
    ids=["strict-undefined", "unknown-variable", "unknown-in-loop", "unclosed-block", "broken-tag", "stray-end", "sandbox"],
)
def test_template_errors_name_template_and_tag(tmp_path: Path, texts: list[str], expected: str) -> None:
    template = make_template(tmp_path / "egen.docx", *texts)
    with pytest.raises(TemplateError) as info:
        render_docx(loads(FULL), template=template)
    message = str(info.value)
    assert message.startswith(f"{template}: ")
    assert expected in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("mall.docx", b"inte en zip", "kan inte läsas som Word-dokument"),
     ("mall.odt", b"x", "måste vara ett Word-dokument (.docx)"),
     ("mall.docx", None, "mallen finns inte")],
)
def test_unusable_template_files(tmp_path: Path, name: str, content: bytes | None, expected: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(TemplateError, match=re.escape(expected)):
        render_docx(loads(FULL), template=path)


def test_template_reference_is_generated_and_committed() -> None:
    committed = (ROOT / "docs" / "template-reference.md").read_text(encoding="utf-8")
    assert committed == template_reference(), f"docs/template-reference.md är inaktuell – kör: {REGENERATE}"
    for name in build_context(loads(FULL)):
        assert f"| `{name}` |" in committed


def test_committed_templates_are_what_the_build_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "templates" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    module.main(["build", str(tmp_path)])
    for name in ("overenskommelse.docx", "medborgarlofte.docx"):
        assert (tmp_path / name).read_bytes() == (ROOT / "templates" / name).read_bytes(), name


# -- files and CLI ------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_output_stems() -> None:
    assert output_stem(loads(FULL), "overenskommelse") == "oxelosund-samverkansoverenskommelse-2024-2025"
    assert output_stem(loads(FULL), "medborgarlofte") == "oxelosund-medborgarlofte-2024-2025"
    assert output_stem(loads(MINIMAL), "overenskommelse") == "strangnas-samverkansoverenskommelse-2023-2027"
    open_ended = MINIMAL.replace("slut: 2027-02-28", "revidering: vart tredje år")
    assert output_stem(loads(open_ended), "overenskommelse") == "strangnas-samverkansoverenskommelse-2023-tills-vidare"


def test_cli_render_docx_writes_files_and_prints_paths(tmp_path: Path) -> None:
    write(tmp_path / "in", "oxelosund.yaml", FULL)
    write(tmp_path / "in", "strangnas.yaml", MINIMAL)
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["render", str(tmp_path / "in"), "-o", str(out), "--format", "docx", "-q"])
    assert result.exit_code == 0, result.output
    expected = [out / "oxelosund" / "oxelosund-samverkansoverenskommelse-2024-2025.docx",
                out / "oxelosund" / "oxelosund-medborgarlofte-2024-2025.docx",
                out / "strangnas" / "strangnas-samverkansoverenskommelse-2023-2027.docx"]
    assert result.stdout.splitlines() == [str(p) for p in expected]
    assert all(p.is_file() for p in expected)
    assert sorted(p.name for p in out.rglob("*") if p.name != MANIFEST) == sorted(["oxelosund", "strangnas"] + [p.name for p in expected])
    assert (out / "oxelosund" / expected[0].name).read_bytes() == render_docx(loads(FULL))


def test_cli_dry_run_writes_nothing(tmp_path: Path) -> None:
    source = write(tmp_path, "2024.yaml", FULL)
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "ut"), "-n"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 4 and result.stdout.splitlines()[-1].endswith(".pdf")
    assert not (tmp_path / "ut").exists()


def test_cli_invalid_file_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path / "in", "a.yaml", FULL)
    write(tmp_path / "in", "b.yaml", MINIMAL.replace("status: utkast", "status: klar"))
    result = CliRunner().invoke(cli, ["render", str(tmp_path / "in"), "-o", str(tmp_path / "ut"), "--format", "docx"])
    assert result.exit_code == 1
    assert "b.yaml:1:" in result.output and "Inget skrevs" in result.output
    assert not (tmp_path / "ut").exists()


def test_cli_bad_template_is_exit_1_with_message(tmp_path: Path) -> None:
    source = write(tmp_path, "2024.yaml", FULL)
    template = make_template(tmp_path / "mall.docx", "{{ doc.saknas }}")
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "ut"), "--template", str(template)])
    assert result.exit_code == 1
    assert f"{template}: mallen använder 'saknas' i taggen {{{{ doc.saknas }}}}" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "ut").exists()


class FailingConverter:
    def __init__(self) -> None:
        self.calls: list[list[tuple[Path, Path]]] = []

    def convert(self, jobs: list[tuple[Path, Path]]) -> None:
        self.calls.append(list(jobs))
        raise ConversionError("LibreOffice (soffice) finns inte")


def test_conversion_is_one_batch_and_failure_keeps_the_docx(tmp_path: Path) -> None:
    write(tmp_path / "in", "a.yaml", FULL)
    write(tmp_path / "in", "b.yaml", MINIMAL)
    converter = FailingConverter()
    with pytest.raises(ConversionError, match="Word-filerna är skrivna och finns kvar"):
        render_files([tmp_path / "in"], tmp_path / "ut", converter=converter)
    assert len(converter.calls) == 1 and len(converter.calls[0]) == 3
    for source, target in converter.calls[0]:
        assert source.is_file() and source.suffix == ".docx" and target == source.with_suffix(".pdf")


def test_cli_without_libreoffice_exits_1_with_hint_and_keeps_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write(tmp_path, "2024.yaml", FULL)
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    monkeypatch.delenv("SAMVERKAN_SOFFICE", raising=False)
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "ut"), "-q"])
    assert result.exit_code == 1
    assert "apt-get install" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "ut" / "oxelosund").iterdir() if p.name != MANIFEST) == [
        "oxelosund-medborgarlofte-2024-2025.docx", "oxelosund-samverkansoverenskommelse-2024-2025.docx"]


class WritingConverter:
    """Stands in for LibreOffice: writes a small file per job, records the batches."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[Path, Path]]] = []

    def convert(self, jobs: list[tuple[Path, Path]]) -> None:
        self.calls.append(list(jobs))
        for source, target in jobs:
            assert source.read_bytes()[:2] == b"PK"
            target.write_bytes(b"%PDF-1.7 " + source.name.encode())


def test_pdf_only_keeps_no_docx(tmp_path: Path) -> None:
    source = write(tmp_path, "2024.yaml", FULL)
    converter = WritingConverter()
    written = render_files([source], tmp_path / "ut", formats=("pdf",), converter=converter)
    folder = tmp_path / "ut" / "oxelosund"
    assert written == [folder / "oxelosund-samverkansoverenskommelse-2024-2025.pdf",
                       folder / "oxelosund-medborgarlofte-2024-2025.pdf"]
    assert sorted(p.name for p in folder.iterdir() if p.name != MANIFEST) == sorted(p.name for p in written)
    assert len(converter.calls) == 1 and all(not src.exists() for src, _ in converter.calls[0])


def test_template_folder_may_hold_both_templates(tmp_path: Path) -> None:
    source = write(tmp_path, "2024.yaml", FULL)
    folder = tmp_path / "mallar"
    folder.mkdir()
    make_template(folder / "medborgarlofte.docx", "Eget löfte: {{ doc.title }}")
    written = render_files([source], tmp_path / "ut", formats=("docx",), template=folder)
    full_doc, promise_doc = (all_text(p.read_bytes()) for p in written)
    assert "Del 1 – Hur vi samverkar" in full_doc  # no overenskommelse.docx in the folder: built-in
    assert "Eget löfte: Medborgarlöfte 2024–2025" in promise_doc
    (tmp_path / "tom").mkdir()
    with pytest.raises(TemplateError, match="mappen har ingen mall"):
        render_files([source], tmp_path / "ut3", formats=("docx",), template=tmp_path / "tom")
    # A single file is the template of the full agreement only.
    single = make_template(tmp_path / "egen.docx", "Egen: {{ doc.title }}")
    written = render_files([source], tmp_path / "ut2", formats=("docx",), template=single)
    assert all_text(written[0].read_bytes()).startswith("Egen: Samverkansöverenskommelse")
    assert "Så här ska vi göra" in all_text(written[1].read_bytes())


def test_two_files_for_the_same_output_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "in", "a.yaml", FULL)
    write(tmp_path / "in", "b.yaml", FULL.replace("minst 40", "minst 50"))
    with pytest.raises(OutputError, match="ger samma utfil"):
        render_files([tmp_path / "in"], tmp_path / "ut", formats=("docx",))
    assert not (tmp_path / "ut").exists()


def test_cli_shows_progress_on_stderr_only_for_several_files(tmp_path: Path) -> None:
    write(tmp_path / "in", "a.yaml", FULL)
    write(tmp_path / "in", "b.yaml", MINIMAL)
    several = CliRunner().invoke(cli, ["render", str(tmp_path / "in"), "-o", str(tmp_path / "ut"), "--format", "docx"])
    assert several.exit_code == 0 and "Kontrollerar" in several.stderr
    assert all(line.endswith(".docx") for line in several.stdout.splitlines())
    one = CliRunner().invoke(cli, ["render", str(tmp_path / "in" / "a.yaml"), "-o", str(tmp_path / "ut1"), "--format", "docx"])
    assert one.exit_code == 0 and "Kontrollerar" not in one.stderr and "Kontrollerad: " in one.stderr
    assert "Klar" not in one.stderr
    quiet = CliRunner().invoke(cli, ["render", str(tmp_path / "in"), "-o", str(tmp_path / "ut2"), "--format", "docx", "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_render_to_pdf_end_to_end(tmp_path: Path) -> None:
    """The real LibreOffice: samverkan render → PDF with the text, literally, on A4."""
    source = write(tmp_path, "2024.yaml", nasty_agreement())
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 0, result.output
    pdfs = [Path(line) for line in result.stdout.splitlines() if line.endswith(".pdf")]
    assert [p.name for p in pdfs] == ["oxelosund-samverkansoverenskommelse-2024-2025.pdf",
                                      "oxelosund-medborgarlofte-2024-2025.pdf"]
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert NASTY in text
    for expected in ("Del 1 – Hur vi samverkar", "Lägesbild", "Oxelösund den 12 mars 2024", "Underskrifter",
                     "Stöld {{ brott }} & <annat>"):
        assert expected in text
    info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True, check=True).stdout
    assert "A4" in info and "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen" in info
    promise_text = subprocess.run(["pdftotext", str(pdfs[1]), "-"], capture_output=True, text=True, check=True).stdout
    assert "Medborgarlöfte 2024–2025" in promise_text and "Underskrifter" not in promise_text


# -- property: any text an author can write comes out as written ------------------------

# What validate lets an author write: not refused characters (soft hyphen, bidi controls, …) and no
# "[^" (a source marker: validate reports an unknown or empty one; Agreement.model_validate alone does not).
AUTHOR_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"), min_size=1, max_size=60
).filter(lambda s: s.strip() and "[^" not in s and not refused_character(s))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(purpose=AUTHOR_TEXT, title=AUTHOR_TEXT)
def test_any_text_survives_into_the_document(purpose: str, title: str) -> None:
    base = loads(FULL).model_dump(mode="json", exclude_none=True)
    base["del1"]["syfte"] = {"text": purpose}
    base["del2"]["prioriterade_omraden"][0]["titel"] = title
    body = [text for _, text in paragraphs(render_docx(Agreement.model_validate(base)))]
    assert purpose.strip() in body
    assert title.strip() in body  # a value is read without the spaces at its ends


# -- every bundled agreement, end to end -------------------------------------------------

LONG_DATE = re.compile(r"\b\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) \d{4}\b")


def sections_of(variables: dict) -> list:
    """Every Section view in a context, in any nesting."""
    from samverkan.documents.context import Section

    found, stack = [], list(variables.values())
    while stack:
        item = stack.pop()
        if isinstance(item, Section):
            found.append(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in item.__dataclass_fields__)
    return found


def test_every_bundled_agreement_renders_to_checked_pdfs(bundled: list[Path]) -> None:
    from samverkan.documents.pdfcheck import inspect_pdf
    from samverkan.documents.render import documents_for
    from samverkan.model.loader import find_agreements, load

    sources = list(find_agreements([ROOT / "agreements"]))
    assert sources, "agreements/ has no examples"
    expected = sum(len(documents_for(load(p))) for p in sources) * 2  # (document, promise) pairs
    assert len(bundled) == expected
    by_name = {p.name: p for p in bundled}
    for source in sources:
        agreement = load(source)
        for document, promise_id in documents_for(agreement):
            stem = output_stem(agreement, document, promise_id)
            docx_path, pdf_path = by_name[f"{stem}.docx"], by_name[f"{stem}.pdf"]
            title = docx.Document(str(docx_path)).core_properties.title
            report = inspect_pdf(pdf_path)
            where = f"{source.relative_to(ROOT)} → {pdf_path.name}"
            assert all(size == (595.3, 841.89) or abs(size[0] - 595.3) < 1 and abs(size[1] - 841.9) < 1
                       for size in report.page_sizes), where
            assert report.tagged and report.lang == "sv-SE" and report.pdfa_part == "2", where
            assert report.title == title and report.has_outlines and not report.fonts_not_embedded, where
            text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
            flat = " ".join(text.split())
            assert "{{" not in flat and "{%" not in flat, where
            if agreement.datum is not None:
                assert LONG_DATE.search(flat), where
            else:
                assert "Datum:" not in flat, where  # no date unless the file gives one
            for section in sections_of(build_context(agreement, document, promise_id)):
                for para in section.paragraphs[:1] + [i.text for i in section.items[:1]]:
                    para = without_notes(para)
                    assert " ".join(para.split())[:120] in flat, f"{where}: {para[:60]}"


def test_progress_says_no_klar_for_an_invalid_file_and_follows_each_pdf(tmp_path: Path) -> None:
    from samverkan.documents.progress import Step

    write(tmp_path / "in", "a.yaml", FULL)
    write(tmp_path / "in", "b.yaml", MINIMAL.replace("status:", "statuss:"))
    steps: list[str] = []
    with pytest.raises(SamverkanError):
        render_files([tmp_path / "in"], tmp_path / "ut", formats=("docx",), progress=steps.append)
    assert steps == [f"Kontrollerad: {tmp_path / 'in' / 'a.yaml'}", f"Ogiltig: {tmp_path / 'in' / 'b.yaml'} (felen visas nedan)"]
    assert [(s.stage, s.done, s.total) for s in steps if isinstance(s, Step)] == [("read", 1, 2), ("read", 2, 2)]
