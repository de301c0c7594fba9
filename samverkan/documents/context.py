"""The template context: plain view objects built from a validated Agreement.

Templates never see the models. They see small frozen dataclasses that hold
text ready to print: dates and periods already in Swedish, paragraphs already
split, activities already grouped by party, methods looked up in the catalog,
sources numbered as notes in reading order. A template therefore needs no
logic beyond ``if`` and ``for``, and a kommun's own template gets exactly the
variables documented in docs/template-reference.md, which is generated from
the field descriptions in :mod:`samverkan.views` by
:func:`samverkan.documents.reference.template_reference`.

Every value is data: the renderer inserts it with autoescaping and never
parses it as a template, so ``{{ x }}`` in an agreement stays ``{{ x }}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..model.catalog import methods_for
from ..model.models import (
    Agreement,
    Aktivitet,
    Ansvar,
    Avsnitt,
    Del1,
    Kalla,
    Medborgarlofte,
    Omrade,
    Sida,
    Status,
)
from . import formatting as fmt
from .views import (  # noqa: F401 - the view classes are part of this module's interface
    Activity,
    ActivityGroup,
    Area,
    DocumentInfo,
    Forum,
    Kommun,
    LawItem,
    Method,
    Note,
    PartOne,
    PartTwo,
    Police,
    Promise,
    Role,
    Section,
    Signatory,
    SignatureBlock,
)

DOCUMENTS = ("overenskommelse", "medborgarlofte")

BLANK_PLACE_DATE = "____________________ den ____________________"
SIGNATURE_LINE = "_" * 40

GROUP_HEADINGS = {
    Ansvar.KOMMUNEN: "Kommunen ska",
    Ansvar.POLISEN: "Polisen ska",
    Ansvar.TILLSAMMANS: "Tillsammans ska",
}
PARTY_LABELS = {Ansvar.KOMMUNEN: "Kommunen", Ansvar.POLISEN: "Polisen", Ansvar.TILLSAMMANS: "Tillsammans"}
STATUS_LABELS = {Status.UTKAST: "Utkast", Status.FASTSTALLD: "Fastställd", Status.UNDERTECKNAD: "Undertecknad"}


# -- building ----------------------------------------------------------------


def paragraphs(text: str | None) -> list[str]:
    """Split text on blank lines; lines inside a paragraph join with a space."""
    if not text:
        return []
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks if block.strip()]


class _Notes:
    """Numbers sources in the order the document first cites them."""

    def __init__(self, sources: Sequence[Kalla]):
        self.by_id = {k.id: k for k in sources}
        self.numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> list[Note]:
        notes = []
        for source_id in ids:
            if source_id not in self.by_id:
                continue  # checks.py reports unknown ids; a model built in code may skip them
            number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
            notes.append(self.note(source_id, number))
        return notes

    def note(self, source_id: str, number: int) -> Note:
        k = self.by_id[source_id]
        publisher = ", ".join(p for p in ((k.utgivare or "").strip().rstrip("."), str(k.ar or "")) if p)
        text = k.titel.strip().rstrip(".") + "." + (f" {publisher}." if publisher else "")
        return Note(number=number, marker=f"[{number}]", text=text, url=k.url)

    def all(self, include_uncited: bool) -> list[Note]:
        if include_uncited:
            for source_id in self.by_id:
                self.numbers.setdefault(source_id, len(self.numbers) + 1)
        return [self.note(i, n) for i, n in sorted(self.numbers.items(), key=lambda item: item[1])]


def _section(heading: str, avsnitt: Avsnitt | None, notes: _Notes) -> Section | None:
    if avsnitt is None:
        return None
    paras = paragraphs(avsnitt.text)
    bullets = [" ".join(b.split()) for b in avsnitt.punkter]
    cited = notes.cite(avsnitt.kallor)
    if cited:
        markers = " " + " ".join(n.marker for n in cited)
        if paras:
            paras[-1] += markers
        else:
            bullets[-1] += markers
    return Section(heading=heading, paragraphs=paras, bullets=bullets, notes=cited)


def _activity(a: Aktivitet) -> Activity:
    text = " ".join(a.text.split())
    deadline = fmt.long_date(a.senast) if a.senast else None
    details = [d for d in (a.omfattning, a.frekvens) if d]
    if deadline:
        details.append(f"senast {deadline}")
    joined = "; ".join(" ".join(d.split()) for d in details)
    return Activity(text=text, scope=a.omfattning, frequency=a.frekvens, deadline=deadline, details=joined,
                    line=f"{text} ({joined})" if joined else text)


def _groups(activities: Sequence[Aktivitet]) -> list[ActivityGroup]:
    groups = []
    for party in Ansvar:
        items = [_activity(a) for a in activities if a.ansvar is party]
        if items:
            groups.append(ActivityGroup(party=party.value, heading=GROUP_HEADINGS[party], activities=items))
    return groups


def _methods(ids: Sequence[str], agreement: Agreement) -> list[Method]:
    known = methods_for(agreement)
    result = []
    for method_id in ids:
        m = known.get(method_id)
        if m is None:
            result.append(Method(id=method_id, name=method_id, description="", url=None, bullets=[]))
        else:
            bullets = [" ".join(point.split()) for point in m.punkter]
            result.append(
                Method(id=m.id, name=m.namn, description=" ".join(m.beskrivning.split()), url=m.lank, bullets=bullets)
            )
    return result


def _part_one(a: Agreement, notes: _Notes) -> PartOne:
    kommun, polis = a.parter.kommun, a.parter.polis
    intro = [
        f"Överenskommelsen är ingången mellan {kommun.namn} och Polismyndigheten, genom "
        f"{polis.lokalpolisomrade} i {polis.polisregion}.",
        f"Den gäller {fmt.period_full(a.period)}.",
    ]
    if a.tidigare_version:
        intro.append(f"Den ersätter tidigare överenskommelse {a.tidigare_version.strip()}.")
    parties = Section(heading="Parter och giltighetstid", paragraphs=[" ".join(intro)], bullets=[], notes=[])
    d = a.del1 or Del1()
    law = []
    if d.kommunens_ansvar:
        ka = d.kommunens_ansvar
        for label, text in (("Lägesbild", ka.lagesbild), ("Åtgärdsplan", ka.atgardsplan),
                            ("Samordningsfunktion", ka.samordningsfunktion)):
            if text:
                law.append(LawItem(label=label, text=" ".join(text.split())))
    return PartOne(
        parties=parties,
        background=_section("Bakgrund", d.bakgrund, notes),
        purpose=_section("Syfte", d.syfte, notes),
        overall_goal=_section("Övergripande mål", d.overgripande_mal, notes),
        subgoals=[" ".join(s.split()) for s in d.delmal],
        organisation=[
            Forum(name=f.namn, paragraphs=paragraphs(f.beskrivning), members=list(f.medlemmar), meetings=f.motesfrekvens)
            for f in d.organisation
        ],
        roles=[
            Role(title=r.titel, name=r.namn, party=PARTY_LABELS[r.part], description=" ".join((r.beskrivning or "").split()))
            for r in d.roller
        ],
        situation=_section("Gemensam lägesbild", d.lagesbild, notes),
        communication=_section("Kommunikation", d.kommunikation, notes),
        follow_up=_section("Uppföljning", d.uppfoljning, notes),
        law=law,
        law_heading=LAW_HEADING,
    )


LAW_HEADING = "Kommunens ansvar enligt lag (2023:196)"


def _area(o: Omrade, a: Agreement, notes: _Notes) -> Area:
    return Area(
        id=o.id,
        title=o.titel,
        problem=_section("Problembeskrivning", o.beskrivning, notes),
        causes=_section("Troliga orsaker", o.orsaker, notes),
        goals=[" ".join(m.split()) for m in o.mal],
        methods=_methods(o.metoder, a),
        groups=_groups(o.aktiviteter),
    )


def promise_title(p: Medborgarlofte) -> str:
    return p.titel or f"Medborgarlöfte {fmt.period_text(p.period)}"


def _promise(p: Medborgarlofte, a: Agreement, notes: _Notes) -> Promise:
    period = fmt.period_text(p.period)
    line = f"Medborgarlöftet gäller {fmt.period_full(p.period)}."
    if p.avvikelse_fran_period:
        line += " " + " ".join(p.avvikelse_fran_period.split())
    how = _section("Så här ska vi göra", p.genomforande, notes)
    follow_along = _section("Följ med i hur det går", p.folj_arbetet, notes)
    methods, groups = _methods(p.metoder, a), _groups(p.aktiviteter)
    links = [f"{lank.text}: {lank.url}" if lank.url else lank.text for lank in p.lankar]
    return Promise(
        id=p.id,
        title=promise_title(p),
        period=period,
        period_line=line,
        intro=_section("", p.inledning, notes),
        situation=_section("Situationen idag", p.lagesbild, notes),
        goal=_section("Det här ska vi åstadkomma tillsammans", p.mal, notes),
        how=how,
        how_heading="Så här ska vi göra",
        has_how=bool(how or methods or groups),
        methods=methods,
        groups=groups,
        follow_up=_section("Uppföljning", p.uppfoljning, notes),
        follow_along=follow_along,
        follow_along_heading="Följ med i hur det går",
        links=links,
        has_follow_along=bool(follow_along or links),
    )


def _signatures(a: Agreement) -> list[SignatureBlock]:
    draft = a.status is Status.UTKAST
    blocks = []
    parties = ((Sida.KOMMUN, f"För {a.parter.kommun.namn}"),
               (Sida.POLIS, f"För Polismyndigheten, {a.parter.polis.lokalpolisomrade}"))
    for side, heading in parties:
        signers = []
        for s in a.undertecknare:
            if s.part is not side:
                continue
            dated = not draft and s.ort and s.datum
            place_date = fmt.place_and_date(s.ort, s.datum) if dated else BLANK_PLACE_DATE  # type: ignore[arg-type]
            signers.append(Signatory(place_date=place_date, signature_line=SIGNATURE_LINE, name=s.namn, title=s.titel))
        if not signers:
            signers.append(Signatory(place_date=BLANK_PLACE_DATE, signature_line=SIGNATURE_LINE,
                                     name="Namnförtydligande", title="Titel"))
        blocks.append(SignatureBlock(party=side.value, heading=heading, signatories=signers))
    return blocks


def document_title(agreement: Agreement, document: str) -> str:
    """The title of one of the two documents."""
    if document == "medborgarlofte":
        promises = agreement.medborgarloften
        if len(promises) == 1:
            return promise_title(promises[0])
        return f"Medborgarlöften {fmt.period_text(agreement.period)}"
    return agreement.document_title


def build_context(agreement: Agreement, document: str = "overenskommelse") -> dict[str, Any]:
    """The variables a template sees, for ``document`` (one of :data:`DOCUMENTS`)."""
    if document not in DOCUMENTS:
        raise ValueError(f"unknown document {document!r}; expected one of {DOCUMENTS}")
    full = document == "overenskommelse"
    a = agreement
    kommun, polis = a.parter.kommun, a.parter.polis
    notes = _Notes(a.kallor)
    del1 = del2 = None
    if full:
        del1 = _part_one(a, notes)
        if a.del2 and (a.del2.inledning or a.del2.prioriterade_omraden):
            intro = _section("", a.del2.inledning, notes)
            del2 = PartTwo(intro=intro, areas=[_area(o, a, notes) for o in a.del2.prioriterade_omraden])
    promises = [_promise(p, a, notes) for p in a.medborgarloften]
    fingerprint = a.fingerprint()
    draft = a.status is Status.UTKAST
    references = [f"{name}: {ref}" for name, ref in ((kommun.namn, kommun.diarienummer), ("Polismyndigheten", polis.diarienummer)) if ref]
    info = DocumentInfo(
        kind=document,
        title=document_title(a, document),
        subtitle=f"{kommun.namn} och Polismyndigheten, {polis.lokalpolisomrade}",
        status=a.status.value,
        status_label=STATUS_LABELS[a.status],
        is_draft=draft,
        draft_mark="UTKAST" if draft else "",
        date=fmt.long_date(a.document_date),
        date_iso=fmt.iso_date(a.document_date),
        period=fmt.period_text(a.period),
        period_full=fmt.period_full(a.period),
        fingerprint=fingerprint,
        version_code=f"Versionskod {fingerprint}",
        previous_version=a.tidigare_version,
        header=f"{kommun.namn} \u00b7 {polis.lokalpolisomrade}",
        references=references,
    )
    return {
        "doc": info,
        "kommun": Kommun(name=kommun.namn, place=kommun.ort, code=kommun.kommunkod, reference=kommun.diarienummer),
        "polis": Police(name="Polismyndigheten", area=polis.lokalpolisomrade, region=polis.polisregion,
                        reference=polis.diarienummer),
        "del1": del1,
        "del2": del2,
        "promises": promises,
        "sources": notes.all(include_uncited=full),
        "signatures": _signatures(a) if full else [],
    }
