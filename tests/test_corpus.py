"""The malformed-file corpus: every hostile or broken file gets exit 1 and FILE:LINE, never a traceback."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan.cli.commands import cli
from samverkan.errors import InvalidAgreement
from samverkan.model.loader import MAX_BYTES, load

CORPUS = Path(__file__).resolve().parent / "corpus" / "malformed"


def expected() -> list[tuple[str, int, str]]:
    rows = []
    for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, number, fragment = line.split("\t")
        rows.append((name, int(number), fragment))
    return rows


def test_corpus_is_large_and_complete() -> None:
    listed = {name for name, _, _ in expected()}
    on_disk = {p.name for p in CORPUS.glob("*.yaml")}
    assert listed == on_disk
    assert len(listed) >= 50


def test_corpus_base_is_valid() -> None:
    load(CORPUS.parent / "base.yaml")


@pytest.mark.parametrize(("name", "line", "fragment"), expected(), ids=[row[0] for row in expected()])
def test_malformed_file(tmp_path: Path, name: str, line: int, fragment: str) -> None:
    path = tmp_path / name
    shutil.copyfile(CORPUS / name, path)
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["validate", str(path)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    first_lines = [row for row in result.stderr.splitlines() if row.startswith(f"{path}:")]
    assert first_lines, result.stderr
    matching = [row for row in first_lines if fragment in row]
    assert matching, f"{fragment!r} not in {first_lines}"
    assert matching[0].startswith(f"{path}:{line}:"), matching[0]
    assert elapsed < 10, f"{name} took {elapsed:.1f} s"


def test_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("status: utkast\nkommentar: |\n")
        line = "  " + "x" * 100 + "\n"
        for _ in range(MAX_BYTES // len(line) + 2):
            handle.write(line)
    with pytest.raises(InvalidAgreement, match=r"huge.yaml:1:1: filen är för stor"):
        load(path)
