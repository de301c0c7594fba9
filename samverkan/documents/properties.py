"""The .docx file's own properties: title, subject, keywords, status – and a date only when the file gives one.

A registrator finds a document by its properties as much as by its text,
so every document names its kind, the kommun and the years, and keywords
are whole names ("Lokalpolisområde Västra Mälardalen"). A date in the
properties reads as the document's date: without ``datum`` in the file
there is none (the created/modified elements are left out), never one taken
from the period or the clock.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Any

from docx.opc.coreprops import CoreProperties

from ..model.models import Agreement
from .context import metadata_title
from .formatting import period_text


def set_properties(props: CoreProperties, agreement: Agreement, document_kind: str, promise: Any = None) -> None:
    kommun, polis = agreement.parter.kommun, agreement.parter.polis
    public = document_kind == "medborgarlofte" or agreement.is_promise
    kind = "Medborgarlöfte" if public else "Samverkansöverenskommelse"
    period = promise.period if promise is not None else agreement.period
    props.title = fit_property(metadata_title(agreement, document_kind, promise))
    said = "" if period.ej_publicerad else f" {period_text(period)}"
    props.subject = fit_property(f"{kind}{said} mellan {kommun.namn} och Polisen")
    props.author = fit_property(f"{kommun.namn}; Polismyndigheten, {polis.lokalpolisomrade}")
    props.keywords = fit_property("; ".join(
        [w for w in (kind, "brottsförebyggande arbete", "trygghet", kommun.namn, polis.lokalpolisomrade, polis.polisregion) if w]
    ))
    props.comments = f"Versionskod {agreement.fingerprint()}"
    props.category = kind
    props.content_status = agreement.status.value
    props.identifier = agreement.fingerprint()
    props.language = "sv-SE"
    props.last_modified_by = "samverkan"
    props.revision = 1
    if agreement.datum is not None:
        when = datetime.combine(agreement.datum, time(0, 0), tzinfo=timezone.utc)
        props.created = props.modified = props.last_printed = when
    else:
        _drop_dates(props)


def _drop_dates(props: CoreProperties) -> None:
    """No date in the properties when the file gives none (a date there reads as the document's date)."""
    element = props._element  # type: ignore[attr-defined]
    for name in ("{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified",
                 "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted"):
        for found in element.findall(name):
            element.remove(found)


def fit_property(text: str) -> str:
    """A document property: the .docx format holds at most 255 characters (the text itself is not cut)."""
    return text if len(text) <= 255 else text[:254] + "…"



__all__ = ["fit_property", "set_properties"]
