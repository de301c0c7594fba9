"""The summary of a comparison with a plain document, in the words of the ordinary diff summary.

Text and markdown read like :mod:`samverkan.compare.formats` (the same
"[-borttaget-]{+tillagt+}" and "~~…~~ **…**" marks, headings and bullets);
they say first that one side is a plain document, so the structural lines
(areas, responsible party, methods, signatories, period) cannot be given
for it and the texts are compared paragraph by paragraph instead. JSON
holds the same, for scripts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .plain import ParagraphChange, PlainComparison, Side
from .textdiff import Segment

_CONTEXT = 6  # unchanged words kept on each side of a change


class _Marks:
    def __init__(self, markdown: bool) -> None:
        self.md = markdown

    def heading(self, text: str) -> str:
        return f"\n## {text}\n" if self.md else f"\n{text}\n{'-' * len(text)}"

    def bullet(self, text: str) -> str:
        return ("- " if self.md else "• ") + text

    def plain(self, text: str) -> str:
        text = re.sub(r"\s*\n\s*", " / ", text)
        return re.sub(r"([\\*_~`\[\]<>#|])", r"\\\1", text) if self.md else text

    def mark(self, op: str, text: str) -> str:
        core = self.plain(text.strip())
        if not core:
            return text
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        if self.md:
            return lead + (f"~~{core}~~" if op == "-" else f"**{core}**") + trail
        return lead + (f"[-{core}-]" if op == "-" else f"{{+{core}+}}") + trail


def _shorten(text: str, keep: str) -> str:
    words = text.split(" ")
    if len(words) <= 2 * _CONTEXT + 1:
        return text
    if keep == "end":
        return "… " + " ".join(words[-_CONTEXT:])
    if keep == "start":
        return " ".join(words[:_CONTEXT]) + " …"
    return " ".join(words[:_CONTEXT]) + " … " + " ".join(words[-_CONTEXT:])


def _inline(segments: tuple[Segment, ...], m: _Marks) -> str:
    out = []
    for n, (op, text) in enumerate(segments):
        if op != "=":
            out.append(m.mark(op, text))
        else:
            keep = "end" if n == 0 else "start" if n == len(segments) - 1 else "both"
            out.append(m.plain(_shorten(text, keep)))
    return "".join(out)


def _brief(text: str, words: int = 24) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def _name(side: Side) -> str:
    return f"{side.path} ({side.description})"


def _change_line(c: ParagraphChange, m: _Marks) -> str:
    if c.old is None:
        return m.bullet(f"Nytt stycke: {m.plain(_brief(c.new or ''))}")
    if c.new is None:
        return m.bullet(f"Borttaget stycke: {m.plain(_brief(c.old))}")
    where = " (på ett annat ställe)" if c.moved else ""
    return m.bullet(f"Ändrat stycke{where}: {_inline(c.segments, m)}")


def _counts(c: PlainComparison) -> str:
    kinds = {"changed": 0, "added": 0, "removed": 0}
    for x in c.counted:
        kinds["changed" if x.old is not None and x.new is not None else "added" if x.old is None else "removed"] += 1
    parts = [f"{c.unchanged} oförändrade", f"{kinds['changed']} ändrade", f"{kinds['added']} nya",
             f"{kinds['removed']} borttagna"]
    if c.moved:
        parts.insert(1, f"{len(c.moved)} flyttade")
    return "Stycken: " + ", ".join(parts) + "."


def _format(c: PlainComparison, m: _Marks) -> str:
    plain, other = (c.old, c.new) if c.old.plain else (c.new, c.old)
    which = "Tidigare version" if c.old.plain else "Ny version"
    title = f"Ändringar jämfört med {plain.path.name}" if c.old.plain else f"Ändringar i {plain.path.name}"
    lines = [f"# {title}" if m.md else title, ""]
    lines.append(f"{'- ' if m.md else ''}Tidigare version: {m.plain(_name(c.old))}")
    lines.append(f"{'- ' if m.md else ''}Ny version: {m.plain(_name(c.new))}")
    what = "Båda versionerna är vanliga dokument, inga överenskommelsefiler" if other.plain else (
        f"{which} är ett vanligt dokument, inte en överenskommelsefil")
    lines += ["", (
        f"Obs: {what}. De strukturella raderna "
        "(prioriterade områden, ansvar, metoder, undertecknare, period) går inte att ta fram för det, så "
        "texterna jämförs stycke för stycke och ord för ord"
        + ("." if other.plain else " med överenskommelsefilens text så som samverkan skriver ut den.")
    )]
    counted = c.counted
    if not counted:
        lines += ["", "Inga ändringar i texten."]
    else:
        lines.append(m.heading("Stycken"))
        lines += [_change_line(x, m) for x in counted]
    if c.moved:
        lines.append(m.heading("Samma text på ett annat ställe (räknas inte som ändringar)"))
        lines += [m.bullet(m.plain(_brief(x.old or ""))) for x in c.moved]
    if c.template:
        lines.append(m.heading("Bara i samverkans mall (räknas inte som ändringar)"))
        lines += [m.bullet(m.plain(_brief(x.old or x.new or ""))) for x in c.template]
    lines += ["", _counts(c)]
    if c.rebroken:
        lines.append(f"{c.rebroken} stycken har samma text men delas upp i stycken på ett annat sätt; de räknas som oförändrade.")
    if plain.furniture:
        lines.append(f"Sidhuvuden, sidfötter och sidnummer i {plain.path.name} ingår inte i jämförelsen: "
                     + "; ".join(m.plain(x) for x in plain.furniture[:6]) + ("; …" if len(plain.furniture) > 6 else "") + ".")
    return "\n".join(lines).strip("\n") + "\n"


def format_plain_text(c: PlainComparison) -> str:
    return _format(c, _Marks(markdown=False))


def format_plain_markdown(c: PlainComparison) -> str:
    return _format(c, _Marks(markdown=True))


def _side(side: Side) -> dict[str, Any]:
    out: dict[str, Any] = {"path": str(side.path), "plain": side.plain, "description": side.description}
    if side.document:
        out["document"] = side.document
    if side.furniture:
        out["furniture"] = list(side.furniture)
    return out


def to_plain_dict(c: PlainComparison) -> dict[str, Any]:
    def change(x: ParagraphChange) -> dict[str, Any]:
        out: dict[str, Any] = {"old": x.old, "new": x.new}
        if x.segments:
            out["segments"] = [list(s) for s in x.segments]
        return out

    return {
        "old": _side(c.old),
        "new": _side(c.new),
        "plain_side": c.plain_side,
        "structural": False,
        "paragraphs": {
            "unchanged": c.unchanged,
            "rebroken": c.rebroken,
            "changed": [change(x) for x in c.counted if x.old is not None and x.new is not None],
            "added": [x.new for x in c.counted if x.old is None],
            "removed": [x.old for x in c.counted if x.new is None],
            "moved": [x.old for x in c.moved],
            "template_only": [x.old or x.new for x in c.template],
        },
        "files": [str(p) for p in c.files],
    }


def format_plain_json(c: PlainComparison) -> str:
    return json.dumps(to_plain_dict(c), ensure_ascii=False, indent=2) + "\n"


PLAIN_FORMATTERS: dict[str, Callable[[PlainComparison], str]] = {
    "text": format_plain_text,
    "markdown": format_plain_markdown,
    "json": format_plain_json,
}

__all__ = ["PLAIN_FORMATTERS", "format_plain_json", "format_plain_markdown", "format_plain_text", "to_plain_dict"]
