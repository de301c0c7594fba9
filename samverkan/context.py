"""The template context: plain view objects built from a validated Agreement.

Templates never see the models. They see small frozen dataclasses that hold
text ready to print: dates and periods already in Swedish, paragraphs already
split, activities already grouped by party, methods looked up in the catalog,
sources numbered as notes in reading order. A template therefore needs no
logic beyond ``if`` and ``for``, and a kommun's own template gets exactly the
variables documented in docs/template-reference.md, which is generated from
the field descriptions below by :func:`template_reference`.

Every value is data: the renderer inserts it with autoescaping and never
parses it as a template, so ``{{ x }}`` in an agreement stays ``{{ x }}``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import formatting as fmt
from .catalog import methods_for
from .models import Agreement, Aktivitet, Ansvar, Avsnitt, Del1, Kalla, Medborgarlofte, Omrade, Sida, Status

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


def doc(text: str, default: Any = dataclasses.MISSING) -> Any:
    """A dataclass field with the Swedish description shown in the template reference."""
    if default is dataclasses.MISSING:
        return field(metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


# -- view objects ------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """En källa som not. Numreras i läsordning; texten hänvisar till den med `[1]`."""

    number: int = doc("Notens nummer, 1, 2, 3 …")
    marker: str = doc("Hänvisningen som den står i texten, t.ex. `[1]`.")
    text: str = doc("Källan som en rad: titel, utgivare och år (från `kallor`).")
    url: str | None = doc("Källans webbadress, eller None.")


@dataclass(frozen=True)
class Section:
    """Ett avsnitt med rubrik, stycken och punkter (från ett `Avsnitt` i YAML)."""

    heading: str = doc("Avsnittets rubrik, t.ex. `Syfte` eller `Situationen idag`.")
    paragraphs: list[str] = doc("Styckena (tom rad i YAML skiljer stycken). Sista stycket slutar med nothänvisningarna.")
    bullets: list[str] = doc("Punktlistan efter styckena (`punkter`).")
    notes: list[Note] = doc("Källorna avsnittet hänvisar till.")


@dataclass(frozen=True)
class Method:
    """En arbetsmetod ur metodkatalogen eller `egna_metoder`."""

    id: str = doc("Metodens id, t.ex. `est`.")
    name: str = doc("Metodens namn, t.ex. `Effektiv samordning för trygghet (EST)`.")
    description: str = doc("Kort beskrivning av metoden.")
    url: str | None = doc("Länk med mer information, eller None.")
    bullets: list[str] = doc("Punktlistan efter beskrivningen (`punkter`), kan vara tom.")


@dataclass(frozen=True)
class Activity:
    """En aktivitet (`aktiviteter`)."""

    text: str = doc("Vad som ska göras.")
    scope: str | None = doc("Omfattning (`omfattning`), eller None.")
    frequency: str | None = doc("Frekvens (`frekvens`), eller None.")
    deadline: str | None = doc("Klart senast, som lång datumtext (`1 juni 2024`), eller None.")
    details: str = doc("Omfattning, frekvens och slutdatum i en text, t.ex. `minst 40; tertialvis; senast 1 juni 2024`. Tom om inget finns.")
    line: str = doc("Texten med detaljerna inom parentes: en färdig punkt i en lista.")


@dataclass(frozen=True)
class ActivityGroup:
    """Aktiviteterna för en ansvarig part."""

    party: str = doc("`kommunen`, `polisen` eller `tillsammans`.")
    heading: str = doc("`Kommunen ska`, `Polisen ska` eller `Tillsammans ska`.")
    activities: list[Activity] = doc("Aktiviteterna i den ordning de står i YAML.")


@dataclass(frozen=True)
class Forum:
    """Ett forum i organisationen (`del1.organisation`)."""

    name: str = doc("Forumets namn.")
    paragraphs: list[str] = doc("Beskrivningen som stycken.")
    members: list[str] = doc("Vilka som ingår.")
    meetings: str | None = doc("Hur ofta forumet träffas, eller None.")


@dataclass(frozen=True)
class Role:
    """En roll i samverkan (`del1.roller`)."""

    title: str = doc("Rollens namn, t.ex. `Kommunpolis`.")
    name: str | None = doc("Namn på den som har rollen, eller None.")
    party: str = doc("`Kommunen`, `Polisen` eller `Tillsammans`.")
    description: str = doc("Vad rollen ansvarar för (tom text om inget angetts).")


@dataclass(frozen=True)
class LawItem:
    """En del av kommunens ansvar enligt lag (2023:196)."""

    label: str = doc("`Lägesbild`, `Åtgärdsplan` eller `Samordningsfunktion`.")
    text: str = doc("Vad överenskommelsen säger om den.")


@dataclass(frozen=True)
class PartOne:
    """Del 1 – hur vi samverkar. Bara i överenskommelsen (None i medborgarlöftet)."""

    parties: Section = doc("Parter och giltighetstid: alltid med, byggs av `parter`, `period` och `tidigare_version`.")
    background: Section | None = doc("Bakgrund, eller None.")
    purpose: Section | None = doc("Syfte, eller None.")
    overall_goal: Section | None = doc("Övergripande mål, eller None.")
    subgoals: list[str] = doc("Delmålen.")
    organisation: list[Forum] = doc("Forumen för samverkan.")
    roles: list[Role] = doc("Rollerna.")
    situation: Section | None = doc("Gemensam lägesbild, eller None.")
    communication: Section | None = doc("Kommunikation, eller None.")
    follow_up: Section | None = doc("Uppföljning, eller None.")
    law: list[LawItem] = doc("Kopplingen till lag (2023:196); tom lista om `kommunens_ansvar` saknas.")
    law_heading: str = doc("Rubriken för lagavsnittet.")


@dataclass(frozen=True)
class Area:
    """Ett prioriterat område i del 2."""

    id: str = doc("Områdets id.")
    title: str = doc("Områdets rubrik.")
    problem: Section | None = doc("Problembeskrivning, eller None.")
    causes: Section | None = doc("Troliga orsaker, eller None.")
    goals: list[str] = doc("De mätbara målen.")
    methods: list[Method] = doc("Metoderna.")
    groups: list[ActivityGroup] = doc("Aktiviteterna grupperade per ansvarig part; bara grupper som har aktiviteter.")


@dataclass(frozen=True)
class PartTwo:
    """Del 2 – vilka metoder. None om överenskommelsen saknar del 2, och i medborgarlöftet."""

    intro: Section | None = doc("Inledning, eller None.")
    areas: list[Area] = doc("De prioriterade områdena.")


@dataclass(frozen=True)
class Promise:
    """Ett medborgarlöfte."""

    id: str = doc("Löftets id.")
    title: str = doc("Rubrik, t.ex. `Medborgarlöfte 2024–2025`.")
    period: str = doc("Perioden, t.ex. `2024–2025`.")
    period_line: str = doc("En mening om perioden, med avvikelsen från överenskommelsens period om en sådan finns.")
    intro: Section | None = doc("Inledning (utan rubrik i mallen), eller None.")
    situation: Section | None = doc("Situationen idag (lägesbild), eller None.")
    goal: Section | None = doc("Det här ska vi åstadkomma tillsammans, eller None.")
    how: Section | None = doc("Så här ska vi göra: löptext före aktiviteterna, eller None.")
    how_heading: str = doc("Rubriken `Så här ska vi göra`.")
    has_how: bool = doc("Sant om `how`, `methods` eller `groups` har innehåll.")
    methods: list[Method] = doc("Metoderna löftet bygger på.")
    groups: list[ActivityGroup] = doc("Löftena grupperade per ansvarig part.")
    follow_up: Section | None = doc("Uppföljning, eller None.")
    follow_along: Section | None = doc("Följ med i hur det går (löptext), eller None.")
    follow_along_heading: str = doc("Rubriken `Följ med i hur det går`.")
    links: list[str] = doc("Länkarna som färdiga rader, t.ex. `PolisenOxelosund på Facebook: https://…`.")
    has_follow_along: bool = doc("Sant om `follow_along` eller `links` har innehåll.")


@dataclass(frozen=True)
class Signatory:
    """En undertecknare på underskriftssidan."""

    place_date: str = doc("Ort och datum, t.ex. `Oxelösund den 12 mars 2024`; tomma linjer i ett utkast.")
    signature_line: str = doc("Linjen att skriva under på.")
    name: str = doc("Namnförtydligande.")
    title: str = doc("Titel.")


@dataclass(frozen=True)
class SignatureBlock:
    """Underskrifterna för en part."""

    party: str = doc("`kommun` eller `polis`.")
    heading: str = doc("T.ex. `För Oxelösunds kommun`.")
    signatories: list[Signatory] = doc("Undertecknarna; i ett utkast utan undertecknare en tom rad att fylla i.")


@dataclass(frozen=True)
class Kommun:
    """Kommunen som part."""

    name: str = doc("Kommunens namn, t.ex. `Oxelösunds kommun`.")
    place: str = doc("Orten, t.ex. `Oxelösund`.")
    code: str | None = doc("Kommunkoden, eller None.")
    reference: str | None = doc("Kommunens diarienummer, eller None.")


@dataclass(frozen=True)
class Police:
    """Polisen som part."""

    name: str = doc("Alltid `Polismyndigheten`.")
    area: str = doc("Lokalpolisområdet, t.ex. `Lokalpolisområde Nyköping`.")
    region: str = doc("Polisregionen, t.ex. `Polisregion Öst`.")
    reference: str | None = doc("Polisens diarienummer, eller None.")


@dataclass(frozen=True)
class DocumentInfo:
    """Uppgifter om dokumentet som helhet."""

    kind: str = doc("`overenskommelse` eller `medborgarlofte`.")
    title: str = doc("Dokumentets titel (står också i dokumentegenskaperna).")
    subtitle: str = doc("Underrubrik: parterna.")
    status: str = doc("`utkast`, `fastställd` eller `undertecknad`.")
    status_label: str = doc("Status för läsaren: `Utkast`, `Fastställd` eller `Undertecknad`.")
    is_draft: bool = doc("Sant om status är utkast.")
    draft_mark: str = doc("`UTKAST` i ett utkast, annars tom text.")
    date: str = doc("Dokumentdatum som lång datumtext (`12 mars 2024`).")
    date_iso: str = doc("Dokumentdatum som ÅÅÅÅ-MM-DD.")
    period: str = doc("Överenskommelsens period, t.ex. `2024–2025`.")
    period_full: str = doc("Perioden med revideringsnotering, om en sådan finns.")
    fingerprint: str = doc("Versionskoden: 12 tecken som ändras när innehållet ändras.")
    version_code: str = doc("`Versionskod <fingerprint>` för sidfoten.")
    previous_version: str | None = doc("Versionen som denna ersätter, eller None.")
    header: str = doc("Sidhuvudets text: kommunens och lokalpolisområdets namn.")
    references: list[str] = doc("Diarienumren som rader, t.ex. `Oxelösunds kommun: KS 2023/388`.")


# The top-level variables, in the order the reference lists them.
VARIABLES: dict[str, tuple[str, str]] = {
    "doc": ("DocumentInfo", "Titel, status, datum, period och versionskod."),
    "kommun": ("Kommun", "Kommunen."),
    "polis": ("Police", "Polisen."),
    "del1": ("PartOne | None", "Del 1 – hur vi samverkar (None i medborgarlöftet)."),
    "del2": ("PartTwo | None", "Del 2 – prioriterade områden (None om den saknas, och i medborgarlöftet)."),
    "promises": ("list[Promise]", "Medborgarlöftena."),
    "sources": ("list[Note]", "Källorna som numrerade noter (i medborgarlöftet bara de som citeras där)."),
    "signatures": ("list[SignatureBlock]", "Underskrifterna per part, kommunen först (tom lista i medborgarlöftet)."),
}
VIEW_CLASSES = (DocumentInfo, Kommun, Police, PartOne, Forum, Role, LawItem, PartTwo, Area, Method,
                ActivityGroup, Activity, Promise, Section, Note, SignatureBlock, Signatory)


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
