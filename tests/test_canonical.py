"""Equal printed text and equal Versionskod go together (issue 16).

Every variant below is a targeted edit of ``agreements/oxelosund/2024.yaml``
(or 2021, which cites a source). The test renders both files and compares
the documents' text with the Versionskod taken out: a variant that prints the
same must keep the Versionskod and give an empty comparison; one that prints
differently must change it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from samverkan.compare.structure import compare
from samverkan.documents.render import render_docx
from samverkan.model.canonical import normal_text
from samverkan.model.loader import loads

ROOT = Path(__file__).resolve().parent.parent
Y2024 = (ROOT / "agreements" / "oxelosund" / "2024.yaml").read_text(encoding="utf-8")
Y2021 = (ROOT / "agreements" / "oxelosund" / "2021.yaml").read_text(encoding="utf-8")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def printed(text: str, document: str = "overenskommelse") -> list[str]:
    """Every paragraph of the rendered document (body, headers, footers), Versionskod blanked."""
    package = zipfile.ZipFile(io.BytesIO(render_docx(loads(text), document)))
    out = []
    for name in sorted(n for n in package.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)):
        for p in etree.fromstring(package.read(name)).iter(f"{W}p"):
            out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return [re.sub(r"\b[0-9a-f]{12}\b", "<kod>", line) for line in out]


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


KUMLA = (ROOT / "agreements" / "kumla" / "2017.yaml").read_text(encoding="utf-8")

REWRAPPED = edit(
    Y2024,
    "    I Oxelösund kommun har vi ett nära samarbete med Polismyndigheten.\n",
    "    I Oxelösund kommun har vi ett nära\n    samarbete  med Polismyndigheten.   \n",
)


def _swap_own_methods(text: str) -> str:
    head, methods = text.split("egna_metoder:\n", 1)
    methods, tail = methods.split("# Sidan anger inget datum", 1)
    blocks = re.split(r"(?m)^(?=  - id: )", methods)
    intro, items = blocks[0], blocks[1:]
    return head + "egna_metoder:\n" + intro + "".join(reversed(items)) + "# Sidan anger inget datum" + tail


SIGNERS_SWAPPED = edit(
    Y2024,
    "  - namn: Dag Bergentoft\n    titel: Kommunstyrelsens ordförande\n    part: kommunen\n"
    "  - namn: Ludvig Hellman\n    titel: tf lokalpolisområdeschef\n    part: polisen\n",
    "  - namn: Ludvig Hellman\n    titel: tf lokalpolisområdeschef\n    part: polisen\n"
    "  - namn: Dag Bergentoft\n    titel: Kommunstyrelsens ordförande\n    part: kommunen\n",
)

FIRST = "    - text: Polisen lovar fortsatt synlighet på platser inom kommunen som identifieras som mer aktuella.\n      ansvar: polisen\n"
SECOND = "    - text: Polisen lovar att arbeta med ökade insatser mot narkotikabrottsligheten.\n      ansvar: polisen\n"
ACTIVITIES_SWAPPED = edit(KUMLA, FIRST + SECOND, SECOND + FIRST)

SAME_PRINT = {
    "omradbrytning och mellanrum": (Y2024, REWRAPPED),
    "literal blir folded": (
        Y2024,
        edit(Y2024, "  syfte: Syftet är att minska", "  syfte: >-\n    Syftet är att\n    minska"),
    ),
}

# Every list is printed in the order written: moving an item changes the document and its Versionskod.
OTHER_PRINT = {
    "ett ord ändrat": (Y2024, edit(Y2024, "ett nära samarbete", "ett mycket nära samarbete")),
    "nytt stycke": (
        Y2024,
        edit(Y2024, "arbetar trygghetsskapande och brottsförebyggande i", "arbetar trygghetsskapande och\n\n    brottsförebyggande i"),
    ),
    "egna metoder i annan ordning": (Y2024, _swap_own_methods(Y2024)),
    "undertecknare i annan ordning": (Y2024, SIGNERS_SWAPPED),
    "aktiviteter i annan ordning": (KUMLA, ACTIVITIES_SWAPPED),
}


@pytest.mark.parametrize("name", sorted(SAME_PRINT))
def test_same_print_same_versionskod_and_no_changes(name: str) -> None:
    a, b = SAME_PRINT[name]
    assert a != b
    assert printed(a) == printed(b)
    old, new = loads(a), loads(b)
    assert old.fingerprint() == new.fingerprint()
    assert compare(old, new).empty


@pytest.mark.parametrize("name", sorted(OTHER_PRINT))
def test_other_print_other_versionskod_and_a_change(name: str) -> None:
    a, b = OTHER_PRINT[name]
    assert printed(a) != printed(b)
    old, new = loads(a), loads(b)
    assert old.fingerprint() != new.fingerprint()
    assert not compare(old, new).empty


UNCITED = "  - id: okand-kalla\n    titel: En källa som ingen hänvisar till\n"
CITED = "  - id: trygghetsmatning-2019\n    titel: Polisens trygghetsmätning 2019\n    utgivare: Origo Group\n    ar: 2020\n"


def test_sources_print_in_the_order_of_the_list() -> None:
    assert Y2021.count(CITED) == 1
    first = edit(Y2021, CITED, UNCITED + CITED)
    last = edit(Y2021, CITED, CITED + UNCITED)
    assert printed(first) != printed(last)
    assert loads(first).fingerprint() != loads(last).fingerprint()
    assert not compare(loads(first), loads(last)).empty


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("  a  b\n c ", "a b c"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("a\n  \t\nb", "a\n\nb"),
        ("12\u00a0345 kr", "12\u00a0345 kr"),
        ("rad ett\r\nrad två", "rad ett rad två"),
    ],
)
def test_normal_text(raw: str, normal: str) -> None:
    assert normal_text(raw) == normal
