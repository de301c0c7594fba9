"""An agreement file's bytes as text: sane size, UTF-8, or a clear refusal.

Checked before any YAML is parsed: the size before the file is read, the
encoding before it is decoded, so a wrong file gets one plain sentence
(saved as UTF-16, Latin-1, binary) instead of a parser's confusion.
"""

from __future__ import annotations

import stat
from pathlib import Path

MAX_BYTES = 1_000_000
"""Largest agreement file read (a real one is 10–50 kB)."""


class Refused(Exception):
    """The file cannot be read as agreement data; carries a Swedish message."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def read_text(path: Path) -> str:
    """Read an agreement file as text, refusing what is not sane UTF-8 YAML."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise Refused(1, 1, "detta är en mapp, inte en fil – ange en .yaml-fil")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise Refused(1, 1, "detta är ingen vanlig fil (t.ex. en FIFO eller en enhet) – ange en .yaml-fil")
        size = info.st_size
    except FileNotFoundError:
        raise Refused(1, 1, "filen finns inte – kontrollera sökvägen") from None
    except OSError as e:
        raise Refused(1, 1, f"filen kan inte läsas ({e.strerror}) – kontrollera sökvägen och behörigheten") from None
    if size > MAX_BYTES:
        raise Refused(1, 1, f"filen är för stor ({size} byte, högst {MAX_BYTES}) – en överenskommelse är normalt under 100 kB")
    try:
        with path.open("rb") as handle:
            raw = handle.read(size + 1)  # not read(MAX_BYTES + 1): that sets aside a megabyte for every file
            if len(raw) > size:  # it grew since stat(): read on, up to the limit
                raw += handle.read(MAX_BYTES + 1 - len(raw))
    except OSError as e:
        raise Refused(1, 1, f"filen kan inte läsas ({e.strerror}) – kontrollera behörigheten") from None
    if len(raw) > MAX_BYTES:  # grew while we looked
        raise Refused(1, 1, f"filen är för stor (över {MAX_BYTES} byte)")
    return decode(raw)


def _utf16_text(head: bytes) -> bool:
    """Whether ``head`` reads as UTF-16 text without a BOM: a NUL in every other byte, the rest text.

    Other data with NUL bytes (an image, a zip, a PDF) is binary, not UTF-16.
    """
    if len(head) < 4 or 0 not in (head[0], head[1]):
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = head[: len(head) // 2 * 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        if text and all(c.isprintable() or c in "\n\r\t" for c in text[:-1]):
            return True
    return False


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) to text; a clear refusal for anything else."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_text(raw[:512]):
        raise Refused(1, 1, "filen är sparad som UTF-16 – spara den som UTF-8 och försök igen")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise Refused(line, 1, "filen innehåller binära data (NUL-tecken) – är det rätt fil? Den ska vara en YAML-textfil")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        column = e.start - (before.rfind(b"\n") + 1) + 1
        raise Refused(
            line,
            column,
            "filen är inte kodad som UTF-8 (troligen Latin-1/Windows-1252) – "
            "spara om den som UTF-8 så att å, ä och ö blir rätt",
        ) from None


__all__ = ["MAX_BYTES", "Refused", "decode", "read_text"]
