"""Realistic first-time YAML mistakes: each message points at the line of the
mistake, quotes it with a marker, and gives a fix that works when followed literally.

The fix is followed the way a person would follow it – add or remove the
spaces it names, put the line it shows in place of the old one – and the
file must then be valid, so no advice here can lead into a second error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from samverkan.errors import InvalidAgreement, Problem
from samverkan.model.loader import loads

BASE = (Path(__file__).resolve().parent / "corpus" / "base.yaml").read_text(encoding="utf-8")
AREA2 = "      id: trygga-unga\n      titel: Trygga unga\n      metoder: [sspf]\n"


def sub(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


# (id, text, line of the mistake, fragment of the message)
MISTAKES = [
    ("missing-colon", sub("    namn: Exempelby kommun", "    namn Exempelby kommun"), 6,
     'kolon saknas efter fältnamnet "namn" – skriv `namn: Exempelby kommun`'),
    ("missing-colon-before-comment", sub("    namn: Exempelby kommun\n", "    namn: Exempelby kommun\n    kortnamn Exempelby\n    # koden\n"), 7,
     "skriv `kortnamn: Exempelby`"),
    ("missing-colon-alone", sub("  delmal:\n", "  delmal\n"), 17, "skriv `delmal:`"),
    ("unclosed-quote", sub("    titel: Polisens trygghetsmätning 2019", '    titel: "Polisens trygghetsmätning 2019'), 38,
     'lägg till " sist i texten'),
    ("unclosed-quote-closed-later", sub("    titel: Polisens trygghetsmätning 2019\n    utgivare: Origo Group",
                                        '    titel: "Polisens trygghetsmätning 2019\n    utgivare: "Origo Group"'), 38, "stängs aldrig"),
    ("unclosed-single-quote", sub("    titel: Polisens trygghetsmätning 2019", "    titel: 'Polisens trygghetsmätning 2019"), 38, "lägg till ' sist"),
    ("word-quotes", sub("    titel: Polisens trygghetsmätning 2019", "    titel: ”Polisens: trygghetsmätning 2019”"), 38,
     'använd raka citattecken (") i stället för ” ”'),
    ("colon-in-text", sub("    titel: Polisens trygghetsmätning 2019", "    titel: Polisens: trygghetsmätning 2019"), 38,
     "sätt texten inom citattecken"),
    ("text-after-quote", sub("    titel: Polisens trygghetsmätning 2019", '    titel: "Polisens" trygghetsmätning 2019'), 38,
     "sätt hela texten inom citattecken"),
    ("at-sign", sub("    titel: Polisens trygghetsmätning 2019", "    titel: @polisen"), 38, 'texten börjar med "@"'),
    ("indent-one-less", sub("          ansvar: tillsammans", "         ansvar: tillsammans"), 26,
     'fel indrag – "ansvar" ska börja rakt under "text" på rad 25: lägg till 1 mellanslag'),
    ("indent-one-more", sub("          ansvar: tillsammans", "           ansvar: tillsammans"), 26, "ta bort 1 mellanslag"),
    ("indent-under-dash", sub("          ansvar: tillsammans", "        ansvar: tillsammans"), 26, "lägg till 2 mellanslag"),
    ("indent-key-too-deep", sub('    kommunkod: "0481"', '      kommunkod: "0481"'), 7, 'rakt under "namn" på rad 6: ta bort 2'),
    ("indent-key-too-shallow", sub('    kommunkod: "0481"', '   kommunkod: "0481"'), 7, "lägg till 1 mellanslag"),
    ("tab", sub("    utgivare: Origo Group", "\tutgivare: Origo Group"), 39, "byt tabben mot 4 mellanslag"),
    ("forgotten-dash-area", sub("medborgarloften:\n", AREA2 + "medborgarloften:\n"), 28,
     'lägg till "- " först på raden för att börja ett nytt område'),
    ("forgotten-dash-activity", sub("          frekvens: minst en gång per år\n",
                                    "          frekvens: minst en gång per år\n          text: ordna trygghetsvandring\n          ansvar: kommunen\n"),
     28, 'lägg till "- " först på raden för att börja en ny aktivitet'),
    ("forgotten-dash-text-item", sub("    - Fler grannsamverkansområden", "    - Fler grannsamverkansområden\n    Färre inbrott"), 19,
     'lägg till "- " först på raden för att börja en ny punkt'),
    ("text-on-next-line", sub("  syfte: Att minska brottsligheten och öka tryggheten.", "  syfte: Att minska brottsligheten\n  och öka tryggheten."), 17,
     "lägg till 2 mellanslag först på raden"),
    ("misspelt-key", sub("  syfte:", "  syftet:"), 16, 'okänt fält "syftet" – menade du "syfte"? Skriv `syfte:` i stället för `syftet:`'),
    ("misspelt-value", sub("status: undertecknad", "status: Undertecknat"), 2, 'menade du "undertecknad"? Skriv `status: undertecknad`'),
    ("misspelt-ansvar", sub("ansvar: tillsammans", "ansvar: polis"), 26, "Skriv `ansvar: polisen`"),
    ("date-in-words", sub("  start: 2024-01-01\n  slut: 2025-12-31\ndel1", "  start: 1 januari 2024\n  slut: 2025-12-31\ndel1"), 13,
     "datum skrivs ÅÅÅÅ-MM-DD: skriv `start: 2024-01-01`"),
    ("method-abbreviation", sub("[grannsamverkan, est]", "[grannsamverkan, EST]"), 23, 'menade du "est" (Effektiv samordning för trygghet)?'),
    ("method-name", sub("[grannsamverkan, est]", "[Trygghetsvandring, est]"), 23, 'menade du "trygghetsvandring"?'),
    ("hash-in-text", sub("    titel: Polisens trygghetsmätning 2019", "    titel: Mätning #2: polisen"), 38,
     'texten slutar vid " #": resten av raden läses som en kommentar'),
    ("list-expected", sub("  delmal:\n    - Fler grannsamverkansområden", "  delmal: Fler grannsamverkansområden"), 17, 'börjar med "- "'),
]


def test_dash_without_space_is_named() -> None:
    text = sub("    - Fler grannsamverkansområden", "    -Fler grannsamverkansområden")
    [problem] = problems_of(text)
    assert 'efter "-" saknas ett mellanslag' in problem.message and "`- Fler grannsamverkansområden`" in problem.message


def problems_of(text: str) -> list[Problem]:
    try:
        loads(text, "fil.yaml")
    except InvalidAgreement as e:
        return e.problems
    return []


def follow(message: str, line: str) -> str:
    """The line after doing literally what ``message`` says."""
    indent = len(line) - len(line.lstrip(" \t"))
    lead = line[:indent]
    if found := re.search(r"byt (?:tabben|indraget) mot (\d+) mellanslag", message):
        return " " * int(found.group(1)) + line[indent:]
    if found := re.search(r"lägg till (\d+) mellanslag först på raden", message):
        return " " * int(found.group(1)) + line
    if found := re.search(r"ta bort (\d+) mellanslag först på raden", message):
        count = int(found.group(1))
        assert line.startswith(" " * count)
        return line[count:]
    if found := re.search(r"[Ss]kriv `([^`]+)` i stället för `([^`]+)`", message):
        assert found.group(2) in line
        return line.replace(found.group(2), found.group(1), 1)
    if found := re.search(r"`([^`]+)` och på nästa rad `([^`]+)`", message):
        return lead + found.group(1) + "\n" + found.group(2)
    shown = re.search(r"(?:[Ss]kriv|:) `([^`]+)`", message)
    assert shown, f"no fix to follow in {message!r}"
    if "i stället för de två sista mellanslagen" in message:
        assert lead.endswith("  ")
        return lead[:-2] + shown.group(1)
    return lead + shown.group(1)


@pytest.mark.parametrize(("text", "line", "fragment"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_mistake_is_located_explained_and_fixed_by_following_the_message(text: str, line: int, fragment: str) -> None:
    problems = problems_of(text)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert fragment in problem.message, str(problem)
    assert problem.line == line, str(problem)
    # The line as written, with a marker under the column.
    quoted, marker = problem.excerpt.splitlines()
    assert quoted.startswith(f"{line:>5} | ")
    assert marker.index("^") - marker.index("|") - 2 == len(quoted[quoted.index("|") + 2 :][: problem.column - 1].replace("→   ", "→"))
    lines = text.split("\n")
    lines[line - 1] = follow(problem.message, lines[line - 1])
    assert problems_of("\n".join(lines)) == [], f"following {problem.message!r} did not fix the file"


def test_every_tab_is_reported_in_one_run() -> None:
    text = sub("    utgivare: Origo Group\n    ar: 2020", "\tutgivare: Origo Group\n\tar: 2020").replace("    part: polis", "\tpart: polis")
    problems = problems_of(text)
    assert [p.line for p in problems] == [39, 40, 49]
    assert all("tabbtecken i indraget" in p.message for p in problems)


def test_syntax_and_content_problems_in_one_run() -> None:
    text = sub("    utgivare: Origo Group", "\tutgivare: Origo Group").replace("  syfte:", "  syftet:").replace(
        '    titel: "x"', '    titel: "x"'
    ).replace("status: undertecknad", "status: klar").replace("    namn: Exempelby kommun", "    namn Exempelby kommun")
    problems = problems_of(text)
    assert [p.line for p in problems] == [2, 6, 16, 39], "\n".join(map(str, problems))


def test_forgotten_dash_is_never_called_a_duplicate_to_delete() -> None:
    problems = problems_of(sub("medborgarloften:\n", AREA2 + "medborgarloften:\n"))
    assert not any("ta bort" in p.message for p in problems)


def test_no_programmer_words_in_messages() -> None:
    texts = [m[1] for m in MISTAKES] + [sub("  kommun:\n    namn: Exempelby kommun\n", "  kommun: Exempelby kommun\n    namn: x\n")]
    for text in texts:
        for problem in problems_of(text):
            assert "mappning" not in problem.message and "[0]" not in problem.message, problem.message
