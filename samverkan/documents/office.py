"""Starting LibreOffice: private profiles, its environment, and a process group that is always killed.

:mod:`.convert` decides what to convert and in how many lanes; this module
knows how one LibreOffice process is prepared and run so that it starts fast
(a seeded or copied profile), runs lean (jemalloc) and never outlives its job.
"""

from __future__ import annotations

import atexit
import ctypes.util
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.05  # seconds between looks at a running LibreOffice


class Cancelled(Exception):
    """Another lane was interrupted: stop this one as well."""


def environment(private: Path | None = None) -> dict[str, str]:
    """The environment for LibreOffice: ours, with jemalloc preloaded when it is installed.

    A batch conversion spends about a seventh of its CPU time in glibc's
    malloc and free; with jemalloc the same batch takes ~14 % less CPU
    (measured on 32 documents, issue 8). SAMVERKAN_LO_JEMALLOC=0 turns it off.

    With ``private`` (a folder removed after the run), LibreOffice's home,
    temporary and XDG folders all lie inside it: its ``lu*.tmp`` folders,
    ``~/.config`` and dconf's ``~/.cache/dconf`` go with the folder, whether
    the run ends, fails, times out or is killed. The user's own fonts
    (``~/.fonts``, ``~/.local/share/fonts``) stay visible through a
    fontconfig file that adds them to the system's.
    """
    env = dict(os.environ)
    env.setdefault("SAL_ENABLE_FILE_LOCKING", "1")  # what LibreOffice's launcher sets for soffice.bin
    if private is not None:
        env.update(_private_folders(private, env))
    library = jemalloc()
    if library and env.get("SAMVERKAN_LO_JEMALLOC", "1").strip() != "0":
        env["LD_PRELOAD"] = " ".join(filter(None, [env.get("LD_PRELOAD", ""), library]))
    return env


def _private_folders(private: Path, env: dict[str, str]) -> dict[str, str]:
    home = private / "home"
    real_home = Path(env.get("HOME") or os.path.expanduser("~"))
    real_data = Path(env.get("XDG_DATA_HOME") or real_home / ".local" / "share")
    folders = {
        "HOME": home,
        "TMPDIR": private / "tmp",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_RUNTIME_DIR": private / "run",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fonts = private / "fonts.conf"
    system = Path(env.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf")
    dirs = "".join(f"<dir>{_xml(str(d))}</dir>" for d in (real_home / ".fonts", real_data / "fonts") if d.is_dir())
    fonts.write_text(
        f'<?xml version="1.0"?><fontconfig><include ignore_missing="yes">{_xml(str(system))}</include>{dirs}</fontconfig>\n',
        encoding="utf-8",
    )
    return {
        **{name: str(folder) for name, folder in folders.items()},
        "TMP": str(private / "tmp"),
        "TEMP": str(private / "tmp"),
        "FONTCONFIG_FILE": str(fonts),
        "GSETTINGS_BACKEND": "memory",  # no dconf database written anywhere
    }


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=1)
def jemalloc() -> str | None:
    """jemalloc's library name (found in the linker's cache, so ld.so finds it too), or None."""
    return ctypes.util.find_library("jemalloc")


def run(
    command: list[str],
    log: Path,
    timeout: float,
    cancel: threading.Event,
    poll: Callable[[], None] | None = None,
    private: Path | None = None,
) -> int | None:
    """Run ``command`` in its own process group; its exit status, or None on timeout.

    ``poll`` is called while waiting, about every 50 ms. ``private`` is the
    folder for LibreOffice's home and temporary files (see :func:`environment`).

    Whatever happens, every process in the group is killed before returning,
    so no LibreOffice is left behind. The leader is reaped only after its
    group has been killed, so the group id cannot have been reused.
    """
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True, env=environment(private)
        )
    deadline = time.monotonic() + timeout
    finished = False
    try:
        while time.monotonic() < deadline:
            if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                finished = True
                break
            if cancel.wait(POLL):
                raise Cancelled
            if poll is not None:
                poll()
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
    return process.returncode if finished else None


# A profile LibreOffice has already set up, copied into each new profile.
_template: Path | None = None
_template_lock = threading.Lock()

# LibreOffice runs a second of graphics self-tests at every start whose profile
# does not record that this version has run before (ooSetupLastVersion), and
# --convert-to never records it. Seeding the profile with it skips the tests.
_SEED_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}</oor:items>
"""
# A document converted here must not make LibreOffice read anything it links
# to: linked images from the network or from local files are blocked (the
# templates are checked for such links first, see documents/external.py).
_NO_LINKS = """\
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
"""
_SEED_VERSION = (
    '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
    "<value>{version}</value></prop></item>\n"
)
# Tracked changes (the redline PDF) are drawn in a colour per author, which for
# samverkan's author is an ochre with 2.8:1 contrast on white (WCAG 1.4.3 asks
# 4.5:1). Fixed colours instead: insertions #0B4F9C (8:1, underlined as
# before), deletions #B00020 (7.3:1, struck through), changed attributes #1F3A5F.
REVISION_COLOURS = {"Insert": 0x0B4F9C, "Delete": 0xB00020, "ChangedAttribute": 0x1F3A5F}
_SEED_REVISIONS = "".join(
    f'<item oor:path="/org.openoffice.Office.Writer/Revision/TextDisplay/{kind}"><prop oor:name="Color" oor:op="fuse">'
    f"<value>{colour}</value></prop></item>\n"
    for kind, colour in REVISION_COLOURS.items()
)
_VERSION = re.compile(rb'oor:name="ooSetupVersion">\s*<value>(\d+\.\d+)</value>')


def new_profile(profile: Path, soffice: str) -> None:
    """Prepare a private profile folder: a copy of the template, or a seeded new one."""
    with _template_lock:
        template = _template
    if template is not None:
        shutil.copytree(template, profile, symlinks=True)
        return
    (profile / "user").mkdir(parents=True)
    version = _installed_version(soffice)
    items = (_SEED_VERSION.format(version=version) if version is not None else "") + _SEED_REVISIONS + _NO_LINKS
    (profile / "user" / "registrymodifications.xcu").write_text(_SEED_PROFILE.format(items=items), encoding="utf-8")
    # Without a record of the build its extensions were set up for, a new
    # profile makes soffice.bin set them up and exit 81 to be started again
    # (~0.5 s); with it, the first start converts right away.
    build = _installed_build(soffice)
    if build is not None:
        (profile / "user" / "extensions").mkdir()
        (profile / "user" / "extensions" / "buildid").write_text(build, encoding="utf-8")


@functools.lru_cache(maxsize=8)
def _installed_build(soffice: str) -> str | None:
    """The installation's build id (``buildid=`` in program/versionrc), or None if unknown."""
    try:
        text = (Path(os.path.realpath(soffice)).parent / "versionrc").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.search(r"^buildid=(.+?)\s*$", text, re.M)
    return found.group(1) if found else None


@functools.lru_cache(maxsize=8)
def _installed_version(soffice: str) -> str | None:
    """LibreOffice's "major.minor" from its installation's registry, or None if unknown."""
    program = Path(os.path.realpath(soffice)).parent
    try:
        match = _VERSION.search((program.parent / "share" / "registry" / "main.xcd").read_bytes())
    except OSError:
        return None
    return match.group(1).decode("ascii") if match else None


def keep_as_template(profile: Path) -> None:
    """Keep the first profile that converted successfully, for the rest of this process."""
    global _template
    with _template_lock:
        if _template is not None:
            return
        keep = Path(tempfile.mkdtemp(prefix="samverkan-lo-template-")) / "profile"
        try:
            shutil.copytree(profile, keep, symlinks=True, ignore=shutil.ignore_patterns(".lock", ".~lock*"))
        except OSError:
            shutil.rmtree(keep.parent, ignore_errors=True)
            return
        atexit.register(shutil.rmtree, keep.parent, True)
        _template = keep
