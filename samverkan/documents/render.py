"""Rendering agreements into Word documents (and, through convert, PDF).

Two documents come out of one agreement: the full samverkansöverenskommelse
and the standalone medborgarlöfte. Each is a docxtpl template from
``templates/`` filled with the view objects of :mod:`samverkan.context`.

Templating is safe by construction: a sandboxed Jinja environment with
autoescaping (``& < > " '`` come out literally), StrictUndefined (a missing
variable is an error that names it, never an empty string), and values are
inserted as data, never parsed again, so ``{{ x }}`` in an agreement stays
``{{ x }}``. A template with an unknown variable or a syntax error gets a
Swedish message naming the template file and the tag.

Output is deterministic: the .docx zip is rewritten with fixed timestamps and
a stable member order, and its core properties take their dates from the
agreement, so two renders of the same file are byte-identical.
"""

from __future__ import annotations

import dataclasses
import html
import io
import multiprocessing
import os
import re
import signal
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, meta
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .. import fsutil
from ..errors import (
    ConversionError,
    InvalidAgreement,
    OutputError,
    SamverkanError,
    TemplateError,
)
from ..model.loader import find_agreements, load
from ..model.models import Agreement, Status
from ..words import invalid_of
from . import cache, docxfill, provenance, sigfields
from .context import DOCUMENTS, build_with_notes
from .naming import documents_for, output_stem
from .properties import fit_property, set_properties as _set_properties
from .progress import pdf_start, read_step, watch_pdfs
from .reference import REFERENCE, template_reference

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
FORMATS = ("docx", "pdf")
_TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.DOTALL)

__all__ = ["DOCUMENTS", "FORMATS", "documents_for", "fit_property", "normalise_docx", "output_stem", "render_docx", "render_files", "template_path", "template_reference"]


# -- templates ----------------------------------------------------------------


def template_path(document: str, template: Path | None = None) -> Path:
    """The template for ``document``: ``template`` itself, ``template/<document>.docx``, or the built-in one."""
    if document not in DOCUMENTS:
        raise ValueError(f"unknown document {document!r}; expected one of {DOCUMENTS}")
    if template is None:
        path = TEMPLATE_DIR / f"{document}.docx"
        if not path.is_file():
            raise TemplateError(
                f"{path}: den inbyggda mallen saknas – bygg den med `python templates/build_templates.py`"
            )
        return path
    template = Path(template)
    if template.is_dir():
        own = template / f"{document}.docx"
        return own if own.is_file() else template_path(document)
    if not template.is_file():
        raise TemplateError(f"{template}: mallen finns inte – ange en befintlig .docx-fil eller mapp med --template")
    return template


def environment() -> SandboxedEnvironment:
    """The Jinja environment for every template: sandboxed, autoescaping, strict."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


_ENV = environment()


@lru_cache(maxsize=32)
def _compile(source: str) -> Template:
    """Compiled template parts, reused when many agreements use the same template."""
    return _ENV.from_string(source)


def _open(path: Path) -> tuple[docxfill.CompiledTemplate, frozenset[str]]:
    """The template read for filling, and the variables it uses."""
    if path.suffix.lower() != ".docx":
        raise TemplateError(f"{path}: en mall måste vara ett Word-dokument (.docx) – spara mallen som .docx i Word")
    stat = path.stat()
    return _inspect(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _inspect(path: Path, _mtime: int, _size: int) -> tuple[docxfill.CompiledTemplate, frozenset[str]]:
    """The template compiled once, its Jinja text checked for syntax and its variables found."""
    try:
        compiled = docxfill.compile_template(path)
    except TemplateError:  # a template that reaches out (documents/external.py)
        raise
    except Exception as e:  # python-docx raises many kinds for a damaged file
        raise TemplateError(
            f"{path}: mallen kan inte läsas som Word-dokument ({type(e).__name__}) – "
            "kontrollera att filen är en hel .docx sparad från Word eller LibreOffice"
        ) from None
    undeclared: set[str] = set()
    for source in compiled.sources:
        try:
            undeclared |= meta.find_undeclared_variables(_ENV.parse(source))
        except TemplateSyntaxError as e:
            lines = source.splitlines()
            line = _text(lines[e.lineno - 1]) if 0 < e.lineno <= len(lines) else ""
            tags = [_text(t) for t in _TAG.findall(lines[e.lineno - 1])] if line else []
            where = f" i taggen {tags[-1]}" if tags else (f" i stycket «{line}»" if line else "")
            raise TemplateError(f"{path}: Jinja-syntaxfel{where}: {_swedish(e.message or '')}") from None
    return compiled, frozenset(undeclared)


def _swedish(message: str) -> str:
    """Jinja's syntax messages in Swedish, with what to do; unknown ones are kept as they are."""
    unclosed = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if message.startswith("Unexpected end of template") and unclosed:
        block = unclosed.group(1)
        return f"blocket {{% {block} %}} stängs aldrig – lägg till {{%p end{block} %}} där det ska sluta"
    unknown = re.match(r"Encountered unknown tag '(\w+)'", message)
    if unknown:
        return f"okänd tagg '{unknown.group(1)}' – kontrollera stavningen och att blocket har en början"
    unexpected = re.match(r"unexpected '(.*)'", message)
    if unexpected:
        return f"oväntat '{unexpected.group(1)}' – kontrollera att taggen är hel, t.ex. {{{{ doc.title }}}}"
    return f"{message} – rätta taggen i mallen"


def _text(xml: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", xml)).strip()


def _tags_with(sources: Sequence[str], name: str) -> list[str]:
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\b|\.{re.escape(name)}\b")
    found = []
    for source in sources:
        for tag in _TAG.findall(source):
            text = _text(tag)
            if pattern.search(text) and text not in found:
                found.append(text)
    return found


def _where(sources: Sequence[str], name: str) -> str:
    tags = _tags_with(sources, name)
    return f" i taggen {tags[0]}" if tags else ""


def _check(path: Path, sources: Sequence[str], undeclared: frozenset[str], variables: dict[str, Any]) -> None:
    """Unknown top-level variables are found before anything is rendered."""
    unknown = sorted(undeclared - set(variables))
    if unknown:
        name = unknown[0]
        raise TemplateError(
            f"{path}: mallen använder variabeln '{name}'{_where(sources, name)}, som inte finns – "
            f"tillgängliga variabler: {', '.join(variables)} (se {REFERENCE})"
        )


def _missing_name(error: UndefinedError) -> str:
    message = str(error.message or "")
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return found.group(1) if found else message


# -- template reference ------------------------------------------------------


# -- rendering ----------------------------------------------------------------


def render_docx(
    agreement: Agreement, document: str = "overenskommelse", template: Path | None = None, promise_id: str | None = None
) -> bytes:
    """One document of ``agreement`` as .docx bytes (deterministic for the same input).

    ``document`` is ``overenskommelse`` (the file as it is: an agreement, or a
    medborgarlöfte of its own) or ``medborgarlofte`` (one medborgarlöfte as a
    public document: ``promise_id``, by default the last).
    """
    if agreement.is_promise:
        document = "medborgarlofte"
    path = template_path(document, template)
    variables, notes = build_with_notes(agreement, document, promise_id)
    compiled, undeclared = _open(path)
    sources = compiled.sources
    _check(path, sources, undeclared, variables)
    chosen = None
    if document == "medborgarlofte" and not agreement.is_promise:
        promises = agreement.promises()
        chosen = next((p for p in promises if p.id == promise_id), promises[-1] if promises else None)
    try:
        return docxfill.fill(compiled, lambda source: _compile(source).render(variables),
                             lambda properties: _set_properties(properties, agreement, document, chosen),
                             notes.footnotes,
                             lambda members: provenance.members(members, agreement, document))  # for import --into
    except UndefinedError as e:
        name = _missing_name(e)
        raise TemplateError(
            f"{path}: mallen använder '{name}'{_where(sources, name)}, som inte finns – "
            f"se {REFERENCE} för de variabler en mall kan använda"
        ) from None
    except SecurityError as e:
        raise TemplateError(f"{path}: mallen försöker göra något som inte är tillåtet ({e}) – ta bort taggen") from None
    except JinjaError as e:
        raise TemplateError(f"{path}: mallen kunde inte fyllas i: {e} – rätta taggen i mallen") from None
    except Exception as e:  # lxml on a template whose tags break the XML
        raise TemplateError(
            f"{path}: mallen gav ett trasigt dokument ({type(e).__name__}: {e}) – en tagg delar troligen "
            "ett stycke eller en tabell på fel sätt; använd {%p …%} för hela stycken och {%tr …%} för tabellrader"
        ) from None


def normalise_docx(data: bytes) -> bytes:
    """Rewrite a .docx zip with fixed timestamps and a stable member order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return docxfill.write_package((name, source.read(name)) for name in source.namelist())


@dataclasses.dataclass
class _Prepared:
    """One agreement file read and rendered in memory, or why it could not be."""

    source: Path
    invalid: str | None = None  # the validation errors of the file
    failure: SamverkanError | None = None  # a template or output error while rendering
    # (target .docx, fingerprint, .docx bytes or None when the outputs are up to date)
    documents: list[tuple[Path, str, bytes | None]] = dataclasses.field(default_factory=list)
    # issue 19: the signature fields each target's PDF gets (none for most documents)
    fields: dict[Path, list[sigfields.FieldSpec]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class _Job:
    """What every agreement of one render_files call is rendered with."""

    out_dir: Path
    formats: tuple[str, ...]
    template: Path | None
    force: bool
    signature_fields: bool | None = None

    def templates(self, document: str) -> tuple[Path | None, Path]:
        """The user's template for ``document`` (or None) and the file actually used."""
        # A single file is used for the full agreement; a folder can hold both templates.
        user = self.template
        own = user if user is not None and (user.is_dir() or document == "overenskommelse") else None
        return own, template_path(document, own)

    def fields(self, agreement: Agreement, document: str) -> list[sigfields.FieldSpec]:
        """Issue 19: the signature fields of the agreement's PDF; by default only a fastställd one gets them."""
        wanted = self.signature_fields
        if wanted is None:
            wanted = agreement.status is Status.FASTSTALLD
        if not wanted or not (document == "overenskommelse" or agreement.is_promise) or "pdf" not in self.formats:
            return []
        return sigfields.field_specs(agreement)

    def prepare(self, source: Path) -> _Prepared:
        """Validate ``source`` and render its documents that are not up to date."""
        try:
            agreement = load(source)
        except InvalidAgreement as e:
            return _Prepared(source, invalid=str(e))
        prepared = _Prepared(source)
        folder = self.out_dir / fsutil.slug(agreement.parter.kommun.ort)
        try:
            for document, promise_id in documents_for(agreement):
                target = folder / f"{output_stem(agreement, document, promise_id)}.docx"
                own, used = self.templates(document)
                fields = self.fields(agreement, document)
                if fields:
                    prepared.fields[target] = fields
                # Up-to-date skipping (issue 8): see samverkan/cache.py.
                kind = f"{document}:{promise_id}" if promise_id else document
                made_from = cache.fingerprint(agreement, kind + ("+signaturfält" if fields else ""), used)
                fresh = not self.force and all(cache.is_fresh(target.with_suffix(f".{f}"), made_from) for f in self.formats)
                data = None if fresh else render_docx(agreement, document, own, promise_id)
                prepared.documents.append((target, made_from, data))
        except SamverkanError as e:
            prepared.failure = e
        return prepared


# Issue 8: from this many files on, reading and rendering run in one process
# per core (at most two: LibreOffice gets the cores next). Below it the
# start of the processes costs more than it saves.
PARALLEL_FROM = 12


def _prepare_all(files: list[Path], job: _Job, progress: Callable[[str], None] | None) -> list[_Prepared]:
    workers = min(2, os.cpu_count() or 1)
    if len(files) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for source in files:
            results.append(job.prepare(source))
            if progress:
                progress(read_step(results[-1].source, bool(results[-1].invalid), len(results), len(files)))
        return results
    for document in DOCUMENTS:  # compile the templates once, before the workers fork
        try:
            _open(job.templates(document)[1])
        except SamverkanError:
            break  # reported by the workers, after any invalid files
    context_ = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context_, initializer=_quiet_worker) as pool:
        results = []
        try:
            for prepared in pool.map(job.prepare, files, chunksize=max(1, len(files) // (workers * 8))):
                results.append(prepared)
                if progress:
                    progress(read_step(prepared.source, bool(prepared.invalid), len(results), len(files)))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return results


def _quiet_worker() -> None:
    """Ctrl-C is the parent's to handle: a worker does not print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def render_files(
    paths: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    template: Path | None = None,
    converter: Any = None,
    progress: Callable[[str], None] | None = None,
    *,
    dry_run: bool = False,
    force: bool = False,
    signature_fields: bool | None = None,
) -> list[Path]:
    """Render every agreement under ``paths`` into ``out_dir/<kommun>/``; return the paths written.

    ``signature_fields`` (issue 19): True gives every agreement's PDF an
    empty signature field per signatory (:mod:`samverkan.documents.sigfields`),
    False none; None (the default) gives them to a ``fastställd`` agreement,
    the version that goes to signing.

    A document whose files in every requested format are up to date (same
    agreement content, template and samverkan, see :mod:`samverkan.cache`)
    is skipped and not returned, unless ``force``.

    All files are validated and rendered in memory first, so a bad file or
    template writes nothing. Each .docx is written atomically; then every PDF
    is converted in one batch. If that fails the .docx files stay and the
    ConversionError propagates. With ``formats=("pdf",)`` the .docx files are
    made in a temporary folder and only the PDFs are kept. With ``dry_run``
    nothing is written and the paths that would be are returned.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise SamverkanError(f"okänt format {', '.join(unknown) or '(inget)'} – välj docx, pdf eller båda")
    user_template = Path(template) if template is not None else None
    if user_template is not None and not user_template.exists():
        raise TemplateError(f"{user_template}: mallen finns inte – ange en befintlig .docx-fil eller mapp med --template")
    if user_template is not None and user_template.is_dir() and not any((user_template / f"{d}.docx").is_file() for d in DOCUMENTS):
        raise TemplateError(
            f"{user_template}: mappen har ingen mall – lägg overenskommelse.docx och/eller medborgarlofte.docx i den"
        )
    files = list(find_agreements(paths))
    if not files:
        raise SamverkanError(
            f"inga överenskommelser (*.yaml) hittades i {', '.join(map(str, paths))} – ange en fil eller mapp"
        )
    job = _Job(Path(out_dir), tuple(formats), user_template, force, signature_fields)
    results = _prepare_all(files, job, progress)
    # All validation errors first, then the first failure in file order: the
    # same report whether the files were prepared in one process or several.
    errors = [r.invalid for r in results if r.invalid]
    if errors:
        raise SamverkanError("\n".join(errors) + f"\nInget skrevs: {invalid_of(len(errors), len(files))}.")
    rendered: list[tuple[Path, bytes]] = []
    seen: dict[Path, Path] = {}
    fingerprints: dict[Path, str] = {}  # issue 8: what each .docx target is made from
    fields: dict[Path, list[sigfields.FieldSpec]] = {}  # issue 19: by .pdf target
    for prepared in results:
        for target, made_from, data in prepared.documents:
            if target in seen:
                raise OutputError(
                    f"{prepared.source} och {seen[target]} ger samma utfil {target} – rendera dem var för sig med olika -o"
                )
            seen[target] = prepared.source
            if data is not None:
                fingerprints[target] = made_from
                if target in prepared.fields:
                    fields[target.with_suffix(".pdf")] = prepared.fields[target]
                rendered.append((target, data))
        if prepared.failure is not None:
            raise prepared.failure
    pdfs = [t.with_suffix(".pdf") for t, _ in rendered] if "pdf" in formats else []
    if dry_run:
        return ([t for t, _ in rendered] if "docx" in formats else []) + pdfs
    if not rendered:  # everything up to date
        return []
    if "docx" in formats:
        written = [fsutil.write_bytes(target, data) for target, data in rendered]
        cache.record(written, fingerprints)
        if pdfs:
            try:
                _convert(list(zip(written, pdfs)), converter, progress)
                _add_fields(fields)
            except ConversionError as e:
                kept = "\n".join(f"  {path}" for path in written)
                raise ConversionError(f"{e}\nWord-filerna är skrivna och finns kvar:\n{kept}") from None
            cache.record(pdfs, fingerprints)
        return written + pdfs
    with tempfile.TemporaryDirectory(prefix="samverkan-") as tmp, fsutil.new_folders_removed_on_error(t.parent for t, _ in rendered):
        jobs = []
        for i, (target, data) in enumerate(rendered):
            fsutil.ensure_dir(target.parent)
            jobs.append((fsutil.write_bytes(Path(tmp) / str(i) / target.name, data), target.with_suffix(".pdf")))
        _convert(jobs, converter, progress)
    _add_fields(fields)
    cache.record(pdfs, fingerprints)
    return pdfs


def _add_fields(fields: dict[Path, list[sigfields.FieldSpec]]) -> None:
    """Issue 19: signature fields into the PDFs just converted; a PDF they cannot be placed in is removed."""
    for pdf, specs in fields.items():
        try:
            sigfields.add_signature_fields(pdf, specs)
        except SamverkanError:
            pdf.unlink(missing_ok=True)
            raise


def _convert(jobs: list[tuple[Path, Path]], converter: Any, progress: Callable[[str], None] | None) -> None:
    if progress:
        progress(pdf_start(len(jobs)))
    if converter is None:
        from .convert import default_converter

        converter = default_converter()
        if progress:
            watch_pdfs(converter, progress, len(jobs))
    converter.convert(jobs)
