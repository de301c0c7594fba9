"""Meta-tests of the command line: help everywhere, schema in sync, README true."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from samverkan import __version__
from samverkan.cli.commands import cli, schema_text
from samverkan.model.catalog import catalog

ROOT = Path(__file__).resolve().parent.parent


def all_commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_swedish_help_with_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "-h"])
    assert result.exit_code == 0, result.output
    assert "Exempel:" in result.output, f"{name} -h has no example"
    assert f"samverkan {name}" in result.output
    assert "Visa den här hjälpen" in result.output


def test_root_help_and_version() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in all_commands():
        assert name in result.output
    version = runner.invoke(cli, ["--version"])
    assert version.exit_code == 0
    assert version.output.strip() == f"samverkan {__version__}"


def test_unknown_command_is_usage_error() -> None:
    result = CliRunner().invoke(cli, ["rendera"])
    assert result.exit_code == 2
    assert "Fel: Okänt kommando 'rendera'. Menade du 'render'?" in result.stderr


def test_committed_schema_equals_model_schema() -> None:
    committed = (ROOT / "schemas" / "agreement.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: samverkan schema > schemas/agreement.schema.json"


def test_schema_command_prints_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "status" in schema["propertyNames"]["enum"]
    assert "parter" in schema["properties"]
    assert schema["properties"]["status"]["description"]


def test_every_schema_property_has_a_description() -> None:
    schema = json.loads(schema_text())
    missing = []
    for name, definition in [("Agreement", schema), *schema["$defs"].items()]:
        for prop, body in definition.get("properties", {}).items():
            if not body.get("description"):
                missing.append(f"{name}.{prop}")
    assert not missing


def test_methods_command_lists_catalog() -> None:
    result = CliRunner().invoke(cli, ["methods"])
    assert result.exit_code == 0
    for method_id in ("est", "sspf", "grannsamverkan", "batsamverkan", "trygghetsvandring", "medborgardialog",
                      "nattvandring", "lokalt-bra", "ctc"):
        assert method_id in catalog()
        assert re.search(rf"^{method_id}\t", result.output, re.M)
    as_json = json.loads(CliRunner().invoke(cli, ["methods", "--json"]).output)
    assert {m["id"] for m in as_json} == set(catalog())


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "samverkan", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == f"samverkan {__version__}"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "README must start with a sh block of the two commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_starts_with_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.index("```sh")
    assert text.index("\n## ") > first_block, "the two commands come before any section"
    commands = readme_commands()
    assert len(commands) == 2
    assert all(c.startswith("scripts/setup.sh && ") for c in commands)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci


def test_readme_main_job_uses_a_real_command() -> None:
    main_job = readme_commands()[0]
    match = re.search(r"\.venv/bin/samverkan (\S+)", main_job)
    assert match and match.group(1) in cli.commands


def test_readme_mentions_every_command() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in all_commands():
        assert f"samverkan {name}" in text, f"README does not mention `samverkan {name}`"


def test_commands_are_click_commands() -> None:
    for command in cli.commands.values():
        assert isinstance(command, click.Command)
