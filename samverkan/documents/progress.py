"""What a long render tells while it works: every file checked, every PDF finished.

The messages are plain strings (a caller may just print them); each is a
:class:`Step` that also says its stage and how far the stage has come, so
the command line can draw one bar for reading and one for the PDFs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..words import antal


class Step(str):
    """A progress message that also says how far its stage ("read" or "pdf") has come."""

    stage: str
    done: int
    total: int

    def __new__(cls, message: str, stage: str, done: int, total: int) -> Step:
        step = super().__new__(cls, message)
        step.stage, step.done, step.total = stage, done, total
        return step


def read_step(source: Path, invalid: bool, done: int, total: int) -> Step:
    """One agreement read and checked. Never "Klar": its documents are not made yet, an invalid file's never."""
    if invalid:
        return Step(f"Ogiltig: {source} (felen visas nedan)", "read", done, total)
    return Step(f"Kontrollerad: {source}", "read", done, total)


def pdf_start(total: int) -> Step:
    return Step(f"Skapar PDF av {antal(total, 'dokument', 'dokument')} med LibreOffice …", "pdf", 0, total)


def watch_pdfs(converter: Any, progress: Callable[[str], None], total: int) -> None:
    """Have ``converter`` report each PDF as it is finished, if it can (LibreOfficeConverter can)."""
    if not hasattr(converter, "on_done"):
        return
    lock = threading.Lock()  # the converter's lanes finish documents in threads of their own
    count = [0]

    def done(target: Path) -> None:
        with lock:
            count[0] += 1
            progress(Step(f"PDF klar: {target}", "pdf", count[0], total))

    converter.on_done = done


__all__ = ["Step", "pdf_start", "read_step", "watch_pdfs"]
