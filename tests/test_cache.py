"""Up-to-date skipping: unchanged agreements are not rendered again, --force redoes them."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from samverkan import load
from samverkan.cli.commands import cli
from samverkan.documents import cache
from samverkan.documents.render import render_files, template_path

EXAMPLES = Path(__file__).resolve().parent.parent / "agreements"


class CountingConverter:
    """Writes a stand-in PDF for each job and counts them (the cache logic, not LibreOffice, is tested here)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Path, Path]] = []

    def convert(self, jobs):
        for source, target in jobs:
            assert source.is_file()
            target.write_bytes(b"%PDF-1.7 stand-in for " + source.name.encode())
            self.jobs.append((source, target))


@pytest.fixture
def agreements(tmp_path: Path) -> Path:
    folder = tmp_path / "agreements"
    for name in ("oxelosund/2024.yaml", "osthammar/2021.yaml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def _stamps(paths):
    return {p: p.stat().st_mtime_ns for p in paths}


def test_second_render_of_unchanged_agreements_writes_nothing(agreements, tmp_path):
    out = tmp_path / "out"
    first = render_files([agreements], out, ("docx",))
    assert len(first) == 3 and all(p.suffix == ".docx" for p in first)
    stamps = _stamps(first)
    assert render_files([agreements], out, ("docx",)) == []
    assert _stamps(first) == stamps
    manifest = json.loads((first[0].parent / cache.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {p.name for p in first if p.parent == first[0].parent}


def test_a_changed_agreement_is_rendered_again_and_only_it(agreements, tmp_path):
    out = tmp_path / "out"
    render_files([agreements], out, ("docx",))
    source = agreements / "oxelosund" / "2024.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Stina Jansson", "Stina Janson"), encoding="utf-8")
    again = render_files([agreements], out, ("docx",))
    assert [p.parent.name for p in again] == ["oxelosund", "oxelosund"]


def test_comments_and_formatting_do_not_make_a_file_stale(agreements, tmp_path):
    out = tmp_path / "out"
    render_files([agreements], out, ("docx",))
    source = agreements / "oxelosund" / "2024.yaml"
    source.write_text("# En ny kommentar överst.\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    assert render_files([agreements], out, ("docx",)) == []


def test_force_renders_everything_again(agreements, tmp_path):
    out = tmp_path / "out"
    first = render_files([agreements], out, ("docx",))
    assert sorted(render_files([agreements], out, ("docx",), force=True)) == sorted(first)


@pytest.mark.parametrize("damage", ["edit", "delete", "manifest"])
def test_outputs_changed_by_hand_are_made_again(agreements, tmp_path, damage):
    out = tmp_path / "out"
    first = render_files([agreements], out, ("docx",))
    victim = next(p for p in first if "medborgarlofte" in p.name and p.parent.name == "osthammar")
    if damage == "edit":
        victim.write_bytes(victim.read_bytes() + b"x")
    elif damage == "delete":
        victim.unlink()
    else:
        (victim.parent / cache.MANIFEST).write_text("{inte json", encoding="utf-8")
    again = render_files([agreements], out, ("docx",))
    expected = {victim} if damage != "manifest" else {p for p in first if p.parent == victim.parent}
    assert set(again) == expected
    assert zipfile.is_zipfile(victim)
    assert render_files([agreements], out, ("docx",)) == []


def test_pdf_is_converted_once_and_made_when_only_docx_existed(agreements, tmp_path):
    out = tmp_path / "out"
    render_files([agreements], out, ("docx",))
    converter = CountingConverter()
    both = render_files([agreements], out, ("docx", "pdf"), converter=converter)
    assert len(converter.jobs) == 3 and len(both) == 6
    assert render_files([agreements], out, ("docx", "pdf"), converter=converter) == []
    assert render_files([agreements], out, ("pdf",), converter=converter) == []
    assert len(converter.jobs) == 3


def test_pdf_only_render_records_the_pdfs(agreements, tmp_path):
    out = tmp_path / "out"
    converter = CountingConverter()
    pdfs = render_files([agreements], out, ("pdf",), converter=converter)
    assert len(pdfs) == 3 and not list(out.rglob("*.docx"))
    assert render_files([agreements], out, ("pdf",), converter=converter) == []
    assert len(converter.jobs) == 3


def test_fingerprint_follows_content_template_bytes_and_document(tmp_path):
    agreement = load(EXAMPLES / "oxelosund" / "2024.yaml")
    builtin = template_path("overenskommelse")
    own = tmp_path / "egen.docx"
    shutil.copy(builtin, own)
    base = cache.fingerprint(agreement, "overenskommelse", builtin)
    assert cache.fingerprint(agreement, "overenskommelse", own) == base  # same bytes, other place
    assert cache.fingerprint(agreement, "medborgarlofte", builtin) != base
    own.write_bytes(own.read_bytes() + b"\0")
    assert cache.fingerprint(agreement, "overenskommelse", own) != base
    other = load(EXAMPLES / "oxelosund" / "2021.yaml")
    assert cache.fingerprint(other, "overenskommelse", builtin) != base


def test_cli_skips_up_to_date_documents_and_force_redoes_them(agreements, tmp_path):
    out = tmp_path / "out"
    source = str(agreements / "oxelosund" / "2024.yaml")
    runner = CliRunner()
    first = runner.invoke(cli, ["render", source, "-o", str(out), "--format", "docx", "-q"])
    assert first.exit_code == 0, first.output
    assert len(first.stdout.splitlines()) == 2
    again = runner.invoke(cli, ["render", source, "-o", str(out), "--format", "docx"])
    assert again.exit_code == 0
    assert again.stdout == ""
    assert "redan aktuella" in again.stderr and "--force" in again.stderr
    forced = runner.invoke(cli, ["render", source, "-o", str(out), "--format", "docx", "--force", "-q"])
    assert forced.exit_code == 0
    assert forced.stdout == first.stdout
