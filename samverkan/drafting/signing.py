"""The signing block of an imported document: place and date, names and titles.

Names and titles stand last in a document, side by side in a table or in
columns, one under the other, or as "Namn, titel" on one line; a PDF may run
two names of a row together. Whom each person signs for is read from the
title (police titles name the police) and marked for checking.
"""

from __future__ import annotations

import re

from .draft import Draft, quote
from .recognize import is_name, is_title, party_of_title, person, signing_line
from .sections import BlockLike


def take_signing(blocks: list[BlockLike], draft: Draft) -> list[BlockLike]:
    """Take the signing block (place and date, names and titles) off the end; return the rest."""
    end = len(blocks)
    start = end
    while start > 0:
        b = blocks[start - 1]
        text = b.text.strip()
        parts = [x.strip() for x in re.split(r"\n|\t| {3,}", text) if x.strip()]
        if b.kind in ("paragraph", "cell") and parts and all(is_name(x) or is_title(x) or person(x) for x in parts):
            start -= 1
            continue
        break
    run = blocks[start:end]
    lines = [x.strip() for b in run for x in re.split(r"\n|\t| {3,}", b.text) if x.strip()]
    lines = [part for n, line in enumerate(lines) for part in _two_names(line, lines[n + 1:n + 3])]
    lines = [part for line in lines for part in (_two_titles(line) if is_title(line) else [line])]
    people: list[tuple[str, str]] = []
    waiting: list[str] = []
    for line in lines:
        pair = person(line)
        if pair:
            people.append(pair)
        elif is_name(line):
            waiting.append(line)
        elif waiting:
            people.append((waiting.pop(0), line))
    if not people:
        run, start = [], end
    signed = signing_line(blocks[start - 1].text) if start > 0 else None
    if signed is None:
        signed = next((signing_line(b.text) for b in blocks[:start] if signing_line(b.text)), None)
        source_line = next((b.text for b in blocks[:start] if signing_line(b.text)), None)
        rest = [b for b in blocks[:start] if b.text != source_line] if signed else blocks[:start]
    else:
        source_line = blocks[start - 1].text
        rest = blocks[:start - 1]
    signers = []
    for n, (name, title) in enumerate(people):
        party = party_of_title(title)
        signers.append({"namn": name, "titel": title, "part": party})
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
