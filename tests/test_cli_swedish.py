"""Click's own messages (usage errors, help pages) are Swedish, and stay so after a Click upgrade."""

from __future__ import annotations

import ast
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from samverkan.cli import swedish as click_sv
from samverkan.cli.commands import cli

ENGLISH = ("Usage:", "Error:", "Try ", "No such", "Invalid value", "Missing", "Options:", "Commands:",
           "Show this message", "[OPTIONS]", "COMMAND", "does not exist", "is not", "required", "default:")


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(cli, args, prog_name="samverkan")


def usage_error(result: Result, command: str) -> str:
    """Exit 2 with the Swedish frame; returns the message after "Fel: "."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Användning: {command} [FLAGGOR]"), lines
    assert re.fullmatch(rf"Kör '{re.escape(command)} (-h|--help)' för hjälp\.", lines[1]), lines
    assert lines[2] == "" and lines[3].startswith("Fel: "), lines
    for phrase in ENGLISH:
        assert phrase not in result.stderr, (phrase, result.stderr)
    return result.stderr.split("Fel: ", 1)[1].strip()


def not_readable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make ``path`` unreadable even for root (who ignores file modes)."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == path and mode == os.R_OK
                        else real_access(p, mode, **kw))


# (command line, the command in the usage line, the message after "Fel: ")
BAD_COMMAND_LINES = [
    (["render", "--format", "xyz", "a.yaml"], "samverkan render",
     "Ogiltigt värde för '--format': 'xyz' är inte något av 'docx', 'pdf', 'all'."),
    (["diff"], "samverkan diff", "Saknar argumentet 'GAMMAL'."),
    (["diff", "a.yaml"], "samverkan diff", "Saknar argumentet 'NY'."),
    (["render"], "samverkan render", "Saknar argumentet 'SÖKVÄG...'."),
    (["init"], "samverkan init", "Saknar argumentet 'KOMMUN'."),
    (["new", "--from", "a.yaml"], "samverkan new", "Saknar flaggan '--year'."),
    (["publish", "a.yaml"], "samverkan publish", "Saknar flaggan '--signed'."),
    (["new", "--from"], "samverkan new", "Flaggan '--from' behöver ett värde."),
    (["render", "a.yaml", "-o"], "samverkan render", "Flaggan '-o' behöver ett värde."),
    (["methods", "--json=ja"], "samverkan methods", "Flaggan '--json' tar inget värde."),
    (["render", "--no-such-option", "a.yaml"], "samverkan render", "Okänd flagga '--no-such-option'."),
    (["render", "--quiett", "a.yaml"], "samverkan render",
     "Okänd flagga '--quiett'. (Menade du något av: '--output', '--quiet'?)"),
    (["render", "--templat", "a.yaml"], "samverkan render", "Okänd flagga '--templat'. Menade du '--template'?"),
    (["render", "-x", "a.yaml"], "samverkan render", "Okänd flagga '-x'."),
    (["--versio"], "samverkan", "Okänd flagga '--versio'. Menade du '--version'?"),
    (["nosuch"], "samverkan", "Okänt kommando 'nosuch'."),
    (["rendr"], "samverkan", "Okänt kommando 'rendr'. Menade du 'render'?"),
    (["new", "--from", "a.yaml", "--year", "tjugo"], "samverkan new",
     "Ogiltigt värde för '--year': 'tjugo' är inte ett giltigt heltal."),
    (["new", "--from", "a.yaml", "--year", "2024.5"], "samverkan new",
     "Ogiltigt värde för '--year': '2024.5' är inte ett giltigt heltal."),
    (["init", "Ort", "--year", "3000"], "samverkan init",
     "Ogiltigt värde för '--year': 3000 är inget rimligt årtal – skriv året med fyra siffror, t.ex. 2025"),
    (["schema", "extra"], "samverkan schema", "Oväntat extra argument (extra)."),
    (["methods", "a", "b"], "samverkan methods", "Oväntade extra argument (a b)."),
    (["render", "--template", "{tmp}/finns-inte.docx", "a.yaml"], "samverkan render",
     "Ogiltigt värde för '--template': Sökvägen '{tmp}/finns-inte.docx' finns inte."),
    (["web", "--template", "{tmp}", "a.yaml"], "samverkan web",
     "Ogiltigt värde för '--template': Filen '{tmp}' är en mapp, inte en fil."),
]


@pytest.mark.parametrize(("args", "command", "message"), BAD_COMMAND_LINES, ids=[" ".join(a) for a, _, _ in BAD_COMMAND_LINES])
def test_usage_errors_are_swedish_with_exit_code_2(tmp_path: Path, args: list[str], command: str, message: str) -> None:
    result = invoke([a.format(tmp=tmp_path) for a in args])
    assert usage_error(result, command) == message.format(tmp=tmp_path)


def test_unreadable_template_is_a_swedish_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "mall.docx"
    template.write_bytes(b"PK")
    not_readable(monkeypatch, template)
    result = invoke(["render", "--template", str(template), "a.yaml"])
    assert usage_error(result, "samverkan render") == (
        f"Ogiltigt värde för '--template': Sökvägen '{template}' går inte att läsa (behörighet saknas)."
    )


def test_missing_choice_lists_the_choices_in_swedish() -> None:
    message = click.exceptions.MissingParameter(param=click.Option(["--format"], type=click.Choice(["a", "b"])))
    assert message.format_message() == "Saknar flaggan '--format'. Välj bland:\n\ta,\n\tb"


@pytest.mark.parametrize("value", ["abc", "1,5"])
def test_bad_decimal_number_is_swedish(value: str) -> None:
    @click.command(cls=type(cli.commands["new"]))
    @click.option("--andel", type=click.FloatRange(0, 1))
    def command(andel: float) -> None:
        """Test."""

    result = CliRunner().invoke(command, ["--andel", value], prog_name="prov")
    assert result.exit_code == 2
    assert f"Fel: Ogiltigt värde för '--andel': '{value}' är inte ett giltigt decimaltal." in result.stderr


def test_usage_error_in_a_real_process_is_swedish() -> None:
    env = {**os.environ, "LANG": "en_US.UTF-8", "LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-m", "samverkan", "render", "--format", "xyz", "a.yaml"],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("Användning: samverkan render [FLAGGOR] SÖKVÄG...\n")
    assert "Fel: Ogiltigt värde för '--format'" in done.stderr
    assert not any(phrase in done.stderr for phrase in ENGLISH)


@pytest.mark.parametrize("name", [None, *sorted(cli.commands)])
def test_help_pages_have_no_english_left(name: str | None) -> None:
    result = invoke(["-h"] if name is None else [name, "-h"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Användning: samverkan")
    assert "\nFlaggor:\n" in result.output
    assert "Visa den här hjälpen och avsluta." in result.output
    if name is None:
        assert "\nKommandon:\n" in result.output
        assert "KOMMANDO [ARGUMENT]..." in result.output
    for phrase in ENGLISH:
        assert phrase not in result.output, (name, phrase)
    # Click's default metavars (PATH, TEXT, INTEGER, the argument's own name) are English.
    for word in ("PATH", "TEXT", "INTEGER", "FILENAME", "AGREEMENT", "PATHS", "DIRECTORY"):
        assert not re.search(rf"\b{word}\b", result.output), (name, word)


def test_show_default_and_required_are_swedish() -> None:
    new_help = invoke(["new", "-h"]).output
    assert "Året då den nya versionen börjar gälla.  [krävs]" in new_help, new_help
    assert "Versionen som den nya bygger på.  [krävs]" in new_help
    render_help = invoke(["render", "-h"]).output
    assert "[standard: output]" in render_help


# -- the table covers every message of the installed Click ---------------------------


def click_messages() -> set[str | tuple[str, str]]:
    """Every literal ``_("…")`` and ``ngettext("…", "…", n)`` in Click's source."""
    found: set[str | tuple[str, str]] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and literals:
                found.add(literals[0])
            elif node.func.id == "ngettext" and len(literals) == 2:
                found.add((literals[0], literals[1]))
    return found


def test_every_click_message_is_translated_or_known_to_be_hidden() -> None:
    messages = click_messages()
    assert len(messages) > 50, "Click's source no longer uses gettext literals – check click_sv.install()"
    missing = sorted(str(m) for m in messages
                     if m not in click_sv.MESSAGES and m not in click_sv.PLURALS and m not in click_sv.NOT_SHOWN)
    assert not missing, f"add to samverkan/click_sv.py: {missing}"


def test_every_click_module_that_translates_is_patched() -> None:
    for path in Path(click.__file__).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "from gettext import" not in source or path.stem == "_winconsole":
            continue
        name = f"click.{path.stem}"
        assert name in click_sv.MODULES, name
        module = importlib.import_module(name)
        assert getattr(module, "_", click_sv.SWEDISH.gettext) == click_sv.SWEDISH.gettext, name
        assert getattr(module, "ngettext", click_sv.SWEDISH.ngettext) == click_sv.SWEDISH.ngettext, name


def test_swedish_messages_keep_the_placeholders_of_the_english_ones() -> None:
    def fields(text: str) -> set[str]:
        return set(re.findall(r"\{(\w+)", text)) | set(re.findall(r"%\((\w+)\)", text))

    for english, swedish in click_sv.MESSAGES.items():
        assert fields(swedish) <= fields(english), english
    for (one, many), (sv_one, sv_many) in click_sv.PLURALS.items():
        assert fields(sv_one) | fields(sv_many) <= fields(one) | fields(many), one
