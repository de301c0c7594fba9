"""What a page reviewer found on main's rendered documents and web pages (session 4), kept fixed.

Each test names the finding it guards: a fact the source does not give,
areas printed two different ways, a lead-in cut off from its list, titles
without kommun or period, repetition, and the signature page of a draft.
"""

from __future__ import annotations

import re

import pytest
from conftest import AGREEMENTS
from test_faithful import docx_paragraphs, rendered

from samverkan.errors import InvalidAgreement
from samverkan.model.loader import load, loads


def _docs(path: str) -> list[list[tuple[str, str]]]:
    return [docx_paragraphs(d) for d in rendered(load(AGREEMENTS / path))]


def _texts(doc: list[tuple[str, str]]) -> list[str]:
    return [" ".join(text.split()) for _, text in doc]


# -- 1. a period the source does not give ------------------------------------------------


def test_an_agreement_period_the_source_does_not_give_is_not_printed() -> None:
    agreement_doc, promise_doc = _docs("oxelosund/2024.yaml")
    said = "\n".join(_texts(agreement_doc))
    assert "Överenskommelsen gäller" not in said
    assert "Period: 2024–2025" not in said
    assert not re.search(r"Samverkansöverenskommelse[^\n]*20\d\d", said)
    # the medborgarlöfte's own period is the source's and stays
    assert "Period: 2024–2025" in _texts(promise_doc)


def test_only_an_agreement_period_can_be_unpublished() -> None:
    text = (AGREEMENTS / "koping/2024.yaml").read_text(encoding="utf-8")
    text = text.replace("  slut: 2024\n", "  slut: 2024\n  ej_publicerad: true\n", 1)
    with pytest.raises(InvalidAgreement, match="ej_publicerad"):
        loads(text)


# -- 2. the areas of one list printed one way ----------------------------------------------


def test_areas_of_one_list_are_all_headings_or_all_list_items() -> None:
    (doc,) = _docs("koping/2024.yaml")
    first = next((style, text) for style, text in doc if "Förebyggande arbete mot barn" in text)
    second = next((style, text) for style, text in doc if "Ökad trygghet och minskad" in text)
    assert first[0] == second[0] and not first[0].startswith("Heading"), (first, second)
    assert first[1].startswith("1.\t") and second[1].startswith("2.\t")


# -- 3, 7, 8. the web page: structure, titles, heading levels ------------------------------


def _html(path: str) -> list[str]:
    from samverkan.publish.web import medborgarlofte_html

    agreement = load(AGREEMENTS / path)
    return [medborgarlofte_html(agreement, p) for p in agreement.promises()]


def test_the_web_page_keeps_the_areas_order_and_what_is_under_each() -> None:
    (html,) = _html("koping/2024.yaml")
    first, second = html.index(">Förebyggande arbete mot barn"), html.index(">Ökad trygghet och minskad")
    assert first < second
    area_one = html[first:second]
    assert "<p>Brottsligheten i samhället" in area_one  # its description is text under it, not a list item
    assert '<p class="ingress-lista">Exempel på planerade åtgärder</p>\n<ul>' in area_one
    assert re.search(r'<ol>\s*<li value="1">Förebyggande', html) and '<li value="2">Ökad trygghet' in html


def test_the_web_title_names_kommun_and_years_and_differs_between_years() -> None:
    (oxelosund,) = _html("oxelosund/2021.yaml")
    assert "<h1>Medborgarlöfte 2021 – Oxelösunds kommun</h1>" in oxelosund
    titles = [re.search(r"<title>(.*)</title>", _html(f"hallstahammar/{y}.yaml")[0]).group(1) for y in (2022, 2023, 2024)]
    assert len(set(titles)) == 3 and all(str(y) in t for y, t in zip((2022, 2023, 2024), titles)), titles


@pytest.mark.parametrize("path", sorted(p.relative_to(AGREEMENTS).as_posix() for p in AGREEMENTS.rglob("*.yaml")))
def test_web_headings_skip_no_level_and_numbered_lists_are_ordered(path: str) -> None:
    for html in _html(path):
        levels = [int(n) for n in re.findall(r"<h(\d)>", html)]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path, levels)
        assert not re.search(r"<ul>\s*<li>\d+\. ", html), path
        assert not re.search(r"<h\d>[^<]*(lovar|ska|förbinder sig)[^<]*:</h\d>", html), path


# -- 4. keywords are whole names in the PDF ------------------------------------------------


def test_pdf_keywords_are_whole_names(tmp_path) -> None:
    import pikepdf
    from click.testing import CliRunner

    from samverkan.cli.commands import cli

    result = CliRunner().invoke(cli, ["render", str(AGREEMENTS / "koping" / "2024.yaml"), "-o", str(tmp_path), "-q",
                                      "--format", "pdf"])
    assert result.exit_code == 0, result.output
    with pikepdf.open(next(tmp_path.rglob("*.pdf"))) as pdf:
        info = str(pdf.docinfo["/Keywords"])
        xmp = pdf.open_metadata()["pdf:Keywords"]
    assert "Köpings kommun; Lokalpolisområde Västra Mälardalen" in info
    assert xmp == info


# -- 5, 6. a lead-in directly followed by what it leads in to, on the same page -------------


def test_a_lead_in_is_followed_by_its_methods_not_by_a_generated_heading() -> None:
    import io
    import zipfile

    agreement = load(AGREEMENTS / "oxelosund/2024.yaml")
    data = rendered(agreement)[0]
    body = [(style, text) for style, text in docx_paragraphs(data) if text.strip()]
    at = next(i for i, (_, text) in enumerate(body) if text.endswith("vad du själv kan göra:"))
    assert body[at + 1] == ("Heading2", "Grannsamverkan"), body[at + 1]
    assert ("Heading1", "Metoder") not in body
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    for lead_in in re.findall(r"<w:p>(?:(?!</w:p>).)*?:</w:t></w:r></w:p>", xml):
        assert "<w:keepNext/>" in lead_in, lead_in[-200:]


def test_the_source_heading_over_the_promise_is_kept() -> None:
    (doc,) = _docs("osthammar/2021.yaml")
    body = [(style, text) for style, text in doc if text.strip()]
    at = body.index(("Heading2", "Östhammars kommuns medborgarlöfte 2021"))
    assert body[at + 1][1].startswith("Medborgarlöfte för 2021 har fastställts")


# -- 10. titles in the properties name the whole period ------------------------------------


def test_the_property_title_names_the_whole_period() -> None:
    from samverkan.documents.context import metadata_title

    agreement = load(AGREEMENTS / "oxelosund/2024.yaml")
    title = metadata_title(agreement, "medborgarlofte", agreement.promises()[0])
    assert "2024–2025" in title and "Oxelösunds kommun" in title
    assert f"<title>{title}</title>" in _html("oxelosund/2024.yaml")[0]


# -- 12. no repetition the parties did not write ---------------------------------------------


@pytest.mark.parametrize("path", ["oxelosund/2024.yaml", "oxelosund/2021.yaml", "osthammar/2021.yaml", "strangnas/2017.yaml"])
def test_parties_and_version_code_are_not_repeated(path: str) -> None:
    agreement = load(AGREEMENTS / path)
    for doc in _docs(path):
        body = [text for style, text in doc if style not in ("Header", "Footer") and text.strip()]
        assert not any(t.startswith("Parter:") for t in body)
        assert sum("Versionskod" in t for t in body) <= 1  # the footer has it; the signature page at most once more
        assert not any(t.endswith(f"Versionskod {agreement.fingerprint()}.") for t in body)


# -- 11. a signing day without a place is said as a date ------------------------------------


def test_a_signing_day_without_a_place_is_labelled_and_no_day_is_derived() -> None:
    (doc,) = _docs("hallstahammar/2022.yaml")
    texts = _texts(doc)
    at = texts.index("Underskrifter")
    assert texts[at + 1] == "Datum för underskrifterna: 12 maj 2022"
    (vingaker,) = _docs("vingaker/2023.yaml")
    assert "Ort och datum för underskrifterna framgår inte av den publicerade versionen." in _texts(vingaker)
    assert not any("27 mars 2023" in t for t in _texts(vingaker))


# -- 9. the help's examples work on the bundled files ----------------------------------------


def test_the_web_help_examples_run_on_the_bundled_files(tmp_path, monkeypatch) -> None:
    import shlex

    from click.testing import CliRunner

    from samverkan.cli.commands import cli

    monkeypatch.chdir(AGREEMENTS.parent)
    help_text = CliRunner().invoke(cli, ["web", "-h"]).output
    examples = [line.split() for line in help_text.splitlines() if line.strip().startswith("samverkan web ")]
    assert len(examples) >= 3
    for words in examples:
        args = [w for w in shlex.split(" ".join(words[2:]))]
        if "-o" in args:
            args[args.index("-o") + 1] = str(tmp_path / args[args.index("-o") + 1])
        else:
            args += ["-o", str(tmp_path)]
        result = CliRunner().invoke(cli, ["web", *args])
        assert result.exit_code == 0, (words, result.output)


# -- 14. roles with names in their own column; signatures a top-level section in every document --


def test_roles_name_the_person_in_a_column_of_its_own() -> None:
    agreement_doc, _ = _docs("oxelosund/2024.yaml")
    texts = _texts(agreement_doc)
    assert not any("(Stina Jansson)" in t for t in texts)
    at = texts.index("Roll")
    assert texts[at : at + 6] == ["Roll", "Namn", "Part", "Trygghetssamordnare", "Stina Jansson", "Kommunen"]


def test_a_promise_of_its_own_has_its_signatures_as_a_top_level_section_like_the_agreement() -> None:
    # The signed PDF's signature section is found by its H1 "Underskrifter" (publish, and the
    # conformance suite's comparison of a signed PDF with its render), whatever the document kind.
    (doc,) = _docs("koping/2024.yaml")
    assert ("Heading1", "Underskrifter") in doc and ("Heading2", "Underskrifter") not in doc


# -- 13. a draft with a signing place or day: said by validate -----------------------------


def test_validate_warns_that_a_draft_prints_no_signing_place_or_day(tmp_path) -> None:
    from click.testing import CliRunner

    from samverkan.cli.commands import cli

    text = (AGREEMENTS / "oxelosund/2024.yaml").read_text(encoding="utf-8").replace("status: undertecknad", "status: utkast")
    plain, dated = tmp_path / "utkast.yaml", tmp_path / "utkast-med-datum.yaml"
    plain.write_text(text, encoding="utf-8")
    dated.write_text(text.replace("  ort_och_datum_ej_publicerade: true", "  ort: Oxelösund\n  datum: 2024-03-12"), encoding="utf-8")
    quiet = CliRunner().invoke(cli, ["validate", str(plain)])
    warned = CliRunner().invoke(cli, ["validate", str(dated)])
    assert quiet.exit_code == 0 and "varning" not in quiet.output
    assert warned.exit_code == 0
    assert f"{dated}: varning: ort och datum för underskrifterna skrivs inte ut i ett utkast" in warned.stderr
