"""The ``import … --into`` command: Click's side of :mod:`.importing`.

Kept out of :mod:`.commands` so that module stays readable; it registers
itself on the ``samverkan`` group when :mod:`.commands` imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .commands import Failure, cli, reports_errors, status


@cli.command("import")
@click.argument("document", metavar="REDIGERAD.docx", type=click.Path(path_type=Path))
@click.option("--into", required=True, type=click.Path(path_type=Path), metavar="FIL", help="Avtalsfilen dokumentet skapades från.")
@click.option("-n", "--dry-run", is_flag=True, help="Visa ändringarna men skriv inget.")
@click.option("--reject-pending", is_flag=True, help="Läs texten som om alla spårade ändringar avvisades (standard: godkändes).")
@click.option("--allow-unmapped", is_flag=True, help="För in det som går även om vissa ändringar saknar plats i filen.")
@click.option("--force", is_flag=True, help="För in dokumentet även om versionskoden inte är filens.")
@click.option("--template", type=click.Path(path_type=Path), metavar="FIL|MAPP", help="Mallen dokumentet skapades med.")
@reports_errors
def import_command(document: Path, into: Path, **options: Any) -> None:
    """För in ändringar som gjorts i Word i ett dokument från render i avtalsfilen.

    Skriver sammanfattningen som diff, spårade ändringar och kommentarer med
    författare, och ändringar utan plats i filen (då slutkod 1 utan --allow-unmapped).

    \b
    Exempel:
      samverkan import utkast-jurist.docx --into agreements/oxelosund/2024.yaml -n
    """
    from .importing import import_edits, outcome, report

    result = import_edits(document, into, **options)
    for warning in result.warnings:
        status(warning)
    click.echo(report(result, options["reject_pending"], options["allow_unmapped"]), nl=False)
    message, failed = outcome(result, options["dry_run"], options["allow_unmapped"])
    if failed:
        raise Failure(message)
    status(message)
