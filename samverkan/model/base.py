"""The building blocks every agreement model is made of.

Text, dates, ids and periods with the checks one value can make on its own,
the parties' vocabulary, and the small shared models (sections, sources,
links, methods). :mod:`samverkan.model.content` builds the parts of a
document from them and :mod:`samverkan.model.models` the document itself.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .canonical import normal_text
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


class Year(date):
    """A period's first or last day when only the year is known (``start: 2022``).

    It is a date (1 January for a start, 31 December for an end), so periods
    compare and move like any other; documents print only the year, and the
    file keeps only the year.
    """

    def __repr__(self) -> str:
        return f"Year({self.year})"


_YEAR_RANGE = (1900, 2200)


def _date_or_year(last: bool) -> Any:
    def validate(value: Any) -> date:
        if isinstance(value, Year):
            return value
        if isinstance(value, bool):
            raise PydanticCustomError("date_type", "ett datum ska skrivas som ÅÅÅÅ-MM-DD")
        if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
            value = int(value)
        if isinstance(value, int):
            if not _YEAR_RANGE[0] <= value <= _YEAR_RANGE[1]:
                raise PydanticCustomError("date_type", "ett datum ska skrivas som ÅÅÅÅ-MM-DD eller som ett årtal")
            return Year(value, 12, 31) if last else Year(value, 1, 1)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise PydanticCustomError("date_parsing", "ett datum ska skrivas som ÅÅÅÅ-MM-DD eller som ett årtal")

    return validate


def _dump_date_or_year(value: date) -> int | str:
    return value.year if isinstance(value, Year) else value.isoformat()


_DATE_OR_YEAR_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "integer", "minimum": _YEAR_RANGE[0], "maximum": _YEAR_RANGE[1]},
    ]
}
Start = Annotated[
    date,
    PlainValidator(_date_or_year(last=False)),
    PlainSerializer(_dump_date_or_year),
    WithJsonSchema(_DATE_OR_YEAR_SCHEMA),
]
"""A first day, ÅÅÅÅ-MM-DD, or only the year (then 1 January, printed as the year)."""
Slut = Annotated[
    date,
    PlainValidator(_date_or_year(last=True)),
    PlainSerializer(_dump_date_or_year),
    WithJsonSchema(_DATE_OR_YEAR_SCHEMA),
]
"""A last day, ÅÅÅÅ-MM-DD, or only the year (then 31 December, printed as the year)."""

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


# -- the parties' vocabulary --------------------------------------------------


class Status(str, Enum):
    """Where in its life a version is."""

    UTKAST = "utkast"
    FASTSTALLD = "fastställd"
    UNDERTECKNAD = "undertecknad"


class Dokument(str, Enum):
    """What kind of document a file is."""

    OVERENSKOMMELSE = "samverkansöverenskommelse"
    MEDBORGARLOFTE = "medborgarlöfte"


class Ansvar(str, Enum):
    """Who carries out an activity: the one word list for the parties in the whole format."""

    KOMMUNEN = "kommunen"
    POLISEN = "polisen"
    TILLSAMMANS = "tillsammans"
    VAR_FOR_SIG = "var för sig"


class Sida(str, Enum):
    """Which party a signatory signs for (the same words as `Ansvar`)."""

    KOMMUN = "kommunen"
    POLIS = "polisen"


OLD_PARTY_WORDS = {"kommun": "kommunen", "polis": "polisen"}
"""Older spellings of the parties, still accepted: `part: kommun` means `part: kommunen`."""


def _old_party_word(value: Any) -> Any:
    return OLD_PARTY_WORDS.get(value, value) if isinstance(value, str) else value


Part = Annotated[Sida, BeforeValidator(_old_party_word)]
"""A signing party: `kommunen` or `polisen` (older spelling `kommun`/`polis` is accepted)."""


# -- small shared models --------------------------------------------------------


class Period(Model):
    """A period: start, optional end, optional note on revision."""

    start: Start = Field(
        description="Första dag som gäller, ÅÅÅÅ-MM-DD (t.ex. 2024-01-01), eller bara årtalet (2022) "
        "när källan bara anger året."
    )
    slut: Slut | None = Field(
        default=None,
        description="Sista dag som gäller, ÅÅÅÅ-MM-DD, eller bara årtalet. Utelämna för en period som gäller tills vidare.",
    )
    revidering: Text | None = Field(
        default=None,
        description='Hur och när perioden ses över, t.ex. "revideras vart tredje år".',
    )
    ej_publicerad: bool | None = Field(  # None when not given: existing files keep their fingerprints
        default=None,
        description="Sant när källan inte anger överenskommelsens period (t.ex. när den bara nämner "
        "medborgarlöftets). Perioden skrivs då inte ut i dokumentet; `start` och `slut` anger bara vilka år "
        "filen gäller, för filnamn och ordning. Bara för en samverkansöverenskommelses egen period.",
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> Period:
        if self.slut is not None and self.slut < self.start:
            raise PydanticCustomError(
                "period_order",
                "periodens slut ({slut}) ligger före dess start ({start}) – rätta datumen",
                {"slut": _dump_date_or_year(self.slut), "start": _dump_date_or_year(self.start)},
            )
        return self


class Kalla(Model):
    """A source, e.g. a safety survey, cited from the text and rendered as a note."""

    id: Id = Field(
        description='Kort id som texterna hänvisar till, t.ex. "trygghetsmatning-2019". Skriv [^id] i en text '
        "där påståendet står, så blir det en fotnot just där."
    )
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
    beskrivning: Text = Field(description="Beskrivningen. Stycken skiljs åt med en tom rad.")
    punkter: list[Text] = Field(
        default_factory=list,
        description="Punktlista efter beskrivningen, t.ex. vad metoden innebär för den som deltar.",
    )
    avslutning: Text | None = Field(default=None, description="Text efter punktlistan.")
    lank: Text | None = Field(default=None, description="Webbadress med mer information.")


def _string_or_object(schema: dict[str, Any]) -> None:
    """Tell editors that a section may also be written as a plain string."""
    as_object = {k: v for k, v in schema.items() if k not in ("title", "description")}
    head = {k: schema[k] for k in ("title", "description") if k in schema}
    schema.clear()
    schema.update(head)
    schema["anyOf"] = [{"type": "string", "minLength": 1}, as_object]


class Avsnitt(Model):
    """A section: its heading as written, a lead-in, bullet points, and text after them.

    In YAML a plain string is accepted as shorthand for ``{text: ...}``.
    Paragraphs in ``text`` are separated by a blank line. A lead-in that ends
    in a colon is printed directly before its points.
    """

    model_config = ConfigDict(json_schema_extra=_string_or_object)

    rubrik: Text | None = Field(
        default=None,
        description='Rubriken som den står i källan, t.ex. "Aktuell lägesbild". Utelämnas den används '
        "standardrubriken (se docs/guide.md).",
    )
    utan_rubrik: bool = Field(default=False, description="Sant om avsnittet står utan rubrik i källan.")
    text: Text | None = Field(default=None, description="Löptext. Stycken skiljs åt med en tom rad.")
    punkter: list[Text] = Field(default_factory=list, description="Punktlista efter texten.")
    numrerad: bool = Field(default=False, description="Sant om punkterna är numrerade i källan (1. 2. 3.).")
    avslutning: Text | None = Field(default=None, description="Text efter punktlistan.")
    kallor: list[Id] = Field(
        default_factory=list,
        description="Id för källor som hela avsnittet vilar på; noten hamnar sist i avsnittet. "
        "Hellre: skriv [^id] i texten där påståendet står.",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _not_empty(self) -> Avsnitt:
        if self.text is None and not self.punkter and self.avslutning is None and self.rubrik is None and not self.utan_rubrik:
            raise PydanticCustomError("empty_section", "avsnittet är tomt – skriv `text` eller `punkter`")
        return self


__all__ = [
    "OLD_PARTY_WORDS",
    "Ansvar",
    "Avsnitt",
    "Datum",
    "Dokument",
    "Id",
    "Kalla",
    "Lank",
    "Metod",
    "Model",
    "Part",
    "Period",
    "Sida",
    "Slut",
    "Start",
    "Status",
    "Text",
    "Year",
    "refused_character",
]
