"""Property tests: any text an author can write survives, anything broken is refused cleanly.

Valid agreements are generated as model-shaped dicts with hostile text
(å ä ö, emoji, combining marks, right-to-left text, very long words,
``& < > " '``, Jinja-like ``{{ }}`` and ``{% %}``), written as YAML and read
back. Invalid ones are made from valid ones by one mutation (wrong type,
unknown key, impossible date, broken YAML) or are random bytes: every one
must give exit code 1 and ``FILE:LINE:COL: meddelande``, never a traceback.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.cli.commands import cli
from samverkan.errors import InvalidAgreement
from samverkan.model.catalog import catalog
from samverkan.model.canonical import normal_text
from samverkan.model.loader import load, loads, parse
from samverkan.model.models import refused_character

SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- writing YAML the way our reader reads it ------------------------------------


class Yaml12Dumper(yaml.CSafeDumper):
    """PyYAML's SafeDumper, quoting every string that YAML 1.2 would read as something else.

    PyYAML writes YAML 1.1: it leaves ``0481`` or ``1e5`` unquoted, which the
    tool (correctly, by YAML 1.2) reads as numbers.
    """


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
):
    Yaml12Dumper.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=Yaml12Dumper, allow_unicode=True, sort_keys=False)


# -- hostile text ----------------------------------------------------------------

# Characters an XML 1.0 document cannot hold (the models refuse them).
XML_INVALID = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF]]

PIECES = [
    "å", "ä", "ö", "Å", "Ä", "Ö", "é", "ü", "ß",
    "😀", "👮‍♀️", "🇸🇪", "👍🏽",  # emoji, ZWJ sequence, flag, skin tone
    "e\u0301", "a\u0308", "o\u0308\u0304",  # combining marks
    "مرحبا بالعالم", "שלום", "\u200f", "\u202e", "\u200b",  # right-to-left, bidi controls, zero width
    "&", "<", ">", '"', "'", "&amp;", "<w:t>", "]]>", "\\",
    "{{ x }}", "{{", "}}", "{% if %}", "{%p endif %}", "{#", "#}", "${x}", "%s",
    "𝔘𝔫𝔦", "ﬁ", "Ω", "\u00ad",  # astral letters, ligature, soft hyphen
    "\u00a0", "\ufeff", "\x85", "\u2028", "\u2029", "\t", "\r", "\n", " \n ",  # odd spaces and line breaks
    "- ", "# ", ": ", "*ankare", "&ankare", "!tagg", "|", ">", "@", "`", "%",  # YAML indicators
]

# Text the model accepts, by the model's own definition: what it refuses
# character by character is never generated as "valid" text.
PIECES = [piece for piece in PIECES if not refused_character(piece)]
CHARS = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")).filter(lambda c: not refused_character(c))
WORD = st.one_of(
    st.sampled_from(PIECES),
    st.text(CHARS, min_size=1, max_size=10).filter(lambda s: not s.isspace()),
    # very long words, built cheaply so that generated data stays small
    st.builds(lambda piece, n: piece * n, st.sampled_from(["å", "ab", "Ö😀", "x\u0301"]), st.integers(100, 1500)),
)


def line_text(max_words: int = 6) -> st.SearchStrategy[str]:
    """One line of text: words joined by single spaces, no leading or trailing space."""
    return st.lists(WORD, min_size=1, max_size=max_words).map(" ".join).map(str.strip).filter(is_plain_text)


def is_plain_text(text: str) -> bool:
    """Non-blank, and not the `<FYLL I` placeholder that validation refuses on purpose."""
    return bool(text.strip()) and not re.search(r"<FYLL I\b", text, re.IGNORECASE)


LINE = line_text()
PARAGRAPHS = st.lists(line_text(12), min_size=1, max_size=3).map("\n\n".join).filter(is_plain_text)
SECTION = st.one_of(
    PARAGRAPHS,
    st.fixed_dictionaries({"text": PARAGRAPHS}, optional={"punkter": st.lists(LINE, min_size=1, max_size=3)}),
    st.fixed_dictionaries({"punkter": st.lists(LINE, min_size=1, max_size=3)}),
)
IDS = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
METHODS = st.lists(st.sampled_from(list(catalog())), max_size=2, unique=True)
ANSVAR = st.sampled_from(["kommunen", "polisen", "tillsammans"])


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def activity(inside: tuple[date, date]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"text": LINE, "ansvar": ANSVAR},
        optional={
            "omfattning": LINE,
            "frekvens": LINE,
            "senast": st.dates(inside[0], inside[1]).map(date.isoformat),
        },
    )


def drop_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: drop_none(v) for k, v in data.items() if v is not None and v != []}
    if isinstance(data, list):
        return [drop_none(v) for v in data]
    return data


@st.composite
def agreements(draw: st.DrawFn) -> dict[str, Any]:
    """A valid agreement as the dict a YAML file holds."""
    start = draw(st.dates(date(2015, 1, 1), date(2035, 1, 1)))
    end = start + timedelta(days=draw(st.integers(30, 4 * 365)))
    span = (start, end)
    status = draw(st.sampled_from(["utkast", "fastställd", "undertecknad"]))
    source_ids = draw(st.lists(IDS, max_size=2, unique=True))
    kallor = [
        drop_none({"id": i, "titel": draw(LINE), "utgivare": draw(optional(LINE)), "ar": draw(optional(st.integers(1990, 2030)))})
        for i in source_ids
    ]

    def section() -> Any:
        value = draw(SECTION)
        if source_ids and isinstance(value, dict) and draw(st.booleans()):
            value = {**value, "kallor": draw(st.lists(st.sampled_from(source_ids), min_size=1, max_size=2, unique=True))}
        return value

    area_ids = draw(st.lists(IDS, max_size=2, unique=True))
    promise_ids = draw(st.lists(IDS, min_size=1, max_size=2, unique=True))
    signers = []
    for part in ("kommun", "polis"):
        if status == "undertecknad" or draw(st.booleans()):
            signer = {"namn": draw(LINE), "titel": draw(LINE), "part": part}
            if status == "undertecknad":
                signer |= {"ort": draw(LINE), "datum": draw(st.dates(start, end)).isoformat()}
            signers.append(signer)
    data = {
        "titel": draw(optional(LINE)),
        "status": status,
        "datum": draw(optional(st.dates(start - timedelta(days=200), start).map(date.isoformat))),
        "parter": {
            "kommun": drop_none({"namn": draw(LINE), "kortnamn": draw(optional(LINE)), "diarienummer": draw(optional(LINE))}),
            "polis": drop_none(
                {"lokalpolisomrade": draw(LINE), "polisregion": draw(LINE), "diarienummer": draw(optional(LINE))}
            ),
        },
        "period": drop_none({"start": start.isoformat(), "slut": end.isoformat(), "revidering": draw(optional(LINE))}),
        "ersatter": draw(optional(LINE)),
        "del1": drop_none(
            {
                "bakgrund": draw(optional(st.just(0).map(lambda _: section()))),
                "syfte": section(),
                "delmal": draw(st.lists(LINE, max_size=2)),
                "organisation": [
                    drop_none({"namn": draw(LINE), "beskrivning": draw(optional(PARAGRAPHS)), "medlemmar": draw(st.lists(LINE, max_size=2))})
                    for _ in range(draw(st.integers(0, 2)))
                ],
                "roller": [
                    drop_none({"titel": draw(LINE), "namn": draw(optional(LINE)), "part": draw(ANSVAR), "beskrivning": draw(optional(LINE))})
                    for _ in range(draw(st.integers(0, 2)))
                ],
            }
        ),
        "del2": {
            "prioriterade_omraden": [
                drop_none(
                    {
                        "id": area_id,
                        "titel": draw(LINE),
                        "beskrivning": section(),
                        "mal": draw(st.lists(LINE, max_size=2)),
                        "metoder": draw(METHODS),
                        "aktiviteter": draw(st.lists(activity(span), max_size=3)),
                    }
                )
                for area_id in area_ids
            ]
        }
        if area_ids
        else None,
        "medborgarloften": [
            drop_none(
                {
                    "id": promise_id,
                    "titel": draw(optional(LINE)),
                    "period": {"start": start.isoformat(), "slut": end.isoformat()},
                    "lagesbild": section(),
                    "mal": draw(optional(st.just(0).map(lambda _: section()))),
                    "metoder": draw(METHODS),
                    "aktiviteter": draw(st.lists(activity(span), max_size=3)),
                    "lankar": [drop_none({"text": draw(LINE), "url": draw(optional(LINE))}) for _ in range(draw(st.integers(0, 2)))],
                }
            )
            for promise_id in promise_ids
        ],
        "kallor": kallor,
        "undertecknare": signers,
    }
    return drop_none(data)


# -- walking the data ------------------------------------------------------------

Loc = tuple[str | int, ...]
NOT_TEXT = {"id", "status", "part", "ansvar", "start", "slut", "datum", "senast", "kommunkod"}


def leaves(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, (*loc, i))
    else:
        yield loc, data


def is_text(loc: Loc) -> bool:
    """Whether the leaf at ``loc`` is free text (not an id, date, enum or reference)."""
    names = [part for part in loc if isinstance(part, str)]
    if names[-1] in NOT_TEXT or (names[-1] in ("metoder", "kallor") and isinstance(loc[-1], int)):
        return False
    return not (isinstance(loc[-1], int) and len(names) >= 1 and names[-1] in ("metoder", "kallor"))


def text_leaves(data: Any) -> dict[Loc, str]:
    """Every free-text value by location, with the string shorthand of a section as its `text`."""
    out = {}
    for loc, value in leaves(data):
        if isinstance(value, str) and is_text(loc):
            out[loc] = value
    return out


def model_texts(agreement: Any) -> dict[Loc, str]:
    found = text_leaves(agreement.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    return found


def as_model_locs(texts: dict[Loc, str], data: dict[str, Any]) -> dict[Loc, str]:
    """Move a section's shorthand string to its `text` field, as the model holds it."""
    out = {}
    for loc, value in texts.items():
        parent: Any = data
        for part in loc[:-1]:
            parent = parent[part]
        in_section = loc[-1] in SECTION_FIELDS and not (len(loc) >= 3 and loc[-3] in ("organisation", "roller"))
        shorthand = in_section and isinstance(parent, dict) and isinstance(parent.get(loc[-1]), str)
        out[(*loc, "text") if shorthand else loc] = value
    return out


SECTION_FIELDS = {"bakgrund", "syfte", "beskrivning", "lagesbild", "mal", "inledning"}


# -- valid agreements --------------------------------------------------------------


@SETTINGS
@given(data=agreements())
def test_generated_agreement_validates_and_keeps_every_text(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "2024.yaml"
    path.write_text(dump(data), encoding="utf-8")
    agreement = load(path)
    # Every text is kept as printed: whitespace folded the way the documents fold it.
    expected = {loc: normal_text(value) for loc, value in as_model_locs(text_leaves(data), data).items()}
    got = model_texts(agreement)
    differing = {loc: (value, got.get(loc)) for loc, value in expected.items() if got.get(loc) != value}
    assert not differing


@SETTINGS
@given(data=agreements(), choice=st.data(), bad=st.sampled_from(XML_INVALID))
def test_xml_invalid_character_is_refused_where_it_stands(data: dict[str, Any], choice: st.DataObject, bad: str) -> None:
    texts = text_leaves(data)
    loc = choice.draw(st.sampled_from(sorted(texts, key=str)))
    value = texts[loc]
    at = choice.draw(st.integers(0, len(value)))
    parent: Any = data
    for part in loc[:-1]:
        parent = parent[part]
    parent[loc[-1]] = value[:at] + bad + value[at:]
    text = dump(data)
    with pytest.raises(InvalidAgreement) as caught:
        loads(text, "hostile.yaml")
    line, column = parse(Path("hostile.yaml"), text).position(loc)
    code = f"U+{ord(bad):04X}"
    matching = [p for p in caught.value.problems if code in p.message]
    assert matching, str(caught.value)
    assert "otillåtet styrtecken" in matching[0].message and "ta bort det" in matching[0].message
    assert (matching[0].line, matching[0].column) == (line, column)


@SETTINGS
@given(data=agreements(), later=st.integers(1, 4))
def test_new_version_keeps_every_text(tmp_path: Path, data: dict[str, Any], later: int) -> None:
    from samverkan.drafting.new import new_version

    start_year = int(data["period"]["start"][:4])
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one folder per example
    source = folder / f"{start_year}.yaml"
    source.write_text("# Kommentar som ska finnas kvar\n" + dump(data), encoding="utf-8")
    if later % 2:  # the library function and the command are the same step
        target = new_version(source, start_year + later, output=folder / "ny.yaml")
    else:
        target = folder / "ny.yaml"
        result = CliRunner().invoke(cli, ["new", "--from", str(source), "--year", str(start_year + later), "-o", str(target)])
        assert result.exit_code == 0, result.output
    before = model_texts(load(source))
    after = model_texts(load(target))
    assert target.read_text(encoding="utf-8").startswith("# Kommentar som ska finnas kvar\n")

    # What `new` changes on purpose: years in titles and ids, references, signing place.
    def changed(loc: Loc) -> bool:
        return loc[0] in ("titel", "ersatter") or loc[-1] in ("diarienummer", "ort") or (
            loc[0] == "medborgarloften" and loc[2] in ("titel", "id")
        )

    assert {k: v for k, v in after.items() if not changed(k)} == {k: v for k, v in before.items() if not changed(k)}


# -- invalid agreements ------------------------------------------------------------


def locations(data: Any, loc: Loc = ()) -> Iterator[Loc]:
    """Every location in the data except the root."""
    if loc:
        yield loc
    if isinstance(data, dict):
        for key, value in data.items():
            yield from locations(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from locations(value, (*loc, i))


def value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def at(data: Any, loc: Loc) -> tuple[Any, str | int]:
    parent = data
    for part in loc[:-1]:
        parent = parent[part]
    return parent, loc[-1]


BROKEN_YAML = [
    "\nstatus: utkast\n",  # duplicate key
    "\nparter: [1, 2\n",  # unclosed bracket
    '\nokand: "ej stängd\n',  # unclosed quote
    "\n\tstatus: utkast\n",  # tab indentation
    "\n- en lista\n",  # a list inside the mapping
    "\nx: *saknas\n",  # undefined alias
    "\nx: !!python/object:os.system ls\n",  # a tag that must never construct anything
    "\n--- \nstatus: utkast\n",  # a second document
    "\nx: {a: 1\n",  # unclosed brace
    '\nx: "\\q"\n',  # unknown escape
]


@st.composite
def broken_files(draw: st.DrawFn) -> bytes:
    """A file that is not a valid agreement, made by one mutation of a valid one (or random bytes)."""
    kind = draw(st.sampled_from(["wrong-type", "unknown-key", "bad-date", "missing", "broken-yaml", "bytes", "text"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "text":
        return draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    data = draw(agreements())
    if kind == "broken-yaml":
        text = dump(data)
        return (text + draw(st.sampled_from(BROKEN_YAML))).encode("utf-8")
    if kind == "missing":
        del data[draw(st.sampled_from(["status", "parter", "period"]))]
    elif kind == "unknown-key":
        mappings = [loc for loc in locations(data) if isinstance(value_at(data, loc), dict)]
        loc = draw(st.sampled_from([(), *mappings]))
        target = data
        for part in loc:
            target = target[part]
        key = draw(st.from_regex(r"[a-zåäö_]{1,12}", fullmatch=True).filter(lambda k: k not in target))
        target[key] = draw(st.one_of(LINE, st.integers()))
    elif kind == "bad-date":
        dates = [loc for loc, value in leaves(data) if loc[-1] in ("start", "slut", "datum", "senast")]
        loc = draw(st.sampled_from(dates))
        parent, key = at(data, loc)
        parent[key] = draw(st.sampled_from(["2024-02-30", "2023-13-01", "31/12/2024", "igår", "2024-1-1x", "0000-00-00"]))
    else:  # wrong type: a list where a scalar belongs, a number where a mapping or list belongs
        loc = draw(st.sampled_from(list(locations(data))))
        parent, key = at(data, loc)
        parent[key] = 7 if isinstance(parent[key], (dict, list)) else [1, 2]
    return dump(data).encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=broken_files())
def test_broken_file_exits_1_with_file_line_col(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "trasig.yaml"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, (content[:500], result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    problems = [line for line in result.stderr.splitlines() if line.startswith(f"{path}:")]
    assert problems, result.stderr
    for line in problems:
        assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: \S", line), line


# -- rendering -------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    """All text of a .docx: body paragraphs (tables included), headers and footers, one per line."""
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []

    def walk(container: Any) -> None:
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)

    walk(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                walk(part)
    return "\n".join(lines)


def one_line(text: str) -> str:
    """How the renderer prints a list item or an activity: runs of ASCII whitespace become one space
    (a no-break space is kept, as the model keeps it)."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


def expected_pieces(agreement: Any, document: str) -> list[str]:
    """Every author text that must stand in ``document``, as :mod:`samverkan.documents.context` documents it.

    Running text is split into paragraphs on blank lines, and the lines of a
    paragraph are joined with one space; list items (`punkter`, `delmal`,
    `mal`, activities) have their whitespace collapsed; names and titles are
    printed as written.
    """
    from samverkan.documents.context import paragraphs

    pieces: list[str] = []

    def section(value: Any) -> None:
        if value is None:
            return
        pieces.extend(paragraphs(value.text))
        pieces.extend(one_line(b) for b in value.punkter)

    def promise(p: Any) -> None:
        if p.titel:
            pieces.append(p.titel)
        for name in ("inledning", "lagesbild", "mal", "genomforande", "uppfoljning", "folj_arbetet"):
            section(getattr(p, name))
        pieces.extend(one_line(a.text) for a in p.aktiviteter)
        pieces.extend(one_line(d) for a in p.aktiviteter for d in (a.omfattning, a.frekvens) if d)
        pieces.extend(lank.text for lank in p.lankar)
        pieces.extend(lank.url for lank in p.lankar if lank.url)

    a = agreement
    pieces.append(a.parter.kommun.namn)
    if document == "overenskommelse":
        if a.titel:
            pieces.append(a.titel)
        pieces += [a.parter.polis.lokalpolisomrade, a.parter.polis.polisregion]
        if a.ersatter:
            pieces.append(a.ersatter.strip())
        if a.del1:
            for name in ("bakgrund", "syfte", "overgripande_mal", "lagesbild", "kommunikation", "uppfoljning"):
                section(getattr(a.del1, name))
            pieces.extend(one_line(d) for d in a.del1.delmal)
            for forum in a.del1.organisation:
                pieces.append(forum.namn)
                pieces.extend(paragraphs(forum.beskrivning))
                pieces.extend(forum.medlemmar)
            for role in a.del1.roller:
                pieces.append(role.titel)
                pieces.extend(x for x in (role.namn,) if x)
                if role.beskrivning:
                    pieces.append(one_line(role.beskrivning))
        if a.del2:
            for area in a.del2.prioriterade_omraden:
                pieces.append(area.titel)
                section(area.beskrivning)
                pieces.extend(one_line(m) for m in area.mal)
                pieces.extend(one_line(x.text) for x in area.aktiviteter)
        for k in a.kallor:
            pieces.append(k.titel.strip().rstrip("."))
        for s in a.undertecknare:
            pieces += [s.namn, s.titel]
        for p in a.medborgarloften:
            promise(p)
    else:  # one medborgarlöfte as its own document: by default the last
        for p in a.medborgarloften[-1:]:
            promise(p)
    return [p for p in pieces if p]


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "30")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=agreements(), document=st.sampled_from(["overenskommelse", "medborgarlofte"]))
def test_rendered_docx_holds_every_text_exactly(data: dict[str, Any], document: str) -> None:
    from samverkan.documents.render import render_docx

    agreement = loads(dump(data), "2024.yaml")
    text = docx_text(render_docx(agreement, document))
    missing = [piece for piece in expected_pieces(agreement, document) if piece not in text]
    assert not missing, missing[:3]


def command_for(name: str, path: Path, folder: Path) -> list[str]:
    """A command line that reads the (broken) agreement at ``path`` first."""
    out = str(folder / "ut")
    return {
        "render": ["render", str(path), "-o", out, "--format", "docx", "-q"],
        "web": ["web", str(path), "-o", out],
        "new": ["new", "--from", str(path), "--year", "2040", "-o", str(folder / "ny.yaml")],
        "diff": ["diff", str(path), str(path), "-o", out, "--no-redline"],
    }[name]


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "20")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=broken_files(), command=st.sampled_from(["render", "web", "new", "diff"]))
def test_every_command_refuses_a_broken_file_cleanly(tmp_path: Path, content: bytes, command: str) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / "trasig.yaml"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, command_for(command, path, folder))
    assert result.exit_code == 1, (command, content[:300], result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: \S", result.stderr, re.M), result.stderr
    assert sorted(p.name for p in folder.rglob("*")) == ["trasig.yaml"]  # nothing written


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "8")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(old=agreements(), new=agreements())
def test_diff_of_any_two_versions_never_crashes(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    new["parter"] = old["parter"]  # two versions of one kommun's agreement
    (folder / "gammal.yaml").write_text(dump(old), encoding="utf-8")
    (folder / "ny.yaml").write_text(dump(new), encoding="utf-8")
    args = ["diff", str(folder / "gammal.yaml"), str(folder / "ny.yaml"), "-o", str(folder / "ut"), "--no-pdf"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output[-800:]
    written = [Path(line) for line in result.stdout.splitlines() if line.endswith(".docx")]
    assert written
    for path in written:
        assert path.resolve().is_relative_to((folder / "ut").resolve())
