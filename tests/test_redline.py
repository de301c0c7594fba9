"""The redline: Word tracked changes whose accept-all gives NEW and reject-all gives OLD."""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from samverkan.cli.commands import cli
from samverkan.compare.paragraphmarks import faults
from samverkan.compare.redline import START_BOOKMARK, redline, redline_docx
from samverkan.compare.structure import compare
from samverkan.documents.convert import default_converter
from samverkan.documents.render import render_docx
from samverkan.model.loader import load
from samverkan.model.models import Agreement

from ooxml_review import accepted, after_cover, body_of, moves, paragraphs, plain, rejected, replaced, resolve

ROOT = Path(__file__).resolve().parent.parent
OXELOSUND = ROOT / "agreements" / "oxelosund"
TEMPLATE = ROOT / "templates" / "overenskommelse.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# -- an independent accept-all / reject-all, as Word does it: tests/ooxml_review.py ------------


def changes(docx: bytes) -> list[etree._Element]:
    return body_of(docx).xpath(".//w:ins | .//w:del", namespaces=NS)


def check_markup(docx: bytes, when: str | None) -> None:
    """The OOXML rules for revisions: attributes, unique ids, delText only inside deletions."""
    body = body_of(docx)
    marks = body.xpath(".//w:ins | .//w:del | .//w:pPrChange | .//w:moveFrom | .//w:moveTo", namespaces=NS)
    for mark in marks:
        assert mark.get(w("author")) == "samverkan"
        assert mark.get(w("date")) == (f"{when}T00:00:00Z" if when else None)  # no date made up
    ids = [int(x) for x in body.xpath(".//w:ins/@w:id | .//w:del/@w:id | .//w:pPrChange/@w:id | .//w:bookmarkStart/@w:id"
                                      " | .//w:moveFrom/@w:id | .//w:moveTo/@w:id | .//w:moveFromRangeStart/@w:id"
                                      " | .//w:moveToRangeStart/@w:id", namespaces=NS)]
    assert len(ids) == len(set(ids))
    assert not body.xpath(".//w:del//w:t", namespaces=NS)
    for text in body.iter(w("delText")):
        assert any(a.tag == w("del") for a in text.iterancestors())
    for mark in body.xpath(".//w:ins[not(parent::w:rPr) and not(parent::w:trPr)]", namespaces=NS):
        assert all(child.tag == w("r") for child in mark)
    for p in body.iter(w("p")):  # properties come first, once
        assert [n for n, child in enumerate(p) if child.tag == w("pPr")] in ([], [0])
    for r in body.iter(w("r")):
        assert [n for n, child in enumerate(r) if child.tag == w("rPr")] in ([], [0])
    for mark in body.xpath(".//w:pPrChange", namespaces=NS):
        assert mark.getparent().tag == w("pPr") and mark.getnext() is None
    for mark in body.xpath(".//w:rPr/w:ins | .//w:rPr/w:del", namespaces=NS):
        assert mark.getparent().index(mark) == 0 and mark.getparent().getparent().tag in (w("pPr"), w("r"))


# -- hand-made documents --------------------------------------------------------------------


def docx_of(blocks: list[Any]) -> bytes:
    """("Style", "text with |bold| parts") paragraphs and [[cell, …], …] tables."""
    document = Document()
    for block in blocks:
        if isinstance(block, tuple):
            style, text = block
            p = document.add_paragraph(style=style)
            for n, part in enumerate(text.split("|")):
                if part:
                    p.add_run(part).bold = n % 2 == 1
        else:
            table = document.add_table(rows=0, cols=len(block[0]))
            for row in block:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


OLD = [
    ("Heading 1", "Del 1 – Hur vi samverkar"),
    (None, "Det här är en |viktig| mening om trygghet i Oxelösund."),
    (None, "Ett stycke som försvinner helt."),
    ("List Bullet", "grannsamverkan"),
    ("List Bullet", "trygghetsvandringar"),
    [["Ansvar", "Aktivitet"], ["Kommunen", "utbilda kontaktombud"], ["Polisen", "trafikkontroller"]],
    (None, "Underskrifter"),
]
NEW = [
    ("Heading 1", "Del 1 – Hur vi samverkar"),
    (None, "Det här är en |mycket viktig| mening om den upplevda tryggheten i Oxelösund."),
    ("List Bullet", "grannsamverkan"),
    ("List Bullet", "båtsamverkan i hamnen"),
    ("List Bullet", "ett helt nytt löfte om något annat"),
    [["Ansvar", "Aktivitet"], ["Kommunen", "utbilda fler kontaktombud"], ["Tillsammans", "nattvandra"], ["Polisen", "trafikkontroller"]],
    (None, "Underskrifter"),
]


def test_hand_made_documents_accept_to_new_and_reject_to_old() -> None:
    old, new = docx_of(OLD), docx_of(NEW)
    result = redline_docx(old, new, date(2024, 3, 1))
    assert accepted(result, cover=False) == plain(new)
    assert rejected(result, cover=False) == plain(old)
    check_markup(result, "2024-03-01")


def test_changes_are_word_level_inside_the_paragraph_and_keep_formatting() -> None:
    body = body_of(redline_docx(docx_of(OLD), docx_of(NEW), date(2024, 3, 1)))
    p = body.findall(w("p"))[1]
    assert p.find(w("ins")) is not None and p.find(w("del")) is not None
    deleted = ["".join(d.itertext()) for d in p.findall(w("del"))]
    inserted = ["".join(i.itertext()) for i in p.findall(w("ins"))]
    assert deleted == ["trygghet"]
    assert inserted == ["mycket ", "den upplevda tryggheten"]
    # The inserted "mycket " sits in the bold part and stays bold.
    assert p.find(f"{w('ins')}/{w('r')}/{w('rPr')}/{w('b')}") is not None
    # Unchanged words are not marked.
    assert "Det här är en " in "".join(t.text for t in p.findall(f"{w('r')}/{w('t')}"))


def test_whole_paragraphs_and_rows_are_marked_with_their_mark() -> None:
    body = body_of(redline_docx(docx_of(OLD), docx_of(NEW), date(2024, 3, 1)))
    gone = [p for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None]
    came = [p for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w('ins')}") is not None]
    # Paragraphs with too few words in common are replaced whole, not word by word: a paragraph that goes
    # carries its mark, and one replaced right before a table (where LibreOffice could not join a paragraph
    # that goes) is one paragraph, its old text struck whole and its new text inserted whole.
    assert ["".join(p.itertext()) for p in gone] == ["Ett stycke som försvinner helt."]
    assert ["".join(p.itertext()) for p in came] == ["båtsamverkan i hamnen", "Tillsammans", "nattvandra"]
    assert replaced(body, "trygghetsvandringar", "ett helt nytt löfte om något annat")
    new_rows = [tr for tr in body.iter(w("tr")) if tr.find(f"{w('trPr')}/{w('ins')}") is not None]
    assert ["".join(tr.itertext()) for tr in new_rows] == ["Tillsammansnattvandra"]


@pytest.mark.parametrize("old_blocks,new_blocks", [
    # A paragraph replaced right before a kept table: one paragraph, old text struck, new inserted.
    ([("Heading 1", "Underskrifter"), (None, "3 februari 2020"), [["a", "b"]]],
     [("Heading 1", "Underskrifter"), (None, "Ort och datum framgår inte"), [["a", "b"]]]),
    # Paragraphs and a table inserted before a kept paragraph: the break moves to the paragraph before.
    ([(None, "Före"), (None, "Efter")], [(None, "Före"), ("Heading 2", "Roller"), [["Roll", "Part"]], (None, "Efter")]),
    # Old text and the signing table replaced by new text that ends the document.
    ([(None, "Inledning"), (None, "Gammal lägesbild"), ("Heading 1", "Underskrifter"), [["Kommunen", "Polisen"]],
      (None, "Versionskod: 1")],
     [(None, "Inledning"), ("Heading 2", "Ny rubrik"), (None, "Ny lägesbild"), ("Heading 1", "Underskrifter"),
      [["Kommunen", "Polisen"], ["x", "y"]], (None, "Versionskod: 2")]),
])
def test_libreoffice_leaves_nothing_behind_by_the_rules(old_blocks: list[Any], new_blocks: list[Any]) -> None:
    """The arrangements of compare/paragraphmarks.py (tests/test_libreoffice_review.py checks its rules)."""
    old, new = docx_of(old_blocks), docx_of(new_blocks)
    result = redline_docx(old, new, date(2024, 1, 1))
    assert accepted(result, cover=False) == plain(new)
    assert rejected(result, cover=False) == plain(old)
    assert faults([b for b in body_of(result) if b.tag != w("sectPr")]) == 0


def test_paragraphs_moved_unchanged_are_moves_and_a_short_one_alone_is_not() -> None:
    one, two = "Parterna möts varje månad i en gemensam ledningsgrupp.", "Lägesbilden följs upp varje tertial av båda parter."
    old = docx_of([(None, "Före"), (None, one), (None, two), (None, "Efter")])
    new = docx_of([(None, "Före"), (None, two), (None, one), (None, "Efter")])
    result = redline_docx(old, new, date(2024, 1, 1))
    assert accepted(result, cover=False) == plain(new)
    assert rejected(result, cover=False) == plain(old)
    ((away, here),) = moves(result).values()
    assert away == here and away in (one, two)
    short = redline_docx(docx_of([(None, "Före"), ("Heading 2", "Mål"), (None, "Syfte"), (None, "Efter")]),
                         docx_of([(None, "Före"), (None, "Syfte"), ("Heading 2", "Mål"), (None, "Efter")]), date(2024, 1, 1))
    assert moves(short) == {}  # a few letters alone: deleted and inserted, not called a move


def test_a_table_with_other_columns_is_replaced_whole() -> None:
    old = docx_of([(None, "Före"), [["a", "b"], ["c", "d"]], (None, "Efter")])
    new = docx_of([(None, "Före"), [["a", "b", "x"], ["c", "d", "y"]], (None, "Efter")])
    result = redline_docx(old, new, date(2024, 1, 1))
    assert accepted(result, cover=False) == plain(new)
    assert rejected(result, cover=False) == plain(old)


def test_track_changes_is_on_for_the_reviewers_own_edits() -> None:
    result = redline_docx(docx_of(OLD), docx_of(NEW), date(2024, 3, 1))
    settings = etree.fromstring(zipfile.ZipFile(io.BytesIO(result)).read("word/settings.xml"))
    names = [etree.QName(child).localname for child in settings]
    assert names.count("trackRevisions") == 1
    # Schema order: after the view and proofing settings, before the tab stop default.
    assert names.index("trackRevisions") < names.index("defaultTabStop")


def test_identical_documents_have_no_changes() -> None:
    doc = docx_of(NEW)
    result = redline_docx(doc, doc, date(2024, 1, 1))
    assert changes(result) == []
    assert plain(result) == plain(doc)


# -- the rendered agreements ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples() -> dict[str, Agreement]:
    return {year: load(OXELOSUND / f"{year}.yaml") for year in ("2020", "2021", "2024")}


@pytest.mark.parametrize(("old", "new"), [("2021", "2024"), ("2020", "2021")])
def test_bundled_examples_accept_to_new_and_reject_to_old(examples: dict[str, Agreement], old: str, new: str) -> None:
    a, b = examples[old], examples[new]
    result = redline(a, b)
    marks = changes(result)
    assert any(m.tag == w("ins") for m in marks) and any(m.tag == w("del") for m in marks)
    assert accepted(result) == plain(render_docx(b))
    assert rejected(result) == plain(render_docx(a))
    check_markup(result, b.document_date.isoformat() if b.document_date else None)


def test_cover_page_holds_the_summary_table(examples: dict[str, Agreement]) -> None:
    result = redline(examples["2021"], examples["2024"])
    cover = paragraphs(body_of(result))[:80]
    assert cover[0] == "Ändringar mellan versionerna"
    assert "Dokumentslag: medborgarlöfte → samverkansöverenskommelse" in cover
    assert "Del" in cover and "Ändring" in cover
    # The cover is outside the agreement's page count (issue 16): its section has no header or footer,
    # and the agreement's section numbers its pages from 1.
    sections = body_of(result).xpath(".//w:sectPr", namespaces=NS)
    assert len(sections) == 2
    assert not sections[0].xpath("w:headerReference | w:footerReference", namespaces=NS)
    assert sections[1].xpath("w:footerReference", namespaces=NS)
    assert sections[1].xpath("w:pgNumType/@w:start", namespaces=NS) == ["1"]


def test_same_content_gives_no_changes_even_from_another_template(examples: dict[str, Agreement], tmp_path: Path) -> None:
    agreement = examples["2024"]
    # The same content written differently (keys reordered, comments dropped).
    data = agreement.model_dump(mode="json", exclude_none=True)
    twin = Agreement.model_validate(dict(reversed(list(data.items()))))
    assert compare(agreement, twin).empty
    assert changes(redline(agreement, twin)) == []
    # Another template: other fonts and sizes in the styles.
    other = tmp_path / "annan-mall.docx"
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(other, "w") as target:
        for info in source.infolist():
            data_bytes = source.read(info.filename)
            if info.filename == "word/styles.xml":
                data_bytes = re.sub(rb'w:sz w:val="\d+"', b'w:sz w:val="30"', data_bytes)
            target.writestr(info, data_bytes)
    assert changes(redline(agreement, twin, template=other)) == []
    one, two = render_docx(agreement), render_docx(agreement, template=other)
    assert changes(redline_docx(one, two, agreement.document_date)) == []


def test_redline_is_reproducible(examples: dict[str, Agreement]) -> None:
    # Same input, same bytes: no clock and no random ids anywhere in the file.
    assert redline(examples["2020"], examples["2021"]) == redline(examples["2020"], examples["2021"])


def test_libreoffice_converts_the_redline(examples: dict[str, Agreement], tmp_path: Path) -> None:
    docx = tmp_path / "redline.docx"
    docx.write_bytes(redline(examples["2021"], examples["2024"]))
    pdf = tmp_path / "redline.pdf"
    default_converter().convert([(docx, pdf)])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ändringar mellan versionerna" in text
    assert "Trygga ungdomar" in text


def test_diff_command_writes_redline_and_pdf_and_prints_paths_last(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    result = CliRunner().invoke(
        cli, ["diff", str(OXELOSUND / "2021.yaml"), str(OXELOSUND / "2024.yaml"), "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    summary, _, paths = result.output.rstrip("\n").rpartition("\n\n")
    assert "Ny undertecknare: Dag Bergentoft, Kommunstyrelsens ordförande, för kommunen" in summary
    files = [Path(line) for line in paths.splitlines()]
    assert [f.suffix for f in files] == [".docx", ".pdf"]
    assert all(f.is_file() and f.parent == out / "oxelosund" for f in files)
    assert files[0].name.endswith("-andringar-fran-2021.docx")
    assert changes(files[0].read_bytes())


def test_diff_command_no_pdf_writes_only_the_docx(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["diff", str(OXELOSUND / "2020.yaml"), str(OXELOSUND / "2021.yaml"), "-o", str(tmp_path), "--no-pdf", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    files = json.loads(result.output)["files"]
    assert len(files) == 1 and files[0].endswith(".docx")
    assert sorted(p.suffix for p in tmp_path.rglob("*") if p.is_file()) == [".docx"]


def test_diff_command_without_libreoffice_exits_1_and_keeps_the_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKAN_SOFFICE", str(tmp_path / "finns-inte" / "soffice"))
    result = CliRunner().invoke(cli, ["diff", str(OXELOSUND / "2020.yaml"), str(OXELOSUND / "2021.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "LibreOffice" in result.output and "Traceback" not in result.output
    (docx,) = tmp_path.rglob("*.docx")
    assert f"Jämförelsedokumentet finns som Word-fil: {docx}" in result.output
    assert not list(tmp_path.rglob("*.pdf"))


# -- random edits keep accept/reject exact -----------------------------------------------------

WORDS = ["trygghet", "polisen", "kommunen", "grannar", "skolan", "och", "i", "hamnen", "minst", "fler"]


def _edit_text(text: str, data: st.DataObject) -> str:
    words = text.split(" ")
    n = data.draw(st.integers(0, len(words) - 1))
    op = data.draw(st.sampled_from(["replace", "insert", "delete"]))
    word = data.draw(st.sampled_from(WORDS))
    if op == "replace":
        words[n] = word
    elif op == "insert":
        words.insert(n, word)
    elif len(words) > 1:
        del words[n]
    return " ".join(words)


EDITS: list[str] = [
    "remove_area", "add_area", "reorder_areas", "remove_activity", "add_activity", "reorder_activities",
    "change_words", "change_words", "signatories", "sign", "period", "remove_promise", "role",
]  # fmt: skip


def _apply(data_: dict[str, Any], edit: str, data: st.DataObject) -> None:
    areas = data_.setdefault("del2", {}).setdefault("prioriterade_omraden", [])
    area = areas[data.draw(st.integers(0, len(areas) - 1))] if areas else None
    if edit == "remove_area" and areas:
        areas.remove(area)
    elif edit == "add_area":
        n = len(areas)
        areas.insert(
            data.draw(st.integers(0, n)),
            {"id": f"nytt-{n}", "titel": f"Nytt område {n}", "metoder": ["est"],
             "aktiviteter": [{"text": "hålla trygghetsvandringar i hamnen", "ansvar": "tillsammans"}]},
        )  # fmt: skip
    elif edit == "reorder_areas":
        areas[:] = data.draw(st.permutations(areas))
    elif edit == "remove_activity" and area and area.get("aktiviteter"):
        area["aktiviteter"].pop(data.draw(st.integers(0, len(area["aktiviteter"]) - 1)))
    elif edit == "add_activity" and area:
        area.setdefault("aktiviteter", []).insert(0, {"text": "ordna möten med grannar", "ansvar": data.draw(st.sampled_from(["kommunen", "polisen"]))})
    elif edit == "reorder_activities" and area and area.get("aktiviteter"):
        area["aktiviteter"][:] = data.draw(st.permutations(area["aktiviteter"]))
    elif edit == "signatories":
        people = data_["undertecknare"]
        if people and data.draw(st.booleans()):
            people.pop(data.draw(st.integers(0, len(people) - 1)))
        else:
            people.append({"namn": "Anna Ek", "titel": "Kommundirektör", "part": "kommun"})
    elif edit == "sign":  # a signed version: signing lines filled in, no draft mark
        data_["status"] = "undertecknad"
        for person in data_["undertecknare"]:
            person |= {"ort": "Oxelösund", "datum": "2024-03-12"}
    elif edit == "period":
        data_["period"]["slut"] = data.draw(st.sampled_from(["2026-12-31", "2027-02-28"]))
    elif edit == "remove_promise" and data_["medborgarloften"]:
        data_["medborgarloften"].pop()
    elif edit == "role" and data_.get("del1", {}).get("roller"):
        data_["del1"]["roller"][0]["titel"] = _edit_text(data_["del1"]["roller"][0]["titel"], data)
    elif edit == "change_words":
        target = data.draw(st.sampled_from(["syfte", "area", "promise"]))
        if target == "syfte" and data_.get("del1", {}).get("syfte"):
            section = data_["del1"]["syfte"]
            section["text"] = _edit_text(section["text"], data)
        elif target == "area" and area:
            area["titel"] = _edit_text(area["titel"], data)
        elif data_["medborgarloften"] and data_["medborgarloften"][0].get("mal"):
            section = data_["medborgarloften"][0]["mal"]
            section["text"] = _edit_text(section["text"], data)


@pytest.fixture(scope="module")
def bases() -> list[dict[str, Any]]:
    """Every bundled agreement as plain data."""
    files = sorted((ROOT / "agreements").rglob("*.yaml"))
    return [load(path).model_dump(mode="json", exclude_none=True) for path in files]


@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_edits_keep_accept_and_reject_exact(bases: list[dict[str, Any]], data: st.DataObject) -> None:
    base = data.draw(st.sampled_from(bases))
    old_data = copy.deepcopy(base)
    new_data = copy.deepcopy(base)
    for edit in data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=4)):
        # Edits go to either version, so both sides get material of their own.
        _apply(new_data if data.draw(st.booleans()) else old_data, edit, data)
    old, new = Agreement.model_validate(old_data), Agreement.model_validate(new_data)
    old_docx, new_docx = render_docx(old), render_docx(new)
    result = redline_docx(old_docx, new_docx, new.document_date, compare(old, new))
    assert accepted(result) == plain(new_docx)
    assert rejected(result) == plain(old_docx)
    check_markup(result, new.document_date.isoformat() if new.document_date else None)
    assert compare(old, new).empty == (old == new)
    if old == new:
        assert changes(result) == []
