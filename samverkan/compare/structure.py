"""Year-to-year comparison: what changed between two versions of an agreement.

:func:`compare` matches the parts of two validated agreements (prioritised
areas and medborgarlöften by id, then by title; activities by content, then
by similarity) and records every difference: general data, signatories,
areas, methods, activities with their responsible party, medborgarlöften and
prose, the prose as word-level insertions and deletions. Identical content
gives an empty :class:`Comparison`.

The formatting (Swedish text, markdown, JSON) lives in
:mod:`samverkan.diffformat`; the JSON shape is documented in
``docs/diff-format.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from ..documents.formatting import period_full as period_text
from ..model.canonical import cited_sources, visible_order
from ..model.catalog import methods_for
from ..model.models import (
    Agreement,
    Aktivitet,
    Kalla,
    Medborgarlofte,
    Metod,
    Omrade,
    Undertecknare,
)
from .changes import (
    ActivityChange,
    ActivityChanges,
    Comparison,
    FieldChange,
    Item,
    ItemChange,
    ItemChanges,
    MethodChanges,
    MethodRef,
    SignatoryChanges,
    Version,
)
from .textdiff import Segment, similarity, tokens, word_diff
from .texts import (
    activity_text,
    bullets,
    date_text,
    forum_text,
    joined,
    link_text,
    method_text,
    role_text,
    section_text,
    source_text,
)

T = TypeVar("T")

def _change(key: str, label: str, old: str | None, new: str | None) -> FieldChange | None:
    if old == new:
        return None
    segments = word_diff(old, new) if old is not None and new is not None else ()
    return FieldChange(key, label, old, new, segments)


def _changes(rows: Sequence[tuple[str, str, str | None, str | None]]) -> tuple[FieldChange, ...]:
    found = (_change(*row) for row in rows)
    return tuple(c for c in found if c is not None)


def match(
    old: Sequence[T],
    new: Sequence[T],
    keys: Sequence[Callable[[T], Hashable | None]],
    fuzzy: Callable[[T, T], float] | None = None,
    threshold: float = 0.5,
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair items of two lists: by each key in turn, then by similarity.

    Returns ``(pairs, removed, added)``: pairs of (old index, new index) in new
    order, then the unmatched old and new indexes.
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
        candidates = sorted(
            (
                (-score, i, j)
                for i in range(len(old))
                if i not in pairs
                for j in range(len(new))
                if j not in taken and (score := fuzzy(old[i], new[j])) >= threshold
            ),
        )
        for _, i, j in candidates:
            if i not in pairs and j not in taken:
                pairs[i] = j
                taken.add(j)
    ordered = sorted(pairs.items(), key=lambda p: p[1])
    removed = [i for i in range(len(old)) if i not in pairs]
    added = [j for j in range(len(new)) if j not in taken]
    return ordered, removed, added


def _reordered(pairs: Sequence[tuple[int, int]], group: Callable[[int], Hashable] = lambda i: None) -> bool:
    """Whether paired items stand in another order; only order within one printed group counts."""
    olds: dict[Hashable, list[int]] = {}
    for i, _ in pairs:
        olds.setdefault(group(i), []).append(i)
    return any(found != sorted(found) for found in olds.values())


def _activity_fields(old: Aktivitet, new: Aktivitet) -> tuple[FieldChange, ...]:
    return _changes(
        [
            ("text", "Aktivitet", old.text, new.text),
            ("ansvar", "Ansvar", old.ansvar.value, new.ansvar.value),
            ("omfattning", "Omfattning", old.omfattning, new.omfattning),
            ("frekvens", "Frekvens", old.frekvens, new.frekvens),
            ("senast", "Senast", date_text(old.senast), date_text(new.senast)),
        ]
    )


def compare_activities(old: Sequence[Aktivitet], new: Sequence[Aktivitet]) -> ActivityChanges:
    """Activities added, removed and changed (matched by content, then by text similarity)."""
    pairs, removed, added = match(
        old,
        new,
        [lambda a: a, lambda a: (a.text, a.ansvar), lambda a: a.text],
        fuzzy=lambda a, b: similarity(a.text, b.text),
    )
    changed = [ActivityChange(old[i], new[j], f) for i, j in pairs if (f := _activity_fields(old[i], new[j]))]
    # Activities are printed grouped by party: only the order within a party is visible.
    same_party = [(i, j) for i, j in pairs if old[i].ansvar == new[j].ansvar]
    reordered = _reordered(same_party, lambda i: old[i].ansvar)
    return ActivityChanges(tuple(new[j] for j in added), tuple(old[i] for i in removed), tuple(changed), reordered)


class _Comparer:
    def __init__(self, old: Agreement, new: Agreement):
        self.old, self.new = old, new
        self.known = {**methods_for(old), **methods_for(new)}

    def method(self, method_id: str) -> MethodRef:
        found = self.known.get(method_id)
        return MethodRef(method_id, found.namn if found else method_id)

    def methods(self, old: Sequence[str], new: Sequence[str]) -> MethodChanges:
        return MethodChanges(
            tuple(self.method(m) for m in new if m not in old),
            tuple(self.method(m) for m in old if m not in new),
        )

    def items(
        self,
        old: Sequence[Any],
        new: Sequence[Any],
        title: Callable[[Any], str],
        fields: Callable[[Any, Any], tuple[FieldChange, ...]],
        keys: Sequence[Callable[[Any], Hashable | None]] = (),
        fuzzy: Callable[[Any, Any], float] | None = None,
    ) -> ItemChanges:
        """Areas or medborgarlöften: matched by id, then by title, then by ``keys`` and ``fuzzy``."""
        pairs, removed, added = match(old, new, [lambda x: x.id, title, *keys], fuzzy, threshold=0.3)
        changed = []
        for i, j in pairs:
            a, b = old[i], new[j]
            change = ItemChange(
                b.id,
                title(b),
                a.id,
                title(a),
                _changes([("id", "Id", a.id, b.id)]) + fields(a, b) + _method_order(a.metoder, b.metoder),
                self.methods(a.metoder, b.metoder),
                compare_activities(a.aktiviteter, b.aktiviteter),
            )
            if change.fields or not change.methods.empty or not change.activities.empty:
                changed.append(change)

        def item(x: Any) -> Item:
            return Item(x.id, title(x), tuple(self.method(m) for m in x.metoder), tuple(x.aktiviteter))

        return ItemChanges(
            tuple(item(new[j]) for j in added), tuple(item(old[i]) for i in removed), tuple(changed), _reordered(pairs)
        )


def _method_order(old: Sequence[str], new: Sequence[str]) -> tuple[FieldChange, ...]:
    """The same methods listed in another order (the rendered text changes)."""
    if set(old) != set(new) or list(old) == list(new):
        return ()
    return _changes([("metoder.ordning", "Metodernas ordning", ", ".join(old), ", ".join(new))])


def _area_fields(a: Omrade, b: Omrade) -> tuple[FieldChange, ...]:
    return _changes(
        [
            ("titel", "Rubrik", a.titel, b.titel),
            ("beskrivning", "Problembeskrivning", section_text(a.beskrivning), section_text(b.beskrivning)),
            ("orsaker", "Troliga orsaker", section_text(a.orsaker), section_text(b.orsaker)),
            ("mal", "Mål", bullets(a.mal), bullets(b.mal)),
        ]
    )


def promise_title(promise: Medborgarlofte) -> str:
    return promise.titel or f"Medborgarlöfte {period_text(promise.period)}"


def _promise_fields(a: Medborgarlofte, b: Medborgarlofte) -> tuple[FieldChange, ...]:
    rows: list[tuple[str, str, str | None, str | None]] = [
        ("titel", "Rubrik", promise_title(a), promise_title(b)),
        ("period", "Period", period_text(a.period), period_text(b.period)),
        ("avvikelse_fran_period", "Skäl till avvikande period", a.avvikelse_fran_period, b.avvikelse_fran_period),
    ]
    for key, label in _PROMISE_SECTIONS:
        rows.append((key, label, section_text(getattr(a, key)), section_text(getattr(b, key))))
    rows.append(("lankar", "Länkar", joined(a.lankar, link_text), joined(b.lankar, link_text)))
    return _changes(rows)


def _promise_text(promise: Medborgarlofte) -> str:
    parts = [section_text(getattr(promise, key)) for key, _ in _PROMISE_SECTIONS]
    parts += [activity_text(a) for a in promise.aktiviteter]
    return "\n".join(p for p in parts if p)


_PROMISE_SECTIONS = [
    ("inledning", "Inledning"),
    ("lagesbild", "Situationen idag"),
    ("mal", "Det här ska vi åstadkomma tillsammans"),
    ("genomforande", "Så här ska vi göra"),
    ("uppfoljning", "Uppföljning"),
    ("folj_arbetet", "Följ med i hur det går"),
]

_DEL1_SECTIONS = [
    ("bakgrund", "Bakgrund"),
    ("syfte", "Syfte"),
    ("overgripande_mal", "Övergripande mål"),
    ("lagesbild", "Gemensam lägesbild"),
    ("kommunikation", "Kommunikation"),
    ("uppfoljning", "Uppföljning"),
]


def _general(old: Agreement, new: Agreement) -> tuple[FieldChange, ...]:
    ko, kn = old.parter.kommun, new.parter.kommun
    po, pn = old.parter.polis, new.parter.polis
    return _changes(
        [
            ("titel", "Titel", old.document_title, new.document_title),
            ("status", "Status", old.status.value, new.status.value),
            ("datum", "Datum", date_text(old.document_date), date_text(new.document_date)),
            ("period", "Period", period_text(old.period), period_text(new.period)),
            ("tidigare_version", "Ersätter version", old.tidigare_version, new.tidigare_version),
            ("parter.kommun.namn", "Kommun", ko.namn, kn.namn),
            ("parter.kommun.kortnamn", "Kommunens kortnamn", ko.kortnamn, kn.kortnamn),
            ("parter.kommun.kommunkod", "Kommunkod", ko.kommunkod, kn.kommunkod),
            ("parter.kommun.diarienummer", "Kommunens diarienummer", ko.diarienummer, kn.diarienummer),
            ("parter.polis.lokalpolisomrade", "Lokalpolisområde", po.lokalpolisomrade, pn.lokalpolisomrade),
            ("parter.polis.polisregion", "Polisregion", po.polisregion, pn.polisregion),
            ("parter.polis.diarienummer", "Polisens diarienummer", po.diarienummer, pn.diarienummer),
        ]
    )


def _texts(old: Agreement, new: Agreement) -> tuple[FieldChange, ...]:
    rows: list[tuple[str, str, str | None, str | None]] = []
    a, b = old.del1, new.del1
    for key, label in _DEL1_SECTIONS:
        rows.append(
            (f"del1.{key}", label, section_text(getattr(a, key, None)), section_text(getattr(b, key, None)))
        )
    rows.append(("del1.delmal", "Delmål", bullets(a.delmal if a else []), bullets(b.delmal if b else [])))
    rows.append(
        (
            "del1.organisation",
            "Organisation",
            joined(a.organisation if a else [], forum_text),
            joined(b.organisation if b else [], forum_text),
        )
    )
    rows.append(
        ("del1.roller", "Roller", joined(a.roller if a else [], role_text), joined(b.roller if b else [], role_text))
    )
    for key, label in (
        ("lagesbild", "Kommunens lägesbild enligt lag (2023:196)"),
        ("atgardsplan", "Kommunens åtgärdsplan"),
        ("samordningsfunktion", "Kommunens samordningsfunktion"),
    ):
        ra = a.kommunens_ansvar if a else None
        rb = b.kommunens_ansvar if b else None
        rows.append((f"del1.kommunens_ansvar.{key}", label, getattr(ra, key, None), getattr(rb, key, None)))
    rows.append(
        (
            "del2.inledning",
            "Inledning till del 2",
            section_text(old.del2.inledning if old.del2 else None),
            section_text(new.del2.inledning if new.del2 else None),
        )
    )
    return _changes(rows)


def _signatories(old: Sequence[Undertecknare], new: Sequence[Undertecknare]) -> SignatoryChanges:
    pairs, removed, added = match(old, new, [lambda p: p, lambda p: (p.namn, p.part), lambda p: p.namn])
    changed = []
    for i, j in pairs:
        a, b = old[i], new[j]
        fields = _changes(
            [
                ("namn", "Namn", a.namn, b.namn),
                ("titel", "Titel", a.titel, b.titel),
                ("part", "Part", a.part.value, b.part.value),
                ("ort", "Ort", a.ort, b.ort),
                ("datum", "Datum", date_text(a.datum), date_text(b.datum)),
            ]
        )
        if fields:
            changed.append((a, b, fields))
    same_side = [(i, j) for i, j in pairs if old[i].part == new[j].part]
    return SignatoryChanges(
        tuple(new[j] for j in added), tuple(old[i] for i in removed), tuple(changed),
        _reordered(same_side, lambda i: old[i].part),
    )


def _sources(old: Agreement, new: Agreement) -> tuple[FieldChange, ...]:
    rows: list[tuple[str, str, str | None, str | None]] = []
    for kind, label, a_list, b_list, render in (
        ("kallor", "Källa", old.kallor, new.kallor, source_text),
        ("egna_metoder", "Egen metod", old.egna_metoder, new.egna_metoder, method_text),
    ):
        pairs, removed, added = match(a_list, b_list, [lambda x: x.id])
        for i, j in pairs:
            a, b = a_list[i], b_list[j]  # type: ignore[index]
            rows.append((f"{kind}.{b.id}", f"{label}: {_name(b)}", render(a), render(b)))
        rows += [(f"{kind}.{a_list[i].id}", f"{label}: {_name(a_list[i])}", render(a_list[i]), None) for i in removed]
        rows += [(f"{kind}.{b_list[j].id}", f"{label}: {_name(b_list[j])}", None, render(b_list[j])) for j in added]
        if kind == "kallor":  # only sources nobody cites are printed in the order of the list
            a_free = [x for x in a_list if x.id not in cited_sources(old.model_dump(mode="json", exclude={"kallor"}))]
            b_free = [x for x in b_list if x.id not in cited_sources(new.model_dump(mode="json", exclude={"kallor"}))]
            both = {x.id for x in a_free} & {x.id for x in b_free}
            a_order = [x.titel for x in a_free if x.id in both]
            b_order = [x.titel for x in b_free if x.id in both]
            if a_order != b_order:
                rows.append(("kallor.ordning", "Ordningen bland källor utan hänvisning", "\n".join(a_order), "\n".join(b_order)))
    return _changes(rows)


def _name(x: Kalla | Metod) -> str:
    return x.titel if isinstance(x, Kalla) else x.namn


def _all_methods(agreement: Agreement) -> list[str]:
    ids: list[str] = []
    parts = [*(agreement.del2.prioriterade_omraden if agreement.del2 else []), *agreement.medborgarloften]
    for part in parts:
        ids += [m for m in part.metoder if m not in ids]
    return ids


def compare(old: Agreement, new: Agreement) -> Comparison:
    """Compare two versions of an agreement; identical content gives an empty result.

    >>> compare(agreement, agreement).empty
    True
    """
    c = _Comparer(old, new)
    result = Comparison(
        old=Version.of(old),
        new=Version.of(new),
        general=_general(old, new),
        signatories=_signatories(old.undertecknare, new.undertecknare),
        texts=_texts(old, new),
        areas=c.items(
            old.del2.prioriterade_omraden if old.del2 else [],
            new.del2.prioriterade_omraden if new.del2 else [],
            lambda x: x.titel,
            _area_fields,
        ),
        methods=c.methods(_all_methods(old), _all_methods(new)),
        medborgarloften=c.items(
            old.medborgarloften,
            new.medborgarloften,
            promise_title,
            _promise_fields,
            [lambda x: x.period],
            # A yearly promise usually replaces last year's: pair them by content.
            lambda a, b: similarity(_promise_text(a), _promise_text(b)),
        ),
        sources=_sources(old, new),
    )
    if result.empty and old.canonical_json() != new.canonical_json():
        return replace(result, general=_leftovers(old, new))
    return result


def _leftovers(old: Agreement, new: Agreement) -> tuple[FieldChange, ...]:
    """Differences in fields the comparison above does not know (a newer model), named by their key.

    A safety net: two versions that differ never give an empty comparison.
    """
    rows: list[tuple[str, str, str | None, str | None]] = []

    def text(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def walk(a: Any, b: Any, path: str) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in dict.fromkeys([*a, *b]):
                walk(a.get(key), b.get(key), f"{path}.{key}" if path else key)
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for n, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{n}]")
        else:
            rows.append((path, f"Övrigt: {path}", text(a), text(b)))

    walk(visible_order(old.model_dump(mode="json")), visible_order(new.model_dump(mode="json")), "")
    return _changes(rows)


__all__ = [
    "ActivityChange",
    "ActivityChanges",
    "Comparison",
    "FieldChange",
    "Item",
    "ItemChange",
    "ItemChanges",
    "MethodChanges",
    "MethodRef",
    "Segment",
    "SignatoryChanges",
    "Version",
    "compare",
    "compare_activities",
    "match",
    "similarity",
    "tokens",
    "word_diff",
]
