"""Progress a person can follow: every file checked, every PDF as it is finished, counts in Swedish."""

from __future__ import annotations

import textwrap
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from fake_soffice import PARSE_ARGS
from samverkan.cli.bars import Bars
from samverkan.documents.convert import LibreOfficeConverter
from samverkan.documents.progress import Step
from samverkan.words import antal, invalid_of


def test_swedish_number_agreement() -> None:
    assert antal(1, "fil", "filer") == "1 fil"
    assert antal(2, "fil", "filer") == "2 filer"
    assert antal(0, "fil", "filer") == "0 filer"
    assert invalid_of(1, 1) == "1 av 1 fil är ogiltig"
    assert invalid_of(2, 5) == "2 av 5 filer är ogiltiga"


def test_converter_reports_each_pdf_as_it_is_finished(tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(pdf)
    sources = []
    for n in range(4):
        source = tmp_path / "in" / f"d{n}.docx"
        source.parent.mkdir(exist_ok=True)
        docx.Document().save(str(source))
        sources.append(source)
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + textwrap.dedent(PARSE_ARGS + f'for f in $inputs; do cp {pdf} "$outdir/$(basename "$f" .docx).pdf"; done\n'))
    script.chmod(0o755)
    jobs = [(source, tmp_path / "ut" / f"{source.stem}.pdf") for source in sources]
    told: list[Path] = []
    converter = LibreOfficeConverter(soffice=str(script), workers=2)
    converter.on_done = told.append
    converter.convert(jobs)
    assert sorted(told) == sorted(target for _, target in jobs)  # each once, whichever lane made it
    assert all(target.is_file() for _, target in jobs)


def test_bars_show_the_pdf_step_document_by_document(capsys: pytest.CaptureFixture[str]) -> None:
    steps = [Step("Kontrollerad: a", "read", 1, 2), Step("Kontrollerad: b", "read", 2, 2),
             Step("Skapar PDF av 3 dokument", "pdf", 0, 3), *[Step(f"PDF klar: {n}", "pdf", n, 3) for n in (1, 2, 3)]]
    with Bars(2) as bars:
        for step in steps:
            bars(step)
            if step.stage == "pdf":
                assert bars.stage == "pdf" and bars.bar.length == 3 and bars.bar.pos == step.done
    assert bars.bar.pos == 3
    assert capsys.readouterr().out == ""  # status goes to stderr, never stdout
