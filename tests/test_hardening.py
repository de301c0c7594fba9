"""Hardening: hostile values, hostile names, failing tools, concurrent runs.

Every failure must end in exit code 1 with a Swedish message, no traceback,
no partial output file, and nothing left running.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from samverkan.cli import cli
from samverkan.errors import InvalidAgreement
from samverkan.fsutil import slug
from samverkan.loader import load, loads
from test_properties import dump

CORPUS_BASE = Path(__file__).resolve().parent / "corpus" / "base.yaml"


def base_text() -> str:
    return CORPUS_BASE.read_text(encoding="utf-8")


def failed_cleanly(result: Result) -> None:
    """Exit 1, a message, and no traceback or stray exception."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.strip()


# -- values the YAML reader and the models must refuse, not crash on or accept ----


def test_number_with_thousands_of_digits_is_refused_with_its_place(tmp_path: Path) -> None:
    # int() refuses decimal strings over 4300 digits; that must not become a traceback.
    path = tmp_path / "lang.yaml"
    path.write_text(base_text().replace("ar: 2020", "ar: " + "1" * 5000), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    failed_cleanly(result)
    assert f"{path}:40:9: talet har för många siffror" in result.stderr


def test_key_with_thousands_of_digits_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nyckel.yaml"
    path.write_text(base_text() + "? " + "9" * 5000 + "\n: x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    failed_cleanly(result)
    assert re.search(rf"^{re.escape(str(path))}:52:3: talet har för många siffror", result.stderr, re.M)


@pytest.mark.parametrize("value", ["0", "86400", "1.5", "-86400", "true"])
def test_a_number_is_never_read_as_a_date(value: str) -> None:
    # pydantic alone reads 0 as 1970-01-01 (a Unix timestamp): a silent, wrong date.
    text = base_text().replace("  start: 2024-01-01\n  slut", f"  start: {value}\n  slut", 1)
    with pytest.raises(InvalidAgreement, match=r"f\.yaml:13:3: ogiltigt datum .* ÅÅÅÅ-MM-DD"):
        loads(text, "f.yaml")


@pytest.mark.parametrize("field", ["datum: 2024-03-12\nparter", "senast: 2025-06-01\n"])
def test_dates_elsewhere_refuse_numbers_too(field: str) -> None:
    text = base_text()
    if field.startswith("datum"):
        text = text.replace(field, "datum: 0\nparter", 1)
    else:
        text = text.replace("          frekvens: minst en gång per år\n", "          frekvens: minst en gång per år\n          senast: 0\n")
    with pytest.raises(InvalidAgreement, match=r"ogiltigt datum talet 0"):
        loads(text, "f.yaml")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400"])
def test_infinite_year_gets_a_swedish_message(value: str) -> None:
    text = base_text().replace("ar: 2020", f"ar: {value}")
    with pytest.raises(InvalidAgreement) as caught:
        loads(text, "f.yaml")
    message = str(caught.value)
    assert message.startswith("f.yaml:40:5: ska vara ett heltal"), message
    assert "Input should" not in message


def test_dates_written_as_text_still_load() -> None:
    agreement = loads(base_text().replace("start: 2024-01-01\n  slut", 'start: "2024-01-01"\n  slut', 1), "f.yaml")
    assert agreement.period.start.isoformat() == "2024-01-01"


# -- file names ----------------------------------------------------------------

HOSTILE_NAMES = [
    "../../../etc/passwd",
    "..",
    ".",
    "/",
    "/tmp/x",
    "a/../../b",
    "C:\\Windows\\system32",
    '<>:"|?*',
    "kommun\\..\\..",
    "!!!",
    "   ",
    "–—…",
    "😀🚓",
    "ﾃｽﾄ",
    "x" * 500,
    "-leading-dash",
    "name\u202eevil.exe",  # right-to-left override
    "con",  # a reserved name on Windows is still only a slug, never a path
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_slug_is_a_single_safe_path_part(name: str) -> None:
    part = slug(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", part), part
    assert len(part) <= 80
    assert Path(part).name == part and part not in (".", "..")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Östhammars kommun", "osthammars-kommun"),
        ("Åre", "are"),
        ("Älvdalen", "alvdalen"),
        ("Malå kommun", "mala-kommun"),
        ("Göteborgs Stad", "goteborgs-stad"),
        ("Håbo/Upplands-Bro", "habo-upplands-bro"),
        ("Árjepluovve", "arjepluovve"),  # accents other than å ä ö are dropped
        ("Ørsted & Œuvre", "rsted-uvre"),  # letters without a plain base letter are dropped
        ("../../Säter", "sater"),
    ],
)
def test_slug_stays_readable(name: str, expected: str) -> None:
    assert slug(name) == expected


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*")]


@pytest.mark.parametrize("name", ["../../../utanfor", "a/../../b", '<>:"|?*', "...", "/tmp/absolut"])
def test_web_never_writes_outside_the_output_folder(tmp_path: Path, name: str) -> None:
    data = yaml.safe_load(base_text())
    data["parter"]["kommun"]["namn"] = name
    data["parter"]["kommun"]["kortnamn"] = name
    source = tmp_path / "in" / "a.yaml"
    source.parent.mkdir()
    source.write_text(dump(data), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    before = set(every_file(tmp_path))
    result = CliRunner().invoke(cli, ["web", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = set(every_file(tmp_path)) - before
    files = [p for p in written if p.is_file()]
    assert files
    for path in files:
        assert path.resolve().is_relative_to(out.resolve()), path
        assert re.fullmatch(r"[a-z0-9-]+\.html", path.name), path.name
    assert load(source).parter.kommun.namn == name
