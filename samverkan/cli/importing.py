"""Bringing a rendered document, edited in Word or LibreOffice, back into its agreement file.

``samverkan import EDITED.docx --into agreements/<kommun>/<år>.yaml`` is done
here, outside Click, so it can be called from Python too
(:func:`import_edits`). It joins the stages: the document's own record of its
source (:mod:`~samverkan.documents.provenance`), the traced render of that
source (:mod:`~samverkan.documents.tracing`), the mapping of edits onto values
(:mod:`~samverkan.documents.mapping`), the round-trip write
(:mod:`~samverkan.drafting.roundtrip`) and the change summary of
:mod:`~samverkan.compare` — which is why it lives at the door, the one stage
that may use them all.

Safety, in this order: the document must come from this agreement (its
version code, or ``force``); when the file changed since the render, each
edited value is checked three ways (as rendered, as in the file now, as
edited) and a value changed on both sides is a conflict, not an overwrite;
edits without a place stop the import unless ``allow_unmapped``; the result
must validate; the write is atomic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import fsutil
from ..compare.formats import format_text
from ..compare.structure import compare
from ..documents import provenance
from ..documents.docxedits import Comment, EditedDocument, Revision, UnreadableDocument, read_edits
from ..documents.mapping import ListEdit, Mapping, Unplaced, ValueEdit, map_edits
from ..documents.render import render_docx
from ..documents.tracing import trace
from ..drafting.roundtrip import apply_edits, dotted
from ..errors import InvalidAgreement, SamverkanError
from ..model.loader import load, loads
from ..model.models import Agreement

MAX_DOCUMENT = 50 * 1024 * 1024
_FOOTER_CODE = re.compile(r"Versionskod:?\s*([0-9a-f]{12})")


class ImportError_(SamverkanError):
    """The edited document cannot be brought into the file."""


@dataclass(frozen=True)
class Conflict:
    """A value changed both in the file (since the render) and in the document."""

    path: str
    rendered: str
    in_file: str
    in_document: str


@dataclass
class ImportResult:
    """What an import found and did."""

    document: Path
    into: Path
    document_code: str
    file_code: str
    forced: bool = False
    stale: bool = False
    revisions: list[tuple[Revision, list[str]]] = field(default_factory=list)
    comments: list[tuple[Comment, list[str]]] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    formatting: list[Unplaced] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    summary: str = ""
    changed: bool = False
    written: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.conflicts)


def _read_document(path: Path) -> EditedDocument:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportError_(f"{path}: är inte en fil – ange det redigerade Word-dokumentet (.docx)")
        if size > MAX_DOCUMENT:
            raise ImportError_(f"{path}: filen är {size // 1024 // 1024} MB; ett avtalsutkast är högst några MB – fel fil?")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{path}: filen finns inte – ange det redigerade Word-dokumentet (.docx)") from None
    except OSError as e:
        raise ImportError_(f"{path}: filen kan inte läsas ({fsutil.reason(e)})") from None
    try:
        return read_edits(data)
    except UnreadableDocument as e:
        raise ImportError_(f"{path}: {e} – spara dokumentet som Word-dokument (.docx) och försök igen") from None


def _document_code(edited: EditedDocument, found: provenance.Provenance) -> str | None:
    if found.code:
        return found.code
    for part in ("footer", "body"):
        for paragraph in edited.paragraphs(part):
            match = _FOOTER_CODE.search(paragraph.text)
            if match:
                return match.group(1)
    return None


def _source(found: provenance.Provenance, code: str | None) -> Agreement | None:
    if found.source is None:
        return None
    try:
        agreement = Agreement.model_validate(found.source)
    except ValidationError:
        return None
    return agreement if agreement.fingerprint() == code else None


def _at(model: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        model = model[step] if isinstance(step, int) else getattr(model, step)
    return model


def _conflicts(mapping: Mapping, base: Agreement, ours: Agreement) -> list[Conflict]:
    """Edits whose value changed in the file since the render, differently from the document."""
    found = []
    kept_values: list[ValueEdit] = []
    for edit in mapping.values:
        try:
            now = _at(ours, edit.path)
        except (AttributeError, IndexError, KeyError, TypeError):
            now = None
        if now == edit.old:
            kept_values.append(edit)
        elif now != edit.new:
            found.append(Conflict(dotted(edit.path), edit.old, str(now) if now is not None else "(finns inte)",
                                  edit.new if edit.new is not None else "(borttaget)"))
    kept_lists: list[ListEdit] = []
    for change in mapping.lists:
        try:
            same = _at(ours, change.path) == _at(base, change.path)
        except (AttributeError, IndexError, KeyError, TypeError):
            same = False
        if same:
            kept_lists.append(change)
        else:
            found.append(Conflict(dotted(change.path), "(listan som den skrevs ut)", "(listan är ändrad i filen)",
                                  "(poster tillagda, borttagna eller flyttade i dokumentet)"))
    mapping.values, mapping.lists = kept_values, kept_lists
    return found


def _owners(mapping: Mapping, part: str, paragraphs: tuple[int, ...] | int) -> list[str]:
    numbers = paragraphs if isinstance(paragraphs, tuple) else (paragraphs,)
    paths = set()
    for number in numbers:
        paths |= mapping.owners.get((part, number), set())
    return sorted(dotted(p) for p in paths)


def import_edits(
    document: Path | str,
    into: Path | str,
    *,
    reject_pending: bool = False,
    allow_unmapped: bool = False,
    force: bool = False,
    dry_run: bool = False,
    template: Path | None = None,
) -> ImportResult:
    """Bring the edits in ``document`` into the agreement file ``into`` (see the module docstring).

    Raises :class:`ImportError_` (or :class:`InvalidAgreement` for a bad file)
    before anything is compared; otherwise returns what was found, and writes
    ``into`` only when there is no conflict, every edit has a place (or
    ``allow_unmapped``), the result validates and ``dry_run`` is off.
    """
    document, into = Path(document), Path(into)
    edited = _read_document(document)
    text = fsutil_read(into)
    ours = loads(text, name=str(into))
    found = provenance.read(edited.properties, edited.custom_parts)
    code = _document_code(edited, found)
    if code is None:
        raise ImportError_(f"{document}: dokumentet saknar versionskod och är inte skapat av samverkan render – "
                           "bara dokument som samverkan har skrivit kan föras tillbaka med --into")
    result = ImportResult(document=document, into=into, document_code=code, file_code=ours.fingerprint())
    base = _source(found, code)
    if base is None and code == ours.fingerprint():
        base = ours
    same_agreement = base is not None and (base.parter.kommun.namn, base.period.start) == (
        ours.parter.kommun.namn, ours.period.start)
    if base is None or not same_agreement:
        what = ("kommer från en annan överenskommelse" if base is not None
                else "kommer från en version av filen som dokumentet inte bär med sig")
        if not force:
            raise ImportError_(
                f"{document}: dokumentet {what} (versionskod {code}) än {into} (versionskod {ours.fingerprint()}) – "
                "ange rätt fil med --into, eller --force för att ändå föra in dokumentets text i filen")
        result.forced = True
        result.warnings.append(f"varning: dokumentet har versionskod {code} men {into} har {ours.fingerprint()}; "
                               "dokumentets text jämförs med filen som den är nu (--force)")
        base = ours
    result.stale = base is not ours and base.fingerprint() != ours.fingerprint()
    kind = found.kind or "overenskommelse"
    traced = trace(base, lambda a: render_docx(a, kind, template))
    mapping = map_edits(traced, base, edited, "rejected" if reject_pending else "accepted")
    if result.stale:
        result.conflicts = _conflicts(mapping, base, ours)
    result.revisions = [(r, _owners(mapping, r.part, r.paragraph)) for r in edited.revisions]
    result.comments = [(c, _owners(mapping, c.part, c.paragraphs)) for c in edited.comments]
    result.unplaced, result.formatting = mapping.unplaced, mapping.formatting
    if result.conflicts:
        return result
    new_text = apply_edits(text, mapping.values, mapping.lists, name=str(into))
    try:
        new = loads(new_text, name=str(into))
    except InvalidAgreement as e:
        raise ImportError_(f"{into}: ändringarna från {document} skulle göra filen ogiltig, så inget skrevs:\n{e}") from None
    result.changed = new_text != text
    result.summary = format_text(compare(ours, new))
    if result.changed and not dry_run and (allow_unmapped or not result.unplaced):
        fsutil.write_text(into, new_text)
        result.written = True
    return result


def fsutil_read(path: Path) -> str:
    try:
        load(path)  # the file's own problems are reported as FILE:LINE:COL before anything else
        return path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise ImportError_(f"{path}: filen kan inte läsas ({fsutil.reason(e)})") from None


# -- the report --------------------------------------------------------------------------------


def _quote(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return f"«{text[:limit]}…»" if len(text) > limit else f"«{text}»"


def outcome(result: ImportResult, dry_run: bool, allow_unmapped: bool) -> tuple[str, bool]:
    """The closing status line, and whether the command failed (exit 1)."""
    if result.written:
        return f"Skrev {result.into}", False
    if result.conflicts:
        return f"{result.into}: inget skrevs – lös konflikterna först", True
    if result.unplaced and not allow_unmapped:
        count = len(result.unplaced)
        what = "1 ändring har" if count == 1 else f"{count} ändringar har"
        return (f"{result.into}: inget skrevs – {what} ingen plats i filen; för in dem "
                "för hand, eller ange --allow-unmapped för att föra in resten"), True
    if dry_run and result.changed:
        return f"{result.into}: inget skrevs (-n)", False
    return f"{result.into}: inga ändringar att föra in", False


def report(result: ImportResult, reject_pending: bool = False, allow_unmapped: bool = False) -> str:
    """The import's findings in Swedish, for stdout."""
    lines: list[str] = []
    if result.summary:
        lines.append(result.summary.rstrip("\n"))
    if result.revisions:
        how = "avvisade" if reject_pending else "godkända"
        lines += ["", f"Spårade ändringar i dokumentet ({len(result.revisions)}, införda som {how}):"]
        for revision, owners in result.revisions:
            who = ", ".join(p for p in (revision.author or "okänd", revision.date[:10]) if p)
            what = f" {_quote(revision.text)}" if revision.text else ""
            lines.append(f"  {revision.kind} ({who}){what} – {', '.join(owners) or 'fast text'}")
    if result.comments:
        lines += ["", f"Kommentarer i dokumentet ({len(result.comments)}):"]
        for comment, owners in result.comments:
            who = ", ".join(p for p in (comment.author or "okänd", comment.date[:10]) if p)
            lines.append(f"  {who} om {_quote(comment.anchor, 80)} ({', '.join(owners) or 'fast text'}): {_quote(comment.text)}")
    if result.conflicts:
        lines += ["", f"Konflikter ({len(result.conflicts)}): värdet har ändrats både i filen och i dokumentet"]
        for c in result.conflicts:
            lines += [f"  {c.path}", f"    när dokumentet skapades: {_quote(c.rendered)}",
                      f"    i filen nu:              {_quote(c.in_file)}", f"    i dokumentet:            {_quote(c.in_document)}"]
        lines.append("  Rätta värdet i filen till det som ska gälla (till exempel dokumentets text) och kör igen.")
    if result.unplaced:
        title = "Ej införda" if allow_unmapped else "Ändringar som inte kan föras in i filen"
        lines += ["", f"{title} ({len(result.unplaced)}):"]
        for u in result.unplaced:
            change = f"{_quote(u.old)} → {_quote(u.new)}" if u.old and u.new else _quote(u.new or u.old)
            lines.append(f"  {u.place}: {u.reason}: {change}")
    if result.formatting:
        lines += ["", f"Formatering som filen inte kan hålla ({len(result.formatting)}, förs inte in):"]
        lines += [f"  {u.place}: {u.reason}: {_quote(u.new)}" for u in result.formatting]
    return "\n".join(lines).strip("\n") + "\n"


__all__ = ["Conflict", "ImportError_", "ImportResult", "import_edits", "outcome", "report"]
