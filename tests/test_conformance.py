"""Every bundled render keeps the machine-checkable rules of PDF/A-2b and PDF/UA-1 (issue 14).

The bundled agreements are rendered once per test session (the ``bundled``
fixture in conftest.py) and every PDF is checked with
:func:`samverkan.documents.conformance.conformance_problems`, so a
LibreOffice or template change that breaks a rule fails here. Each rule is
also shown to fail: a render is broken in exactly one way with pikepdf and
the rule must name it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pikepdf
import pytest
from conftest import AGREEMENTS

from samverkan.documents.conformance import conformance_problems, parse_pdf_date, xmp_text
from samverkan.documents.pdfcontent import PdfContent, read_pdf
from samverkan.documents.render import documents_for, output_stem
from samverkan.model.loader import find_agreements, load

EXPECTED = sorted(
    f"{output_stem(agreement, document, promise)}.pdf"
    for agreement in (load(path) for path in find_agreements([AGREEMENTS]))
    for document, promise in documents_for(agreement)
)


@pytest.fixture(scope="session")
def pdfs(bundled: list[Path]) -> dict[str, Path]:
    return {p.name: p for p in bundled if p.suffix == ".pdf"}


@pytest.fixture(scope="session")
def contents(pdfs: dict[str, Path]) -> dict[str, PdfContent]:
    return {name: read_pdf(path) for name, path in pdfs.items()}


def test_every_bundled_agreement_has_its_pdfs(pdfs: dict[str, Path]) -> None:
    assert sorted(pdfs) == EXPECTED
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("name", EXPECTED)
def test_bundled_pdf_keeps_every_rule(contents: dict[str, PdfContent], name: str) -> None:
    assert [str(p) for p in conformance_problems(contents[name])] == []


@pytest.mark.parametrize("name", EXPECTED)
def test_identified_as_pdfa_2b_and_pdfua_1_in_swedish_with_its_title(
    contents: dict[str, PdfContent], pdfs: dict[str, Path], name: str
) -> None:
    content = contents[name]
    assert (xmp_text(content, "pdfaid", "part"), xmp_text(content, "pdfaid", "conformance")) == ("2", "B")
    assert xmp_text(content, "pdfuaid", "part") == "1"
    declared = [e.text for e in content.xmp.iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")]
    assert "http://www.aiim.org/pdfua/ns/id/" in declared
    assert str(content.pdf.Root.Lang) == "sv-SE"
    assert content.pdf.Root.ViewerPreferences.DisplayDocTitle
    title = docx.Document(str(pdfs[name].with_suffix(".docx"))).core_properties.title
    assert xmp_text(content, "dc", "title") == str(content.pdf.docinfo.Title) == title


def test_the_captions_under_the_signing_lines_are_artifacts(contents: dict[str, PdfContent]) -> None:
    """ "Underskrift" under an empty line and "Namnförtydligande" under a name are a paper form's labels for ink:
    artifacts like the lines, so assistive technology and the web page (which leaves them out) agree."""
    from samverkan.documents.structfix import CAPTIONS

    signed = 0
    for name, content in contents.items():
        blocks = {content.text_of(e) for e in content.elements if not e.children}
        assert not blocks & CAPTIONS, name
        furniture = {" ".join(text.split()) for page in content.pages for text in page.artifact_text}
        if any("Underskrift" in text for text in furniture):
            signed += 1
            assert {"Underskrift", "Namnförtydligande"} <= furniture, name
    assert signed >= 8


def test_every_title_says_whose_document_it_is(contents: dict[str, PdfContent]) -> None:
    """WCAG 2.4.2: "Askersund – medborgarlöften" names a place; the title names the kommun, and the web page
    of a medborgarlöfte has the same title as its PDF."""
    from samverkan.publish.web import build_page, select_promises

    webs = 0
    for path in find_agreements([AGREEMENTS]):
        agreement = load(path)
        kommun = agreement.parter.kommun.namn
        for document, promise in documents_for(agreement):
            title = xmp_text(contents[f"{output_stem(agreement, document, promise)}.pdf"], "dc", "title")
            assert kommun in title, title
            if document == "medborgarlofte":
                chosen = next(p for p in select_promises(agreement) if agreement.is_promise or p.id == promise)
                assert build_page(agreement, chosen).title == title
                webs += 1
    assert webs >= 12


@pytest.mark.parametrize("name", EXPECTED)
def test_dates_are_the_documents_own_in_both_places(contents: dict[str, PdfContent], pdfs: dict[str, Path], name: str) -> None:
    content = contents[name]
    info = content.pdf.docinfo
    created = docx.Document(str(pdfs[name].with_suffix(".docx"))).core_properties.created
    if created is None:  # a document without a date of its own gets none in the PDF either
        assert "/CreationDate" not in info and xmp_text(content, "xmp", "CreateDate") is None
    else:
        when = parse_pdf_date(str(info.CreationDate))
        assert when is not None and when.date() == created.date()
        assert xmp_text(content, "xmp", "CreateDate").startswith(created.date().isoformat())
    for key in ("/CreationDate", "/ModDate"):
        if key in info:
            assert re.fullmatch(r"D:\d{14}Z", str(info[key]))


@pytest.mark.parametrize("name", EXPECTED)
def test_fonts_embedded_with_unicode_and_no_private_use_text(contents: dict[str, PdfContent], name: str) -> None:
    content = contents[name]
    assert content.fonts and all(f.embedded and f.has_to_unicode and not f.unmapped for f in content.fonts)
    text = content.tagged_text()
    assert not re.search("[\ue000-\uf8ff\ufffd]", text)
    assert "å" in text and "ä" in text and "ö" in text


@pytest.mark.parametrize("name", EXPECTED)
def test_headings_start_at_h1_and_bullets_are_labels(contents: dict[str, PdfContent], name: str) -> None:
    content = contents[name]
    levels = [int(e.std[1]) for e in content.elements if re.fullmatch(r"H[1-6]", e.std)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    labels = [content.text_of(e) for e in content.elements if e.std == "Lbl" and (e.parent is None or e.parent.std != "Note")]
    assert all(label in ("•", "–") or re.fullmatch(r"\d+\.", label) for label in labels)  # a footnote's number is the Note's


def test_the_same_document_gives_the_same_pdf_bytes(pdfs: dict[str, Path], tmp_path: Path) -> None:
    """No time of export anywhere: Info and XMP dates, the colour profile's date, the file id."""
    from click.testing import CliRunner

    from samverkan.cli.commands import cli

    result = CliRunner().invoke(cli, ["render", str(AGREEMENTS / "olofstrom"), "-o", str(tmp_path), "-q", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    again = sorted(Path(line) for line in result.stdout.splitlines())
    assert again and all(path.read_bytes() == pdfs[path.name].read_bytes() for path in again)


def test_cover_title_is_a_heading(contents: dict[str, PdfContent]) -> None:
    for name, content in contents.items():
        if "samverkansoverenskommelse" not in name:
            continue
        first = next(e for e in content.elements if e.std not in ("Document", "Part", "Sect", "Div"))
        assert first.std == "H1" and first.page == 1 and content.text_of(first), name
        assert content.outline[0] == (0, content.text_of(first)), name


def test_numbered_points_are_a_numbered_list(contents: dict[str, PdfContent]) -> None:
    """LibreOffice exports the template's numbered points ("1.", a tab, the text) as paragraphs with the number
    in the text; a screen reader should hear a list of three, numbered, as it does for the bulleted ones."""
    content = contents["hallstahammar-medborgarlofte-2022.pdf"]
    (numbered,) = [e for e in content.elements if e.std == "L" and e.obj.get("/A", {}).get("/ListNumbering") == "/Decimal"]
    assert [[c.std for c in item.children] for item in numbered.children] == [["Lbl", "LBody"]] * 3
    assert [content.text_of(item.children[0]) for item in numbered.children] == ["1.", "2.", "3."]
    assert content.text_of(numbered.children[0].children[1]).startswith("Polisen och Hallstahammars kommun ska")
    assert not [e for e in content.elements if e.role == "Numrerad punkt"]


def test_method_points_are_a_list_under_the_methods_heading(contents: dict[str, PdfContent]) -> None:
    content = contents["oxelosund-samverkansoverenskommelse-2024-2025.pdf"]
    elements = content.elements
    heading = next(i for i, e in enumerate(elements) if re.fullmatch(r"H\d", e.std) and content.text_of(e) == "Båtsamverkan")
    points = next(e for e in elements[heading:] if e.std == "L")
    assert [content.text_of(li) for li in points.children][0] == "• tillsammans ser om varandras båtar"


def test_a_source_is_a_footnote_linked_both_ways(contents: dict[str, PdfContent]) -> None:
    content = contents["oxelosund-medborgarlofte-2021.pdf"]
    (note,) = [e for e in content.elements if e.std == "Note"]
    assert content.text_of(note) == "1 Polisens trygghetsmätning 2019. Origo Group, 2020."
    in_text = [e for e in content.elements if e.std == "Link" and content.text_of(e) == "1" and e.parent.std == "P"]
    assert len(in_text) == 1 and in_text[0].page == note.page
    assert "trygghetsmätning" in content.text_of(in_text[0].parent)


def test_web_and_email_addresses_are_clickable(contents: dict[str, PdfContent]) -> None:
    content = contents["oxelosund-samverkansoverenskommelse-2024-2025.pdf"]
    uris = {str(a.A.URI) for page in content.pdf.pages for a in page.obj.get("/Annots", []) if "/A" in a}
    assert "mailto:grannsamverkan.nykoping@polisen.se" in uris
    assert any(uri.startswith("https://polisen.se") for uri in uris)


def test_web_addresses_are_links_in_word_too(pdfs: dict[str, Path]) -> None:
    document = docx.Document(str(pdfs["oxelosund-samverkansoverenskommelse-2024-2025.pdf"].with_suffix(".docx")))
    targets = {rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert "mailto:grannsamverkan.nykoping@polisen.se" in targets and "https://polisen.se" in targets


# -- each rule can fail ------------------------------------------------------------------


def _xmp(pdf: pikepdf.Pdf, old: bytes, new: bytes) -> None:
    data = pdf.Root.Metadata.read_bytes()
    assert old in data
    pdf.Root.Metadata.write(data.replace(old, new))


def _all(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop(0)
        if node.get("/S") == pikepdf.Name(role):
            found.append(node)
        kids = node.get("/K")
        stack += [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(k, pikepdf.Dictionary)]
    assert found, f"no {role}"
    return found


def _first(pdf: pikepdf.Pdf, role: str) -> pikepdf.Dictionary:
    return _all(pdf, role)[0]


def _unlink(pdf: pikepdf.Pdf) -> None:
    for link in _all(pdf, "/Link"):
        link.S = pikepdf.Name.Span


def _append_content(pdf: pikepdf.Pdf, data: bytes) -> None:
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(data))


def _tounicode(pdf: pikepdf.Pdf, old: bytes, new: bytes) -> None:
    for page in pdf.pages:
        for font in page.obj.Resources.Font.values():
            data = font.ToUnicode.read_bytes()
            if old in data:
                font.ToUnicode.write(data.replace(old, new))
                return
    raise AssertionError("no such code in any ToUnicode map")


def _misfile_in_parent_tree(pdf: pikepdf.Pdf) -> None:
    """Point the first page's first two marked-content items at each other's element in the ParentTree."""
    key = int(pdf.pages[0].obj.StructParents)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    array = next(nums[i + 1] for i in range(0, len(nums), 2) if int(nums[i]) == key)
    first, second = array[0], array[1]
    assert first.objgen != second.objgen
    array[0], array[1] = second, first


def _as_table(pdf: pikepdf.Pdf, role: str) -> None:
    """What LibreOffice writes for the signing table: Table > TR > TD, without header cells."""
    def kids(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
        k = node.get("/K")
        return [x for x in (k if isinstance(k, pikepdf.Array) else [k]) if isinstance(x, pikepdf.Dictionary) and "/S" in x]

    table = next(d for d in _all(pdf, role)
                 if any(p.get("/S") == "/Underskriftspart" for row in kids(d) for cell in kids(row) for p in kids(cell)))
    table.S = pikepdf.Name.Table
    for row in kids(table):
        row.S = pikepdf.Name.TR
        for cell in kids(row):
            cell.S = pikepdf.Name.TD


BREAKAGES: list[tuple[str, str, Callable[[pikepdf.Pdf], None]]] = [
    ("oxelosund-medborgarlofte-2024-2025.pdf", "pdfa", lambda pdf: _xmp(pdf, b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/", b"<pdfaSchema:namespaceURI>http://example.org/")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "pdfa", lambda pdf: _xmp(pdf, b"<pdfaid:part>2<", b"<pdfaid:part>1<")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "pdfa", lambda pdf: pdf.Root.OutputIntents[0].DestOutputProfile.write(b"inte en ICC-profil")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "metadata", lambda pdf: setattr(pdf.docinfo, "CreationDate", "D:20240101000000Z'")),
    ("olofstrom-medborgarlofte-2021.pdf", "metadata", lambda pdf: setattr(pdf.docinfo, "CreationDate", "D:20300101000000Z")),
    ("olofstrom-medborgarlofte-2021.pdf", "metadata", lambda pdf: setattr(pdf.docinfo, "Title", "Något annat")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "lang", lambda pdf: delattr(pdf.Root, "Lang")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "title", lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False)),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "tagged", lambda pdf: setattr(pdf.Root.MarkInfo, "Marked", False)),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "untagged", lambda pdf: _append_content(pdf, b"q 0 0 m 100 100 l S Q")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "mcid", lambda pdf: _append_content(pdf, b"/P <</MCID 900>> BDC EMC")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "figure", lambda pdf: setattr(_first(pdf, "/H1"), "S", pikepdf.Name.Figure)),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "list", lambda pdf: setattr(_first(pdf, "/Lbl"), "S", pikepdf.Name.Span)),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "heading", lambda pdf: setattr(_first(pdf, "/H2"), "S", pikepdf.Name.H3)),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "font", lambda pdf: delattr(next(iter(pdf.pages[0].obj.Resources.Font.values())), "ToUnicode")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "unicode", lambda pdf: _tounicode(pdf, b"<2022>", b"<F0B7>")),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "link", lambda pdf: delattr(pdf.pages[1].obj.Annots[0], "Contents")),
    ("oxelosund-medborgarlofte-2021.pdf", "note", _unlink),
    ("oxelosund-medborgarlofte-2024-2025.pdf", "mcid", lambda pdf: _misfile_in_parent_tree(pdf)),
    ("askersund-medborgarlofte-2018-2019.pdf", "table", lambda pdf: _as_table(pdf, "/Div")),
]


@pytest.mark.parametrize(("name", "rule", "breakage"), BREAKAGES, ids=[f"{rule}-{i}" for i, (_, rule, _) in enumerate(BREAKAGES)])
def test_each_rule_names_what_breaks_it(pdfs: dict[str, Path], tmp_path: Path, name: str, rule: str, breakage) -> None:
    broken = tmp_path / name
    with pikepdf.open(pdfs[name]) as pdf:
        breakage(pdf)
        pdf.save(broken)
    rules = {p.rule for p in conformance_problems(broken)}
    assert rule in rules, rules


@pytest.fixture(scope="module")
def redline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`diff`'s PDF for oxelosund 2021 → 2024: headings, paragraphs and a footnote changed, words and whole parts."""
    from samverkan.compare.redline import diff

    out = tmp_path_factory.mktemp("redline")
    result = diff(AGREEMENTS / "oxelosund" / "2021.yaml", AGREEMENTS / "oxelosund" / "2024.yaml", out)
    return next(p for p in result.files if p.suffix == ".pdf")


def test_the_redline_pdf_keeps_the_rules_too(redline: Path) -> None:
    """`diff`'s PDF: every rule kept, the signing table included, and the agreement's pages numbered as in the
    agreement.

    The cover page (the change summary) is outside the count (issue 16): it carries no page number of the
    agreement, and the agreement's pages after it read "Sida 1 av N" … "Sida N av N". Each page of the file
    also says, in the top margin, which page of the comparison it is (a running header: an artifact, like
    the footers) – so a printed sheet is not taken for a page of the agreement, and a checker that looks
    for "Sida i av n" of the file on page i finds it.
    """
    content = read_pdf(redline)
    assert [str(p) for p in conformance_problems(content)] == []
    artifacts = [" ".join(" ".join(page.artifact_text).split()) for page in content.pages]
    pages = len(content.pages)
    assert all(f"Jämförelsedokument · Sida {n} av {pages}" in text for n, text in enumerate(artifacts, start=1))
    own = [re.sub(r"Jämförelsedokument · Sida \d+ av \d+", "", text) for text in artifacts]
    cover = next(n for n, text in enumerate(own) if "Sida 1 av" in text)
    assert cover >= 1 and not any("Sida" in text for text in own[:cover])
    total = pages - cover
    assert all(f"Sida {n} av {total}" in text for n, text in enumerate(own[cover:], start=1))
    assert "Jämförelsedokument" not in content.tagged_text()


def _reading(content: PdfContent, element: pikepdf.Dictionary) -> str:
    """An element's text in the order of its /K – what a screen reader reads – without spaces between pieces."""
    numbers = {page.obj.objgen: n for n, page in enumerate(content.pdf.pages, start=1)}
    texts = {(page.number, mcid): text for page in content.pages for mcid, text in page.mcid_text.items()}

    def walk(node: object, page: int | None) -> str:
        if isinstance(node, int):
            return texts.get((page, node), "") if page is not None else ""
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") == "/OBJR":
            return ""
        if node.get("/Type") == "/MCR":
            return texts.get((numbers.get(node.Pg.objgen), int(node.MCID)), "")
        own = numbers.get(node.Pg.objgen, page) if "/Pg" in node else page
        kids = node.get("/K")
        return "".join(walk(k, own) for k in (kids if isinstance(kids, pikepdf.Array) else [kids]))

    # pdfcontent reads a new text position as a space: a comma drawn on its own would read " ,".
    return re.sub(r" ([,.;:])", r"\1", " ".join(walk(element, None).split()))


def test_a_screen_reader_reads_the_redlines_new_text_whole(redline: Path, contents: dict[str, PdfContent]) -> None:
    """Every paragraph, heading and list item of NEW's own PDF is in the redline's reading order unbroken.

    LibreOffice tags a deleted word where it is drawn, so "Situationen idag" → "Lägesbild idag" read
    "SituationenLägesbild idag": neither version (issue 14, the conformance suite's U16 on `diff`'s PDF).
    """
    new = contents["oxelosund-samverkansoverenskommelse-2024-2025.pdf"]
    blocks = [_reading(new, e.obj) for e in new.elements if e.std in ("P", "H1", "H2", "H3", "LBody") and not e.children]
    blocks = [b for b in blocks if len(b) >= 12]
    content = read_pdf(redline)
    read = " ".join(_reading(content, top.obj) for top in content.tops)
    assert len(blocks) > 40
    assert [b for b in blocks if b not in read] == []
    assert "Lägesbild idag" in read and "SituationenLägesbild" not in read


def test_deleted_and_inserted_text_is_said_to_be_so(redline: Path) -> None:
    """Each change is a Span described "Borttaget: …" or "Tillagt: …"; a deletion followed by new text is read
    after the paragraph's new text and says where it stood. Every struck-through word is in such a Span."""
    from samverkan.documents.redlinetags import DELETED, INSERTED, page_kinds

    content = read_pdf(redline)
    spans = [e for e in content.elements if e.std == "Span" and e.alt.startswith(("Borttaget", "Tillagt"))]
    heading = next(e for e in content.elements if e.std == "H2" and _reading(content, e.obj).startswith("Lägesbild idag"))
    assert [c.alt for c in heading.children] == ["Tillagt: Lägesbild", "Borttaget i början: Situationen"]
    assert _reading(content, heading.obj) == "Lägesbild idag Situationen"
    for span in spans:
        assert span.alt.split(": ", 1)[1] == _reading(content, span.obj), span.alt
    changed = {(page.number, mcid): kind for page in content.pages
               for mcid, kind in page_kinds(content.pdf.pages[page.number - 1]).items() if kind in (DELETED, INSERTED)}
    said = {key: span.alt.split()[0].rstrip(":") for span in spans for key in span.all_content()}
    assert len(changed) > 20
    assert {key: "Borttaget" if kind == DELETED else "Tillagt" for key, kind in changed.items()} == {
        key: said.get(key) for key in changed}


def test_the_redline_names_the_new_version_first(redline: Path) -> None:
    """The redline is the new version with changes marked: its cover names NEW's version code before OLD's."""
    new, old = (load(AGREEMENTS / "oxelosund" / f"{year}.yaml").fingerprint() for year in (2024, 2021))
    cover = read_pdf(redline).page_text(1)
    assert re.findall(r"Versionskod (\w{12})", cover)[:2] == [new, old]


def test_tracked_changes_are_drawn_in_colours_with_enough_contrast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice's colour per author was an ochre of 2.8:1 on white; each profile fixes colours of at least 4.5:1."""
    from samverkan.documents import office
    from samverkan.documents.convert import find_soffice

    def contrast(colour: int) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (colour >> 16) & 255, (colour >> 8) & 255, colour & 255
        return 1.05 / (0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b) + 0.05)

    monkeypatch.setattr(office, "_template", None)  # a new profile, not a copy of this process's first one
    office.new_profile(tmp_path / "profil", find_soffice())
    seed = (tmp_path / "profil" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    for kind in ("Insert", "Delete", "ChangedAttribute"):
        found = re.search(rf'TextDisplay/{kind}"><prop oor:name="Color" oor:op="fuse"><value>(\d+)</value>', seed)
        assert found, kind
        assert contrast(int(found.group(1))) >= 4.5, kind


def test_an_undeclared_pdfua_schema_is_declared_when_finishing(pdfs: dict[str, Path]) -> None:
    """What LibreOffice 7.4 wrote: pdfuaid:part without its PDF/A extension schema (ISO 19005-2 6.6.2.3.1)."""
    import io

    from samverkan.documents.pdffinish import DocumentDates, finish_pdf

    with pikepdf.open(pdfs["oxelosund-medborgarlofte-2024-2025.pdf"]) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        stripped = re.sub(rb"<rdf:Description[^>]*>\s*<pdfaExtension:schemas>.*?</rdf:Description>", b"", xmp, flags=re.S)
        assert stripped != xmp and b"pdfuaid:part" in stripped
        pdf.Root.Metadata.write(stripped)
        out = io.BytesIO()
        pdf.save(out)
    assert "pdfa" in {p.rule for p in conformance_problems(read_pdf(pikepdf.open(io.BytesIO(out.getvalue()))))}
    finished = finish_pdf(out.getvalue(), DocumentDates())
    assert conformance_problems(read_pdf(pikepdf.open(io.BytesIO(finished)))) == []
