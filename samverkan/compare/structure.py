"""Year-to-year comparison: what changed between two versions of an agreement.

:func:`compare` takes the one structural matching of :mod:`.matching`
(the redline uses the same) and records every difference the documents
print: general data, signatories, areas, methods, activities with their
responsible party, medborgarlöften, prose and sources. Texts are compared
as printed (the model has already folded whitespace, see
:mod:`samverkan.model.canonical`); order is compared only where it is
printed. Every change gets a weight (substance, text or routine, see
:mod:`.changes`). Identical content gives an empty :class:`Comparison`.

The formatting lives in :mod:`.formats`; the JSON shape is documented in
``docs/diff-format.md``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ..documents.formatting import long_date
from ..documents.formatting import period_full as period_text
from ..model.canonical import cited_sources, visible_order
from ..model.catalog import methods_for
from ..model.models import Agreement
from .changes import (
    ROUTINE,
    SUBSTANCE,
    TEXT,
    ActivityChange,
    ActivityChanges,
    ActivityMove,
    Comparison,
    FieldChange,
    Item,
    ItemChange,
    ItemChanges,
    ItemMove,
    MethodChanges,
    MethodRef,
    Place,
    SignatoryChanges,
    SignatoryMove,
    Version,
)
from .dates import Dates, routine_dates
from .extras import extras
from .matching import AREA, FOCUS, PROMISE, Act, Matching, Pairing, Part, focus_areas, match, pair, promise_title, promises_of
from .paragraphs import paragraph_changes
from .textdiff import word_diff
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
    signatory_text,
    belongs_rows,
    signing_rows,
    source_text,
    value,
)

Row = tuple[str, str, "str | None", "str | None", str]
"""(field key, Swedish label, old text, new text, weight)"""


def change(key: str, label: str, old: str | None, new: str | None, weight: str = TEXT) -> FieldChange | None:
    """A field change, with a word diff for one-line values and paragraph changes for longer ones."""
    old, new = old or None, new or None  # an empty text prints nothing: it is no text
    if old == new:
        return None
    if old is not None and new is not None and "\n" not in old + new:
        return FieldChange(key, label, old, new, word_diff(old, new), weight)
    return FieldChange(key, label, old, new, (), weight, paragraph_changes(old, new))


def changes(rows: Sequence[Row]) -> tuple[FieldChange, ...]:
    found = (change(*row) for row in rows)
    return tuple(c for c in found if c is not None)


def version(agreement: Agreement) -> Version:
    when = agreement.document_date
    return Version(
        agreement.document_title,
        period_text(agreement.period),
        agreement.status.value,
        long_date(when) if when else "",
        when.isoformat() if when else "",
        agreement.fingerprint(),
        agreement.parter.kommun.namn,
    )


# -- the comparer ------------------------------------------------------------------------------


class _Comparer:
    def __init__(self, old: Agreement, new: Agreement, matching: Matching):
        self.old, self.new, self.matching = old, new, matching
        self.known = {**methods_for(old), **methods_for(new)}
        self.dates = Dates()
        self.old_sources = {k.id: k.titel for k in old.kallor}
        self.new_sources = {k.id: k.titel for k in new.kallor}

    def method(self, method_id: str) -> MethodRef:
        found = self.known.get(method_id)
        return MethodRef(method_id, found.namn if found else method_id)

    def methods(self, old: Sequence[str], new: Sequence[str]) -> MethodChanges:
        kept_old = [m for m in old if m in new]
        kept_new = [m for m in new if m in old]
        order = None
        if kept_old != kept_new:
            order = (tuple(self.method(m).name for m in kept_old), tuple(self.method(m).name for m in kept_new))
        return MethodChanges(
            tuple(self.method(m) for m in new if m not in old), tuple(self.method(m) for m in old if m not in new), order
        )

    # -- activities --

    def activity_fields(self, old: Act, new: Act) -> tuple[FieldChange, ...]:
        self.dates.add(old.senast, new.senast)
        return changes(
            [
                ("text", "Aktivitet", old.text, new.text, SUBSTANCE),
                ("ansvar", "Ansvar", old.ansvar, new.ansvar, SUBSTANCE),
                ("omfattning", "Omfattning", old.omfattning, new.omfattning, SUBSTANCE),
                ("frekvens", "Frekvens", old.frekvens, new.frekvens, SUBSTANCE),
                ("senast", "Senast", date_text(old.senast), date_text(new.senast), SUBSTANCE),
            ]
        )

    @staticmethod
    def position(part: Part, index: int) -> int:
        """1-based place of an activity in its printed list (its group, or its party's list)."""
        group = part.activities[index].group
        return sum(1 for a in part.activities[:index] if a.group == group) + 1

    def activities(self, kind: str, old_part: Part, new_part: Part) -> ActivityChanges:
        m = self.matching
        changed, moved = [], []
        for p in m.activity_pairs_in(kind, old_part.index, new_part.index):
            a, b = old_part.activities[p.old_index], new_part.activities[p.new_index]
            fields = self.activity_fields(a, b)
            if (kind, old_part.index, p.old_index) in m.moved_activities:
                moved.append(ActivityMove(a, b, fields, Place(kind, old_part.title), Place(kind, new_part.title),
                                          self.position(old_part, p.old_index), self.position(new_part, p.new_index)))
            elif fields:
                changed.append(ActivityChange(a, b, fields))
        removed = tuple(part.activities[x] for part, x in m.removed_activities if part == old_part)
        added = tuple(part.activities[y] for part, y in m.added_activities if part == new_part)
        return ActivityChanges(added, removed, tuple(changed), tuple(moved))

    def crossed(self) -> tuple[ActivityMove, ...]:
        out = []
        for p in self.matching.activities:
            if p.crossed:
                a, b = p.old_part.activities[p.old_index], p.new_part.activities[p.new_index]
                out.append(ActivityMove(a, b, self.activity_fields(a, b),
                                        Place(p.old_part.kind, p.old_part.title), Place(p.new_part.kind, p.new_part.title),
                                        self.position(p.old_part, p.old_index), self.position(p.new_part, p.new_index)))
        return tuple(out)

    # -- areas and promises --

    def items(self, kind: str, old: Sequence[Any], new: Sequence[Any], old_parts: Sequence[Part],
              new_parts: Sequence[Part]) -> ItemChanges:
        pairing: Pairing = self.matching.parts[kind]
        fields_of = self.promise_fields if kind == PROMISE else self.area_fields
        changed = []
        for i, j in pairing.pairs:
            a, b = old[i], new[j]
            item = ItemChange(
                b.id or "", new_parts[j].title, a.id or "", old_parts[i].title,
                fields_of(a, b),
                self.methods(a.metoder, b.metoder),
                self.activities(kind, old_parts[i], new_parts[j]),
            )
            if item.fields or not item.methods.empty or not item.activities.empty:
                changed.append(item)

        def whole(x: Any, part: Part) -> Item:
            return Item(x.id or "", part.title, tuple(self.method(m) for m in x.metoder), part.activities)

        moved = tuple(
            ItemMove(new_parts[j].title, i + 1, j + 1) for i, j in pairing.pairs if (i, j) in pairing.moved
        )
        return ItemChanges(
            tuple(whole(new[j], new_parts[j]) for j in pairing.added),
            tuple(whole(old[i], old_parts[i]) for i in pairing.removed),
            tuple(changed),
            moved,
            tuple(p.title for p in new_parts) if moved else (),
        )

    def area_fields(self, a: Any, b: Any) -> tuple[FieldChange, ...]:
        so, sn = self.old_sources, self.new_sources
        rows: list[Row] = [
            ("titel", "Rubrik", a.titel, b.titel, SUBSTANCE),
            ("nummer", "Nummer", _str(getattr(a, "nummer", None)), _str(getattr(b, "nummer", None)), TEXT),
            ("beskrivning", "Beskrivning", section_text(a.beskrivning, so), section_text(b.beskrivning, sn), TEXT),
            ("orsaker", "Troliga orsaker", section_text(a.orsaker, so), section_text(b.orsaker, sn), TEXT),
            ("mal", "Mål", bullets(a.mal), bullets(b.mal), SUBSTANCE),
            ("grupper", "Ingresser till aktiviteterna", _lead_ins(a), _lead_ins(b), SUBSTANCE),
        ]
        return changes(rows) + extras(a, b, AREA_KEYS, self.old_sources, self.new_sources)

    def promise_fields(self, a: Any, b: Any) -> tuple[FieldChange, ...]:
        self.dates.add(a.period.start, b.period.start)
        self.dates.add(a.period.slut, b.period.slut)
        so, sn = self.old_sources, self.new_sources
        rows: list[Row] = []
        if a.titel or b.titel:  # a title built from the period changes with the period, reported there
            rows.append(("titel", "Rubrik", promise_title(a), promise_title(b), SUBSTANCE))
        own = getattr(self.old, "is_promise", False) and getattr(self.new, "is_promise", False) \
            and a.period == self.old.period and b.period == self.new.period  # the file's period, reported above
        rows += [
            ("period", "Period", None if own else period_text(a.period), None if own else period_text(b.period), SUBSTANCE),
            ("avvikelse_fran_period", "Skäl till avvikande period", a.avvikelse_fran_period, b.avvikelse_fran_period, TEXT),
        ]
        for key, label in PROMISE_SECTIONS:
            rows.append((key, label, section_text(getattr(a, key, None), so), section_text(getattr(b, key, None), sn), TEXT))
        rows.append(("lankar", "Länkar", joined(a.lankar, link_text), joined(b.lankar, link_text), TEXT))
        rows.append(("grupper", "Ingresser till löftena", _lead_ins(a), _lead_ins(b), SUBSTANCE))
        if not (getattr(self.old, "is_promise", False) or getattr(self.new, "is_promise", False)):
            # A medborgarlöfte inside an agreement may be signed on its own; a file that is a löfte is signed above.
            rows += [
                ("undertecknare", "Undertecknare av medborgarlöftet", joined(getattr(a, "undertecknare", []), signatory_text),
                 joined(getattr(b, "undertecknare", []), signatory_text), SUBSTANCE),
                *signing_rows("Medborgarlöftets underskrifter", getattr(a, "undertecknande", None),
                               getattr(b, "undertecknande", None)),
            ]
        return changes(rows) + extras(a, b, PROMISE_KEYS | SIGNING_KEYS, self.old_sources, self.new_sources)

    # -- the rest --

    def general(self) -> tuple[FieldChange, ...]:
        old, new = self.old, self.new
        ko, kn = old.parter.kommun, new.parter.kommun
        po, pn = old.parter.polis, new.parter.polis
        self.dates.add(old.period.start, new.period.start)
        self.dates.add(old.period.slut, new.period.slut)
        self.dates.add(old.document_date, new.document_date)
        return changes(
            [
                ("dokument", "Dokumentslag", _kind(old), _kind(new), SUBSTANCE),
                ("titel", "Titel", old.document_title, new.document_title, TEXT),
                ("period", "Period", period_text(old.period), period_text(new.period), SUBSTANCE),
                ("parter.kommun.namn", "Kommun", ko.namn, kn.namn, SUBSTANCE),
                ("parter.kommun.kortnamn", "Kommunens kortnamn", ko.kortnamn, kn.kortnamn, TEXT),
                ("parter.kommun.kommunkod", "Kommunkod", ko.kommunkod, kn.kommunkod, SUBSTANCE),
                ("parter.polis.lokalpolisomrade", "Lokalpolisområde", po.lokalpolisomrade, pn.lokalpolisomrade, SUBSTANCE),
                ("parter.polis.polisregion", "Polisregion", po.polisregion, pn.polisregion, SUBSTANCE),
                ("status", "Status", old.status.value, new.status.value, ROUTINE),
                ("datum", "Dokumentets datum", date_text(old.document_date), date_text(new.document_date), ROUTINE),
                ("parter.kommun.diarienummer", "Kommunens diarienummer", ko.diarienummer, kn.diarienummer, ROUTINE),
                ("parter.polis.diarienummer", "Polisens diarienummer", po.diarienummer, pn.diarienummer, ROUTINE),
                ("ersatter", "Ersätter", _replaces(old), _replaces(new), ROUTINE),
                *signing_rows("Underskrifterna", getattr(old, "undertecknande", None),
                               getattr(new, "undertecknande", None)),
                *belongs_rows(getattr(old, "overenskommelse", None), getattr(new, "overenskommelse", None)),
            ]
        ) + extras(old, new, TOP_KEYS | SIGNING_KEYS, self.old_sources, self.new_sources)

    def texts(self) -> tuple[FieldChange, ...]:
        old, new = self.old, self.new
        a, b = old.del1, new.del1
        so, sn = self.old_sources, self.new_sources
        rows: list[Row] = []
        for key, label in DEL1_SECTIONS:
            rows.append((f"del1.{key}", label, section_text(getattr(a, key, None), so),
                         section_text(getattr(b, key, None), sn), TEXT))
        rows.append(("del1.delmal", "Delmål", bullets(a.delmal if a else []), bullets(b.delmal if b else []), SUBSTANCE))
        rows.append(("del1.organisation", "Organisation", joined(a.organisation if a else [], forum_text),
                     joined(b.organisation if b else [], forum_text), SUBSTANCE))
        rows.append(("del1.roller", "Roller", joined(a.roller if a else [], role_text),
                     joined(b.roller if b else [], role_text), SUBSTANCE))
        ra = a.kommunens_ansvar if a else None
        rb = b.kommunens_ansvar if b else None
        for key, label in LAW_ITEMS:
            rows.append((f"del1.kommunens_ansvar.{key}", label, getattr(ra, key, None), getattr(rb, key, None), TEXT))
        rows.append(("del2.inledning", "Inledning till del 2", section_text(old.del2.inledning if old.del2 else None, so),
                     section_text(new.del2.inledning if new.del2 else None, sn), TEXT))
        return changes(rows)

    def signing_group(self, person: Any) -> Any:
        """Signatories are printed per party in a model without a signing table, in written order with one."""
        return None if hasattr(self.new, "undertecknande") else value(person.part)

    def signatories(self) -> SignatoryChanges:
        old, new = self.old.undertecknare, self.new.undertecknare
        pairing = pair(old, new, [lambda p: p, lambda p: (p.namn, value(p.part)), lambda p: p.namn,
                                  lambda p: (p.titel, value(p.part))], group=self.signing_group)
        changed: list[tuple[Undertecknare, Undertecknare, tuple[FieldChange, ...]]] = []
        for i, j in pairing.pairs:
            a, b = old[i], new[j]
            self.dates.add(a.datum, b.datum)
            fields = changes(
                [
                    ("namn", "Namn", a.namn, b.namn, SUBSTANCE),
                    ("titel", "Titel", a.titel, b.titel, SUBSTANCE),
                    ("part", "Part", value(a.part), value(b.part), SUBSTANCE),
                    ("ort", "Ort", a.ort, b.ort, SUBSTANCE),
                    ("datum", "Datum", date_text(a.datum), date_text(b.datum), SUBSTANCE),
                ]
            )
            if fields:
                changed.append((a, b, fields))

        def place(people: Sequence[Any], n: int) -> int:
            return sum(1 for p in people[:n] if self.signing_group(p) == self.signing_group(people[n])) + 1

        moved = tuple(SignatoryMove(new[j], place(old, i), place(new, j)) for i, j in pairing.pairs if (i, j) in pairing.moved)
        return SignatoryChanges(
            tuple(new[j] for j in pairing.added), tuple(old[i] for i in pairing.removed), tuple(changed), moved
        )

    def sources(self) -> tuple[FieldChange, ...]:
        old, new = self.old, self.new
        rows: list[Row] = []
        for kind, label, a_list, b_list, render, name in (
            ("kallor", "Källa", old.kallor, new.kallor, source_text, lambda x: x.titel),
            ("egna_metoder", "Metodbeskrivning", old.egna_metoder, new.egna_metoder, method_text, lambda x: x.namn),
        ):
            pairing = pair(a_list, b_list, [lambda x: x.id])
            for i, j in pairing.pairs:
                a, b = a_list[i], b_list[j]  # type: ignore[index]
                rows.append((f"{kind}.{b.id}", f"{label} ”{name(b)}”", render(a), render(b), TEXT))
            rows += [(f"{kind}.{a_list[i].id}", f"{label} ”{name(a_list[i])}”", render(a_list[i]), None, TEXT)
                     for i in pairing.removed]
            rows += [(f"{kind}.{b_list[j].id}", f"{label} ”{name(b_list[j])}”", None, render(b_list[j]), TEXT)
                     for j in pairing.added]
        # Only sources nobody cites are printed in the order of the list.
        a_free = [x for x in old.kallor if x.id not in cited_sources(old.model_dump(mode="json", exclude={"kallor"}))]
        b_free = [x for x in new.kallor if x.id not in cited_sources(new.model_dump(mode="json", exclude={"kallor"}))]
        both = {x.id for x in a_free} & {x.id for x in b_free}
        a_order = [x.titel for x in a_free if x.id in both]
        b_order = [x.titel for x in b_free if x.id in both]
        if a_order != b_order:
            rows.append(("kallor.ordning", "Ordningen bland källor utan hänvisning",
                         "\n".join(a_order), "\n".join(b_order), TEXT))
        return changes(rows)


def _str(x: Any) -> str | None:
    return None if x is None else str(x)


def _kind(agreement: Agreement) -> str:
    kind = value(getattr(agreement, "dokument", None))
    return "medborgarlöfte" if kind == "medborgarlöfte" else "samverkansöverenskommelse"


def _replaces(agreement: Agreement) -> str | None:
    return getattr(agreement, "ersatter", None) or getattr(agreement, "tidigare_version", None)


def _lead_ins(holder: Any) -> str | None:
    """A part's lead-ins and closings of its activity groups, one per line (None without groups)."""
    lines = []
    for g in getattr(holder, "grupper", []):
        head = g.rubrik or " ".join(x for x in (value(g.ansvar), g.verb) if x)
        lines.append(f"• {head}" + (f" … {g.avslutning}" if g.avslutning else ""))
    return "\n".join(lines) or None


AREA_KEYS = {"id", "titel", "nummer", "beskrivning", "orsaker", "mal", "metoder", "aktiviteter", "grupper"}
"""The fields of an area compared above; any other is compared by :func:`.extras.extras`."""

PROMISE_KEYS = {"id", "titel", "period", "avvikelse_fran_period", "inledning", "lagesbild", "mal", "genomforande",
                "uppfoljning", "folj_arbetet", "lankar", "metoder", "aktiviteter", "grupper", "fokusomraden"}

SIGNING_KEYS = {"undertecknare", "undertecknande", "ersatter"}

TOP_KEYS = {"overenskommelse", "titel", "status", "datum", "parter", "period", "tidigare_version", "ersatter", "dokument", "del1", "del2",
            "medborgarloften", "medborgarlofte", "kallor", "egna_metoder", "undertecknare"}


PROMISE_SECTIONS = [
    ("inledning", "Inledning"),
    ("lagesbild", "Lägesbild"),
    ("mal", "Det här ska vi åstadkomma tillsammans"),
    ("genomforande", "Så här ska vi göra"),
    ("uppfoljning", "Uppföljning"),
    ("folj_arbetet", "Följ med i hur det går"),
]

DEL1_SECTIONS = [
    ("bakgrund", "Bakgrund"),
    ("syfte", "Syfte"),
    ("overgripande_mal", "Övergripande mål"),
    ("lagesbild", "Gemensam lägesbild"),
    ("kommunikation", "Kommunikation"),
    ("uppfoljning", "Uppföljning"),
]

LAW_ITEMS = [
    ("lagesbild", "Kommunens lägesbild enligt lag (2023:196)"),
    ("atgardsplan", "Kommunens åtgärdsplan"),
    ("samordningsfunktion", "Kommunens samordningsfunktion"),
]


def _all_methods(agreement: Agreement) -> list[str]:
    ids: list[str] = []
    promises = promises_of(agreement)
    parts = [*(agreement.del2.prioriterade_omraden if agreement.del2 else []), *promises,
             *(o for p in promises for o in getattr(p, "fokusomraden", []))]
    for part in parts:
        ids += [m for m in part.metoder if m not in ids]
    return ids


def compare(old: Agreement, new: Agreement, matching: Matching | None = None) -> Comparison:
    """Compare two versions of an agreement; identical printed content gives an empty result.

    ``matching`` is the structural matching to use (the redline passes the
    one it uses itself); by default it is made here by :func:`.matching.match`.

    >>> compare(agreement, agreement).empty
    True
    """
    m = matching or match(old, new)
    c = _Comparer(old, new, m)
    from .matching import agreement_parts

    old_parts, new_parts = agreement_parts(old), agreement_parts(new)
    result = Comparison(
        old=version(old),
        new=version(new),
        general=c.general(),
        signatories=c.signatories(),
        texts=c.texts(),
        areas=c.items(AREA, old.del2.prioriterade_omraden if old.del2 else [],
                      new.del2.prioriterade_omraden if new.del2 else [], old_parts[AREA], new_parts[AREA]),
        methods=c.methods(_all_methods(old), _all_methods(new)),
        medborgarloften=c.items(PROMISE, promises_of(old), promises_of(new), old_parts[PROMISE], new_parts[PROMISE]),
        focus_areas=c.items(FOCUS, [o for _, o in focus_areas(old)], [o for _, o in focus_areas(new)],
                            old_parts[FOCUS], new_parts[FOCUS]),
        sources=c.sources(),
        moved_activities=c.crossed(),
    )
    result = replace(result, methods=replace(result.methods, order=None))  # order is per part, not overall
    result = routine_dates(result, c.dates.common())
    if result.empty and old.canonical_json() != new.canonical_json():
        return replace(result, general=_leftovers(old, new))
    return result


def _leftovers(old: Agreement, new: Agreement) -> tuple[FieldChange, ...]:
    """Differences in fields the comparison above does not know (a newer model), named by their key.

    A safety net: two versions that print differently never give an empty comparison.
    """
    rows: list[Row] = []

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
            rows.append((path, f"Övrigt: {path}", text(a), text(b), SUBSTANCE))

    walk(visible_order(old.model_dump(mode="json")), visible_order(new.model_dump(mode="json")), "")
    return changes(rows)


__all__ = ["DEL1_SECTIONS", "PROMISE_SECTIONS", "change", "changes", "compare", "version"]
