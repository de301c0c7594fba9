"""Text that displays differently from what it says is refused (issue 15, findings 7 and 9).

Bidirectional controls reorder what the reader sees ("rapport\\u202ecod.exe"
reads "rapportexe.doc"); zero-width and other invisible characters change the
text without showing. Both are refused in agreement text with the place, the
character's code and its Unicode name. Emoji sequences, which need a joiner
or a selector, still work. A raw control character in the file (which libyaml
refuses before any value exists) is reported at its own line and column in
Swedish, like the escaped form.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from samverkan.cli.commands import cli
from samverkan.errors import InvalidAgreement
from samverkan.model.characters import refused_character
from samverkan.model.loader import loads

CORPUS_BASE = Path(__file__).resolve().parent / "corpus" / "base.yaml"
SYFTE = "Att minska brottsligheten och öka tryggheten."


def base_text() -> str:
    return CORPUS_BASE.read_text(encoding="utf-8")


def with_syfte(value: str) -> str:
    """The base agreement with ``del1.syfte`` set to ``value`` (line 16), written double-quoted and escaped."""
    return base_text().replace(f"syfte: {SYFTE}", "syfte: " + yaml.dump(value, allow_unicode=False, width=10**6).strip().removesuffix("\n..."))


BIDI = ["\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE = [
    "\u200b",  # ZERO WIDTH SPACE
    "\u200c",  # ZERO WIDTH NON-JOINER
    "\u200d",  # ZERO WIDTH JOINER, between letters
    "\u2060",  # WORD JOINER
    "\u2062",  # INVISIBLE TIMES
    "\ufeff",  # ZERO WIDTH NO-BREAK SPACE (byte order mark inside text)
    "\u00ad",  # SOFT HYPHEN
    "\u180e",  # MONGOLIAN VOWEL SEPARATOR
    "\u034f",  # COMBINING GRAPHEME JOINER
    "\u3164",  # HANGUL FILLER
    "\ufe0f",  # VARIATION SELECTOR-16 after a letter
    "\U000e0041",  # TAG LATIN CAPITAL LETTER A: hidden text
    "\U000e0101",  # VARIATION SELECTOR-18
]
EMOJI = [
    "👮\u200d♀️",  # police officer, woman: ZWJ and VS16
    "👨\u200d👩\u200d👧",  # family
    "🏳️\u200d🌈",  # rainbow flag: VS16 before the joiner
    "👩🏽\u200d🚀",  # skin tone before the joiner
    "❤️",
    "1️⃣",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # flag of Scotland
    "🇸🇪",
    "👍🏽",
]


@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidi_controls_are_refused_with_place_code_and_name(tmp_path: Path, char: str) -> None:
    path = tmp_path / "avtal.yaml"
    path.write_text(with_syfte(f"Läs bilagan rapport{char}cod.exe noga."), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    code = f"U+{ord(char):04X} {unicodedata.name(char)}"
    assert f"{path}:16:3: texten innehåller ett osynligt tecken som ändrar skrivriktningen ({code}) på position 20" in result.stderr
    assert "ta bort det" in result.stderr
    assert char not in result.output


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_are_refused_with_place_code_and_name(char: str) -> None:
    with pytest.raises(InvalidAgreement) as caught:
        loads(with_syfte(f"Polis{char}en"), "avtal.yaml")
    code = f"U+{ord(char):04X} {unicodedata.name(char)}"
    assert f"avtal.yaml:16:3: texten innehåller ett osynligt tecken ({code}) på position 6 – ta bort det" in str(caught.value)


def test_the_display_trick_cannot_reach_a_document(tmp_path: Path) -> None:
    # "…\u202ecod.exe\u202c" displayed as "…exe.doc" in the PDF; now nothing is written.
    path = tmp_path / "avtal.yaml"
    path.write_text(with_syfte("Se bifogad fil rapport\u202ecod.exe\u202c."), encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(path), "-o", str(tmp_path / "ut"), "--format", "docx"])
    assert result.exit_code == 1
    assert "RIGHT-TO-LEFT OVERRIDE" in result.stderr
    assert not list((tmp_path / "ut").rglob("*"))


@pytest.mark.parametrize("emoji", EMOJI)
def test_emoji_sequences_keep_their_joiners_and_selectors(tmp_path: Path, emoji: str) -> None:
    assert refused_character(f"Trygg {emoji} stad") is None
    path = tmp_path / "avtal.yaml"
    path.write_text(with_syfte(f"Trygg {emoji} stad"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(path), "-o", str(tmp_path / "ut"), "--format", "docx"])
    assert result.exit_code == 0, result.output
    (docx,) = (tmp_path / "ut").rglob("*samverkansoverenskommelse*.docx")
    with zipfile.ZipFile(docx) as z:
        assert emoji in z.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize(
    "broken",
    [
        "👍\u200d",  # a joiner at the end
        "a\u200d👍",  # after a letter
        "👍\ufe0f\ufe0f",  # two selectors: room for hidden bits
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e0074\U000e0074\U000e007f",  # too many tags
        "🏴\U000e0041\U000e007f",  # upper-case tag letters are no subdivision
        "x\U000e007f",
    ],
)
def test_joiners_selectors_and_tags_outside_emoji_are_refused(broken: str) -> None:
    assert refused_character(f"Text {broken} här") is not None


@pytest.mark.parametrize(
    ("text", "place", "code"),
    [
        ('  syfte: "Att\x07 minska"\n', "16:14", "U+0007"),  # double-quoted
        ("  syfte: Att minska\x1b[31m\n", "16:20", "U+001B"),  # plain, an escape sequence
        ("  syfte: 'Åtgärder för ökad\x01 trygghet'\n", "16:28", "U+0001"),  # after letters of two bytes
        ("  syfte: 😀😀\x0c\n", "16:12", "U+000C"),  # after letters of four bytes
        ("  syfte: Att minska\n  # kommentar\x7f\n", "17:14", "U+007F"),  # in a comment
        ("  syfte: Att minska \x85\x9b\n", "16:22", "U+009B"),  # a C1 control
    ],
)
def test_raw_control_character_is_reported_where_it_stands(tmp_path: Path, text: str, place: str, code: str) -> None:
    path = tmp_path / "avtal.yaml"
    path.write_text(base_text().replace(f"  syfte: {SYFTE}\n", text), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert re.search(rf"^{re.escape(str(path))}:{place}: filen innehåller ett otillåtet styrtecken \({re.escape(code)}\) här – ta bort det", result.stderr, re.M), result.stderr
    assert "unacceptable" not in result.stderr and "position" not in result.stderr


def test_raw_control_character_after_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "avtal.yaml"
    text = base_text().replace(f"  syfte: {SYFTE}\n", "  syfte: Att\x02\n").replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert f"{path}:16:13: filen innehåller ett otillåtet styrtecken (U+0002) här" in result.stderr


def test_messages_show_invisible_characters_instead_of_obeying_them(tmp_path: Path) -> None:
    # A misspelt key is quoted in the message; an override inside it must not reorder the terminal line.
    path = tmp_path / "avtal.yaml"
    path.write_text(base_text().replace("  syfte:", "  sy\u202efte:"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert 'okänt fält "sy\\u202efte"' in result.stderr
    assert "\u202e" not in result.output
