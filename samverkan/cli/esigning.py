"""The `verify` command (issue 19): the signature report for a digitally signed PDF, without publishing.

Kept beside :mod:`.commands` so that module stays readable; it registers on
the same ``samverkan`` group and reports errors the same way.
"""

from __future__ import annotations

from pathlib import Path

import click

from .commands import Failure, cli, reports_errors
from .options import trust_option


@cli.command("verify")
@click.argument("signed", type=click.Path(path_type=Path, exists=True, dir_okay=False), metavar="UNDERTECKNAD.pdf")
@click.argument("agreement", type=click.Path(path_type=Path), metavar="[FIL]", required=False)
@trust_option
@click.option(
    "--template", type=click.Path(path_type=Path, exists=True), metavar="FIL|MAPP",
    help="Samma egna Word-mall som vid `samverkan render` (för jämförelsen med en ny rendering).",
)
@reports_errors
def verify_command(signed: Path, agreement: Path | None, trust: tuple[Path, ...], template: Path | None) -> None:
    """Kontrollera en digitalt undertecknad PDF utan att publicera den.

    Skriver samma rapport som `samverkan publish` använder: för varje
    underskrift certifikatets namn och utfärdare, om den är obruten och
    täcker dokumentet som det såg ut när det undertecknades, vilka ändringar
    som gjorts efteråt och vilken PAdES-nivå den har. Med överenskommelsens
    YAML-fil kontrolleras också att certifikatens namn är undertecknarnas och
    att filen är denna överenskommelse (versionskod och text på varje sida
    jämförs med en ny rendering, vilket kräver LibreOffice). Avslutas med
    kod 1 om något inte stämmer.

    \b
    Exempel:
      samverkan verify e-signerad.pdf
      samverkan verify e-signerad.pdf agreements/oxelosund/2024.yaml
      samverkan verify e-signerad.pdf agreements/oxelosund/2024.yaml --trust ca.pem
    """
    from ..publish.verify import format_report, verify

    report = verify(signed, agreement, trust, template=template)
    click.echo(format_report(report), nl=False)
    if not report.ok:
        raise Failure(f"{signed}: kontrollen underkände filen – se Resultat ovan.")
