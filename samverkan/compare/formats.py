"""Writing a :class:`~samverkan.compare.Comparison`: Swedish text, markdown, JSON.

The words come from :mod:`.summary`; this module only marks them up.

* ``text`` – for the terminal; deleted words ``[-så här-]``, inserted words
  ``{+så här+}`` (a ``[-``, ``-]``, ``{+`` or ``+}`` in the text itself is
  written with a backslash, so the marks cannot be mistaken for text).
* ``markdown`` – deleted words ~~struck through~~, inserted words **bold**.
* ``json`` – the comparison as data, shape documented in ``docs/diff-format.md``.

:func:`summary_rows` gives the (section, change) rows of the redline's cover page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .changes import (
    ActivityChanges,
    ActivityMove,
    Comparison,
    FieldChange,
    ItemChanges,
    MethodChanges,
    MethodRef,
    Version,
)
from .summary import NO_CHANGES, Line, header_lines, summary

FORMATS = ("text", "markdown", "json", "docx")
JSON_VERSION = 2

# -- text and markdown ------------------------------------------------------------------------

_TEXT_MARKS = re.compile(r"(\[-|-\]|\{\+|\+\})")
_MD_SPECIAL = re.compile(r"([\\*_~`\[\]<>#|])")


def _text_span(op: str, text: str) -> str:
    text = _TEXT_MARKS.sub(lambda m: m.group(1)[0] + "\\" + m.group(1)[1], text)
    if op == "=":
        return text
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return lead + (f"[-{core}-]" if op == "-" else f"{{+{core}+}}") + trail


def _md_span(op: str, text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if op == "=":
        return text
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return lead + (f"~~{core}~~" if op == "-" else f"**{core}**") + trail


def _render(c: Comparison, markdown: bool) -> str:
    span = _md_span if markdown else _text_span
    title = f"Ändringar i {c.new.title}"
    out = [f"# {_md_span('=', title)}" if markdown else title, ""]
    out += [f"- {_md_span('=', h)}" if markdown else h for h in header_lines(c)]
    sections = summary(c)
    if not sections:
        out += ["", NO_CHANGES]
    for section in sections:
        out += ["", f"## {section.heading}" if markdown else f"{section.heading}\n{'-' * len(section.heading)}"]
        if markdown:
            out.append("")
        for line in section.lines:
            bullet = "  " * line.level + ("- " if markdown else "• ")
            out.append(bullet + "".join(span(op, text) for op, text in line.spans))
    return "\n".join(out) + "\n"


def format_text(c: Comparison) -> str:
    """A Swedish plain-text summary of the changes."""
    return _render(c, markdown=False)


def format_markdown(c: Comparison) -> str:
    """The summary as markdown."""
    return _render(c, markdown=True)


def summary_rows(c: Comparison) -> list[tuple[str, str]]:
    """(section, change) rows for the cover page of the redline; the section on its first row only.

    Changed texts are counted here ("Bakgrund: 2 ändrade stycken"); the redline itself shows them.
    """
    rows: list[tuple[str, str]] = []
    for section in summary(c, brief=True):
        for n, line in enumerate(section.lines):
            rows.append((section.heading if n == 0 else "", ("– " * line.level) + _plain_marks(line)))
    return rows


def _plain_marks(line: Line) -> str:
    return "".join(_text_span(op, text) for op, text in line.spans)


# -- JSON ------------------------------------------------------------------------------------


def _field(change: FieldChange) -> dict[str, Any]:
    ops = {"=": "equal", "-": "delete", "+": "insert"}
    return {
        "field": change.field,
        "label": change.label,
        "weight": change.weight,
        "old": change.old,
        "new": change.new,
        "segments": [{"op": ops[op], "text": t} for op, t in change.segments],
        "paragraphs": [
            {
                "kind": p.kind,
                "old_number": p.old_no,
                "new_number": p.new_no,
                "old": p.old,
                "new": p.new,
                "segments": [{"op": ops[op], "text": t} for op, t in p.segments],
            }
            for p in change.paragraphs
        ],
    }


def _activity(a: Any) -> dict[str, Any]:
    return {
        "text": a.text,
        "ansvar": a.ansvar,
        "omfattning": a.omfattning,
        "frekvens": a.frekvens,
        "senast": a.senast.isoformat() if a.senast else None,
        "level": a.depth,
    }


def _ref(r: MethodRef) -> dict[str, str]:
    return {"id": r.id, "name": r.name}


def _methods(m: MethodChanges) -> dict[str, Any]:
    return {
        "added": [_ref(r) for r in m.added],
        "removed": [_ref(r) for r in m.removed],
        "order": None if m.order is None else {"old": list(m.order[0]), "new": list(m.order[1])},
    }


def _move(mv: ActivityMove) -> dict[str, Any]:
    return {
        "old": _activity(mv.old),
        "new": _activity(mv.new),
        "fields": [_field(f) for f in mv.fields],
        "from": {"kind": mv.source.kind, "title": mv.source.title, "position": mv.old_position},
        "to": {"kind": mv.target.kind, "title": mv.target.title, "position": mv.new_position},
    }


def _activities(a: ActivityChanges) -> dict[str, Any]:
    return {
        "added": [_activity(x) for x in a.added],
        "removed": [_activity(x) for x in a.removed],
        "changed": [{"old": _activity(c.old), "new": _activity(c.new), "fields": [_field(f) for f in c.fields]}
                    for c in a.changed],
        "moved": [_move(m) for m in a.moved],
    }


def _items(items: ItemChanges) -> dict[str, Any]:
    def item(x: Any) -> dict[str, Any]:
        return {"id": x.id, "title": x.title, "methods": [_ref(m) for m in x.methods],
                "activities": [_activity(a) for a in x.activities]}

    return {
        "added": [item(x) for x in items.added],
        "removed": [item(x) for x in items.removed],
        "changed": [
            {"id": c.id, "title": c.title, "old_id": c.old_id, "old_title": c.old_title,
             "fields": [_field(f) for f in c.fields], "methods": _methods(c.methods),
             "activities": _activities(c.activities)}
            for c in items.changed
        ],
        "moved": [{"title": m.title, "old_position": m.old_position, "new_position": m.new_position} for m in items.moved],
        "order": list(items.order),
    }


def _version(v: Version) -> dict[str, str]:
    return {"title": v.title, "kommun": v.kommun, "period": v.period, "status": v.status, "date": v.date_iso or None,
            "date_text": v.date or None, "versionskod": v.fingerprint}


def _person(p: Any) -> dict[str, Any]:
    return {"name": p.namn, "title": p.titel, "party": getattr(p.part, "value", p.part), "place": p.ort,
            "date": p.datum.isoformat() if p.datum else None}


def to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as plain data with stable keys (see ``docs/diff-format.md``)."""
    s = c.signatories
    return {
        "format": "samverkan-diff",
        "version": JSON_VERSION,
        "empty": c.empty,
        "old": _version(c.old),
        "new": _version(c.new),
        "general": [_field(f) for f in c.general],
        "signatories": {
            "added": [_person(p) for p in s.added],
            "removed": [_person(p) for p in s.removed],
            "changed": [{"old": _person(a), "new": _person(b), "fields": [_field(f) for f in fs]} for a, b, fs in s.changed],
            "moved": [{"person": _person(m.person), "old_position": m.old_position, "new_position": m.new_position}
                      for m in s.moved],
        },
        "areas": _items(c.areas),
        "methods": _methods(c.methods),
        "medborgarloften": _items(c.medborgarloften),
        "focus_areas": _items(c.focus_areas),
        "moved_activities": [_move(m) for m in c.moved_activities],
        "texts": [_field(f) for f in c.texts],
        "sources": [_field(f) for f in c.sources],
        "date_shift": c.date_shift,
        "summary": [
            {"heading": section.heading, "lines": [{"level": line.level, "text": _plain_marks(line)} for line in section.lines]}
            for section in summary(c)
        ],
    }


def format_json(c: Comparison, extra: dict[str, Any] | None = None) -> str:
    return json.dumps({**to_dict(c), **(extra or {})}, ensure_ascii=False, indent=2) + "\n"


FORMATTERS: dict[str, Callable[[Comparison], str]] = {
    "text": format_text,
    "markdown": format_markdown,
    "json": format_json,
}


__all__ = ["FORMATTERS", "FORMATS", "JSON_VERSION", "format_json", "format_markdown", "format_text", "summary_rows", "to_dict"]
