"""Planted files and leftovers (issue 15, findings 3 and 8).

The output folder's manifest is only a cache and anyone who can write there
can plant one: deep JSON, a FIFO, a link to /dev/zero or a huge file counts
as no manifest, at once. A run killed with SIGKILL leaves its hidden
temporary file, and the next run removes it. LibreOffice writes its own
temporary folders and settings inside the private folder samverkan removes,
never in $TMPDIR or $HOME.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from fake_soffice import PARSE_ARGS

from samverkan.documents.cache import MANIFEST

BASE = Path(__file__).resolve().parent / "corpus" / "base.yaml"


def isolated(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with its own, empty HOME and TMPDIR, to see what is left in them."""
    home, tmp = tmp_path / "hem", tmp_path / "tmp"
    home.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SAMVERKAN_"))}
    return {**keep, "HOME": str(home), "TMPDIR": str(tmp), **extra}


def samverkan(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "samverkan", *args], env=env, capture_output=True, text=True, timeout=timeout)


def source(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "avtal.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def plant_deep(path: Path) -> None:
    path.write_text('{"format": 1, "files": ' + "[" * 200_000 + "]" * 200_000 + "}")


def plant_deep_objects(path: Path) -> None:
    path.write_text('{"format": 1, "files": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001)


def plant_fifo(path: Path) -> None:
    os.mkfifo(path)


def plant_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def plant_huge(path: Path) -> None:
    entry = {"fingerprint": "0" * 64, "size": 1, "mtime_ns": 1}
    path.write_text(json.dumps({"format": 1, "files": {f"fil-{n}.docx": entry for n in range(60_000)}}))


def plant_wrong_shapes(path: Path) -> None:
    files = {"a.docx": {"fingerprint": ["x"], "size": "stor"}, "b.docx": 7, "c.docx": {"fingerprint": "x", "size": True, "mtime_ns": 1}}
    path.write_text(json.dumps({"format": 1, "files": files}))


PLANTED = [plant_deep, plant_deep_objects, plant_fifo, plant_zero, plant_huge, plant_wrong_shapes]


@pytest.mark.parametrize("plant", PLANTED, ids=[p.__name__.removeprefix("plant_") for p in PLANTED])
def test_planted_manifest_counts_as_none(tmp_path: Path, plant) -> None:
    folder = tmp_path / "ut" / "exempelby"
    folder.mkdir(parents=True)
    plant(folder / MANIFEST)
    result = samverkan(["render", str(source(tmp_path)), "-o", str(tmp_path / "ut"), "--format", "docx"], isolated(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert len(list(folder.glob("*.docx"))) == 2
    manifest = folder / MANIFEST
    assert manifest.is_file() and not manifest.is_symlink()
    assert set(json.loads(manifest.read_text())["files"]) == {p.name for p in folder.glob("*.docx")}
    # And a second run trusts the manifest it wrote: nothing is made again.
    again = samverkan(["render", str(source(tmp_path)), "-o", str(tmp_path / "ut"), "--format", "docx"], isolated(tmp_path))
    assert again.returncode == 0 and again.stdout.strip() == "", again.stdout


KILLED_WRITER = """
import sys, time
from pathlib import Path
from samverkan.fsutil import atomic_path
with atomic_path(Path(sys.argv[1])) as tmp:
    tmp.write_bytes(b"%PDF-1.7 halv")
    print(tmp, flush=True)
    time.sleep(300)
"""


def test_temporary_file_of_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    folder = tmp_path / "ut" / "exempelby"
    target = folder / "exempelby-samverkansoverenskommelse-2024-2025.pdf"
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    partial = Path(writer.stdout.readline().strip())
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert partial.exists() and partial.name.startswith(f".{target.name}.{writer.pid}.")
    # A temporary file of a run that is still going is left alone.
    live = folder / f".{target.name}.{os.getpid()}.abcd1234.tmp"
    live.write_bytes(b"")
    result = samverkan(["render", str(source(tmp_path)), "-o", str(tmp_path / "ut"), "--format", "docx"], isolated(tmp_path))
    assert result.returncode == 0, result.stderr
    assert not partial.exists()
    assert live.exists()


MESSY_SOFFICE = PARSE_ARGS + """\
mkdir -p "$TMPDIR/lu123456abc.tmp" "$HOME/.config/libreoffice" "${XDG_CACHE_HOME:-$HOME/.cache}/dconf"
echo x > "$TMPDIR/lu123456abc.tmp/a"
echo x > "${XDG_CACHE_HOME:-$HOME/.cache}/dconf/user"
echo "$HOME $TMPDIR" > "$HOME/.config/libreoffice/var"
"${0%/*}/sleeper" 300 &
wait
"""


@pytest.mark.parametrize("stop", ["timeout", "sigterm"])
def test_libreoffice_leaves_nothing_in_tmpdir_or_home(tmp_path: Path, stop: str) -> None:
    marker = tmp_path / f"lo-{uuid.uuid4().hex}"
    marker.mkdir()
    (marker / "sleeper").symlink_to("/bin/sleep")
    soffice = marker / "soffice"
    soffice.write_text("#!/bin/sh\n" + MESSY_SOFFICE)
    soffice.chmod(0o755)
    env = isolated(tmp_path, SAMVERKAN_SOFFICE=str(soffice), SAMVERKAN_LO_TIMEOUT="3")
    args = [sys.executable, "-m", "samverkan", "render", str(source(tmp_path)), "-o", str(tmp_path / "ut")]
    run = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if stop == "sigterm":
        deadline = time.monotonic() + 60
        while not list((tmp_path / "tmp").rglob("lu123456abc.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)
        run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode != 0
    assert "Traceback" not in stderr
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "hem").iterdir()) == []


def test_real_libreoffice_leaves_nothing_in_tmpdir_or_home(tmp_path: Path) -> None:
    result = samverkan(["render", str(source(tmp_path)), "-o", str(tmp_path / "ut")], isolated(tmp_path), timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "ut").rglob("*.pdf"))) == 2
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "hem").iterdir()) == []
