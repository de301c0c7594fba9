"""File-system helpers shared by every stage: atomic writes, safe names, bounded reads.

Output is written to a temporary file in the target folder and renamed into
place, so a reader (or a crash) never sees a half-written document. Files
that someone else may have put in place are read with :func:`read_regular`,
which neither blocks on a FIFO nor reads a device without end.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OutputError

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "é": "e", "É": "E", "ü": "u", "Ü": "U"})


def slug(text: str) -> str:
    """A readable, safe file-name part: "Östhammars kommun" → "osthammars-kommun".

    å, ä, ö fold to a, a, o (and other accents are dropped); anything else
    that is not a–z or 0–9 (an en dash in "2024–2025" included) becomes a
    hyphen, so "/", ".." and characters that are illegal in file names can
    never reach the file system.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return cleaned[:80].strip("-") or "namnlos"


_REASONS = {
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "åtgärden är inte tillåten här",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.ENAMETOOLONG: "namnet är för långt",
}


def reason(error: OSError) -> str:
    """Why an operating-system call failed, in Swedish when it is a common reason."""
    code = error.errno
    if code is None and error.args and isinstance(error.args[0], list) and error.args[0]:
        # shutil.Error from copytree: a list of (source, target, "[Errno 28] …") for each failed file.
        found = re.match(r"\[Errno (\d+)\] (.*?)(?::|$)", str(error.args[0][0][-1]))
        if found:
            return _REASONS.get(int(found.group(1)), found.group(2))
    return _REASONS.get(code or 0, error.strerror or type(error).__name__)


def refuse_link_out(folder: Path) -> None:
    """Refuse a folder that is a symbolic link leading out of the folder that holds it.

    ``output/oxelosund → /annanstans`` would make every file for Oxelösund land
    in /annanstans; anyone who can write in a shared output folder could plant
    such a link. A link that stays inside (``output/oxelosund → arkiv/oxelosund``)
    is harmless and allowed; so is an -o folder that is itself a link, since
    only the folder the file goes into is checked.
    """
    if not folder.is_symlink():
        return
    holder = folder.parent.resolve()
    try:
        real = folder.resolve()
    except (OSError, RuntimeError):  # a loop of links (Python < 3.13 raises RuntimeError)
        raise OutputError(
            f"{folder}: mappen är en symbolisk länk som till slut pekar på sig själv – ta bort länken och kör igen"
        ) from None
    if real.is_relative_to(holder):
        return
    raise OutputError(
        f"{folder}: mappen är en symbolisk länk till {real}, utanför {holder}, och samverkan skriver inte "
        "genom en sådan länk (den kan ha lagts dit för att filerna ska hamna någon annanstans) – "
        "ta bort länken och kör igen, eller välj en utmapp utan länkar med -o"
    )


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) or raise a Swedish :class:`OutputError`.

    ``path`` may not be a symbolic link that leads out of its parent folder
    (see :func:`refuse_link_out`).
    """
    refuse_link_out(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
    except (FileExistsError, NotADirectoryError):
        blocking = next((p for p in (path, *path.parents) if (p.exists() or p.is_symlink()) and not p.is_dir()), path)
        if blocking.is_symlink() and not blocking.exists():
            raise OutputError(
                f"{path}: mappen kan inte skapas eftersom {blocking} är en symbolisk länk till "
                f"{os.readlink(blocking)}, som inte finns – ta bort länken och kör igen"
            ) from None
        raise OutputError(
            f"{path}: mappen kan inte skapas eftersom {blocking} är en fil, inte en mapp – "
            "välj en annan utmapp med -o, eller flytta filen"
        ) from None
    except OSError as e:
        raise OutputError(f"{path}: mappen kan inte skapas ({reason(e)}) – välj en annan utmapp med -o") from None
    if not os.access(path, os.W_OK):
        raise OutputError(f"{path}: mappen är inte skrivbar – välj en annan utmapp med -o eller ändra behörigheten")
    return path


# A temporary file of atomic_path: ".NAME.PID.RANDOM.tmp" (RANDOM from mkstemp).
_TEMPORARY = re.compile(r"\..+\.(\d+)\.[a-z0-9_]{8}\.tmp")


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files a killed run of samverkan left in ``folder``.

    A run stopped by ``kill -9`` or a power cut cannot remove the hidden
    ``.NAME.PID.XXXXXXXX.tmp`` it was writing. Such a file is removed when
    the process ``PID`` no longer exists on this machine; one of a run still
    going (this one or another) is left alone.
    """
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        found = _TEMPORARY.fullmatch(name)
        if found and not _alive(int(found.group(1))):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):  # another user's process; or no real pid
        return True
    return True


@contextlib.contextmanager
def new_folders_removed_on_error(folders: Iterable[Path]) -> Iterator[None]:
    """On an exception, remove those of ``folders`` (and their parents) that did not exist before and are empty.

    A command that fails writes nothing, and that includes an empty kommun folder.
    """
    new: set[Path] = set()
    for folder in folders:
        for path in (folder, *folder.parents):
            if path.exists() or path.is_symlink():
                break
            new.add(path)
    try:
        yield
    except BaseException:
        for path in sorted(new, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                path.rmdir()
        raise


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it into place on success.

    On any exception the temporary file is removed and ``target`` is left as
    it was (absent, or the previous complete version). If ``target`` is a
    symbolic link, the rename replaces the link itself with the new file; the
    file the link pointed to is never written. A folder that is a link out of
    its parent folder is refused (:func:`ensure_dir`).
    """
    ensure_dir(target.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise OutputError(f"{target}: kan inte skriva i {target.parent} ({reason(e)}) – kontrollera utmappen") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{target}: filen kunde inte skrivas ({reason(e)}) – kontrollera utrymme och behörighet") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text(target: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    return write_bytes(target, text.encode("utf-8"))


class IrregularFile(OSError):
    """Not a regular file: a FIFO, a device, a socket or a folder."""


class FileTooLarge(OSError):
    """A file larger than the reader's limit; ``size`` is what was seen (at least limit + 1)."""

    def __init__(self, path: Path, size: int):
        super().__init__(errno.EFBIG, "filen är för stor", str(path))
        self.size = size


def read_regular(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Opened without blocking (a FIFO would otherwise wait for a writer for
    ever) and checked on the open file, so what is read is what was checked:
    a FIFO, a device such as /dev/zero, a socket or a folder raises
    :class:`IrregularFile`, a file over ``limit`` bytes :class:`FileTooLarge`
    (also one that grows while it is read). With ``follow_links=False`` a
    symbolic link raises ``OSError(ELOOP)`` instead of being followed.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IrregularFile(errno.EINVAL, "ingen vanlig fil", str(path))
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLarge(path, total)
        return b"".join(chunks)
    finally:
        os.close(fd)
