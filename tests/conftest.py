from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The suite must pass every time it runs: by default Hypothesis draws the same
# examples on every run (derandomised, no example database). A local run can
# explore new examples with HYPOTHESIS_PROFILE=explore (and more of them with
# HYPOTHESIS_EXAMPLES=…); a failure it finds is printed with a reproduction.
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
AGREEMENTS = ROOT / "agreements"


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """`samverkan render agreements/` once per test session, with the real LibreOffice: every file written."""
    from click.testing import CliRunner

    from samverkan.cli.commands import cli

    out = tmp_path_factory.mktemp("bundled")
    result = CliRunner().invoke(cli, ["render", str(AGREEMENTS), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.splitlines()]
