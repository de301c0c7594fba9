"""The `diff` command (issues 4 and 16): compare two versions for the legal review.

Kept beside :mod:`.commands` so that module stays readable; it registers on
the same ``samverkan`` group and reports errors the same way. The work is
done by :func:`samverkan.compare.review.diff`.
"""

from __future__ import annotations

from pathlib import Path

import click

from .commands import cli, reports_errors, status

@cli.command("diff")
@click.argument("old", metavar="GAMMAL", type=click.Path(path_type=Path))
@click.argument("new", metavar="NY", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="MAPP",
    default=Path("output"),
    show_default=True,
    help="Mapp för jämförelsedokumentet (en undermapp per kommun).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json", "docx"]),
    default="text",
    show_default=True,
    help="Sammanfattningens format: text, markdown, json eller docx (ett kort Word-dokument i kommunens mall "
    "att klistra in i en tjänsteskrivelse; skrivs bredvid jämförelsedokumentet).",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    metavar="FIL|MAPP",
    help="Egen Word-mall för överenskommelsen (som för render). Båda versionerna skapas med samma mall.",
)
@click.option("--no-redline", is_flag=True, help="Skriv inget jämförelsedokument (bara sammanfattningen).")
@click.option("--no-pdf", is_flag=True, help="Skriv jämförelsedokumentet som .docx men inte som PDF.")
@reports_errors
def diff_command(old: Path, new: Path, output: Path, fmt: str, template: Path | None, no_redline: bool, no_pdf: bool) -> None:
    """Jämför två versioner av en överenskommelse inför juristgranskning.

    Skriver en sammanfattning av ändringarna på stdout – först de väsentliga
    (åtaganden, ansvar, omfattning, tider, parter, period, undertecknare),
    sedan ändrade texter stycke för stycke, sist rutinändringar på en rad – och
    skapar hela överenskommelsen som Word-dokument med spårade ändringar, plus
    PDF. Flyttade områden och aktiviteter visas som flyttade. Godkänn alla
    ändringar i Word för att få den nya versionen, avvisa alla för att få den
    gamla; försättsbladet med sammanfattningen hör inte till överenskommelsen.

    Med text och markdown skrivs sökvägarna till de skrivna filerna sist, en
    per rad, efter en tom rad. Med --format json är utskriften ett enda
    JSON-dokument och sökvägarna står i nyckeln "files" (formatet beskrivs i
    docs/diff-format.md). Med --format docx skrivs sammanfattningen som
    Word-dokument och bara sökvägarna skrivs ut. Med --no-redline skrivs
    inget jämförelsedokument.

    Varningar (olika kommuner, den nya versionen äldre än den gamla) skrivs på
    stderr; jämförelsen görs ändå.

    GAMMAL eller NY kan vara ett Word-dokument (.docx) eller en PDF, t.ex.
    förra årets publicerade löfte: dess text jämförs stycke för stycke och
    ord för ord med överenskommelsefilens utskrift.

    \b
    Exempel:
      samverkan diff agreements/oxelosund/2021.yaml agreements/oxelosund/2024.yaml
      samverkan diff gammal.yaml ny.yaml --format markdown --no-redline > andringar.md
      samverkan diff gammal.yaml ny.yaml --format json -o granskning/
      samverkan diff gammal.yaml ny.yaml --format docx --no-redline
      samverkan diff medborgarlofte-2023.pdf agreements/vingaker/2024.yaml
    """
    from ..compare.formats import FORMATTERS, format_json
    from ..compare.plain import is_document
    from ..compare.review import diff

    if is_document(old) or is_document(new):  # issue 18: last year's Word file or PDF
        if fmt == "docx":
            raise click.BadParameter("docx-sammanfattningen kräver två överenskommelsefiler (.yaml)",
                                     param_hint="'--format'")
        from .documents import plain_diff

        plain_diff(old, new, None if no_redline else output, fmt, template, pdf=not no_pdf)
        return
    docx = fmt == "docx"
    result = diff(old, new, output if (docx or not no_redline) else None, template=template, pdf=not no_pdf,
                  summary_docx=docx, redline=not no_redline)
    for warning in result.warnings:
        status(warning)
    if docx:
        for path in result.files:
            click.echo(str(path))
        return
    if fmt == "json":
        click.echo(format_json(result.comparison, {"files": [str(p) for p in result.files]}), nl=False)
        return
    click.echo(FORMATTERS[fmt](result.comparison), nl=False)
    if result.files:
        click.echo("")
        for path in result.files:
            click.echo(str(path))
