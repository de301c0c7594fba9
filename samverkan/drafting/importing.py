"""A draft agreement file from a kommun's own Word file or PDF (`samverkan import`).

The document's blocks (read by :mod:`samverkan.documents.reading`) are
grouped into sections (:mod:`.sections`) and placed in the agreement format:
title, parties, period, the medborgarlöfte's sections under the headings the
kommun wrote, focus areas, promises grouped by party with their lead-in
("Polisen lovar att:") and verb, signatories and the place and date of
signing. The result is a best-effort draft, written by :mod:`.draftwrite`:

- every value found by a guess (a period read from a sentence, a party read
  from a lead-in, a signatory's party from the title) has a
  ``# kontrollera:`` comment quoting the source text it came from;
- a value the document does not give is a ``<FYLL I: …>`` placeholder that
  ``samverkan validate`` points out;
- text that has no place is kept in a commented block at the end of the
  file, so that every paragraph of the source is in the file.
"""

from __future__ import annotations

import re
from typing import Any

from ..fsutil import slug
from .draft import Draft, Path_, fill, quote
from .kommuner import find as find_kommun
from .promises import activity, area, flat, group_dict, promises_into, section_text
from .recognize import Promiser, find_period, find_police_area, find_police_region
from .sections import BlockLike, Group, Item, LinkPara, Points, Section, kind_of, party_heading, promise_headings, sections
from .signing import take_signing
from .skeleton import kommun_name

_ORDER = ("inledning", "lagesbild", "mal", "fokusomraden", "genomforande", "uppfoljning", "folj_arbetet")


def promise_content(parts: list[Section], draft: Draft, base: Path_ = ("medborgarlofte",)) -> dict[str, Any]:
    """A medborgarlöfte's content (the `medborgarlofte` mapping) from its sections."""
    content: dict[str, Any] = {}
    order: list[str] = []
    promise_headings(parts)
    nested = _nested_areas(parts)
    with_promises = [s for s in parts if s.heading and s.has_promises and kind_of(s.heading) not in ("lagesbild",)
                     and not party_heading(s.heading)]
    as_areas = len(with_promises) >= 2
    for section in parts:
        kind = kind_of(section.heading) if section.heading else "inledning"
        for link in [p for p in section.body if isinstance(p, LinkPara)]:
            content.setdefault("lankar", []).append({"text": link.text, "url": link.url})
            section.body.remove(link)
            draft.note((*base, "lankar"), "kontrollera: stycken i källan som bara är en länk")
        for text, url in section.links:
            draft.note((*base,), f"kontrollera: källan länkar ”{text}” till {url}")
        if "fokusomraden" not in content and _listed_areas(section, content, draft, base):
            order.append("fokusomraden")
            if "genomforande" in content:
                order.append("genomforande")
            if section.heading is not None or not section.body:
                continue
        if section.heading is None:
            if section.has_promises:
                promises_into(section, content, draft, base)
                content["genomforande"] = {"utan_rubrik": True}  # the promises stand without a heading
                order.append("genomforande")
            if section.body:
                content["inledning"] = section_text(section, rubrik=False)
                content["inledning"].pop("utan_rubrik", None)  # an inledning has no heading unless it is given one
                order.insert(0, "inledning")
            continue
        if (as_areas and section in with_promises) or id(section) in nested:
            content.setdefault("fokusomraden_text", {"utan_rubrik": True})  # the areas stand under their own headings
            areas = content.setdefault("fokusomraden", [])
            areas.append(area(section, draft, (*base, "fokusomraden", len(areas))))
            order.append("fokusomraden")
            continue
        if section.has_promises and (content.get("grupper") or content.get("aktiviteter") or party_heading(section.heading)):
            _headed_group(section, content, draft, base)  # "Gemensamt löfte 2016" after the other promises
            if "genomforande" not in order:  # the first promises: they stand under their own heading
                content.setdefault("genomforande", {"utan_rubrik": True})
                order.append("genomforande")
            continue
        if section.has_promises and kind in ("lagesbild", "mal", "inledning", "uppfoljning") and kind not in content:
            promises_into(section, content, draft, base)  # the promises follow the section's own text
            content.setdefault("genomforande", {"utan_rubrik": True})
            order.append(kind)
            order.append("genomforande")
            content[kind] = section_text(section) or {"rubrik": section.heading}
            continue
        if section.has_promises:
            promises_into(section, content, draft, base)
            kind = "genomforande"
        elif kind == "genomforande" and (content.get("grupper") or content.get("aktiviteter")):
            kind = None  # the promises came earlier, without this heading: keep the section where it stands
        if kind == "fokusomraden" and "fokusomraden_text" not in content:
            lists = [p for p in section.body if isinstance(p, Points)]
            text = section_text(section)
            if lists and not content.get("fokusomraden"):
                at = section.body.index(lists[0])
                content["fokusomraden"] = [_area_item(i) for i in lists[0].items]
                text = {"rubrik": section.heading}
                before = [t for t in section.body[:at] if isinstance(t, str)]
                after = [t for t in section.body[at + 1:] if isinstance(t, str)]
                text.update({"text": "\n\n".join(before)} if before else {})
                text.update({"avslutning": "\n\n".join(after)} if after else {})
                draft.leftovers += [flat(i) for p in lists[1:] for i in p.items]
            content["fokusomraden_text"] = text
            order.append("fokusomraden")
            continue
        if kind and kind != "fokusomraden" and kind not in content:
            content[kind] = section_text(section) or {"rubrik": section.heading}
            order.append(kind)
            continue
        own = content.setdefault("avsnitt", [])
        ident = _unique(slug(section.heading)[:50] or "avsnitt", [a["id"] for a in own])
        own.append({"id": ident, **(section_text(section) or {"rubrik": section.heading})})
        order.append(ident)
    if content.get("lankar") and "folj_arbetet" not in order:
        order.append("folj_arbetet")
    fields = ("loftesverb", "inledning", "lagesbild", "mal", "fokusomraden_text", "fokusomraden", "genomforande",
              "metoder", "aktiviteter", "grupper", "uppfoljning", "folj_arbetet", "lankar", "avsnitt")
    ordered = sorted(content.items(), key=lambda kv: fields.index(kv[0]) if kv[0] in fields else len(fields))
    content.clear()
    content.update(ordered)
    seen = list(dict.fromkeys(order))
    standard = [k for k in _ORDER if k in seen]
    if [k for k in seen if k in _ORDER] != standard or any(k not in _ORDER for k in seen):
        content["ordning"] = seen
    return content


def _nested_areas(parts: list[Section]) -> set[int]:
    """The sections one level under a "Fokusområden" heading are its areas (ids of them); a section
    further down ("Exempel på planerade åtgärder") is folded into its area, its lists a group under it."""
    areas: set[int] = set()
    out: list[Section] = []
    parent: Section | None = None
    level: int | None = None
    for section in parts:
        if parent is not None and section.heading and section.level > parent.level:
            if level is None or section.level <= level:
                level = section.level
                areas.add(id(section))
                out.append(section)
            else:
                _fold(out[-1], section)
            continue
        parent = section if section.heading and kind_of(section.heading) == "fokusomraden" else None
        level = None
        out.append(section)
    for section in [s for s in out if id(s) in areas]:
        at = out.index(section)
        for n, more in enumerate(_numbered_tail(section)):
            areas.add(id(more))
            out.insert(at + 1 + n, more)
    parts[:] = out
    return areas


def _numbered_tail(area: Section) -> list[Section]:
    """Numbered points after an area's bulleted list, continuing the areas' numbering ("2. Ökad trygghet …"
    after area 1's measures): areas with no text of their own, as samverkan prints them."""
    last = area.body[-1] if area.body else None
    items = last.items if isinstance(last, (Group, Points)) else []
    numbered = [re.fullmatch(r"(\d{1,2})[.)]", i.label) for i in items]
    first = re.match(r"^(\d{1,2})[.)]?\s", area.heading or "") or re.fullmatch(r"(\d{1,2})[.)]?", area.label)
    k = next((n for n in range(1, len(items)) if all(numbered[n:]) and not any(numbered[:n])), None)
    if k is None or first is None or int(numbered[k].group(1)) != int(first.group(1)) + 1:  # type: ignore[union-attr]
        return []
    tail = items[k:]
    del items[k:]
    return [Section(i.text, area.level, i.label) for i in tail]


def _fold(area: Section, sub: Section) -> None:
    """A sub-section into its area: a list under it is a group with the sub-heading as its lead-in."""
    lists = [p for p in sub.body if isinstance(p, Points)]
    if sub.heading and lists and not sub.groups:
        area.body.append(Group(sub.heading, Promiser(None, None), [i for p in lists for i in p.items]))
        area.body += [p for p in sub.body if not isinstance(p, Points)]
        return
    area.body += [x for x in (sub.heading, *sub.body) if x]


def _headed_group(section: Section, content: dict[str, Any], draft: Draft, base: Path_) -> None:
    """A heading over more promises, after earlier ones: one group with the heading as its lead-in."""
    items = [i for p in section.promise_lists for i in p.items]
    parties = {i.party for i in items}
    groups = content.setdefault("grupper", [])
    where = (*base, "grupper", len(groups))
    group: dict[str, Any] = {"rubrik": section.heading}
    named = party_heading(section.heading or "")
    if named is not None:
        group["ansvar"] = named
        draft.note((*where, "ansvar"), f"kontrollera: ansvar läst ur rubriken {quote(section.heading or '')}")
    elif len(parties) == 1 and None not in parties:
        group["ansvar"] = parties.pop()
    if items:
        group["aktiviteter"] = [activity(i, group.get("ansvar"), draft, (*where, "aktiviteter", n)) for n, i in enumerate(items)]
        groups.append(group)
        draft.note((*where, "aktiviteter"), "kontrollera: rubriken står som ingress till punkterna under den")
    for part in section.body:
        if isinstance(part, Group):
            groups.append(group_dict(part, draft, (*base, "grupper", len(groups))))
        elif isinstance(part, str):
            draft.leftovers.append(part)
        elif isinstance(part, Points) and part not in section.promise_lists:
            draft.leftovers += [flat(i) for i in part.items]


_AREA_LEAD = re.compile(r"fokusområde|prioriterade områden|prioriterat område|följande områden", re.IGNORECASE)
_AREA_SAID = re.compile(r"(?:följande\s+(?:\w+\s+)?(?:fokus)?områden|fokusområden)\b[^.]*:$", re.IGNORECASE)


def _listed_areas(section: Section, content: dict[str, Any], draft: Draft, base: Path_) -> bool:
    """Focus areas given as a list after a sentence that says so ("… följande fokusområden:")."""
    body = section.body

    def listed(n: int, part: object) -> bool:
        if not (n and isinstance(part, Points) and isinstance(body[n - 1], str) and _AREA_LEAD.search(body[n - 1])):
            return False
        # "Under år 2022 ska följande områden vara i fokus:" names its list the focus areas, even when
        # each area is written as what a party shall do
        said = _AREA_SAID.search(str(body[n - 1]).strip())
        return (said is not None or part not in section.promise_lists) and all(
            len(i.text) < (500 if said else 250) for i in part.items)

    at = next((n for n, part in enumerate(body) if listed(n, part)), None)
    if at is None:
        return False
    end = at + 1
    while end < len(body) and isinstance(body[end], str):
        end += 1
    after = [t for t in body[at + 1:end] if isinstance(t, str)]
    text: dict[str, Any] = {"rubrik": section.heading} if section.heading else {"utan_rubrik": True}
    text["text"] = body[at - 1]
    if after:
        text["avslutning"] = "\n\n".join(after)
    content["fokusomraden_text"] = text
    content["fokusomraden"] = [_area_item(i) for i in body[at].items]  # type: ignore[union-attr]
    draft.note((*base, "fokusomraden"), f"kontrollera: fokusområdena är punkterna efter {quote(str(body[at - 1]), 12)}")
    rest = body[:at - 1] if section.heading is None else []
    promises = Section(None, section.level, "", [*([] if section.heading is None else body[:at - 1]), *body[end:]])
    if promises.has_promises:
        promises_into(promises, content, draft, base)
        content.setdefault("genomforande", {"utan_rubrik": True})
    draft.leftovers += [x for x in promises.body if isinstance(x, str)]
    draft.leftovers += [flat(i) for x in promises.body if isinstance(x, Points) for i in x.items]
    body[:] = rest
    return True


def _area_item(item: Item) -> dict[str, Any]:
    found = re.match(r"^(\d{1,2})[.)]$", item.label)
    area: dict[str, Any] = {"titel": flat(item)}
    if found:
        area["nummer"] = int(found.group(1))
    return area


def _unique(ident: str, taken: list[str]) -> str:
    out, n = ident, 2
    while out in taken:
        out, n = f"{ident}-{n}", n + 1
    return out


# -- the whole draft -------------------------------------------------------------------------


def build_draft(blocks: list[BlockLike], kommun: str, title: str | None = None, source: str = "",
                furniture: tuple[str, ...] = ()) -> Draft:
    """The draft's data from a document's blocks (see the module docstring)."""
    namn, kortnamn = kommun_name(kommun)
    draft = Draft({}, source=source, furniture=list(furniture))
    blocks = [b for b in blocks if b.text.strip()]
    texts = [b.text for b in blocks]
    notes = [b for b in blocks if b.kind == "note"]
    cells = [b for b in blocks if b.kind == "cell"]
    heading = next((b for b in blocks if b.kind == "title"), None)
    if heading is None and blocks and (blocks[0].kind == "heading" or _bold_line(blocks[0])):
        heading = blocks[0]  # a document without a Title style: its first heading, or its first bold line
    doc_title = heading.text if heading else title
    body = [b for b in blocks if b is not heading and b.kind != "note"]
    is_promise = not _is_agreement(doc_title or "", body)
    data = draft.data
    data["dokument"] = "medborgarlöfte" if is_promise else "samverkansöverenskommelse"
    if not is_promise:
        draft.note(("dokument",), "kontrollera: en samverkansöverenskommelse; del 1, del 2 och medborgarlöftet är "
                   "placerade efter rubrikernas ord, och det som inte kunde placeras står sist i filen")
    if doc_title:
        data["titel"] = doc_title
    data["status"] = "utkast"
    police = find_police_area(texts)
    region = find_police_region(texts)
    known = find_kommun(kommun)  # public facts about the kommun: kommunkod, polisregion
    data["parter"] = {"kommun": {"namn": namn, "kortnamn": kortnamn, **({"kommunkod": known.kommunkod} if known else {})},
                      "polis": {"lokalpolisomrade": police[0] if police else fill("lokalpolisområdet, t.ex. Lokalpolisområde Nyköping")}}
    if police:
        draft.note(("parter", "polis", "lokalpolisomrade"), f"kontrollera: läst ur {quote(police[1], 14)}")
    elif known and known.lokalpolisomrade:
        data["parter"]["polis"]["lokalpolisomrade"] = known.lokalpolisomrade
        draft.note(("parter", "polis", "lokalpolisomrade"), "kontrollera: dokumentet nämner det inte; taget ur "
                   "tabellen över kommunerna")
    if region:
        data["parter"]["polis"]["polisregion"] = region[0]
        draft.note(("parter", "polis", "polisregion"), f"kontrollera: läst ur {quote(region[1], 14)}")
    elif known:
        data["parter"]["polis"]["polisregion"] = known.polisregion
        draft.note(("parter", "polis", "polisregion"), f"kontrollera: {known.lan}s polisregion enligt tabellen "
                   "över kommunerna; dokumentet nämner den inte")
    period = find_period(doc_title or "", texts)
    if period:
        data["period"] = {"start": period.start, **({"slut": period.slut} if period.slut is not None else {})}
        how = "datumen" if period.exact else "årtalen (bara år: ange datum om de är kända)"
        draft.note(("period",), f"kontrollera: {how} lästa ur {quote(period.source)}")
    else:
        data["period"] = {"start": fill("första dag som gäller, ÅÅÅÅ-MM-DD eller årtal"),
                          "slut": fill("sista dag som gäller, ÅÅÅÅ-MM-DD eller årtal")}
    rest = take_signing([b for b in body if b.kind != "cell" or b in cells], draft)
    rest = _sources(rest, notes, draft)
    parts = sections(rest)
    if is_promise:
        data["medborgarlofte"] = promise_content(parts, draft) or {"inledning": fill("medborgarlöftets text")}
    else:
        from .agreementdraft import agreement_content

        data.update(agreement_content(parts, draft, data["period"]))
    _order_keys(data)
    return draft


def _bold_line(block: BlockLike) -> bool:
    text = block.text.strip()
    return block.kind == "paragraph" and block.bold and len(text) <= 150 and not text.endswith((".", ":", ";", ","))


_AGREEMENT = re.compile(r"samverkansöverenskommelse|samverkansavtal|överenskommelse om samverkan", re.IGNORECASE)


def _is_agreement(title: str, body: list[BlockLike]) -> bool:
    """A samverkansöverenskommelse by its title, unless the title only reports one ("… undertecknar
    samverkansavtal") over a text about a medborgarlöfte with no del 1 or del 2."""
    if not _AGREEMENT.search(title) or re.search(r"medborgarlöfte", title, re.IGNORECASE):
        return False
    if re.match(rf"^\s*(?:lokal\s+)?(?:{_AGREEMENT.pattern})", title, re.IGNORECASE):
        return True
    parts = any(re.match(r"^del\s*[12]\b", b.text.strip(), re.IGNORECASE) for b in body if b.kind in ("heading", "paragraph"))
    return parts or not any(re.search(r"medborgarlöfte", b.text, re.IGNORECASE) for b in body)


def _sources(blocks: list[BlockLike], notes: list[BlockLike], draft: Draft) -> list[BlockLike]:
    """Footnotes become sources (kallor) and their markers in the text ``[^kalla-N]``."""
    if not notes:
        return blocks
    ids = {n.label: f"kalla-{n.label or i + 1}" for i, n in enumerate(notes)}
    draft.data["kallor"] = [{"id": ids[n.label], "titel": n.text} for n in notes]
    draft.note(("kallor",), "kontrollera: fotnoterna i källan; dela upp titel, utgivare, år och webbadress")

    class Marked:
        def __init__(self, block: BlockLike) -> None:
            self.kind, self.level, self.label, self.bold = block.kind, block.level, block.label, block.bold
            self.text = re.sub(r"\[(\w+)\]", lambda m: f"[^{ids[m.group(1)]}]" if m.group(1) in ids else m.group(0), block.text)

    return [Marked(b) for b in blocks]  # type: ignore[misc]


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("ansvar", "verb", "id", "ordning") for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _order_keys(data: dict[str, Any]) -> None:
    order = ["dokument", "titel", "status", "parter", "period", "del1", "del2", "medborgarloften", "medborgarlofte",
             "kallor", "undertecknare", "undertecknande"]
    items = sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    data.clear()
    data.update(items)


__all__ = ["Draft", "area", "build_draft", "fill", "promise_content", "section_text"]
