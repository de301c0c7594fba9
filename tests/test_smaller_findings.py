"""The smaller findings of issue 15 (item 11), one test each."""

from __future__ import annotations

import os
import sys
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_web import SIGNED_YAML

from samverkan.cli.commands import cli

BASE = Path(__file__).resolve().parent / "corpus" / "base.yaml"


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    return subprocess.run(
        [sys.executable, "-m", "samverkan", *args], capture_output=True, text=True, timeout=120,
        env={**keep, "TMPDIR": str(tmp_path), **env},
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "filen innehåller binära data (NUL-tecken)"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "filen innehåller binära data (NUL-tecken)"),
        (b"\x00\x00\x00\x18ftypmp42", "filen innehåller binära data (NUL-tecken)"),
        ("status: utkast\n".encode("utf-16-le"), "filen är sparad som UTF-16"),
        ("status: utkast\n".encode("utf-16-be"), "filen är sparad som UTF-16"),
        ("status: utkast\n".encode("utf-16"), "filen är sparad som UTF-16"),
    ],
    ids=["png", "zip", "mp4", "utf-16-le", "utf-16-be", "utf-16-bom"],
)
def test_binary_file_is_not_called_utf16(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "avtal.yaml"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:" in result.stderr and message in result.stderr


def test_too_many_values_without_aliases_does_not_speak_of_aliases(tmp_path: Path) -> None:
    path = tmp_path / "avtal.yaml"
    path.write_text(BASE.read_text(encoding="utf-8").replace(
        "  delmal:\n    - Fler grannsamverkansområden", "  delmal:\n" + "    - x\n" * 100_001
    ), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "filen har för många värden (över 100000)" in result.stderr
    assert "alias" not in result.stderr


def test_pdf_only_render_without_libreoffice_leaves_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    result = run(["render", str(BASE), "-o", str(out), "--format", "pdf"], tmp_path, SAMVERKAN_SOFFICE=str(tmp_path / "saknas"))
    assert result.returncode == 1
    assert "SAMVERKAN_SOFFICE pekar på" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("value", ["inf", "Infinity", "nan", "1e9", "-5"])
def test_timeout_must_stay_a_limit(tmp_path: Path, value: str) -> None:
    result = run(["render", str(BASE), "-o", str(tmp_path / "ut")], tmp_path, SAMVERKAN_LO_TIMEOUT=value)
    assert result.returncode == 1
    assert f"SAMVERKAN_LO_TIMEOUT={value!r} är ingen giltig tidsgräns – ange ett antal sekunder, högst 3600" in result.stderr
    assert "Traceback" not in result.stderr


def fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "lo" / "soffice"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def test_libreoffice_without_room_for_its_profile_says_where(tmp_path: Path) -> None:
    # soffice exits 77 when it cannot set up its profile (a full or read-only TMPDIR).
    soffice = fake_soffice(tmp_path, "exit 77\n")
    result = run(["render", str(BASE), "-o", str(tmp_path / "ut")], tmp_path, SAMVERKAN_SOFFICE=str(soffice))
    assert result.returncode == 1
    assert "avslutades med felkod 77 (LibreOffice kunde inte skriva sin profil och sina tillfälliga filer i" in result.stderr
    assert "frigör utrymme där eller välj en annan tillfällig mapp med TMPDIR" in result.stderr


def test_publish_names_the_agreement_not_a_temporary_file(tmp_path: Path) -> None:
    from PIL import Image
    from test_publish import image_pdf

    source = tmp_path / "asby.yaml"
    source.write_text(SIGNED_YAML, encoding="utf-8")
    scan = image_pdf([Image.new("L", (827, 1169), 255)], tmp_path / "skanning.pdf")
    soffice = fake_soffice(tmp_path, "echo 'Error: kraschade' >&2\nexit 3\n")
    result = run(["publish", str(source), "--signed", str(scan), "-o", str(tmp_path / "ut")], tmp_path, SAMVERKAN_SOFFICE=str(soffice))
    assert result.returncode == 1
    assert "samverkan-publish-" not in result.stderr
    assert f"överenskommelsen ur {source}" in result.stderr
