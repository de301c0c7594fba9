"""A medborgarlöfte inside an agreement as the document of its own it stands for.

A multi-year samverkansöverenskommelse often holds the first yearly
medborgarlöfte; the next years' löften are files of their own beside it
(``dokument: medborgarlöfte``). Two places need the agreement's löfte in that
same shape: ``new --bara-medborgarlofte`` writes next year's file from it,
and ``diff`` compares next year's file with it (not with the whole
agreement). :func:`promise_document` makes it, from the data alone: the
löfte's own title, period, content and signing, the agreement it belongs to,
and only what the löfte uses of the agreement's sources, own method texts,
promise verb and shared lägesbild. Nothing is moved or emptied here.
"""

from __future__ import annotations

from typing import Any

from .checks import MARKER
from .content import Lofte, Medborgarlofte
from .models import Agreement

_HEAD = ("id", "titel", "period", "avvikelse_fran_period", "ersatter", "undertecknare", "undertecknande", "lagesbild_fran")
"""What names and signs a löfte inside an agreement; a löfte of its own says these at the top of its file."""


def chosen_promise(agreement: Agreement, promise_id: str | None = None, title: str | None = None) -> Medborgarlofte | None:
    """The löfte with ``promise_id``; else the one titled ``title`` (what a later löfte says it replaces); else the last."""
    promises = agreement.medborgarloften
    if promise_id is not None:
        return next((p for p in promises if p.id == promise_id), None)
    if title is not None:
        named = [p for p in promises if p.titel == title]
        if len(named) == 1:
            return named[0]
    return promises[-1] if promises else None


def cited(data: Any, found: list[str] | None = None) -> list[str]:
    """The source ids ``data`` (plain JSON-like data) cites, by ``kallor`` lists and ``[^id]`` markers, in order met."""
    found = [] if found is None else found
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "kallor" and isinstance(value, list):
                found += [v for v in value if isinstance(v, str) and v not in found]
            else:
                cited(value, found)
    elif isinstance(data, list):
        for item in data:
            cited(item, found)
    elif isinstance(data, str) and "[^" in data:
        found += [m.group(1) for m in MARKER.finditer(data) if m.group(1) not in found]
    return found


def promise_document_data(agreement: Agreement, promise: Medborgarlofte) -> dict[str, Any]:
    """The löfte as the data of a file of its own (``dokument: medborgarlöfte``), keys in the order an author writes."""
    data = promise.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    content = {k: v for k, v in data.items() if k not in _HEAD}
    if promise.lagesbild_fran:  # the lägesbild it shares with another löfte, written into it
        shared = next((p for p in agreement.medborgarloften if p.id == promise.lagesbild_fran), None)
        if shared is not None and shared.lagesbild is not None:
            content["lagesbild"] = shared.lagesbild.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if agreement.loftesverb and not promise.loftesverb:  # the verb it has from the agreement
        content["loftesverb"] = agreement.loftesverb
    content = {k: content[k] for k in Lofte.model_fields if k in content}

    out: dict[str, Any] = {"dokument": "medborgarlöfte"}
    if promise.titel:
        out["titel"] = promise.titel
    out["status"] = agreement.status.value
    if agreement.datum is not None:
        out["datum"] = agreement.datum.isoformat()
    out["parter"] = agreement.parter.model_dump(mode="json", exclude_none=True)
    out["period"] = data["period"]
    if promise.ersatter:
        out["ersatter"] = promise.ersatter
    reference: dict[str, Any] = {}
    if agreement.titel:
        reference["titel"] = agreement.titel
    if not agreement.period.ej_publicerad:  # a period the source does not give is not named
        reference["period"] = agreement.model_dump(mode="json", exclude_none=True)["period"]
    if agreement.parter.kommun.diarienummer:
        reference["diarienummer"] = agreement.parter.kommun.diarienummer
    if not reference:  # neither title, period nor number is known: the agreement by its parties
        reference["titel"] = agreement.document_title
    out["overenskommelse"] = reference
    out["medborgarlofte"] = content

    methods = set(promise.metoder).union(*(area.metoder for area in promise.fokusomraden))
    own = [m for m in agreement.egna_metoder if m.id in methods]
    sources = cited([m.model_dump(mode="json") for m in own], cited(content))
    kallor = [k.model_dump(mode="json", exclude_none=True) for k in agreement.kallor if k.id in sources]
    if kallor:
        out["kallor"] = kallor
    if own:
        out["egna_metoder"] = [m.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for m in own]
    if agreement.metodbeskrivningar:
        out["metodbeskrivningar"] = True
    own_signing = bool(promise.undertecknare)  # signed on its own, or with the agreement
    signers = promise.undertecknare if own_signing else agreement.undertecknare
    if signers:
        out["undertecknare"] = [s.model_dump(mode="json", exclude_none=True) for s in signers]
    signing = promise.undertecknande if own_signing else agreement.undertecknande
    if signing is not None:
        out["undertecknande"] = signing.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return out


def promise_document(agreement: Agreement, promise: Medborgarlofte) -> Agreement:
    """The löfte as a document of its own (see :func:`promise_document_data`)."""
    return Agreement.model_validate(promise_document_data(agreement, promise))


__all__ = ["chosen_promise", "cited", "promise_document", "promise_document_data"]
