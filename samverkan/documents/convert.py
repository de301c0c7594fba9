"""Convert Word documents to PDF/A-2b with LibreOffice running headless.

The rest of the tool only sees the small :class:`Converter` protocol: give it
(source .docx, target .pdf) pairs, get every target written atomically or a
:class:`ConversionError` in Swedish.

:class:`LibreOfficeConverter` is the local backend. It converts a whole batch
in as few LibreOffice processes as possible: the jobs are split between
``workers`` processes (two by default, one per core on a small server), and
each process converts its share with a single ``--convert-to`` call. Where
the ``soffice`` launcher sits beside ``soffice.bin``, soffice.bin is started
directly: the launcher passes on only ~241 file names. Each PDF is checked
as soon as LibreOffice has moved on to the next document, while it converts.
Measured on a 2-core machine (issue 8): one plain ``soffice --convert-to
pdf`` per document costs about 1.8 s per document; in a batch a synthetic
agreement of 10–12 pages and its medborgarlöfte cost about 0.13 s of CPU per
document, almost all of it LibreOffice reading and laying out the .docx
(jemalloc preloaded, see :func:`_environment`).

Every process gets its own user profile in a fresh temporary folder, so two
renders at the same time never share (or lock) a profile, and its own process
group, so a hung LibreOffice is killed together with all its children. A new
profile is seeded with the LibreOffice version, which spares each start about
a second of graphics self-tests; the first profile a Python process has used
is then kept as a template and copied into later ones, which spares the rest
of LibreOffice's first-start set-up (together: a start costs ~0.5 s instead of
~2 s).

Scaling past one machine: a remote backend implements the same protocol. For
Gotenberg (an HTTP front for LibreOffice that scales horizontally behind a
load balancer), ``convert`` would POST the sources to
``/forms/libreoffice/convert`` with the form fields ``pdfa=PDF/A-2b`` and
``pdfua=true`` (several files in one request come back as a ZIP), write each
PDF with ``fsutil.atomic_path(target)``, check it with
:func:`samverkan.pdfcheck.inspect_pdf`, and raise :class:`ConversionError` on
any failure. :func:`default_converter` is the one place that picks the
backend.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pikepdf
from pypdf import PdfReader

from .. import fsutil
from ..errors import ConversionError
from . import office
from .pdffinish import docx_dates, finish_pdf

INSTALL_HINT = "installera LibreOffice: apt-get install libreoffice-writer-nogui, eller kör scripts/setup.sh"

# Filter options of LibreOffice's writer_pdf_Export, in the JSON syntax that
# `soffice --convert-to 'pdf:writer_pdf_Export:{...}'` accepts since 7.4.
# PDF/A-2b forces every font to be embedded. EmbedStandardFonts (also embed the
# 14 standard PDF fonts outside PDF/A) is not known to LibreOffice 7.4, which
# ignores it; later versions honour it, so it is kept for them.
PDF_EXPORT_OPTIONS: dict[str, dict[str, str]] = {
    "SelectPdfVersion": {"type": "long", "value": "2"},  # PDF/A-2b
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},  # outline from the headings
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},  # title in the window bar
    "EmbedStandardFonts": {"type": "boolean", "value": "true"},
    # Word bookmarks as named destinations: pdffinish names an internal link's target from them.
    "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
}

# Only Word's format is accepted: without this LibreOffice would happily
# "convert" any file it can guess a type for (plain text, for example).
_IMPORT_FILTER = "MS Word 2007 XML"
# LibreOffice's launcher (the `soffice` script and its oosplash) passes only
# the first ~241 files named on one command line (about 255 arguments in
# all) on to the office, which skips the rest without a word and exits 0
# (measured with 270 files on 7.4; issue 8). soffice.bin itself has no such
# limit, so when the launcher sits beside it, soffice.bin is started
# directly; a launcher we cannot see through gets batches of at most 200.
MAX_FILES_PER_PROCESS = 200
MAX_FILES_PER_OFFICE = 1000  # soffice.bin directly: one process per lane for 580 documents
# soffice.bin exits with this code when it wants to be started again (on a
# new profile it does so before converting anything); the launcher would
# restart it, so without the launcher we do.
_RESTART = 81
_BASE_TIMEOUT = 60.0
_TIMEOUT_PER_DOCUMENT = 10.0



class Converter(Protocol):
    """Anything that turns .docx files into PDF/A files."""

    def convert(self, jobs: Sequence[tuple[Path, Path]]) -> None:
        """Write each target PDF (atomically) from its source .docx.

        Raises :class:`ConversionError` with a Swedish message naming the
        file(s) if anything fails; targets that could not be made are left
        as they were.
        """
        ...


def find_soffice() -> str:
    """The LibreOffice binary: $SAMVERKAN_SOFFICE, else `soffice` or `libreoffice` on PATH."""
    explicit = os.environ.get("SAMVERKAN_SOFFICE")
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise ConversionError(
                f"SAMVERKAN_SOFFICE pekar på {explicit}, som inte finns eller inte är körbar – "
                f"rätta sökvägen eller ta bort variabeln och {INSTALL_HINT}"
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found is not None:
            return found
    raise ConversionError(f"LibreOffice (soffice) finns inte, så ingen PDF kan skapas – {INSTALL_HINT}")


def office_binary(soffice: str) -> str:
    """soffice.bin when ``soffice`` is LibreOffice's own launcher beside it, else ``soffice`` itself."""
    real = Path(os.path.realpath(soffice))
    binary = real.parent / "soffice.bin"
    if real.name in ("soffice", "libreoffice") and real.parent.joinpath("oosplash").is_file() and os.access(binary, os.X_OK):
        return str(binary)
    return soffice


def default_converter(timeout: float | None = None) -> Converter:
    """The converter the CLI uses: LibreOffice on this machine."""
    return LibreOfficeConverter(timeout=timeout)


@dataclass
class _Chunk:
    """The jobs one LibreOffice process converts."""

    jobs: list[tuple[Path, Path]]
    timeout: float


class LibreOfficeConverter:
    """Convert batches with a few parallel headless LibreOffice processes.

    ``soffice``: the binary (default: :func:`find_soffice`, looked up when
    converting, so a missing LibreOffice is reported by :meth:`convert`).
    ``timeout``: seconds one LibreOffice process may run (default
    $SAMVERKAN_LO_TIMEOUT, else 60 s + 10 s per document it converts).
    ``workers``: parallel processes (default min(2, CPU count, jobs)).
    """

    def __init__(self, soffice: str | None = None, timeout: float | None = None, workers: int | None = None) -> None:
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be positive")
        if workers is not None and workers < 1:
            raise ValueError("workers must be at least 1")
        self.soffice = soffice
        self.timeout = timeout
        self.on_done: Callable[[Path], None] | None = None
        """Told each target as soon as its PDF is finished and checked (progress, document by document)."""
        self.workers = workers

    def convert(self, jobs: Sequence[tuple[Path, Path]]) -> None:
        unique = _check_jobs(jobs)
        if not unique:
            return
        soffice = office_binary(self.soffice or find_soffice())
        cap = MAX_FILES_PER_OFFICE if Path(soffice).name == "soffice.bin" else MAX_FILES_PER_PROCESS
        fixed_timeout = self.timeout if self.timeout is not None else _timeout_from_env()
        workers = self.workers or min(2, os.cpu_count() or 1, len(unique))
        # Issue 8: no LibreOffice process gets more than `cap` files; a
        # bigger batch runs as rounds of `workers` processes.
        rounds = -(-len(unique) // (cap * workers))
        chunks = [
            _Chunk(piece, fixed_timeout or _BASE_TIMEOUT + _TIMEOUT_PER_DOCUMENT * len(piece))
            for share in _split(unique, min(workers * rounds, len(unique)))
            for piece in [share[i : i + cap] for i in range(0, len(share), cap)]
        ]
        if len(chunks) == 1:
            errors = [_run_chunk(soffice, chunks[0], threading.Event(), self.on_done)]
        else:
            # On Ctrl-C (or any error) in this thread, the lanes stop their
            # LibreOffice too instead of running to the end of the batch.
            cancel = threading.Event()
            with ThreadPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
                futures = [pool.submit(_run_chunk, soffice, chunk, cancel, self.on_done) for chunk in chunks]
                try:
                    errors = [future.result() for future in futures]
                except BaseException:
                    cancel.set()
                    raise
        failures = [e for e in errors if e is not None]
        if failures:
            raise ConversionError("\n".join(failures))


def _timeout_from_env() -> float | None:
    raw = os.environ.get("SAMVERKAN_LO_TIMEOUT", "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= MAX_TIMEOUT:  # also inf and nan: a time limit must stay a limit
        raise ConversionError(
            f"SAMVERKAN_LO_TIMEOUT={raw!r} är ingen giltig tidsgräns – ange ett antal sekunder, högst {MAX_TIMEOUT:g}, t.ex. 300"
        )
    return value


_NO_PROFILE = 77
"""soffice's exit status when it cannot set up its user profile: a full or read-only temporary folder."""

MAX_TIMEOUT = 3600.0
"""Longest time limit SAMVERKAN_LO_TIMEOUT may set, in seconds: LibreOffice never needs an hour."""


def _check_jobs(jobs: Sequence[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    """Drop repeated jobs, refuse conflicting targets and sources that are not Word files."""
    by_target: dict[Path, Path] = {}
    for source, target in jobs:
        source, target = Path(source), Path(target)
        key = target.absolute()
        if key in by_target and by_target[key] != source.absolute():
            raise ConversionError(
                f"{target}: två dokument ({by_target[key]} och {source}) skulle skrivas till samma PDF – ge dem olika namn"
            )
        by_target[key] = source.absolute()
        if not source.is_file():
            raise ConversionError(f"{source}: filen finns inte, så ingen PDF kan skapas – skapa .docx-filen först")
        if not zipfile.is_zipfile(source):
            raise ConversionError(f"{source}: filen är inget Word-dokument (.docx) – skapa den igen med samverkan render")
    return [(source, target) for target, source in by_target.items()]


def _split(jobs: list[tuple[Path, Path]], parts: int) -> list[list[tuple[Path, Path]]]:
    """Share the jobs so that every part has about the same amount of text to lay out."""
    shares: list[list[tuple[Path, Path]]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for job in sorted(jobs, key=lambda job: job[0].stat().st_size, reverse=True):
        lightest = loads.index(min(loads))
        shares[lightest].append(job)
        loads[lightest] += job[0].stat().st_size
    return [share for share in shares if share]


def _run_chunk(
    soffice: str, chunk: _Chunk, cancel: threading.Event, on_done: Callable[[Path], None] | None = None
) -> str | None:
    """Convert one share in one LibreOffice process; the Swedish error, or None."""
    work = Path(tempfile.mkdtemp(prefix="samverkan-lo-"))
    try:
        inbox, outbox, profile = work / "in", work / "out", work / "profile"
        inbox.mkdir()
        outbox.mkdir()
        office.new_profile(profile, soffice)
        # Private copies with simple, unique names: two sources may share a
        # name, and the source folder may not be writable for lock files.
        names = [f"d{i:04d}" for i in range(len(chunk.jobs))]
        for name, (source, _) in zip(names, chunk.jobs):
            shutil.copyfile(source, inbox / f"{name}.docx")
        filter_spec = "pdf:writer_pdf_Export:" + json.dumps(PDF_EXPORT_OPTIONS, separators=(",", ":"))
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            f"--infilter={_IMPORT_FILTER}",
            "--convert-to",
            filter_spec,
            "--outdir",
            str(outbox),
            *[str(inbox / f"{name}.docx") for name in names],
        ]
        sources = _list_files([source for source, _ in chunk.jobs])
        log = work / "soffice.log"
        pdfs = _Outbox(outbox, names, [source for source, _ in chunk.jobs], [target for _, target in chunk.jobs], on_done)
        try:
            for _attempt in range(3):
                status = office.run(command, log, chunk.timeout, cancel, pdfs.scan, private=work / "env")
                if status != _RESTART:
                    break
        except FileNotFoundError:
            return f"LibreOffice kunde inte startas ({soffice} saknas) – {INSTALL_HINT}"
        except PermissionError:
            return f"LibreOffice kunde inte startas ({soffice} är inte körbar) – {INSTALL_HINT}"
        if status is None:
            return (
                f"LibreOffice svarade inte inom tidsgränsen {chunk.timeout:g} s och avbröts; "
                f"ingen PDF skapades för: {sources} – försök igen, eller höj gränsen med SAMVERKAN_LO_TIMEOUT (sekunder)"
            )
        output = log.read_text(encoding="utf-8", errors="replace")
        if status != 0:
            how = f"avbröts av signal {-status}" if status < 0 else f"avslutades med felkod {status}"
            tail = output.strip()[-500:]
            if status == _NO_PROFILE:
                how += (
                    f" (LibreOffice kunde inte skriva sin profil och sina tillfälliga filer i {work.parent}: "
                    "frigör utrymme där eller välj en annan tillfällig mapp med TMPDIR)"
                )
            return f"LibreOffice {how} och ingen PDF skapades för: {sources}." + (f" Utdata från LibreOffice: {tail}" if tail else "")
        # LibreOffice reports a document it cannot open only as "Error: ..." and still exits 0.
        reported = [line.strip() for line in output.splitlines() if line.strip().startswith("Error")][:3]
        detail = f" LibreOffice skrev: {' / '.join(reported)}" if reported else ""
        problems = []
        made: list[tuple[bytes, Path]] = []
        for index, (source, target) in enumerate(chunk.jobs):
            data, problem = pdfs.result(index)
            if problem:
                problems.append(f"{source}: LibreOffice {problem} – kontrollera att filen går att öppna i Word eller LibreOffice.{detail}")
            else:
                made.append((data, target))
        # Every good PDF is kept even if another one failed, so a rerun only
        # has the failed documents left to do.
        for data, target in made:
            fsutil.write_bytes(target, data)
            pdfs.done(target)
        if problems:
            return "\n".join(problems)
        office.keep_as_template(profile)
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _Outbox:
    """The PDFs of one LibreOffice run, checked and finished while it is still converting (issue 8).

    LibreOffice converts the files in the order they are named. Once a PDF
    exists, the one before it is finished: it is read, checked and finished
    (:func:`~samverkan.documents.pdffinish.finish_pdf`) right away, so that
    work overlaps the conversion instead of waiting for its end. Only
    PDFs that pass (and end with %%EOF) are kept from this early look;
    anything else is read again after LibreOffice has exited.
    """

    def __init__(
        self,
        folder: Path,
        names: list[str],
        sources: list[Path],
        targets: list[Path] | None = None,
        on_done: Callable[[Path], None] | None = None,
    ) -> None:
        self.paths = [folder / f"{name}.pdf" for name in names]
        self.sources = sources
        self.good: dict[int, bytes] = {}
        self.scanned = 0  # every PDF before this one has had its early look
        self.targets = targets or []
        self.on_done = on_done
        self.told: set[Path] = set()

    def done(self, target: Path) -> None:
        """Tell ``on_done`` once that ``target``'s PDF is finished."""
        if self.on_done is not None and target not in self.told:
            self.told.add(target)
            self.on_done(target)

    def scan(self) -> None:
        while self.scanned + 1 < len(self.paths) and self.paths[self.scanned + 1].exists():
            data, problem = _read_pdf(self.paths[self.scanned])
            if problem is None and data.rstrip().endswith(b"%%EOF"):
                try:
                    self.good[self.scanned] = self._finish(self.scanned, data)
                except pikepdf.PdfError:
                    pass  # read again, and reported, after LibreOffice has exited
                else:
                    if self.scanned < len(self.targets):
                        self.done(self.targets[self.scanned])
            self.scanned += 1

    def result(self, index: int) -> tuple[bytes, str | None]:
        """The finished PDF's bytes and its problem (None if good); call after LibreOffice has exited."""
        if index in self.good:
            return self.good[index], None
        data, problem = _read_pdf(self.paths[index])
        if problem is not None:
            return data, problem
        try:
            return self._finish(index, data), None
        except pikepdf.PdfError as e:
            return data, f"skapade en PDF som inte kunde efterbehandlas ({e})"

    def _finish(self, index: int, data: bytes) -> bytes:
        return finish_pdf(data, docx_dates(self.sources[index]))


def _list_files(paths: list[Path], limit: int = 5) -> str:
    """The files as "a, b, c", or the first few and how many more for a long batch."""
    shown = ", ".join(str(p) for p in paths[:limit])
    return shown if len(paths) <= limit else f"{shown} och {len(paths) - limit} till"


def _read_pdf(pdf: Path) -> tuple[bytes, str | None]:
    """The PDF's bytes, and why it is not a usable result (None if it is)."""
    try:
        data = pdf.read_bytes()
    except FileNotFoundError:
        return b"", "skapade ingen PDF"
    if not data:
        return data, "skapade en tom PDF"
    try:
        if not data.startswith(b"%PDF-") or len(PdfReader(io.BytesIO(data)).pages) == 0:
            return data, "skapade en PDF utan sidor"
    except Exception as e:  # pypdf raises many types for a broken file
        return data, f"skapade en trasig PDF ({type(e).__name__})"
    return data, None
