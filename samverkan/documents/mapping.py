"""Edits made in a rendered document, as changes to the values of its agreement file.

:func:`map_edits` lines an edited document up with the traced render it came
from (:mod:`.tracing`), paragraph by paragraph and then character by
character, and says what each difference means for the file:

- text changed inside a value's part of a paragraph → that value's new text;
- a paragraph split with Enter, or typed right after a paragraph of a text of
  several paragraphs → a new paragraph of that text;
- a paragraph typed among the items of a list (goals, bullets, activities,
  links) in the list's style → a new item, its fields read with the
  neighbouring item's pattern (``text (omfattning; frekvens)``), its party and
  other choices copied from that neighbour; a row added to a table of items
  (an activity table) likewise, cell by cell; an item deleted → removed;
  items moved → the list reordered;
- anything else — fixed text rewritten, a paragraph that belongs to no value,
  a table row that does not read like its neighbours, the signature lines
  filled in, one printing of a value changed differently from another — is an
  :class:`Unplaced` edit, reported with its section and text, never dropped
  silently.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel

from .alignment import align, keys, parse_like, ratio, split_edit
from .docxedits import EditedDocument, Paragraph, View
from .tracing import Path, Trace, Traced, Value

_HEADING = re.compile(r"^(Heading|Rubrik|Title|Titel)", re.IGNORECASE)
_MOVED = 0.8


@dataclass(frozen=True)
class Place:
    """Where in the edited document something is: part, nearest heading and paragraph number (1-based)."""

    part: str
    section: str
    paragraph: int

    def __str__(self) -> str:
        where = {"body": "", "footnotes": "fotnot, ", "header": "sidhuvud, ", "footer": "sidfot, "}[self.part]
        section = f"avsnitt «{self.section}», " if self.section else ""
        return f"{where}{section}stycke {self.paragraph}"


@dataclass(frozen=True)
class Unplaced:
    """An edit that has no place in the agreement file."""

    reason: str
    place: Place
    old: str
    new: str


@dataclass(frozen=True)
class ValueEdit:
    """A text value with new text (None: removed)."""

    path: Path
    old: str
    printed: str  # the old value as the document printed it
    new: str | None
    multiline: bool


@dataclass(frozen=True, eq=False)  # each new item is itself, even when two read the same
class NewItem:
    """A list item typed into the document: a text, or an object's fields."""

    value: str | dict[str, str]


@dataclass(frozen=True)
class ListEdit:
    """A list's new order: old indices (of the file as rendered) and new items."""

    path: Path
    order: tuple[int | NewItem, ...]


@dataclass
class Mapping:
    """What the edits in a document mean for its agreement file."""

    values: list[ValueEdit] = field(default_factory=list)
    lists: list[ListEdit] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    formatting: list[Unplaced] = field(default_factory=list)
    owners: dict[tuple[str, int], set[Path]] = field(default_factory=dict)  # (part, raw paragraph) → value paths


# -- the whole document -----------------------------------------------------------------------


def _item(traced: Traced, values: tuple[Value, ...]) -> tuple[Path, int, Path] | None:
    """(list path, index, field path inside the item) when every value of the paragraph is in one list item."""
    paths = [values[k].path for k in traced.values()]
    if not paths:
        return None
    common: list[str | int] = []
    for parts in zip(*paths):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    for cut in range(len(common) - 1, -1, -1):
        if isinstance(common[cut], int):
            rest = paths[0][cut + 1:]
            return tuple(common[:cut]), int(common[cut]), rest
    return None


def _is_list_style(p: Paragraph) -> bool:
    return p.listed or "list" in p.style.lower() or "punkt" in p.style.lower()


def _at(model: Any, path: Path) -> Any:
    for step in path:
        model = model[step] if isinstance(step, int) else getattr(model, step)
    return model


class _Mapper:
    def __init__(self, trace: Trace, agreement: BaseModel, result: Mapping):
        self.trace, self.agreement, self.result = trace, agreement, result
        self.pieces: dict[tuple[int, int], dict[int, str | None]] = defaultdict(dict)  # (value, occ) → piece → text
        self.extra: dict[tuple[int, int], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.items: dict[Path, dict[int | NewItem, float]] = defaultdict(dict)  # list → item → position in E
        self.gone: dict[Path, set[int]] = defaultdict(set)
        self.touched_lists: set[Path] = set()
        self.fixed_deleted: list[tuple[str, int, str]] = []

    def place(self, part: str, paragraphs: list[Paragraph], index: int) -> Place:
        section = next((p.text for p in reversed(paragraphs[:index + 1]) if _HEADING.match(p.style) and p.text.strip()), "")
        return Place(part, section.strip()[:80], index + 1)

    def unplaced(self, reason: str, place: Place, old: str, new: str) -> None:
        self.result.unplaced.append(Unplaced(reason, place, old, new))

    def part(self, part: str, old: list[Traced], new: list[Paragraph]) -> None:
        pairs = align(keys([t.paragraph for t in old]), keys(new))
        matched_old = {i for i, _ in pairs}
        matched_new = {j for _, j in pairs}
        deleted = [i for i in range(len(old)) if i not in matched_old]
        inserted = [j for j in range(len(new)) if j not in matched_new and new[j].text.strip()]
        for j in list(inserted):  # a paragraph moved elsewhere: deleted here, inserted there
            best = max(deleted, key=lambda i: ratio(old[i].text, new[j].text), default=None)
            if best is not None and ratio(old[best].text, new[j].text) >= _MOVED and _item(old[best], self.trace.values):
                pairs.append((best, j))
                deleted.remove(best)
                inserted.remove(j)
        known = set(pairs)
        for i in list(deleted):  # a paragraph rewritten beyond recognition, in the same place
            j = next((j for j in inserted if (i - 1, j - 1) in known or (i == 0 and j == 0)), None)
            if j is not None and ((i + 1, j + 1) in known or i + 1 == len(old)) and old[i].paragraph.style == new[j].style:
                pairs.append((i, j))
                deleted.remove(i)
                inserted.remove(j)
        by_new = {j: i for i, j in pairs}
        for i, j in sorted(pairs, key=lambda pair: pair[1]):
            self.edited(part, old[i], new, j)
        for i in deleted:
            self.deleted(part, old, i, new, by_new)
        self.inserted(part, old, new, inserted, by_new)

    def own(self, part: str, paragraph: Paragraph, traced: Traced | None) -> None:
        paths = {self.trace.values[k].path for k in traced.values()} if traced else set()
        for number in paragraph.sources:
            self.result.owners.setdefault((part, number), set()).update(paths)

    def note_item(self, traced: Traced, position: float) -> None:
        item = _item(traced, self.trace.values)
        if item is not None:
            where, index, _ = item
            self.items[where][index] = min(position, self.items[where].get(index, position))

    def edited(self, part: str, traced: Traced, new: list[Paragraph], j: int) -> None:
        paragraph = new[j]
        self.own(part, paragraph, traced)
        self.note_item(traced, j)
        if paragraph.text == traced.text:
            self.check_formatting(part, traced, new, j)
            for s in traced.segments:
                if s.value is not None:
                    self.pieces[(s.value, s.occurrence)].setdefault(s.piece, s.text)
            return
        texts, problems = split_edit(traced, paragraph.text)
        for old_text, new_text in problems:
            reason = "fast text ändrad (mallens text, inte ett värde i filen)"
            self.unplaced(reason, self.place(part, new, j), old_text, new_text)
        if not texts and not problems:
            self.unplaced("fast text ändrad (mallens text, inte ett värde i filen)", self.place(part, new, j),
                          traced.text, paragraph.text)
        for (key, occ, piece), text in texts.items():
            self.pieces[(key, occ)][piece] = text

    def check_formatting(self, part: str, traced: Traced, new: list[Paragraph], j: int) -> None:
        before = traced.paragraph.formats
        after = new[j].formats
        changed = [k for k, (a, b) in enumerate(zip(before, after)) if a != b]
        if changed:
            words = new[j].text[changed[0]:changed[-1] + 1]
            added = sorted(set().union(*(after[k] - before[k] for k in changed)))
            self.result.formatting.append(Unplaced("formatering (" + ", ".join(added or ["borttagen"]) + ")",
                                                   self.place(part, new, j), words, words))

    def deleted(self, part: str, old: list[Traced], i: int, new: list[Paragraph], by_new: dict[int, int]) -> None:
        traced = old[i]
        if traced.fixed:
            if traced.text.strip():
                self.fixed_deleted.append((part, i, traced.text))
            return
        for s in traced.segments:
            if s.value is not None:
                self.pieces[(s.value, s.occurrence)][s.piece] = None

    def inserted(self, part: str, old: list[Traced], new: list[Paragraph], inserted: list[int],
                 by_new: dict[int, int]) -> None:
        follows: dict[int, tuple[str, Any]] = {}  # new index → what it continues
        rows: dict[tuple[str, tuple[int, int]], int] = {}  # a new table row → its report
        done = self.new_rows(part, old, new, inserted, by_new)
        for j in inserted:
            if j in done:
                continue
            paragraph = new[j]
            self.own(part, paragraph, None)
            prev = j - 1
            before = by_new.get(prev)
            target = follows.get(prev) if prev in follows else (("after", old[before]) if before is not None else None)
            decision = self.attach(target, new, prev, paragraph)
            if decision is None:
                after_j = j + 1
                nxt = by_new.get(after_j)
                if nxt is not None:
                    decision = self.attach(("before", old[nxt]), new, after_j, paragraph)
            if decision is None:
                row = (part, paragraph.cell[:2]) if paragraph.cell else None
                if row is not None and row in rows:  # the other cells of a new row
                    at = rows[row]
                    u = self.result.unplaced[at]
                    self.result.unplaced[at] = Unplaced(u.reason, u.place, "", f"{u.new} | {paragraph.text}")
                    continue
                if row is not None:
                    rows[row] = len(self.result.unplaced)
                reason = "ny tabellrad" if paragraph.cell else "nytt stycke som inte hör till något värde i filen"
                self.unplaced(reason, self.place(part, new, j), "", paragraph.text)
                continue
            follows[j] = decision
            kind, what = decision
            if kind == "piece":
                key, occ, piece = what
                self.extra[(key, occ)][piece].append(paragraph.text)
                for number in paragraph.sources:
                    self.result.owners.setdefault((part, number), set()).add(self.trace.values[key].path)
            else:
                where, like = what
                for number in paragraph.sources:
                    self.result.owners.setdefault((part, number), set()).add(where)
                self.items[where][NewItem(self.new_item(where, like, paragraph.text))] = j
                self.touched_lists.add(where)

    def new_rows(self, part: str, old: list[Traced], new: list[Paragraph], inserted: list[int],
                 by_new: dict[int, int]) -> set[int]:
        """Whole rows typed into a table of list items (activities, roles): new items, read cell by cell
        with the pattern of the row above (or below); a cell's fixed text must be the neighbour's."""
        done: set[int] = set()
        cells_of: dict[tuple[int, int], list[int]] = defaultdict(list)
        for k, p in enumerate(new):
            if p.cell is not None:
                cells_of[p.cell[:2]].append(k)
        for (table, row), cells in cells_of.items():
            if not all(k in inserted or not new[k].text.strip() for k in cells) or not set(cells) & set(inserted):
                continue
            for step in (-1, 1):
                near = cells_of.get((table, row + step), [])
                like = [old[by_new[k]] for k in near if k in by_new]
                found = self.read_row(like, [new[k] for k in cells]) if near and len(like) == len(near) else None
                if found is not None:
                    where, fields = found
                    self.items[where][NewItem(fields)] = cells[0]
                    self.touched_lists.add(where)
                    for k in cells:
                        for number in new[k].sources:
                            self.result.owners.setdefault((part, number), set()).add(where)
                    done |= set(cells)
                    break
        return done

    def read_row(self, like: list[Traced], cells: list[Paragraph]) -> tuple[Path, dict[str, str]] | None:
        item = _item(Traced(like[0].paragraph, tuple(s for t in like for s in t.segments)), self.trace.values)
        if item is None or not item[2] or len(like) != len(cells):
            return None
        where, index, _ = item
        fields: dict[str, str] = {}
        for pattern, cell in zip(like, cells):
            if pattern.fixed:
                if cell.text != pattern.text:
                    return None
                continue
            parsed = parse_like(pattern, cell.text) if cell.text.strip() else {}
            if parsed is None:
                return None
            fields.update({str(self.trace.values[k].path[len(where) + 1]): v for k, v in parsed.items()})
        return (where, self.with_choices(where, index, fields)) if fields else None

    def attach(self, target: tuple[str, Any] | None, new: list[Paragraph], neighbour: int,
               paragraph: Paragraph) -> tuple[str, Any] | None:
        if target is None or not 0 <= neighbour < len(new):
            return None
        kind, what = target
        if kind == "piece":
            return target
        if kind == "item":
            return target
        traced: Traced = what
        if paragraph.style != new[neighbour].style or paragraph.cell != new[neighbour].cell and paragraph.cell:
            return None
        segs = [s for s in traced.segments if s.value is not None]
        if not segs:
            return None
        edge = segs[-1] if kind == "after" else segs[0]
        value = self.trace.values[edge.value]
        item = _item(traced, self.trace.values)
        if value.multiline and not _is_list_style(paragraph):
            piece = edge.piece + 0.5 if kind == "after" else edge.piece - 0.5
            return ("piece", (edge.value, edge.occurrence, piece))
        if item is not None and _is_list_style(paragraph) and len(item[2]) <= 1:
            return ("item", (item[0], traced))
        return None

    def new_item(self, where: Path, like: Traced, text: str) -> str | dict[str, str]:
        item = _item(like, self.trace.values)
        assert item is not None
        _, index, rest = item
        if not rest:
            return text
        parsed = parse_like(like, text) or {}
        fields: dict[str, str] = {}
        for key, value in parsed.items():
            fields[str(self.trace.values[key].path[len(where) + 1])] = value
        if not parsed:
            fields[str(rest[0])] = text
        return self.with_choices(where, index, fields)

    def with_choices(self, where: Path, index: int, fields: dict[str, str]) -> dict[str, str]:
        """``fields`` with the neighbour's choices (party, side) that the document shows only by grouping."""
        neighbour = _at(self.agreement, (*where, index))
        for name in type(neighbour).model_fields:
            value = getattr(neighbour, name)
            if isinstance(value, Enum) and name not in fields:
                fields[name] = value.value
        return fields

    def finish(self) -> None:
        by_value: dict[int, dict[int, str | None]] = defaultdict(dict)
        for key, occ in set(self.pieces) | set(self.extra):
            value = self.trace.values[key]
            pieces: dict[float, str | None] = dict(self.pieces.get((key, occ), {}))
            for piece, texts in self.extra.get((key, occ), {}).items():
                for n, text in enumerate(texts):
                    pieces[piece + n * 0.001] = text
            kept = [t for _, t in sorted(pieces.items()) if t is not None]
            joined = ("\n\n" if value.multiline else " ").join(t for t in kept if t.strip())
            by_value[key][occ] = joined if joined.strip() else None
        deleted, changed = set(), {}
        for key, occurrences in sorted(by_value.items()):
            printed = self.printed(key)
            new_texts = {t for t in occurrences.values() if t != printed}
            if not new_texts:
                continue
            if len(new_texts) > 1:
                self.unplaced("samma värde ändrat på olika sätt på olika ställen", Place("body", "", 0),
                              printed, " | ".join(sorted(t or "(borttaget)" for t in new_texts)))
                continue
            new = new_texts.pop()
            if new is None:
                deleted.add(key)
            else:
                changed[key] = new
        printed_keys = set(by_value)
        for key in sorted(deleted):
            value = self.trace.values[key]
            gone = self.gone_item(value.path, deleted, printed_keys)
            if gone is not None:
                self.gone[gone[:-1]].add(int(gone[-1]))  # type: ignore[arg-type]
            else:
                self.result.values.append(ValueEdit(value.path, value.text, self.printed(key), None, value.multiline))
        for key, new in sorted(changed.items()):
            value = self.trace.values[key]
            self.result.values.append(ValueEdit(value.path, value.text, self.printed(key), new, value.multiline))
        for part, index, text in self.fixed_deleted:
            if not self.excused(part, index):
                self.unplaced("fast text borttagen", Place(part, "", index + 1), text, "")
        self.lists()

    def gone_item(self, path: Path, deleted: set[int], printed: set[int]) -> Path | None:
        """The outermost list item holding ``path`` whose every printed value was deleted."""
        for cut, step in enumerate(path):
            if isinstance(step, int):
                prefix = path[:cut + 1]
                inside = [k for k in printed if self.trace.values[k].path[:cut + 1] == prefix]
                if inside and all(k in deleted for k in inside):
                    return prefix
        return None

    def excused(self, part: str, index: int) -> bool:
        """A deleted heading next to a deleted paragraph of an item removed whole (an area, a promise)."""
        old = self.trace.parts.get(part, [])
        gone = {(*where, i) for where, items in self.gone.items() for i in items}
        for step in (-1, 1):
            k = index + step
            while 0 <= k < len(old) and old[k].fixed:
                k += step
            if 0 <= k < len(old):
                paths = [self.trace.values[v].path for v in old[k].values()]
                if paths and all(any(p[:len(g)] == g for g in gone) for p in paths):
                    return True
        return False

    def printed(self, key: int) -> str:
        value = self.trace.values[key]
        texts: dict[int, str] = {}
        for part in self.trace.parts.values():
            for traced in part:
                for s in traced.segments:
                    if s.value == key and s.occurrence == 0:
                        texts[s.piece] = s.text
        return ("\n\n" if value.multiline else " ").join(t for _, t in sorted(texts.items()))

    def lists(self) -> None:
        for where in sorted(set(self.items) | self.touched_lists | set(self.gone), key=str):
            positions = self.items.get(where, {})
            length = len(_at(self.agreement, where))
            removed = self.gone.get(where, set())
            seen = [i for i in positions if isinstance(i, int) and i not in removed]
            base_order = sorted(seen, key=lambda i: (self.base_position(where, i), i))
            edited_order = sorted(seen, key=lambda i: positions[i])
            slot = dict(zip(edited_order, base_order))  # the k-th item as edited takes the k-th item's place
            order: list[int | NewItem] = sorted((i for i in range(length) if i not in removed),
                                                key=lambda i: slot.get(i, i))
            for item in sorted((k for k in positions if isinstance(k, NewItem)), key=lambda k: positions[k]):
                before = [i for i in seen if positions[i] < positions[item]]
                after = [i for i in seen if positions[i] > positions[item]]
                if before:
                    at = order.index(max(before, key=lambda i: positions[i])) + 1
                elif after:
                    at = order.index(min(after, key=lambda i: positions[i]))
                else:
                    at = len(order)
                while at < len(order) and isinstance(order[at], NewItem) and positions[order[at]] < positions[item]:
                    at += 1
                order.insert(at, item)
            if order != list(range(length)):
                self.result.lists.append(ListEdit(where, tuple(order)))

    def base_position(self, where: Path, index: int) -> int:
        for n, traced in enumerate(p for part in self.trace.parts.values() for p in part):
            item = _item(traced, self.trace.values)
            if item is not None and item[0] == where and item[1] == index:
                return n
        return 1 << 30


def map_edits(trace: Trace, agreement: BaseModel, edited: EditedDocument, view: View = "accepted") -> Mapping:
    """What the edits in ``edited`` mean for the agreement ``trace`` was made from."""
    result = Mapping()
    mapper = _Mapper(trace, agreement, result)
    for part in ("body", "footnotes"):
        mapper.part(part, trace.parts.get(part, []), edited.paragraphs(part, view))
    for part in ("header", "footer"):
        known = {t.text for t in trace.parts.get(part, [])}
        paragraphs = edited.paragraphs(part, view)
        for j, paragraph in enumerate(paragraphs):
            if paragraph.text.strip() and paragraph.text not in known:
                mapper.unplaced("sidhuvud eller sidfot ändrad", mapper.place(part, paragraphs, j), "", paragraph.text)
    mapper.finish()
    return result


__all__ = ["ListEdit", "Mapping", "NewItem", "Place", "Unplaced", "ValueEdit", "map_edits"]
