"""Blocks from a PDF that samverkan did not write: a kommun's published agreement.

pdfminer.six lays out each page's characters into lines (with the font,
size and position of every character) and reports the marked-content
sequences they belong to. From there:

- a **tagged** PDF (Word's and LibreOffice's accessible export) is read in
  the order of its structure tree: every H1–H6/Title, P, list item (L, LI,
  Lbl, LBody) and table cell (TD, TH) becomes a block, with the text of the
  marked content it owns. Running headers, footers and page numbers are
  Artifacts and never reach the tree.
- an **untagged** PDF is read from its layout: lines are ordered top to
  bottom, joined into paragraphs by line spacing and indentation, split at
  bullets and numbers, and a paragraph set in a larger font than the body
  text is a heading (levels by size). Lines near the top and bottom edge
  that repeat on other pages, or that are page numbers, are running
  headers and footers.

A tagged PDF whose tree holds too little of the page text (some tools tag
only the first page, or write an empty tree) is read from its layout.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ReadError
from .reading import Block, ReadDocument, clean, join_lines, lexicon_of, split_label
from .reading_tags import tagged_blocks

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class _Line:
    """One line of text on a page, with the marked content its characters belong to."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    text: str
    pieces: list[tuple[int | None, bool, str]] = field(default_factory=list)  # (mcid, artifact, text)


def _pdfminer() -> Any:
    from pdfminer import converter  # imported here: only reading a PDF needs it

    class Aggregator(converter.PDFPageAggregator):
        """Records, for each character, the innermost marked-content id and whether it is an Artifact."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.marks: list[tuple[str, int | None]] = []

        def begin_tag(self, tag: Any, props: Any = None) -> None:
            mcid = props.get("MCID") if isinstance(props, dict) else None
            self.marks.append((getattr(tag, "name", str(tag)), mcid if isinstance(mcid, int) else None))

        def end_tag(self) -> None:
            if self.marks:
                self.marks.pop()

        def do_tag(self, tag: Any, props: Any = None) -> None:
            pass

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            advance = super().render_char(*args, **kwargs)
            item = self.cur_item._objs[-1]
            item.mcid = next((m for _, m in reversed(self.marks) if m is not None), None)
            item.artifact = any(tag == "Artifact" for tag, _ in self.marks)
            return advance

    return Aggregator


def _lines(layout: Any, page: int, height: float) -> list[_Line]:
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    def walk(item: Any) -> Iterator[Any]:
        if isinstance(item, LTTextLine):
            yield item
        elif isinstance(item, LTTextContainer) or hasattr(item, "_objs"):
            for child in item:
                yield from walk(child)

    out = []
    for line in walk(layout):
        chars = [c for c in line if isinstance(c, LTChar)]
        if not chars:
            continue
        pieces: list[tuple[int | None, bool, str]] = []
        mark: tuple[int | None, bool] = (getattr(chars[0], "mcid", None), getattr(chars[0], "artifact", False))
        raised = _superscripts(chars)
        inside = False
        for obj in line:
            if isinstance(obj, LTChar):
                mark = (getattr(obj, "mcid", None), getattr(obj, "artifact", False))
            text = obj.get_text().replace("\n", "")
            up = id(obj) in raised
            if up != inside and (isinstance(obj, LTChar) or not up):
                text = ("[" + text) if up else ("]" + text)  # a note number: "trygghetsmätning[1]"
                inside = up
            if pieces and pieces[-1][:2] == mark:
                pieces[-1] = (*mark, pieces[-1][2] + text)
            else:
                pieces.append((*mark, text))
        if inside:
            pieces[-1] = (*pieces[-1][:2], pieces[-1][2] + "]")
        visible = [c for c in chars if c.get_text().strip()]
        bold = sum(bool(_BOLD.search(c.fontname)) for c in visible) * 2 > len(visible)
        sizes = [round(c.size * 2) / 2 for c in visible] or [round(chars[0].size * 2) / 2]
        text = clean("".join(p[2] for p in pieces)).strip()
        if text:
            out.append(_Line(page, line.x0, line.x1, height - line.y1, height - line.y0,
                             statistics.median(sizes), bold, text, pieces))
    return out


def _superscripts(chars: list[Any]) -> set[int]:
    """The digits set small and raised above the line: footnote numbers."""
    size = statistics.median(c.size for c in chars)
    base = statistics.median(c.y0 for c in chars if c.size >= 0.9 * size) if any(c.size >= 0.9 * size for c in chars) else 0
    return {id(c) for c in chars if c.get_text().isdigit() and c.size < 0.8 * size and c.y0 > base + 0.2 * size}


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """Top to bottom, left to right; a bullet alone on its line joins the text beside it."""
    lines = sorted(lines, key=lambda x: (x.page, x.top))
    rows: list[list[_Line]] = []
    for line in lines:  # lines whose tops are within a third of their size share a row
        if rows and rows[-1][0].page == line.page and line.top - rows[-1][0].top < line.size / 3:
            rows[-1].append(line)
        else:
            rows.append([line])
    left, right = min((x.x0 for x in lines), default=0.0), max((x.x1 for x in lines), default=0.0)
    row_end = {id(x): max(y.x1 for y in row) for row in rows for x in row}
    lines = [x for row in rows for x in sorted(row, key=lambda x: x.x0)]
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        # A justified line spans the column; its word gaps may be several spaces wide.
        justified = row_end[id(line)] >= right - 0.04 * (right - left)
        gap = 4.0 if justified else 1.5
        same_row = prev is not None and prev.page == line.page and abs(prev.top - line.top) < 3 and line.x0 > prev.x1
        if (same_row and prev and prev.text.isdigit() and prev.size < 0.8 * line.size
                and prev.bottom < line.bottom - 0.15 * line.size and line.x0 - prev.x1 < line.size):
            # a raised note number on its own: "[1] Polisens trygghetsmätning 2019"
            out[-1] = _Line(line.page, prev.x0, line.x1, min(prev.top, line.top), line.bottom, line.size, line.bold,
                            f"[{prev.text}] {line.text}", prev.pieces + line.pieces)
            continue
        if (same_row and prev and line.x0 - prev.x1 < gap * line.size and abs(prev.size - line.size) < 0.6
                and not split_label(prev.text + " x")[0]):
            # a justified line that the layout split at a wide word gap
            out[-1] = _Line(line.page, prev.x0, line.x1, min(prev.top, line.top), max(prev.bottom, line.bottom),
                            prev.size, prev.bold and line.bold, f"{prev.text} {line.text}", prev.pieces + line.pieces)
            continue
        if (same_row and prev and split_label(prev.text + " x")[0]
                and prev.text.strip() == split_label(prev.text + " x")[0]):
            out[-1] = _Line(line.page, prev.x0, line.x1, min(prev.top, line.top), max(prev.bottom, line.bottom),
                            line.size, line.bold, f"{prev.text} {line.text}", prev.pieces + line.pieces)
            continue
        out.append(line)
    return out


_PAGE_NUMBER = re.compile(r"^(sida\s*)?\d{1,3}(\s*(av|/|\()\s*\d{1,3}\)?)?$|^[-–]\s*\d{1,3}\s*[-–]$", re.IGNORECASE)


def _furniture(lines: list[_Line], heights: dict[int, float]) -> set[int]:
    """Indexes of running headers, footers and page numbers."""
    def key(line: _Line) -> tuple[str, int]:
        # The same text at the same height: a title that repeats in a footer is not furniture.
        h = heights[line.page]
        place = round(line.top / 6) if line.top < h / 2 else -round((h - line.bottom) / 6)
        return re.sub(r"\d+", "#", line.text.lower()), place

    pages_of: dict[tuple[str, int], set[int]] = defaultdict(set)
    for line in lines:
        pages_of[key(line)].add(line.page)
    several = len(heights) > 1
    found = set()
    for n, line in enumerate(lines):
        h = heights[line.page]
        edge = min(line.top, h - line.bottom) / h
        if (edge < 0.07 or (edge < 0.12 and several and len(pages_of[key(line)]) > 1)
                or (edge < 0.15 and _PAGE_NUMBER.match(line.text.strip()))):
            found.add(n)
    return found


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Lines grouped into paragraphs by spacing, indentation, font and list labels."""
    sizes = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 11.0
    pitches = Counter(round(b.top - a.top, 1) for a, b in zip(lines, lines[1:])
                      if a.page == b.page and a.size == b.size == body and 0 < b.top - a.top < 3 * body)
    # The line pitch inside a paragraph: in a text of one-line paragraphs the most common distance is the
    # one between paragraphs, so a distance a paragraph's lines could have comes first.
    within = Counter({d: n for d, n in pitches.items() if d <= 1.6 * body})
    pitch = (within or pitches).most_common(1)[0][0] if pitches else 1.2 * body
    right = max((x.x1 for x in lines if x.size == body), default=0.0)
    last_of_page = {x.page: n for n, x in enumerate(lines)}
    groups: list[list[_Line]] = []
    for n, line in enumerate(lines):
        group = groups[-1] if groups else None
        prev = group[-1] if group else None
        label = split_label(line.text)[0]
        # A paragraph that goes on at the top of the next page: the line before it ended its page full width.
        turned = (prev is not None and line.page == prev.page + 1 and last_of_page.get(prev.page) == n - 1
                  and prev.x1 >= right - 0.1 * (right - prev.x0))
        same = (
            prev is not None
            and (prev.page == line.page or turned)
            and not label
            and abs(prev.size - line.size) < 0.6
            and prev.bold == line.bold
            and (turned or 0 < line.top - prev.top <= pitch * 1.3 * max(1.0, line.size / body))
            and not (prev.page == line.page and abs(prev.top - line.top) < 3)
        )
        if same and group:
            first_label, first_rest = split_label(group[0].text)
            indent = group[0].x0 if not first_label else None
            if indent is not None and len(group) == 1:
                indent = None  # a first line may be indented or hang
            if indent is not None and abs(line.x0 - indent) > body:
                same = False
            full = prev.x1 >= right - 0.15 * (right - group[0].x0)
            if first_label and line.x0 < group[0].x0 + 2 and not full:
                same = False  # back at the bullet's edge after a short line: the item has ended
            if line.text[:1].isupper() and _fits(prev, line, right, 1.0 if prev.x1 < right - 0.2 * (right - min(x.x0 for x in group)) else 1.2):
                same = False  # a line with room left for the next word, then a sentence: the paragraph ended
        if same and group is not None:
            group.append(line)
        else:
            groups.append([line])
    return groups


def _fits(prev: _Line, line: _Line, right: float, margin: float = 1.0) -> bool:
    """Whether the first word of ``line`` would have fitted at the end of ``prev`` (its width estimated
    from the line's average character, times ``margin``): if not, the line broke because the word was
    too long, and the paragraph goes on."""
    words = line.text.split()
    width = (line.x1 - line.x0) / max(1, len(line.text))
    return prev.x1 + margin * width * (len(words[0]) + 1 if words else 0) < right


_NOTE = re.compile(r"^\[?(\d{1,2})\]?\s*(?=\S)")


def _blocks_from_layout(lines: list[_Line], lexicon: set[str]) -> list[Block]:
    groups = _paragraphs(lines)
    sizes = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 11.0
    heading_sizes = sorted({g[0].size for g in groups if g[0].size > body * 1.12 and len(g) <= 3}, reverse=True)
    levels = {size: n + 1 for n, size in enumerate(heading_sizes)}
    label_x = sorted({round(g[0].x0 / 6) for g in groups if split_label(g[0].text)[0]})
    blocks: list[Block] = []
    for n, group in enumerate(groups):
        text = join_lines([x.text for x in group], lexicon)
        size, bold, page = group[0].size, all(x.bold for x in group), group[0].page
        label, rest = split_label(text)
        if group[0].size in levels:
            top = n == 0 and heading_sizes and size == heading_sizes[0] and sum(g[0].size == size for g in groups) == 1
            if top:
                blocks.append(Block("title", text, page=page))
            else:
                blocks.append(Block("heading", text, level=levels[size] - (1 if heading_sizes and
                                    any(b.kind == "title" for b in blocks) and levels[size] > 1 else 0), page=page))
        elif (size <= body - 0.5 or text.startswith("[")) and _NOTE.match(text):
            found = _NOTE.match(text)  # a footnote, set small at the foot of the page
            blocks.append(Block("note", text[found.end():].strip(), label=found.group(1), page=page))
        elif label and rest:
            depth = label_x.index(round(group[0].x0 / 6)) if round(group[0].x0 / 6) in label_x else 0
            blocks.append(Block("item", rest, level=depth, label=label, bold=bold, page=page))
        else:
            blocks.append(Block("paragraph", text, bold=bold, page=page))
    return blocks


def _info_title(document: Any) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    for info in document.info or []:
        value = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(value, bytes):
            value = decode_text(value)
        if isinstance(value, str) and value.strip():
            return clean(value).strip()
    return None


def read_pdf(path: Path, lexicon: Iterable[str] = ()) -> ReadDocument:
    """Read a PDF into blocks (see the module docstring)."""
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.pdftypes import resolve1

    lines: list[_Line] = []
    heights: dict[int, float] = {}
    pages: dict[int, int] = {}
    try:
        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            manager = PDFResourceManager()
            device = _pdfminer()(manager, laparams=LAParams(line_margin=0.3))
            interpreter = PDFPageInterpreter(manager, device)
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                device.marks = []
                interpreter.process_page(page)
                layout = device.get_result()
                heights[number] = layout.height
                pages[page.pageid] = number
                lines += _lines(layout, number, layout.height)
            title = _info_title(document)
            catalog = document.catalog
            tree = resolve1(catalog.get("StructTreeRoot")) if isinstance(catalog, dict) else None
            if not lines:
                raise ReadError(f"{path}: PDF-filen har ingen text att läsa – den är troligen inskannad. Kör "
                                "textigenkänning (OCR) på den först, eller använd Word-filen")
            words = lexicon_of([x.text for x in lines]) | {w.lower() for w in lexicon}
            tagged = tagged_blocks(tree, lines, pages, words) if isinstance(tree, dict) else (None, [])
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(f"{path}: PDF-filen är krypterad eller lösenordsskyddad – spara en kopia utan lösenord "
                        "eller använd Word-filen") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise ReadError(f"{path}: PDF-filen går inte att läsa ({type(e).__name__}: {e}) – kontrollera att det "
                        "är en hel PDF-fil, eller använd Word-filen") from None
    if tagged[0] is not None:
        return ReadDocument(path, "pdf-taggad", title, _notes_last(tagged[0]), tuple(tagged[1]))
    ordered = _reading_order([x for x in lines])
    edge = _furniture(ordered, heights)
    furniture = list(dict.fromkeys(ordered[n].text for n in sorted(edge)))
    body = [x for n, x in enumerate(ordered) if n not in edge]
    return ReadDocument(path, "pdf-otaggad", title, _notes_last(_blocks_from_layout(body, words)), tuple(furniture))


def _notes_last(blocks: list[Block]) -> tuple[Block, ...]:
    """Footnotes after the text, as a Word file has them: the same order whichever way the PDF was read."""
    return tuple([b for b in blocks if b.kind != "note"] + [b for b in blocks if b.kind == "note"])


__all__ = ["read_pdf"]
