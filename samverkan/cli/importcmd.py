"""The ``import`` command: ``--into`` is Click's side of :mod:`.importing`, ``--kommun`` of :mod:`.documents`.

Kept out of :mod:`.commands` so that module stays readable; it registers
itself on the ``samverkan`` group when :mod:`.commands` imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .commands import Failure, cli, reports_errors, status


@cli.command("import")
@click.argument("document", metavar="DOKUMENT", type=click.Path(path_type=Path))
@click.option("--into", type=click.Path(path_type=Path), metavar="FIL", help="Avtalsfilen dokumentet skapades från.")
@click.option(
    "--kommun", metavar="NAMN",
    help='Ett dokument som samverkan inte skrev (förra årets .docx eller PDF): gör ett nytt utkast för kommunen, t.ex. "Vingåker".',
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), metavar="FIL",
    help="Med --kommun: filen att skriva (standard: agreements/<kommun>/<år>.yaml, året ur dokumentets period).",
)
@click.option("-n", "--dry-run", is_flag=True, help="Visa ändringarna men skriv inget.")
@click.option("--reject-pending", is_flag=True, help="Läs texten som om alla spårade ändringar avvisades (standard: godkändes).")
@click.option("--allow-unmapped", is_flag=True, help="För in det som går även om vissa ändringar saknar plats i filen.")
@click.option(
    "--force", is_flag=True,
    help="Med --into: för in dokumentet även om versionskoden inte är filens. Med --kommun: skriv över filen.",
)
@click.option("--template", type=click.Path(path_type=Path), metavar="FIL|MAPP", help="Mallen dokumentet skapades med.")
@reports_errors
def import_command(document: Path, into: Path | None, kommun: str | None, output: Path | None, **options: Any) -> None:
    """För in ändringar från Word i avtalsfilen, eller gör ett utkast av ett dokument kommunen redan har.

    Med --into FIL: DOKUMENT är ett dokument från render som redigerats i
    Word. Skriver sammanfattningen som diff, spårade ändringar och kommentarer
    med författare, och ändringar utan plats i filen (då slutkod 1 utan
    --allow-unmapped).

    Med --kommun NAMN: DOKUMENT är en .docx eller PDF som samverkan inte
    skrev, t.ex. förra årets publicerade löfte. Rubriker, listor och tabeller
    blir titel, period, parter, avsnitt, fokusområden, löften per part
    ("Polisen lovar att:") och undertecknare i ett nytt utkast. Varje gissning
    har en kommentar "# kontrollera:" med källans text, det som saknas är
    "<FYLL I: …>", och text utan plats står ordagrant som kommentarer sist.

    \b
    Exempel:
      samverkan import utkast-jurist.docx --into agreements/oxelosund/2024.yaml -n
      samverkan import medborgarlofte-2023.pdf --kommun Vingåker
      samverkan import avtal.docx --kommun "Kumla kommun" -o agreements/kumla/2017.yaml
    """
    if (into is None) == (kommun is None):
        raise click.UsageError("ange antingen --into FIL (ett redigerat dokument från render) eller --kommun NAMN "
                               "(ett dokument som kommunen redan har)")
    if kommun is not None:  # issue 18: a document samverkan did not write
        from .documents import draft_from_document

        draft_from_document(document, kommun, output, options["force"], options["dry_run"])
        return
    from .importing import import_edits, outcome, report

    result = import_edits(document, into, **options)
    for warning in result.warnings:
        status(warning)
    click.echo(report(result, options["reject_pending"], options["allow_unmapped"]), nl=False)
    message, failed = outcome(result, options["dry_run"], options["allow_unmapped"])
    if failed:
        raise Failure(message)
    status(message)
