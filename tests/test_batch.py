"""Batches at national scale: no LibreOffice process is given more files than it converts."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from pypdf import PdfWriter

from samverkan.convert import MAX_FILES_PER_PROCESS, LibreOfficeConverter


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
