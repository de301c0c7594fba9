"""Documents say exactly what the file says: nothing lost, nothing invented.

For every bundled agreement, every text value from its YAML is in the
rendered .docx, and every paragraph of the .docx is either such a value or
built only from the fixed texts documented in samverkan.documents.labels
and values formatted from the file (dates, periods, names).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from samverkan.documents import formatting as fmt
from samverkan.documents import labels
from samverkan.documents.blocks import paragraphs
from samverkan.documents.naming import documents_for
from samverkan.documents.render import render_docx, render_files
from samverkan.model.catalog import catalog
from samverkan.model.checks import MARKER, texts
from samverkan.model.loader import load, loads
from samverkan.model.models import Agreement, Period

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "agreements").rglob("*.yaml"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NOT_PRINTED = {"id", "kommunkod", "kortnamn", "ordning", "lagesbild_fran", "metoder", "kallor"}
"""Fields that are keys for the tool, not text for the reader."""


# -- reading a .docx ---------------------------------------------------------------


def _paragraph_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(el.text or "" if el.tag == f"{W}t" else ("\t" if el.tag == f"{W}tab" else "\n"))
    return "".join(out)


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style id, text) of every paragraph: body (tables too), headers, footers, footnotes."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = ["word/document.xml"] + sorted(n for n in z.namelist() if re.match(r"word/(header|footer|footnotes)\d*\.xml", n))
        for name in names:
            root = etree.fromstring(z.read(name))
            for p in root.iter(f"{W}p"):
                style = p.find(f"{W}pPr/{W}pStyle")
                found.append((style.get(f"{W}val") if style is not None else "", _paragraph_text(p)))
    return found


def core_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("docProps/core.xml").decode("utf-8")


def rendered(agreement: Agreement) -> list[bytes]:
    return [render_docx(agreement, document, None, promise) for document, promise in documents_for(agreement)]


# -- what may be printed ----------------------------------------------------------


def yaml_values(agreement: Agreement) -> list[str]:
    """Every text the reader should find, paragraph by paragraph, without note markers."""
    values = []
    for loc, text in texts(agreement):
        if set(str(part) for part in loc) & NOT_PRINTED:
            continue
        values += [MARKER.sub("", p) for p in paragraphs(text)]
    return values


def _instances(agreement: Agreement, kind: type) -> list:
    """Every value of type ``kind`` anywhere in the agreement, in the model's order."""
    found = []

    def walk(value: object) -> None:
        if isinstance(value, kind):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                walk(getattr(value, name))

    walk(agreement)
    return found


def _dates(agreement: Agreement) -> list[date]:
    return _instances(agreement, date)


def _periods(agreement: Agreement) -> list[Period]:
    return _instances(agreement, Period)


def known_values(agreement: Agreement) -> set[str]:
    """Values from the file, and values formatted from it."""
    known = {" ".join(v.split()) for v in yaml_values(agreement)}
    known |= {" ".join(t.split()) for _, t in texts(agreement)}
    for day in _dates(agreement):
        known |= {fmt.long_date(day), fmt.day_or_year(day), str(day.year)}
    for period in _periods(agreement):
        known |= {fmt.period_text(period), fmt.period_full(period), fmt.period_years(period)}
    known |= {m.namn for m in catalog().values()} | {m.lank for m in catalog().values() if m.lank}
    known |= set(labels.PARTIES.values()) | set(labels.STATUS.values()) | {agreement.fingerprint(), "UTKAST", labels.DEFAULT_VERB}
    known.add(agreement.document_title)
    return known


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]*\})", template)
    return re.compile("".join("(.+?)" if p.startswith("{") else re.escape(p) for p in parts) + "$", re.DOTALL)


PATTERNS = [_pattern(t) for group in labels.ALL.values() for t in group.values()]
FIXED = {t for group in labels.ALL.values() for t in group.values() if "{" not in t}


def explained(text: str, known: set[str], depth: int = 0) -> bool:
    """Whether ``text`` is a value, a fixed text, or a fixed text around explained pieces."""
    text = text.strip()
    if not text or text in known or text in FIXED or re.fullmatch(r"\d+\.?", text):
        return True
    if depth > 4:
        return False
    for separator in ("\t", "; ", ", ", ". "):
        pieces = re.split(r"(?<=\.) ", text) if separator == ". " else text.split(separator)
        if len(pieces) > 1 and all(explained(piece, known, depth + 1) for piece in pieces):
            return True
    for pattern in PATTERNS:
        found = pattern.match(text)
        if found and all(explained(g, known, depth + 1) for g in found.groups()):
            return True
    return False


# -- the tests ------------------------------------------------------------------------


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.relative_to(ROOT / "agreements").as_posix())
def example(request: pytest.FixtureRequest) -> tuple[Agreement, list[list[tuple[str, str]]], list[bytes]]:
    agreement = load(request.param)
    docs = rendered(agreement)
    return agreement, [docx_paragraphs(d) for d in docs], docs


def test_every_text_of_the_file_is_in_the_documents(example) -> None:
    agreement, docs, _ = example
    printed = "\n".join(" ".join(text.split()) for doc in docs for _, text in doc)
    missing = [v for v in yaml_values(agreement) if " ".join(v.split()) not in printed]
    assert missing == []


def test_every_paragraph_is_from_the_file_or_the_fixed_texts(example) -> None:
    agreement, docs, _ = example
    known = known_values(agreement)
    unexplained = [text for doc in docs for _, text in doc if not explained(" ".join(text.replace("\t", " \t ").split(" ")), known)]
    assert unexplained == []


def test_no_heading_is_empty(example) -> None:
    _, docs, _ = example
    for doc in docs:
        body = [(style, text) for style, text in doc if style != "" or text.strip()]
        for i, (style, text) in enumerate(body):
            level = re.fullmatch(r"Heading(\d)", style)
            if not level:
                continue
            assert text.strip(), "empty heading"
            rest = body[i + 1 :]
            following = rest[0] if rest else None
            assert following is not None, f"heading {text!r} ends the document"
            next_level = re.fullmatch(r"Heading(\d)", following[0])
            assert not (next_level and int(next_level.group(1)) <= int(level.group(1))), f"nothing under {text!r}"


def test_no_catalog_description_unless_asked_for(example) -> None:
    agreement, docs, _ = example
    printed = " ".join(text for doc in docs for _, text in doc)
    for method in catalog().values():
        first = " ".join(method.beskrivning.split())[:60]
        assert first not in printed
    assert labels.SENTENCES["metodinformation"] not in printed


def test_a_document_without_datum_shows_no_date(example) -> None:
    agreement, docs, data = example
    if agreement.datum is not None:
        pytest.skip("this file gives a date")
    for raw in data:
        assert "dcterms:created" not in core_xml(raw) and "dcterms:modified" not in core_xml(raw)
    printed = [text for doc in docs for _, text in doc]
    assert not any(text.startswith("Datum:") for text in printed)
    allowed = {fmt.long_date(d) for d in _dates(agreement)}
    for text in printed:
        for found in re.finditer(r"\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december) \d{4}", text):
            assert found.group() in allowed, text


# -- one folder: a multi-year agreement and its yearly medborgarlöften -----------------

PARTIES = """parter:
  kommun: {namn: Exempelby kommun, kommunkod: "0481"}
  polis: {lokalpolisomrade: Lokalpolisområde Exempel}
"""


def _promise_file(year: int) -> str:
    return f"""dokument: medborgarlöfte
status: utkast
{PARTIES}period: {{start: {year}, slut: {year}}}
overenskommelse: {{period: {{start: 2022, slut: 2026}}}}
medborgarlofte:
  grupper:
    - ansvar: polisen
      verb: lovar att
      aktiviteter:
        - text: genomföra trafikkontroller {year}
"""


def test_a_folder_with_an_agreement_and_three_yearly_promises_renders_in_one_call(tmp_path: Path) -> None:
    folder = tmp_path / "agreements" / "exempelby"
    folder.mkdir(parents=True)
    (folder / "2022.yaml").write_text(
        f"status: utkast\n{PARTIES}period: {{start: 2022, slut: 2026}}\ndel1:\n  syfte: Att öka tryggheten.\n",
        encoding="utf-8",
    )
    for year in (2022, 2023, 2024):
        (folder / f"{year}-medborgarlofte.yaml").write_text(_promise_file(year), encoding="utf-8")
    written = render_files([tmp_path / "agreements"], tmp_path / "out", formats=("docx",))
    names = sorted(p.name for p in written)
    assert names == [
        "exempelby-medborgarlofte-2022.docx",
        "exempelby-medborgarlofte-2023.docx",
        "exempelby-medborgarlofte-2024.docx",
        "exempelby-samverkansoverenskommelse-2022-2026.docx",
    ]
    texts_2023 = [t for _, t in docx_paragraphs((tmp_path / "out/exempelby/exempelby-medborgarlofte-2023.docx").read_bytes())]
    assert "Polisen lovar att:" in texts_2023
    assert "Ingår i: Samverkansöverenskommelse 2022–2026" in texts_2023
    assert not any("Överenskommelsen" in t for t in texts_2023)


def test_catalog_descriptions_only_when_asked_and_then_once_marked_as_information() -> None:
    text = f"""status: utkast
{PARTIES}period: {{start: 2024, slut: 2025}}
metodbeskrivningar: true
del2:
  prioriterade_omraden:
    - titel: Trygga ungdomar
      metoder: [sspf, est]
    - titel: Stöld
      metoder: [est]
"""
    printed = [t for _, t in docx_paragraphs(render_docx(loads(text)))]
    est = " ".join(catalog()["est"].beskrivning.split())
    assert printed.count(est) == 1
    at = printed.index("Information om metoderna")
    assert printed[at + 1] == labels.SENTENCES["metodinformation"]
    assert printed.index(est) > at
    assert "Metoder: Skola, socialtjänst, polis och fritid (SSPF), Effektiv samordning för trygghet (EST)" in printed


def test_the_fixed_texts_are_documented() -> None:
    reference = (ROOT / "docs" / "template-reference.md").read_text(encoding="utf-8")
    for group in labels.ALL.values():
        for text in group.values():
            assert text in reference


def test_new_renews_only_the_medborgarlofte(tmp_path: Path) -> None:
    from samverkan.drafting import new_version

    folder = tmp_path / "exempelby"
    folder.mkdir()
    agreement = folder / "2022.yaml"
    agreement.write_text(f"status: undertecknad\n{PARTIES}period: {{start: 2022, slut: 2026}}\n"
                         "undertecknande: {ort_och_datum_ej_publicerade: true}\nundertecknare:\n"
                         "  - {namn: A, titel: B, part: kommunen}\n  - {namn: C, titel: D, part: polisen}\n",
                         encoding="utf-8")
    before = agreement.read_bytes()
    source = folder / "2022-medborgarlofte.yaml"
    source.write_text(_promise_file(2022), encoding="utf-8")
    target = new_version(source, 2023)  # named like its source: 2023-medborgarlofte.yaml
    assert target == folder / "2023-medborgarlofte.yaml"
    renewed = load(target)
    assert (renewed.period.start.year, renewed.period.slut.year) == (2023, 2023)  # type: ignore[union-attr]
    assert renewed.overenskommelse == load(source).overenskommelse  # the agreement it belongs to stays 2022–2026
    assert "start: 2023" in target.read_text(encoding="utf-8")  # a year stays a year
    assert agreement.read_bytes() == before


def test_a_signed_medborgarlofte_is_called_what_it_is_when_published() -> None:
    """The scanned page's alt text says the löfte is signed, not an agreement that is not in the data."""
    from samverkan.errors import PublishError
    from samverkan.publish.signed import alt_text, require_signed

    promise = load(ROOT / "agreements" / "strangnas" / "2017.yaml")
    text = alt_text(promise, 1, 1)
    assert "Medborgarlöftet är undertecknat av: Per Bäckström, Kommunchef, Strängnäs kommun" in text
    assert "Överenskommelsen" not in text
    draft = promise.model_copy(update={"status": promise.status.__class__("utkast")})
    with pytest.raises(PublishError, match="medborgarlöftet har status"):
        require_signed(draft, "2017.yaml")
