"""Accept All and Reject All in LibreOffice over the redline give NEW and OLD (issue 16).

The redline of every targeted edit (tests/edits.py) and of the bundled
series is accepted and rejected by LibreOffice itself (tests/libreoffice_review.py);
the result is compared paragraph by paragraph, text and style, with NEW's and
OLD's renders passed through LibreOffice the same way.

LibreOffice cannot join a paragraph with a table. Where a whole paragraph
comes or goes directly before a table that comes or goes too, samverkan moves
the paragraph break to the paragraph before (compare/paragraphmarks.py); when
a table stands before that paragraph as well there is nothing to move it to,
and LibreOffice leaves the paragraph behind, empty. The second test pins
exactly those places, so that any other difference fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from edits import BASE, EDITS
from libreoffice_review import run_jobs
from ooxml_review import body_of, paragraphs, w

from samverkan.compare.redline import redline
from samverkan.documents.render import render_docx
from samverkan.model.loader import load, loads

ROOT = Path(__file__).resolve().parent.parent
OXELOSUND = ROOT / "agreements" / "oxelosund"

CASES = {
    **{name: (BASE, text) for name, text in EDITS.items()},
    "oxelosund-2020-2021": ((OXELOSUND / "2020.yaml").read_text(encoding="utf-8"), (OXELOSUND / "2021.yaml").read_text(encoding="utf-8")),
    "oxelosund-2021-2024": ((OXELOSUND / "2021.yaml").read_text(encoding="utf-8"), (OXELOSUND / "2024.yaml").read_text(encoding="utf-8")),
}

# Where LibreOffice leaves an empty paragraph (its style|text) that Word removes: a heading that came,
# went or moved between two tables (a party's activities in an area, the roles table before a new
# section), with no paragraph before it to take its paragraph break.
LEFT_BEHIND: dict[str, dict[str, list[str]]] = {
    "omraden-i-ny-ordning": {"accepted": ["Heading3|", "Heading3|"], "rejected": ["Heading2|", "Heading3|", "Heading3|"]},
    "aktivitet-flyttad": {"accepted": ["Heading3|"], "rejected": ["Heading3|"]},
    "nytt-ansvar": {"accepted": ["Heading3|"]},
    "oxelosund-2021-2024": {"rejected": ["Heading2|"]},
}


def _after_cover(docx: bytes, cover: bool) -> list[str]:
    body = body_of(docx)
    if cover:
        for n, block in enumerate(body):
            if block.tag == w("p") and block.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                for earlier in list(body)[: n + 1]:
                    body.remove(earlier)
                break
    return paragraphs(body, styles=True)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """name → {"accepted", "new", "rejected", "old"}: paragraphs after LibreOffice."""
    folder = tmp_path_factory.mktemp("lo-review")
    jobs = []
    for name, (old_text, new_text) in CASES.items():
        old, new = loads(old_text), loads(new_text)
        files = {"redline": redline(old, new), "new": render_docx(new), "old": render_docx(old)}
        for kind, data in files.items():
            (folder / f"{name}.{kind}.docx").write_bytes(data)
        jobs += [
            ("accept", folder / f"{name}.redline.docx", folder / f"{name}.accepted.out.docx"),
            ("reject", folder / f"{name}.redline.docx", folder / f"{name}.rejected.out.docx"),
            ("none", folder / f"{name}.new.docx", folder / f"{name}.new.out.docx"),
            ("none", folder / f"{name}.old.docx", folder / f"{name}.old.out.docx"),
        ]
    run_jobs(jobs, folder)
    return {
        name: {kind: _after_cover((folder / f"{name}.{kind}.out.docx").read_bytes(), kind in ("accepted", "rejected"))
               for kind in ("accepted", "rejected", "new", "old")}
        for name in CASES
    }


def _left_behind(got: list[str], want: list[str]) -> list[str]:
    """The paragraphs LibreOffice kept that are not in ``want``, if everything else is equal; else fail."""
    extra, n = [], 0
    for line in got:
        if n < len(want) and line == want[n]:
            n += 1
        else:
            extra.append(line)
    assert n == len(want), "LibreOffice lost or changed a paragraph"
    return extra


@pytest.mark.parametrize("name", sorted(CASES))
def test_libreoffice_accepts_to_new_and_rejects_to_old(reviewed: dict[str, dict[str, list[str]]], name: str) -> None:
    result = reviewed[name]
    expected = LEFT_BEHIND.get(name, {})
    assert _left_behind(result["accepted"], result["new"]) == expected.get("accepted", [])
    assert _left_behind(result["rejected"], result["old"]) == expected.get("rejected", [])


def test_the_bundled_redline_loads_in_libreoffice(reviewed: dict[str, dict[str, list[str]]]) -> None:
    assert load(OXELOSUND / "2024.yaml").fingerprint()
    assert reviewed["oxelosund-2021-2024"]["new"][0] == "Title|Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen"
