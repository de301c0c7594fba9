"""The pieces of a document's text: sections, activities, focus areas, methods and notes.

:mod:`.context` puts these together into whole documents. Everything printed
is a value from the file, a value formatted from it, or one of the fixed
texts in :mod:`.labels`; a part with nothing in it is None or an empty list,
never an empty heading.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from ..model.catalog import catalog, methods_for
from ..model.checks import MARKER
from ..model.models import (
    Agreement,
    Aktivitet,
    Aktivitetsgrupp,
    Avsnitt,
    Kalla,
    Metod,
    Omrade,
)
from . import formatting as fmt
from .labels import DEFAULT_VERB, HEADINGS, LABELS, PARTIES, lead_in
from .views import Area, Group, Item, Method, MethodRef, Note, Row, Section

NOTE_START, NOTE_END = "\ue000", "\ue001"
"""Around a footnote's number in a text, until the document is assembled (private-use characters)."""
NOTE_MARK = re.compile(f"{NOTE_START}(\\d+){NOTE_END}")


def paragraphs(text: str | None) -> list[str]:
    """Split text on blank lines; lines inside a paragraph join with a space (ASCII whitespace only)."""
    if not text:
        return []
    blocks = re.split(r"\n[ \t\r\f\v]*\n", text)
    return [p for p in (one_line(block) for block in blocks) if p]


_ASCII_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def one_line(text: str) -> str:
    """Text on one line: runs of ASCII whitespace become one space (a no-break space is kept, as printed)."""
    return _ASCII_SPACES.sub(" ", text).strip()


def without_notes(text: str) -> str:
    """``text`` with the footnote places taken out (for plain-text uses)."""
    return NOTE_MARK.sub("", text)


class Notes:
    """Turns source citations into numbered footnotes and keeps the list of sources cited."""

    def __init__(self, sources: Sequence[Kalla]):
        self.by_id = {k.id: k for k in sources}
        self.cited: list[str] = []
        self.footnotes: dict[int, str] = {}
        self.footnote_sources: dict[int, str] = {}

    def _mark(self, source_id: str) -> str:
        if source_id not in self.by_id:
            return ""  # checks.py reports unknown ids; a model built in code may skip them
        if source_id not in self.cited:
            self.cited.append(source_id)
        number = len(self.footnotes) + 1
        self.footnotes[number] = self.text(source_id)
        self.footnote_sources[number] = source_id
        return f"{NOTE_START}{number}{NOTE_END}"

    def inline(self, text: str) -> str:
        """``text`` with every ``[^id]`` turned into the place of a footnote."""
        if "[^" not in text:
            return text
        return MARKER.sub(lambda m: self._mark(m.group(1)), text)

    def marks(self, ids: Iterable[str]) -> str:
        return "".join(self._mark(i) for i in ids)

    def text(self, source_id: str) -> str:
        k = self.by_id[source_id]
        publisher = ", ".join(p for p in ((k.utgivare or "").strip().rstrip("."), str(k.ar or "")) if p)
        title = k.titel.strip().rstrip(".")
        return f"{title}. {publisher}." if publisher else f"{title}."

    def listing(self, include_uncited: bool) -> list[Note]:
        ids = list(self.by_id) if include_uncited else self.cited
        return [Note(text=self.text(i), url=self.by_id[i].url) for i in ids]


def _texts(values: Iterable[str], notes: Notes) -> list[str]:
    return [notes.inline(one_line(v)) for v in values]


def items(values: Iterable[str], notes: Notes, numbered: bool = False) -> list[Item]:
    return [Item(text=t, level=1, number=f"{i}." if numbered else "") for i, t in enumerate(_texts(values, notes), start=1)]


def section(default: str | None, avsnitt: Avsnitt | None, notes: Notes) -> Section | None:
    """A section with its heading as written (or ``default``); None when there is nothing."""
    if avsnitt is None:
        return None
    heading = None if avsnitt.utan_rubrik else (avsnitt.rubrik or default)
    paras = [notes.inline(p) for p in paragraphs(avsnitt.text)]
    points = items(avsnitt.punkter, notes, avsnitt.numrerad)
    closing = [notes.inline(p) for p in paragraphs(avsnitt.avslutning)]
    marks = notes.marks(avsnitt.kallor)
    if marks:  # sources for the whole section: the note goes after its last words
        if closing:
            closing[-1] += marks
        elif points:
            last = points[-1]
            points[-1] = Item(text=last.text + marks, level=last.level, number=last.number)
        elif paras:
            paras[-1] += marks
    return Section(heading=heading, paragraphs=paras, items=points, closing=closing)


def has_text(s: Section | None) -> bool:
    return s is not None and bool(s.paragraphs or s.items or s.closing)


def text_section(heading: str | None, texts: Sequence[str]) -> Section:
    return Section(heading=heading, paragraphs=list(texts), items=[], closing=[])


# -- activities --------------------------------------------------------------------


def details(a: Aktivitet) -> str:
    parts = [one_line(d) for d in (a.omfattning, a.frekvens) if d]
    if a.senast:
        parts.append(LABELS["senast"].format(datum=fmt.long_date(a.senast)))
    return "; ".join(parts)


def activity_line(a: Aktivitet, notes: Notes) -> str:
    text = notes.inline(one_line(a.text))
    extra = details(a)
    return LABELS["aktivitet"].format(text=text, detaljer=extra) if extra else text


def activity_items(activities: Sequence[Aktivitet], notes: Notes, level: int = 1) -> list[Item]:
    """The activities as list items in written order, sub-activities right after their parent."""
    out: list[Item] = []
    for a in activities:
        out.append(Item(text=activity_line(a, notes), level=min(level, 3), number=""))
        out += activity_items(a.aktiviteter, notes, level + 1)
    return out


def group(g: Aktivitetsgrupp, verb: str, notes: Notes) -> Group:
    if g.rubrik:
        head = notes.inline(one_line(g.rubrik))
    elif g.ansvar is not None:
        head = lead_in(g.ansvar.value, one_line(g.verb or verb))
    else:
        head = ""
    closing = [notes.inline(p) for p in paragraphs(g.avslutning)]
    return Group(lead_in=head, items=activity_items(g.aktiviteter, notes), closing=closing)


def table_rows(activities: Sequence[Aktivitet], notes: Notes, level: int = 1) -> list[Row]:
    rows = []
    for a in activities:
        text = notes.inline(one_line(a.text))
        party = PARTIES[a.ansvar.value] if a.ansvar else ""
        rows.append(Row(text=("– " * (level - 1)) + text, party=party, details=details(a)))
        rows += table_rows(a.aktiviteter, notes, level + 1)
    return rows


def table_columns(rows: Sequence[Row]) -> str:
    """Which optional columns the activity table needs: a column empty on every row is dropped."""
    party = any(r.party for r in rows)
    when = any(r.details for r in rows)
    if party and when:
        return "ansvar+tid"
    return "ansvar" if party else ("tid" if when else "")


# -- methods -------------------------------------------------------------------


def method_refs(ids: Sequence[str], agreement: Agreement) -> list[MethodRef]:
    known = methods_for(agreement)
    return [MethodRef(name=known[i].namn if i in known else i, url=known[i].lank if i in known else None) for i in ids]


class OwnMethods:
    """The file's own method texts, each printed once.

    In an agreement they stand together after del 2 (references elsewhere
    print the name); in a medborgarlöfte of its own, where the method is
    first referred to.
    """

    def __init__(self, agreement: Agreement, notes: Notes, *, at_reference: bool):
        self.agreement = agreement
        self.notes = notes
        self.own = {m.id: m for m in agreement.egna_metoder}
        self.done: set[str] = set()
        self.at_reference = at_reference

    def split(self, ids: Sequence[str]) -> tuple[list[MethodRef], list[Method]]:
        """The references to print as names, and the own texts to print here."""
        texts = []
        for i in ids:
            if self.at_reference and i in self.own and i not in self.done:
                self.done.add(i)
                texts.append(method_view(self.own[i], self.notes))
        described = {t.name for t in texts}
        refs = [r for r in method_refs(ids, self.agreement) if r.name not in described]
        return refs, texts

    def rest(self) -> list[Method]:
        """The own methods nothing referred to."""
        return [method_view(m, self.notes) for i, m in self.own.items() if i not in self.done]


def method_view(m: Metod, notes: Notes) -> Method:
    return Method(
        name=m.namn,
        paragraphs=[notes.inline(p) for p in paragraphs(m.beskrivning)],
        items=items(m.punkter, notes),
        closing=[notes.inline(p) for p in paragraphs(m.avslutning)],
        url=m.lank,
    )


def referenced_methods(agreement: Agreement) -> list[str]:
    """The ids of every method the file refers to, in the order first referred to."""
    from ..model.checks import areas, promise_places

    ids: list[str] = []
    for _, holder in [*areas(agreement), *promise_places(agreement)]:
        ids += [m for m in holder.metoder if m not in ids]
    return ids


def catalog_information(agreement: Agreement) -> list[Method]:
    """The catalog's descriptions of the methods referred to, when the file asks for them (once each)."""
    if not agreement.metodbeskrivningar:
        return []
    own = {m.id for m in agreement.egna_metoder}
    known = catalog()
    unused = Notes([])
    return [method_view(known[i], unused) for i in referenced_methods(agreement) if i in known and i not in own]


# -- focus areas ----------------------------------------------------------------


def is_bare(o: Omrade) -> bool:
    """An area with nothing but its title: printed as a list item, not a heading."""
    return not (o.beskrivning or o.orsaker or o.mal or o.metoder or o.aktiviteter or o.grupper)


def area_title(o: Omrade) -> str:
    title = o.titel.strip()
    return LABELS["omrade_nummer"].format(nummer=o.nummer, titel=title) if o.nummer is not None else title


def areas(found: Sequence[Omrade], methods: OwnMethods, notes: Notes, *, part_two: bool, verb: str,
          numbered: bool) -> list[Area]:
    """The areas in written order, each under its heading; when some have only a title, all as list items
    (a bare title is never an empty heading, and one list never mixes headings and items)."""
    as_items = any(is_bare(o) for o in found)
    out = []
    for i, o in enumerate(found, start=1):
        if is_bare(o):
            number = f"{o.nummer}." if o.nummer is not None else (f"{i}." if numbered else "")
            item = Item(text=notes.inline(o.titel.strip()), level=1, number=number)
            out.append(Area(heading=item.text, item=item, description=None, causes=None, goals=None, methods=[],
                            method_texts=[], items=[], table=[], table_columns="", groups=[]))
        else:
            full = area(o, methods, notes, part_two=part_two, verb=verb)
            if as_items:
                number = f"{o.nummer}." if o.nummer is not None else (f"{i}." if numbered else "")
                text = notes.inline(o.titel.strip())
                full = dataclasses.replace(full, heading=text, item=Item(text=text, level=1, number=number))
            out.append(full)
    return out


def area(o: Omrade, methods: OwnMethods, notes: Notes, *, part_two: bool, verb: str) -> Area:
    """A focus area: in del 2 with the default sub-headings and a table, in a medborgarlöfte as lists."""
    goals = None
    if o.mal:
        texts = _texts(o.mal, notes)
        heading = HEADINGS["omrade.mal"]
        goals = text_section(heading, texts) if len(texts) == 1 else Section(
            heading=heading, paragraphs=[], items=[Item(text=t, level=1, number="") for t in texts], closing=[])
    rows = table_rows(o.aktiviteter, notes) if part_two else []
    columns = table_columns(rows)
    listed = [] if part_two and columns else activity_items(o.aktiviteter, notes)
    refs, texts = methods.split(o.metoder)
    return Area(
        heading=notes.inline(area_title(o)),
        item=None,
        description=section(HEADINGS["beskrivning"] if part_two else None, o.beskrivning, notes),
        causes=section(HEADINGS["orsaker"], o.orsaker, notes),
        goals=goals,
        methods=refs,
        method_texts=texts,
        items=listed,
        table=rows if columns else [],
        table_columns=columns,
        groups=[group(g, verb, notes) for g in o.grupper],
    )


def verb_of(*choices: str | None) -> str:
    """The first promise verb given, else "ska"."""
    return next((one_line(c) for c in choices if c), DEFAULT_VERB)


__all__ = [
    "NOTE_END",
    "NOTE_MARK",
    "NOTE_START",
    "Notes",
    "OwnMethods",
    "activity_items",
    "activity_line",
    "area",
    "areas",
    "catalog_information",
    "group",
    "has_text",
    "is_bare",
    "method_refs",
    "method_view",
    "one_line",
    "paragraphs",
    "section",
    "verb_of",
    "without_notes",
]
