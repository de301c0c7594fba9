"""What a page reviewer found on main's rendered documents and web pages (session 4), kept fixed.

Each test names the finding it guards: a fact the source does not give,
areas printed two different ways, a lead-in cut off from its list, titles
without kommun or period, repetition, and the signature page of a draft.
"""

from __future__ import annotations

import re

import pytest
from conftest import AGREEMENTS
from test_faithful import docx_paragraphs, rendered

from samverkan.errors import InvalidAgreement
from samverkan.model.loader import load, loads


def _docs(path: str) -> list[list[tuple[str, str]]]:
    return [docx_paragraphs(d) for d in rendered(load(AGREEMENTS / path))]


def _texts(doc: list[tuple[str, str]]) -> list[str]:
    return [" ".join(text.split()) for _, text in doc]


# -- 1. a period the source does not give ------------------------------------------------


def test_an_agreement_period_the_source_does_not_give_is_not_printed() -> None:
    agreement_doc, promise_doc = _docs("oxelosund/2024.yaml")
    said = "\n".join(_texts(agreement_doc))
    assert "Överenskommelsen gäller" not in said
    assert "Period: 2024–2025" not in said
    assert not re.search(r"Samverkansöverenskommelse[^\n]*20\d\d", said)
    # the medborgarlöfte's own period is the source's and stays
    assert "Period: 2024–2025" in _texts(promise_doc)


def test_only_an_agreement_period_can_be_unpublished() -> None:
    text = (AGREEMENTS / "koping/2024.yaml").read_text(encoding="utf-8")
    text = text.replace("  slut: 2024\n", "  slut: 2024\n  ej_publicerad: true\n", 1)
    with pytest.raises(InvalidAgreement, match="ej_publicerad"):
        loads(text)
