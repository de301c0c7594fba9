"""Options shared by more than one command."""

from __future__ import annotations

from pathlib import Path

import click

from . import swedish

swedish.install()  # before any click.Path is made: it names its kind when it is created

TRUST_HELP = (
    "Betrodd utfärdare (CA-certifikat, PEM eller DER) för digitala underskrifter; kan anges flera gånger. "
    "Utan --trust kontrolleras att underskrifterna är obrutna, men inte vem som utfärdat certifikaten."
)

# issue 19: `publish` and `verify` check certificate chains only against these.
trust_option = click.option(
    "--trust", "trust", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
    metavar="CERT.pem", help=TRUST_HELP,
)
