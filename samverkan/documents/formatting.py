"""Swedish formatting of dates, periods and numbers for the documents.

Everything goes through babel with the ``sv_SE`` locale, so month names,
separators and the decimal comma follow the language rather than the
machine's locale. Nothing here looks at the clock: the same input always
gives the same text.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

from ..model.models import Period, Year

LOCALE = "sv_SE"

EN_DASH = "\u2013"
NBSP = "\u00a0"


def long_date(value: date) -> str:
    """A date in running text: ``1 februari 2024``."""
    return format_date(value, format="long", locale=LOCALE)


def iso_date(value: date) -> str:
    """A compact date: ``2024-02-01``."""
    return value.isoformat()


def number(value: int | float) -> str:
    """A number with a no-break space between thousands and a decimal comma: ``12 345,5``."""
    return format_decimal(value, locale=LOCALE)


def _whole_years(period: Period) -> bool:
    start, end = period.start, period.slut
    return end is not None and (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)


def day_or_year(value: date) -> str:
    """A first or last day in running text; only the year when only the year is known."""
    return str(value.year) if isinstance(value, Year) else long_date(value)


def period_text(period: Period) -> str:
    """A period the Swedish way, without its revision note.

    * whole calendar years, or years only: ``2024–2025`` (or ``2024`` for one year)
    * other dates: ``1 mars 2023 – 28 februari 2027``
    * no end date: ``fr.o.m. 1 januari 2024, tills vidare`` (``fr.o.m. 2022, tills vidare``)
    """
    if period.slut is None:
        return f"fr.o.m. {day_or_year(period.start)}, tills vidare"
    if _whole_years(period):
        first, last = period.start.year, period.slut.year
        return str(first) if first == last else f"{first}{EN_DASH}{last}"
    return f"{day_or_year(period.start)} {EN_DASH} {day_or_year(period.slut)}"


def period_full(period: Period) -> str:
    """The period with its revision note, if any: ``fr.o.m. 1 januari 2024, tills vidare (revideras vart tredje år)``."""
    text = period_text(period)
    if period.revidering:
        return f"{text} ({period.revidering.strip()})"
    return text


def period_years(period: Period) -> str:
    """The years a period touches, for file names and titles: ``2024–2025``, ``2022``, ``från 2022``."""
    first = period.start.year
    if period.slut is None:
        return f"från {first}"
    return str(first) if period.slut.year == first else f"{first}{EN_DASH}{period.slut.year}"


def place_and_date(place: str, when: date) -> str:
    """The signing line: ``Oxelösund den 12 mars 2024``."""
    return f"{place} den {long_date(when)}"


__all__ = [
    "EN_DASH",
    "LOCALE",
    "NBSP",
    "iso_date",
    "long_date",
    "number",
    "day_or_year",
    "period_full",
    "period_text",
    "period_years",
    "place_and_date",
]
