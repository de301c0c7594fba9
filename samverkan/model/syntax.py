"""YAML syntax errors explained where the mistake is, with a fix that works.

libyaml stops at the first place where the text can no longer be YAML, and
that is rarely where the author went wrong: a missing colon is noticed on
the next line (often a comment), an unclosed quote at the end of the file,
a tab on the line before. So each error is answered by trying repairs of the
lines around it, in the order a person editing YAML for the first time most
likely went wrong – a tab, an unclosed quote, Word's typographic quotes, a
missing colon after a field name, text that needs quotes, the indentation –
and keeping the first repair after which the file reads further than before.

The message names the line of that repair and shows the line as it should
be written, so following it literally fixes the file. The repaired text is
read on, so every syntax problem that can be found is found in one run, and
the data read from the repaired text is validated too (its problems are real
ones; only the document is never made from a repaired file).
"""

from __future__ import annotations

import re

import yaml

from .places import new_item
from .repairs import Finding, candidates, content_start, field_names, is_text, position, quoted

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_REPAIRS = 25
"""Most syntax problems reported in one file (each costs a few reparses)."""

MAX_TRIES = 40
"""Most repairs tried for one problem (each is a reparse of the file)."""

# -- where the parser stops ---------------------------------------------------


def first_error(text: str) -> yaml.MarkedYAMLError | None:
    """libyaml's first error in ``text``, or None when it reads as YAML."""
    try:
        yaml.compose(text, Loader=_Loader)  # composing, not only parsing: an undefined alias is an error too
    except yaml.MarkedYAMLError as error:
        return error
    return None


def diagnose(lines: list[str], error: yaml.MarkedYAMLError) -> Finding:
    """The repair that gets the reader past ``error``, or a located explanation without one."""
    if "document" in (error.problem or "") or "directive" in (error.problem or ""):
        return unrepaired(lines, error)  # a second document or a %YAML line: nothing on one line to repair
    failed_at = position(error)
    tried: set[tuple[int, str]] = set()
    for finding in candidates(lines, error):
        if finding.repaired is None or (finding.line, finding.repaired) in tried:
            continue
        if len(tried) >= MAX_TRIES:
            break
        tried.add((finding.line, finding.repaired))
        attempt = list(lines)
        attempt[finding.line] = finding.repaired
        after = first_error("\n".join(attempt))
        if after is None or position(after)[0] > max(failed_at[0], finding.line):
            return finding
    return unrepaired(lines, error)


_HINTS = (
    ("cannot start any token", "ett tecken som inte får inleda ett värde – sätt texten inom citattecken (\")"),
    ("mapping values are not allowed", 'ett kolon på fel ställe – sätt text som innehåller ": " inom citattecken, eller kontrollera indraget'),
    ("could not find expected ':'", "ett kolon saknas – skriv fältnamn, kolon och värde: `namn: värde`"),
    ("found undefined alias", "aliaset (*namn) hänvisar till ett ankare (&namn) som inte finns – definiera ankaret först eller ta bort aliaset"),
    ("found unexpected end of stream", "filen tar slut mitt i ett värde – kontrollera att citattecken och hakparenteser är stängda"),
    ("did not find expected key", "fel indrag – fält på samma nivå ska börja i samma kolumn"),
    ("expected <block end>", "fel indrag – fält på samma nivå ska börja i samma kolumn"),
    ("did not find expected '-' indicator", 'fel indrag i en lista – punkterna ska börja med "- " i samma kolumn'),
    ("did not find expected ',' or ']'", "en lista inom [ ] stängs inte – lägg till ] eller kommatecken"),
    ("did not find expected ',' or '}'", "en uppräkning inom { } stängs inte – lägg till } eller kommatecken"),
    ("found unknown escape character", "okänd kombination med \\ inom dubbla citattecken – använd enkla citattecken (') runt texten"),
    ("expected a single document", "filen innehåller flera YAML-dokument (---) – en fil ska innehålla en överenskommelse: ta bort raden med --- och det som följer, eller flytta det till en egen fil"),
    ("but found another document", "filen innehåller flera YAML-dokument (---) – en fil ska innehålla en överenskommelse: ta bort raden med --- och det som följer, eller flytta det till en egen fil"),
    ("found incompatible YAML document", "okänd YAML-version i %YAML-raden – ta bort raden"),
)


def unrepaired(lines: list[str], error: yaml.MarkedYAMLError) -> Finding:
    line, column = position(error)
    context = error.context or ""
    if error.context_mark and ("simple key" in context or "quoted scalar" in context):
        line, column = error.context_mark.line, error.context_mark.column
    if line < len(lines) and not is_text(lines[line]):  # a comment or blank line: the text above
        above = next((i for i in range(line - 1, -1, -1) if is_text(lines[i])), None)
        if above is not None:
            line, column = above, content_start(lines[above])
    if line < len(lines) and "\t" in lines[line][: column + 1]:
        return Finding(line, lines[line].index("\t"), "tabbtecken i indraget – YAML tillåter bara mellanslag: byt tabbarna mot mellanslag", None)
    problem = f"{error.problem or ''} {error.context or ''}"
    for needle, hint in _HINTS:
        if needle in problem:
            return Finding(line, column, f"YAML-syntaxfel: {hint}", None)
    text = (error.problem or str(error)).strip()
    return Finding(line, column, f"YAML-syntaxfel ({text}) – kontrollera indrag, kolon och citattecken på raden", None)


_CUT = re.compile(r"[ \t]+#(?=\S)")


def hidden_text(text: str) -> list[Finding]:
    """Text cut off by a "#" that YAML reads as a comment ("Mätning #2" is read as "Mätning").

    A comment starts at " #"; written as " # …" it is one on purpose, but a
    "#" right before a word (a number, a hashtag) after unquoted text was
    meant as text and would silently go missing from the document. Found from
    libyaml's own scalars, so quoted text, blocks and comments on lines of
    their own are never taken for it.
    """
    lines = text.split("\n")
    found: list[Finding] = []
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.YAMLError:
        return found  # the syntax problems come first
    for event in events:
        if not isinstance(event, yaml.ScalarEvent) or event.style or not event.value:
            continue
        end = event.end_mark
        if end.line >= len(lines):
            continue
        rest = lines[end.line][end.column :]
        if not _CUT.match(rest):
            continue
        line = lines[end.line]
        if event.start_mark.line == end.line:
            start = event.start_mark.column
            fix = f"sätt hela texten inom citattecken: `{(line[:start] + quoted(line[start:].rstrip())).strip()}`"
        else:
            fix = (f"sätt hela texten inom citattecken: ett \" före texten på rad {event.start_mark.line + 1} "
                   "och ett \" sist på den här raden")
        found.append(Finding(
            end.line,
            end.column + rest.index("#"),
            f'texten slutar vid " #": resten av raden läses som en kommentar och kommer inte med i dokumentet – {fix}',
            None,
        ))
    return found


def missing_dash(line: str, column: int, key: str, list_name: str | int) -> str:
    """A list item's first field again, at its column: a new item that lost its "- "."""
    fixed = f"{' ' * max(column - 2, 0)}- {line.lstrip()}".rstrip()
    return (
        f'"{key}" står redan i punkten ovanför – lägg till "- " först på raden för att börja {new_item(list_name)}: '
        f'skriv `{fixed.strip()}` med "- " i stället för de två sista mellanslagen före "{key}"'
    )


def duplicate(key: str, earlier: int, list_name: str | int | None) -> str:
    """A field written twice at the same level (``list_name``: the list it is an item of)."""
    if list_name is not None:
        advice = (
            f'ska raden börja {new_item(list_name)}, lägg till "- " först på den; '
            "annars ta bort den ena av raderna eller slå ihop dem"
        )
    else:
        advice = "ta bort den ena av raderna eller slå ihop dem till en"
    return f'fältet "{key}" står redan på rad {earlier} på samma nivå och får bara finnas en gång – {advice}'


def excerpt(line_text: str, column: int, number: int) -> str:
    """The line as written, with a marker under ``column`` (0-based)."""
    shown = line_text.rstrip("\r\n")
    prefix = shown[:column]
    width = sum(4 if c == "\t" else 1 for c in prefix)
    gutter = f"{number:>5} | "
    visible = shown.replace("\t", "→   ")  # a tab shown as an arrow: the reader must see it to replace it
    return f"{gutter}{visible}\n{' ' * (len(gutter) - 2)}| {' ' * width}^"


__all__ = [
    "MAX_REPAIRS",
    "Finding",
    "diagnose",
    "duplicate",
    "excerpt",
    "field_names",
    "first_error",
    "hidden_text",
    "missing_dash",
    "unrepaired",
]
