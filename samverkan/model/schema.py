"""The JSON Schema an editor uses to help write an agreement – in Swedish.

pydantic gives the schema's shape from the models; this module makes it speak
to a trygghetssamordnare: Swedish titles with å, ä and ö ("Medborgarlöften",
not "Medborgarloften"), Swedish descriptions for every part (a model's own
docstring is English developer text and never shown), the method catalog as
the allowed values with their descriptions, placeholders ("<FYLL I: …>")
refused, and Swedish error texts where yaml-language-server reads them
(``errorMessage``, ``patternErrorMessage``; the message for a missing field
is the editor's own and stays English).

The words are tables keyed by class and field name, so a new model or field
gets its Swedish title here; ``tests/test_schema.py`` fails until it has one.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .catalog import catalog
from .models import Agreement

PLACEHOLDER_PATTERN = r"^(?![\s\S]*<[Ff][Yy][Ll][Ll] [Ii])[\s\S]*\S[\s\S]*$"
"""Text that is not blank and holds no "<FYLL I" placeholder (JavaScript and Python regex alike)."""

# Each model (and enum) of the schema: its Swedish title and what it is.
CLASSES: dict[str, tuple[str, str]] = {
    "Agreement": ("Samverkansöverenskommelse", "En version av en samverkansöverenskommelse mellan en kommun och Polisen."),
    "Aktivitet": ("Aktivitet", "Något som ska göras, med den part som ansvarar för det."),
    "Ansvar": ("Ansvarig part", "Vem som gör något: kommunen, polisen eller båda."),
    "Avsnitt": (
        "Textavsnitt",
        "Löptext, eventuellt följd av en punktlista. Skriv texten direkt efter kolonet, eller fälten "
        "`text`, `punkter` och `kallor` på egna rader med större indrag.",
    ),
    "Del1": ("Del 1 – hur vi samverkar", "Bakgrund, syfte, mål, organisation, roller, lägesbild och uppföljning."),
    "Del2": ("Del 2 – vilka metoder", "De prioriterade områdena med metoder och aktiviteter."),
    "Forum": ("Forum", "Ett forum i samverkan, t.ex. styrgrupp, arbetsgrupp eller lokalt BRÅ."),
    "Kalla": ("Källa", "En källa som texterna hänvisar till, t.ex. en trygghetsmätning; visas som not."),
    "Kommun": ("Kommunen", "Kommunen som part i överenskommelsen."),
    "KommunensAnsvar": (
        "Kommunens ansvar enligt lag",
        "Koppling till lag (2023:196) om kommuners ansvar för brottsförebyggande arbete.",
    ),
    "Lank": ("Länk", "En länk som visas för invånarna."),
    "Medborgarlofte": ("Medborgarlöfte", "Kommunens och polisens löfte till invånarna."),
    "Metod": ("Metod", "Ett arbetssätt, t.ex. EST eller grannsamverkan."),
    "Omrade": ("Prioriterat område", "Ett prioriterat område (fokusområde) i del 2."),
    "Parter": ("Parterna", "Kommunen och polisen."),
    "Period": ("Period", "Startdatum, eventuellt slutdatum och hur perioden ses över."),
    "Polis": ("Polisen", "Polisen som part: lokalpolisområdet inom en polisregion."),
    "Roll": ("Roll", "En roll i samverkan, t.ex. kommunpolis eller trygghetssamordnare."),
    "Sida": ("Part som skriver under", "För vilken part en person skriver under."),
    "Status": ("Status", "Var i sitt liv versionen är: utkast, fastställd eller undertecknad."),
    "Undertecknare": ("Undertecknare", "En person som skriver under för en av parterna."),
    # The model h13 is bringing in (issue 13): ready before it lands.
    "Dokument": ("Dokumenttyp", "Vilket slags dokument filen är: en samverkansöverenskommelse eller ett medborgarlöfte."),
    "Aktivitetsgrupp": ("Aktivitetsgrupp", 'Aktiviteter under en ingress, t.ex. "Polisen lovar att:" följt av listan.'),
    "EgetAvsnitt": ("Eget avsnitt", "Ett avsnitt med egen rubrik som inte har något eget fält, t.ex. \"Effekter som eftersträvas\"."),
    "Undertecknande": ("Undertecknande", "Var och när dokumentet undertecknades, och en eventuell klausul före underskrifterna."),
    "Overenskommelsereferens": ("Överenskommelsen löftet hör till", "Den samverkansöverenskommelse som ett medborgarlöfte hör till."),
    "Lofte": ("Medborgarlöftets innehåll", "Det ett medborgarlöfte säger: lägesbild, fokusområden och löften."),
}

# Every field name: its Swedish title (the same name means the same thing in every model).
FIELDS: dict[str, str] = {
    "titel": "Titel",
    "status": "Status",
    "datum": "Datum",
    "parter": "Parter",
    "period": "Period",
    "tidigare_version": "Tidigare version",
    "del1": "Del 1 – hur vi samverkar",
    "del2": "Del 2 – vilka metoder",
    "medborgarloften": "Medborgarlöften",
    "kallor": "Källor",
    "egna_metoder": "Egna metoder",
    "undertecknare": "Undertecknare",
    "start": "Start",
    "slut": "Slut",
    "revidering": "Revidering",
    "ej_publicerad": "Perioden är inte publicerad",
    "kommun": "Kommunen",
    "polis": "Polisen",
    "namn": "Namn",
    "kortnamn": "Kortnamn",
    "kommunkod": "Kommunkod",
    "diarienummer": "Diarienummer",
    "lokalpolisomrade": "Lokalpolisområde",
    "polisregion": "Polisregion",
    "id": "Id",
    "utgivare": "Utgivare",
    "ar": "År",
    "url": "Webbadress",
    "text": "Text",
    "beskrivning": "Beskrivning",
    "punkter": "Punkter",
    "lank": "Länk",
    "medlemmar": "Medlemmar",
    "motesfrekvens": "Mötesfrekvens",
    "part": "Part",
    "lagesbild": "Lägesbild",
    "atgardsplan": "Åtgärdsplan",
    "samordningsfunktion": "Samordningsfunktion",
    "bakgrund": "Bakgrund",
    "syfte": "Syfte",
    "overgripande_mal": "Övergripande mål",
    "delmal": "Delmål",
    "organisation": "Organisation",
    "roller": "Roller",
    "kommunikation": "Kommunikation",
    "uppfoljning": "Uppföljning",
    "kommunens_ansvar": "Kommunens ansvar enligt lag",
    "ansvar": "Ansvar",
    "omfattning": "Omfattning",
    "frekvens": "Frekvens",
    "senast": "Senast",
    "orsaker": "Orsaker",
    "mal": "Mål",
    "metoder": "Metoder",
    "aktiviteter": "Aktiviteter",
    "inledning": "Inledning",
    "prioriterade_omraden": "Prioriterade områden",
    "avvikelse_fran_period": "Avvikelse från perioden",
    "genomforande": "Genomförande",
    "folj_arbetet": "Följ arbetet",
    "lankar": "Länkar",
    "ort": "Ort",
    # Fields of the model h13 is bringing in (issue 13).
    "dokument": "Dokumenttyp",
    "ersatter": "Ersätter",
    "overenskommelse": "Överenskommelsen",
    "loftesverb": "Löftesverb",
    "medborgarlofte": "Medborgarlöfte",
    "metodbeskrivningar": "Metodbeskrivningar i bilaga",
    "undertecknande": "Undertecknande",
    "rubrik": "Rubrik",
    "utan_rubrik": "Utan rubrik",
    "numrerad": "Numrerad",
    "avslutning": "Avslutning",
    "nummer": "Nummer",
    "grupper": "Grupper",
    "verb": "Verb",
    "lagesbild_fran": "Lägesbild från",
    "fokusomraden_text": "Text om fokusområdena",
    "fokusomraden": "Fokusområden",
    "avsnitt": "Avsnitt",
    "ordning": "Ordning",
    "klausul": "Klausul",
    "ort_och_datum_ej_publicerade": "Ort och datum inte publicerade",
}

# What each value of an enum means, for completion and hover (by enum; a value not here is shown as itself).
ENUM_VALUES: dict[str, dict[str, str]] = {
    "Status": {
        "utkast": "Utkast: ännu inte beslutad; dokumenten märks UTKAST och har tomma rader för underskrift.",
        "fastställd": "Fastställd: beslutad men inte undertecknad.",
        "undertecknad": "Undertecknad: båda parter har skrivit under; ort och datum krävs för varje undertecknare.",
    },
    "Ansvar": {
        "kommunen": "Kommunen ansvarar.",
        "polisen": "Polisen ansvarar.",
        "tillsammans": "Kommunen och polisen ansvarar tillsammans.",
        "var för sig": "Kommunen och polisen gör det var för sig.",
    },
    "Sida": {
        "kommun": "Skriver under för kommunen.",
        "polis": "Skriver under för polisen.",
        "kommunen": "Skriver under för kommunen.",
        "polisen": "Skriver under för polisen.",
    },
    "Dokument": {
        "samverkansöverenskommelse": "En samverkansöverenskommelse mellan kommunen och polisen.",
        "medborgarlöfte": "Ett medborgarlöfte som eget dokument.",
    },
}

ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"

TEXT_ERROR = 'Här ska stå en text. Innehåller texten ": " eller börjar den med ett specialtecken, sätt den inom citattecken (").'
PLACEHOLDER_ERROR = "Skriv in den riktiga uppgiften i stället för platshållaren <FYLL I: …> (texten får inte heller vara tom)."
DATE_ERROR = "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2024-03-01 (inte 1 mars 2024)."
ID_ERROR = "Ett id skrivs med små bokstäver a–z, siffror och bindestreck, utan å, ä, ö och mellanslag, t.ex. trygga-ungdomar."
KOMMUNKOD_ERROR = 'Kommunkoden är fyra siffror inom citattecken, t.ex. "0481".'
INTEGER_ERROR = "Skriv ett heltal, t.ex. 2024."
LIST_ERROR = 'Här ska stå en lista: varje punkt på en egen rad som börjar med "- ".'
SECTION_ERROR = "Här ska stå en text, eller fälten `text`, `punkter` och `kallor` på egna rader med större indrag."
OBJECT_ERROR = "Här ska stå fält på egna rader under fältnamnet, med större indrag (namn: värde)."


def _method_ids() -> dict[str, Any]:
    methods = list(catalog().values())
    return {
        "type": "string",
        "enum": [m.id for m in methods],
        "enumDescriptions": [f"{m.namn}: {m.beskrivning}" for m in methods],
        "markdownEnumDescriptions": [f"**{m.namn}**\n\n{m.beskrivning}" for m in methods],
        "errorMessage": (
            "Okänd metod. Metoder anges med sitt id ur metodkatalogen: "
            f"{', '.join(m.id for m in methods)} (Ctrl+Mellanslag visar dem). "
            "En egen metod beskrivs under `egna_metoder`; den känner redigeraren inte igen, "
            "men `samverkan validate` godkänner den."
        ),
    }


def _string(node: dict[str, Any], field: str | None) -> None:
    pattern = node.get("pattern")
    if node.get("format") == "date":
        node["errorMessage"] = node["patternErrorMessage"] = DATE_ERROR
    elif pattern == ID_PATTERN:
        node["errorMessage"] = node["patternErrorMessage"] = ID_ERROR
    elif pattern is not None and field == "kommunkod":
        node["errorMessage"] = node["patternErrorMessage"] = KOMMUNKOD_ERROR
    elif pattern is None and "enum" not in node:
        node["pattern"] = PLACEHOLDER_PATTERN
        node["errorMessage"], node["patternErrorMessage"] = TEXT_ERROR, PLACEHOLDER_ERROR


def _object(node: dict[str, Any], name: str | None) -> None:
    properties: dict[str, Any] = node.get("properties", {})
    for field, body in properties.items():
        body["title"] = FIELDS.get(field, field)
        _walk(body, field)
    if node.get("additionalProperties") is False:
        # propertyNames names the fields allowed in Swedish at the misspelt key itself;
        # additionalProperties would report it a second time, with the object's message.
        del node["additionalProperties"]
        node["propertyNames"] = {
            "enum": list(properties),
            "errorMessage": f"Okänt fält. Här får stå: {', '.join(properties)}. "
            "Fältnamn skrivs med små bokstäver utan å, ä, ö och med _ i stället för mellanslag.",
        }
    node["errorMessage"] = OBJECT_ERROR
    if name in CLASSES:
        node["title"], node["description"] = CLASSES[name]


def _optional_scalar(node: dict[str, Any]) -> None:
    """``anyOf: [text, null]`` as one ``type: [string, null]``: the same values, and the
    editor then shows this schema's Swedish message for a wrong type instead of its own
    'Incorrect type. Expected "string | null"'."""
    branches = node.get("anyOf")
    if not branches or len(branches) != 2 or {"type": "null"} not in branches:
        return
    value = next(b for b in branches if b != {"type": "null"})
    if value.get("type") not in ("string", "integer") or "$ref" in value:
        return
    del node["anyOf"]
    node.update({k: v for k, v in value.items() if k not in ("title", "description")})
    node["type"] = [value["type"], "null"]


def _walk(node: Any, field: str | None = None, name: str | None = None) -> None:
    """Make ``node`` (a schema, or a field's schema) Swedish, in place."""
    if not isinstance(node, dict):
        return
    _optional_scalar(node)
    for branch in node.get("anyOf", []):
        _walk(branch, field)
    kind = node.get("type")
    if isinstance(kind, list):  # an optional text, date or number
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in node:
        _object(node, name)
    elif kind == "array":
        node["errorMessage"] = LIST_ERROR
        if field == "metoder":
            node["items"] = _method_ids()
        else:
            _walk(node.get("items"), field)
    elif kind == "string" and "enum" in node:
        meanings = ENUM_VALUES.get(name or "", {})
        node["enumDescriptions"] = [meanings.get(v, str(v)) for v in node["enum"]]
        node["errorMessage"] = f"Ogiltigt värde. Skriv ett av: {', '.join(map(str, node['enum']))}."
        if name in CLASSES:
            node["title"], node["description"] = CLASSES[name]
    elif kind == "string":
        _string(node, field)
    elif kind == "integer":
        node["errorMessage"] = INTEGER_ERROR
    if name in CLASSES and "anyOf" in node:  # a section: text, or its fields
        node["title"], node["description"] = CLASSES[name]
        node["errorMessage"] = SECTION_ERROR
    elif "anyOf" in node and "errorMessage" not in node:
        # An optional value: the editor reports a wrong type against the whole anyOf.
        given = [b["errorMessage"] for b in node["anyOf"] if isinstance(b, dict) and "errorMessage" in b]
        if given:
            node["errorMessage"] = given[0]


# Old spellings the model still accepts, and the words that replace them (issue 13: one
# vocabulary for the parties). The editor accepts them too, with a note to change them.
OLD_SPELLINGS: dict[str, dict[str, str]] = {"Sida": {"kommun": "kommunen", "polis": "polisen"}}


def _old_spellings(definitions: dict[str, Any]) -> None:
    for name, old in OLD_SPELLINGS.items():
        node = definitions.get(name)
        if not node or "enum" not in node or not set(old.values()) <= set(node["enum"]) or set(old) & set(node["enum"]):
            continue
        current = {k: node.pop(k) for k in ("type", "enum", "enumDescriptions", "errorMessage") if k in node}
        note = ", ".join(f"{new} i stället för {was}" for was, new in old.items())
        node["anyOf"] = [current, {"type": "string", "enum": list(old), "deprecationMessage": f"Gammal stavning – skriv {note}."}]
        node["errorMessage"] = current.get("errorMessage", "")


def _inline_optional_enums(node: Any, definitions: dict[str, Any]) -> None:
    """``anyOf: [{$ref: an enum}, null]`` as the enum itself with null: the editor then shows the
    enum's Swedish message for a wrong value instead of 'Incorrect type. Expected "string | null"'."""
    if isinstance(node, list):
        for item in node:
            _inline_optional_enums(item, definitions)
        return
    if not isinstance(node, dict):
        return
    branches = node.get("anyOf")
    if branches and len(branches) == 2 and {"type": "null"} in branches:
        ref = next((b.get("$ref", "") for b in branches if isinstance(b, dict)), "")
        target = definitions.get(ref.rpartition("/")[2]) if ref.startswith("#/$defs/") else None
        if target and "enum" in target:
            del node["anyOf"]
            node.update({"type": ["string", "null"], "enum": [*target["enum"], None],
                         "enumDescriptions": [*target.get("enumDescriptions", target["enum"]), "Inget värde."],
                         "errorMessage": target.get("errorMessage", "")})
    for value in node.values():
        _inline_optional_enums(value, definitions)


def agreement_schema() -> dict[str, Any]:
    """The JSON Schema of an agreement file, as committed in ``schemas/``."""
    schema = copy.deepcopy(Agreement.model_json_schema(mode="validation"))
    definitions = schema.get("$defs", {})
    for name, definition in definitions.items():
        _walk(definition, name=name)
    _walk(schema, name="Agreement")
    _inline_optional_enums(schema, definitions)
    _old_spellings(definitions)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """The JSON Schema exactly as committed in schemas/agreement.schema.json."""
    return json.dumps(agreement_schema(), ensure_ascii=False, indent=2) + "\n"


__all__ = ["CLASSES", "ENUM_VALUES", "FIELDS", "OLD_SPELLINGS", "PLACEHOLDER_PATTERN", "agreement_schema", "schema_text"]
