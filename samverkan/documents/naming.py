"""What the rendered files are called, and which documents a file gives.

A name says the place, the kind of document and its years
(``oxelosund-samverkansoverenskommelse-2024-2025``). A medborgarlöfte is
named by its own years, so the yearly löften beside a multi-year agreement
in one kommun folder never share a name.
"""

from __future__ import annotations

from typing import Any

from .. import fsutil
from ..model.models import Agreement, Period
from .context import DOCUMENTS


def output_stem(agreement: Agreement, document: str, promise_id: str | None = None) -> str:
    """The file name without suffix, e.g. ``oxelosund-samverkansoverenskommelse-2024-2025``.

    A medborgarlöfte is named by its own period (``hallstahammar-medborgarlofte-2023``), so the
    yearly löften beside a multi-year agreement in one folder never share a name.
    """
    period = agreement.period
    if agreement.is_promise:
        kind = "medborgarlofte"
    elif document == "medborgarlofte":
        kind = "medborgarlofte"
        promises = agreement.promises()
        chosen = next((p for p in promises if p.id == promise_id), promises[-1] if promises else None)
        if chosen is not None:
            period = chosen.period
    elif document == "overenskommelse":
        kind = "samverkansoverenskommelse"
    else:
        raise ValueError(f"unknown document {document!r}; expected one of {DOCUMENTS}")
    years = _years(period)
    # Only the place is cut (to 60), so a long kortnamn never takes kind and years out of the name.
    stem = f"{fsutil.slug(agreement.parter.kommun.ort)[:60].rstrip('-')}-{kind}-{years}"
    if document == "medborgarlofte" and not agreement.is_promise and promise_id is not None:
        same = [p for p in agreement.promises() if _years(p.period) == years]
        if len(same) > 1:  # two löften of the same years in one agreement: their ids tell them apart
            stem = f"{stem}-{fsutil.slug(promise_id)}"
    return stem


def _years(period: Period) -> str:
    first = period.start.year
    if period.slut is None:
        return f"{first}-tills-vidare"
    return str(first) if period.slut.year == first else f"{first}-{period.slut.year}"


def documents_for(agreement: Agreement) -> list[tuple[str, str | None]]:
    """The documents a file gives: itself, and each medborgarlöfte inside an agreement as a public document."""
    if agreement.is_promise:
        return [("medborgarlofte", None)]
    return [("overenskommelse", None), *(("medborgarlofte", p.id) for p in agreement.medborgarloften)]



__all__ = ["documents_for", "output_stem"]
