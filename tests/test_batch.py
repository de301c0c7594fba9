"""Batches at national scale: no LibreOffice process is given more files than it converts, and
worker processes read and render exactly what one process would."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfWriter

from samverkan import render
from samverkan.convert import MAX_FILES_PER_PROCESS, LibreOfficeConverter
from samverkan.errors import SamverkanError, TemplateError
from samverkan.render import render_files


def fake_soffice(tmp_path: Path, log: Path, pdf: Path) -> Path:
    """Like LibreOffice 7.4: converts at most 241 of the files it is given, logs how many it got."""
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + textwrap.dedent(f"""\
        outdir=""; count=0; made=0
        while [ $# -gt 0 ]; do
          case "$1" in
            --outdir) outdir="$2"; shift ;;
            *.docx) count=$((count + 1))
                    if [ $made -lt 241 ]; then made=$((made + 1)); cp {pdf} "$outdir/$(basename "$1" .docx).pdf"; fi ;;
          esac
          shift
        done
        echo $count >> {log}
        """))
    script.chmod(0o755)
    return script


def test_a_national_batch_is_split_so_every_document_gets_its_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with pdf.open("wb") as handle:
        writer.write(handle)
    docx = tmp_path / "in" / "a.docx"
    docx.parent.mkdir()
    shutil.make_archive(str(docx.with_suffix("")), "zip", tmp_path, "blank.pdf")  # any zip passes the .docx check
    docx.with_suffix(".zip").rename(docx)
    jobs = []
    for i in range(580):  # 290 kommuner, two documents each
        source = tmp_path / "in" / f"{i:03d}.docx"
        shutil.copy(docx, source)
        jobs.append((source, tmp_path / "ut" / f"{i:03d}.pdf"))
    (tmp_path / "ut").mkdir()
    log = tmp_path / "calls.log"
    LibreOfficeConverter(soffice=str(fake_soffice(tmp_path, log, pdf)), workers=2).convert(jobs)
    counts = [int(line) for line in log.read_text().split()]
    assert sum(counts) == 580
    assert max(counts) <= MAX_FILES_PER_PROCESS < 241
    assert len(counts) == 4  # two rounds of two processes, evenly shared
    assert all(target.is_file() for _, target in jobs)


# -- reading and rendering in worker processes (render_files) -----------------------------


def synthetic(folder: Path, n: int) -> list[Path]:
    from benchmarks.synth import generate

    return generate(folder, n=n)


def render_all(paths: list[Path], out: Path, **options: object) -> tuple[list[str], dict[str, bytes], list[str]]:
    done: list[str] = []
    written = render_files(paths, out, formats=("docx",), progress=done.append, **options)  # type: ignore[arg-type]
    # The manifests hold modification times; everything else must be byte for byte the same.
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.docx"))}
    return [str(p.relative_to(out)) for p in written], files, done


def test_workers_give_the_same_files_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = synthetic(tmp_path / "in", render.PARALLEL_FROM + 2)
    parallel = render_all([tmp_path / "in"], tmp_path / "a")
    monkeypatch.setattr(render, "PARALLEL_FROM", 10_000)
    serial = render_all([tmp_path / "in"], tmp_path / "b")
    assert parallel == serial
    assert len(parallel[0]) == 2 * len(sources)
    assert parallel[2] == [f"Klar: {source}" for source in sorted(sources)]


def test_workers_report_every_invalid_file_and_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = synthetic(tmp_path / "in", render.PARALLEL_FROM + 2)
    for broken in (sources[1], sources[-2]):
        broken.write_text(broken.read_text(encoding="utf-8").replace("parter:", "partner:", 1), encoding="utf-8")
    messages = []
    for parallel_from in (render.PARALLEL_FROM, 10_000):
        monkeypatch.setattr(render, "PARALLEL_FROM", parallel_from)
        with pytest.raises(SamverkanError) as caught:
            render_files([tmp_path / "in"], tmp_path / "ut", formats=("docx",))
        messages.append(str(caught.value))
        assert not (tmp_path / "ut").exists()
    assert messages[0] == messages[1]
    assert f"{sources[1]}:" in messages[0] and f"{sources[-2]}:" in messages[0]
    assert messages[0].endswith(f"Inget skrevs: 2 av {len(sources)} filer är ogiltiga.")


def test_a_template_error_in_a_worker_reaches_the_user(tmp_path: Path) -> None:
    synthetic(tmp_path / "in", render.PARALLEL_FROM)
    template = tmp_path / "egen.docx"
    document = Document()
    document.add_paragraph("{{ doc.title }} {{ doc.nonexistent }}")
    document.save(str(template))
    with pytest.raises(TemplateError, match=rf"^{re.escape(str(template))}: mallen använder 'nonexistent'"):
        render_files([tmp_path / "in"], tmp_path / "ut", formats=("docx",), template=template)
    assert not (tmp_path / "ut").exists()
