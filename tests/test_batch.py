"""Batches at national scale: no LibreOffice process is given more files than it converts, and
worker processes read and render exactly what one process would."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from docx import Document
from fake_soffice import PARSE_ARGS
from pypdf import PdfWriter

from samverkan.documents import render
from samverkan.documents.convert import (
    MAX_FILES_PER_PROCESS,
    LibreOfficeConverter,
    _Outbox,
    find_soffice,
    office_binary,
)
from samverkan.documents.render import render_files
from samverkan.errors import SamverkanError, TemplateError


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


def blank_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def national_jobs(tmp_path: Path) -> list[tuple[Path, Path]]:
    """580 documents (290 kommuner, two each) to convert; any zip passes the .docx check."""
    docx = tmp_path / "in" / "a.docx"
    docx.parent.mkdir()
    (tmp_path / "zip").mkdir()
    (tmp_path / "zip" / "x.txt").write_text("x")
    shutil.make_archive(str(docx.with_suffix("")), "zip", tmp_path / "zip")
    docx.with_suffix(".zip").rename(docx)
    jobs = []
    for i in range(580):
        source = tmp_path / "in" / f"{i:03d}.docx"
        shutil.copy(docx, source)
        jobs.append((source, tmp_path / "ut" / f"{i:03d}.pdf"))
    (tmp_path / "ut").mkdir()
    return jobs


def test_a_national_batch_is_split_so_every_document_gets_its_pdf(tmp_path: Path) -> None:
    pdf = blank_pdf(tmp_path / "blank.pdf")
    jobs = national_jobs(tmp_path)
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
    assert parallel[2] == [f"Kontrollerad: {source}" for source in sorted(sources)]


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


# -- soffice.bin without its launcher ------------------------------------------------------


def fake_installation(tmp_path: Path, pdf: Path, log: Path) -> Path:
    """A LibreOffice layout whose soffice.bin converts everything, but first asks to be restarted."""
    program = tmp_path / "lo" / "program"
    program.mkdir(parents=True)
    (program / "oosplash").write_bytes(b"")
    launcher = program / "soffice"
    launcher.write_text("#!/bin/sh\necho 'the launcher must not be used' >&2\nexit 9\n")
    marker = tmp_path / "started-once"
    office = program / "soffice.bin"
    # mkdir is atomic: with two lanes starting at once exactly one of them is the first start
    # (a test-then-create pair let both lanes ask for a restart under load).
    restart = f"if mkdir {marker} 2>/dev/null; then echo restart >> {log}; exit 81; fi\n"
    convert = textwrap.dedent(f"""\
        count=0
        for f in $inputs; do count=$((count + 1)); cp {pdf} "$outdir/$(basename "$f" .docx).pdf"; done
        echo "$count $SAL_ENABLE_FILE_LOCKING" >> {log}
        """)
    office.write_text("#!/bin/sh\n" + restart + PARSE_ARGS + convert)
    for script in (launcher, office):
        script.chmod(0o755)
    return launcher


def test_the_office_itself_takes_a_whole_lane_and_is_restarted_when_it_asks(tmp_path: Path) -> None:
    pdf = blank_pdf(tmp_path / "blank.pdf")
    log = tmp_path / "calls.log"
    launcher = fake_installation(tmp_path, pdf, log)
    assert office_binary(str(launcher)) == str(launcher.parent / "soffice.bin")
    jobs = national_jobs(tmp_path)
    LibreOfficeConverter(soffice=str(launcher), workers=2).convert(jobs)
    # The two lanes run at once, so the lines come in either order.
    lines = sorted(line for line in log.read_text().split("\n") if line)
    # Exit code 81: started again, as the launcher would; then one process per
    # lane, with file locking on as the launcher sets it.
    assert lines == ["290 1", "290 1", "restart"]
    assert all(target.is_file() for _, target in jobs)


def test_a_launcher_without_the_office_beside_it_is_used_as_it_is(tmp_path: Path) -> None:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    assert office_binary(str(script)) == str(script)
    assert Path(office_binary(find_soffice())).name == "soffice.bin"  # the installed LibreOffice


def test_pdfs_are_checked_early_only_when_finished(tmp_path: Path) -> None:
    good = blank_pdf(tmp_path / "blank.pdf").read_bytes()
    outbox = _Outbox(tmp_path, ["d0", "d1", "d2"], [tmp_path / f"d{i}.docx" for i in range(3)])
    (tmp_path / "d0.pdf").write_bytes(good)
    outbox.scan()
    assert outbox.good == {}  # LibreOffice may still be writing d0
    (tmp_path / "d1.pdf").write_bytes(good[: good.rindex(b"%%EOF")])  # d1 begun (and not finished)
    outbox.scan()
    assert set(outbox.good) == {0}
    (tmp_path / "d2.pdf").write_bytes(good)
    outbox.scan()
    assert set(outbox.good) == {0}  # d1 lacked its end: it waits for the look after LibreOffice exits
    (tmp_path / "d1.pdf").write_bytes(good)
    assert [outbox.result(i)[1] for i in range(3)] == [None, None, None]
    (tmp_path / "d2.pdf").unlink()
    assert outbox.result(2)[1] == "skapade ingen PDF"
