"""The change summary in a lawyer's words: what matters first, routine in one line.

:func:`summary` turns a :class:`~.changes.Comparison` into sections of
lines made of spans (plain text, deleted words, inserted words), which
:mod:`.formats` writes as text or markdown and :mod:`.summarydocx` as a Word
document. The wording is fixed here and documented in ``docs/diff-format.md``:

* **Väsentliga ändringar** – period and parties, then each area and
  medborgarlöfte with its obligations (activities, responsibility, scope,
  deadlines, goals, methods), activities that moved between parts, and the
  signatories.
* **Ändrade texter** – prose, paragraph by paragraph: a paragraph that keeps
  half its words is shown word by word, one rewritten is shown replaced.
* **Rutinändringar** – status, diarienummer, the document date and dates
  that all moved by one interval, in one line.

Names, never ids; Swedish dates; quotes ”…”.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from .changes import (
    ROUTINE,
    SUBSTANCE,
    ActivityChanges,
    ActivityMove,
    Comparison,
    FieldChange,
    ItemChanges,
    MethodChanges,
    MethodRef,
)
from .matching import AREA
from .paragraphs import ParagraphChange
from .textdiff import Segment
from .texts import SIDES, signatory_text

Span = tuple[str, str]
"""("=", text), ("-", deleted words) or ("+", inserted words)."""

CONTEXT_WORDS = 6
"""Unchanged words kept on each side of a change."""

QUOTE_WORDS = 25
"""Words quoted from a paragraph that came, went or was rewritten."""

SUBSTANCE_HEADING = "Väsentliga ändringar"
TEXT_HEADING = "Ändrade texter"
ROUTINE_HEADING = "Rutinändringar"

_PARTY = {"kommunen": "Kommunen", "polisen": "Polisen", "tillsammans": "Tillsammans", "var för sig": "Var för sig"}
_SUBJECT = {"kommunen": "Kommunen", "polisen": "Polisen", "tillsammans": "Kommunen och polisen tillsammans",
            "var för sig": "Kommunen och polisen var för sig"}
_WHOSE = {"kommunen": "kommunens", "polisen": "polisens", "tillsammans": "de gemensamma", "var för sig": "de egna"}
_KIND = {"område": ("området", "Prioriterat område"), "medborgarlöfte": ("medborgarlöftet", "Medborgarlöfte"),
         "fokusområde": ("fokusområdet", "Fokusområde")}


@dataclass(frozen=True)
class Line:
    spans: tuple[Span, ...]
    level: int = 0

    @property
    def plain(self) -> str:
        return "".join(text for op, text in self.spans if op != "-")


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Line, ...]


def _line(text: str, level: int = 0) -> Line:
    return Line((("=", text),), level)


def quote(text: str, words: int = QUOTE_WORDS) -> str:
    parts = text.split()
    return "”" + (" ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …") + "”"


def names(items: Sequence[str]) -> str:
    """ "A", "A och B", "A, B och C"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1] if items else ""


def _shorten(text: str, keep: str) -> str:
    words = text.split(" ")
    if len(words) <= 2 * CONTEXT_WORDS + 1:
        return text
    if keep == "end":
        return "… " + " ".join(words[-CONTEXT_WORDS:])
    if keep == "start":
        return " ".join(words[:CONTEXT_WORDS]) + " …"
    return " ".join(words[:CONTEXT_WORDS]) + " … " + " ".join(words[-CONTEXT_WORDS:])


def inline(segments: Sequence[Segment]) -> tuple[Span, ...]:
    """A word diff with long unchanged stretches shortened to the words nearest each change."""
    out: list[Span] = []
    for n, (op, text) in enumerate(segments):
        if op != "=":
            out.append((op, text))
        else:
            keep = "end" if n == 0 else "start" if n == len(segments) - 1 else "both"
            out.append(("=", _shorten(text, keep)))
    return tuple(out)


def activity_phrase(a: Any) -> str:
    """ "”genomföra trafikkontroller (minst 40; senast 1 juni 2025)” – polisen": the words as written, then who."""
    from .texts import activity_text

    lead = "– " * a.depth
    who = f" – {_SUBJECT.get(a.ansvar, a.ansvar).lower()}" if a.ansvar else ""
    return f"{lead}”{activity_text(a)}”{who}"


def _who(a: Any) -> str:
    return f" ({a.ansvar})" if a.ansvar else ""


# -- one changed field --------------------------------------------------------------------


LISTS = {"mal", "del1.delmal", "lankar", "del1.roller", "del1.organisation", "kallor.ordning"}
"""Fields that are lists: their lines are points ("punkt 2"), not paragraphs ("stycke 2")."""


def _paragraph_line(label: str, p: ParagraphChange, level: int, point: bool) -> Line:
    unit, new_unit, gone = ("punkt", "ny punkt", "borttagen") if point else ("stycke", "nytt stycke", "borttaget")
    if p.kind == "changed" and p.segments and p.segments[0][0] == "=" and p.segments[0][1].startswith("• "):
        p = replace(p, segments=(("=", p.segments[0][1][2:]), *p.segments[1:]))  # the bullet is not text
    if point:
        p = replace(p, old=p.old and p.old.removeprefix("• "), new=p.new and p.new.removeprefix("• "))
    if p.kind == "changed":
        return Line((("=", f"{label}, {unit} {p.new_no}: "), *inline(p.segments)), level)
    if p.kind == "split":
        return _line(f"{label}, {unit} {p.old_no} har delats i två (nu {unit} {p.new_no} och {(p.new_no or 0) + 1}), "
                     "utan annan ändring", level)
    if p.kind == "joined":
        return _line(f"{label}, {unit} {p.old_no} och {(p.old_no or 0) + 1} har slagits ihop (nu {unit} {p.new_no}), "
                     "utan annan ändring", level)
    if p.kind == "moved":
        text = (p.new or "").removeprefix("• ")  # a lead-in or point: the bullet is not text
        return _line(f"{label}: {quote(text)} har flyttats från {unit} {p.old_no} till {unit} {p.new_no}", level)
    if p.kind == "added":
        return _line(f"{label}, {new_unit} {p.new_no}: {quote(p.new or '')}", level)
    if p.kind == "removed":
        return _line(f"{label}, {unit} {p.old_no} {gone}: {quote(p.old or '')}", level)
    return _line(f"{label}, {unit} {p.new_no} omskriven: {quote(p.old or '')} ersätts av {quote(p.new or '')}"
                 if point else
                 f"{label}, {unit} {p.new_no} omskrivet: {quote(p.old or '')} ersätts av {quote(p.new or '')}", level)


def _whole(label: str, text: str, what: str, level: int) -> Iterator[Line]:
    """A text that came or went as a whole: a short list item by item, prose by its first paragraph."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) == 1:
        yield _line(f"{label} ({what}): {quote(lines[0])}", level)
    elif len(lines) <= 8 and all(len(line) <= 100 for line in lines):
        yield _line(f"{label} ({what}):", level)
        for line in lines:
            yield _line(quote(line.removeprefix("• ")), level + 1)
    else:
        yield _line(f"{label} ({what}, {len(lines)} stycken): {quote(lines[0])}", level)


def field_lines(f: FieldChange, level: int = 0, prefix: str = "") -> Iterator[Line]:
    label = prefix + f.label
    if f.field == "ansvar" and f.old in _PARTY and f.new in _PARTY:
        yield _line(f"{label}: {_PARTY[f.old]} → {_PARTY[f.new]}", level)
        return
    if f.old is None:
        yield from _whole(label, f.new or "", "nytt", level)
    elif f.new is None:
        yield from _whole(label, f.old, "borttaget", level)
    elif f.segments:
        if len(f.old) <= 100 and len(f.new) <= 100:
            yield _line(f"{label}: {f.old} → {f.new}", level)
        else:
            yield Line((("=", f"{label}: "), *inline(f.segments)), level)
    else:
        for p in f.paragraphs:
            yield _paragraph_line(label, p, level, f.field in LISTS)


# -- parts ----------------------------------------------------------------------------------


def _methods(m: MethodChanges, level: int) -> Iterator[Line]:
    def refs(items: tuple[MethodRef, ...]) -> str:
        return names([r.name for r in items])

    if m.added:
        yield _line(f"{'Ny metod' if len(m.added) == 1 else 'Nya metoder'}: {refs(m.added)}", level)
    if m.removed:
        yield _line(f"{'Borttagen metod' if len(m.removed) == 1 else 'Borttagna metoder'}: {refs(m.removed)}", level)
    if m.order:
        yield _line(f"Metoderna i ny ordning: {names(list(m.order[1]))} (tidigare {names(list(m.order[0]))})", level)


def _activity_lines(a: ActivityChanges, level: int) -> Iterator[Line]:
    for x in a.added:
        yield _line(f"Ny aktivitet: {activity_phrase(x)}", level)
    for x in a.removed:
        yield _line(f"Borttagen aktivitet: {activity_phrase(x)}", level)
    for c in a.changed:
        fields = [f for f in c.fields if f.weight == SUBSTANCE]
        if not fields:
            continue
        yield _line(f"Ändrad aktivitet: {quote(c.old.text)}", level)
        for f in fields:
            yield from field_lines(f, level + 1)
    for mv in a.moved:
        party = mv.new.group[1] if mv.new.group[0] == "part" else None
        where = f" bland {_WHOSE.get(party, 'de')} aktiviteter" if party else " i sin lista"
        yield _line(
            f"Aktiviteten {quote(mv.new.text)} har flyttats från plats {mv.old_position} "
            f"till plats {mv.new_position}{where}",
            level,
        )
        for f in mv.fields:
            if f.weight == SUBSTANCE:
                yield from field_lines(f, level + 1)


def _crossed(moves: Sequence[ActivityMove]) -> Iterator[Line]:
    for mv in moves:
        src, dst = _KIND[mv.source.kind][0], _KIND[mv.target.kind][0]
        yield _line(
            f"Aktiviteten {quote(mv.new.text)}{_who(mv.new)} har flyttats från {src} ”{mv.source.title}” "
            f"till {dst} ”{mv.target.title}”"
        )
        for f in mv.fields:
            if f.weight == SUBSTANCE:
                yield from field_lines(f, 1)


def _items(items: ItemChanges, kind: str) -> Iterator[Line]:
    the, label = _KIND[kind]
    for x in items.added:
        yield _line(f"Nytt {label.lower()}: ”{x.title}”")
        if x.methods:
            yield _line(f"Metoder: {names([m.name for m in x.methods])}", 1)
        for a in x.activities:
            yield _line(f"Aktivitet: {activity_phrase(a)}", 1)
    for x in items.removed:
        yield _line(f"Borttaget {label.lower()}: ”{x.title}”")
        for a in x.activities:
            yield _line(f"Aktivitet som försvinner: {activity_phrase(a)}", 1)
    for c in items.changed:
        body = [
            *(line for f in c.fields if f.weight == SUBSTANCE and f.field != "titel" for line in field_lines(f, 1)),
            *_methods(c.methods, 1),
            *_activity_lines(c.activities, 1),
        ]
        renamed = any(f.field == "titel" for f in c.fields)
        name = f"Medborgarlöftet ”{c.old_title}”" if kind == "medborgarlöfte" else f"{label} ”{c.old_title}”"
        if renamed:
            name += f", med ny rubrik ”{c.title}”"
        if body or renamed:
            yield _line(name + (":" if body else ""))
            yield from body
    for mv in items.moved:
        yield _line(f"{label} ”{mv.title}” har flyttats från plats {mv.old_position} till plats {mv.new_position}")
    if items.order:
        order = ", ".join(f"{n}. {title}" for n, title in enumerate(items.order, 1))
        yield _line(f"Ny ordning: {order}", 1)


def _signatories(c: Comparison) -> Iterator[Line]:
    s = c.signatories
    for p in s.added:
        yield _line(f"Ny undertecknare: {signatory_text(p)}")
    for p in s.removed:
        yield _line(f"Undertecknare som inte längre står med: {signatory_text(p)}")
    for a, b, fields in s.changed:
        substance = [f for f in fields if f.weight == SUBSTANCE]
        renamed = any(f.field == "namn" for f in substance)
        if renamed:
            side = SIDES.get(getattr(b.part, "value", b.part), "")
            yield _line(f"Undertecknare {side}: {a.namn} ersätts av {b.namn} ({b.titel})")
        elif substance:
            yield _line(f"Ändrad undertecknare: {signatory_text(a)}")
        for f in substance:
            if f.field != "namn":
                yield from field_lines(f, 1)
    for mv in s.moved:
        yield _line(f"Undertecknaren {mv.person.namn} har flyttats från plats {mv.old_position} till plats {mv.new_position}")


# -- the three sections -------------------------------------------------------------------------


def _counted(f: FieldChange, prefix: str = "") -> Iterator[Line]:
    """One line per changed text, counting its paragraphs (the redline's cover page)."""
    if f.old is None or f.new is None:
        yield _line(f"{prefix}{f.label}: {'nytt' if f.old is None else 'borttaget'}")
        return
    if not f.paragraphs:
        yield _line(f"{prefix}{f.label}: ändrat")
        return
    counts = {kind: sum(1 for p in f.paragraphs if p.kind == kind) for kind in _COUNTED}
    parts = [f"{n} {_COUNTED[kind][n > 1]}" for kind, n in counts.items() if n]
    unit = ("punkt", "punkter") if f.field in LISTS else ("stycke", "stycken")
    yield _line(f"{prefix}{f.label}: {', '.join(parts)} {unit[sum(counts.values()) > 1]}")


_COUNTED = {"changed": ("ändrat", "ändrade"), "replaced": ("omskrivet", "omskrivna"), "added": ("nytt", "nya"),
            "removed": ("borttaget", "borttagna"), "split": ("delat", "delade"), "joined": ("sammanslaget", "sammanslagna"),
            "moved": ("flyttat", "flyttade")}


def _texts(c: Comparison, brief: bool = False) -> Iterator[Line]:
    lines = _counted if brief else field_lines
    for f in c.general:
        if f.weight not in (SUBSTANCE, ROUTINE):
            yield from field_lines(f)
    for f in c.texts:
        if f.weight != SUBSTANCE:
            yield from lines(f)
    for kind, items in ((AREA, c.areas), ("medborgarlöfte", c.medborgarloften), ("fokusområde", c.focus_areas)):
        label = _KIND[kind][1]
        for item in items.changed:
            for f in item.fields:
                if f.weight not in (SUBSTANCE, ROUTINE):
                    yield from lines(f, prefix=f"”{item.title}”, " if kind == "medborgarlöfte" else f"{label} ”{item.title}”, ")
    for f in c.sources:
        yield from lines(f)


def _routine(c: Comparison) -> Iterator[Line]:
    parts = [f"{f.label}: {f.old or 'saknas'} → {f.new or 'saknas'}" for f in c.general if f.weight == ROUTINE]
    if c.date_shift:
        parts.append(c.date_shift)
    if parts:
        yield _line("; ".join(parts) + ".")


def summary(c: Comparison, brief: bool = False) -> list[Section]:
    """The summary's sections, empty ones left out; ``brief`` counts changed paragraphs instead of showing them."""
    substance = [
        *(line for f in c.general if f.weight == SUBSTANCE for line in field_lines(f)),
        *_items(c.areas, AREA),
        *_items(c.medborgarloften, "medborgarlöfte"),
        *_items(c.focus_areas, "fokusområde"),
        *_crossed(c.moved_activities),
        *(line for f in c.texts if f.weight == SUBSTANCE for line in field_lines(f)),
        *_signatories(c),
    ]
    sections = [
        Section(SUBSTANCE_HEADING, tuple(substance)),
        Section(TEXT_HEADING, tuple(_texts(c, brief))),
        Section(ROUTINE_HEADING, tuple(_routine(c))),
    ]
    return [s for s in sections if s.lines]


def header_lines(c: Comparison) -> list[str]:
    def version(label: str, v: object) -> str:
        parts = (v.period, v.status, v.date, f"Versionskod {v.fingerprint}")  # type: ignore[attr-defined]
        return f"{label}: " + ", ".join(x for x in parts if x)

    return [version("Tidigare version", c.old), version("Ny version", c.new)]


NO_CHANGES = "Inga ändringar i innehållet."

__all__ = ["NO_CHANGES", "Line", "Section", "Span", "activity_phrase", "header_lines", "names", "quote", "summary"]
