"""The parts of a document: del 1 and del 2 of an agreement, activities, medborgarlöften, signing.

The models follow how real agreements are written rather than one fixed
form: sections keep the heading the parties wrote, activities keep their
order and their lead-in ("Polisen lovar att:"), focus areas may be numbered,
and a medborgarlöfte carries its own focus areas, situation picture and
signing facts, so it can stand as a document of its own.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .base import Ansvar, Avsnitt, Datum, Id, Lank, Model, Part, Period, Text


class Forum(Model):
    """A forum in the organisation: styrgrupp, arbetsgrupp, lokalt BRÅ …"""

    namn: Text = Field(description='Forumets namn, t.ex. "Styrgrupp" eller "Trygg i Östhammar (lokalt BRÅ)".')
    beskrivning: Text | None = Field(default=None, description="Vad forumet gör och beslutar om.")
    medlemmar: list[Text] = Field(default_factory=list, description="Vilka som ingår (roller, inte namn).")
    motesfrekvens: Text | None = Field(default=None, description='Hur ofta forumet träffas, t.ex. "fyra gånger per år".')


class Roll(Model):
    """A role in the cooperation, e.g. kommunpolis or trygghetssamordnare."""

    titel: Text = Field(description='Rollens namn, t.ex. "Kommunpolis".')
    namn: Text | None = Field(default=None, description="Namn på den som har rollen, om det ska stå i dokumentet.")
    part: Ansvar = Field(description="Vem rollen tillhör: kommunen, polisen eller tillsammans.")
    beskrivning: Text | None = Field(default=None, description="Vad rollen ansvarar för.")


class KommunensAnsvar(Model):
    """How the agreement relates to Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete."""

    lagesbild: Text | None = Field(default=None, description="Kommunens lägesbild enligt lagen: beslut eller var den finns.")
    atgardsplan: Text | None = Field(default=None, description="Kommunens åtgärdsplan enligt lagen.")
    samordningsfunktion: Text | None = Field(default=None, description="Kommunens samordningsfunktion enligt lagen.")


class Del1(Model):
    """Del 1 – hur vi samverkar."""

    bakgrund: Avsnitt | None = Field(default=None, description="Bakgrund till överenskommelsen.")
    syfte: Avsnitt | None = Field(default=None, description="Syftet med samverkan.")
    overgripande_mal: Avsnitt | None = Field(default=None, description="Övergripande mål.")
    delmal: list[Text] = Field(default_factory=list, description="Delmål, ett per punkt.")
    organisation: list[Forum] = Field(default_factory=list, description="Forum för samverkan.")
    roller: list[Roll] = Field(default_factory=list, description="Roller i samverkan.")
    lagesbild: Avsnitt | None = Field(default=None, description="Hur parterna tar fram den gemensamma lägesbilden.")
    kommunikation: Avsnitt | None = Field(default=None, description="Hur parterna kommunicerar arbetet.")
    uppfoljning: Avsnitt | None = Field(default=None, description="Hur samverkan följs upp.")
    kommunens_ansvar: KommunensAnsvar | None = Field(
        default=None, description="Koppling till lag (2023:196) om kommuners ansvar för brottsförebyggande arbete."
    )


class Aktivitet(Model):
    """An activity or promise, in the words of the agreement."""

    text: Text = Field(description='Vad som ska göras, som det står i källan, t.ex. "genomföra trafikkontroller".')
    ansvar: Ansvar | None = Field(
        default=None,
        description="Vem som ansvarar: kommunen, polisen, tillsammans eller var för sig. "
        "Utelämnas det gäller gruppens ansvar.",
    )
    omfattning: Text | None = Field(default=None, description='Mängd, t.ex. "minst 40 trafikkontroller".')
    frekvens: Text | None = Field(default=None, description='Hur ofta, t.ex. "tertialvis".')
    senast: Datum | None = Field(default=None, description="Datum då aktiviteten ska vara klar, ÅÅÅÅ-MM-DD.")
    aktiviteter: list[Aktivitet] = Field(
        default_factory=list, description="Underpunkter: aktiviteter som hör till den här (högst två nivåer till)."
    )


class Aktivitetsgrupp(Model):
    """Activities under one lead-in, e.g. "Polisen lovar att:" followed by its list."""

    ansvar: Ansvar | None = Field(
        default=None, description="Vem som ansvarar för gruppens aktiviteter: kommunen, polisen, tillsammans eller var för sig."
    )
    verb: Text | None = Field(
        default=None,
        description='Löftesverbet för gruppen, t.ex. "lovar att", "åtar sig att", "förbinder sig att" eller '
        '"kommer att". Utelämnas det gäller dokumentets `loftesverb`, annars "ska".',
    )
    rubrik: Text | None = Field(
        default=None,
        description='Ingressen som den står i källan, t.ex. "Polisen lovar i medborgarlöftet för 2020 att:". '
        "Ersätter den ingress som annars byggs av ansvar och verb.",
    )
    aktiviteter: list[Aktivitet] = Field(min_length=1, description="Aktiviteterna, i den ordning de står i källan.")
    avslutning: Text | None = Field(default=None, description="Text efter gruppens lista.")


class Omrade(Model):
    """A prioritised area (prioriterat område / fokusområde), in del 2 or in a medborgarlöfte."""

    id: Id | None = Field(
        default=None,
        description='Kort id för området, t.ex. "trygga-ungdomar". Jämförelser mellan år matchar på id (annars på rubriken).',
    )
    nummer: int | None = Field(default=None, ge=0, le=999, description="Områdets nummer, om källan numrerar områdena (1, 2, 3).")
    titel: Text = Field(description='Områdets rubrik, t.ex. "Trygga ungdomar".')
    beskrivning: Avsnitt | None = Field(default=None, description="Problembeskrivning eller beskrivning av området.")
    orsaker: Avsnitt | None = Field(default=None, description="Troliga orsaker (orsaksanalys).")
    mal: list[Text] = Field(default_factory=list, description="Mätbara mål för området.")
    metoder: list[Id] = Field(default_factory=list, description="Id för metoder ur metodkatalogen (se `samverkan methods`).")
    aktiviteter: list[Aktivitet] = Field(
        default_factory=list, description="Aktiviteter utan egen ingress, i den ordning de står i källan."
    )
    grupper: list[Aktivitetsgrupp] = Field(
        default_factory=list, description='Aktiviteter under en ingress, t.ex. "Polisen åtar sig att:", i källans ordning.'
    )


class Del2(Model):
    """Del 2 – vilka metoder: the prioritised areas."""

    inledning: Avsnitt | None = Field(default=None, description="Inledande text till del 2.")
    prioriterade_omraden: list[Omrade] = Field(
        default_factory=list, description="Prioriterade områden utifrån den gemensamma lägesbilden."
    )


class EgetAvsnitt(Avsnitt):
    """A section the source has and the model has no name for ("Effekter som eftersträvas")."""

    model_config = ConfigDict(json_schema_extra=None)

    id: Id = Field(description='Kort id, t.ex. "effekter"; används i `ordning`.')


class Undertecknare(Model):
    """A person who signs for one of the parties."""

    namn: Text = Field(description="Namn.")
    titel: Text = Field(description='Titel, t.ex. "Kommunstyrelsens ordförande" eller "tf lokalpolisområdeschef".')
    part: Part = Field(description="För vilken part personen skriver under: kommunen eller polisen.")
    ort: Text | None = Field(default=None, description='Ort för just den här underskriften, t.ex. "Oxelösund".')
    datum: Datum | None = Field(default=None, description="Datum för just den här underskriften, ÅÅÅÅ-MM-DD.")


class Undertecknande(Model):
    """The signing itself: where and when, when it is the same for everyone, and the clause above the names."""

    ort: Text | None = Field(default=None, description='Ort där alla skrev under, t.ex. "Kumla".')
    datum: Datum | None = Field(default=None, description="Datum då alla skrev under, ÅÅÅÅ-MM-DD.")
    klausul: Text | None = Field(
        default=None,
        description='Text före underskrifterna, t.ex. "Överenskommelsen har upprättats i två likalydande exemplar, '
        'av vilka parterna tagit var sitt."',
    )
    ort_och_datum_ej_publicerade: bool = Field(
        default=False,
        description="Sant när dokumentet är undertecknat men källan inte anger var eller när (eller varken var "
        "eller när). Det som källan anger (`ort` eller `datum`) skrivs ut; anger den inget av dem står det att "
        "ort och datum inte framgår av den publicerade versionen.",
    )


class Overenskommelsereferens(Model):
    """The samverkansöverenskommelse a medborgarlöfte belongs to, as far as it is known."""

    titel: Text | None = Field(default=None, description='Överenskommelsens titel, t.ex. "Samverkansöverenskommelse 2023–2026".')
    period: Period | None = Field(default=None, description="Överenskommelsens period.")
    diarienummer: Text | None = Field(default=None, description="Överenskommelsens diarienummer.")

    @model_validator(mode="after")
    def _something(self) -> Overenskommelsereferens:
        if self.titel is None and self.period is None and self.diarienummer is None:
            raise PydanticCustomError("empty_section", "hänvisningen är tom – ange `titel`, `period` eller `diarienummer`")
        return self


PROMISE_SECTIONS = ("inledning", "lagesbild", "mal", "fokusomraden", "genomforande", "uppfoljning", "folj_arbetet")
"""The named parts of a medborgarlöfte, in the order they are printed unless `ordning` says otherwise."""


class Lofte(Model):
    """What a medborgarlöfte says: the content shared by a löfte of its own and one inside an agreement."""

    loftesverb: Text | None = Field(
        default=None,
        description='Löftesverbet i hela löftet, t.ex. "lovar att". Utelämnas det gäller dokumentets, annars "ska".',
    )
    inledning: Avsnitt | None = Field(default=None, description="Inledande text om medborgarlöftet (utan rubrik om inte `rubrik` anges).")
    lagesbild: Avsnitt | None = Field(default=None, description="Lägesbilden, med källor. Standardrubrik: Lägesbild.")
    lagesbild_fran: Id | None = Field(
        default=None,
        description="Id för ett annat medborgarlöfte i samma överenskommelse vars lägesbild också gäller det här.",
    )
    mal: Avsnitt | None = Field(default=None, description="Målet. Standardrubrik: Det här ska vi åstadkomma tillsammans.")
    fokusomraden_text: Avsnitt | None = Field(
        default=None,
        description="Rubrik, ingress och avslutande text kring fokusområdena. Standardrubrik: Fokusområden.",
    )
    fokusomraden: list[Omrade] = Field(
        default_factory=list,
        description="Löftets fokusområden, med egna beskrivningar och aktiviteter. Ett område utan innehåll blir en punkt i en lista.",
    )
    genomforande: Avsnitt | None = Field(
        default=None, description="Text före aktiviteterna. Standardrubrik: Så här ska vi göra."
    )
    metoder: list[Id] = Field(default_factory=list, description="Id för metoder som löftet bygger på.")
    aktiviteter: list[Aktivitet] = Field(
        default_factory=list, description="Löften utan egen ingress, i den ordning de står i källan."
    )
    grupper: list[Aktivitetsgrupp] = Field(
        default_factory=list, description='Löften under en ingress, t.ex. "Polisen lovar att:", i källans ordning.'
    )
    uppfoljning: Avsnitt | None = Field(default=None, description="Hur löftet följs upp. Standardrubrik: Uppföljning.")
    folj_arbetet: Avsnitt | None = Field(
        default=None, description="Var invånarna kan följa arbetet. Standardrubrik: Följ med i hur det går."
    )
    lankar: list[Lank] = Field(default_factory=list, description="Länkar där invånarna kan följa arbetet.")
    avsnitt: list[EgetAvsnitt] = Field(
        default_factory=list, description='Andra avsnitt som källan har, med egen rubrik (t.ex. "Effekter som eftersträvas").'
    )
    ordning: list[Annotated[str, Field(pattern=r"^[a-z0-9_]+(-[a-z0-9_]+)*$", max_length=60)]] = Field(
        default_factory=list,
        description="Avsnittens ordning om den skiljer sig från standardordningen: namn bland "
        + ", ".join(PROMISE_SECTIONS)
        + " och id för egna avsnitt.",
    )


class _PromiseHead(Model):
    """What names and dates a medborgarlöfte inside an agreement (printed before its content)."""

    id: Id = Field(description='Kort id, t.ex. "ml-2024". Jämförelser mellan år matchar på id.')
    titel: Text | None = Field(default=None, description='Rubrik, t.ex. "Medborgarlöfte 2024–2025". Utelämnas den byggs den av perioden.')
    period: Period = Field(description="Vilken period löftet gäller.")
    avvikelse_fran_period: Text | None = Field(
        default=None,
        description="Skäl till att löftets period går utanför överenskommelsens period, om den gör det.",
    )
    ersatter: Text | None = Field(default=None, description="Det tidigare medborgarlöfte som detta ersätter, som det ska stå i texten.")


class Medborgarlofte(Lofte, _PromiseHead):
    """A medborgarlöfte inside a samverkansöverenskommelse: its name and period, its content, its own signing."""

    undertecknare: list[Undertecknare] = Field(
        default_factory=list, description="De som skrev under just medborgarlöftet, om det undertecknades för sig."
    )
    undertecknande: Undertecknande | None = Field(default=None, description="Var och när medborgarlöftet undertecknades.")


__all__ = [
    "PROMISE_SECTIONS",
    "Aktivitet",
    "Aktivitetsgrupp",
    "Del1",
    "Del2",
    "EgetAvsnitt",
    "Forum",
    "KommunensAnsvar",
    "Lofte",
    "Medborgarlofte",
    "Omrade",
    "Overenskommelsereferens",
    "Roll",
    "Undertecknande",
    "Undertecknare",
]
