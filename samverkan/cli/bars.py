"""Progress bars for a batch: one while the files are checked, one while the PDFs are made.

The library reports :class:`samverkan.documents.progress.Step` messages; this
turns them into Click progress bars on stderr, so the PDF step, which takes
most of the time, moves document by document instead of sitting at 100 %.
"""

from __future__ import annotations

import sys
from typing import Any

import click


class Bars:
    """Call with each progress message, inside a ``with`` block around the batch."""

    def __init__(self, files: int) -> None:
        self.stage = "read"
        self.bar: Any = self._open(files, "Kontrollerar")

    @staticmethod
    def _open(length: int, label: str) -> Any:
        bar = click.progressbar(length=max(length, 1), label=label, file=sys.stderr)
        bar.__enter__()
        return bar

    def __call__(self, step: str) -> None:
        stage = getattr(step, "stage", self.stage)
        total = getattr(step, "total", 0)
        if stage != self.stage:
            self.bar.__exit__(None, None, None)
            self.stage = stage
            self.bar = self._open(total, "Skapar PDF")
        done = getattr(step, "done", self.bar.pos + 1)
        if done > self.bar.pos:
            self.bar.update(done - self.bar.pos)

    def __enter__(self) -> Bars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)


__all__ = ["Bars"]
