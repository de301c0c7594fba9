"""Reading a document samverkan did not write: a kommun's own Word file or published PDF.

The first year a kommun uses samverkan, its agreements exist only as .docx
files and PDFs. :func:`read_document` turns one into an ordered list of
:class:`Block` – each paragraph with its role (title, heading and level,
list item with its nesting and label, table cell, note) and its text – so
that a draft can be built from it (:mod:`samverkan.drafting.importing`) and
so that it can be compared with an agreement file
(:mod:`samverkan.compare.plain`).

How the roles are found depends on what the file carries:

- .docx (:mod:`.reading_docx`): paragraph styles and their outline levels,
  Word's list numbering, tables, footnotes;
- tagged PDF (:mod:`.reading_pdf`): the structure tree (H1, P, L/LI/Lbl,
  Table/TD …) that Word and LibreOffice write for accessibility;
- untagged PDF: font size and weight, indentation and line spacing.

What a PDF's text layer adds to the text is undone here: lines broken inside
a paragraph are joined, a word hyphenated at a line end is put together again
(unless the hyphen belongs to the word, "EPA-traktorer", or the word is the
first half of "brotts- och drogförebyggande"), ligature characters become
letters, and running headers, footers and page numbers are left out of the
blocks (they are kept, once each, in :attr:`ReadDocument.furniture`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ReadError


@dataclass(frozen=True)
class Block:
    """One paragraph of a document with its role.

    ``kind`` is ``title``, ``heading`` (``level`` 1–9), ``paragraph``,
    ``item`` (a list item; ``level`` is its nesting depth from 0 and
    ``label`` its bullet or number, "•", "1.", "a)"), ``cell`` (a table
    cell: ``table``, ``row`` and ``col`` from 0) or ``note`` (a footnote,
    ``label`` its number).
    """

    kind: str
    text: str
    level: int = 0
    label: str = ""
    bold: bool = False
    table: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None
    links: tuple[tuple[str, str], ...] = ()

    @property
    def numbered(self) -> bool:
        return bool(re.match(r"^\(?[0-9a-zA-Z]{1,4}[.)]", self.label))


@dataclass(frozen=True)
class ReadDocument:
    """What :func:`read_document` found in a file."""

    path: Path
    kind: str
    """``docx``, ``pdf-taggad`` (read from the structure tree) or ``pdf-otaggad`` (read from the layout)."""
    title: str | None
    """The title in the file's metadata, if any."""
    blocks: tuple[Block, ...]
    furniture: tuple[str, ...] = field(default=())
    """Running headers, footers and page numbers left out of the blocks, each once."""

    @property
    def plain(self) -> bool:
        """True for every document this module reads: none of them is an agreement file."""
        return True

    def paragraphs(self) -> list[str]:
        """The text of every block, in order (labels left out)."""
        return [b.text for b in self.blocks if b.text.strip()]


# -- text clean-up shared by the readers --------------------------------------------------

_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_CHARACTERS = str.maketrans(
    {
        **_LIGATURES,
        "\u00ad": "",  # soft hyphen: a break opportunity, not text
        "\u200b": "",  # zero-width space
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2212": "-",  # minus sign used as a dash by some fonts' encodings
        "\ufeff": "",
    }
)
# Private-use characters are what a Symbol or Wingdings bullet becomes in a text layer.
_PRIVATE = re.compile("[\ue000-\uf8ff]")


def clean(text: str) -> str:
    """Undo what fonts and text layers do to characters: ligatures, soft hyphens, symbol bullets."""
    text = text.translate(_CHARACTERS)
    return _PRIVATE.sub("•", text)


def tidy(text: str) -> str:
    """One paragraph's text with its whitespace as a person reads it (tabs and line breaks kept)."""
    lines = [re.sub(r"[ \u00a0]{2,}", " ", line).strip(" ") for line in clean(text).split("\n")]
    return "\n".join(line for line in lines).strip()


# Words after which a line-end hyphen is the first half of a shared compound:
# "brotts- och drogförebyggande", "kort- eller långsiktiga".
_SHARED = {"och", "eller", "samt", "respektive", "resp", "som", "till", "men", "liksom", "and", "or"}
_HYPHENATED = re.compile(r"(\w+)-$")


def join_lines(lines: Sequence[str], lexicon: Iterable[str] = ()) -> str:
    """Join the lines of one paragraph as laid out in a PDF.

    A line that ends in a hyphen after a word is joined to the next without
    a space; the hyphen is dropped when the word was hyphenated by the
    layout (the next line goes on in lower case) and kept when it belongs
    to the word ("EPA-traktorer", "e-post", "2020-talet") or the next word
    is "och"/"eller"… ("brotts- och"). ``lexicon`` – words known from
    elsewhere (the rest of the document, or the file it is compared with)
    – decides the cases in between: a joined word found there wins, and so
    does a hyphenated one.
    """
    words = {w.lower() for w in lexicon}
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if not out:
            out = line
            continue
        found = _HYPHENATED.search(out)
        nxt = re.match(r"\w+", line)
        if found and nxt and not out.endswith(" -"):
            head, tail = found.group(1), nxt.group(0)
            if tail.lower() in _SHARED:
                out = f"{out} {line}"
                continue
            joined, kept = (head + tail).lower(), f"{head}-{tail}".lower()
            if kept in words and joined not in words:
                out += line
            elif joined in words or (head[-1].islower() and tail[0].islower() and len(head) > 1):
                out = out[:-1] + line
            else:
                out += line
            continue
        out = f"{out} {line}"
    return re.sub(r"[ ]{2,}", " ", out)


def lexicon_of(texts: Iterable[str]) -> set[str]:
    """Every word (and hyphenated word) in ``texts``, for :func:`join_lines`."""
    found: set[str] = set()
    for text in texts:
        found.update(w.lower() for w in re.findall(r"\w+(?:-\w+)*", text))
        found.update(w.lower() for w in re.findall(r"\w+", text))
    return found


# Typed list labels: "•", "–", "-", "o", "➢", "✓", "1.", "1)", "a)", "IV." followed by a space or tab.
_LABEL = re.compile(r"^\s*([•◦▪▫■□●○‣⁃∙·–—\-*➢➤►▶✓✔❖→]|o(?=\t)|\(?\d{1,2}[.)]|\(?[a-zåäö][.)](?=\s)|[IVX]{1,4}\.)[ \t\u00a0]+(?=\S)")


def split_label(text: str) -> tuple[str, str]:
    """("•", "rest") for a paragraph that starts with a typed list label, else ("", text)."""
    found = _LABEL.match(text)
    if not found:
        return "", text
    return found.group(1), text[found.end():]


_SPEECH = re.compile(r"\bsäger\b|\bsa\s+[A-ZÅÄÖ]|\bskriver\s+[A-ZÅÄÖ]")


def quotations(document: ReadDocument) -> ReadDocument:
    """A paragraph that opens with the Swedish quotation dash ("– Vi satsar …, säger Anna Andersson.")
    is a quotation, not a list item with a typed dash: it is given back its dash as a paragraph. So is
    a dash paragraph on its own between paragraphs (a quotation whose speaker was named before it):
    a list has more than one point."""
    old = document.blocks

    def item(n: int) -> bool:
        return 0 <= n < len(old) and old[n].kind == "item"

    blocks = tuple(
        replace(b, kind="paragraph", text=f"{b.label} {b.text}", label="")
        if b.kind == "item" and b.level == 0 and b.label in ("–", "—", "-")
        and (_SPEECH.search(b.text) or not (item(n - 1) or item(n + 1))) else b
        for n, b in enumerate(old)
    )
    return replace(document, blocks=blocks)


def read_document(path: Path | str, lexicon: Iterable[str] = ()) -> ReadDocument:
    """Read a .docx or .pdf into blocks.

    ``lexicon`` (words known to be right, e.g. from the agreement a PDF is
    compared with) helps put words hyphenated at a PDF line end together.
    Raises :class:`ReadError` with a Swedish message for a missing,
    unreadable, encrypted or text-less file or an unknown format.
    """
    path = Path(path)
    if not path.is_file():
        raise ReadError(f"{path}: filen finns inte – kontrollera sökvägen")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .reading_docx import read_docx

        return quotations(read_docx(path))
    if suffix == ".pdf":
        from .reading_pdf import read_pdf

        return quotations(read_pdf(path, lexicon))
    if suffix in (".doc", ".odt", ".rtf"):
        raise ReadError(
            f"{path}: {suffix}-filer kan inte läsas direkt – spara dokumentet som Word-dokument (.docx) "
            "i Word eller LibreOffice och försök igen"
        )
    raise ReadError(f"{path}: okänt filformat {suffix or '(ingen filändelse)'} – ange en .docx- eller .pdf-fil")


__all__ = ["Block", "ReadDocument", "clean", "join_lines", "lexicon_of", "read_document", "split_label", "tidy"]
