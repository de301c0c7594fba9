"""The editor schema is Swedish throughout and refuses what `validate` refuses where a schema can.

A model or field without a Swedish title or description fails here: add it to
the tables in samverkan/model/schema.py (and regenerate the schema with
`samverkan schema > schemas/agreement.schema.json`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from samverkan.model.catalog import catalog
from samverkan.model.models import Agreement, unwrap
from samverkan.model.schema import CLASSES, ENUM_VALUES, FIELDS, PLACEHOLDER_PATTERN, agreement_schema

# Words that only English developer text has; none of them is a Swedish word.
ENGLISH = re.compile(r"\b(the|and|of|with|is|are|an|optionally|followed|section|string|must|should|which|this|that|shorthand)\b")


def models() -> list[type]:
    """Every model and enum class an agreement is made of."""
    seen: list[type] = []

    def visit(annotation: Any) -> None:
        kind = unwrap(annotation)
        for arg in [kind, *getattr(kind, "__args__", ())]:
            arg = unwrap(arg)
            if isinstance(arg, type) and arg not in seen and (issubclass(arg, BaseModel) or hasattr(arg, "__members__")):
                seen.append(arg)
                if issubclass(arg, BaseModel):
                    for field in arg.model_fields.values():
                        visit(field.annotation)

    visit(Agreement)
    return seen


def texts(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text a person reads in the schema: titles, descriptions, error messages, value descriptions."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description", "errorMessage", "patternErrorMessage") and isinstance(value, str):
                yield f"{path}/{key}", value
            elif key in ("enumDescriptions", "markdownEnumDescriptions"):
                yield from ((f"{path}/{key}", v) for v in value)
            else:
                yield from texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{path}/{i}")


def test_every_model_has_a_swedish_title_and_description() -> None:
    missing = [cls.__name__ for cls in models() if cls.__name__ not in CLASSES]
    assert not missing, f"lägg till svensk titel och beskrivning i schema.CLASSES för: {missing}"
    schema = agreement_schema()
    assert (schema["title"], schema["description"]) == CLASSES["Agreement"]
    for name, definition in schema["$defs"].items():
        assert (definition["title"], definition["description"]) == CLASSES[name], name


def test_every_value_of_every_enum_is_explained() -> None:
    unexplained = [f"{cls.__name__}.{member.value}" for cls in models() if not issubclass(cls, BaseModel)
                   for member in cls if member.value not in ENUM_VALUES.get(cls.__name__, {})]  # type: ignore[attr-defined]
    assert not unexplained, f"lägg till en förklaring i schema.ENUM_VALUES för: {unexplained}"


def test_every_field_has_a_swedish_title_and_description() -> None:
    missing = sorted({name for cls in models() if issubclass(cls, BaseModel) for name in cls.model_fields if name not in FIELDS})
    assert not missing, f"lägg till svensk titel i schema.FIELDS för: {missing}"
    undescribed = [f"{cls.__name__}.{name}" for cls in models() if issubclass(cls, BaseModel)
                   for name, field in cls.model_fields.items() if not field.description]
    assert not undescribed


def test_no_english_anywhere_a_person_reads() -> None:
    english = [(where, text) for where, text in texts(agreement_schema()) if ENGLISH.search(text)]
    assert not english


def test_titles_are_written_with_a_ring_and_dots() -> None:
    schema = agreement_schema()
    assert schema["properties"]["medborgarloften"]["title"] == "Medborgarlöften"
    assert schema["properties"]["kallor"]["title"] == "Källor"
    assert schema["$defs"]["Del1"]["title"] == "Del 1 – hur vi samverkar"
    titles = [text for where, text in texts(schema) if where.endswith("/title")]
    assert not [t for t in titles if re.search(r"(?<![a-z])(Medborgarloften|Kallor|Lagesbild|Del1|Del2|Omrade)\b", t)]


def test_methods_are_the_catalog_with_descriptions() -> None:
    schema = agreement_schema()
    items = schema["$defs"]["Omrade"]["properties"]["metoder"]["items"]
    assert items["enum"] == list(catalog())
    assert all(method.beskrivning in text for method, text in zip(catalog().values(), items["enumDescriptions"]))
    assert "egna_metoder" in items["errorMessage"]


@pytest.mark.parametrize(
    ("text", "allowed"),
    [("Oxelösunds kommun", True), ("<FYLL I: kommunens namn>", False), ("Text med <FYLL I: x> inuti", False),
     ("<fyll i: x>", False), ("   ", False), ("rad 1\nrad 2", True)],
)
def test_placeholder_pattern(text: str, allowed: bool) -> None:
    assert bool(re.match(PLACEHOLDER_PATTERN, text)) is allowed


def test_old_spelling_is_accepted_and_named_as_old() -> None:
    from samverkan.model.schema import _old_spellings

    definitions = {"Sida": {"title": "Part", "type": "string", "enum": ["kommunen", "polisen"], "errorMessage": "Ogiltigt värde."}}
    _old_spellings(definitions)
    current, old = definitions["Sida"]["anyOf"]
    assert current["enum"] == ["kommunen", "polisen"] and old["enum"] == ["kommun", "polis"]
    assert old["deprecationMessage"] == "Gammal stavning – skriv kommunen i stället för kommun, polisen i stället för polis."
    unchanged = {"Sida": {"type": "string", "enum": ["kommun", "polis"]}}  # the old words are still the model's
    _old_spellings(unchanged)
    assert unchanged == {"Sida": {"type": "string", "enum": ["kommun", "polis"]}}

