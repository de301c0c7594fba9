"""The parts of an imported samverkansöverenskommelse: del 1, del 2 and the medborgarlöften in it.

A cooperation agreement names its parts in its headings: "Del 1"/"Del 2",
"Bakgrund", "Syfte", "Övergripande mål", "Delmål", "Lägesbild",
"Kommunikation", "Uppföljning", the prioritised areas under "Prioriterade
områden" (each a heading of its own, with its activities), and a
"Medborgarlöfte" section whose sub-sections are read like a medborgarlöfte
of its own (:func:`~samverkan.drafting.importing.promise_content`). Sections
the format has no place for here – the organisation's forums and roles
among them, whose names, members and meeting frequencies a heading cannot
tell apart reliably, and the methods described under "Metoder" – are kept
word for word in the commented block at the end of the file.
"""

from __future__ import annotations

import re
from typing import Any

from .draft import Draft
from .recognize import find_period
from .importing import area, promise_content, section_text
from .sections import Points, Section, Table

_PART = re.compile(r"^del\s*([12])\b", re.IGNORECASE)
_DEL1 = (
    ("bakgrund", r"bakgrund|inledning"),
    ("syfte", r"syfte"),
    ("overgripande_mal", r"övergripande mål|^mål\b|målsättning"),
    ("delmal", r"delmål"),
    ("lagesbild", r"lägesbild"),
    ("kommunikation", r"kommunikation"),
    ("uppfoljning", r"uppföljning|utvärdering|revidering"),
)
_AREAS = re.compile(r"prioriterade områden|prioriterat område|fokusområden|insatsområden", re.IGNORECASE)
_PROMISE = re.compile(r"medborgarlöfte", re.IGNORECASE)
_ASIDE = re.compile(r"^(?:metoder(?:na)?|arbetsmetoder|underskrift(?:er)?|undertecknande|bilagor)\b", re.IGNORECASE)


def _del1_key(heading: str) -> str | None:
    low = heading.lower()
    return next((key for key, words in _DEL1 if re.search(words, low)), None)


def _kept(section: Section, draft: Draft) -> None:
    """A section with no place: its heading and text go to the commented block."""
    if section.heading:
        draft.leftovers.append(section.heading)
    for part in section.body:
        if isinstance(part, str):
            draft.leftovers.append(part)
        elif isinstance(part, Points):
            draft.leftovers += [i.text for i in part.items]
        elif isinstance(part, Table):
            draft.leftovers += [" | ".join(c for c in row if c) for row in part.rows if any(row)]
        else:
            draft.leftovers += [getattr(part, "lead", ""), *(i.text for i in getattr(part, "items", []))]


def agreement_content(parts: list[Section], draft: Draft, period: dict[str, Any]) -> dict[str, Any]:
    """``del1``, ``del2`` and ``medborgarloften`` of an agreement from its sections."""
    del1: dict[str, Any] = {}
    del2: dict[str, Any] = {}
    areas: list[dict[str, Any]] = []
    promises: list[tuple[Section, list[Section]]] = []
    current = 1
    area_level: int | None = None
    promise_level: int | None = None
    kept_level: int | None = None
    for section in parts:
        heading = section.heading
        if promise_level is not None and heading is not None and section.level > promise_level:
            promises[-1][1].append(section)
            continue
        promise_level = None
        if kept_level is not None and heading is not None and section.level > kept_level:
            _kept(section, draft)  # a method described under "Metoder": not a prioritised area
            continue
        kept_level = None
        if heading and _ASIDE.match(heading):
            _kept(section, draft)  # "Metoder", "Underskrifter": no area, and no place in del 1
            kept_level = section.level
            continue
        if heading and _PART.match(heading):
            current = int(_PART.match(heading).group(1))  # type: ignore[union-attr]
            if section.body:
                target = del1 if current == 1 else del2
                target["bakgrund" if current == 1 else "inledning"] = section_text(section)
            continue
        if heading and _PROMISE.search(heading) and not _AREAS.search(heading):
            promises.append((section, [Section(None, section.level, "", list(section.body))]))
            promise_level = section.level
            continue
        if heading and _AREAS.search(heading):
            current, area_level = 2, section.level
            if section.body:
                del2["inledning"] = section_text(section)
            continue
        if current == 2 and heading and (area_level is None or section.level > area_level):
            listed = [p.lower() for p in (del2.get("inledning") or {}).get("punkter", [])]
            if listed and not any(p.startswith(heading.lower()) for p in listed):
                _kept(section, draft)  # del 2 lists its areas; this heading is not one of them (a method)
                continue
            areas.append(area(section, draft, ("del2", "prioriterade_omraden", len(areas))))
            continue
        key = _del1_key(heading) if heading else "bakgrund"
        if heading is None and any(s.heading and _del1_key(s.heading) == "bakgrund" for s in parts):
            key = None  # the lines before the first heading (a cover), when the document has its own Bakgrund
        if key == "delmal":
            points = [i.text for p in section.body if isinstance(p, Points) for i in p.items]
            if points:
                del1["delmal"] = points
                section.body[:] = [p for p in section.body if not isinstance(p, Points)]
                if section.body:
                    draft.leftovers += [p for p in section.body if isinstance(p, str)]
                continue
        if key and key not in del1 and key != "delmal":
            del1[key] = section_text(section, rubrik=heading is not None) or {"rubrik": heading}
            continue
        _kept(section, draft)
    out: dict[str, Any] = {}
    if del1:
        out["del1"] = del1
    if areas:
        del2["prioriterade_omraden"] = areas
    if del2:
        out["del2"] = del2
    loften = []
    for n, (head, sections) in enumerate(promises):
        base = ("medborgarloften", n)
        content = promise_content([s for s in sections if s.heading is not None or s.body], draft, base)
        years = re.findall(r"\b(?:19|20|21)\d\d\b", head.heading or "")
        texts = [t for part in sections for t in part.texts]
        found = find_period(head.heading or "", texts)  # "Medborgarlöftet gäller 2024–2025." before the heading's year
        own_period = ({"start": found.start, **({"slut": found.slut} if found.slut is not None else {})} if found
                      else dict(period))
        loften.append({"id": f"ml-{years[0] if years else n + 1}", "titel": head.heading, "period": own_period, **content})
        draft.note((*base, "period"), "kontrollera: löftets period, läst ur rubriken eller överenskommelsens period")
    if loften:
        out["medborgarloften"] = loften
    return out


__all__ = ["agreement_content"]
