"""The command line: parse options, call one library function, report.

This module (with :mod:`samverkan.cli.swedish`, which makes Click's own
messages Swedish) is the only place that knows about Click. Domain errors
(:class:`SamverkanError`) become exit code 1 with their Swedish message;
usage errors are Click's own exit code 2, in Swedish.
"""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import InvalidAgreement, SamverkanError, shown
from ..fsutil import reason
from ..model.catalog import catalog
from ..model.checks import notices
from ..model.loader import find_agreements, load
from ..model.schema import schema_text
from ..version import __version__
from ..words import antal, invalid_of
from . import swedish
from .bars import Bars
from .options import trust_option
from .swedish import SvGroup

# Before any command is defined: click.Path names its kind when it is created.
swedish.install()

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Failure(click.ClickException):
    """Exit code 1 with a message that is already complete (FILE:LINE: …)."""

    def show(self, file: Any = None) -> None:
        click.echo(shown(self.format_message()), err=True)


def reports_errors(command: F) -> F:
    """Turn domain errors into their Swedish message and exit code 1 (no traceback).

    Every command is wrapped in this, so this is the one place where a
    :class:`SamverkanError` from the library meets the command line.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SamverkanError as e:
            raise Failure(str(e)) from None
        except OSError as e:
            # Last line of defence: a disk that fills up or a folder that
            # vanishes somewhere the library did not expect it is still exit 1
            # with a message, not a traceback. Atomic writes mean no half file.
            where = f"{e.filename}: " if e.filename else ""
            raise Failure(f"{where}ett fil- eller systemfel avbröt kommandot ({reason(e)}) – "
                          "kontrollera utrymme och behörighet och försök igen") from None

    return wrapper  # type: ignore[return-value]


def status(message: str, quiet: bool = False) -> None:
    """Progress and status go to stderr, so stdout stays for results."""
    if not quiet:
        click.echo(message, err=True)


@click.group(cls=SvGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(
    __version__, "--version", prog_name="samverkan", message="%(prog)s %(version)s", help="Visa versionen och avsluta."
)
def cli() -> None:
    """Samverkansöverenskommelser och medborgarlöften mellan kommun och polis.

    Skriv överenskommelsen som YAML i agreements/<kommun>/<år>.yaml, kontrollera
    den med `samverkan validate` och skapa dokumenten med `samverkan render`.
    """


@cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="SÖKVÄG...")
@click.option("-q", "--quiet", is_flag=True, help="Skriv bara ut fel, inte giltiga filer.")
@reports_errors
def validate_command(paths: tuple[Path, ...], quiet: bool) -> None:
    """Kontrollera överenskommelser (filer eller mappar, rekursivt).

    Skriver en rad per giltig fil och alla fel som FIL:RAD:KOLUMN: meddelande.
    Avslutas med kod 1 om någon fil är ogiltig.

    \b
    Exempel:
      samverkan validate agreements/
      samverkan validate agreements/oxelosund/2024.yaml
    """
    files = list(find_agreements(paths))
    if not files:
        raise Failure(
            f"inga överenskommelser (*.yaml) hittades i {', '.join(map(str, paths))} – ange en fil eller mapp"
        )
    invalid = 0
    for path in files:
        try:
            agreement = load(path)
        except InvalidAgreement as e:
            invalid += 1
            click.echo(str(e), err=True)
            continue
        if not quiet:
            click.echo(f"{path}: giltig ({agreement.parter.kommun.namn}, {agreement.status.value})")
        for notice in notices(agreement):
            click.echo(f"{path}: varning: {notice}", err=True)
    if invalid:
        raise Failure(f"{invalid_of(invalid, len(files))}.")
    status("Filen är giltig." if len(files) == 1 else f"Alla {len(files)} filer är giltiga.", quiet)


@cli.command("schema")
def schema_command() -> None:
    """Skriv ut JSON Schema för överenskommelsefiler.

    Filen schemas/agreement.schema.json är exakt denna utskrift. Redigerare
    med YAML-stöd använder den för komplettering och kontroll.

    \b
    Exempel:
      samverkan schema > schemas/agreement.schema.json
    """
    click.echo(schema_text(), nl=False)


@cli.command("methods")
@click.option("--json", "as_json", is_flag=True, help="Skriv ut katalogen som JSON.")
def methods_command(as_json: bool) -> None:
    """Lista metodkatalogen (id, namn, beskrivning, länk).

    Överenskommelser hänvisar till metoder med deras id, t.ex. `metoder: [est, sspf]`.

    \b
    Exempel:
      samverkan methods
      samverkan methods --json
    """
    methods = catalog()
    if as_json:
        data = [m.model_dump(exclude_none=True) for m in methods.values()]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for method in methods.values():
        click.echo(f"{method.id}\t{method.namn}")
        click.echo(f"\t{method.beskrivning}")
        if method.lank:
            click.echo(f"\t{method.lank}")


# --- render command (issue 3) ---


@cli.command("render")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="SÖKVÄG...")
@click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"), metavar="MAPP",
    show_default=True, help="Mapp att skriva dokumenten i (en undermapp per kommun).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "pdf", "all"]), default="all", show_default=True,
    help="docx: bara Word; pdf: bara PDF (Word-filerna skapas i en tillfällig mapp och sparas inte); all: båda.",
)
@click.option(
    "--template", type=click.Path(path_type=Path, exists=True), metavar="FIL|MAPP",
    help="Egen Word-mall för överenskommelsen, eller en mapp med overenskommelse.docx och/eller "
    "medborgarlofte.docx. Variablerna beskrivs i docs/template-reference.md.",
)
@click.option("-q", "--quiet", is_flag=True, help="Ingen förloppsindikator eller lägesrader på stderr.")
@click.option("-n", "--dry-run", is_flag=True, help="Kontrollera allt och lista filerna som skulle skrivas, men skriv inget.")
@click.option("--force", is_flag=True, help="Skapa alla dokument igen, även de som redan är aktuella.")  # issue 8
@click.option(
    "--signaturfält/--inga-signaturfält", "signature_fields", default=None,
    help="Ett tomt signaturfält per undertecknare i överenskommelsens PDF, för e-underskrift. "
    "Standard: med för en fastställd överenskommelse, utan för utkast och undertecknade.",
)  # issue 19
@reports_errors
def render_command(paths: tuple[Path, ...], out_dir: Path, fmt: str, template: Path | None, quiet: bool,
                   dry_run: bool, force: bool, signature_fields: bool | None) -> None:
    """Skapa Word- och PDF-dokument som är klara att skriva under.

    För varje överenskommelse (fil, eller alla *.yaml i en mapp) skrivs hela
    samverkansöverenskommelsen (del 1, del 2, medborgarlöftet, källor och
    underskriftssidan) och medborgarlöftet som eget dokument (om det finns
    något), i UTMAPP/<kommun>/ med kommun och period i filnamnet. Alla filer
    kontrolleras först, så ett fel i en fil eller mall skriver ingenting.
    Ett utkast får en UTKAST-märkning och tomma rader för ort och datum.

    Varje skriven fil skrivs ut på stdout, en per rad. PDF skapas med
    LibreOffice i ett enda anrop; saknas LibreOffice finns Word-filerna kvar
    och kommandot avslutas med kod 1 och en installationsanvisning.

    Dokument vars överenskommelse, mall och programversion inte har ändrats
    sedan de skrevs hoppas över; --force skapar dem ändå.

    En fastställd överenskommelse (den som går till underskrift) får i sin
    PDF ett tomt signaturfält per undertecknare, där personen skriver under,
    för e-underskrift. --inga-signaturfält stänger av det.

    \b
    Exempel:
      samverkan render agreements/
      samverkan render agreements/oxelosund/2024.yaml -o utskick/
      samverkan render agreements/ --format docx -q
      samverkan render agreements/oxelosund/2024.yaml --template min-mall.docx
      samverkan render agreements/ -n
      samverkan render agreements/ --force
      samverkan render agreements/oxelosund/2024.yaml --format pdf --signaturfält
    """
    from ..documents.render import FORMATS, render_files

    formats = FORMATS if fmt == "all" else (fmt,)
    count = len(list(find_agreements(paths)))
    if quiet or dry_run:
        written = render_files(paths, out_dir, formats, template, dry_run=dry_run, force=force,
                               signature_fields=signature_fields)
    elif count > 1:
        with Bars(count) as bars:
            written = render_files(paths, out_dir, formats, template, progress=bars, force=force,
                                   signature_fields=signature_fields)
    else:
        written = render_files(paths, out_dir, formats, template, progress=lambda message: status(message), force=force,
                               signature_fields=signature_fields)
    for path in written:
        click.echo(str(path))
    if not written and not dry_run:  # issue 8: everything was up to date
        status("Alla dokument är redan aktuella – inget skrevs. Använd --force för att skapa dem igen.", quiet)
    if dry_run:
        status(f"Torrkörning: {antal(len(written), 'fil', 'filer')} skulle skrivas, inget skrevs.", quiet)

# --- diff command (issue 4): cli/review.py ---


# --- publish command (issue 5) ---


@cli.command("publish")
@click.argument("agreement", type=click.Path(path_type=Path), metavar="FIL")
@click.option(
    "--signed", "scan", required=True, type=click.Path(path_type=Path), metavar="SKANNING.pdf",
    help="Den inskannade, underskrivna underskriftssidan (PDF från skannern).",
)
@click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"), metavar="MAPP",
    show_default=True,
    help="Mapp att skriva filerna i.",
)
@click.option(
    "--template", type=click.Path(path_type=Path, exists=True), metavar="FIL|MAPP",
    help="Samma egna Word-mall (eller mapp med mallar) som vid `samverkan render`.",
)
@click.option(
    "-n", "--dry-run", is_flag=True,
    help="Kontrollera överenskommelsen och skanningen och lista filerna, men skriv inget (sidantalet kontrolleras inte).",
)
@click.option("-q", "--quiet", is_flag=True, help="Skriv inte ut lägesrader på stderr.")
@trust_option  # issue 19
@reports_errors
def publish_command(agreement: Path, scan: Path, out_dir: Path, template: Path | None, dry_run: bool, quiet: bool,
                    trust: tuple[Path, ...]) -> None:
    """Skapa den undertecknade PDF:en för webbplatsen och arkivet.

    Överenskommelsen måste ha status undertecknad med ort och datum för varje
    undertecknare. Den inskannade underskriftssidan ersätter den tomma i den
    renderade överenskommelsen, som en bild med alternativtext som namnger
    alla undertecknare. Resultatet är taggad PDF/A-2b på svenska med titel,
    bokmärken och inbäddade typsnitt. Bredvid den skrivs medborgarlöftet som
    tillgänglig PDF och som HTML-sida (se även `samverkan web`). Filerna
    hamnar i UTMAPP/<kommun>/, bredvid dem som `samverkan render` skriver.

    Skanningen kan vara roterad, lite sned (upp till 5°, den rätas upp), i
    Letter-format och ha flera sidor, men antalet sidor måste vara lika
    många som underskriftssidorna. Finns en
    textrad "Versionskod: …" i skanningen (skanner med textigenkänning)
    måste koden höra till överenskommelsen. Vid fel skrivs ingen fil.

    En digitalt undertecknad PDF (PAdES) publiceras byte för byte, efter
    samma kontroll som `samverkan verify` gör (rapporten skrivs på stderr).

    \b
    Exempel:
      samverkan publish agreements/oxelosund/2024.yaml --signed skanning.pdf
      samverkan publish agreements/oxelosund/2024.yaml --signed skanning.pdf -o webb/
      samverkan publish agreements/oxelosund/2024.yaml --signed e-signerad.pdf --trust ca.pem
    """
    from ..publish.signed import publish

    if not dry_run:
        status("Kontrollerar den underskrivna filen och skapar PDF:erna med LibreOffice …", quiet)
    published = publish(
        agreement, scan, out_dir, template=template, dry_run=dry_run, progress=lambda note: status(note, quiet),
        trust=trust,
    )
    for path in published.paths:
        click.echo(str(path))


@cli.command("web")
@click.argument("agreement", type=click.Path(path_type=Path), metavar="FIL")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"), metavar="MAPP",
              show_default=True, help="Mapp att skriva HTML-sidan i.")
@click.option("--lofte", "promise_id", metavar="ID", help="Bara medborgarlöftet med detta id (annars alla).")
@click.option(
    "--template", type=click.Path(path_type=Path, exists=True, dir_okay=False), metavar="FIL",
    help="Egen HTML-mall (Jinja) i stället för templates/medborgarlofte.html; variablerna står i mallens början.",
)
@click.option("--fragment", is_flag=True, help="Bara innehållet (<article>), att klistra in i t.ex. Sitevision.")
@reports_errors
def web_command(agreement: Path, out_dir: Path, promise_id: str | None, template: Path | None, fragment: bool) -> None:
    """Skriv medborgarlöftet som en tillgänglig HTML-sida för kommunens webbplats.

    En sida per medborgarlöfte, med riktiga rubriker och listor och lang="sv",
    i UTMAPP/<kommun>/. Sökvägarna till de skrivna filerna skrivs ut. `samverkan publish` skriver
    samma sida bredvid den undertecknade PDF:en. --fragment: utan <html>, <head> och stilmall.

    \b
    Exempel:
      samverkan web agreements/oxelosund/2024.yaml
      samverkan web agreements/oxelosund/2024.yaml --lofte ml-2024-2025 -o webb/
      samverkan web agreements/oxelosund/2024.yaml --fragment
    """
    from ..publish.web import publish_web

    for path in publish_web(agreement, out_dir, template, promise_id, fragment=fragment):
        click.echo(str(path))


# --- new and init commands (issue 6) ---

YEAR = swedish.Year()


@cli.command("new")
@click.option(
    "--from", "source", required=True, metavar="FIL", type=click.Path(path_type=Path), help="Versionen som den nya bygger på."
)
@click.option("--year", required=True, type=YEAR, metavar="ÅR", help="Året då den nya versionen börjar gälla.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FIL", help="Fil att skriva (standard: i samma mapp, som källan men med det nya året, t.ex. 2026.yaml eller 2026-medborgarlofte.yaml)."
)
@click.option("--force", is_flag=True, help="Skriv över filen om den redan finns.")
@click.option(
    "--bara-medborgarlofte", "promise_only", is_flag=True,
    help="Förnya bara medborgarlöftet i överenskommelsen: skriv det som ett eget dokument för det nya året.",
)
@click.option("--id", "promise_id", default=None, metavar="ID", help="Med --bara-medborgarlofte: id för löftet som förnyas (standard: det sista i överenskommelsen).")
@reports_errors
def new_command(source: Path, year: int, output: Path | None, force: bool, promise_only: bool, promise_id: str | None) -> None:
    """Skapa nästa version av en överenskommelse eller ett medborgarlöfte.

    Innehållet förs över med kommentarer och ordning. Perioderna flyttas till
    det nya året med samma längd, status blir utkast, ort och datum för
    underskrifterna töms och ersatter hänvisar till källans diarienummer.
    Ett medborgarlöfte för sig förnyas utan att överenskommelsen det hör
    till ändras; med --bara-medborgarlofte blir överenskommelsens löfte ett
    eget dokument för det nya året. Se docs/guide.md för alla regler.

    \b
    Exempel:
      samverkan new --from agreements/oxelosund/2024.yaml --year 2026
      samverkan new --from agreements/hallstahammar/2024.yaml --year 2025
      samverkan new --from agreements/<kommun>/2022.yaml --year 2023 --bara-medborgarlofte
    """
    from ..drafting.new import new_version

    if promise_id is not None and not promise_only:
        raise click.UsageError("--id väljer vilket medborgarlöfte som förnyas och används bara med --bara-medborgarlofte")
    if promise_only:
        from ..drafting.promise import new_promise

        path = new_promise(source, year, output=output, force=force, promise_id=promise_id)
    else:
        path = new_version(source, year, output=output, force=force)
    click.echo(str(path))
    status(f"Läs igenom texterna och kör `samverkan validate {path}` när du har ändrat.")


@cli.command("init")
@click.argument("kommun")
@click.option("--lokalpolisomrade", default=None, metavar="NAMN", help='Lokalpolisområdet, t.ex. "Nyköping".')
@click.option("--year", type=YEAR, default=None, metavar="ÅR", help="Året då överenskommelsen börjar gälla (standard: i år).")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FIL", help="Fil att skriva (standard: agreements/<kommun>/<år>.yaml)."
)
@click.option("--force", is_flag=True, help="Skriv över filen om den redan finns.")
@reports_errors
def init_command(kommun: str, lokalpolisomrade: str | None, year: int | None, output: Path | None, force: bool) -> None:
    """Skapa en ny överenskommelse att fylla i.

    Filen har en kommentar till varje avsnitt och platshållare "<FYLL I: …>"
    som `samverkan validate` pekar ut tills de är ifyllda.

    \b
    Exempel:
      samverkan init Oxelösund --lokalpolisomrade Nyköping --year 2025
      samverkan init "Östhammars kommun" -o utkast.yaml
    """
    from datetime import date

    from ..drafting.skeleton import init_agreement, init_summary

    path = init_agreement(kommun, year or date.today().year, lokalpolisomrade, output=output, force=force)
    click.echo(str(path))
    status(init_summary(kommun, path))


def _stop(signum: int, frame: Any) -> None:
    """End the command like Ctrl-C does, so every cleanup (LibreOffice, temporary files) runs."""
    sys.stderr.write(f"samverkan avbröts ({signal.Signals(signum).name}); LibreOffice stoppas och halvfärdiga filer tas bort.\n")
    raise SystemExit(128 + signum)


def main() -> None:
    # `kill`, a CI time limit or a closed terminal would otherwise end the
    # process at once, leaving LibreOffice (in its own process group) running
    # and temporary files behind. A handler someone else installed is kept.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _stop)
    cli(prog_name="samverkan")


from . import esigning  # noqa: E402,F401 -- registers `verify` on the group (issue 19)
from . import review  # noqa: E402,F401 -- registers `diff` on the group (issues 4 and 16)
