"""Targeted edits of agreements/oxelosund/2024.yaml, as a reviewer would make them (issue 16).

``BASE`` is the 2024 agreement with a few more activities (so that parties,
numbers and deadlines can change); every entry of ``EDITS`` is the YAML text
of one edit of it. The tests diff BASE against each.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Y2024 = (ROOT / "agreements" / "oxelosund" / "2024.yaml").read_text(encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


_ACTIVITY = """      aktiviteter:
        - text: genomföra en utbildning för blivande kontaktombud i grannsamverkan och båtsamverkan, i samarbete med Polisen
          ansvar: kommunen
          frekvens: minst en gång per år
"""
_TRAFFIC = """        - text: genomföra trafikkontroller vid skolorna
          ansvar: polisen
          omfattning: minst 40 trafikkontroller
          senast: 2025-06-01
"""
_MEETING = """        - text: hålla ett öppet möte om grannsamverkan
          ansvar: tillsammans
"""
_SSPF = "        - text: samordna SSPF-arbetet i kommunens skolor\n          ansvar: kommunen\n"

BASE = edit(Y2024, _ACTIVITY, _ACTIVITY + _TRAFFIC + _MEETING)
BASE = edit(BASE, "      metoder: [sspf, est]\n", "      metoder: [sspf, est]\n      aktiviteter:\n" + _SSPF)


def _reordered_areas(text: str) -> str:
    a = text.index("    - id: stold-och-tillgreppsbrott")
    b = text.index('    # "Trygga ungdomar')
    c = text.index("# ----", b)
    return text[:a] + text[b:c].rstrip("\n") + "\n\n" + text[a:b].rstrip("\n") + "\n\n" + text[c:]


def _next_year(text: str) -> str:
    text = text.replace("2024-01-01", "2025-01-01").replace("2025-12-31", "2026-12-31").replace("2025-06-01", "2026-06-01")
    text = edit(text, "status: utkast", "status: fastställd")
    return edit(text, '    kommunkod: "0481"', '    kommunkod: "0481"\n    diarienummer: KS 2025/12')


EDITS = {
    "omradbrytning": edit(
        BASE,
        "    I Oxelösund kommun har vi ett nära samarbete med Polismyndigheten.\n",
        "    I Oxelösund kommun har vi ett nära\n    samarbete med   Polismyndigheten.\n",
    ),
    "omraden-i-ny-ordning": _reordered_areas(BASE),
    "aktivitet-flyttad": edit(edit(BASE, _TRAFFIC, ""), _SSPF, _SSPF + _TRAFFIC),
    "nytt-ansvar": edit(BASE, _MEETING, _MEETING.replace("tillsammans", "kommunen")),
    "ny-omfattning": edit(BASE, "minst 40 trafikkontroller", "minst 60 trafikkontroller"),
    "ny-period": edit(
        edit(BASE, "period:\n  start: 2024-01-01\n  slut: 2025-12-31", "period:\n  start: 2024-01-01\n  slut: 2026-12-31"),
        "    period:\n      start: 2024-01-01\n      slut: 2025-12-31",
        "    period:\n      start: 2024-01-01\n      slut: 2026-12-31",
    ),
    "ny-undertecknare": edit(BASE, "  - namn: Dag Bergentoft", "  - namn: Anna Andersson"),
    "nasta-ar": _next_year(BASE),
    "omskrivet-stycke": edit(
        BASE,
        "    Oxelösunds kommun arbetar trygghetsskapande och brottsförebyggande i samverkan med Polismyndigheten.\n",
        "    Parterna möts varje månad i en gemensam ledningsgrupp som följer upp lägesbilden och beslutar om insatser.\n",
    ),
}
"""Name → the edited YAML text."""
