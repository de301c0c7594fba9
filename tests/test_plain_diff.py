"""`samverkan diff` with a plain document on one side: last year's Word file or published PDF.

The documents are real published medborgarlöften (tests/imported/, sources
named there). What the comparison must find is known from the source texts
themselves: comparing the two years' texts directly gives the real changes,
and reading them from .docx, tagged PDF or untagged PDF must give exactly
those – no fewer, and no false ones from the text extraction.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli import cli
from samverkan.compare.plain import Side, bare_words, align, compare_plain, loose, template_only
from samverkan.compare.plaindiff import diff_plain

from test_reading import expected

HERE = Path(__file__).resolve().parent / "imported"
FORMS = {"docx": "{}.docx", "pdf": "{}.pdf", "otaggad": "{}-otaggad.pdf"}


def source_side(name: str) -> Side:
    paragraphs = tuple(text for _, _, _, text in expected(HERE / "sources" / f"{name}.txt", tagged=True))
    return Side(HERE / "sources" / f"{name}.txt", True, "källtext", paragraphs)


def summary(comparison) -> list[tuple[str | None, str | None, bool]]:
    return [(c.old, c.new, c.moved) for c in comparison.counted]


@pytest.mark.parametrize("old_form", FORMS)
@pytest.mark.parametrize("new_form", FORMS)
def test_two_years_read_from_documents_give_exactly_the_changes_in_the_texts(old_form: str, new_form: str) -> None:
    truth = compare_plain(source_side("vingaker-2022"), source_side("vingaker-2023"))
    old = HERE / "documents" / FORMS[old_form].format("vingaker-2022")
    new = HERE / "documents" / FORMS[new_form].format("vingaker-2023")
    found = diff_plain(old, new, output=None)
    assert summary(found) == summary(truth)
    assert found.unchanged == truth.unchanged
    # the real changes are there, word by word
    lines = [(c.old, c.new) for c in found.counted]
    assert ("låta medborgare styra polisens inriktning under en arbetsdag.", None) in lines
    assert (None, "genomföra kunskapshöjande insatser riktat till äldre om hur man kan skydda sig mot olika "
            "typer av bedrägerier.") in lines
    changed = {c.old: c.segments for c in found.counted if c.old and c.new}
    assert ("+", " med särskilt fokus på landsbygden") in changed[
        "genomföra trafikkontroller med fokus att minska hastighetsöverträdelser i Vingåkers kommun."]


@pytest.mark.parametrize("source", ["kumla-2017-2019", "hallstahammar-odaterat", "mala-2020-2022"])
def test_the_same_text_in_another_form_has_no_changes(source: str) -> None:
    for a, b in (("docx", "pdf"), ("pdf", "otaggad"), ("otaggad", "docx")):
        found = diff_plain(HERE / "documents" / FORMS[a].format(source), HERE / "documents" / FORMS[b].format(source),
                           output=None)
        assert found.changes == (), (a, b, found.changes)


def test_paragraphs_broken_differently_are_the_same_text() -> None:
    old = ["Inledning", "Polisen lovar att arbeta med grannsamverkan. Kommunen lovar att se över belysningen."]
    new = ["Inledning", "Polisen lovar att arbeta med grannsamverkan.", "Kommunen lovar att se över belysningen."]
    assert align(old, new) == [((0,), (0,)), ((1,), (1, 2))]
    found = compare_plain(Side(Path("a.pdf"), True, "", tuple(old)), Side(Path("b.pdf"), True, "", tuple(new)))
    assert found.changes == () and found.rebroken == 1


def test_a_moved_paragraph_is_not_a_change() -> None:
    old = ("Polisen lovar att:", "genomföra trafikkontroller.", "Kommunen lovar att:", "genomföra trygghetsvandringar.")
    new = ("Kommunen lovar att:", "genomföra trygghetsvandringar.", "Polisen lovar att:", "genomföra trafikkontroller.")
    found = compare_plain(Side(Path("a.pdf"), True, "", old), Side(Path("b.pdf"), True, "", new))
    assert found.counted == ()
    assert len(found.moved) == 2


def test_extraction_differences_are_compared_loosely() -> None:
    assert loose("Medborgarlöfte 2020–2022") == loose("Medborgarlöfte 2020-2022")
    assert loose("”Din hastighet”\u00a0på  vägen") == loose('"Din hastighet" på vägen')
    assert loose("a – b") == loose("a - b")


def test_template_words_are_told_apart_from_the_files_text() -> None:
    values = ["genomföra trafikkontroller med fokus att minska hastighetsöverträdelser"]
    assert template_only("Så här ska vi göra", values)
    assert template_only("Polisen ska", values)
    assert not template_only("genomföra trafikkontroller med fokus att minska hastighetsöverträdelser", values)
    assert not template_only("Medborgarlöftet gäller 2023.", values, {"2023"})


def test_cli_says_one_side_is_a_plain_document_and_lists_the_changes(tmp_path: Path) -> None:
    old = HERE / "documents" / "vingaker-2022-otaggad.pdf"
    new = HERE / "documents" / "vingaker-2023.docx"
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Båda versionerna är vanliga dokument" in result.output
    assert "De strukturella raderna (prioriterade områden, ansvar, metoder, undertecknare, period) går inte" in result.output
    assert "• Borttaget stycke: låta medborgare styra polisens inriktning under en arbetsdag." in result.output
    assert "• Ändrat stycke: Medborgarlöfte [-2022-]{+2023+}" in result.output
    assert "Sidhuvuden, sidfötter och sidnummer i vingaker-2022-otaggad.pdf ingår inte" in result.output
    assert list(tmp_path.iterdir()) == []  # two plain documents: no agreement render to mark up
    as_json = json.loads(CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json"]).output)
    assert as_json["structural"] is False and as_json["plain_side"] == "old"
    assert "låta medborgare styra polisens inriktning under en arbetsdag." in as_json["paragraphs"]["removed"]


def test_cli_names_an_unreadable_document(tmp_path: Path) -> None:
    bad = tmp_path / "fjolaret.pdf"
    bad.write_bytes(b"%PDF-1.4 trasig")
    result = CliRunner().invoke(cli, ["diff", str(bad), str(HERE / "documents" / "vingaker-2023.docx")])
    assert result.exit_code == 1
    assert result.output.startswith(f"{bad}: PDF-filen går inte att läsa")
    assert "Traceback" not in result.output


def _words(changes) -> list[tuple[str, str]]:
    return [(bare_words(loose(c.old or "")), bare_words(loose(c.new or ""))) for c in changes]


@pytest.mark.parametrize("form", FORMS)
def test_last_years_published_document_against_this_years_file(form: str, root: Path) -> None:
    """Oxelösund's medborgarlöfte 2020 as a document, against the 2021 agreement file in agreements/.

    The changes found are exactly those between the two published texts; the
    template's own lines are set apart, and nothing else is called a change.
    """
    truth = compare_plain(source_side("oxelosund-2020"), source_side("oxelosund-2021"))
    old = HERE / "documents" / FORMS[form].format("oxelosund-2020")
    found = diff_plain(old, root / "agreements" / "oxelosund" / "2021.yaml", output=None)
    assert _words(found.counted) == _words(truth.counted)
    assert all(c.new and c.old is None for c in found.template)  # only the render adds template lines


def test_the_redline_accepts_to_the_new_side_and_rejects_to_the_old(tmp_path: Path, root: Path) -> None:
    from test_redline import accepted, rejected

    old = HERE / "documents" / "oxelosund-2020-otaggad.pdf"
    found = diff_plain(old, root / "agreements" / "oxelosund" / "2021.yaml", output=tmp_path, pdf=False)
    (docx,) = found.files
    assert docx.parent == tmp_path / "oxelosund" and docx.name.endswith("-jamfort-med-oxelosund-2020-otaggad.docx")

    def texts(paragraphs: list[str]) -> list[str]:
        return [p.replace("\n", "") for p in paragraphs if p.strip()]

    data = docx.read_bytes()
    assert texts(rejected(data, cover=False)) == texts(list(found.old.paragraphs))
    assert texts(accepted(data, cover=False)) == texts(list(found.new.paragraphs))
