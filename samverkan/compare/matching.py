"""One structural matching of two agreement versions, shared by the summary and the redline.

A lawyer reads the summary next to the redline: they must never disagree on
what became of an area, an activity or a medborgarlöfte. So the pairing is
made here, once, by fixed rules, and both :mod:`.structure` (the summary) and
:mod:`.redline` (the Word document) use the result:

* **Parts** (prioritised areas, medborgarlöften) are paired by id, then by
  title, then by the most similar content (above a threshold); whatever is
  left came or went.
* **Activities** are paired inside each pair of parts (identical, then same
  text and party, then same text, then most similar text); activities left
  over anywhere are then paired across parts by the same rules: an activity
  that left one area and stands in another *moved*.
* **Order.** Of the pairs in one list, those on the longest run that keeps
  its order stayed where they were; the others *moved*. Only order the
  documents print counts (activities are printed grouped by party).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .textdiff import similarity

T = TypeVar("T")

PART_THRESHOLD = 0.5
"""Least share of common words for two parts (areas) with other id and title to be the same part."""

PROMISE_THRESHOLD = 0.3
"""The same for medborgarlöften: a yearly promise usually replaces last year's with new words."""

ACTIVITY_THRESHOLD = 0.5
"""Least share of common words for two activity texts to be one changed activity."""


@dataclass(frozen=True)
class Pairing:
    """How the items of two lists correspond.

    ``pairs`` are (old index, new index) in new order; ``moved`` the pairs
    that are not on the longest order-keeping run (within their group).
    """

    pairs: tuple[tuple[int, int], ...] = ()
    removed: tuple[int, ...] = ()
    added: tuple[int, ...] = ()
    moved: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def new_of(self, i: int) -> int | None:
        return next((b for a, b in self.pairs if a == i), None)

    def old_of(self, j: int) -> int | None:
        return next((a for a, b in self.pairs if b == j), None)


def kept_in_order(pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of pairs (in new order) whose old indexes also rise: what did not move.

    Ties are broken towards the earliest items, so the result is the same every time.
    """
    ordered = sorted(pairs, key=lambda p: p[1])
    best: list[int] = [1] * len(ordered)
    back: list[int] = [-1] * len(ordered)
    for k in range(len(ordered)):
        for m in range(k):
            if ordered[m][0] < ordered[k][0] and best[m] + 1 > best[k]:
                best[k], back[k] = best[m] + 1, m
    if not ordered:
        return set()
    k = max(range(len(ordered)), key=lambda n: (best[n], -n))
    kept = set()
    while k >= 0:
        kept.add(ordered[k])
        k = back[k]
    return kept


def pair(
    old: Sequence[T],
    new: Sequence[T],
    keys: Sequence[Callable[[T], Hashable | None]],
    fuzzy: Callable[[T, T], float] | None = None,
    threshold: float = 0.5,
    group: Callable[[T], Hashable] | None = None,
) -> Pairing:
    """Pair two lists: by each key in turn (first come, first paired), then by best similarity.

    ``group`` says which items are printed together: order is only compared
    within a group, and a pair whose two items are in different groups is
    not a move of order (the group change is reported by itself).
    """
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for key in keys:
        waiting: dict[Hashable, list[int]] = {}
        for i, item in enumerate(old):
            k = key(item)
            if i not in pairs and k is not None:
                waiting.setdefault(k, []).append(i)
        for j, item in enumerate(new):
            k = key(item)
            if j not in taken and k is not None and waiting.get(k):
                pairs[waiting[k].pop(0)] = j
                taken.add(j)
    if fuzzy is not None:
        scored = sorted(
            (-score, i, j)
            for i in range(len(old))
            if i not in pairs
            for j in range(len(new))
            if j not in taken and (score := fuzzy(old[i], new[j])) >= threshold
        )
        for _, i, j in scored:
            if i not in pairs and j not in taken:
                pairs[i] = j
                taken.add(j)
    ordered = tuple(sorted(pairs.items(), key=lambda p: p[1]))
    moved: set[tuple[int, int]] = set()
    groups: dict[Hashable, list[tuple[int, int]]] = {}
    for i, j in ordered:
        if group is None or group(old[i]) == group(new[j]):
            groups.setdefault(None if group is None else group(new[j]), []).append((i, j))
    for members in groups.values():
        moved |= set(members) - kept_in_order(members)
    return Pairing(
        ordered,
        tuple(i for i in range(len(old)) if i not in pairs),
        tuple(j for j in range(len(new)) if j not in taken),
        frozenset(moved),
    )


# -- parts and their activities -------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """An area or a medborgarlöfte as the matching sees it: where it is, what it is called, what it holds."""

    kind: str  # "område" or "medborgarlöfte"
    index: int  # its place in its list
    id: str
    title: str
    text: str  # all its words, for similarity
    activities: tuple[Any, ...]  # its activities as printed (:class:`Act`)


@dataclass(frozen=True)
class ActivityPair:
    """One activity in both versions: where it stood and where it stands."""

    old_part: Part
    old_index: int
    new_part: Part
    new_index: int
    crossed: bool = False
    """True when the activity left its area or medborgarlöfte for another."""


@dataclass(frozen=True)
class Matching:
    """Everything paired between two versions."""

    parts: dict[str, Pairing]  # by kind
    activities: tuple[ActivityPair, ...]
    moved_activities: frozenset[tuple[str, int, int]]  # (kind, old part index, old activity index) moved in order
    removed_activities: tuple[tuple[Part, int], ...]
    added_activities: tuple[tuple[Part, int], ...]

    def activity_pairs_in(self, kind: str, old_index: int, new_index: int) -> list[ActivityPair]:
        return [
            a for a in self.activities
            if not a.crossed
            and (a.old_part.kind, a.old_part.index, a.new_part.kind, a.new_part.index) == (kind, old_index, kind, new_index)
        ]


def _activity_keys() -> list[Callable[[Any], Hashable | None]]:
    return [lambda a: (a.text, a.ansvar, a.omfattning, a.frekvens, a.senast, a.depth), lambda a: (a.text, a.ansvar),
            lambda a: a.text]


def _activity_similarity(a: Any, b: Any) -> float:
    return similarity(a.text, b.text)


def match_parts(old: dict[str, list[Part]], new: dict[str, list[Part]], thresholds: dict[str, float]) -> Matching:
    """Pair parts of each kind, then their activities, within pairs first and across parts after."""
    pairings: dict[str, Pairing] = {}
    for kind in old.keys() | new.keys():
        a, b = old.get(kind, []), new.get(kind, [])
        pairings[kind] = pair(
            a, b, [lambda p: p.id or None, lambda p: p.title], lambda x, y: similarity(x.text, y.text),
            thresholds.get(kind, 0.5)
        )
    found: list[ActivityPair] = []
    moved: set[tuple[str, int, int]] = set()
    left_old: list[tuple[Part, int]] = []
    left_new: list[tuple[Part, int]] = []
    for kind, pairing in sorted(pairings.items()):
        a_parts, b_parts = old.get(kind, []), new.get(kind, [])
        for i, j in pairing.pairs:
            pa, pb = a_parts[i], b_parts[j]
            inner = pair(pa.activities, pb.activities, _activity_keys(), _activity_similarity, ACTIVITY_THRESHOLD,
                         group=lambda x: x.group)
            found += [ActivityPair(pa, x, pb, y) for x, y in inner.pairs]
            moved |= {(kind, i, x) for x, _ in inner.moved}
            left_old += [(pa, x) for x in inner.removed]
            left_new += [(pb, y) for y in inner.added]
        left_old += [(a_parts[i], x) for i in pairing.removed for x in range(len(a_parts[i].activities))]
        left_new += [(b_parts[j], y) for j in pairing.added for y in range(len(b_parts[j].activities))]
    across = pair(
        [p.activities[x] for p, x in left_old],
        [p.activities[y] for p, y in left_new],
        _activity_keys(),
        _activity_similarity,
        ACTIVITY_THRESHOLD,
    )
    for i, j in across.pairs:
        (pa, x), (pb, y) = left_old[i], left_new[j]
        found.append(ActivityPair(pa, x, pb, y, crossed=True))
    return Matching(
        pairings,
        tuple(found),
        frozenset(moved),
        tuple(left_old[i] for i in across.removed),
        tuple(left_new[j] for j in across.added),
    )




# -- the parts of an agreement -----------------------------------------------------------------

AREA = "område"
PROMISE = "medborgarlöfte"
FOCUS = "fokusområde"


@dataclass(frozen=True)
class Act:
    """One activity as printed: its words, the party responsible (its own or its group's), its place.

    ``group`` says which printed list it stands in: activities are compared
    for order only within one list. ``verb`` is its group's promise verb.
    """

    text: str
    ansvar: str | None
    omfattning: str | None
    frekvens: str | None
    senast: Any
    group: Hashable
    depth: int = 0
    verb: str | None = None


def _value(x: Any) -> Any:
    return getattr(x, "value", x)


def activities_of(holder: Any) -> tuple[Act, ...]:
    """An area's or medborgarlöfte's activities in printed order (sub-activities after their parent).

    With groups (a lead-in such as "Polisen lovar att:") every list is
    printed in written order; a model without groups printed the activities
    grouped by party, so there the party is the list.
    """
    grouped = hasattr(holder, "grupper")
    out: list[Act] = []

    def add(activities: Any, group: Hashable, ansvar: Any, verb: str | None, depth: int) -> None:
        for a in activities:
            own = _value(a.ansvar) if a.ansvar is not None else _value(ansvar)
            key = group if grouped else ("part", own)
            out.append(Act(a.text, own, a.omfattning, a.frekvens, a.senast, key, depth, verb))
            add(getattr(a, "aktiviteter", []), group, own, verb, depth + 1)

    add(holder.aktiviteter, ("lista",), None, None, 0)
    for n, g in enumerate(getattr(holder, "grupper", [])):
        add(g.aktiviteter, ("grupp", n), g.ansvar, g.verb, 0)
    return tuple(out)


def promise_title(promise: Any) -> str:
    """A medborgarlöfte's heading as printed (its own title, or one built from its period)."""
    from ..documents.context import promise_title as printed

    return printed(promise)


def promises_of(agreement: Any) -> list[Any]:
    """Every medborgarlöfte in a file: those inside an agreement, or the file itself as one."""
    found = getattr(agreement, "promises", None)
    return list(found()) if callable(found) else list(agreement.medborgarloften)


def area_title(area: Any) -> str:
    return area.titel


def agreement_parts(agreement: Any) -> dict[str, list[Part]]:
    """The areas, medborgarlöften and the medborgarlöften's focus areas, as the matching sees them."""
    from .texts import activity_text, bullets, section_text

    def text(*values: str | None) -> str:
        return "\n".join(v for v in values if v)

    def area_part(kind: str, n: int, a: Any) -> Part:
        acts = activities_of(a)
        return Part(kind, n, a.id or "", area_title(a),
                    text(a.titel, section_text(a.beskrivning), section_text(a.orsaker), bullets(a.mal),
                         *(activity_text(x) for x in acts)),
                    acts)

    areas = agreement.del2.prioriterade_omraden if agreement.del2 else []
    promises = promises_of(agreement)
    focus = [(p, o) for p in promises for o in getattr(p, "fokusomraden", [])]
    promise_sections = ("inledning", "lagesbild", "mal", "genomforande", "uppfoljning", "folj_arbetet")
    return {
        AREA: [area_part(AREA, n, a) for n, a in enumerate(areas)],
        PROMISE: [
            Part(PROMISE, n, p.id, promise_title(p),
                 text(*(section_text(getattr(p, key, None)) for key in promise_sections),
                      *(activity_text(x) for x in activities_of(p))),
                 activities_of(p))
            for n, p in enumerate(promises)
        ],
        FOCUS: [area_part(FOCUS, n, o) for n, (_, o) in enumerate(focus)],
    }


def focus_areas(agreement: Any) -> list[tuple[Any, Any]]:
    """(medborgarlöfte, focus area) for every focus area in the file, in printed order."""
    return [(p, o) for p in promises_of(agreement) for o in getattr(p, "fokusomraden", [])]


def match(old: Any, new: Any) -> Matching:
    """The one matching of two agreements' areas, medborgarlöften, focus areas and activities."""
    thresholds = {AREA: PART_THRESHOLD, PROMISE: PROMISE_THRESHOLD, FOCUS: PART_THRESHOLD}
    return match_parts(agreement_parts(old), agreement_parts(new), thresholds)


__all__ = [
    "AREA",
    "Act",
    "FOCUS",
    "PROMISE",
    "activities_of",
    "agreement_parts",
    "focus_areas",
    "match",
    "promise_title",
    "promises_of",
    "ACTIVITY_THRESHOLD",
    "ActivityPair",
    "Matching",
    "PART_THRESHOLD",
    "PROMISE_THRESHOLD",
    "Pairing",
    "Part",
    "kept_in_order",
    "match_parts",
    "pair",
]
