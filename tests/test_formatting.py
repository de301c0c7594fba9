"""Swedish dates, periods and numbers (babel, sv_SE)."""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.documents.formatting import (
    long_date,
    number,
    period_full,
    period_text,
    place_and_date,
)
from samverkan.model.models import Period


@pytest.mark.parametrize(
    ("value", "expected"),
    [(date(2024, 2, 1), "1 februari 2024"), (date(2024, 3, 12), "12 mars 2024"), (date(2023, 12, 31), "31 december 2023"),
     (date(2024, 8, 5), "5 augusti 2024")],
)
def test_long_date(value: date, expected: str) -> None:
    assert long_date(value) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-01-01", "2025-12-31", "2024–2025"),
        ("2024-01-01", "2027-12-31", "2024–2027"),
        ("2021-01-01", "2021-12-31", "2021"),
        ("2023-03-01", "2027-02-28", "1 mars 2023 – 28 februari 2027"),
        ("2024-01-01", "2024-06-30", "1 januari 2024 – 30 juni 2024"),
        ("2024-01-01", None, "fr.o.m. 1 januari 2024, tills vidare"),
    ],
)
def test_period_text(start: str, end: str | None, expected: str) -> None:
    assert period_text(Period.model_validate({"start": start, "slut": end})) == expected


def test_period_uses_en_dash_not_hyphen() -> None:
    text = period_text(Period.model_validate({"start": "2024-01-01", "slut": "2025-12-31"}))
    assert "\u2013" in text and "-" not in text


def test_period_with_revision_note() -> None:
    period = Period.model_validate({"start": "2024-01-01", "revidering": "revideras vart tredje år"})
    assert period_full(period) == "fr.o.m. 1 januari 2024, tills vidare (revideras vart tredje år)"
    assert period_full(Period.model_validate({"start": "2024-01-01", "slut": "2025-12-31"})) == "2024–2025"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(40, "40"), (1234, "1\u00a0234"), (1234567, "1\u00a0234\u00a0567"), (12345.5, "12\u00a0345,5")],
)
def test_number_uses_no_break_space_and_decimal_comma(value: float, expected: str) -> None:
    assert number(value) == expected


def test_place_and_date() -> None:
    assert place_and_date("Oxelösund", date(2024, 3, 12)) == "Oxelösund den 12 mars 2024"
