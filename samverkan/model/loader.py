"""Loading agreement files: YAML in, a validated :class:`Agreement` out.

Reading the YAML safely is :mod:`samverkan.yamlread`'s job; this module turns
pydantic's errors and the cross-field findings of :mod:`samverkan.checks`
into ``FILE:LINE:COL: meddelande`` problems with Swedish messages that say
what to do. Every problem in a file is collected and reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InvalidAgreement, Problem
from . import checks, limits
from .messages import Where, message
from .models import Agreement
from .syntax import excerpt, hidden_text
from .yamlread import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT,
    Document,
    Refused,
    Unreadable,
    parse_text,
    read_text,
)

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "MAX_TEXT", "Document", "find_agreements", "load", "loads", "parse", "validate"]

YAML_SUFFIXES = (".yaml", ".yml")

_MAYBE_CUT = re.compile(r"[^\s#][ \t]+#\S")

Loc = tuple[str | int, ...]


def _problem(shown: str, lines: list[str], line: int, column: int, message: str) -> Problem:
    """A problem with the line it is on quoted below it, a marker under the column."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    quoted = excerpt(text, column - 1, line) if text.strip() else ""
    return Problem(shown, line, column, message, quoted)


def parse(path: Path, text: str | None = None) -> Document:
    """Read and parse an agreement file (or ``text`` in its name) into plain data with positions.

    Raises :class:`InvalidAgreement` for anything that is not a readable YAML
    mapping of sane size. Problems that still leave data to read on (syntax
    errors that could be repaired, a field written twice) are kept in the
    document, so :func:`validate` reports them with every other problem.
    """
    shown = str(path)
    try:
        text = read_text(path) if text is None else text
    except Refused as refused:
        raise InvalidAgreement(shown, [Problem(shown, refused.line, refused.column, refused.message)]) from None
    lines = text.split("\n")
    try:
        doc = parse_text(path, text)
        if _MAYBE_CUT.search(text):  # text a "#" cut off as a comment (rare: parsed again only then)
            doc.problems.extend(Refused(f.line + 1, f.column + 1, f.message) for f in hidden_text(text))
        return doc
    except Refused as refused:
        raise InvalidAgreement(shown, [_problem(shown, lines, refused.line, refused.column, refused.message)]) from None
    except Unreadable as unreadable:
        found = [_problem(shown, lines, r.line, r.column, r.message) for r in unreadable.refusals]
        raise InvalidAgreement(shown, found) from None


def _data_loc(loc: tuple[int | str, ...], data: Any) -> Loc:
    """Drop pydantic's union/function tags so the location matches the data."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not part.startswith(("function-", "union")) and part not in (
            "str",
            "Avsnitt",
            "int",
            "date",
            "enum",
        ):
            out.append(part)  # a missing key: keep it for the message
            current = None
        # anything else is a tag pydantic adds for unions and validators
    return tuple(out)


def validate(doc: Document) -> Agreement:
    """Validate parsed data; raise :class:`InvalidAgreement` with every problem."""
    shown = str(doc.path)
    lines = doc.lines
    problems = [_problem(shown, lines, r.line, r.column, r.message) for r in doc.problems]

    def add(loc: Loc, text: str) -> None:
        problems.append(_problem(shown, lines, *doc.position(loc), text))

    # Placeholders left by `samverkan init` are named even where the model
    # refuses them (dates, ids), instead of pydantic's less helpful message.
    unfilled = dict(checks.placeholders(doc.data)) if doc.may_hold("<") else {}
    for loc, text in unfilled.items():
        add(loc, text)
    # More than any document can hold: refused before the models spend time on it.
    for loc, text in limits.over_limits(doc.data):
        add(loc, text)
    if len(problems) > len(unfilled) + len(doc.problems):
        raise InvalidAgreement(shown, problems)
    try:
        agreement = Agreement.model_validate(doc.data)
    except ValidationError as e:
        where = Where(doc.data, doc.positions)
        for error in e.errors(include_url=False):
            data_loc = _data_loc(error["loc"], doc.data)
            if data_loc not in unfilled:
                add(data_loc, message(error, data_loc, where))
        raise InvalidAgreement(shown, problems) from None
    for loc, text in checks.check(agreement):
        add(loc, text)
    if problems:
        raise InvalidAgreement(shown, problems)
    return agreement


def load(path: Path | str) -> Agreement:
    """Read, parse and validate one agreement file."""
    return validate(parse(Path(path)))


def loads(text: str, name: str = "<text>") -> Agreement:
    """Validate an agreement given as YAML text (``name`` is used in messages)."""
    return validate(parse(Path(name), text=text))


def find_agreements(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Agreement files named directly, or found recursively under folders, sorted."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
        else:
            yield path
