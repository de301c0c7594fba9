"""Help a trygghetssamordnare can read: whole lines, no programmer notation."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from samverkan.cli.commands import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("width", [60, 80, 100])
def test_command_list_shows_whole_sentences(width: int) -> None:
    result = CliRunner().invoke(cli, ["-h"], terminal_width=width)
    assert result.exit_code == 0
    commands = result.output.split("Kommandon:")[1]
    assert "..." not in commands and "…" not in commands
    for name in COMMANDS:
        first = (cli.commands[name].help or "").split("\n")[0].strip()
        assert "".join(first.split()) in "".join(result.output.split()), name


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_has_no_programmer_notation(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "-h"], terminal_width=80)
    assert result.exit_code == 0
    for notation in ("<=x<=", "x>=", "[0]", "mappning", "INTEGER", "TEXT", "PATH"):
        assert notation not in result.output, (name, notation)
