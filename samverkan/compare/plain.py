"""Comparing an agreement file with a plain document: last year's Word file or published PDF.

The first year a kommun uses samverkan, "what changed since last year" has
only a document on one side. Such a document has no structure samverkan can
trust – no areas, no responsible party, no ids – so it is compared as text:
its paragraphs (read by :mod:`samverkan.documents.reading`) against the
paragraphs of the agreement file's own render, paragraph by paragraph and
then word by word (:func:`~samverkan.compare.textdiff.word_diff`).

What the comparison takes care not to call a change:

- text a PDF's text layer breaks differently: lines are joined and line-end
  hyphens undone by the reader, using the agreement's own words to decide;
  whitespace, typographic quotes and dashes are compared loosely; one
  paragraph that the other side has as two (or three) is the same text;
- the render's template text (headings and lead-ins such as "Så här ska vi
  göra" that come from samverkan's template, not from the file): render
  paragraphs with none of the file's own text and no number in them are
  listed apart, not counted as added or removed text;
- running headers, footers and page numbers of the document.

The render's tables are read as their cells' paragraphs, so a signature
table compares with the same names in a PDF. :mod:`.plaindiff` writes the
redline and is the entry point (:func:`~samverkan.compare.plaindiff.diff_plain`).
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..documents.reading import Block, ReadDocument
from ..documents.render import render_docx
from ..model.models import Agreement
from .textdiff import Segment, similarity, word_diff
from .trackchanges import text_of, w

DOCUMENT_SUFFIXES = (".docx", ".pdf")
_KINDS = {"docx": "Word-dokument", "pdf-taggad": "PDF, läst från dess taggade struktur",
          "pdf-otaggad": "PDF utan taggar, läst från sidornas layout"}
_DOCUMENT_NAMES = {"overenskommelse": "samverkansöverenskommelsen", "medborgarlofte": "medborgarlöftet"}


def is_document(path: Path | str) -> bool:
    """True for a .docx or .pdf: a plain document, not an agreement file."""
    return Path(path).suffix.lower() in DOCUMENT_SUFFIXES


def loose(text: str) -> str:
    """A paragraph as compared: whitespace, quotes and dashes that extraction may change are made alike."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"\[\^?[\w-]{1,40}\]", "", text)  # note markers: [1] in a document, [^källa] in a file
    text = re.sub("[”“„″]", '"', re.sub("[’‘´`]", "'", text))
    text = re.sub(r"\s*[–—]\s*", " - ", text)
    text = re.sub(r"(?<=\d) - (?=\d)", "-", text)
    return re.sub(r"\s+", " ", text).strip()


# -- the two sides ------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of the comparison: an agreement file's render or a plain document."""

    path: Path
    plain: bool
    description: str
    paragraphs: tuple[str, ...]
    styles: tuple[str, ...] = ()  # a block's kind for a document, "" for a render paragraph
    agreement: Agreement | None = None
    document: str | None = None  # which render of the agreement was compared
    furniture: tuple[str, ...] = ()


def _flat_body(docx: bytes) -> list[etree._Element]:
    """The render's body as paragraphs: a table's cells give their paragraphs in reading order."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    out: list[etree._Element] = []

    def walk(container: etree._Element) -> None:
        for child in container:
            if child.tag == w("p"):
                out.append(child)
            elif child.tag in (w("tbl"), w("tr"), w("tc"), w("sdt"), w("sdtContent"), w("customXml")):
                walk(child)

    walk(root.find(w("body")))
    package = zipfile.ZipFile(io.BytesIO(docx))
    if "word/footnotes.xml" in package.namelist():  # the notes after the text, as the reader gives a document's
        listed = {loose(text_of(p)) for p in out}
        for note in etree.fromstring(package.read("word/footnotes.xml")).iter(w("footnote")):
            if note.get(w("type")) in (None, "normal"):
                out += [p for p in note.iter(w("p")) if loose(text_of(p)) not in listed]
    return out


# Keys whose values the template prints in lines of its own (parties, period, status, ids):
# a render line made only of them is the template's, not the agreement's text.
_METADATA = {"parter", "period", "status", "dokument", "datum", "id", "kommunkod", "ansvar", "verb", "part",
             "url", "ar", "lank", "ordning", "metoder"}


def _values(agreement: Agreement) -> list[str]:
    """The file's own prose, loosely compared: every text value outside the metadata."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(loose(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                if k not in _METADATA:
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(agreement.model_dump(mode="json"))
    return [v for v in found if len(v) >= 4]


def _years(agreement: Agreement) -> set[str]:
    found = set(re.findall(r"\b(?:19|20|21)\d\d-\d\d-\d\d\b", agreement.canonical_json()))
    return {d[:4] for d in found}


def template_only(text: str, values: Sequence[str], years: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
    """True for a render paragraph with none of the file's text and none of its years: the template's own words.

    "Så här ska vi göra", "Polisen ska" and the UTKAST line are the template's;
    "Medborgarlöftet gäller 2023." carries the file's period and is compared.
    """
    key = loose(text)
    if re.search(r"Versionskod [0-9a-f]{12}\b", key):
        return True  # the render's version code line, made from the file's fingerprint
    if set(re.findall(r"\d{4}", key)) & years:
        return False
    # A short line found inside the file's prose ("Vingåkers kommun") is still a label of the template.
    return not any(v in key or (key in v and len(key.split()) >= 4) for v in values)


@dataclass(frozen=True)
class Render:
    side: Side
    docx: bytes
    elements: tuple[etree._Element, ...]


def render_side(path: Path, agreement: Agreement, document: str, template: Path | None) -> Render:
    docx = render_docx(agreement, document, template)
    elements = tuple(p for p in _flat_body(docx) if text_of(p).strip())
    texts = tuple(text_of(p).strip() for p in elements)
    description = f"överenskommelsefil, jämförd som {_DOCUMENT_NAMES.get(document, document)}"
    side = Side(path, False, description, texts, ("",) * len(texts), agreement, document)
    return Render(side, docx, elements)


def document_side(read: ReadDocument) -> Side:
    blocks = [b for b in read.blocks if b.text.strip()]
    return Side(read.path, True, _KINDS.get(read.kind, read.kind), tuple(b.text for b in blocks),
                tuple(_style_key(b) for b in blocks), furniture=read.furniture)


def _style_key(block: Block) -> str:
    if block.kind == "heading":
        return f"heading {min(block.level, 9)}"
    return {"title": "title", "item": "list bullet"}.get(block.kind, "")


# -- pairing paragraphs -------------------------------------------------------------------


@dataclass(frozen=True)
class ParagraphChange:
    """One paragraph that differs: changed (both texts), added (``old`` None) or removed (``new`` None)."""

    old: str | None
    new: str | None
    segments: tuple[Segment, ...] = ()
    template: bool = False
    """Only the template's own words (headings, lead-ins): not a change in what was agreed."""
    moved: bool = False
    """Found in another place on the other side (with the same text when ``segments`` is empty)."""


def align(old: Sequence[str], new: Sequence[str]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Pairs of paragraph indexes, in order: ((i,), (j,)) for one-to-one, ((i,), ()) removed, ((), (j,)) added.

    One paragraph that is two or three on the other side gives ((i,), (j, j+1)).
    Paragraphs are paired when they are equal (compared loosely) or alike (half
    their words in common).
    """
    a, b = [loose(x) for x in old], [loose(x) for x in new]
    out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [((i,), (j,)) for i, j in zip(range(i1, i2), range(j1, j2))]
        else:
            out += _region(a, b, i1, i2, j1, j2)
    return out


def _region(a: list[str], b: list[str], i: int, i2: int, j: int, j2: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    while i < i2 or j < j2:
        joined = _rebroken(a, b, i, i2, j, j2)
        ahead = [joined] if joined else _rebroken_ahead(a, b, i, i2, j, j2)
        if ahead:
            out += ahead
            i, j = max(x for xs, _ in ahead for x in xs) + 1, max(y for _, ys in ahead for y in ys) + 1
            continue
        if i < i2 and j < j2:
            best = max(range(j, j2), key=lambda y: similarity(a[i], b[y]))
            score = similarity(a[i], b[best])
            back = max(range(i, i2), key=lambda x: similarity(a[x], b[j]))
            if score >= 0.5 and (best == j or similarity(a[back], b[j]) < 0.5 or back == i):
                out += [((), (y,)) for y in range(j, best)]
                out.append(((i,), (best,)))
                i, j = i + 1, best + 1
                continue
            if similarity(a[back], b[j]) >= 0.5 and back > i:
                out += [((x,), ()) for x in range(i, back)]
                out.append(((back,), (j,)))
                i, j = back + 1, j + 1
                continue
        if i < i2 and (j >= j2 or not any(similarity(a[i], b[y]) >= 0.5 for y in range(j, j2))):
            out.append(((i,), ()))
            i += 1
        elif j < j2:
            out.append(((), (j,)))
            j += 1
    return out


def _rebroken(a: list[str], b: list[str], i: int, i2: int, j: int, j2: int) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The same text with other paragraph breaks at (i, j): one paragraph on one side, 2–3 on the other."""
    for n in (2, 3):
        if i < i2 and j + n <= j2 and bare_words(a[i]) == bare_words(" ".join(b[j:j + n])):
            return (i,), tuple(range(j, j + n))
        if j < j2 and i + n <= i2 and bare_words(b[j]) == bare_words(" ".join(a[i:i + n])):
            return tuple(range(i, i + n)), (j,)
    return None


def bare_words(text: str) -> str:
    """Only the words: "Rubrik – text" split into a heading and its text is the same text."""
    return " ".join(re.findall(r"\w+", text))


def _rebroken_ahead(a: list[str], b: list[str], i: int, i2: int, j: int, j2: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Paragraphs added or removed, then the same text broken otherwise: the pairs up to and including it."""
    for y in range(j + 1, j2):
        found = _rebroken(a, b, i, i2, y, j2)
        if found and len(found[0]) == 1:
            return [*(((), (k,)) for k in range(j, y)), found]
    for x in range(i + 1, i2):
        found = _rebroken(a, b, x, i2, j, j2)
        if found and len(found[1]) == 1:
            return [*(((k,), ()) for k in range(i, x)), found]
    return []


# -- the comparison -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlainComparison:
    """What changed between an agreement's render and a plain document, paragraph by paragraph."""

    old: Side
    new: Side
    pairs: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    unchanged: int
    rebroken: int
    changes: tuple[ParagraphChange, ...]
    files: tuple[Path, ...] = field(default=())

    @property
    def plain_side(self) -> str:
        return "old" if self.old.plain else "new"

    @property
    def counted(self) -> tuple[ParagraphChange, ...]:
        """The changes in the text: not the template's words, not a paragraph only moved."""
        return tuple(c for c in self.changes if not c.template and not (c.moved and not c.segments))

    @property
    def moved(self) -> tuple[ParagraphChange, ...]:
        """Paragraphs with the same text in another place."""
        return tuple(c for c in self.changes if c.moved and not c.segments)

    @property
    def template(self) -> tuple[ParagraphChange, ...]:
        return tuple(c for c in self.changes if c.template)


def compare_plain(old: Side, new: Side) -> PlainComparison:
    """Pair the paragraphs of two sides and record every difference."""
    render = new if not new.plain else old if not old.plain else None
    values = _values(render.agreement) if render and render.agreement else []
    years = _years(render.agreement) if render and render.agreement else set()
    pairs = align(old.paragraphs, new.paragraphs)
    gone = [xs[0] for xs, ys in pairs if xs and not ys]
    came = [ys[0] for xs, ys in pairs if ys and not xs]
    moved = _moves(old.paragraphs, new.paragraphs, gone, came)
    moved_new = {j: i for i, j in moved.items()}
    changes: list[ParagraphChange] = []
    unchanged = rebroken = 0
    for xs, ys in pairs:
        a = " ".join(old.paragraphs[x] for x in xs) if xs else None
        b = " ".join(new.paragraphs[y] for y in ys) if ys else None
        if a is not None and b is not None and (loose(a) == loose(b) or (len(xs) != len(ys) and bare_words(a) == bare_words(b))):
            unchanged += 1
            rebroken += len(xs) != len(ys)
            continue
        if a is not None and b is not None:
            changes.append(ParagraphChange(a, b, word_diff(loose(a), loose(b))))
            continue
        if ys and ys[0] in moved_new:
            continue  # reported once, where OLD had it
        if xs and xs[0] in moved:
            b = new.paragraphs[moved[xs[0]]]
            same = loose(a or "") == loose(b)
            changes.append(ParagraphChange(a, b, () if same else word_diff(loose(a or ""), loose(b)), moved=True))
            continue
        text = a if a is not None else b or ""
        from_render = (a is not None and not old.plain) or (b is not None and not new.plain)
        changes.append(ParagraphChange(a, b, template=from_render and template_only(text, values, years)))
    return PlainComparison(old, new, tuple(pairs), unchanged, rebroken, tuple(changes))


def _moves(old: Sequence[str], new: Sequence[str], gone: list[int], came: list[int]) -> dict[int, int]:
    """OLD-only paragraphs found among the NEW-only ones elsewhere: equal first, then alike."""
    found: dict[int, int] = {}
    free = list(came)
    for i in gone:
        j = next((j for j in free if loose(old[i]) == loose(new[j])), None)
        if j is not None:
            found[i] = j
            free.remove(j)
    for i in gone:
        if i in found or not free:
            continue
        j = max(free, key=lambda y: similarity(loose(old[i]), loose(new[y])))
        if similarity(loose(old[i]), loose(new[j])) >= 0.6:
            found[i] = j
            free.remove(j)
    return found


__all__ = ["DOCUMENT_SUFFIXES", "ParagraphChange", "PlainComparison", "Render", "Side", "align", "bare_words", "compare_plain",
           "document_side", "is_document", "loose", "render_side", "template_only"]
