"""The web version of the medborgarlöfte: accessible, escaped, deterministic HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from samverkan import loads
from samverkan.cli.commands import cli
from samverkan.publish.web import html_filename, medborgarlofte_html, write_web

SIGNED_YAML = """\
status: undertecknad
datum: 2024-03-12
parter:
  kommun:
    namn: Åsby kommun
    diarienummer: KS 2024/17
  polis:
    lokalpolisomrade: Lokalpolisområde Åsby
    polisregion: Polisregion Öst
period:
  start: 2024-01-01
  slut: 2027-12-31
del1:
  syfte: Att öka tryggheten och minska brottsligheten i Åsby.
  uppfoljning: Styrgruppen följer upp arbetet varje tertial.
del2:
  prioriterade_omraden:
    - id: trygga-ungdomar
      titel: Trygga ungdomar
      beskrivning: Unga i riskzon behöver fångas upp tidigt.
      metoder: [sspf]
      aktiviteter:
        - text: driva SSPF-arbetet
          ansvar: tillsammans
kallor:
  - id: trygghetsmatning-2023
    titel: Polisens trygghetsmätning 2023
    utgivare: Polismyndigheten
    ar: 2023
    url: https://polisen.se/trygghetsmatning
medborgarloften:
  - id: ml-2024
    period:
      start: 2024-01-01
      slut: 2025-12-31
    inledning: Medborgarlöftet bygger på dialog med dig som bor i Åsby.
    lagesbild:
      text: |
        Många känner sig otrygga i centrum på kvällarna.

        Stölder ur båtar har ökat <särskilt> vid hamnen & marinan.
      kallor: [trygghetsmatning-2023]
    mal: Fler ska känna sig trygga i centrum och vid hamnen.
    genomforande: Vi arbetar med grannsamverkan och båtsamverkan.
    metoder: [grannsamverkan, est]
    aktiviteter:
      - text: genomföra trygghetsvandringar i centrum
        ansvar: tillsammans
        frekvens: två gånger per år
      - text: utbilda kontaktombud för båtsamverkan
        ansvar: kommunen
        omfattning: minst 20 kontaktombud
      - text: genomföra riktade kontroller vid marinan
        ansvar: polisen
        senast: 2024-09-30
    uppfoljning: Löftet följs upp varje tertial i styrgruppen.
    folj_arbetet: Du kan följa arbetet på kommunens och polisens webbplatser.
    lankar:
      - text: Åsby kommun om trygghet
        url: https://www.asby.se/trygghet
      - text: Skriptlänk som inte får bli en länk
        url: javascript:alert(1)
undertecknare:
  - namn: Åsa Öberg
    titel: Kommunstyrelsens ordförande
    part: kommun
    ort: Åsby
    datum: 2024-03-12
  - namn: Per Ek
    titel: Kommundirektör
    part: kommun
    ort: Åsby
    datum: 2024-03-12
  - namn: Lena Ström
    titel: tf lokalpolisområdeschef
    part: polis
    ort: Åsby
    datum: 2024-03-14
"""

ACTIVITIES = (
    "genomföra trygghetsvandringar i centrum",
    "utbilda kontaktombud för båtsamverkan",
    "genomföra riktade kontroller vid marinan",
)


class Outline(HTMLParser):
    """Collects what an accessibility check looks at: lang, headings, tags, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.charset = False
        self.tags: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.list_items: list[str] = []
        self.hrefs: list[str] = []
        self._open: list[tuple[str, list[str]]] = []
        self.title = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and a.get("charset", "").lower() == "utf-8":
            self.charset = True
        if tag == "a":
            self.hrefs.append(a.get("href") or "")
        if tag in ("h1", "h2", "h3", "li", "title"):
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if name == "li":
                self.list_items.append(text)
            elif name == "title":
                self.title = text
            else:
                self.headings.append((name, text))

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)
        self.text.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def agreement():
    return loads(SIGNED_YAML, "asby.yaml")


def test_page_is_accessible_html(agreement) -> None:
    page = outline(medborgarlofte_html(agreement))
    assert page.lang == "sv"
    assert page.charset
    assert page.title == "Medborgarlöfte 2024–2025 – Åsby kommun och Polisen"
    assert [text for level, text in page.headings if level == "h1"] == [page.title]  # the PDF's title, kommun and years named
    assert [text for level, text in page.headings if level == "h2"] == [
        "Lägesbild",
        "Det här ska vi åstadkomma tillsammans",
        "Så här ska vi göra",
        "Uppföljning",
        "Följ med i hur det går",
        "Källor",
    ]
    assert [text for level, text in page.headings if level == "h3"] == []  # methods only named: "Metoder: …", as in the PDF
    assert "Metoder: Grannsamverkan, Effektiv samordning för trygghet (EST)" in page_text(medborgarlofte_html(agreement))
    assert "table" not in page.tags
    assert {"main", "ul", "ol", "footer"} <= set(page.tags)


def test_every_activity_is_a_list_item_with_its_details(agreement) -> None:
    items = outline(medborgarlofte_html(agreement)).list_items
    for activity in ACTIVITIES:
        assert any(item.startswith(activity) for item in items), activity
    assert "utbilda kontaktombud för båtsamverkan (minst 20 kontaktombud)" in items
    assert "genomföra riktade kontroller vid marinan (senast 30 september 2024)" in items
    assert "genomföra trygghetsvandringar i centrum (två gånger per år)" in items


def test_text_is_escaped_and_unsafe_links_are_plain_text(agreement) -> None:
    html = medborgarlofte_html(agreement)
    assert "&lt;särskilt&gt; vid hamnen &amp; marinan" in html
    page = outline(html)
    assert "javascript:alert(1)" not in page.hrefs
    assert "Skriptlänk som inte får bli en länk" in page.list_items
    assert "https://www.asby.se/trygghet" in page.hrefs
    # The source is numbered and linked from the lägesbild.
    assert "#kalla-trygghetsmatning-2023" in page.hrefs
    assert any(item.startswith("Polisens trygghetsmätning 2023. Polismyndigheten, 2023.") for item in page.list_items)  # as in the PDF


def test_output_is_deterministic_and_footer_has_version_code(agreement) -> None:
    first, second = medborgarlofte_html(agreement), medborgarlofte_html(agreement)
    assert first == second
    assert f"Versionskod: {agreement.fingerprint()}" in first
    assert "Diarienummer: Åsby kommun: KS 2024/17" in first


def test_write_web_names_file_after_place_and_promise(agreement, tmp_path: Path) -> None:
    written = write_web(agreement, tmp_path)
    assert written == [tmp_path / "asby" / "asby-ml-2024.html"]
    assert html_filename(agreement, agreement.medborgarloften[0]) == "asby-ml-2024.html"
    assert written[0].read_text(encoding="utf-8") == medborgarlofte_html(agreement)


def test_web_command_writes_html(tmp_path: Path) -> None:
    source = tmp_path / "asby.yaml"
    source.write_text(SIGNED_YAML, encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["web", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "asby" / "asby-ml-2024.html")
    assert outline((out / "asby" / "asby-ml-2024.html").read_text(encoding="utf-8")).lang == "sv"


def test_web_command_refuses_agreement_without_promise(tmp_path: Path) -> None:
    text = SIGNED_YAML.split("medborgarloften:")[0] + "undertecknare:" + SIGNED_YAML.split("undertecknare:")[1]
    source = tmp_path / "utan.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["web", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert "utan.yaml" in result.output
    assert "inget medborgarlöfte" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_bundled_example_page_has_every_activity(root: Path) -> None:
    from samverkan import load

    agreement = load(root / "agreements" / "strangnas" / "2017.yaml")
    for promise in agreement.medborgarloften:
        page = outline(medborgarlofte_html(agreement, promise))
        assert page.lang == "sv"
        assert len([h for level, h in page.headings if level == "h1"]) == 1
        for activity in promise.aktiviteter:
            text = " ".join(activity.text.split())
            assert any(item.startswith(text) for item in page.list_items), text


def test_own_html_template_is_used_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "asby.yaml"
    source.write_text(SIGNED_YAML, encoding="utf-8")
    own = tmp_path / "egen.html"
    own.write_text('<!DOCTYPE html><html lang="sv"><title>{{ page.title }}</title><h1>{{ page.heading }}</h1></html>\n', encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["web", str(source), "-o", str(out), "--template", str(own)])
    assert result.exit_code == 0, result.output
    assert "<h1>Medborgarlöfte 2024–2025 – Åsby kommun och Polisen</h1>" in (out / "asby" / "asby-ml-2024.html").read_text(encoding="utf-8")

    broken = tmp_path / "trasig.html"
    broken.write_text("<h1>{{ page.heading }</h1>\n{% for x in %}\n", encoding="utf-8")
    out2 = tmp_path / "ut2"
    result = CliRunner().invoke(cli, ["web", str(source), "-o", str(out2), "--template", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.output and "fel i HTML-mallen" in result.output
    assert not out2.exists()

    unknown = tmp_path / "okand.html"
    unknown.write_text("<h1>{{ page.rubrik }}</h1>\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["web", str(source), "-o", str(out2), "--template", str(unknown)])
    assert result.exit_code == 1
    assert f"{unknown}: HTML-mallen kan inte fyllas i" in result.output
    assert not out2.exists()


# -- issue 14: the page says what the PDF says; addresses, drafts, reflow, fragment -----------------------


def page_text(html: str) -> str:
    """The page's words without the note numbers (<sup>), whitespace folded."""
    return " ".join("".join(outline(re.sub(r"<sup>.*?</sup>", "", html)).text).split())


BOILERPLATE = ("Versionskod", "Medborgarlöftet gäller", "UTKAST", "Namnförtydligande", "Ort och datum")
"""What the PDF prints that the page says in its own words: the version line, the period line, the draft banner,
and the captions under the signing lines (the page has no lines to sign on)."""


def pdf_blocks(path: Path) -> list[str]:
    """The medborgarlöfte PDF's paragraphs, list items, headings and cells, as tagged (bullets and note labels off)."""
    from samverkan.documents.pdfcontent import read_pdf

    content = read_pdf(path)
    blocks = []
    for element in content.elements:
        if element.std in ("P", "LBody", "H1", "H2", "H3", "TD", "TH") and not any(
            child.std in ("P", "L", "LI") for child in element.children
        ):
            text = re.sub(r"\s*\[\d{1,2}\]\s*", " ", content.text_of(element)).strip(" •–")
            text = re.sub(r"(?<=[.!?]) \d{1,2}$", "", text)  # a footnote's number, read after its paragraph
            if text and not any(mark in text for mark in BOILERPLATE):
                blocks.append(" ".join(text.split()))
    return blocks


def says(html: str, block: str) -> bool:
    text, hrefs = page_text(html), outline(html).hrefs
    if block in text or re.sub(r"(\w)- (\w)", r"\1-\2", block) in text:  # "ANDTS-information" broken at the line end
        return True
    numbered = re.fullmatch(r"(\d+)\. (.+)", block, re.DOTALL)  # "1. text": the item of an <ol> with that number
    if numbered and f'<li value="{numbered.group(1)}">' in html and says(html, numbered.group(2)):
        return True
    if block.startswith("Metoder:"):  # the PDF's line of linked method names (read link by link): dt on the page
        return all(word in text for word in re.split(r"[,\s]+", block[len("Metoder:"):]) if word)
    if " – " in block:  # "Method – description": dt and dd on the page
        return all(part.strip() in text for part in block.split(" – ", 1))
    link = re.fullmatch(r"(.+): (https?://\S+)", block)  # the PDF prints "text: url" for a link
    return bool(link) and link.group(1) in text and any(h.rstrip("/") == link.group(2).rstrip("/") for h in hrefs)


def test_every_bundled_page_says_everything_its_pdf_says(bundled: list[Path]) -> None:
    from samverkan.documents.render import output_stem
    from samverkan.model.loader import find_agreements, load

    checked = 0
    for source in find_agreements([ROOT / "agreements"]):
        agreement = load(source)
        for promise in agreement.promises():  # each medborgarlöfte is a PDF and a page of its own
            pid = None if agreement.is_promise else promise.id
            pdf = next(p for p in bundled if p.name == f"{output_stem(agreement, 'medborgarlofte', pid)}.pdf")
            html = medborgarlofte_html(agreement, promise)
            missing = [block for block in pdf_blocks(pdf) if not says(html, block)]
            assert missing == [], f"{source}: {missing[:3]}"
            checked += 1
    assert checked >= 15


def test_a_methods_points_and_paragraphs_are_on_the_page(root: Path) -> None:
    from samverkan.model.loader import load

    # The medborgarlöfte's own text about EST is on the page; a method it only names is a name with its link.
    html = medborgarlofte_html(load(root / "agreements" / "oxelosund" / "2021.yaml"))
    own = html[html.index("<h3>Effektiv samordning för trygghet (EST)</h3>") :]
    assert own[: own.index("</section>")].count("<p>") == 1 and "EST är en arbetsmetod" in own
    named = medborgarlofte_html(load(root / "agreements" / "oxelosund" / "2024.yaml"))
    assert 'Metoder: <a href="https://samverkanmotbrott.se/grannsamverkan/">Grannsamverkan</a>' in named
    assert "organiserad form av samverkan" not in named
    assert not re.search(r"\S\s*\n\s*\n\s*\S", html)  # no paragraph break hidden in collapsed whitespace


def test_email_and_web_addresses_are_links(root: Path) -> None:
    from samverkan.model.loader import load

    text = (root / "agreements" / "oxelosund" / "2021.yaml").read_text(encoding="utf-8").replace(
        "Arbetet följs upp löpande", "Mejla grannsamverkan.nykoping@polisen.se om du vill. Arbetet följs upp löpande")
    html = medborgarlofte_html(loads(text, "2021.yaml"))
    assert '<a href="mailto:grannsamverkan.nykoping@polisen.se">grannsamverkan.nykoping@polisen.se</a>' in html
    emails = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", page_text(html)))
    assert emails and {h[len("mailto:"):] for h in outline(html).hrefs if h.startswith("mailto:")} >= emails


def test_text_with_an_address_is_still_escaped() -> None:
    from samverkan.publish.web import linked

    assert str(linked("<b>mejla</b> a@b.se & se https://x.se/?a=1&b=2.")) == (
        '&lt;b&gt;mejla&lt;/b&gt; <a href="mailto:a@b.se">a@b.se</a> &amp; se '
        '<a href="https://x.se/?a=1&amp;b=2">https://x.se/?a=1&amp;b=2</a>.'
    )


def test_a_draft_is_marked_and_a_signed_one_is_not(agreement) -> None:
    from samverkan.publish.web import DRAFT_NOTICE

    draft = loads(SIGNED_YAML.replace("status: undertecknad", "status: utkast"), "asby.yaml")
    html = medborgarlofte_html(draft)
    assert f'<p class="utkast">{DRAFT_NOTICE}</p>' in html and '<meta name="robots" content="noindex">' in html
    assert html.index(DRAFT_NOTICE) < html.index('<p class="ingress">')
    assert "UTKAST" not in medborgarlofte_html(agreement) and "noindex" not in medborgarlofte_html(agreement)


def test_long_addresses_wrap_so_the_page_reflows(agreement) -> None:
    css = medborgarlofte_html(agreement).split("<style>")[1].split("</style>")[0]
    assert "overflow-wrap: anywhere" in css.split("body {")[1].split("}")[0]


def test_fragment_is_the_article_without_page_chrome(agreement, tmp_path: Path) -> None:
    page, fragment = medborgarlofte_html(agreement), medborgarlofte_html(agreement, fragment=True)
    assert fragment.startswith('<article class="medborgarlofte" lang="sv">') and fragment.endswith("</article>\n")
    for chrome in ("<!DOCTYPE", "<html", "<head", "<style", "<body", "<main"):
        assert chrome not in fragment
    inner = page[page.index("<h1>") : page.index("</footer>")]
    assert inner.replace("</main>\n", "") in fragment
    result = CliRunner().invoke(cli, ["web", str(ROOT / "agreements" / "oxelosund" / "2024.yaml"), "-o", str(tmp_path), "--fragment"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "oxelosund" / "oxelosund-ml-2024-2025-fragment.html")
    assert (tmp_path / "oxelosund" / "oxelosund-ml-2024-2025-fragment.html").read_text(encoding="utf-8").startswith("<article")
