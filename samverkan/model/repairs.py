"""Candidate repairs of one YAML line, in the order people most often go wrong.

:mod:`samverkan.model.syntax` asks for them when libyaml stops, tries each
and keeps the first after which the file reads further. Each candidate is a
:class:`Finding`: the line, the column to mark, the Swedish message that
says what to do, and the line as repaired (which is what the message shows).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import yaml

from .matching import closest

_CURLY_OPEN = "”“„»«‘’‚"
_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)")


@dataclass(frozen=True)
class Finding:
    """One syntax problem: 0-based line and column, the Swedish message, the repaired line."""

    line: int
    column: int
    message: str
    repaired: str | None


# -- reading a line -----------------------------------------------------------


def _lead(line: str) -> int:
    """Columns of leading blanks (spaces and tabs)."""
    return len(line) - len(line.lstrip(" \t"))


def content_start(line: str) -> int:
    """Where the line's content starts, after its indentation and any "- " list dashes."""
    i = _lead(line)
    while line.startswith("- ", i) or line[i:] == "-":
        i += 2
        while i < len(line) and line[i] == " ":
            i += 1
    return min(i, len(line))


def is_text(line: str) -> bool:
    """Whether the line holds anything but blanks and a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def key_value(line: str) -> tuple[str, int] | None:
    """(key, where its value starts) for a ``key: value`` line."""
    start = content_start(line)
    found = _KEY.match(line, start)
    if not found:
        return None
    value = found.end()
    while value < len(line) and line[value] in " \t":
        value += 1
    return found.group(1), value


def _shown(line: str) -> str:
    """A repaired line as a message quotes it: without its indentation, which the fix does not touch."""
    return line.strip().replace("\t", "    ")


@cache
def field_names() -> frozenset[str]:
    """Every field name an agreement file may use, at any depth."""
    from pydantic import BaseModel

    from .models import Agreement, unwrap

    names: set[str] = set()
    seen: set[type] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            names.add(name)
            for arg in _types_in(field.annotation, unwrap):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    visit(arg)

    visit(Agreement)
    return frozenset(names)


def _types_in(annotation: object, unwrap: typing.Callable[[object], object]) -> Iterator[object]:
    yield unwrap(annotation)
    for arg in typing.get_args(annotation):
        yield from _types_in(arg, unwrap)


def position(error: yaml.MarkedYAMLError) -> tuple[int, int]:
    mark = error.problem_mark or error.context_mark
    return (mark.line, mark.column) if mark else (0, 0)


# -- candidate repairs ----------------------------------------------------------


def _indent_columns(lines: list[str], at: int) -> list[int]:
    """Columns a line at ``at`` could be indented to: those of the open blocks above it."""
    columns: list[int] = []
    lowest = None
    for i in range(at - 1, -1, -1):
        line = lines[i]
        if not is_text(line) or "\t" in line[: _lead(line)]:
            continue
        lead = _lead(line)
        if lowest is not None and lead >= lowest:
            continue
        lowest = lead
        starts = [lead]
        if content_start(line) != lead:
            starts.append(content_start(line))
        if line.rstrip().endswith(":") and not columns:  # the line opens a block: its child column
            starts.append(content_start(line) + 2)
        for column in starts:
            if column not in columns:
                columns.append(column)
        if lead == 0:
            break
    return columns


def _reference(lines: list[str], at: int, column: int) -> str:
    """Words naming the line above whose content starts at ``column``."""
    for i in range(at - 1, -1, -1):
        line = lines[i]
        if not is_text(line):
            continue
        if content_start(line) == column or _lead(line) == column:
            kv = key_value(line)
            what = f'"{kv[0]}"' if kv and content_start(line) == column else f'"{line.strip()[:30]}"'
            return f"rakt under {what} på rad {i + 1}"
        if content_start(line) + 2 == column and line.rstrip().endswith(":"):
            kv = key_value(line)
            name = f'"{kv[0]}"' if kv else "raden"
            return f"två steg längre in än {name} på rad {i + 1}"
    return f"i kolumn {column + 1}"


def _reindent(line: str, column: int) -> str:
    return " " * column + line.lstrip(" \t")


def _tabs(lines: list[str], at: int) -> Iterator[Finding]:
    line = lines[at]
    if "\t" not in line[: _lead(line)]:
        return
    lead = line[: _lead(line)]
    what = "tabben" if lead.count("\t") == 1 and " " not in lead else "indraget"
    for column in _indent_columns(lines, at):
        fixed = _reindent(line, column)
        yield Finding(
            at,
            line.index("\t"),
            "tabbtecken i indraget – YAML tillåter bara mellanslag: "
            f"byt {what} mot {column} mellanslag, så att raden börjar {_reference(lines, at, column)}",
            fixed,
        )


def quoted(value: str) -> str:
    """``value`` as a quoted YAML scalar (double quotes unless it holds some)."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def _split_comment(value: str) -> tuple[str, str]:
    found = re.search(r"\s+#", value)
    return (value[: found.start()], value[found.start() :]) if found else (value, "")


def _unclosed_quote(lines: list[str], at: int) -> Iterator[Finding]:
    """A value that opens a quote and does not close it on its line."""
    line = lines[at]
    kv = key_value(line)
    start = kv[1] if kv else content_start(line)
    if start >= len(line) or line[start] not in "\"'":
        return
    mark = line[start]
    body = line[start + 1 :].rstrip()
    if mark == "'":
        closed = re.fullmatch(r"(?:[^']|'')*'.*", body) is not None
    else:
        closed = re.fullmatch(r'(?:[^"\\]|\\.)*".*', body) is not None
    if closed:
        return
    fixed = line.rstrip() + mark
    yield Finding(
        at,
        start,
        f"citattecknet ({mark}) som börjar texten stängs aldrig – lägg till {mark} sist i texten: `{_shown(fixed)}`",
        fixed,
    )


def _curly(lines: list[str], at: int) -> Iterator[Finding]:
    line = lines[at]
    kv = key_value(line)
    start = kv[1] if kv else content_start(line)
    if start >= len(line) or line[start] not in _CURLY_OPEN:
        return
    value, comment = _split_comment(line[start:].rstrip())
    inner = value[1:-1] if len(value) > 1 and value[-1] in _CURLY_OPEN else value[1:]
    fixed = line[:start] + quoted(inner) + comment
    used = value[0] + (value[-1] if len(value) > 1 and value[-1] in _CURLY_OPEN else "")
    yield Finding(
        at,
        start,
        f"texten står inom typografiska citattecken ({' '.join(used)}) som YAML inte känner igen – "
        f'använd raka citattecken (") i stället för {" ".join(used)}: `{_shown(fixed)}`',
        fixed,
    )


def _missing_colon(lines: list[str], at: int) -> Iterator[Finding]:
    line = lines[at]
    if not is_text(line) or key_value(line):
        return
    start = content_start(line)
    found = re.match(r"([A-Za-z_][\w-]*)(?:[ \t]+(\S.*))?$", line[start:].rstrip())
    if not found:
        return
    word, rest = found.group(1), found.group(2)
    if word not in field_names() and closest(word, field_names()) is None:
        return
    fixed = f"{line[:start]}{word}:{' ' + rest if rest else ''}"
    yield Finding(at, start + len(word), f'kolon saknas efter fältnamnet "{word}" – skriv `{_shown(fixed)}`', fixed)


def _needs_quotes(lines: list[str], at: int) -> Iterator[Finding]:
    line = lines[at]
    kv = key_value(line)
    if not kv:
        return
    start = kv[1]
    value, comment = _split_comment(line[start:].rstrip())
    if not value or value[0] in "|>":
        return
    if value[0] in "\"'":  # text after the closing quote
        whole = line[start:].rstrip()
        fixed = line[:start] + quoted(whole)
        yield Finding(
            at,
            start,
            f"text efter citattecknet som avslutar värdet – sätt hela texten inom citattecken: `{_shown(fixed)}`",
            fixed,
        )
        return
    fixed = line[:start] + quoted(value) + comment
    if ": " in value or value.endswith(":"):
        why = 'texten innehåller ": ", som YAML läser som ett nytt fält'
        column = start + value.index(":")
    elif value[0] in "*&":
        why = f'texten börjar med "{value[0]}", som YAML läser som ett ankare (&namn) eller en hänvisning till ett (*namn)'
        column = start
    elif value[0] in "@`%!,?[]{}":
        why = f'texten börjar med "{value[0]}", som inte får inleda ett värde i YAML'
        column = start
    else:
        why = "texten kan inte läsas som den står"
        column = start
    yield Finding(at, column, f"{why} – sätt texten inom citattecken: `{_shown(fixed)}`", fixed)


def _indentation(lines: list[str], at: int) -> Iterator[Finding]:
    line = lines[at]
    if not is_text(line):
        return
    current = _lead(line)
    # Nearest first; of two as near, the deeper (a line after a list item most often goes on with it).
    for column in sorted(_indent_columns(lines, at), key=lambda c: (abs(c - current), -c)):
        if column == current:
            continue
        fixed = _reindent(line, column)
        kv = key_value(line)
        what = f'"{kv[0]}"' if kv else "raden"
        steps = abs(column - current)
        how = f"ta bort {steps} mellanslag" if column < current else f"lägg till {steps} mellanslag"
        yield Finding(
            at,
            current,
            f"fel indrag – {what} ska börja {_reference(lines, at, column)}: {how} först på raden",
            fixed,
        )


def _continued_text(lines: list[str], at: int) -> Iterator[Finding]:
    """Text that goes on from the line above without being indented more than its field."""
    line = lines[at]
    if not is_text(line) or key_value(line) or line.lstrip().startswith("- "):
        return
    above = next((i for i in range(at - 1, -1, -1) if is_text(lines[i])), None)
    if above is None or not key_value(lines[above]):
        return
    fixed = _reindent(line, content_start(lines[above]) + 2)
    yield Finding(
        at,
        _lead(line),
        "texten fortsätter från raden ovanför men står inte längre in än fältnamnet – "
        f"lägg till {len(fixed) - len(line)} mellanslag först på raden, eller skriv hela texten på en rad",
        fixed,
    )


def _list_dash(lines: list[str], at: int) -> Iterator[Finding]:
    """A line of text under a list's items, at their column, without a "- " of its own."""
    line = lines[at]
    if not is_text(line) or key_value(line) or line.lstrip().startswith("-"):
        return
    above = next((i for i in range(at - 1, -1, -1) if is_text(lines[i])), None)
    if above is None or not lines[above].lstrip().startswith("- ") or _lead(lines[above]) != _lead(line):
        return
    fixed = f"{line[: _lead(line)]}- {line.lstrip()}"
    yield Finding(
        at,
        _lead(line),
        f'raden står i en lista men saknar "- " – lägg till "- " först på raden för att börja en ny punkt: `{_shown(fixed)}`',
        fixed,
    )


def _flow(lines: list[str], error: yaml.MarkedYAMLError) -> Iterator[Finding]:
    context = error.context or ""
    mark = error.context_mark
    if mark is None or "flow" not in context:
        return
    close = "]" if "sequence" in context else "}"
    line = lines[mark.line]
    value, comment = _split_comment(line.rstrip())
    fixed = value.rstrip().rstrip(",") + close + comment
    kind = "listan som börjar med [" if close == "]" else "uppräkningen som börjar med {"
    yield Finding(mark.line, mark.column, f"{kind} stängs aldrig – lägg till {close} sist: `{_shown(fixed)}`", fixed)


def candidates(lines: list[str], error: yaml.MarkedYAMLError) -> Iterator[Finding]:
    """Possible repairs for ``error``, the likeliest first."""
    line, _ = position(error)
    line = min(line, len(lines) - 1)
    context = error.context_mark.line if error.context_mark else line
    above = [i for i in range(line - 1, max(-1, line - 4), -1) if is_text(lines[i])][:2]
    window = [line, *above]
    if context < line and context not in window and line - context <= 3:
        window.append(context)
    for i in window:
        yield from _tabs(lines, i)
    if "quoted scalar" in (error.context or "") and error.context_mark:
        yield from _unclosed_quote(lines, error.context_mark.line)
    for i in window:
        yield from _curly(lines, i)
    for i in window:
        yield from _missing_colon(lines, i)
    yield from _flow(lines, error)
    yield from _needs_quotes(lines, line)
    for i in range(line - 1, -1, -1):  # a quote opened further up, closed by a later one
        yield from _unclosed_quote(lines, i)
    yield from _unclosed_quote(lines, line)
    yield from _indentation(lines, line)
    for i in above:
        yield from _needs_quotes(lines, i)
    for i in window:
        yield from _list_dash(lines, i)
    for i in window:
        yield from _continued_text(lines, i)



__all__ = ["Finding", "candidates", "content_start", "field_names", "is_text", "key_value", "position", "quoted"]
