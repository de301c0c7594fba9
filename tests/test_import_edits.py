"""`samverkan import EDITED.docx --into FILE`: edits made in Word or LibreOffice back into the YAML (issue 20).

Documents are rendered from a copy of an example, edited the way people edit them (tests/wordmarkup.py
imitates Word's markup; tests/lo_edit.py drives LibreOffice through UNO with change tracking on), and
imported. The file must then be exactly the expected text (values and comments), and a render of it
must print the edited text.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import wordmarkup as wm
from click.testing import CliRunner

from samverkan.cli import cli
from samverkan.documents import provenance
from samverkan.documents.docxedits import read_edits
from samverkan.documents.render import render_docx
from samverkan.model.loader import load
from samverkan.model.models import Agreement

EXAMPLES = Path(__file__).resolve().parent.parent / "agreements"
SOURCE = EXAMPLES / "oxelosund" / "2024.yaml"
LO_EDIT = Path(__file__).resolve().parent / "lo_edit.py"
BACKGROUND = "Oxelösunds kommun arbetar"


@pytest.fixture()
def work(tmp_path: Path) -> tuple[Path, bytes]:
    target = tmp_path / "2024.yaml"
    shutil.copy(SOURCE, target)
    return target, render_docx(load(target))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["import", *args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def imported(tmp_path: Path, target: Path, data: bytes, *options: str) -> tuple[int, str, str]:
    edited = tmp_path / "redigerad.docx"
    edited.write_bytes(data)
    return run(str(edited), "--into", str(target), *options)


def body_text(agreement_file: Path) -> list[str]:
    return [p.text for p in read_edits(render_docx(load(agreement_file))).paragraphs("body")]


def test_rendered_document_carries_its_source(work: tuple[Path, bytes]) -> None:
    target, data = work
    found = read_edits(data)
    source = provenance.read(found.properties, found.custom_parts)
    agreement = load(target)
    assert source.code == agreement.fingerprint() and source.kind == "overenskommelse"
    assert source.source is not None and Agreement.model_validate(source.source) == agreement
    assert render_docx(agreement) == data  # still byte-identical


def test_tracked_changes_and_comments_with_authors(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    data = wm.tracked_insert(data, BACKGROUND, "trygghetsskapande", "mycket ", "Anna Jurist")
    data = wm.tracked_delete(data, "Syftet är att", " (inklusive rädsla)", "Lars Polis")
    data = wm.comment(data, "I Oxelösund kommun har", "nära samarbete", "Anna Jurist", "Stämmer det?")
    code, out, err = imported(tmp_path, target, data)
    assert code == 0, out + err
    expected = original.replace("arbetar trygghetsskapande", "arbetar mycket trygghetsskapande").replace(
        "skadeverkningar (inklusive rädsla) av brott", "skadeverkningar av brott")
    assert target.read_text(encoding="utf-8") == expected
    assert "infogat (Anna Jurist, 2024-03-01) «mycket» – del1.bakgrund.text" in out
    assert "borttaget (Lars Polis, 2024-03-01) «(inklusive rädsla)» – del1.syfte.text" in out
    assert "Anna Jurist, 2024-03-01 om «nära samarbete» (del1.bakgrund.text): «Stämmer det?»" in out
    assert "Bakgrund, stycke 2:" in out and "{+mycket+}" in out  # the diff summary
    assert f"Skrev {target}" in err
    text = body_text(target)
    assert any("arbetar mycket trygghetsskapande" in t for t in text)


def test_reject_pending_keeps_the_text_as_rendered(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    data = wm.tracked_insert(data, BACKGROUND, "trygghetsskapande", "mycket ", "Anna Jurist")
    code, out, err = imported(tmp_path, target, data, "--reject-pending")
    assert code == 0 and target.read_text(encoding="utf-8") == original
    assert "införda som avvisade" in out and "inga ändringar att föra in" in err


def test_enter_splits_a_paragraph_and_list_items_are_added_removed_and_moved(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    data = wm.press_enter(data, "Syftet är att", "minska skadeverkningar")
    data = wm.new_paragraph_after(data, "bryr sig om sin båtgranne", "ringer polisen vid misstanke")
    data = wm.delete_paragraph(data, "pratar med okända")
    data = wm.move_paragraph_before(data, "är mer uppmärksam", "tillsammans ser om")
    code, out, err = imported(tmp_path, target, data)
    assert code == 0, out + err
    new = load(target)
    assert new.del1.syfte.text == ("Syftet är att minska sannolikheten för brott och\n\n"
                                   "minska skadeverkningar (inklusive rädsla) av brott.")
    points = next(m for m in new.egna_metoder if m.namn == "Båtsamverkan").punkter
    assert points == ["är mer uppmärksam på vilka som rör sig i området", "tillsammans ser om varandras båtar",
                      "bryr sig om sin båtgranne", "ringer polisen vid misstanke"]
    for line in original.splitlines():  # every comment of the author is still there
        if line.strip().startswith("#"):
            assert line in target.read_text(encoding="utf-8")
    text = body_text(target)
    assert "minska skadeverkningar (inklusive rädsla) av brott." in text
    assert "ringer polisen vid misstanke" in text


TABLE_AGREEMENT = """\
status: utkast
parter:
  kommun: {namn: Oxelösunds kommun, kommunkod: "0481"}
  polis: {lokalpolisomrade: Lokalpolisområde Nyköping}
period: {start: 2024, slut: 2025}
del2:
  prioriterade_omraden:
    - id: stold
      titel: Stöld- och tillgreppsbrott
      aktiviteter:
        - text: genomföra en utbildning för blivande kontaktombud
          ansvar: kommunen
          frekvens: minst en gång per år
"""


def test_a_row_typed_into_an_activity_table_is_a_new_activity(tmp_path: Path) -> None:
    target = tmp_path / "2024.yaml"
    target.write_text(TABLE_AGREEMENT, encoding="utf-8")
    original = target.read_text(encoding="utf-8")
    data = render_docx(load(target))
    data = wm.add_table_row(data, "genomföra en utbildning", ["hålla trygghetsvandringar i hamnen", "Kommunen", "två gånger per år"])
    code, out, err = imported(tmp_path, target, data)
    assert code == 0, out + err
    expected = original.replace(
        "          frekvens: minst en gång per år\n",
        "          frekvens: minst en gång per år\n        - text: hålla trygghetsvandringar i hamnen\n"
        "          ansvar: kommunen\n          frekvens: två gånger per år\n", 1)  # the neighbour's key order
    assert target.read_text(encoding="utf-8") == expected
    assert "hålla trygghetsvandringar i hamnen" in body_text(target)


def test_a_tracked_move_reorders_the_list(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    code, out, err = imported(tmp_path, target, wm.tracked_move(data, "bryr sig om sin båtgranne", "tillsammans ser om", "Anna Jurist"))
    assert code == 0, out + err
    moved = "      - bryr sig om sin båtgranne\n"
    expected = original.replace(moved, "").replace("      - tillsammans ser om", moved + "      - tillsammans ser om", 1)
    assert target.read_text(encoding="utf-8") == expected
    assert "flyttat från (Anna Jurist, 2024-03-01) «bryr sig om sin båtgranne»" in out
    assert "flyttat hit (Anna Jurist, 2024-03-01) «bryr sig om sin båtgranne»" in out


def test_formatting_is_reported_but_not_carried(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    code, out, err = imported(tmp_path, target, wm.bold(data, BACKGROUND, "trygghetsskapande"))
    assert code == 0 and target.read_text(encoding="utf-8") == original
    assert "Formatering som filen inte kan hålla (1, förs inte in)" in out and "«trygghetsskapande»" in out


def test_edits_without_a_place_are_reported_and_stop_the_import(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    data = wm.replace_text(data, "Syfte", "Syfte", "Syftet med samverkan")  # a fixed heading rewritten
    data = wm.new_paragraph_after(data, "Syftet är att", "Ny rubrik mellan avsnitten", style="Heading2")
    # a party the file cannot hold (a role row with a known party is read as a new role)
    data = wm.add_table_row(data, "Trygghetssamordnare", ["Kommunikatör", "", "Räddningstjänsten"])
    data = wm.replace_text(data, "Ort och datum för underskrifterna", "framgår", "syns")
    data = wm.tracked_insert(data, BACKGROUND, "trygghetsskapande", "mycket ", "Anna Jurist")
    code, out, err = imported(tmp_path, target, data)
    assert code == 1 and target.read_text(encoding="utf-8") == original
    assert "Ändringar som inte kan föras in i filen (4):" in out
    assert "avsnitt «Syftet med samverkan», stycke" in out and "«Syfte» → «Syftet med samverkan»" in out
    assert "nytt stycke som inte hör till något värde i filen: «Ny rubrik mellan avsnitten»" in out
    assert re.search(r"avsnitt «Roller», stycke \d+: ny tabellrad: «Kommunikatör \| Räddningstjänsten»", out)
    assert re.search(r"avsnitt «Underskrifter», stycke \d+: fast text ändrad \(mallens text, inte ett värde i filen\): "
                     r"«framgår» → «syns»", out)  # the signature page
    assert "inget skrevs" in err and "--allow-unmapped" in err
    code, out, err = imported(tmp_path, target, data, "--allow-unmapped")
    assert code == 0 and "Ej införda (4):" in out
    assert target.read_text(encoding="utf-8") == original.replace("arbetar trygghetsskapande", "arbetar mycket trygghetsskapande")


def test_dry_run_writes_nothing(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    code, out, err = imported(tmp_path, target, wm.replace_text(data, BACKGROUND, "trygghetsskapande", "tryggt"), "-n")
    assert code == 0 and "{+tryggt+}" in out.replace("[-trygghetsskapande-] ", "")
    assert target.read_text(encoding="utf-8") == original and "inget skrevs (-n)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024.yaml", "redigerad.docx"]


def test_a_file_changed_since_the_render_gives_three_way_conflicts(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    stale = original.replace("arbetar trygghetsskapande", "arbetar aktivt trygghetsskapande").replace(
        "Syftet är att minska", "Syftet är främst att minska")
    target.write_text(stale, encoding="utf-8")
    only_document = wm.replace_text(data, "I Oxelösund kommun har", "nära samarbete", "mycket nära samarbete")
    code, out, err = imported(tmp_path, target, only_document)
    assert code == 1 and "Konflikter (1)" in out and "del1.bakgrund.text" in out  # same value edited on both sides
    assert target.read_text(encoding="utf-8") == stale
    elsewhere = wm.replace_text(data, "bryr sig om sin båtgranne", "båtgranne", "båtgranne och hamnen")
    code, out, err = imported(tmp_path, target, elsewhere)
    assert code == 0, out + err  # the file's own change since the render is kept, the document's is added
    assert target.read_text(encoding="utf-8") == stale.replace("- bryr sig om sin båtgranne", "- bryr sig om sin båtgranne och hamnen")


def test_a_document_of_another_agreement_is_refused_unless_forced(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, _ = work
    other = render_docx(load(EXAMPLES / "olofstrom" / "2021.yaml"))
    code, out, err = imported(tmp_path, target, other)
    theirs, ours = load(EXAMPLES / "olofstrom" / "2021.yaml").fingerprint(), load(target).fingerprint()
    assert code == 1 and "kommer från en annan överenskommelse" in err and theirs in err and ours in err
    assert "--force" in err
    code, out, err = imported(tmp_path, target, other, "--force", "-n")
    assert f"varning: dokumentet har versionskod {theirs} men {target} har {ours}" in err
    assert "Ändrade texter" in out  # the other agreement's text compared with this file, nothing written
    assert load(target).fingerprint() == ours


def test_not_a_document_is_a_swedish_error(tmp_path: Path, work: tuple[Path, bytes]) -> None:
    target, _ = work
    code, out, err = imported(tmp_path, target, b"inte en zip")
    assert code == 1 and "redigerad.docx: filen är inte ett Word-dokument" in err and "Traceback" not in err


@pytest.mark.parametrize("save_again", [False, True], ids=["uno", "uno-then-saved-again"])
def test_edited_in_libreoffice_with_changes_tracked(tmp_path: Path, work: tuple[Path, bytes], save_again: bool) -> None:
    target, data = work
    original = target.read_text(encoding="utf-8")
    rendered = tmp_path / "utkast.docx"
    rendered.write_bytes(data)
    edits = tmp_path / "edits.json"
    edits.write_text(json.dumps([["author", "Lars Polis"], ["replace", "nära samarbete", "mycket nära samarbete"],
                                 ["append", "Syftet är att", "Ett andra stycke om syftet."]]))
    edited = tmp_path / "redigerad.docx"
    subprocess.run(["/usr/bin/python3", str(LO_EDIT), str(rendered), str(edited), str(tmp_path / "profil"), str(edits)],
                   check=True, timeout=300)
    if save_again:  # opened and saved once more, as a second reader would
        out_dir = tmp_path / "igen"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profil2'}", "--headless",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(edited)],
                       check=True, timeout=300, capture_output=True)
        edited = out_dir / "redigerad.docx"
    code, out, err = run(str(edited), "--into", str(target))
    assert code == 0, out + err
    expected = original.replace("ett nära samarbete", "ett mycket nära samarbete").replace(
        "  syfte: Syftet är att minska sannolikheten för brott och minska skadeverkningar (inklusive rädsla) av brott.\n",
        "  syfte: |-\n    Syftet är att minska sannolikheten för brott och minska skadeverkningar (inklusive rädsla) av brott.\n\n"
        "    Ett andra stycke om syftet.\n")
    assert target.read_text(encoding="utf-8") == expected
    assert "(Lars Polis" in out and "del1.bakgrund.text" in out
    assert "Ett andra stycke om syftet." in body_text(target)


# -- the writer on its own (samverkan.drafting.roundtrip) ------------------------------------------------


def test_rewrite_moves_only_the_words_that_changed() -> None:
    from samverkan.drafting.roundtrip import rewrite

    raw = "Första raden med ord\nfortsätter här.\n\nAndra stycket.\n"
    printed = "Första raden med ord fortsätter här.\n\nAndra stycket."
    new, _ = rewrite(raw, printed, "Första raden med fler ord fortsätter här.\n\nAndra stycket.\n\nTredje.", True)
    assert new == "Första raden med fler ord\nfortsätter här.\n\nAndra stycket.\n\nTredje.\n"


def test_folded_text_keeps_its_folds_and_an_emptied_list_stays_yaml() -> None:
    from dataclasses import dataclass

    from samverkan.drafting.roundtrip import apply_edits

    @dataclass
    class Edit:
        path: tuple
        old: str
        printed: str
        new: str | None
        multiline: bool

    @dataclass
    class Order:
        path: tuple
        order: tuple

    text = ("a:\n  text: >-\n    ett två tre\n    fyra fem\n  # om punkterna\n  punkter:\n    # den första\n"
            "    - x\n    - y\nb: 1\n")
    out = apply_edits(text, [Edit(("a", "text"), "ett två tre fyra fem", "ett två tre fyra fem", "ett TVÅ tre fyra fem", True)],
                      [Order(("a", "punkter"), ())])
    assert out == "a:\n  text: >-\n    ett TVÅ tre\n    fyra fem\n  # om punkterna\n  punkter: []\nb: 1\n"


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_paragraph_of_the_examples_is_traced(path: Path) -> None:
    """The marked render prints exactly what the ordinary one prints, and every value it prints is found."""
    from samverkan.documents.tracing import trace

    agreement = load(path)
    for document in ("overenskommelse", "medborgarlofte"):
        traced = trace(agreement, lambda a: render_docx(a, document))
        paragraphs = [t for part in traced.parts.values() for t in part]
        # only the version code differs: the marked copy is other content, with a code of its own
        unchecked = [t.text for t in paragraphs if not t.checked]
        assert all(agreement.fingerprint() in text for text in unchecked), unchecked
        printed = "\n".join(t.text for t in paragraphs)
        found = {s.value for t in paragraphs for s in t.segments if s.value is not None}
        for value in traced.values:
            if value.key not in found and len(value.text) > 40:  # a long text printed but not traced
                assert " ".join(value.text.split()) not in printed, value.path
