"""The signing block of an imported document: place and date, names and titles.

Names and titles stand last in a document, side by side in a table or in
columns, one under the other, or as "Namn, titel" on one line; a PDF may run
two names of a row together. Whom each person signs for is read from the
party named over the signature ("För Kumla kommun", "Polismyndigheten", a
form's "Underskrift"/"Namnförtydligande" boxes), else from the title (police
titles name the police) and marked for checking. The whole block is quoted
in the comment over the signatories, so none of its text is lost.
"""

from __future__ import annotations

import re

from .draft import Draft, quote
from .recognize import is_name, is_title, party_of_title, person, signing_line
from .sections import BlockLike


# The words of a signature form ("Underskrift", "Namnförtydligande") and the party a block is signed for.
_FORM = re.compile(r"\s*\b(?:Underskrift|Namnförtydligande|Ort och datum)\b\s*|^[_.…\s]{3,}$", re.IGNORECASE)
_PARTY = re.compile(r"^(?:för\s+)?(?:(?P<police>polismyndigheten|polisen|lokalpolisområde\s+.+)|[A-ZÅÄÖ][\wåäö-]+s?\s+(?:kommun|stad))$",
                    re.IGNORECASE)


def _form(text: str) -> tuple[str, str, str] | None:
    """(name, title, party) from one signature in a form: "Vingåkers kommun / Underskrift / Ralf Hedin /
    Namnförtydligande / Kommunchef" – the party from the line above the name, not guessed from the title."""
    if not re.search(r"\b(?:Underskrift|Namnförtydligande)\b", text, re.IGNORECASE):
        return None
    parts = [x.strip() for x in _FORM.split(re.sub(r"\n|\t| {3,}", "\n", text)) for x in x.split("\n") if x.strip(" _.…")]
    party = _PARTY.match(parts[0]) if parts else None
    rest = parts[1:] if party else parts
    if len(rest) < 2 or not is_name(rest[0]):
        return None
    who = party_of_title(rest[1]) if party is None else "polisen" if party.group("police") else "kommunen"
    return rest[0], " ".join(rest[1:]), who


_BOX = re.compile(r"[_.…\s]{3,}|underskrift|namnförtydligande|ort och datum|datum|namn|titel", re.IGNORECASE)


def _label(text: str) -> bool:
    """A party's name over its signature, the line to sign on, or a form's box label ("Namnförtydligande")."""
    return bool(_PARTY.match(text) or _BOX.fullmatch(text))


def take_signing(blocks: list[BlockLike], draft: Draft) -> list[BlockLike]:
    """Take the signing block (place and date, names and titles) off the end; return the rest.

    Up to two short lines after the names (a version code, a note) stay in the text."""
    for skip in range(3):
        if len(blocks) > skip and (skip == 0 or len(blocks[-skip].text) < 100):
            taken = _take(blocks[:len(blocks) - skip], draft)
            if taken is not None:
                return taken + list(blocks[len(blocks) - skip:])
    return _take(blocks, draft, last=True) or list(blocks)


def _take(blocks: list[BlockLike], draft: Draft, last: bool = False) -> list[BlockLike] | None:
    end = len(blocks)
    start = end
    while start > 0:
        b = blocks[start - 1]
        text = b.text.strip()
        parts = [x.strip() for x in re.split(r"\n|\t| {3,}", text) if x.strip()]
        if b.kind in ("paragraph", "cell") and parts and (
                all(is_name(x) or is_title(x) or person(x) or _label(x) for x in parts) or _form(text)):
            start -= 1
            continue
        break
    run = blocks[start:end]
    people: list[tuple[str, str]] = []
    parties: dict[int, str] = {}
    for form in [_form(b.text) for b in run]:
        if form:
            parties[len(people)] = form[2]
            people.append(form[:2])
    lines = [x.strip() for b in run if not _form(b.text) for x in re.split(r"\n|\t| {3,}", b.text) if x.strip()]
    lines = [part for n, line in enumerate(lines) for part in _two_names(line, lines[n + 1:n + 3])]
    lines = [part for line in lines for part in (_two_titles(line) if is_title(line) else [line])]
    waiting: list[str] = []
    labelled: list[str] = []  # "För Kumla kommun", "Polismyndigheten" over the names, in their order
    for line in lines:
        pair = person(line)
        found = _PARTY.match(line)
        if _BOX.fullmatch(line):
            continue
        if found and not pair:
            labelled.append("polisen" if found.group("police") else "kommunen")
            continue
        if pair or (waiting and not is_name(line)):
            if labelled:
                parties[len(people)] = labelled.pop(0)
            people.append(pair or (waiting.pop(0), line))
        elif is_name(line):
            waiting.append(line)
    if not people:
        if not last:
            return None
        run, start = [], end
    signed = signing_line(blocks[start - 1].text) if start > 0 else None
    if signed is None:
        signed = next((signing_line(b.text) for b in blocks[:start] if signing_line(b.text)), None)
        source_line = next((b.text for b in blocks[:start] if signing_line(b.text)), None)
        rest = [b for b in blocks[:start] if b.text != source_line] if signed else blocks[:start]
    else:
        source_line = blocks[start - 1].text
        rest = blocks[:start - 1]
    if people and rest and re.match(r"^(?:underskrift(?:er)?|undertecknande|underteckning)$", rest[-1].text.strip(), re.IGNORECASE):
        draft.leftovers.append(rest[-1].text)  # the signature page's own heading, with nothing else under it
        rest = rest[:-1]
    signers = []
    for n, (name, title) in enumerate(people):
        party = parties.get(n) or party_of_title(title)
        signers.append({"namn": name, "titel": title, "part": party})
        if n not in parties:
            draft.note(("undertecknare", n, "part"), f"kontrollera: part gissad av titeln {quote(title)}")
    if signers:
        draft.data["undertecknare"] = signers
        quoted = " / ".join(" ".join(b.text.split()) for b in run)
        draft.note(("undertecknare",), f"kontrollera: namn och titlar lästa ur ”{quoted}”")
    for leftover in lines if not people else []:
        draft.leftovers.append(leftover)

    if signed:
        place, when = signed
        draft.data["undertecknande"] = {"ort": place, **({"datum": when} if when else {})}
        draft.note(("undertecknande",), f"kontrollera: läst ur {quote(source_line or '')}")
    return rest


def _two_titles(line: str) -> list[str]:
    """"Kommunstyrelsens ordförande Lokalpolisområdeschef Hallsberg": two titles side by side, run together."""
    words = line.split()
    for n in range(1, len(words)):
        if words[n][:1].isupper() and words[n - 1][:1].islower():
            first, second = " ".join(words[:n]), " ".join(words[n:])
            if is_title(first) and is_title(second):
                return [first, second]
    return [line]


def _two_names(line: str, following: list[str]) -> list[str]:
    """"Per Eriksson Mats Scherp" over two titles: two names side by side that a PDF ran together."""
    words = line.split()
    titles = [t for x in following for t in _two_titles(x)][:2]
    if len(words) == 4 and is_name(line) and len(titles) == 2 and all(is_title(x) for x in titles):
        return [" ".join(words[:2]), " ".join(words[2:])]
    return [line]


__all__ = ["take_signing"]
