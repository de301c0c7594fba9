"""Up-to-date checks for rendered documents: skip what has not changed.

Every output folder (``output/<kommun>/``) gets a small manifest,
``.samverkan-manifest.json``, that maps each file written there to the
fingerprint of what made it: the agreement's content, the bytes of the
template, and the code and data of samverkan itself. A file is fresh when
its manifest entry has the same fingerprint *and* the file on disk still
has the size and modification time recorded when it was written, so a file
edited, replaced or deleted by hand is made again.

The manifest is only a cache: if it is missing, unreadable or from another
version, everything counts as stale and is rendered again. Anyone who can
write in the output folder can also plant one, so it is read as untrusted:
only a regular file (not a link, FIFO or device) of at most
:data:`MAX_MANIFEST_BYTES`, JSON no deeper than it needs, and only entries of
the expected shape are kept; anything else counts as no manifest. It is written
atomically; when two renders write the same folder at once the last one
wins, which at worst makes a later render redo some files.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from .. import fsutil
from ..model.models import Agreement
from ..version import __version__

MANIFEST = ".samverkan-manifest.json"
_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]

__all__ = ["MANIFEST", "code_digest", "fingerprint", "is_fresh", "record"]


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of samverkan's version, code and bundled data: any change makes every output stale."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for path in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("data/*")]):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=32)
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _template_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(path.resolve(), stat.st_size, stat.st_mtime_ns)


def fingerprint(agreement: Agreement, document: str, template: Path) -> str:
    """The fingerprint of one rendered document: content, template bytes and samverkan itself."""
    digest = hashlib.sha256()
    for part in (code_digest(), document, _template_digest(template), agreement.canonical_json()):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


MAX_MANIFEST_BYTES = 4_000_000
"""Largest manifest read: a few hundred bytes a file, for thousands of files."""



def _read(folder: Path) -> dict[str, dict[str, object]]:
    try:
        raw = fsutil.read_regular(folder / MANIFEST, MAX_MANIFEST_BYTES, follow_links=False)
    except OSError:  # missing, a link, a FIFO or device, too large, unreadable
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # deep nesting stops at Python's recursion limit
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("files"), dict):
        return {}
    return {name: entry for name, entry in data["files"].items() if _well_formed(entry)}


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("fingerprint"), str)
        and all(type(entry.get(key)) is int for key in ("size", "mtime_ns"))
    )


def is_fresh(target: Path, fingerprint: str) -> bool:
    """True if ``target`` exists unchanged since it was recorded with this ``fingerprint``."""
    entry = _read(target.parent).get(target.name)
    if not isinstance(entry, dict) or entry.get("fingerprint") != fingerprint:
        return False
    try:
        stat = target.stat()
    except OSError:
        return False
    return entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns


def record(targets: Iterable[Path], fingerprints: dict[Path, str]) -> None:
    """Remember that each of ``targets`` (just written) was made from ``fingerprints[target]``.

    ``fingerprints`` may be keyed by the target or by the same path with
    another suffix (the .docx a PDF was converted from).
    """
    by_folder: dict[Path, list[Path]] = defaultdict(list)
    for target in targets:
        by_folder[target.parent].append(target)
    for folder, written in by_folder.items():
        files = _read(folder)
        for target in written:
            made_from = fingerprints.get(target) or fingerprints.get(target.with_suffix(".docx"))
            if made_from is None:
                continue
            try:
                stat = target.stat()
            except OSError:
                files.pop(target.name, None)
                continue
            files[target.name] = {"fingerprint": made_from, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        text = json.dumps({"format": _FORMAT, "files": dict(sorted(files.items()))}, indent=1, ensure_ascii=False)
        fsutil.write_text(folder / MANIFEST, text + "\n")
