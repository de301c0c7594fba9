"""Finish a PDF that LibreOffice exported: what its export filter cannot be told.

LibreOffice 25.2 writes a good tagged PDF/A-2b (PDF/UA extension schema
declared, borders tagged, pictures as Figure content), but:

* the Info dictionary's ``/CreationDate`` is the time of the export (and in
  UTC it is written ``D:…Z'``, which is not PDF date syntax), while the XMP
  takes its dates from the Word document – the two disagree, which PDF/A
  forbids (ISO 19005-2 6.6.3), and the "now" makes every export different;
  a Word document without dates gets ``0000-00-00T00:00:00Z`` in the XMP;
* an internal link (a note marker pointing to its source) gets no
  ``/Contents``, which PDF/UA-1 7.18.5 requires of every link;
* it splits the Word document's keywords at every space ("Västra,
  Mälardalen");
* the sRGB output profile it embeds carries the time of the export in its
  ICC header, and the trailer a checksum of LibreOffice's own (/DocChecksum)
  that changes with it.

:func:`finish_pdf` fixes exactly these with pikepdf: the dates in both places
become the Word document's own (``dcterms:created``/``dcterms:modified``),
or are removed from both when it has none – never the time of the export;
the keywords are the Word document's, whole;
each internal link gets a description naming its target ("Källa 1"); the
profile's date becomes that of the standard sRGB profile and the checksum is
dropped; and the file identifier is computed from the content, so the same
document exported twice gives the same bytes.

And the tags LibreOffice gets wrong for samverkan's templates are fixed by
:func:`.structfix.fix_structure` (the signing table, numbered points).

Nothing else is touched: fonts, outline, the other tags, the PDF/A and PDF/UA
identification stay as LibreOffice wrote them.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
from lxml import etree

from .links import BOOKMARK_PREFIX
from .structfix import fix_structure

NS = {
    "x": "adobe:ns:meta/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_CORE = "docProps/core.xml"
_DCTERMS = "{http://purl.org/dc/terms/}"
# The XMP properties that hold dates (dc:date is an rdf:Seq of them).
_XMP_DATES = {"CreateDate": "created", "ModifyDate": "modified", "MetadataDate": "modified"}
_INFO_DATES = {"/CreationDate": "created", "/ModDate": "modified"}
_SOURCE_DEST = re.compile(rf"^{re.escape(BOOKMARK_PREFIX)}(\d+)$")
# ICC header bytes 24-35: the profile's creation time (six big-endian uInt16). The date of the
# widely used sRGB IEC61966-2.1 profile, instead of the time LibreOffice wrote its copy.
_ICC_DATE = struct.pack(">6H", 1998, 2, 9, 6, 49, 0)


@dataclass(frozen=True)
class DocumentDates:
    """The dates a Word document declares for itself (None: it declares none), and its keywords."""

    created: datetime | None = None
    modified: datetime | None = None
    keywords: str | None = None

    def get(self, which: str) -> datetime | None:
        return self.created if which == "created" else (self.modified or self.created)


def docx_dates(docx: Path | bytes) -> DocumentDates:
    """``dcterms:created`` and ``dcterms:modified`` of a .docx, as aware datetimes; missing or unreadable: None."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx) if isinstance(docx, bytes) else docx) as package:
            core = etree.fromstring(package.read(_CORE))
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return DocumentDates()
    keywords = core.findtext("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords")
    return DocumentDates(_w3c(core.findtext(f"{_DCTERMS}created")), _w3c(core.findtext(f"{_DCTERMS}modified")),
                         keywords.strip() or None if keywords else None)


def _w3c(text: str | None) -> datetime | None:
    if not text or not text.strip():
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.year < 1900:  # "0000-…" or "1601-01-01" (Word's empty date)
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def pdf_date(when: datetime) -> str:
    """``D:20240101000000Z``: ISO 32000-1 7.9.4 syntax, in UTC."""
    return "D:" + when.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S") + "Z"


def xmp_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def finish_pdf(data: bytes, dates: DocumentDates) -> bytes:
    """The exported PDF with consistent, declared dates, described internal links and a content-based /ID."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _set_dates(pdf, dates)
        if dates.keywords:  # LibreOffice splits "Lokalpolisområde Västra Mälardalen" at every space
            _set_keywords(pdf, dates.keywords)
        _describe_internal_links(pdf)
        _drop_empty_links(pdf)
        _steady_output_profile(pdf)
        fix_structure(pdf)
        for key in ("/DocChecksum", "/ID"):  # qpdf would keep the old /ID's first half: a random one
            if key in pdf.trailer:
                del pdf.trailer[key]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)  # the version is unchanged; this spares 6 ms
    return out.getvalue()


def _steady_output_profile(pdf: pikepdf.Pdf) -> None:
    """The output intent's ICC profile with a fixed creation time (it has no profile ID to keep in step)."""
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            continue
        data = profile.read_bytes()
        if len(data) >= 100 and data[36:40] == b"acsp" and data[84:100] == bytes(16) and data[24:36] != _ICC_DATE:
            profile.write(data[:24] + _ICC_DATE + data[36:])  # compressed again when saved


def _set_dates(pdf: pikepdf.Pdf, dates: DocumentDates) -> None:
    info = pdf.trailer.get("/Info")
    if info is not None:
        for key, which in _INFO_DATES.items():
            when = dates.get(which)
            if when is None:
                if key in info:
                    del info[key]
            else:
                info[key] = pikepdf.String(pdf_date(when))
    root = _read_xmp(pdf)
    if root is None:
        return
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for name, which in _XMP_DATES.items():
            for element in description.findall(f"xmp:{name}", NS):
                when = dates.get(which)
                if when is None:
                    description.remove(element)
                else:
                    element.text = xmp_date(when)
        for element in description.findall("dc:date", NS):
            when = dates.get("created")
            items = element.findall(".//rdf:li", NS)
            if when is None or not items:
                description.remove(element)
            else:
                for item in items:
                    item.text = xmp_date(when)
    _declare_pdfua_schema(root)
    _write_xmp(pdf, root)


_PDFUA = "http://www.aiim.org/pdfua/ns/id/"
_PDFUA_SCHEMA = f"""<rdf:Description xmlns:rdf="{NS['rdf']}" rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
  <pdfaSchema:namespaceURI>{_PDFUA}</pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
  <pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema><pdfaSchema:property><rdf:Seq>
  <rdf:li rdf:parseType="Resource"><pdfaProperty:category>internal</pdfaProperty:category>
  <pdfaProperty:description>PDF/UA version identifier</pdfaProperty:description><pdfaProperty:name>part</pdfaProperty:name>
  <pdfaProperty:valueType>Integer</pdfaProperty:valueType></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag>
  </pdfaExtension:schemas></rdf:Description>"""


def _declare_pdfua_schema(root: etree._Element) -> None:
    """Declare the PDF/UA identification as a PDF/A extension schema where the XMP uses it without one.

    ISO 19005-2 6.6.2.3.1: a namespace that is not predefined needs an extension schema; LibreOffice before
    the tdf#157517 fix (7.4 in Debian bookworm) writes pdfuaid:part without one (issue 14).
    """
    used = any(isinstance(e.tag, str) and e.tag.startswith(f"{{{_PDFUA}}}") for e in root.iter())
    declared = any((e.text or "").strip() == _PDFUA for e in root.iter("{http://www.aiim.org/pdfa/ns/schema#}namespaceURI"))
    rdf = root.find(f"{{{NS['rdf']}}}RDF") if root.tag != f"{{{NS['rdf']}}}RDF" else root
    if used and not declared and rdf is not None:
        rdf.append(etree.fromstring(_PDFUA_SCHEMA))


def _set_keywords(pdf: pikepdf.Pdf, keywords: str) -> None:
    """The Word document's keywords, whole names separated by "; ", in the Info dictionary and the XMP alike."""
    info = pdf.trailer.get("/Info")
    if info is not None:
        info.Keywords = pikepdf.String(keywords)
    root = _read_xmp(pdf)
    if root is None:
        return
    found = list(root.iter(f"{{{NS['pdf']}}}Keywords"))
    for element in found:
        element.text = keywords
    if found:
        _write_xmp(pdf, root)


def set_description(pdf: pikepdf.Pdf, *, subject: str, keywords: str) -> None:
    """Set the subject and keywords in the Info dictionary and the XMP alike (PDF/A keeps them equal).

    LibreOffice writes the .docx's keywords separated by ", " in both places; ``keywords`` is written as it is.
    """
    info = pdf.trailer.get("/Info")
    if info is None:
        pdf.trailer.Info = info = pdf.make_indirect(pikepdf.Dictionary())
    info.Subject = pikepdf.String(subject)
    info.Keywords = pikepdf.String(keywords)
    root = _read_xmp(pdf)
    if root is None:
        return
    rdf = f"{{{NS['rdf']}}}"
    descriptions = list(root.iter(f"{rdf}Description"))
    for tag, value in ((f"{{{NS['dc']}}}description", subject), (f"{{{NS['pdf']}}}Keywords", keywords)):
        for description in descriptions:
            for old in description.findall(tag):
                description.remove(old)
        namespace = tag.split("}")[0]
        holder = next((d for d in descriptions if any(isinstance(c.tag, str) and c.tag.startswith(namespace) for c in d)), descriptions[0])
        element = etree.SubElement(holder, tag)
        if tag.endswith("description"):
            item = etree.SubElement(etree.SubElement(element, f"{rdf}Alt"), f"{rdf}li")
            item.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
            item.text = value
        else:
            element.text = value
    _write_xmp(pdf, root)


def _read_xmp(pdf: pikepdf.Pdf) -> etree._Element | None:
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return None
    packet = metadata.read_bytes()
    return etree.fromstring(packet.strip().split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def _write_xmp(pdf: pikepdf.Pdf, root: etree._Element) -> None:
    pdf.Root.Metadata.write(_xpacket(etree.tostring(root, encoding="UTF-8")))


def _xpacket(xml: bytes) -> bytes:
    """The XMP packet wrapper (with room to edit in place), as PDF/A expects it around the metadata."""
    head = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'.encode()
    padding = (b" " * 99 + b"\n") * 20
    return head + xml + b"\n" + padding + b'<?xpacket end="w"?>'


def _describe_internal_links(pdf: pikepdf.Pdf) -> None:
    """Give each internal link without /Contents one that names its target, e.g. "Källa 1"."""
    targets = _named_destinations(pdf)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link" or str(annotation.get("/Contents", "")).strip():
                continue
            destination = annotation.get("/Dest")
            if destination is None and "/A" in annotation and annotation.A.get("/S") == "/GoTo":
                destination = annotation.A.get("/D")
            name = targets.get(_destination_key(destination)) if destination is not None else None
            found = _SOURCE_DEST.match(name or "")
            annotation.Contents = pikepdf.String(f"Källa {found.group(1)}" if found else "Länk till en annan plats i dokumentet")


def _drop_empty_links(pdf: pikepdf.Pdf) -> None:
    """Remove link annotations with no area that are not in the structure tree.

    LibreOffice writes one for a footnote inside a tracked insertion (the redline): 0.06 points wide and taller
    than the page, so nobody can click it, and untagged, which PDF/UA-1 7.18.1 forbids of any annotation.
    """
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            continue
        kept = [a for a in annotations if not (a.get("/Subtype") == "/Link" and "/StructParent" not in a and _no_area(a))]
        if len(kept) != len(annotations):
            page.obj.Annots = pikepdf.Array(kept)


def _no_area(annotation: pikepdf.Dictionary) -> bool:
    try:
        x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
    except (AttributeError, TypeError, ValueError):
        return False
    return abs(x2 - x1) < 1 or abs(y2 - y1) < 1  # less than a point: nothing to click


def _named_destinations(pdf: pikepdf.Pdf) -> dict[tuple[object, ...], str]:
    """Explicit destination → its name, from the catalog's /Dests (LibreOffice's exported bookmarks)."""
    dests = pdf.Root.get("/Dests")
    found: dict[tuple[object, ...], str] = {}
    if dests is None:
        return found
    for name, destination in dests.items():
        if isinstance(destination, pikepdf.Dictionary):
            destination = destination.get("/D")
        key = _destination_key(destination)
        if key is not None:
            found.setdefault(key, str(name).lstrip("/"))
    return found


def _destination_key(destination: object) -> tuple[object, ...] | None:
    if not isinstance(destination, pikepdf.Array) or len(destination) == 0:
        return None
    page = destination[0]
    page_id = page.objgen if isinstance(page, pikepdf.Object) and page.is_indirect else str(page)
    return (page_id, *(str(part) for part in destination[1:]))
