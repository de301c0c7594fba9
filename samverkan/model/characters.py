"""Which characters agreement text may hold, and how a refused one is named.

A signed document must display what it stores: what the officials read on
the page is what the file says. Four kinds of character break that, and
agreement text may hold none of them:

- **characters XML cannot hold** (U+0000–U+0008, U+000B, U+000C,
  U+000E–U+001F, U+007F, surrogates, U+FFFE, U+FFFF): a Word document cannot
  contain them at all;
- **C1 control characters** (U+0080–U+009F): they mean nothing in a
  document and show as nothing or as a box;
- **bidirectional controls** (U+061C, U+200E, U+200F, U+202A–U+202E,
  U+2066–U+2069): invisible, they make text display in another order than it
  is stored, so that "rapport\\u202ecod.exe" reads "rapportexe.doc";
- **invisible characters**: every other Unicode format character (category
  Cf: zero-width space, joiners and non-joiner, word joiner, soft hyphen,
  byte order mark, invisible operators, tags …), the combining grapheme
  joiner, the Hangul fillers, and variation selectors.

Three uses of invisible characters are part of how emoji are written, and
are allowed there only: U+200D ZERO WIDTH JOINER between two emoji (👮‍♀️,
👨‍👩‍👧), one U+FE0E/U+FE0F VARIATION SELECTOR right after an emoji-capable
character or a keycap digit (❤️, 1️⃣), and tag letters in a subdivision flag
(🏴 followed by at most six tag letters or digits and CANCEL TAG). Letters of
right-to-left scripts (Arabic, Hebrew) are ordinary letters and allowed; a
text that needs U+200C ZERO WIDTH NON-JOINER (Persian) cannot be written.

:func:`refused_character` is the one definition; the model refuses by it,
the YAML reader names a raw control character by :func:`refusal`, and the
property tests generate valid text from it.
"""

from __future__ import annotations

import re
import unicodedata

_XML_INVALID = [(0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x7F), (0xD800, 0xDFFF), (0xFFFE, 0xFFFF)]
_C1 = [(0x80, 0x9F)]
_BIDI = [(0x061C, 0x061C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069)]
_INVISIBLE = [
    # Format characters (Cf) other than the bidirectional controls, listed
    # here rather than taken from unicodedata so the rule is the same on every
    # Python version.
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200D), (0x2060, 0x2064), (0x206A, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
    # Printable by Unicode's categories, but show as nothing.
    (0x034F, 0x034F), (0x115F, 0x1160), (0x3164, 0x3164), (0xFFA0, 0xFFA0),
    (0xFE00, 0xFE0F), (0xE0100, 0xE01EF),
]


def _char_class(ranges: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in ranges)


_REFUSED = re.compile(f"[{_char_class(_XML_INVALID + _C1 + _BIDI + _INVISIBLE)}]")
_PRINTABLE_REFUSED = re.compile(f"[{_char_class([r for r in _INVISIBLE if chr(r[0]).isprintable()])}]")

ZWJ = "\u200d"
_SELECTORS = "\ufe0e\ufe0f"
_BLACK_FLAG = "\U0001f3f4"
_FLAG = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{1,6}\U000e007f")
_PICTOGRAPHIC = [
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122),
    (0x2139, 0x2139), (0x2194, 0x21FF), (0x2300, 0x23FF), (0x24C2, 0x24C2), (0x25A0, 0x27BF),
    (0x2900, 0x297F), (0x2B00, 0x2BFF), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297),
    (0x3299, 0x3299), (0x1F000, 0x1FAFF),
]
_EMOJI = re.compile(f"[{_char_class(_PICTOGRAPHIC)}]")
_KEYCAP_BASE = "0123456789#*"


def refused_character(value: str) -> re.Match[str] | None:
    """The first character in ``value`` that agreement text may not hold, if any."""
    # Every refused character but a few is unprintable by str.isprintable(),
    # which is six times faster than the full character class: look closer
    # only where it must.
    printable = value.isprintable() or all(line.isprintable() for line in value.split("\n"))
    if printable and not _PRINTABLE_REFUSED.search(value):
        return None
    for match in _REFUSED.finditer(value):
        if not _part_of_emoji(value, match.start()):
            return match
    return None


def _part_of_emoji(value: str, at: int) -> bool:
    char = value[at]
    if char == ZWJ:
        before = at - 1
        if before >= 0 and value[before] in _SELECTORS:
            before -= 1
        return before >= 0 and _is_emoji(value[before]) and at + 1 < len(value) and _is_emoji(value[at + 1])
    if char in _SELECTORS:
        return at > 0 and (_is_emoji(value[at - 1]) or value[at - 1] in _KEYCAP_BASE)
    if "\U000e0020" <= char <= "\U000e007f":
        start = value.rfind(_BLACK_FLAG, max(0, at - 7), at)
        found = _FLAG.match(value, start) if start >= 0 else None
        return found is not None and found.start() < at < found.end()
    return False


def _is_emoji(char: str) -> bool:
    return _EMOJI.match(char) is not None


def kind(char: str) -> str:
    """Why ``char`` is refused: "xml", "control", "bidi" or "invisible"."""
    code = ord(char)
    for ranges, name in ((_XML_INVALID, "xml"), (_C1, "control"), (_BIDI, "bidi")):
        if any(lo <= code <= hi for lo, hi in ranges):
            return name
    return "invisible"


def refusal(char: str, position: int | None = None) -> str:
    """The Swedish message for a refused ``char``: at 1-based ``position`` in a text, or (None) here in the file."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    what, where = ("texten", f" på position {position}") if position is not None else ("filen", " här")
    why = kind(char)
    if why == "xml":
        return f"{what} innehåller ett otillåtet styrtecken ({code}){where} – ta bort det; Word-dokument kan inte innehålla sådana tecken"
    if why == "control":
        return f"{what} innehåller ett otillåtet styrtecken ({code}){where} – ta bort det; det betyder ingenting i ett dokument"
    if why == "bidi":
        return (
            f"{what} innehåller ett osynligt tecken som ändrar skrivriktningen ({code}){where} – ta bort det; "
            "det får texten att visas i en annan ordning än den står i filen"
        )
    return f"{what} innehåller ett osynligt tecken ({code}){where} – ta bort det; det syns inte i dokumentet men ändrar texten"
