"""The signing table: who signs, two by two in the order written, with lines to sign on.

Only what the file says is printed. A draft gets blank lines everywhere (and
blank cells for the two parties when nobody is named yet); a signed document
shows the place and date it was signed, once above the table when everyone
signed together, in each cell when they signed apart, and says so plainly
when the published source does not tell where or when.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.models import Agreement, Sida, Undertecknande, Undertecknare
from . import formatting as fmt
from .blocks import one_line, paragraphs
from .labels import HEADINGS, LABELS, PARTIES, SENTENCES
from .views import SignCell, Signing, SignRow


def _place_date(place: str | None, day: object) -> str:
    if place and day:
        return LABELS["ort_och_datum"].format(ort=one_line(place), datum=fmt.long_date(day))  # type: ignore[arg-type]
    if day:
        return fmt.long_date(day)  # type: ignore[arg-type]
    return one_line(place) if place else ""


def _party(agreement: Agreement, side: Sida) -> str:
    return agreement.parter.kommun.namn if side is Sida.KOMMUN else PARTIES["polismyndigheten"]


def signing_view(
    agreement: Agreement, signers: Sequence[Undertecknare], facts: Undertecknande | None, *, draft: bool
) -> Signing:
    """The signature page for ``signers`` (a draft without any gets a blank cell per party)."""
    shared = None
    together = facts is not None and (facts.ort is not None or facts.datum is not None or facts.ort_och_datum_ej_publicerade)
    if facts is not None and not draft:
        shared = _place_date(facts.ort, facts.datum) or None
        if facts.ort is None and facts.datum is not None:  # the day without the place: said what it is, not a bare line
            shared = LABELS["underskriftsdatum"].format(datum=fmt.long_date(facts.datum))
        if shared is None and facts.ort_och_datum_ej_publicerade:
            shared = SENTENCES["ej_publicerat"]
    cells = []
    for s in signers:
        own = "" if draft else _place_date(s.ort, s.datum)
        cells.append(SignCell(party=_party(agreement, s.part), own_place_date=draft or not together or bool(own),
                              place_date=own, name=one_line(s.namn), title=one_line(s.titel)))
    if not cells:
        cells = [SignCell(party=_party(agreement, side), own_place_date=True, place_date="", name="", title="")
                 for side in Sida]
    rows = [SignRow(left=cells[i], right=cells[i + 1] if i + 1 < len(cells) else None) for i in range(0, len(cells), 2)]
    clause = paragraphs(facts.klausul) if facts is not None else []
    return Signing(heading=HEADINGS["underskrifter"], clause=clause, shared_place_date=shared if not draft else None,
                   rows=rows)


__all__ = ["signing_view"]
