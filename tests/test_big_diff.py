"""Diffs of huge and adversarial texts stay near-linear (issue 15, finding 4).

difflib's matcher is quadratic on a text that repeats one word; a valid
agreement can hold 100 000 of them. The word diff must give difflib only
regions where its cost is small, and still rebuild both texts exactly.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.compare import textdiff
from samverkan.compare.textdiff import word_diff

CORPUS_BASE = Path(__file__).resolve().parent / "corpus" / "base.yaml"


def rebuilt(segments: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    return "".join(t for op, t in segments if op != "+"), "".join(t for op, t in segments if op != "-")


@pytest.fixture
def costly_difflib(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the cost of every region given to difflib (the sum over old words of their count in new)."""
    costs: list[int] = []
    real = difflib.SequenceMatcher

    def matcher(isjunk: Any, a: list[str], b: list[str], autojunk: bool = True) -> difflib.SequenceMatcher[str]:
        counts: dict[str, int] = {}
        for word in b:
            counts[word] = counts.get(word, 0) + 1
        costs.append(sum(counts.get(word, 0) for word in a))
        return real(isjunk, a, b, autojunk=autojunk)

    monkeypatch.setattr(textdiff.difflib, "SequenceMatcher", matcher)
    return costs


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("ord " * 10_000, "ord " * 30_000, [("=", "ord " * 10_000), ("+", "ord " * 20_000)]),
        (
            "x" + " ord" * 100_000,
            " ord" * 100_000 + " y",
            [("-", "x"), ("=", " ord" * 100_000), ("+", " y")],
        ),
        (
            " ord" * 100_000,
            " ord" * 50_000 + " nytt" + " ord" * 50_000,
            [("=", " ord" * 50_000 + " "), ("+", "nytt "), ("=", "ord" + " ord" * 49_999)],
        ),
        (
            "början" + " ord" * 60_000 + " mitten" + " ord" * 60_000,
            "start" + " ord" * 60_000 + " mitten" + " ord" * 59_999 + " slut",
            [
                ("-", "början"),
                ("+", "start"),
                ("=", " ord" * 60_000 + " mitten" + " ord" * 59_999 + " "),
                ("-", "ord"),
                ("+", "slut"),
            ],
        ),
    ],
    ids=["one-word-grows", "changed-at-both-ends", "one-word-inserted", "anchored-by-a-unique-word"],
)
def test_one_repeated_word_is_diffed_without_quadratic_work(
    costly_difflib: list[int], old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    segments = word_diff(old, new)
    assert rebuilt(segments) == (old, new)
    assert list(segments) == expected
    assert all(cost <= textdiff.DIFFLIB_COST for cost in costly_difflib), costly_difflib


def test_texts_that_differ_everywhere_are_still_exact(costly_difflib: list[int]) -> None:
    # A hostile pair: few distinct words in random order. The work budget may run out;
    # then regions are shown replaced whole, but both texts are always rebuilt exactly.
    import random

    rng = random.Random(15)
    words = "och att i det som en på är för med".split()
    old = " ".join(rng.choice(words) for _ in range(80_000))
    new = " ".join(rng.choice(words) for _ in range(80_000))
    assert rebuilt(word_diff(old, new)) == (old, new)
    assert all(cost <= textdiff.DIFFLIB_COST for cost in costly_difflib)


def test_ordinary_text_is_still_diffed_by_difflib_alone(costly_difflib: list[int]) -> None:
    old = "Kommunen ska utbilda nya kontaktombud och polisen ska delta vid två möten per år."
    new = "Kommunen ska utbilda fler kontaktombud, och polisen ska delta vid tre möten per år."
    segments = word_diff(old, new)
    assert rebuilt(segments) == (old, new)
    assert len(costly_difflib) == 1  # one call on the whole text: the diff it always gave
    assert ("-", "nya") in segments and ("+", "fler") in segments


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d", "\n", ","]), max_size=60),
    st.lists(st.sampled_from(["a", "b", "c", "d", "\n", ","]), max_size=60),
)
def test_the_near_linear_path_rebuilds_both_texts(old_words: list[str], new_words: list[str]) -> None:
    # With difflib's share set to nothing, every region goes through the anchors and Myers' diff.
    old, new = " ".join(old_words), " ".join(new_words)
    cost = textdiff.DIFFLIB_COST
    textdiff.DIFFLIB_COST = -1
    try:
        segments = word_diff(old, new)
    finally:
        textdiff.DIFFLIB_COST = cost
    assert rebuilt(segments) == (old, new)
    kept = "".join(t for op, t in segments if op == "=").split()
    assert len(kept) >= len(os.path.commonprefix([old.split(), new.split()]))


def test_diff_command_on_the_largest_valid_repeated_text_finishes(tmp_path: Path) -> None:
    # As much repeated text as a valid agreement holds (nine values of ~5 000 words, see
    # samverkan.model.limits), changed at both ends of every value: difflib took ~2.5 s a value,
    # and the Word redline rebuilt each paragraph's text one character at a time.
    base = CORPUS_BASE.read_text(encoding="utf-8")
    words = " ord" * 4_990
    old_items = "".join(f"\n    - x{words}" for _ in range(9))
    new_items = "".join(f"\n    -{words} y" for _ in range(9))
    delmal = "\n    - Fler grannsamverkansområden"
    old, new = tmp_path / "gammal.yaml", tmp_path / "ny.yaml"
    old.write_text(base.replace(delmal, old_items), encoding="utf-8")
    new.write_text(base.replace(delmal, new_items), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "samverkan", "diff", str(old), str(new), "--no-pdf", "-o", str(tmp_path / "ut")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[:2000]
    assert "[-x-] ord ord" in result.stdout and "{+y+}" in result.stdout
    assert len(list((tmp_path / "ut").rglob("*.docx"))) == 1
