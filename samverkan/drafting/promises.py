"""The promises and prose of one section of an imported document, in the agreement format.

:mod:`.importing` decides where each section of a kommun's document goes;
this module turns a section's content into values: its prose and plain
lists as a section (`Avsnitt`), its promise groups ("Polisen lovar att:"
and the list under it) with party and verb, promise lists whose points
name their own party, activity tables, and a focus area with all of
these. Every party read from the text gets a ``# kontrollera:`` note that
quotes the words it was read from; a party the text does not give is a
``<FYLL I: …>`` placeholder.
"""

from __future__ import annotations

import re
from typing import Any

from .draft import Draft, Path_, fill, quote
from .recognize import inverted_party, is_var_for_sig, named_party
from .sections import Group, Item, Points, Section, Table

def activity(item: Item, group_ansvar: str | None, draft: Draft, where: Path_) -> dict[str, Any]:
    out: dict[str, Any] = {"text": item.text}
    party = item.party
    named = (named_party(item.text) if group_ansvar is None else inverted_party(item.text)) if party is None else None
    if party and party != group_ansvar:
        out["ansvar"] = party
        if group_ansvar is not None:
            draft.note((*where, "ansvar"), f"kontrollera: ansvar läst ur punktens början {quote(item.text, 8)}")
    elif named is not None and named[0] != group_ansvar:
        out["ansvar"] = named[0]
        draft.note((*where, "ansvar"), f"kontrollera: ansvar gissat av orden {quote(named[1], 8)} i punkten")
    elif group_ansvar is None:
        out["ansvar"] = fill("kommunen, polisen, tillsammans eller var för sig")
    if item.children:
        out["aktiviteter"] = [activity(c, out.get("ansvar", group_ansvar), draft, (*where, "aktiviteter", n))
                              for n, c in enumerate(item.children)]
    return out


def group_dict(group: Group, draft: Draft, where: Path_) -> dict[str, Any]:
    ansvar = "var för sig" if is_var_for_sig(group.lead) else group.who.ansvar
    out: dict[str, Any] = {"ansvar": ansvar, **({"verb": group.who.verb} if group.who.verb else {}), "rubrik": group.lead}
    if ansvar is None:  # a lead-in that names no party ("Exempel på planerade åtgärder"): each point says
        out = {"rubrik": group.lead}
    else:
        draft.note((*where, "verb" if "verb" in out else "ansvar"), f"kontrollera: ansvar och verb lästa ur ingressen {quote(group.lead)}")
    if group.items:
        out["aktiviteter"] = [activity(i, ansvar, draft, (*where, "aktiviteter", n)) for n, i in enumerate(group.items)]
    else:
        out["aktiviteter"] = [{"text": fill("löftet som står efter ingressen")}]
    if group.after:
        out["avslutning"] = "\n\n".join(group.after)
        draft.note((*where, "avslutning"), "kontrollera: text efter punkterna, placerad som gruppens avslutning")
    return out


def section_text(section: Section, rubrik: bool = True) -> dict[str, Any]:
    """A section of prose and plain lists as an Avsnitt: text, points, text after them."""
    out: dict[str, Any] = {}
    if rubrik and section.heading:
        out["rubrik"] = section.heading
    elif not rubrik:
        out["utan_rubrik"] = True
    before, points, after, numbered = [], [], [], False
    for part in section.body:
        if isinstance(part, Table):  # a table that is not an activity list: its rows as text
            part = "\n".join(" | ".join(c for c in row if c) for row in part.rows if any(row))
        if isinstance(part, str):
            (after if points else before).append(part)
        elif isinstance(part, Points):
            points += [flat(i) for i in part.items]
            numbered = numbered or part.numbered
    if before:
        out["text"] = "\n\n".join(before)
    if points:
        out["punkter"] = points
        if numbered:
            out["numrerad"] = True
    if after:
        out["avslutning"] = "\n\n".join(after)
    return out


def flat(item: Item) -> str:
    return item.text + "".join(f"\n{flat(c)}" for c in item.children)


_PARTY_WORDS = (("tillsammans", r"tillsammans|gemensam|båda|polis.*kommun|kommun.*polis"), ("polisen", r"polis"),
                ("kommunen", r"kommun|förvaltning|nämnd|skola|socialtjänst"))


def table_activities(table: Table, draft: Draft, where: Path_, first: int) -> list[dict[str, Any]]:
    """An activity table's rows as activities: what, who (from the responsibility column), when, how much."""
    what = table.columns(r"aktivitet|åtgärd|insats|vad|löfte|uppgift")
    who = table.columns(r"ansvar")
    when = table.columns(r"^tid|när|tidplan|tidsplan|frekvens|period")
    much = table.columns(r"omfattning|mått|antal|mål")
    used = {what, who, when, much} - {None}
    draft.leftovers.append(" | ".join(table.rows[0]))
    out = []
    for n, row in enumerate(table.rows[1:]):
        cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
        if not cell(what):
            draft.leftovers.append(" | ".join(row))
            continue
        activity: dict[str, Any] = {"text": cell(what)}
        responsible = cell(who).lower()
        party = next((p for p, words in _PARTY_WORDS if re.search(words, responsible)), None)
        activity["ansvar"] = party or fill("kommunen, polisen, tillsammans eller var för sig")
        if cell(who):
            draft.note((*where, first + len(out), "ansvar"), f"kontrollera: ansvar läst ur kolumnen {quote(table.rows[0][who], 4)}: "  # type: ignore[index]
                       f"{quote(cell(who), 12)}")
        if cell(when):
            activity["frekvens"] = cell(when)
        if cell(much):
            activity["omfattning"] = cell(much)
        out.append(activity)
        draft.leftovers += [c for i, c in enumerate(row) if i not in used and c.strip()]
    return out


def promises_into(section: Section, target: dict[str, Any], draft: Draft, where: Path_) -> None:
    """Put a section's promise groups and promise lists into ``target`` (a löfte or a focus area)."""
    prose = Section(section.heading, section.level, section.label,
                    [p for p in section.body if isinstance(p, str) or (isinstance(p, Points) and p not in section.promise_lists)
                     or (isinstance(p, Table) and not p.activities)])
    for part in section.body:
        if isinstance(part, Group):
            groups = target.setdefault("grupper", [])
            groups.append(group_dict(part, draft, (*where, "grupper", len(groups))))
        elif isinstance(part, Table) and part.activities:
            acts = target.setdefault("aktiviteter", [])
            acts += table_activities(part, draft, (*where, "aktiviteter"), len(acts))
        elif isinstance(part, Points) and part in section.promise_lists:
            acts = target.setdefault("aktiviteter", [])
            acts += [activity(i, None, draft, (*where, "aktiviteter", len(acts) + n)) for n, i in enumerate(part.items)]
            draft.notes[(*where, "aktiviteter")] = [
                "kontrollera: varje punkts ansvar är läst ur punktens början (”Polisen lovar …”, ”Kommunen …”)"]
    section.body[:] = prose.body


def area(section: Section, draft: Draft, where: Path_) -> dict[str, Any]:
    title, number = section.heading or "", None
    found = re.match(r"^(\d{1,2})[.)]?\s+(.*)$", title)
    if section.label and re.match(r"^\d+[.)]?$", section.label):
        number = int(re.sub(r"\D", "", section.label))
    elif found:
        number, title = int(found.group(1)), found.group(2)
    area: dict[str, Any] = {"titel": title}
    if number is not None:
        area["nummer"] = number
    promises_into(section, area, draft, where)
    prose = section_text(section, rubrik=False)
    prose.pop("utan_rubrik", None)
    if prose:
        area["beskrivning"] = prose
    return area


__all__ = ["activity", "area", "flat", "group_dict", "promises_into", "section_text", "table_activities"]
