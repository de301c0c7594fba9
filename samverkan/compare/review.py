"""The `diff` command's work: read two versions, warn, compare, write the redline and the summary.

Guard rails before anything is compared:

* both files are read first and *all* their problems are reported at once
  (OLD's, then NEW's), so a reviewer fixes both in one pass;
* comparing two different kommuner, or a NEW that is older than OLD, is
  allowed (exit 0) but warned about: the usual cause is a wrong file;
* a NEW that is a medborgarlöfte of its own against an OLD agreement that
  holds medborgarlöften is compared with the löfte it follows, as the
  document of its own that löfte stands for (next year's löfte beside a
  multi-year agreement, see ``new --bara-medborgarlofte``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..documents.formatting import long_date, period_text
from ..documents.render import output_stem, render_docx
from ..errors import ConversionError, InvalidAgreement, SamverkanError
from ..fsutil import slug, write_bytes
from ..model.loader import load
from ..model.models import Agreement
from ..model.promisedoc import chosen_promise, promise_document
from .changes import Comparison
from .matching import match
from .redline import redline_docx
from .structure import compare

if TYPE_CHECKING:
    from ..documents.convert import Converter


class InvalidAgreements(InvalidAgreement):
    """Both files of a comparison have problems: every one of them, OLD's first."""

    def __init__(self, errors: list[InvalidAgreement]):
        SamverkanError.__init__(self, "\n".join(str(e) for e in errors))
        self.path = ", ".join(e.path for e in errors)
        self.problems = [p for e in errors for p in e.problems]


def load_both(old_path: Path | str, new_path: Path | str) -> tuple[Agreement, Agreement]:
    """Read both files; if either is invalid, report the problems of both."""
    found: list[Agreement] = []
    errors: list[InvalidAgreement] = []
    for path in (old_path, new_path):
        try:
            found.append(load(path))
        except InvalidAgreement as e:
            errors.append(e)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InvalidAgreements(errors)
    old, new = found
    if new.is_promise and not old.is_promise and old.medborgarloften:
        # Next year's löfte of its own (`new --bara-medborgarlofte`) against the löfte it follows, not the
        # whole agreement: the one it names under `ersatter`, else the agreement's last.
        old = promise_document(old, chosen_promise(old, title=new.ersatter))  # type: ignore[arg-type]
    return old, new


def warnings(old: Agreement, new: Agreement) -> list[str]:
    """What looks like a mistake in the choice of files (Swedish, one sentence each)."""
    out = []
    ko, kn = old.parter.kommun, new.parter.kommun
    if ko.namn != kn.namn or (ko.kommunkod and kn.kommunkod and ko.kommunkod != kn.kommunkod):
        out.append(f"Varning: den tidigare versionen gäller {ko.namn} men den nya {kn.namn} – "
                   "kontrollera att det är två versioner av samma överenskommelse.")
    def when(a: Agreement) -> str:
        return ", ".join(x for x in (long_date(a.document_date) if a.document_date else "", period_text(a.period)) if x)

    older_date = old.document_date and new.document_date and new.document_date < old.document_date
    if older_date or new.period.start < old.period.start:
        out.append(f"Varning: den nya versionen ({when(new)}) är äldre än den tidigare ({when(old)}) – har filerna "
                   "bytt plats? Ändringarna visas från den första filen till den andra.")
    return out


@dataclass(frozen=True)
class DiffResult:
    """What :func:`diff` found and wrote, and what it warns about."""

    comparison: Comparison
    files: tuple[Path, ...]
    warnings: tuple[str, ...] = ()


def redline_stem(old: Agreement, new: Agreement) -> str:
    """File name stem of the redline: NEW's document name plus the version compared with."""
    return f"{output_stem(new, 'overenskommelse')}-andringar-fran-{slug(period_text(old.period))}"


def diff(
    old_path: Path | str,
    new_path: Path | str,
    output: Path | None = Path("output"),
    template: Path | None = None,
    pdf: bool = True,
    converter: Converter | None = None,
    summary_docx: bool = False,
    redline: bool = True,
) -> DiffResult:
    """Compare two agreement files; write the redline .docx (and PDF) and, if asked, the summary .docx.

    Files land in ``output/<kommun>/`` next to the rendered documents, named
    by :func:`redline_stem` (the summary with ``-sammanfattning``).
    ``output=None`` only compares.
    """
    old, new = load_both(old_path, new_path)
    matching = match(old, new)
    comparison = compare(old, new, matching)
    notes = tuple(warnings(old, new))
    if output is None:
        return DiffResult(comparison, (), notes)
    folder = output / slug(new.parter.kommun.ort)
    written: list[Path] = []
    new_docx = render_docx(new, "overenskommelse", template)
    if summary_docx:
        from .summarydocx import summary_document

        target = folder / f"{redline_stem(old, new)}-sammanfattning.docx"
        write_bytes(target, summary_document(comparison, new_docx))
        written.append(target)
    if not redline:
        return DiffResult(comparison, tuple(written), notes)
    docx = folder / f"{redline_stem(old, new)}.docx"
    old_docx = render_docx(old, "overenskommelse", template)
    write_bytes(docx, redline_docx(old_docx, new_docx, new.document_date, comparison, structure=(old, new, matching)))
    written.insert(0, docx)
    if not pdf:
        return DiffResult(comparison, tuple(written), notes)
    target = docx.with_suffix(".pdf")
    try:
        _pdf(docx, target, converter)
    except ConversionError as e:
        raise ConversionError(f"{e}\nJämförelsedokumentet finns som Word-fil: {docx}") from None
    written.insert(1, target)
    return DiffResult(comparison, tuple(written), notes)


def _pdf(docx: Path, target: Path, converter: Converter | None) -> None:
    """The redline's PDF, its "av N" counting the agreement's pages (see :mod:`.pagecount`), its changes tagged
    (:mod:`~samverkan.documents.redlinetags`) and its own page numbers in the top margin
    (:mod:`~samverkan.documents.pagestamp`)."""
    import tempfile

    from pypdf import PdfReader

    from ..documents.convert import default_converter  # LibreOffice only when a PDF is wanted
    from ..documents.pagestamp import numbering_job, overlay, page_count
    from ..documents.redlinetags import tag_changes
    from .pagecount import cover_only, store_section_pages

    convert = (converter or default_converter()).convert
    with tempfile.TemporaryDirectory(prefix="samverkan-diff-") as tmp:
        folder = Path(tmp)
        cover_docx, cover_pdf = folder / "cover.docx", folder / "cover.pdf"
        cover_docx.write_bytes(cover_only(docx.read_bytes()))
        convert([(docx, target), (cover_docx, cover_pdf)])
        try:
            pages = len(PdfReader(target).pages) - len(PdfReader(cover_pdf).pages)
        except Exception:  # a converter that writes no real PDF (tests): keep what LibreOffice wrote
            return
        numbering = numbering_job(folder, target.read_bytes())
        counted = store_section_pages(docx.read_bytes(), pages)
        if counted != docx.read_bytes():
            write_bytes(docx, counted)
            convert([(docx, target), numbering])  # one LibreOffice run for both
        else:
            convert([numbering])
        final = target.read_bytes()
        if page_count(numbering[1].read_bytes()) != page_count(final):  # the stored count moved a page break
            convert([numbering_job(folder, final)])
        tagged = tag_changes(final)  # deletions and insertions told to a screen reader
        write_bytes(target, overlay(tagged, numbering[1].read_bytes()))


__all__ = ["DiffResult", "InvalidAgreements", "diff", "load_both", "redline_stem", "warnings"]
