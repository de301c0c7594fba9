"""The template context: plain view objects built from a validated Agreement.

Templates never see the models. They see small frozen dataclasses that hold
text ready to print: dates and periods already in Swedish, paragraphs already
split, activities in the order and under the lead-ins the parties wrote,
methods looked up in the catalog, source citations placed as footnotes. A
template therefore needs no logic beyond ``if`` and ``for``, and a kommun's
own template gets exactly the variables documented in
docs/template-reference.md, generated from the field descriptions in
:mod:`samverkan.documents.views`.

Two documents come from a file: the document itself (a
samverkansöverenskommelse, or a medborgarlöfte of its own), and for an
agreement that holds medborgarlöften, each of them as a public document.
Nothing is printed that is not in the file or in :mod:`.labels`.

Every value is data: the renderer inserts it with autoescaping and never
parses it as a template, so ``{{ x }}`` in an agreement stays ``{{ x }}``.
"""

from __future__ import annotations

from typing import Any

from ..model.models import Agreement, Del1, Medborgarlofte, Status
from . import formatting as fmt
from .blocks import (
    Notes,
    OwnMethods,
    area,
    areas,
    catalog_information,
    group,
    has_text,
    items,
    one_line,
    paragraphs,
    section,
    text_section,
    verb_of,
)
from .labels import HEADINGS, LABELS, LAW_ITEMS, PARTIES, SENTENCES, STATUS, TITLES
from .signing import signing_view
from .views import (
    Block,
    DocumentInfo,
    Forum,
    Kommun,
    Link,
    PartOne,
    PartTwo,
    Police,
    Promise,
    Role,
    Section,
)

DOCUMENTS = ("overenskommelse", "medborgarlofte")
DEFAULT_ORDER = ("inledning", "lagesbild", "mal", "fokusomraden", "genomforande", "uppfoljning", "folj_arbetet")

__all__ = ["DOCUMENTS", "build_context", "build_with_notes", "document_title", "paragraphs", "promise_title", "Section"]


# -- medborgarlöften ------------------------------------------------------------


def promise_title(p: Medborgarlofte) -> str:
    return one_line(p.titel) if p.titel else TITLES["lofte"].format(period=fmt.period_text(p.period))


def _block(key: str, heading_section: Section | None, **parts: Any) -> Block | None:
    """A block, or None when it has nothing to show (a heading alone is never printed)."""
    content = any(parts.get(k) for k in ("areas", "methods", "method_texts", "items", "groups", "links"))
    if not has_text(heading_section) and not content:
        return None
    sect = heading_section or Section(heading=None, paragraphs=[], items=[], closing=[])
    if sect.heading is None and key in HEADINGS and key != "inledning" and heading_section is None:
        sect = Section(heading=HEADINGS[key], paragraphs=[], items=[], closing=[])
    return Block(key=key, section=sect, areas=parts.get("areas", []),
                 methods=parts.get("methods", []), method_texts=parts.get("method_texts", []),
                 items=parts.get("items", []), groups=parts.get("groups", []),
                 links=parts.get("links", []))


def _blocks(p: Medborgarlofte, a: Agreement, notes: Notes, methods: OwnMethods, shared_from: Medborgarlofte | None,
            in_agreement: bool) -> list[Block]:
    verb = verb_of(p.loftesverb, a.loftesverb)
    made: dict[str, Block | None] = {}
    made["inledning"] = _block("inledning", section(None, p.inledning, notes))
    if p.lagesbild is not None:
        made["lagesbild"] = _block("lagesbild", section(HEADINGS["lagesbild"], p.lagesbild, notes))
    elif shared_from is not None and shared_from.lagesbild is not None:
        if in_agreement:  # printed once, under the promise it belongs to
            said = SENTENCES["gemensam_lagesbild"].format(lofte=promise_title(shared_from))
            made["lagesbild"] = _block("lagesbild", text_section(HEADINGS["lagesbild"], [said]))
        else:
            made["lagesbild"] = _block("lagesbild", section(HEADINGS["lagesbild"], shared_from.lagesbild, notes))
    made["mal"] = _block("mal", section(HEADINGS["mal"], p.mal, notes))
    numbered = bool(p.fokusomraden_text and p.fokusomraden_text.numrerad)
    made["fokusomraden"] = _block(
        "fokusomraden", section(HEADINGS["fokusomraden"], p.fokusomraden_text, notes),
        areas=areas(p.fokusomraden, methods, notes, part_two=False, verb=verb, numbered=numbered),
    )
    refs, texts = methods.split(p.metoder)
    made["genomforande"] = _block(
        "genomforande", section(HEADINGS["genomforande"], p.genomforande, notes), methods=refs, method_texts=texts,
        items=_activity_items(p, notes), groups=[group(g, verb, notes) for g in p.grupper],
    )
    made["uppfoljning"] = _block("uppfoljning", section(HEADINGS["uppfoljning"], p.uppfoljning, notes))
    made["folj_arbetet"] = _block(
        "folj_arbetet", section(HEADINGS["folj_arbetet"], p.folj_arbetet, notes),
        links=[Link(text=k.text, url=k.url) for k in p.lankar],
    )
    for own in p.avsnitt:
        made[own.id] = _block(own.id, section(None, own, notes))
    order = list(p.ordning) or [*DEFAULT_ORDER, *(s.id for s in p.avsnitt)]
    return [b for key in order if (b := made.get(key)) is not None]


def _activity_items(p: Medborgarlofte, notes: Notes) -> list[Any]:
    from .blocks import activity_items

    return activity_items(p.aktiviteter, notes)


def _promise(p: Medborgarlofte, a: Agreement, notes: Notes, methods: OwnMethods, *, in_agreement: bool) -> Promise:
    facts = []
    title = promise_title(p)
    period = fmt.period_text(p.period)
    if in_agreement:
        if p.avvikelse_fran_period or period not in title:
            facts.append(SENTENCES["lofte_giltighet"].format(period=fmt.period_full(p.period)))
        if p.avvikelse_fran_period:
            facts += paragraphs(p.avvikelse_fran_period)
        if p.ersatter:
            facts.append(SENTENCES["lofte_ersatter"].format(ersatter=one_line(p.ersatter)))
    shared = next((q for q in a.medborgarloften if q.id == p.lagesbild_fran), None) if p.lagesbild_fran else None
    signing = None
    if in_agreement and (p.undertecknare or p.undertecknande):
        signing = signing_view(a, p.undertecknare, p.undertecknande, draft=a.status is Status.UTKAST)
    return Promise(id=p.id, title=title, period=period, facts=facts,
                   blocks=_blocks(p, a, notes, methods, shared, in_agreement), signing=signing)


# -- del 1 and del 2 ----------------------------------------------------------------


def _part_one(a: Agreement, notes: Notes) -> PartOne:
    kommun, polis = a.parter.kommun, a.parter.polis
    said = [
        SENTENCES["parter"].format(kommun=kommun.namn, lokalpolisomrade=polis.lokalpolisomrade, polisregion=polis.polisregion)
        if polis.polisregion else SENTENCES["parter_utan_region"].format(kommun=kommun.namn, lokalpolisomrade=polis.lokalpolisomrade),
    ]
    if not a.period.ej_publicerad:
        said.append(SENTENCES["giltighet"].format(period=fmt.period_full(a.period)))
    if a.ersatter:
        said.append(SENTENCES["ersatter"].format(ersatter=one_line(a.ersatter)))
    d = a.del1 or Del1()
    first = [section(HEADINGS[k], getattr(d, k), notes) for k in ("bakgrund", "syfte", "overgripande_mal")]
    more = [
        section(HEADINGS["del1.lagesbild"], d.lagesbild, notes),
        section(HEADINGS["kommunikation"], d.kommunikation, notes),
        section(HEADINGS["del1.uppfoljning"], d.uppfoljning, notes),
    ]
    if d.kommunens_ansvar:
        ka = d.kommunens_ansvar
        law = [LABELS["lag_punkt"].format(rubrik=LAW_ITEMS[k], text=notes.inline(one_line(t)))
               for k in LAW_ITEMS if (t := getattr(ka, k))]
        more.append(text_section(HEADINGS["lag"], law) if law else None)
    subgoals = Section(heading=HEADINGS["delmal"], paragraphs=[], items=items(d.delmal, notes), closing=[]) if d.delmal else None
    return PartOne(
        parties=text_section(HEADINGS["parter_utan_period" if a.period.ej_publicerad else "parter"], [" ".join(said)]),
        sections=[s for s in first if has_text(s)],
        subgoals=subgoals,
        organisation=[
            Forum(name=one_line(f.namn), paragraphs=[notes.inline(p) for p in paragraphs(f.beskrivning)],
                  members=[one_line(m) for m in f.medlemmar], meetings=one_line(f.motesfrekvens) if f.motesfrekvens else None)
            for f in d.organisation
        ],
        roles=[
            Role(title=one_line(r.titel), name=one_line(r.namn) if r.namn else "",
                 party=PARTIES[r.part.value], description=notes.inline(one_line(r.beskrivning or "")))
            for r in d.roller
        ],
        role_descriptions=any(r.beskrivning for r in d.roller),
        role_names=any(r.namn for r in d.roller),
        more=[s for s in more if has_text(s)],
    )


def _part_two(a: Agreement, notes: Notes, methods: OwnMethods) -> PartTwo | None:
    if a.del2 is None or not (a.del2.inledning or a.del2.prioriterade_omraden):
        return None
    verb = verb_of(a.loftesverb)
    intro = section(None, a.del2.inledning, notes)
    numbered = bool(a.del2.inledning and a.del2.inledning.numrerad)
    return PartTwo(
        intro=intro if has_text(intro) else None,
        areas=areas(a.del2.prioriterade_omraden, methods, notes, part_two=True, verb=verb, numbered=numbered),
    )


# -- the document --------------------------------------------------------------------


def document_title(agreement: Agreement, document: str, promise: Medborgarlofte | None = None) -> str:
    """The title of a document as printed on its first page."""
    if document == "medborgarlofte" and not agreement.is_promise:
        chosen = promise or _chosen(agreement, None)
        if chosen is None:
            return TITLES["loften"].format(period=fmt.period_text(agreement.period))
        if chosen.titel:
            return one_line(chosen.titel)
        return TITLES["medborgarlofte"].format(ar=fmt.period_years(chosen.period), kommun=agreement.parter.kommun.namn)
    return one_line(agreement.document_title)


def metadata_title(agreement: Agreement, document: str, promise: Medborgarlofte | None = None) -> str:
    """The title in the file's properties and the web page's <title>: the printed title, with the years and the
    kommun's name added when it lacks them (the title must say whose document it is, WCAG 2.4.2)."""
    title = document_title(agreement, document, promise)
    period = promise.period if promise is not None else agreement.period
    years = fmt.period_years(period)
    kommun = agreement.parter.kommun
    if not period.ej_publicerad:
        if str(period.start.year) not in title:
            title = TITLES["metadata_ar"].format(titel=title, ar=years)
        elif period.slut is not None and period.slut.year != period.start.year and years not in title.replace("-", "\u2013"):
            title = TITLES["metadata_period"].format(titel=title, period=years)  # "Medborgarlöfte 2024 (2024–2025)"
    if kommun.namn not in title:  # "Askersund – medborgarlöften" names a place, not who stands behind it
        title = TITLES["metadata_kommun"].format(titel=title, kommun=kommun.namn)
    return title


def _chosen(agreement: Agreement, promise_id: str | None) -> Medborgarlofte | None:
    promises = agreement.promises()
    if promise_id is not None:
        for p in promises:
            if p.id == promise_id:
                return p
        raise ValueError(f"no medborgarlöfte with id {promise_id!r}")
    return promises[-1] if promises else None


def _facts(a: Agreement, promise: Medborgarlofte | None) -> list[str]:
    kommun, polis = a.parter.kommun, a.parter.polis
    facts = []  # the parties stand in the subtitle (and in del 1); the version code in every page's footer
    period = promise.period if promise is not None else a.period
    if not period.ej_publicerad:
        facts.append(LABELS["period"].format(period=fmt.period_full(period)))
    if promise is not None and not a.is_promise:
        title = one_line(a.document_title)
        dated = str(a.period.start.year) in title or a.period.ej_publicerad
        named = title if dated else f"{title}, {fmt.period_full(a.period)}"
        facts.append(LABELS["ingar_i"].format(overenskommelse=named))
    elif a.overenskommelse is not None:
        ref = a.overenskommelse
        period_said = fmt.period_full(ref.period) if ref.period else None
        title = one_line(ref.titel) if ref.titel else (TITLES["referens"].format(period=period_said) if period_said else None)
        if ref.titel and period_said and period_said not in title:
            title = f"{title}, {period_said}"
        named = ", ".join(x for x in (title, one_line(ref.diarienummer) if ref.diarienummer else None) if x)
        facts.append(LABELS["ingar_i"].format(overenskommelse=named))
    for name, ref in ((kommun.namn, kommun.diarienummer), (PARTIES["polismyndigheten"], polis.diarienummer)):
        if ref:
            facts.append(LABELS["diarienummer"].format(part=name, diarienummer=one_line(ref)))
    replaced = promise.ersatter if promise is not None and not a.is_promise else a.ersatter
    if replaced:
        facts.append(LABELS["ersatter"].format(ersatter=one_line(replaced)))
    facts.append(LABELS["status"].format(status=STATUS[a.status.value]))
    if a.datum:
        facts.append(LABELS["datum"].format(datum=fmt.long_date(a.datum)))
    return facts


def build_context(agreement: Agreement, document: str = "overenskommelse", promise_id: str | None = None) -> dict[str, Any]:
    """The variables a template sees, for ``document`` (one of :data:`DOCUMENTS`).

    ``medborgarlofte`` is one medborgarlöfte as a public document: the file
    itself when it is one, else the agreement's promise ``promise_id`` (by
    default its last).
    """
    return build_with_notes(agreement, document, promise_id)[0]


def build_with_notes(
    agreement: Agreement, document: str = "overenskommelse", promise_id: str | None = None
) -> tuple[dict[str, Any], Notes]:
    """The template's variables, and the footnotes their texts hold places for."""
    if document not in DOCUMENTS:
        raise ValueError(f"unknown document {document!r}; expected one of {DOCUMENTS}")
    a = agreement
    kommun, polis = a.parter.kommun, a.parter.polis
    notes = Notes(a.kallor)
    draft = a.status is Status.UTKAST
    fingerprint = a.fingerprint()
    del1 = del2 = None
    public = document == "medborgarlofte" or a.is_promise
    chosen = _chosen(a, promise_id) if public else None
    methods = OwnMethods(a, notes, at_reference=a.is_promise)
    if public:
        promises = [_promise(chosen, a, notes, methods, in_agreement=False)] if chosen is not None else []
        show_signing = a.is_promise and (bool(a.undertecknare) or a.undertecknande is not None or draft)
        show_signing = show_signing or (not a.is_promise and chosen is not None and bool(chosen.undertecknare))
        signing = None
        if show_signing and chosen is not None:
            signing = signing_view(a, chosen.undertecknare, chosen.undertecknande, draft=draft)
    else:
        del1 = _part_one(a, notes)
        del2 = _part_two(a, notes, methods)
        promises = [_promise(p, a, notes, methods, in_agreement=True) for p in a.medborgarloften]
        own_rest = methods.rest()  # texts of methods nothing refers to: after del 2
        signing = signing_view(a, a.undertecknare, a.undertecknande, draft=draft)
    own_methods = own_rest if not public else (methods.rest() if a.is_promise else [])
    kind = "medborgarlofte" if public else "overenskommelse"
    info = DocumentInfo(
        kind=kind,
        title=document_title(a, document, chosen if not a.is_promise else None),
        subtitle=LABELS["underrubrik"].format(kommun=kommun.namn, lokalpolisomrade=polis.lokalpolisomrade),
        status=a.status.value,
        status_label=STATUS[a.status.value],
        is_draft=draft,
        draft_mark="UTKAST" if draft else "",
        draft_banner=SENTENCES["utkast"] if draft else "",
        date=fmt.long_date(a.datum) if a.datum else None,
        period=fmt.period_text(chosen.period if chosen is not None else a.period),
        facts=_facts(a, chosen if public else None),
        fingerprint=fingerprint,
        version_code=LABELS["versionskod_sidfot"].format(kod=fingerprint),
        header=LABELS["sidhuvud"].format(kommun=kommun.namn, lokalpolisomrade=polis.lokalpolisomrade),
    )
    return {
        "doc": info,
        "kommun": Kommun(name=kommun.namn, place=kommun.ort, code=kommun.kommunkod, reference=kommun.diarienummer),
        "polis": Police(name=PARTIES["polismyndigheten"], area=polis.lokalpolisomrade, region=polis.polisregion,
                        reference=polis.diarienummer),
        "del1": del1,
        "del2": del2,
        "promises": promises,
        "own_methods": own_methods,
        "method_info": catalog_information(a),
        "sources": notes.listing(include_uncited=not public or a.is_promise),
        "signing": signing,
    }, notes
