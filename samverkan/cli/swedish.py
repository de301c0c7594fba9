"""Click's own messages in Swedish: usage errors, help headings, type errors.

Click marks every message it shows with gettext (``from gettext import
gettext as _`` in each of its modules), but the translations are looked up in
the process-wide gettext domain, which would need compiled ``.mo`` files and
the right ``LANGUAGE`` in the environment. Instead :func:`install` points the
``_`` and ``ngettext`` names *inside Click's modules* at a small Swedish table,
so every Click message is Swedish however the terminal is set up, and no other
library's gettext is touched.

It is installed when :mod:`samverkan.cli` is imported, before the commands are
defined, because some strings are taken at definition time (``click.Path``
names its kind, "fil", "mapp" or "sökväg", when it is created). A message
missing from the table falls back to Click's English; ``tests/test_cli_swedish.py``
reads every message in the installed Click's source and fails on one that is
neither translated nor listed in :data:`NOT_SHOWN`, so a Click upgrade cannot
bring English back unnoticed.
"""

from __future__ import annotations

import gettext
import importlib
from typing import Any

import click
import click.types

#: Click's modules that translate with ``_`` / ``ngettext`` (``_winconsole`` only exists on Windows).
MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
)

MESSAGES: dict[str, str] = {
    # Usage errors: the frame around every message.
    "Usage:": "Användning:",
    "Try '{command} {option}' for help.": "Kör '{command} {option}' för hjälp.",
    "Error: {message}": "Fel: {message}",
    "Aborted!": "Avbrutet.",
    # Parameters that are missing, unknown or wrong.
    "Missing argument": "Saknar argumentet",
    "Missing option": "Saknar flaggan",
    "Missing parameter": "Saknar parametern",
    "Missing {param_type}": "Saknar {param_type}",
    "Missing parameter: {param_name}": "Saknar parametern {param_name}",
    "Missing command.": "Ange ett kommando.",
    "No such option {name!r}.": "Okänd flagga {name!r}.",
    "No such command {name!r}.": "Okänt kommando {name!r}.",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "Could not open file {filename!r}: {message}": "Filen {filename!r} kan inte öppnas: {message}",
    "unknown error": "okänt fel",
    # Values of the wrong type.
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger utanför intervallet {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} är inte ett giltigt sanningsvärde. Giltiga värden: {states}",
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "file": "filen",
    "directory": "mappen",
    "path": "sökvägen",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil, inte en mapp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp, inte en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa (behörighet saknas).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva till (behörighet saknas).",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    # Help pages.
    "Options": "Flaggor",
    "Positional arguments": "Argument",
    "Commands": "Kommandon",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljövariabel: {var}",
    "required": "krävs",
    "(dynamic)": "(beräknas)",
    "deprecated": "utgår",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Varning: kommandot {name!r} utgår.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Varning: {name!r} utgår.{extra_message}",
    # Prompts (no command prompts today, but Click's own are ready).
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "Press any key to continue...": "Tryck på en tangent för att fortsätta …",
    "d": "d",  # days in a progress bar's time left ("1d 02:00:00")
    "{editor}: Editing failed": "{editor}: redigeringen misslyckades",
    "{editor}: Editing failed: {e}": "{editor}: redigeringen misslyckades: {e}",
    "Couldn't detect Bash version, shell completion is not supported.":
        "Bash-versionen gick inte att avgöra; komplettering i skalet stöds inte.",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "Komplettering i skalet kräver Bash 4.4 eller senare.",
}

#: (singular, plural) → the Swedish pair; Swedish, like English, uses the singular for exactly 1.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Oväntat extra argument ({args}).", "Oväntade extra argument ({args})."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Menade du {possibility}?", "(Menade du något av: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Flaggan {name!r} behöver ett värde.", "Flaggan {name!r} behöver {nargs} värden."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Tar {nargs} värden men 1 angavs.", "Tar {nargs} värden men {len} angavs."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} värden krävs, men {len_value} angavs.", "{len_type} värden krävs, men {len_value} angavs."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} har inte formatet {format}.", "{value!r} har inte något av formaten {formats}."),
}

#: Messages a user of `samverkan` never sees: errors in how a program declares
#: its parameters (raised while the commands are defined), Windows-only and
#: internal ones. They stay English on purpose.
NOT_SHOWN = frozenset({
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Invalid start character for option ({option})",
    "Choice({choices})",
    "Unknown standard stream '{name}'",
    "Unknown color {colour!r}",
    "Windows error: {error}",
})

#: The names of Click's number types appear in "… is not a valid {number_type}."
NUMBER_NAMES = {
    click.types.IntParamType: "heltal",
    click.types.IntRange: "heltal",
    click.types.FloatParamType: "decimaltal",
    click.types.FloatRange: "decimaltal",
}


class Swedish(gettext.NullTranslations):
    """The table above as a gettext translation; anything not in it stays as Click wrote it."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        pair = PLURALS.get((msgid1, msgid2))
        if pair is None:
            return super().ngettext(msgid1, msgid2, n)
        return pair[0] if n == 1 else pair[1]


SWEDISH = Swedish()


def install() -> None:
    """Make Click speak Swedish in this process (idempotent; only Click is affected)."""
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a Click without this module
            continue
        if hasattr(module, "_"):
            module._ = SWEDISH.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = SWEDISH.ngettext  # type: ignore[attr-defined]
    for number_type, swedish in NUMBER_NAMES.items():
        number_type.name = swedish


class SwedishUsage:
    """Swedish placeholders in the usage line, and a usage line on every usage error.

    Click's messages are made Swedish by :mod:`samverkan.cli.swedish`; what is left
    are the placeholders that are not messages ("[OPTIONS]", "COMMAND [ARGS]...").
    Click also raises some parse errors without their context ("Option '--from'
    requires an argument"), which then print without the usage line and the hint;
    they get the command's context here so every usage error looks the same.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[FLAGGOR]")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except click.UsageError as e:
            if e.ctx is None:
                e.ctx, e.cmd = ctx, ctx.command
            raise


class SvCommand(SwedishUsage, click.Command):
    """A command with a Swedish usage line."""


class SvGroup(SwedishUsage, click.Group):
    """The root group: Swedish usage line, and Swedish commands by default."""

    command_class = SvCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENT]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command's whole first sentence, wrapped – never cut off with "..."."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Kommandon"):
                formatter.write_dl(rows)


class Year(click.IntRange):
    """A year on the command line: no "[1900<=x<=2200]" in the help, a plain Swedish refusal."""

    name = "år"

    def __init__(self) -> None:
        super().__init__(1900, 2200)

    def _describe_range(self) -> str:
        return ""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        year = click.INT.convert(value, param, ctx)
        if not 1900 <= year <= 2200:
            self.fail(f"{year} är inget rimligt årtal – skriv året med fyra siffror, t.ex. 2025", param, ctx)
        return year
