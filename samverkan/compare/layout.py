"""Where the matched parts stand in the rendered documents, so the redline follows the matching.

The redline compares two rendered bodies; the summary compares two models.
To make the redline pair exactly what the summary paired, this module finds
each prioritised area and medborgarlöfte in the rendered body – its heading
(a paragraph in a heading style whose text is the part's title) and
everything up to the next heading of the same or a higher level – and, inside
it, each activity: the table row whose first cell is the activity's text, or
the paragraph that is its printed line. Each found piece gets the key the
matching gave it (:mod:`.blockmerge` aligns keys only with their partner).

The rules only read what the document shows, so a kommun's own template
works as long as it prints titles as headings; a part that cannot be found is
compared as plain text, as before.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .blockmerge import Unit
from .matching import Matching, Part
from .texts import activity_text, plain
from .trackchanges import style_of, text_of, w

_P, _TBL, _TR, _TC = w("p"), w("tbl"), w("tr"), w("tc")


def outline_levels(styles: etree._Element | None) -> dict[str, int]:
    """Paragraph style id → outline level (0 = Heading 1), following ``w:basedOn``."""
    if styles is None:
        return {}
    own: dict[str, int | None] = {}
    based: dict[str, str] = {}
    for style in styles.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        sid = style.get(w("styleId")) or ""
        level = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        name = style.find(w("name"))
        found = re.fullmatch(r"heading (\d)", (name.get(w("val")) or "").lower()) if name is not None else None
        if level is not None and (level.get(w("val")) or "").isdigit():
            own[sid] = int(level.get(w("val")) or 0)
        elif found:
            own[sid] = int(found.group(1)) - 1
        else:
            own[sid] = None
        parent = style.find(w("basedOn"))
        if parent is not None:
            based[sid] = parent.get(w("val")) or ""
    out: dict[str, int] = {}
    for sid in own:
        seen, cur = set(), sid
        while cur in own and own[cur] is None and cur in based and cur not in seen:
            seen.add(cur)
            cur = based[cur]
        level = own.get(cur)
        if level is not None and level < 9:
            out[sid] = level
    return out


def _level(block: Any, levels: dict[str, int]) -> int | None:
    if block.tag != _P:
        return None
    own = block.find(f"{w('pPr')}/{w('outlineLvl')}")
    if own is not None and (own.get(w("val")) or "").isdigit():
        value = int(own.get(w("val")) or 9)
        return value if value < 9 else None
    return levels.get(style_of(block) or "")


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Side:
    """One rendered body with its parts found: the items to merge and the keys of single blocks."""

    items: list[Any]
    keys: dict[etree._Element, Hashable]  # element → activity key (holding the element keeps lxml's proxy alive)
    moved: set[Hashable]

    def ident(self, el: etree._Element) -> Hashable | None:
        return self.keys.get(el)


def _regions(blocks: Sequence[Any], parts: Sequence[Part], levels: dict[str, int]) -> dict[int, tuple[int, int, bool]]:
    """part index → (first block, end block, whether it is one line of a list) of its heading and content."""
    found: dict[int, tuple[int, int, bool]] = {}
    cursor = 0
    for part in parts:
        title = re.compile(r"(\d+[.)]?\s*)?" + re.escape(_norm(plain(part.title) or "")))
        start = next((n for n in range(cursor, len(blocks))
                      if _level(blocks[n], levels) is not None and title.fullmatch(_norm(text_of(blocks[n])))), None)
        if start is None:  # a part printed as one line of a list (a medborgarlöfte's numbered fokusområden)
            line = next((n for n in range(cursor, len(blocks)) if blocks[n].tag == _P and not part.activities
                         and title.fullmatch(_norm(text_of(blocks[n])))), None)
            if line is not None:
                found[part.index] = (line, line + 1, True)
                cursor = line + 1
            continue
        level = _level(blocks[start], levels)
        end = start + 1
        while end < len(blocks) and not (
            (lv := _level(blocks[end], levels)) is not None and lv <= level  # type: ignore[operator]
        ):
            end += 1
        found[part.index] = (start, end, False)
        cursor = end
    return found


def _activity_blocks(blocks: Sequence[Any], activities: Sequence[Any]) -> dict[int, etree._Element]:
    """activity index → the table row or paragraph that prints it."""
    rows: list[etree._Element] = []
    for b in blocks:
        if b.tag == _TBL:
            rows += [tr for tr in b.iter(_TR)]
        elif b.tag == _P:
            rows.append(b)
    used: set[etree._Element] = set()
    out: dict[int, etree._Element] = {}
    for n, a in enumerate(activities):
        wanted = {_norm(plain(a.text) or ""), _norm(activity_text(a))}
        for el in rows:
            if el in used:
                continue
            text = _norm(text_of(el.find(_TC))) if el.tag == _TR and el.find(_TC) is not None else _norm(text_of(el))
            while text.startswith("– "):  # a sub-activity's dash
                text = text[2:]
            if text in wanted:
                out[n] = el
                used.add(el)
                break
    return out


def locate(blocks: Sequence[Any], parts: dict[str, list[Part]], matching: Matching, side: str,
           levels: dict[str, int]) -> Side:
    """The items of one body (``side`` "old" or "new"): parts as units with the matching's keys."""
    keys: dict[etree._Element, Hashable] = {}
    moved: set[Hashable] = set()
    units: dict[int, Unit] = {}
    for kind, kind_parts in parts.items():
        pairing = matching.parts.get(kind)
        if pairing is None:
            continue
        for index, (start, end, line) in _regions(blocks, kind_parts, levels).items():
            partner = pairing.new_of(index) if side == "old" else pairing.old_of(index)
            if partner is None:
                key: Hashable = (f"part-{side}", kind, index)
                is_moved = False
            else:
                i, j = (index, partner) if side == "old" else (partner, index)
                key, is_moved = ("part", kind, i, j), (i, j) in pairing.moved
            if line:  # one paragraph, perhaps inside a medborgarlöfte's unit: keyed like an activity
                keys[blocks[start]] = key
                if is_moved:
                    moved.add(key)
                continue
            if any(not (end <= s or e <= start) for s, e in _spans(units)):
                continue  # overlaps a part found before: a template this module does not understand
            unit = Unit(key, list(blocks[start:end]), is_moved)
            unit.span = (start, end)  # type: ignore[attr-defined]
            units[start] = unit
            part = kind_parts[index]
            for x, el in _activity_blocks(blocks[start:end], part.activities).items():
                akey, amoved = _activity_key(matching, part, x, side)
                keys[el] = akey
                if amoved:
                    moved.add(akey)
    items: list[Any] = []
    n = 0
    while n < len(blocks):
        if n in units:
            items.append(units[n])
            n = units[n].span[1]  # type: ignore[attr-defined]
        else:
            items.append(blocks[n])
            n += 1
    return Side(items, keys, moved)


def _spans(units: dict[int, Unit]) -> list[tuple[int, int]]:
    return [u.span for u in units.values()]  # type: ignore[attr-defined]


def _activity_key(matching: Matching, part: Part, x: int, side: str) -> tuple[Hashable, bool]:
    for p in matching.activities:
        here = (p.old_part, p.old_index) if side == "old" else (p.new_part, p.new_index)
        if here == (part, x):
            key = ("act", p.old_part.kind, p.old_part.index, p.old_index)
            return key, p.crossed or (p.old_part.kind, p.old_part.index, p.old_index) in matching.moved_activities
    return (f"act-{side}", part.kind, part.index, x), False


__all__ = ["Side", "locate", "outline_levels"]
