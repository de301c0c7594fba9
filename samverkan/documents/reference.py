"""The template reference: every variable a Word template may use, as docs/template-reference.md.

Generated from the view classes in :mod:`.views` (their ``doc`` metadata),
so the reference cannot drift from what the templates are given; a test
compares it with the committed file.
"""

from __future__ import annotations

import dataclasses
import re
import typing

from . import labels, views

REFERENCE = "docs/template-reference.md"
REGENERATE = (
    ".venv/bin/python -c \"from samverkan.documents.render import template_reference; "
    f"print(template_reference(), end='')\" > {REFERENCE}"
)


def _type_text(annotation: str) -> str:
    text = annotation.replace("typing.", "")
    text = re.sub(r"list\[(\w+)\]", r"lista av \1", text)
    text = text.replace(" | None", " eller None").replace("str", "text").replace("bool", "sant/falskt")
    return text.replace("int", "heltal")


def template_reference() -> str:
    """The text of docs/template-reference.md: every variable a Word template may use."""
    lines = [
        "# Mallvariabler",
        "",
        "<!-- Genererad av samverkan.documents.render.template_reference(); ändra inte för hand. Skapa om med:",
        f"     {REGENERATE} -->",
        "",
        "Word-mallarna i `templates/` (och en egen mall som ges med `samverkan render --template`) fylls i",
        "med [docxtpl](https://docxtpl.readthedocs.io/): `{{ doc.title }}` skriver ut ett värde,",
        "`{%p if del2 %}` … `{%p endif %}` och `{%p for area in del2.areas %}` … `{%p endfor %}` styr hela",
        "stycken, och `{%tr for … %}` upprepar tabellrader. Alla värden är färdig text: datum, perioder och",
        "nothänvisningar är redan formaterade på svenska, och text ur överenskommelsen skrivs ut precis",
        "som den står (även tecken som `&`, `<` och `{{`).",
        "",
        "En variabel som inte finns är ett fel som namnger variabeln och mallen – aldrig en tom text.",
        "Tomma avsnitt är `None` eller tomma listor, så mallen kan hoppa över dem med `{%p if … %}`.",
        "",
        "Underskriftssidan ska vara sist i varje dokument, överenskommelse som medborgarlöfte: en Rubrik 1",
        "med texten `Underskrifter` som börjar på en ny sida, och allt därefter hör till den.",
        "",
        "## Variabler på översta nivån",
        "",
        "| Variabel | Typ | Innehåll |",
        "|---|---|---|",
    ]
    lines += [f"| `{name}` | {_type_text(kind)} | {text} |" for name, (kind, text) in views.VARIABLES.items()]
    hints = typing.get_type_hints
    for cls in views.VIEW_CLASSES:
        lines += ["", f"## {cls.__name__}", "", (cls.__doc__ or "").strip(), "", "| Fält | Typ | Innehåll |", "|---|---|---|"]
        types = hints(cls)
        for f in dataclasses.fields(cls):
            kind = str(types[f.name]).replace("samverkan.documents.views.", "").replace("<class '", "").replace("'>", "")
            lines.append(f"| `{f.name}` | {_type_text(kind)} | {f.metadata['doc']} |")
    lines += _fixed_texts()
    return "\n".join(lines) + "\n"


def _fixed_texts() -> list[str]:
    """The short list of texts the documents may hold besides the file's own (samverkan.documents.labels)."""
    lines = [
        "",
        "## Fasta texter",
        "",
        "Utöver filens egna texter, och värden formaterade ur dem (datum, perioder, namn), står bara de här",
        "texterna i dokumenten. `{namn}` visar var ett värde sätts in. Rubrikerna är standardrubriker: en",
        "rubrik i filen (`rubrik:` på ett avsnitt) ersätter dem. Listan finns i `samverkan/documents/labels.py`,",
        "och ett test kontrollerar varje stycke i varje exempel mot den.",
    ]
    for name, group in labels.ALL.items():
        lines += ["", f"### {name}", "", "| Nyckel | Text |", "|---|---|"]
        lines += [f"| `{key}` | {text} |" for key, text in group.items()]
    return lines


__all__ = ["REFERENCE", "REGENERATE", "template_reference"]
