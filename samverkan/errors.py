"""One error hierarchy for the whole tool.

Every error carries a Swedish message meant for the person who wrote the
agreement or runs the command: what went wrong, where, and what to do next.
The CLI turns any :class:`SamverkanError` into exit code 1 with its message.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


def shown(text: str) -> str:
    """``text`` safe to print on a terminal: invisible and control characters as ``\\uXXXX``.

    A message quotes what the user wrote (a misspelt key, a file name); a
    right-to-left override or an escape sequence in it must be seen, not obeyed.
    """
    if text.isprintable():
        return text
    return "".join(
        (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        else c
        for c in text
    )


class SamverkanError(Exception):
    """Base class: an expected failure with a message for the user."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, at a 1-based line and column.

    ``excerpt`` is the line as written with a marker under the column, shown
    below the message so the author sees exactly where to look.
    """

    file: str
    line: int
    column: int
    message: str
    excerpt: str = field(default="", compare=False)

    def __str__(self) -> str:
        head = shown(f"{self.file}:{self.line}:{self.column}: {self.message}")
        return f"{head}\n{shown(self.excerpt)}" if self.excerpt else head


class InvalidAgreement(SamverkanError):
    """An agreement file could not be read or does not validate.

    All problems in the file are collected, so the author can fix them in one
    pass instead of one run per mistake.
    """

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = sorted(problems, key=lambda p: (p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(SamverkanError):
    """A Word template is missing, corrupt, or uses something it must not."""


class ConversionError(SamverkanError):
    """LibreOffice is missing, failed, hung, or wrote no usable PDF."""


class OutputError(SamverkanError):
    """An output file or folder cannot be written."""


class PublishError(SamverkanError):
    """The signed scan or the agreement cannot be turned into a final PDF."""


class DraftError(SamverkanError):
    """A new agreement version or skeleton cannot be written."""


class ReadError(SamverkanError):
    """A Word file or PDF to import or compare cannot be read."""
