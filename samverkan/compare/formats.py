"""Formatting a :class:`~samverkan.compare.Comparison`: Swedish text, markdown, JSON.

* ``text`` – a plain summary for the terminal; word changes in prose are shown
  as ``[-borttaget-]{+tillagt+}``.
* ``markdown`` – the same for pasting into a tjänsteskrivelse; deleted words
  ~~struck through~~, inserted words **bold**.
* ``json`` – the same as data, shape documented in ``docs/diff-format.md``.

:func:`summary_rows` gives the short (section, change) rows used on the cover
page of the redline document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..model.models import Aktivitet
from .changes import (
    ActivityChanges,
    Comparison,
    FieldChange,
    ItemChanges,
    MethodChanges,
    MethodRef,
    Version,
)
from .textdiff import Segment
from .texts import activity_text, signatory_text

FORMATS = ("text", "markdown", "json")
JSON_VERSION = 1

_CONTEXT_WORDS = 6
"""Unchanged words kept on each side of a change in text and markdown."""

_SHORT = 100
"""Values up to this length on one line are shown whole, before → after."""

# -- JSON ---------------------------------------------------------------------------


def _field(change: FieldChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "label": change.label,
        "old": change.old,
        "new": change.new,
        "segments": [{"op": {"=": "equal", "-": "delete", "+": "insert"}[op], "text": t} for op, t in change.segments],
    }


def _activity(a: Aktivitet) -> dict[str, Any]:
    return {
        "text": a.text,
        "ansvar": a.ansvar.value,
        "omfattning": a.omfattning,
        "frekvens": a.frekvens,
        "senast": a.senast.isoformat() if a.senast else None,
    }


def _methods(m: MethodChanges) -> dict[str, Any]:
    return {"added": [_ref(r) for r in m.added], "removed": [_ref(r) for r in m.removed]}


def _ref(r: MethodRef) -> dict[str, str]:
    return {"id": r.id, "name": r.name}


def _activities(a: ActivityChanges) -> dict[str, Any]:
    return {
        "added": [_activity(x) for x in a.added],
        "removed": [_activity(x) for x in a.removed],
        "changed": [
            {"old": _activity(c.old), "new": _activity(c.new), "fields": [_field(f) for f in c.fields]} for c in a.changed
        ],
        "reordered": a.reordered,
    }


def _items(items: ItemChanges) -> dict[str, Any]:
    def item(x: Any) -> dict[str, Any]:
        return {
            "id": x.id,
            "title": x.title,
            "methods": [_ref(m) for m in x.methods],
            "activities": [_activity(a) for a in x.activities],
        }

    return {
        "added": [item(x) for x in items.added],
        "removed": [item(x) for x in items.removed],
        "changed": [
            {
                "id": c.id,
                "title": c.title,
                "old_id": c.old_id,
                "old_title": c.old_title,
                "fields": [_field(f) for f in c.fields],
                "methods": _methods(c.methods),
                "activities": _activities(c.activities),
            }
            for c in items.changed
        ],
        "reordered": items.reordered,
    }


def _version(v: Version) -> dict[str, str]:
    return {
        "title": v.title,
        "period": v.period,
        "status": v.status,
        "date": v.date.isoformat(),
        "fingerprint": v.fingerprint,
    }


def _person(p: Any) -> dict[str, Any]:
    return {
        "name": p.namn,
        "title": p.titel,
        "party": p.part.value,
        "place": p.ort,
        "date": p.datum.isoformat() if p.datum else None,
    }


def to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as plain data with stable keys (see ``docs/diff-format.md``)."""
    return {
        "format": "samverkan-diff",
        "version": JSON_VERSION,
        "empty": c.empty,
        "old": _version(c.old),
        "new": _version(c.new),
        "general": [_field(f) for f in c.general],
        "signatories": {
            "added": [_person(p) for p in c.signatories.added],
            "removed": [_person(p) for p in c.signatories.removed],
            "changed": [
                {"old": _person(a), "new": _person(b), "fields": [_field(f) for f in fs]}
                for a, b, fs in c.signatories.changed
            ],
            "reordered": c.signatories.reordered,
        },
        "areas": _items(c.areas),
        "methods": _methods(c.methods),
        "medborgarloften": _items(c.medborgarloften),
        "texts": [_field(f) for f in c.texts],
        "sources": [_field(f) for f in c.sources],
    }


def format_json(c: Comparison, extra: dict[str, Any] | None = None) -> str:
    return json.dumps({**to_dict(c), **(extra or {})}, ensure_ascii=False, indent=2) + "\n"


# -- text and markdown ------------------------------------------------------------------


class _Style:
    """How text and markdown differ: headings, bullets and word marks."""

    def __init__(self, markdown: bool, brief: bool = False):
        self.md = markdown
        self.brief = brief

    def heading(self, text: str) -> str:
        return f"\n## {text}\n" if self.md else f"\n{text}\n{'-' * len(text)}"

    def bullet(self, text: str, level: int = 0) -> str:
        return ("  " * level) + ("- " if self.md else "• ") + text

    def plain(self, text: str) -> str:
        text = re.sub(r"\s*\n\s*", " / ", text)
        return re.sub(r"([\\*_~`\[\]<>#|])", r"\\\1", text) if self.md else text

    def mark(self, op: str, text: str) -> str:
        if not text.strip():  # only whitespace changed: a paragraph split or join shows as ¶
            if "\n" not in text:
                return text
            text = "¶"
        inner = self.plain(text)
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        core = inner.strip()
        if self.md:
            return lead + (f"~~{core}~~" if op == "-" else f"**{core}**") + trail
        return lead + (f"[-{core}-]" if op == "-" else f"{{+{core}+}}") + trail


def _shorten(text: str, keep: str) -> str:
    """Keep at most a few words of unchanged text next to a change."""
    words = text.split(" ")
    if len(words) <= 2 * _CONTEXT_WORDS + 1:
        return text
    if keep == "end":
        return "… " + " ".join(words[-_CONTEXT_WORDS:])
    if keep == "start":
        return " ".join(words[:_CONTEXT_WORDS]) + " …"
    return " ".join(words[:_CONTEXT_WORDS]) + " … " + " ".join(words[-_CONTEXT_WORDS:])


def _inline(segments: tuple[Segment, ...], s: _Style) -> str:
    out = []
    for n, (op, text) in enumerate(segments):
        if op != "=":
            out.append(s.mark(op, text))
            continue
        # Before the first change keep the words nearest it, after the last likewise.
        keep = "end" if n == 0 else "start" if n == len(segments) - 1 else "both"
        out.append(s.plain(_shorten(text, keep)))
    return "".join(out)


def _brief(text: str, words: int = 4 * _CONTEXT_WORDS) -> str:
    parts = re.sub(r"\s*\n\s*", " / ", text).split(" ")
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def _field_line(f: FieldChange, s: _Style) -> str:
    limit = _CONTEXT_WORDS if s.brief else 4 * _CONTEXT_WORDS
    if f.old is None:
        return f"{f.label}: tillagt: {s.plain(_brief(f.new or '', limit))}"
    if f.new is None:
        return f"{f.label}: borttaget: {s.plain(_brief(f.old, limit))}"
    if len(f.old) <= _SHORT and len(f.new) <= _SHORT and "\n" not in f.old + f.new:
        return f"{f.label}: {s.plain(f.old)} → {s.plain(f.new)}"
    if s.brief:
        return f"{f.label}: ändrad text ({_count(f.segments)})"
    return f"{f.label}: {_inline(f.segments, s)}"


def _count(segments: tuple[Segment, ...]) -> str:
    """ "3 ord borttagna, 5 ord tillagda"."""
    words = {op: sum(len(text.split()) for o, text in segments if o == op) for op in "-+"}
    parts = [f"{words['-']} ord borttagna" if words["-"] else "", f"{words['+']} ord tillagda" if words["+"] else ""]
    return ", ".join(p for p in parts if p) or "nytt styckebyte"


def _activity_line(a: Aktivitet, s: _Style) -> str:
    return f"{s.plain(activity_text(a))} (ansvar: {a.ansvar.value})"


def _names(refs: tuple[MethodRef, ...]) -> str:
    return ", ".join(r.name for r in refs)


def _activity_lines(a: ActivityChanges, s: _Style, level: int) -> Iterator[str]:
    for x in a.added:
        yield s.bullet(f"Ny aktivitet: {_activity_line(x, s)}", level)
    for x in a.removed:
        yield s.bullet(f"Borttagen aktivitet: {_activity_line(x, s)}", level)
    for c in a.changed:
        yield s.bullet(f"Ändrad aktivitet ({c.new.ansvar.value}): {s.plain(c.new.text)}", level)
        for f in c.fields:
            yield s.bullet(_field_line(f, s), level + 1)
    if a.reordered:
        yield s.bullet("Aktiviteterna står i en annan ordning.", level)


def _method_lines(m: MethodChanges, s: _Style, level: int) -> Iterator[str]:
    if m.added:
        yield s.bullet(f"Nya metoder: {s.plain(_names(m.added))}", level)
    if m.removed:
        yield s.bullet(f"Borttagna metoder: {s.plain(_names(m.removed))}", level)


def _item_lines(items: ItemChanges, s: _Style, what: str) -> Iterator[str]:
    for label, whole_items in (("Nytt", items.added), ("Borttaget", items.removed)):
        for x in whole_items:
            yield s.bullet(f"{label} {what}: {s.plain(x.title)}")
            if x.methods:
                yield s.bullet(f"Metoder: {s.plain(_names(x.methods))}", 1)
            for a in x.activities:
                yield s.bullet(f"Aktivitet: {_activity_line(a, s)}", 1)
    for c in items.changed:
        yield s.bullet(f"Ändrat {what}: {s.plain(c.title)}")
        for f in c.fields:
            yield s.bullet(_field_line(f, s), 1)
        yield from _method_lines(c.methods, s, 1)
        yield from _activity_lines(c.activities, s, 1)
    if items.reordered:
        yield s.bullet(f"Ordningen har ändrats ({what}).")


def _sections(c: Comparison, s: _Style) -> Iterator[tuple[str, list[str]]]:
    yield "Allmänt", [s.bullet(_field_line(f, s)) for f in c.general]
    sig = c.signatories
    yield "Undertecknare", [
        *(s.bullet(f"Ny: {s.plain(signatory_text(p))}") for p in sig.added),
        *(s.bullet(f"Borttagen: {s.plain(signatory_text(p))}") for p in sig.removed),
        *(line for a, b, fs in sig.changed for line in (
            s.bullet(f"Ändrad: {s.plain(b.namn)}"), *(s.bullet(_field_line(f, s), 1) for f in fs))),
        *([s.bullet("Undertecknarna står i en annan ordning.")] if sig.reordered else []),
    ]
    yield "Prioriterade områden", list(_item_lines(c.areas, s, "område"))
    yield "Metoder i hela överenskommelsen", list(_method_lines(c.methods, s, 0))
    yield "Medborgarlöften", list(_item_lines(c.medborgarloften, s, "medborgarlöfte"))
    yield "Texter i del 1 och del 2", [s.bullet(_field_line(f, s)) for f in c.texts]
    yield "Källor och egna metoder", [s.bullet(_field_line(f, s)) for f in c.sources]


def _header(c: Comparison, s: _Style) -> list[str]:
    def version(v: Version) -> str:
        return f"{s.plain(v.period)}, {v.status}, {v.date.isoformat()} (fingeravtryck {v.fingerprint})"

    title = f"Ändringar i {s.plain(c.new.title)}"
    lines = [f"# {title}" if s.md else title, ""]
    lines.append(f"{'- ' if s.md else ''}Tidigare version: {version(c.old)}")
    lines.append(f"{'- ' if s.md else ''}Ny version: {version(c.new)}")
    return lines


def _format(c: Comparison, s: _Style) -> str:
    lines = _header(c, s)
    if c.empty:
        lines += ["", "Inga ändringar i innehållet."]
    for heading, body in _sections(c, s):
        if body:
            lines.append(s.heading(heading))
            lines += body
    return "\n".join(lines).strip("\n") + "\n"


def format_text(c: Comparison) -> str:
    """A Swedish plain-text summary of the changes."""
    return _format(c, _Style(markdown=False))


def format_markdown(c: Comparison) -> str:
    """The summary as markdown, for pasting into a tjänsteskrivelse."""
    return _format(c, _Style(markdown=True))


FORMATTERS: dict[str, Callable[[Comparison], str]] = {
    "text": format_text,
    "markdown": format_markdown,
    "json": format_json,
}


def summary_rows(c: Comparison) -> list[tuple[str, str]]:
    """(section, change) rows for the cover page of the redline: plain text, prose changes counted.

    The section is given on its first row only.
    """
    s = _Style(markdown=False, brief=True)
    rows: list[tuple[str, str]] = []
    for heading, body in _sections(c, s):
        for n, line in enumerate(body):
            indent = len(line) - len(line.lstrip(" "))
            text = line.strip().removeprefix("• ")
            rows.append((heading if n == 0 else "", ("– " if indent else "") + text))
    return rows


__all__ = ["FORMATTERS", "FORMATS", "format_json", "format_markdown", "format_text", "summary_rows", "to_dict"]
