"""A document's blocks grouped the way a reader sees them: sections, lists and promise groups.

:func:`sections` walks the blocks of :mod:`samverkan.documents.reading`
(only their kind, level, label, text and bold are used, so this module
needs nothing from the documents stage) and returns the sections in order:
each with its heading and a body of paragraphs, plain lists and promise
groups – a lead-in such as "Polisen lovar att:" with the list under it.
Heading levels, bold one-line paragraphs and lead-ins written as headings
are all understood as the kommun wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from .recognize import is_commitment, lead_in, named_party, promiser, subject_party
from .recognize import Promiser


class BlockLike(Protocol):
    kind: str
    text: str
    level: int
    label: str
    bold: bool
    links: tuple[tuple[str, str], ...]


@dataclass
class LinkPara:
    """A paragraph that is only a link: it becomes one of the löfte's links."""

    text: str
    url: str


@dataclass
class Item:
    text: str
    label: str
    children: list[Item] = field(default_factory=list)

    @property
    def promiser(self) -> Promiser | None:
        return promiser(self.text)

    @property
    def party(self) -> str | None:
        return subject_party(self.text)


@dataclass
class Points:
    """A list not under a promise lead-in."""

    items: list[Item]
    numbered: bool


@dataclass
class Group:
    """A promise lead-in and the list under it."""

    lead: str
    who: Promiser
    items: list[Item] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    unbulleted: bool = False
    """Its points are paragraphs without bullets."""


@dataclass
class Table:
    """A table: its rows of cell texts."""

    rows: list[list[str]]

    def columns(self, pattern: str) -> int | None:
        """The column whose header (first row) matches ``pattern``."""
        head = self.rows[0] if self.rows else []
        return next((n for n, cell in enumerate(head) if re.search(pattern, cell, re.IGNORECASE)), None)

    @property
    def activities(self) -> bool:
        """An activity table: a column of what is done and a column of who is responsible."""
        return (len(self.rows) > 1 and self.columns(r"ansvar") is not None
                and self.columns(r"aktivitet|åtgärd|insats|vad|löfte|uppgift") is not None)


@dataclass
class Section:
    heading: str | None
    level: int
    label: str = ""
    body: list[str | Points | Group | LinkPara | Table] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    promised: bool = False
    """Its lists are promises because its heading says so, though no point names a party."""

    @property
    def texts(self) -> list[str]:
        return [x for x in self.body if isinstance(x, str)]

    @property
    def groups(self) -> list[Group]:
        return [x for x in self.body if isinstance(x, Group)]

    @property
    def promise_lists(self) -> list[Points]:
        """Lists of promises: most items name who promises ("Polisen lovar …"), or some do and every
        item commits to something ("… ska fortsätta", "Varje år kommer …")."""
        return [x for x in self.body if isinstance(x, Points) and (self.promised or _promise_list(x))]

    @property
    def activity_tables(self) -> list[Table]:
        return [x for x in self.body if isinstance(x, Table) and x.activities]

    @property
    def has_promises(self) -> bool:
        return bool(self.groups or self.promise_lists or self.activity_tables)


def _promise_list(points: Points) -> bool:
    named = sum(bool(i.promiser) for i in points.items)
    return named * 2 > len(points.items) or (named > 0 and all(is_commitment(i.text) for i in points.items))


def _is_heading_like(block: BlockLike) -> bool:
    """A bold one-line paragraph used as a heading."""
    text = block.text.strip()
    return block.bold and block.kind == "paragraph" and len(text) <= 100 and not text.endswith((".", ";", ","))


@dataclass
class _AreaHeading:
    """A numbered point read as the heading of a focus area."""

    text: str
    level: int
    label: str
    kind: str = "heading"
    bold: bool = False
    links: tuple[tuple[str, str], ...] = ()


def _numbered_areas(blocks: list[BlockLike]) -> list[BlockLike]:
    """Numbered points under a "Fokusområden" heading that are each followed by text of their own
    ("1. Förebyggande arbete …", its description, its measures) are the areas' headings."""
    out = list(blocks)
    under: int | None = None
    for n, block in enumerate(out):
        if block.kind == "heading" or (block.kind == "paragraph" and _is_heading_like(block) and under is None):
            level = block.level if block.kind == "heading" else 1
            if kind_of(block.text) == "fokusomraden":
                under = level
            elif block.kind == "heading" and (under is None or level <= under):
                under = None
            continue
        after = out[n + 1] if n + 1 < len(out) else None
        if (under is not None and block.kind == "item" and block.level == 0 and re.fullmatch(r"\d{1,2}[.)]", block.label)
                and after is not None and after.kind == "paragraph"):
            out[n] = _AreaHeading(block.text.strip(), under + 1, block.label)  # type: ignore[call-arg]
    return out


def sections(blocks: list[BlockLike]) -> list[Section]:
    """The blocks as sections (the first one, without a heading, holds what comes before any heading)."""
    blocks = _numbered_areas(blocks)
    out = [Section(None, 0)]
    current_level = 0
    table_of: int | None = None
    for block in blocks:
        text = block.text.strip()
        section = out[-1]
        if block.kind == "cell":
            index = getattr(block, "table", None)
            if table_of != index or not section.body or not isinstance(section.body[-1], Table):
                section.body.append(Table([]))
                table_of = index
            rows = section.body[-1].rows  # type: ignore[union-attr]
            row, col = getattr(block, "row", 0) or 0, getattr(block, "col", 0) or 0
            while len(rows) <= row:
                rows.append([])
            while len(rows[row]) <= col:
                rows[row].append("")
            rows[row][col] = text
            continue
        table_of = None
        who = lead_in(text) if block.kind in ("heading", "paragraph") else None
        if who is None and block.kind == "paragraph":
            who = _means_lead_in(text, section.body[-1] if section.body and isinstance(section.body[-1], str) else "")
        if who is None and block.kind in ("heading", "paragraph") and text.endswith(":") and party_heading(text):
            who = Promiser(party_heading(text), None)  # "Polisens åtaganden:", "Kommunen:"
        if who is not None:
            section.body.append(Group(text, who))
            continue
        if block.kind == "heading" or _is_heading_like(block):
            level = block.level if block.kind == "heading" else current_level + 1
            current_level = level if block.kind == "heading" else current_level
            out.append(Section(text, level, block.label))
            continue
        if block.kind == "item" and text.endswith(":") and block.level == 0 and lead_in(text) is not None:
            section.body.append(Group(text, lead_in(text)))  # type: ignore[arg-type]  # a lead-in written as the list's first point
            continue
        if block.kind == "item":
            item = Item(text, block.label)
            target = section.body[-1] if section.body else None
            if isinstance(target, Group) and not target.after:
                _add(target.items, item, block.level)
            elif isinstance(target, Points):
                _add(target.items, item, block.level)
            else:
                section.body.append(Points([item], bool(re.match(r"^\(?\w{1,3}[.)]$", block.label))))
            continue
        links = list(getattr(block, "links", ()))
        if len(links) == 1 and links[0][0].strip(" .") == text.strip(" ."):
            section.body.append(LinkPara(text, links[0][1]))
            continue
        section.links += links
        target = section.body[-1] if section.body else None
        if isinstance(target, Group) and target.items and not target.unbulleted:
            target.after.append(text)
        elif isinstance(target, Group) and not target.after and len(text) < 600 and not text.endswith(":"):
            target.items.append(Item(text, ""))  # "Polisen åtar sig att:" and its points as paragraphs, without bullets
            target.unbulleted = True
        else:
            section.body.append(text)
    for section in out:
        _paragraph_promises(section)
        _party_columns(section)
    return [s for s in out if s.heading is not None or s.body]


def _party_columns(section: Section) -> None:
    """A table whose columns are headed by the parties ("Polisen lovar att" | "Kommunen lovar att"):
    a promise group per column, its cells (or the lines in them) the promises."""
    for n, part in enumerate(section.body):
        if not isinstance(part, Table) or len(part.rows) < 2:
            continue
        heads = part.rows[0]
        who = [lead_in(h) or (Promiser(party_heading(h), None) if party_heading(h) else None) for h in heads]
        if not heads or not all(w is not None and w.ansvar for w in who):
            continue
        groups = [Group(head, w, [Item(line.strip(), "") for row in part.rows[1:] if c < len(row)  # type: ignore[arg-type]
                                   for line in row[c].split("\n") if line.strip()])
                  for c, (head, w) in enumerate(zip(heads, who))]
        section.body[n:n + 1] = [g for g in groups if g.items]  # type: ignore[list-item]


def _paragraph_promises(section: Section) -> None:
    """Two or more paragraphs in a row that each say who promises ("Polisen lovar att …") are a list of
    promises written without bullets."""
    body, out, run = section.body, [], []  # type: ignore[var-annotated]
    for part in [*body, None]:
        said = isinstance(part, str) and len(part) < 600 and not part.endswith(":") and (
            (found := promiser(part)) is not None and found.ansvar is not None)
        if said:
            run.append(part)
            continue
        out += [Points([Item(t, "") for t in run], False)] if len(run) >= 2 else run
        run = []
        if part is not None:
            out.append(part)
    body[:] = out


_MEANS = re.compile(r"(?:genom att|genom följande(?: \w+)?|följande (?:aktiviteter|åtgärder|insatser|löften)):$", re.IGNORECASE)


def _means_lead_in(text: str, before: str) -> Promiser | None:
    """"Detta genom att:" after "Kommunen och polisen skall gemensamt jobba för …": a lead-in whose party
    is named in it or in the paragraph before it."""
    if not _MEANS.search(text.strip()):
        return None
    named = named_party(text) or named_party(before)
    return Promiser(named[0], None) if named else None


def _add(items: list[Item], item: Item, level: int) -> None:
    if level > 0 and items:
        _add(items[-1].children, item, level - 1)
    else:
        items.append(item)


# Section headings the model has a place for, by the words they use.
_KINDS = (
    ("lagesbild", r"lägesbild|situationen idag|problembild|nuläge"),
    ("fokusomraden", r"fokusområde|prioriterade områden|prioriterat område|insatsområde"),
    ("genomforande", r"så här ska vi göra|genomförande|aktiviteter|åtgärder|insatser|vad vi lovar|löften"),
    ("mal", r"åstadkomma|^mål\b|målet|syftet med löftet"),
    ("uppfoljning", r"uppföljning|utvärdering|följas upp"),
    ("folj_arbetet", r"följ med|följ arbetet|kommunikation|läs mer"),
    ("inledning", r"^inledning|^bakgrund"),
)


_PARTY_HEADING = re.compile(
    r"^(?:(?P<joint>gemensam\w*|tillsammans)|(?P<police>polisen?s?)|(?P<kommun>kommunen?s?|\w+s? kommuns?))"
    r"(?:\s+(?:löften?|åtaganden?|insatser|aktiviteter)\b.*)?$",
    re.IGNORECASE,
)


_PROMISE_HEADING = re.compile(r"löfte|löften|aktiviteter|åtgärder|insatser|så här (?:ska|arbetar|gör) vi|vi lovar", re.IGNORECASE)


def promise_headings(parts: list[Section]) -> None:
    """When no list names who promises, the lists under a heading about the löfte ("Medborgarlöfte 2024",
    "Så här arbetar vi för att löftet ska uppfyllas") are its promises."""
    if any(s.has_promises for s in parts):
        return
    for section in parts:
        if section.heading and _PROMISE_HEADING.search(section.heading) and kind_of(section.heading) not in (
                "lagesbild", "uppfoljning", "folj_arbetet", "inledning", "fokusomraden"):
            section.promised = True


def party_heading(heading: str) -> str | None:
    """The party a heading over promises names ("Gemensamt löfte 2016", "Polisens löften"), if it is only that."""
    found = _PARTY_HEADING.match(heading.strip().rstrip(":"))
    if found is None:
        return None
    return "tillsammans" if found.group("joint") else "polisen" if found.group("police") else "kommunen"


def kind_of(heading: str) -> str | None:
    """Which part of a medborgarlöfte a heading names ("Aktuell lägesbild" → lagesbild), if any."""
    low = heading.lower()
    for kind, words in _KINDS:
        if re.search(words, low):
            return kind
    return None


__all__ = ["BlockLike", "Group", "Item", "LinkPara", "Points", "Section", "Table", "kind_of", "party_heading", "promise_headings", "sections"]
