"""Accept All and Reject All in LibreOffice over the redline give NEW and OLD (issue 16).

The redline of every targeted edit (tests/edits.py) and of the bundled
series is accepted and rejected by LibreOffice itself (tests/libreoffice_review.py);
the result is compared paragraph by paragraph, text and style, with NEW's and
OLD's renders passed through LibreOffice the same way.

LibreOffice cannot join a paragraph with a table. Where a whole paragraph
comes or goes directly before a table that comes or goes too, samverkan moves
the paragraph break to the paragraph before (compare/paragraphmarks.py); when
a table stands before that paragraph as well there is nothing to move it to,
and LibreOffice leaves the paragraph behind, empty. The test allows an
empty paragraph left behind only where such a paragraph is marked in the
redline; any other difference fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

KINDS = {"accepted": ("del", "moveFrom"), "rejected": ("ins", "moveTo")}


def stranded(docx: bytes, side: str) -> int:
    """How many paragraphs LibreOffice may leave behind on ``side``: the marked paragraphs of every run of
    blocks that go on that side and hold a paragraph right before a table (compare/paragraphmarks.py has
    moved the break away wherever a paragraph stood before such a run)."""
    kinds = {w(k) for k in KINDS[side]}

    def marked(block: Any) -> bool:
        if block.tag == w("tbl"):
            return all(marked(p) for p in block.iter(w("p")))
        rpr = block.find(f"{w('pPr')}/{w('rPr')}")
        return rpr is not None and any(c.tag in kinds for c in rpr)

    count, run = 0, []
    for block in [*body_of(docx), None]:
        if block is not None and block.tag in (w("p"), w("tbl")) and marked(block):
            run.append(block)
            continue
        following = [*run, block]
        if any(b.tag == w("p") and following[n + 1] is not None and following[n + 1].tag == w("tbl")
               for n, b in enumerate(run)):
            count += sum(1 for b in run if b.tag == w("p"))
        run = []
    return count


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
    """name → {"accepted", "new", "rejected", "old"}: paragraphs after LibreOffice; and what may be stranded."""
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
    out: dict[str, dict[str, Any]] = {}
    for name in CASES:
        out[name] = {kind: _after_cover((folder / f"{name}.{kind}.out.docx").read_bytes(), kind in ("accepted", "rejected"))
                     for kind in ("accepted", "rejected", "new", "old")}
        redlined = (folder / f"{name}.redline.docx").read_bytes()
        out[name]["may_strand"] = {side: stranded(redlined, side) for side in KINDS}
    return out


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


# Known (issue 13 re-encoding → issue 16): in 2020 → 2021 a deleted paragraph is followed by an inserted
# heading ("Situationen idag"), and LibreOffice's Reject All leaves that heading behind, empty. Strict: the
# case fails loudly here once the redline records that break so LibreOffice agrees with Word.
KNOWN = {"oxelosund-2020-2021": "LibreOffice Reject All leaves an inserted heading after a deleted paragraph, empty"}


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN[n])) if n in KNOWN else n for n in sorted(CASES)],
)
def test_libreoffice_accepts_to_new_and_rejects_to_old(reviewed: dict[str, dict[str, Any]], name: str) -> None:
    result = reviewed[name]
    for side, want in (("accepted", "new"), ("rejected", "old")):
        extra = _left_behind(result[side], result[want])
        # Only empty paragraphs, and no more than stood marked right before a table: elsewhere, exact.
        assert all(line.split("|", 1)[1] == "" for line in extra), extra
        assert len(extra) <= result["may_strand"][side], (side, extra)


def test_most_pairs_are_exact_in_libreoffice(reviewed: dict[str, dict[str, Any]]) -> None:
    exact = [name for name, r in reviewed.items() if r["accepted"] == r["new"] and r["rejected"] == r["old"]]
    assert len(exact) >= 7, sorted(set(reviewed) - set(exact))


def test_the_bundled_redline_loads_in_libreoffice(reviewed: dict[str, dict[str, Any]]) -> None:
    assert load(OXELOSUND / "2024.yaml").fingerprint()
    assert reviewed["oxelosund-2021-2024"]["new"][0] == "Title|Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen"  # the source gives no period (period.ej_publicerad)
