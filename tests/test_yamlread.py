"""Reading YAML: the quick path builds exactly what the careful path builds, or steps aside.

Most agreement files are read in one pass over libyaml's events
(``_compose_plain``); anything unusual goes through the careful path
(compose, then walk), which also gives every message and every position.
These tests hold the two paths to the same result.
"""

from __future__ import annotations

import math
import random
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML

from samverkan.errors import InvalidAgreement
from samverkan.model import yamlread
from samverkan.model.loader import load, loads, parse
from samverkan.model.characters import _REFUSED
from samverkan.model.models import refused_character as _xml_invalid
from samverkan.model.scalars import plain_scalar
from samverkan.model.yamlread import MAX_BYTES, Refused, read_data, read_text

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "corpus" / "base.yaml").read_text(encoding="utf-8")
AGREEMENTS = sorted((ROOT / "agreements").rglob("*.yaml"))


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (1 is not True, keys in the same order)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def quick(text: str) -> Any:
    """The quick path's data, or None where it steps aside."""
    try:
        return yamlread._compose_plain(text)
    except (yamlread._Irregular, yaml.YAMLError, ValueError):
        return None


def careful(text: str) -> yamlread.Document | Refused:
    try:
        return yamlread._parse_carefully(Path("x.yaml"), text)
    except Refused as refused:
        return refused


def assert_agree(text: str) -> bool:
    """The quick path's data equals the careful path's; True if the quick path took the file."""
    data = quick(text)
    if data is None:
        return False
    reference = careful(text)
    assert not isinstance(reference, Refused), f"quick path took a file the careful path refuses: {reference.message}"
    assert same(data, reference.data)
    return True


@pytest.mark.parametrize("path", AGREEMENTS, ids=[f"{p.parent.name}/{p.name}" for p in AGREEMENTS])
def test_real_agreements_take_the_quick_path(path: Path) -> None:
    assert assert_agree(read_text(path))


STEPS_ASIDE = {
    "anchor and alias": BASE + "x: &a [1]\ny: *a\n",
    "tag": BASE.replace('kommunkod: "0481"', "kommunkod: !!str 0481"),
    "non-specific tag": BASE.replace("namn: Exempelby kommun", "namn: ! Exempelby kommun"),
    "two documents": BASE + "---\nstatus: utkast\n",
    "merge key": BASE + "x:\n  <<: {a: 1}\n",
    "quoted merge key": BASE + 'x:\n  "<<": 1\n',
    "value PyYAML tags as value": BASE + "x: =\n",
    "duplicate key": BASE + "status: utkast\n",
    "duplicate key after resolving": BASE + "x:\n  1: a\n  '1': b\n",
    "list as key": BASE + "? [a]\n: b\n",
    "list at the top": "- a\n- b\n",
    "text at the top": "bara text\n",
    "syntax error": BASE.replace("[grannsamverkan, est]", "[grannsamverkan, est"),
    "too deep": "x: " + "[" * 70 + "]" * 70 + "\n",
    "too many digits": BASE + "x: " + "1" * 5000 + "\n",
    "too many values": "x: [" + ",".join(["1"] * (yamlread.MAX_NODES + 1)) + "]\n",
}


@pytest.mark.parametrize("text", STEPS_ASIDE.values(), ids=STEPS_ASIDE.keys())
def test_quick_path_steps_aside_for_anything_unusual(text: str) -> None:
    assert quick(text) is None
    reference = careful(text)
    try:
        doc = yamlread.parse_text(Path("x.yaml"), text)
    except Refused as refused:  # the same refusal as the careful path, at the same place
        assert isinstance(reference, Refused)
        assert (refused.line, refused.column, refused.message) == (reference.line, reference.column, reference.message)
    else:
        assert not isinstance(reference, Refused)
        assert same(doc.data, reference.data)


def test_quick_path_takes_every_plain_shape() -> None:
    text = (
        "a: 1\nb: -2.5e3\nc: 0o17\nd: 0x1F\ne: .inf\nf: -.Inf\ng: .nan\nh: ~\ni:\nj: true\nk: FALSE\nl: no\n"
        "m: 2024-01-01\nn: '0481'\no: \"tab\\tx\"\np: |\n  rad 1\n  rad 2\nq: >-\n  vikt\n  text\n"
        "r: [1, [2, {s: t}], {}]\nu: {v: [], w: null}\n1: nyckel som tal\ntrue: nyckel som sant\n"
        "x:\n  - - a\n    - b\n  - c: d\n    e: f\n  -\n= : likhetstecken som nyckel\n"
    )
    assert assert_agree(text)
    data = quick(text)
    assert data["l"] == "no" and data["m"] == "2024-01-01" and data["n"] == "0481"
    assert data["c"] == 15 and data["d"] == 31 and data["h"] is None and data["i"] is None and data["k"] is False
    assert list(data)[-4:] == ["1", "True", "x", "="]


FRAGMENTS = [
    "\n", " ", ":", ": ", "- ", "-", "#", "'", '"', "[", "]", "{", "}", ",", "?", "? ", "&a ", "*a", "!!str ", "!x ",
    "<<", "<<: ", "=", "~", "null", "yes", "no", "0o17", "0x1f", "1e3", ".inf", ".nan", "-.5", "0481", "2024-13-01",
    "|", "|-\n  ", ">", "\t", "%", "@", "`", "\\", "\\x41", "...", "---", "\n---\n", "  ", "\n  ", "\n    - ",
    "  x: y\n", "é", "\u2028", "\x85", "\ufeff", "a: b", "{a: 1, a: 2}", "[1, [2, [3]]]", "True", "FALSE", "Null",
    "123456789012345678901234567890", "1_000", "+1", ".", "\r", "\r\n",
]


@pytest.mark.parametrize("seed", range(4))
def test_both_paths_agree_on_mutated_files(seed: int) -> None:
    rng = random.Random(seed)
    taken = 0
    for _ in range(400):
        text = BASE
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.2:
                text = text[:at] + text[at + rng.randint(1, 30) :]
            else:
                text = text[:at] + rng.choice(FRAGMENTS) + text[at:]
        taken += assert_agree(text)
    assert taken > 100  # both paths were exercised


@pytest.mark.parametrize("seed", range(4))
def test_both_paths_agree_on_small_random_texts(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        assert_agree("".join(rng.choice([*FRAGMENTS, "a", "b", "x: ", "\n- ", "\nk: "]) for _ in range(rng.randint(1, 12))))


def test_positions_are_found_when_first_asked_for() -> None:
    doc = parse(Path("base.yaml"), BASE)
    reference = careful(BASE)
    assert not isinstance(reference, Refused)
    assert doc.positions == reference.positions
    assert doc.position(("parter", "kommun", "namn")) == (6, 5)
    assert doc.position(("del2", "prioriterade_omraden", 0, "metoder", 1)) == (23, 33)  # a flow list item
    assert doc.position(("del1", "syfte", "kallor", 3)) == (16, 3)  # nearest parent present


def test_problems_in_a_quickly_read_file_are_located() -> None:
    with pytest.raises(InvalidAgreement) as caught:
        loads(BASE.replace("  syfte:", "  syfe:"), "f.yaml")
    assert str(caught.value).startswith('f.yaml:16:3: okänt fält "syfe"')


@pytest.mark.parametrize(
    "value",
    ['"\\x3cFYLL I: syftet>"', '"\\u003cFYLL I: syftet>"', "'<FYLL I: syftet>'"],
    ids=["hex escape", "unicode escape", "single-quoted"],
)
def test_placeholder_is_found_however_it_is_written(value: str) -> None:
    text = BASE.replace("  syfte: Att minska brottsligheten och öka tryggheten.", f"  syfte: {value}")
    assert yamlread.parse_text(Path("f.yaml"), text).may_hold("<")
    with pytest.raises(InvalidAgreement, match=r'f\.yaml:16:3: platshållaren "<FYLL I: syftet>" är inte ifylld'):
        loads(text, "f.yaml")


def test_may_hold_is_false_only_when_the_text_rules_it_out() -> None:
    assert not yamlread.parse_text(Path("f.yaml"), BASE).may_hold("<")
    assert yamlread.parse_text(Path("f.yaml"), BASE + 'x: "\\t"\n').may_hold("<")  # an escape could make one
    assert careful(BASE).may_hold("<")  # the careful path keeps no text: it cannot tell


def test_catalog_is_read_as_a_yaml_12_reader_reads_it() -> None:
    text = resources.files("samverkan.model").joinpath("data/metoder.yaml").read_text(encoding="utf-8")
    entries = read_data(text)
    assert isinstance(entries, list) and entries
    assert entries == YAML(typ="safe").load(text)


def test_read_data_takes_any_top_value_and_refuses_like_the_loader() -> None:
    assert read_data("- no\n- 0481\n") == ["no", 481]
    assert read_data("text\n") == "text"
    assert read_data("") is None
    with pytest.raises(Refused, match="okänd YAML-tagg"):
        read_data("- !!python/name:os.system\n")


def test_a_file_that_grows_after_stat_is_read_to_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(BASE, encoding="utf-8")
    real_stat = Path.stat

    class Shrunk:
        def __init__(self, info: Any):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(Path, "stat", lambda self, **kw: Shrunk(real_stat(self, **kw)))
    assert read_text(path) == BASE
    path.write_text(BASE + "#" * MAX_BYTES, encoding="utf-8")
    with pytest.raises(Refused, match=f"filen är för stor \\(över {MAX_BYTES} byte\\)"):
        read_text(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidAgreement, match="detta är en mapp"):
        load(tmp_path)


def _plain_by_regexes(value: str) -> Any:
    """The YAML 1.2 core schema for a plain scalar, one regex after another."""
    for pattern, convert in (
        (r"^(?:~|null|Null|NULL|)$", lambda v: None),
        (r"^(?:true|True|TRUE)$", lambda v: True),
        (r"^(?:false|False|FALSE)$", lambda v: False),
        (r"^[-+]?[0-9]+$", int),
        (r"^0o[0-7]+$", lambda v: int(v[2:], 8)),
        (r"^0x[0-9a-fA-F]+$", lambda v: int(v[2:], 16)),
        (r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", float),
        (r"^[-+]?\.(?:inf|Inf|INF)$", lambda v: float("-inf") if v.startswith("-") else float("inf")),
        (r"^\.(?:nan|NaN|NAN)$", lambda v: float("nan")),
    ):
        if re.match(pattern, value):
            return convert(value)
    return value


def test_plain_scalars_resolve_by_the_core_schema() -> None:
    rng = random.Random(0)
    alphabet = "0123456789+-.eEoxabfnNtTrueFALSlINnaf~ \n_:"
    values = ["", "\n", "~", "null", "null\n", "True\n", "FALSE", "0o17", "0x1F", "1.", ".5", "-.inf", ".NaN", "12\n",
              "2024-01-01", "1_000", "-", "00012", "nej", "tillsammans"]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7))) for _ in range(20_000)]
    for value in values:
        assert same(plain_scalar(value), _plain_by_regexes(value)), repr(value)


def test_quick_character_check_finds_what_the_regex_finds() -> None:
    # Outside emoji sequences, the quick check (str.isprintable first) finds what the full class finds.
    def found(match: re.Match[str] | None) -> tuple[int, str] | None:
        return (match.start(), match.group()) if match else None

    for code in [*range(0x3000), *range(0xD700, 0x10000), 0x1F600, *range(0xE0000, 0xE0200), 0x10FFFF]:
        for text in (chr(code), f"ä{chr(code)}\nb", f"–\n{chr(code)}"):
            assert found(_xml_invalid(text)) == found(_REFUSED.search(text)), hex(code)
