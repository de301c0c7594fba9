"""Pydantic models of one document: a samverkansöverenskommelse or a medborgarlöfte.

The YAML keys are Swedish words folded to ASCII snake_case (``lagesbild``,
``prioriterade_omraden``, ``medborgarloften``): easy to type on any keyboard
and safe in every tool, while the *values* are ordinary Swedish text. Enum
values are real Swedish words (``fastställd``, ``tillsammans``).

A file is one document. A samverkansöverenskommelse has del 1 and del 2 and
may hold medborgarlöften; a medborgarlöfte on its own (``dokument:
medborgarlöfte``) has its content under ``medborgarlofte`` and may name the
agreement it belongs to. Several yearly medborgarlöften and the multi-year
agreement above them live side by side in one kommun folder.

Every field has a Swedish description: it becomes the tooltip an editor shows
from the JSON Schema in ``schemas/``. Models only check what one value can
check on its own (types, formats, end after start). Rules that look across the
file (method ids, source ids, unique ids, the medborgarlöfte inside the
agreement period, signing data for a signed version, what each kind of
document may hold) live in :mod:`samverkan.model.checks`, so every one of them
can point at its own line. The building blocks are in :mod:`.base` and
:mod:`.content`; everything is importable from here.
"""

from __future__ import annotations

import hashlib
import json
import re
import types
import typing
import weakref
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, Field

from .base import (
    OLD_PARTY_WORDS,
    Ansvar,
    Avsnitt,
    Datum,
    Dokument,
    Id,
    Kalla,
    Lank,
    Metod,
    Model,
    Period,
    Sida,
    Status,
    Text,
    Year,
    refused_character,
)
from .canonical import visible_order
from .content import (
    PROMISE_SECTIONS,
    Aktivitet,
    Aktivitetsgrupp,
    Del1,
    Del2,
    EgetAvsnitt,
    Forum,
    KommunensAnsvar,
    Lofte,
    Medborgarlofte,
    Omrade,
    Overenskommelsereferens,
    Roll,
    Undertecknande,
    Undertecknare,
)

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
    polisregion: Text | None = Field(
        default=None, description='Polisregionen, t.ex. "Polisregion Öst". Utelämna den om källan inte anger den.'
    )
    diarienummer: Text | None = Field(default=None, description="Polisens diarienummer för överenskommelsen.")


class Parter(Model):
    """The two parties."""

    kommun: Kommun = Field(description="Kommunen.")
    polis: Polis = Field(description="Polisen (Polismyndigheten genom lokalpolisområdet).")


class Parter(Model):
    """The two parties."""

    kommun: Kommun = Field(description="Kommunen.")
    polis: Polis = Field(description="Polisen (Polismyndigheten genom lokalpolisområdet).")


OLD_KEYS = {"tidigare_version": "ersatter"}
"""Older key names still accepted, and the name that replaced each."""


class Agreement(Model):
    """Ett dokument: en samverkansöverenskommelse mellan en kommun och Polisen, eller ett medborgarlöfte."""

    dokument: Dokument = Field(
        default=Dokument.OVERENSKOMMELSE,
        description="Vilket slags dokument filen är: samverkansöverenskommelse (standard) eller medborgarlöfte "
        "(ett medborgarlöfte som eget dokument, med innehållet under `medborgarlofte`).",
    )
    titel: Text | None = Field(
        default=None,
        description="Dokumentets titel som den står i källan. Utelämnas den byggs den av dokumentslag, kommun och period.",
    )
    status: Status = Field(description="utkast, fastställd eller undertecknad.")
    datum: Datum | None = Field(
        default=None,
        description="Versionens datum, ÅÅÅÅ-MM-DD, om dokumentet har ett. Utelämnas det står inget datum i dokumentet.",
    )
    parter: Parter = Field(description="Kommunen och polisen.")
    period: Period = Field(description="Dokumentets period: överenskommelsens, eller medborgarlöftets när filen är ett medborgarlöfte.")
    ersatter: Text | None = Field(
        default=None,
        validation_alias=AliasChoices("ersatter", "tidigare_version"),
        description="Beteckning eller diarienummer för den tidigare versionen som detta dokument ersätter, "
        'som den ska stå i texten, t.ex. "Samverkansöverenskommelse 2020–2023". (Äldre namn: tidigare_version.)',
    )
    overenskommelse: Overenskommelsereferens | None = Field(
        default=None,
        description="För ett medborgarlöfte: den samverkansöverenskommelse som löftet hör till, så långt den är känd.",
    )
    loftesverb: Text | None = Field(
        default=None,
        description='Löftesverbet i hela dokumentet, t.ex. "lovar att" eller "förbinder sig att". Utelämnas det används "ska".',
    )
    del1: Del1 | None = Field(default=None, description="Del 1 – hur vi samverkar (bara i en samverkansöverenskommelse).")
    del2: Del2 | None = Field(
        default=None, description="Del 2 – prioriterade områden, metoder och aktiviteter (bara i en samverkansöverenskommelse)."
    )
    medborgarloften: list[Medborgarlofte] = Field(
        default_factory=list,
        description="Medborgarlöften som står i överenskommelsen (bara i en samverkansöverenskommelse).",
    )
    medborgarlofte: Lofte | None = Field(
        default=None, description="Medborgarlöftets innehåll, när filen är ett medborgarlöfte (`dokument: medborgarlöfte`)."
    )
    kallor: list[Kalla] = Field(default_factory=list, description="Källor som texterna hänvisar till; visas som fotnoter.")
    egna_metoder: list[Metod] = Field(
        default_factory=list,
        description="Metoder med dokumentets egen beskrivning: lokala metoder, eller en metod ur katalogen med "
        "den text parterna skrivit. Beskrivningen står en gång i dokumentet.",
    )
    metodbeskrivningar: bool = Field(
        default=False,
        description="Sant om metodkatalogens beskrivningar ska stå med i en bilaga, tydligt märkt som information "
        "(de är inte överenskommen text).",
    )
    undertecknare: list[Undertecknare] = Field(
        default_factory=list, description="De som skriver under, i den ordning de står i källan."
    )
    undertecknande: Undertecknande | None = Field(
        default=None, description="Var och när dokumentet undertecknades, och en eventuell klausul före underskrifterna."
    )

    # -- derived values ---------------------------------------------------

    @property
    def is_promise(self) -> bool:
        """Whether this file is a medborgarlöfte of its own."""
        return self.dokument is Dokument.MEDBORGARLOFTE

    @property
    def document_title(self) -> str:
        if self.titel:
            return self.titel
        if self.is_promise:
            return f"Medborgarlöfte {_period_years(self.period)} – {self.parter.kommun.namn} och Polisen"
        if self.period.ej_publicerad:  # a period the source does not give is not printed
            return f"Samverkansöverenskommelse mellan {self.parter.kommun.namn} och Polisen"
        return f"Samverkansöverenskommelse mellan {self.parter.kommun.namn} och Polisen {_period_years(self.period)}"

    @property
    def document_date(self) -> Any:
        """The version's date, or None: a date is never made up from the period."""
        return self.datum

    def promises(self) -> list[Medborgarlofte]:
        """The medborgarlöften in this file: those inside an agreement, or the file itself as one."""
        if not self.is_promise:
            return list(self.medborgarloften)
        content = self.medborgarlofte.model_dump(exclude_unset=True) if self.medborgarlofte else {}
        own = {"id": "medborgarlofte", "titel": self.titel, "period": self.period, "ersatter": self.ersatter,
               "undertecknare": self.undertecknare, "undertecknande": self.undertecknande}
        return [Medborgarlofte.model_validate({**content, **{k: v for k, v in own.items() if v}})]

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


def _period_years(period: Period) -> str:
    first = period.start.year
    if period.slut is None:
        return f"från {first}"
    return str(first) if period.slut.year == first else f"{first}\u2013{period.slut.year}"


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
    "OLD_KEYS",
    "OLD_PARTY_WORDS",
    "PROMISE_SECTIONS",
    "Agreement",
    "Aktivitetsgrupp",
    "Dokument",
    "EgetAvsnitt",
    "Id",
    "Lofte",
    "Overenskommelsereferens",
    "Text",
    "Undertecknande",
    "Year",
    "refused_character",
    "Aktivitet",
    "Ansvar",
    "Datum",
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

