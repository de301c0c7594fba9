"""Pydantic models of one version of a samverkansöverenskommelse.

The YAML keys are Swedish words folded to ASCII snake_case (``lagesbild``,
``prioriterade_omraden``, ``medborgarloften``): easy to type on any keyboard
and safe in every tool, while the *values* are ordinary Swedish text. Enum
values are real Swedish words (``fastställd``, ``tillsammans``).

Every field has a Swedish description: it becomes the tooltip an editor shows
from the JSON Schema in ``schemas/``. Models only check what one value can
check on its own (types, formats, end after start). Rules that look across the
file (method ids, source ids, unique ids, the medborgarlöfte inside the
agreement period, signing data for a signed version) live in
:mod:`samverkan.checks`, so every one of them can point at its own line.
"""

from __future__ import annotations

import hashlib
import json
import re
import types
import typing
import weakref
from datetime import date
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .canonical import normal_text, visible_order
from .characters import refusal, refused_character


def _check_text(value: str) -> str:
    bad = refused_character(value)
    if bad:
        raise PydanticCustomError("control_character", "{message}", {"message": refusal(bad.group(), bad.start() + 1)})
    if not value.strip():
        raise PydanticCustomError("empty_text", "texten är tom – skriv något eller ta bort fältet")
    return value


Text = Annotated[str, AfterValidator(_check_text), AfterValidator(normal_text)]
"""Any user text: non-empty, none of the characters :mod:`.characters` refuses, whitespace as printed
(paragraphs at blank lines, single spaces; see :mod:`.canonical`)."""


_NUMERIC = re.compile(r"\s*[-+]?[0-9]+(\.[0-9]*)?\s*")


def _no_timestamp(value: Any) -> Any:
    # pydantic would read a number, or text of digits, as a Unix timestamp (`start: 0` → 1970-01-01)
    # and accept it silently; a date in an agreement is always ÅÅÅÅ-MM-DD.
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number or (isinstance(value, str) and _NUMERIC.fullmatch(value)):
        raise PydanticCustomError("date_type", "ett datum ska skrivas som ÅÅÅÅ-MM-DD")
    return value


Datum = Annotated[date, BeforeValidator(_no_timestamp)]
"""A date written as ÅÅÅÅ-MM-DD; never a number."""

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=60,
        json_schema_extra={"examples": ["grannsamverkan", "trygga-ungdomar"]},
    ),
]
"""A short id: lowercase a–z, digits and hyphens (``trygga-ungdomar``)."""


class Model(BaseModel):
    """Base for all models: unknown keys are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Status(str, Enum):
    """Where in its life an agreement version is."""

    UTKAST = "utkast"
    FASTSTALLD = "fastställd"
    UNDERTECKNAD = "undertecknad"


class Ansvar(str, Enum):
    """Who carries out an activity."""

    KOMMUNEN = "kommunen"
    POLISEN = "polisen"
    TILLSAMMANS = "tillsammans"


class Sida(str, Enum):
    """Which party a signatory signs for."""

    KOMMUN = "kommun"
    POLIS = "polis"


class Period(Model):
    """A period: start date, optional end date, optional note on revision."""

    start: Datum = Field(description="Första dag som gäller, ÅÅÅÅ-MM-DD (t.ex. 2024-01-01).")
    slut: Datum | None = Field(
        default=None,
        description="Sista dag som gäller, ÅÅÅÅ-MM-DD. Utelämna för en period som gäller tills vidare.",
    )
    revidering: Text | None = Field(
        default=None,
        description='Hur och när perioden ses över, t.ex. "revideras vart tredje år".',
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> Period:
        if self.slut is not None and self.slut < self.start:
            raise PydanticCustomError(
                "period_order",
                "periodens slut ({slut}) ligger före dess start ({start}) – rätta datumen",
                {"slut": self.slut.isoformat(), "start": self.start.isoformat()},
            )
        return self


class Kommun(Model):
    """The kommun as a party to the agreement."""

    namn: Text = Field(description='Kommunens namn som det skrivs i dokumentet, t.ex. "Oxelösunds kommun".')
    kortnamn: Text | None = Field(
        default=None,
        description='Ortens namn utan "kommun", t.ex. "Oxelösund". Används i filnamn och löpande text; '
        "utelämnas det tas det fram ur namnet.",
    )
    kommunkod: Annotated[str, Field(pattern=r"^\d{4}$")] | None = Field(
        default=None,
        description='Kommunkoden (fyra siffror) inom citattecken, t.ex. "0481".',
    )
    diarienummer: Text | None = Field(
        default=None, description='Kommunens diarienummer för överenskommelsen, t.ex. "KS 2023/388".'
    )

    @property
    def ort(self) -> str:
        """The place name without "kommun" ("Oxelösunds kommun" → "Oxelösund")."""
        if self.kortnamn:
            return self.kortnamn
        name = re.sub(r"\s+kommun$", "", self.namn.strip())
        # "Oxelösunds kommun" carries a genitive -s; "Strängnäs kommun" and
        # "Kramfors kommun" do not (vowel + s, -fors). Other exceptions set
        # `kortnamn`.
        if name != self.namn.strip() and re.search(r"[^aeiouyåäö]s$", name) and not name.endswith("fors"):
            name = name[:-1]
        return name


class Polis(Model):
    """The police as a party: the lokalpolisområde inside a polisregion."""

    lokalpolisomrade: Text = Field(description='Lokalpolisområdet, t.ex. "Lokalpolisområde Nyköping".')
    polisregion: Text = Field(description='Polisregionen, t.ex. "Polisregion Öst".')
    diarienummer: Text | None = Field(default=None, description="Polisens diarienummer för överenskommelsen.")


class Parter(Model):
    """The two parties."""

    kommun: Kommun = Field(description="Kommunen.")
    polis: Polis = Field(description="Polisen (Polismyndigheten genom lokalpolisområdet).")


class Kalla(Model):
    """A source, e.g. a safety survey, cited from a lägesbild and rendered as a note."""

    id: Id = Field(description='Kort id som texterna hänvisar till, t.ex. "trygghetsmatning-2019".')
    titel: Text = Field(description='Källans titel, t.ex. "Polisens trygghetsmätning 2019".')
    utgivare: Text | None = Field(default=None, description='Vem som gett ut källan, t.ex. "Origo Group".')
    ar: int | None = Field(default=None, ge=1900, le=2200, description="Utgivningsår.")
    url: Text | None = Field(default=None, description="Webbadress till källan.")


class Lank(Model):
    """A link shown to readers."""

    text: Text = Field(description='Länktext, t.ex. "PolisenOxelosund på Facebook".')
    url: Text | None = Field(default=None, description="Webbadressen.")


class Metod(Model):
    """A working method, e.g. EST or Grannsamverkan."""

    id: Id = Field(description='Metodens id, t.ex. "est".')
    namn: Text = Field(description='Metodens namn, t.ex. "Effektiv samordning för trygghet (EST)".')
    beskrivning: Text = Field(description="Kort beskrivning med egna ord.")
    punkter: list[Text] = Field(
        default_factory=list,
        description="Punktlista efter beskrivningen, t.ex. vad metoden innebär för den som deltar.",
    )
    lank: Text | None = Field(default=None, description="Webbadress med mer information.")


def _string_or_object(schema: dict[str, Any]) -> None:
    """Tell editors that a section may also be written as a plain string."""
    as_object = {k: v for k, v in schema.items() if k not in ("title", "description")}
    head = {k: schema[k] for k in ("title", "description") if k in schema}
    schema.clear()
    schema.update(head)
    schema["anyOf"] = [{"type": "string", "minLength": 1}, as_object]


class Avsnitt(Model):
    """A section of prose, optionally followed by bullet points.

    In YAML a plain string is accepted as shorthand for ``{text: ...}``.
    Paragraphs in ``text`` are separated by a blank line.
    """

    model_config = ConfigDict(json_schema_extra=_string_or_object)

    text: Text | None = Field(default=None, description="Löptext. Stycken skiljs åt med en tom rad.")
    punkter: list[Text] = Field(default_factory=list, description="Punktlista efter texten.")
    kallor: list[Id] = Field(
        default_factory=list, description="Id för källor (under `kallor`) som avsnittet hänvisar till."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _not_empty(self) -> Avsnitt:
        if self.text is None and not self.punkter:
            raise PydanticCustomError("empty_section", "avsnittet är tomt – skriv `text` eller `punkter`")
        return self


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
    """An activity with the party responsible for it."""

    text: Text = Field(description='Vad som ska göras, t.ex. "genomföra trafikkontroller".')
    ansvar: Ansvar = Field(description="Vem som ansvarar: kommunen, polisen eller tillsammans.")
    omfattning: Text | None = Field(default=None, description='Mängd, t.ex. "minst 40 trafikkontroller".')
    frekvens: Text | None = Field(default=None, description='Hur ofta, t.ex. "tertialvis".')
    senast: Datum | None = Field(default=None, description="Datum då aktiviteten ska vara klar, ÅÅÅÅ-MM-DD.")


class Omrade(Model):
    """A prioritised area (prioriterat område / fokusområde) in del 2."""

    id: Id = Field(description='Kort id för området, t.ex. "trygga-ungdomar". Jämförelser mellan år matchar på id.')
    titel: Text = Field(description='Områdets rubrik, t.ex. "Trygga ungdomar".')
    beskrivning: Avsnitt | None = Field(default=None, description="Problembeskrivning.")
    orsaker: Avsnitt | None = Field(default=None, description="Troliga orsaker (orsaksanalys).")
    mal: list[Text] = Field(default_factory=list, description="Mätbara mål för området.")
    metoder: list[Id] = Field(default_factory=list, description="Id för metoder ur metodkatalogen (se `samverkan methods`).")
    aktiviteter: list[Aktivitet] = Field(default_factory=list, description="Aktiviteter med ansvarig part.")


class Del2(Model):
    """Del 2 – vilka metoder: the prioritised areas."""

    inledning: Avsnitt | None = Field(default=None, description="Inledande text till del 2.")
    prioriterade_omraden: list[Omrade] = Field(
        default_factory=list, description="Prioriterade områden utifrån den gemensamma lägesbilden."
    )


class Medborgarlofte(Model):
    """A medborgarlöfte: the public promise to residents."""

    id: Id = Field(description='Kort id, t.ex. "ml-2024". Jämförelser mellan år matchar på id.')
    titel: Text | None = Field(default=None, description='Rubrik, t.ex. "Medborgarlöfte 2024–2025". Utelämnas den byggs den av perioden.')
    period: Period = Field(description="Vilken period löftet gäller.")
    avvikelse_fran_period: Text | None = Field(
        default=None,
        description="Skäl till att löftets period går utanför överenskommelsens period, om den gör det.",
    )
    inledning: Avsnitt | None = Field(default=None, description="Inledande text om medborgarlöftet.")
    lagesbild: Avsnitt | None = Field(default=None, description="Situationen idag / lägesbild, med källor.")
    mal: Avsnitt | None = Field(default=None, description="Det här ska vi åstadkomma tillsammans.")
    genomforande: Avsnitt | None = Field(default=None, description="Så här ska vi göra: löptext före aktiviteterna.")
    metoder: list[Id] = Field(default_factory=list, description="Id för metoder som löftet bygger på.")
    aktiviteter: list[Aktivitet] = Field(default_factory=list, description="Löftena: aktiviteter med ansvarig part.")
    uppfoljning: Avsnitt | None = Field(default=None, description="Hur löftet följs upp, t.ex. per tertial.")
    folj_arbetet: Avsnitt | None = Field(default=None, description="Följ med i hur det går: var invånarna kan följa arbetet.")
    lankar: list[Lank] = Field(default_factory=list, description="Länkar där invånarna kan följa arbetet.")


class Undertecknare(Model):
    """A person who signs for one of the parties."""

    namn: Text = Field(description="Namn.")
    titel: Text = Field(description='Titel, t.ex. "Kommunstyrelsens ordförande" eller "tf lokalpolisområdeschef".')
    part: Sida = Field(description="För vilken part personen skriver under: kommun eller polis.")
    ort: Text | None = Field(default=None, description='Ort för underskriften, t.ex. "Oxelösund". Tomt i ett utkast.')
    datum: Datum | None = Field(default=None, description="Datum för underskriften, ÅÅÅÅ-MM-DD. Tomt i ett utkast.")


class Agreement(Model):
    """En version av en samverkansöverenskommelse mellan en kommun och Polisen."""

    titel: Text | None = Field(
        default=None,
        description="Dokumentets titel. Utelämnas den blir den "
        '"Samverkansöverenskommelse mellan <kommun> och Polisen".',
    )
    status: Status = Field(description="utkast, fastställd eller undertecknad.")
    datum: Datum | None = Field(
        default=None,
        description="Versionens datum, ÅÅÅÅ-MM-DD. Används som dokumentdatum; utelämnas det används periodens start.",
    )
    parter: Parter = Field(description="Kommunen och polisen.")
    period: Period = Field(description="Överenskommelsens period.")
    tidigare_version: Text | None = Field(
        default=None,
        description="Diarienummer eller beteckning för versionen som denna ersätter.",
    )
    del1: Del1 | None = Field(default=None, description="Del 1 – hur vi samverkar.")
    del2: Del2 | None = Field(default=None, description="Del 2 – prioriterade områden, metoder och aktiviteter.")
    medborgarloften: list[Medborgarlofte] = Field(
        default_factory=list, description="Ett eller flera medborgarlöften inom överenskommelsen."
    )
    kallor: list[Kalla] = Field(default_factory=list, description="Källor som texterna hänvisar till; visas som noter.")
    egna_metoder: list[Metod] = Field(
        default_factory=list,
        description="Lokala metoder som inte finns i metodkatalogen, t.ex. ett eget samarbetsprogram. "
        "En metod med samma id som i katalogen ersätter katalogens beskrivning i detta dokument.",
    )
    undertecknare: list[Undertecknare] = Field(
        default_factory=list, description="De som skriver under, minst en per part i en undertecknad version."
    )

    # -- derived values ---------------------------------------------------

    @property
    def document_title(self) -> str:
        if self.titel:
            return self.titel
        return f"Samverkansöverenskommelse mellan {self.parter.kommun.namn} och Polisen"

    @property
    def document_date(self) -> date:
        return self.datum or self.period.start

    def fingerprint(self) -> str:
        """A short, stable fingerprint of the content (12 hex digits).

        Computed from the validated data in a canonical JSON form, so key
        order, comments, line wrapping and the order of lists the documents
        do not print in that order (see :mod:`.canonical`) do not change it.
        """
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()[:12]

    def canonical_json(self) -> str:
        """The validated content as compact JSON with sorted keys (what fingerprints are made from),
        lists in printed order (:func:`.canonical.visible_order`).

        Computed once per object: rendering asks for it several times per
        document. It is kept beside the model, keyed by identity, not on it,
        so a ``model_copy(update=...)`` never inherits a stale value.
        """
        key = id(self)
        text = _CANONICAL.get(key)
        if text is None:
            text = json.dumps(
                visible_order(self.model_dump(mode="json", exclude_none=True)), sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
            _CANONICAL[key] = text
            weakref.finalize(self, _CANONICAL.pop, key, None)
        return text


_CANONICAL: dict[int, str] = {}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an agreement file, as committed in ``schemas/``."""
    schema = Agreement.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def unwrap(annotation: Any) -> Any:
    """The model or item type behind Optional/Annotated/list wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            return annotation


__all__ = [
    "Agreement",
    "Aktivitet",
    "Ansvar",
    "Avsnitt",
    "Del1",
    "Del2",
    "Forum",
    "Kalla",
    "Kommun",
    "KommunensAnsvar",
    "Lank",
    "Medborgarlofte",
    "Metod",
    "Omrade",
    "Parter",
    "Period",
    "Polis",
    "Roll",
    "Sida",
    "Status",
    "Undertecknare",
    "json_schema",
    "unwrap",
]

