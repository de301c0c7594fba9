"""Which value of the agreement file every piece of a rendered document came from.

To bring edits made in Word back into the YAML, each paragraph of the
document must be traced to the values it prints. Rather than teaching every
view and template to carry that knowledge, :func:`trace` renders the
agreement a second time with every text value wrapped in two invisible
private-use characters of its own (plane 15), reads where those characters
landed, and checks the result against the ordinary render: a paragraph whose
text, with the marks taken out, is not exactly the ordinary one is treated as
fixed text, so nothing is ever attributed to a value by guesswork. The
ordinary render itself is untouched (same bytes, same look). A third render,
with every value made two paragraphs long, tells which values may hold
several paragraphs (a section's text) and which are printed on one line (a
title, an activity).

Values that are identifiers (``id``, method and source references) are not
marked: they are looked up, not printed as written.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..model.models import Agreement
from .docxedits import Paragraph, read_edits

PARTS = ("body", "footnotes", "header", "footer")
_BASE = 0xF0000
_LAST = 0xFFFFD

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Value:
    """A text value of the agreement: its place in the file and its text."""

    key: int
    path: Path
    text: str
    multiline: bool = False  # printed as several paragraphs when it has blank lines


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph's text: fixed (value None) or part of a value."""

    text: str
    value: int | None = None
    occurrence: int = 0  # which printing of the value (a name may be printed many times)
    piece: int = 0  # which paragraph of that printing


@dataclass(frozen=True)
class Traced:
    """A paragraph of the ordinary render with the values it is made of."""

    paragraph: Paragraph
    segments: tuple[Segment, ...]
    checked: bool = True  # False: the marked render printed this paragraph differently, so it counts as fixed

    @property
    def text(self) -> str:
        return self.paragraph.text

    def values(self) -> set[int]:
        return {s.value for s in self.segments if s.value is not None}

    @property
    def fixed(self) -> bool:
        return not self.values()


@dataclass(frozen=True)
class Trace:
    """An agreement's document, paragraph by paragraph, with the values behind it."""

    values: tuple[Value, ...]
    parts: dict[str, list[Traced]]


def _has_pattern(annotation: Any, metadata: list[Any]) -> bool:
    """True for identifiers: strings constrained by a pattern (``Id``), alone or in a list."""
    if any(getattr(m, "pattern", None) for m in metadata):
        return True
    for arg in typing.get_args(annotation):
        inner = getattr(arg, "metadata", None)
        if inner and _has_pattern(None, list(inner)):
            return True
        if typing.get_origin(arg) is typing.Annotated and _has_pattern(None, list(arg.__metadata__)):
            return True
        if _has_pattern(arg, []):
            return True
    return False


def text_values(model: BaseModel, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every text value of ``model`` with its path, in field order (identifiers left out)."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if _has_pattern(info.annotation, info.metadata):
            continue
        yield from _values_in(value, (*path, name))


def _values_in(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if type(value) is str:
        yield path, value
    elif isinstance(value, BaseModel):
        yield from text_values(value, path)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _values_in(item, (*path, i))


def _replaced(model: BaseModel, change: Callable[[Path, str], str], path: Path = ()) -> BaseModel:
    updates = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if _has_pattern(info.annotation, info.metadata):
            continue
        new = _replace_in(value, (*path, name), change)
        if new is not value:
            updates[name] = new
    return model.model_copy(update=updates) if updates else model


def _replace_in(value: Any, path: Path, change: Callable[[Path, str], str]) -> Any:
    if type(value) is str:
        return change(path, value)
    if isinstance(value, BaseModel):
        return _replaced(value, change, path)
    if isinstance(value, list):
        items = [_replace_in(item, (*path, i), change) for i, item in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value)) else value
    return value


def opener(key: int) -> str:
    return chr(_BASE + 2 * key)


def closer(key: int) -> str:
    return chr(_BASE + 2 * key + 1)


def is_mark(ch: str) -> bool:
    return _BASE <= ord(ch) <= _LAST


def strip_marks(text: str) -> str:
    return "".join(ch for ch in text if not is_mark(ch))


def _segments(paragraphs: list[Paragraph], plain: list[Paragraph] | None = None) -> list[Traced]:
    """Cut each marked paragraph into fixed and value segments; check it against the ordinary one."""
    out: list[Traced] = []
    open_value: tuple[int, int, int] | None = None  # (key, occurrence, piece) of a value spanning paragraphs
    seen: dict[int, int] = {}
    check = plain is not None
    for marked, ordinary in zip(paragraphs, plain if plain is not None else paragraphs):
        segments: list[Segment] = []
        current: list[str] = []
        if open_value is not None:
            open_value = (open_value[0], open_value[1], open_value[2] + 1)

        def flush() -> None:
            if current:
                key, occ, piece = open_value if open_value else (None, 0, 0)
                segments.append(Segment("".join(current), key, occ, piece))
                current.clear()

        for ch in marked.text:
            if not is_mark(ch):
                current.append(ch)
                continue
            code = ord(ch) - _BASE
            key = code // 2
            flush()
            if code % 2 == 0:
                occurrence = seen.get(key, -1) + 1
                seen[key] = occurrence
                open_value = (key, occurrence, 0)
                segments.append(Segment("", key, occurrence, 0))  # an empty value still has a place
            else:
                open_value = None
        flush()
        segments = [s for s in segments if s.text or s.value is not None]
        checked = not check or (strip_marks(marked.text) == ordinary.text and len(paragraphs) == len(plain or ()))
        if not checked:
            segments = [Segment(ordinary.text)]
        out.append(Traced(paragraph=ordinary, segments=tuple(_merge(segments)), checked=checked))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Drop the empty place-holders of values that also have text in the same paragraph."""
    keep = []
    for s in segments:
        if s.value is not None and not s.text and any(
            o.value == s.value and o.occurrence == s.occurrence and o.text for o in segments
        ):
            continue
        keep.append(s)
    return keep


def trace(agreement: Agreement, render: Callable[[Agreement], bytes]) -> Trace:
    """Render ``agreement`` with ``render`` three ways and trace every paragraph to its values."""
    found = list(text_values(agreement))
    if 2 * len(found) > _LAST - _BASE:
        raise ValueError("too many text values to trace")
    keys = {path: k for k, (path, _) in enumerate(found)}
    marked = _replaced(agreement, lambda p, v: opener(keys[p]) + v + closer(keys[p]))
    probe = _replaced(agreement, lambda p, v: opener(keys[p]) + "a\n\nb" + closer(keys[p]))
    plain_doc = read_edits(render(agreement))
    marked_doc = read_edits(render(marked))  # type: ignore[arg-type]
    probe_doc = read_edits(render(probe))  # type: ignore[arg-type]
    multiline = set()
    for part in PARTS:
        for traced in _segments(probe_doc.paragraphs(part)):
            multiline |= {s.value for s in traced.segments if s.piece > 0}
    values = tuple(Value(k, path, text, k in multiline) for k, (path, text) in enumerate(found))
    parts = {part: _segments(marked_doc.paragraphs(part), plain_doc.paragraphs(part)) for part in PARTS}
    return Trace(values=values, parts=parts)


__all__ = ["PARTS", "Segment", "Trace", "Traced", "Value", "strip_marks", "text_values", "trace"]
