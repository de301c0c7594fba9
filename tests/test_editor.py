"""What an editor shows: yaml-language-server itself, with the committed schema.

The same realistic mistakes as tests/test_mistakes.py are opened in
yaml-language-server (the language server of VS Code's YAML extension,
installed by scripts/setup.sh) and the diagnostics it publishes are checked:
the line, and for everything the schema decides, a Swedish message. The
server's own YAML syntax messages are English and cannot be changed by a
schema; where it reports a mistake elsewhere than its line, the table says
so, and docs/guide.md tells the reader to run `samverkan validate` then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lsp import ROOT, LanguageServer
from test_mistakes import BASE, MISTAKES, sub

SCHEMA = ROOT / "schemas" / "agreement.schema.json"
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(skriv|här|ska|fält|värde|metod|lista|text)\b", re.IGNORECASE)

# The server's own messages (its YAML parser, and "Missing property"): English, not the schema's.
SERVER_OWN = re.compile(
    r"^(Missing property|Implicit|Nested mappings|Map keys must be unique|All mapping items|Sequence item|"
    r"Tabs are not allowed|Missing closing|Unexpected|Plain value cannot start)"
)

# id → (line where the editor marks it, fragment of the Swedish schema message, or None where only the
# server's own YAML message points at it).
EXPECTED: dict[str, tuple[int, str | None]] = {
    "missing-colon": (6, "Okänt fält. Här får stå: namn, kortnamn"),
    "missing-colon-before-comment": (7, "Okänt fält"),
    "missing-colon-alone": (17, "Okänt fält"),
    "unclosed-quote": (52, None),  # the server's parser marks the end of the file; validate marks line 38
    "unclosed-quote-closed-later": (38, None),
    "unclosed-single-quote": (52, None),  # as above
    "word-quotes": (38, "Här ska stå en text"),
    "colon-in-text": (38, 'sätt den inom citattecken (")'),
    "text-after-quote": (38, None),
    "at-sign": (38, None),
    "indent-one-less": (26, None),
    "indent-one-more": (25, None),  # the server marks the line before, where the text swallows it
    "indent-under-dash": (26, "Okänt fält. Här får stå: id,"),
    "indent-key-too-deep": (6, "Här ska stå en text"),  # the line before, as above
    "indent-key-too-shallow": (7, "Okänt fält. Här får stå: kommun, polis"),
    "tab": (39, None),
    "forgotten-dash-area": (28, None),
    "forgotten-dash-activity": (28, None),
    "forgotten-dash-text-item": (19, None),
    "text-on-next-line": (17, "Okänt fält"),
    "misspelt-key": (16, "Okänt fält. Här får stå: bakgrund, syfte"),
    "misspelt-value": (2, "Ogiltigt värde. Skriv ett av: utkast, fastställd, undertecknad."),
    "misspelt-ansvar": (26, "Ogiltigt värde. Skriv ett av: kommunen, polisen, tillsammans"),
    "date-in-words": (13, "Skriv datumet som ÅÅÅÅ-MM-DD"),
    "method-abbreviation": (23, "Okänd metod. Metoder anges med sitt id ur metodkatalogen: est, sspf"),
    "method-name": (23, "Okänd metod"),
    "list-expected": (17, "Här ska stå en lista"),
    "hash-in-text": (0, None),  # valid YAML to the editor (the rest is a comment): only validate sees it
}

MORE = {
    "placeholder": (sub("    namn: Exempelby kommun", '    namn: "<FYLL I: kommunens namn>"'), 6,
                    "Skriv in den riktiga uppgiften i stället för platshållaren"),
    "placeholder-date": (sub("  start: 2024-01-01\n  slut", '  start: "<FYLL I: första dagen>"\n  slut'), 13, "ÅÅÅÅ-MM-DD"),
    "kommunkod-number": (sub('kommunkod: "0481"', "kommunkod: 0481"), 7, 'fyra siffror inom citattecken'),
    "bad-id": (sub("    - id: stold", "    - id: Stöld"), 21, "Ett id skrivs med små bokstäver"),
    "unknown-method": (sub("[grannsamverkan, est]", "[grannsamverkan, xyz]"), 23, "beskrivs under `egna_metoder`"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[LanguageServer]:
    language_server = LanguageServer()
    yield language_server
    language_server.close()


def with_schema(text: str) -> str:
    return text.replace("$schema=../../schemas/agreement.schema.json", f"$schema={SCHEMA.as_uri()}")


def shown(diagnostics: list[dict[str, Any]]) -> str:
    return "\n".join(f"{d['range']['start']['line'] + 1}: {d['message']}" for d in diagnostics)


def test_expected_covers_every_mistake() -> None:
    assert set(EXPECTED) == {m[0] for m in MISTAKES}


def test_valid_file_has_no_marks(server: LanguageServer, tmp_path: Path) -> None:
    # Only a note on a word's old spelling, which validate accepts too (schema.OLD_SPELLINGS).
    marks = server.open(tmp_path / "base.yaml", with_schema(BASE))
    assert all(d["message"].startswith("Gammal stavning") for d in marks), shown(marks)


@pytest.mark.parametrize(("name", "text"), [(m[0], m[1]) for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_editor_marks_the_mistake(server: LanguageServer, tmp_path: Path, name: str, text: str) -> None:
    line, fragment = EXPECTED[name]
    diagnostics = server.open(tmp_path / f"{name}.yaml", with_schema(text))
    if line == 0:
        assert diagnostics == [], shown(diagnostics)
        return
    on_line = [d for d in diagnostics if d["range"]["start"]["line"] + 1 == line]
    assert on_line, shown(diagnostics)
    if fragment is not None:
        assert any(fragment in d["message"] for d in on_line), shown(diagnostics)
    for diagnostic in diagnostics:  # everything the schema says is Swedish
        assert SERVER_OWN.match(diagnostic["message"]) or SWEDISH.search(diagnostic["message"]), diagnostic["message"]


@pytest.mark.parametrize(("text", "line", "fragment"), MORE.values(), ids=MORE.keys())
def test_editor_refuses_what_validate_refuses(server: LanguageServer, tmp_path: Path, text: str, line: int, fragment: str) -> None:
    diagnostics = server.open(tmp_path / "x.yaml", with_schema(text))
    assert any(d["range"]["start"]["line"] + 1 == line and fragment in d["message"] for d in diagnostics), shown(diagnostics)


def test_completion_offers_the_catalog_with_descriptions(server: LanguageServer, tmp_path: Path) -> None:
    text = with_schema(sub("[grannsamverkan, est]", "\n        - "))
    path = tmp_path / "complete.yaml"
    server.open(path, text)
    line = text.split("\n").index("        - ")
    result = server.request("textDocument/completion", {
        "textDocument": {"uri": path.resolve().as_uri()}, "position": {"line": line, "character": 10}})
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"]: item for item in items}
    assert {"est", "sspf", "grannsamverkan", "trygghetsvandring", "ctc"} <= set(labels)
    documentation = labels["est"].get("documentation")
    text_shown = documentation["value"] if isinstance(documentation, dict) else str(documentation)
    assert "Effektiv samordning för trygghet" in text_shown


def test_hover_explains_a_field_in_swedish(server: LanguageServer, tmp_path: Path) -> None:
    path = tmp_path / "hover.yaml"
    text = with_schema(BASE)
    server.open(path, text)
    line = text.split("\n").index("    lokalpolisomrade: Lokalpolisområde Nyköping")
    result = server.request("textDocument/hover", {
        "textDocument": {"uri": path.resolve().as_uri()}, "position": {"line": line, "character": 8}})
    contents = result["contents"]
    value = contents["value"] if isinstance(contents, dict) else str(contents)
    assert "Lokalpolisområdet, t" in value and "Nyköping" in value, value
