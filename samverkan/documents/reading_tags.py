"""The structure tree of a tagged PDF, read into blocks.

Word and LibreOffice write a tagged PDF for accessibility: every heading,
paragraph, list item and table cell is an element of the structure tree
that owns the marked content (MCIDs) its text is drawn with, and running
headers, footers and page numbers are Artifacts outside the tree. Reading
the tree in order gives each block its real role, independent of how it
looks on the page. :func:`tagged_blocks` gives up (returns None) when the
tree holds less than 80 % of the text, and the caller reads the layout
instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .reading import Block, clean, join_lines, split_label

if TYPE_CHECKING:
    from .reading_pdf import _Line

# -- the structure tree ---------------------------------------------------------------------

_HEADING = re.compile(r"^H([1-9])?$")
_BLOCK_ROLES = {"P", "Title", "Caption", "BlockQuote", "Note", "TOCI", "Quote", "Code", "Lbl", "Index", "BibEntry"}
_STANDARD = _BLOCK_ROLES | {"Document", "Part", "Art", "Sect", "Div", "NonStruct", "Private", "TOC", "L", "LI",
                            "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Figure", "Formula",
                            "Form", "Span", "Link", "Annot", "Ruby", "Warichu", "Reference", "H", "H1", "H2", "H3",
                            "H4", "H5", "H6", "Artifact"}


class _Tree:
    """Walks a structure tree and turns its elements into blocks."""

    def __init__(self, root: Any, pages: dict[int, int], pieces: dict[tuple[int, int], list[tuple[int, str, bool]]],
                 lexicon: set[str]) -> None:
        from pdfminer.pdftypes import resolve1

        self.resolve = resolve1
        self.pages = pages
        self.pieces = pieces
        self.lexicon = lexicon
        self.used: set[tuple[int, int]] = set()
        self.blocks: list[Block] = []
        self.tables = 0
        rolemap = resolve1(root.get("RoleMap")) or {}
        self.rolemap = {k: getattr(resolve1(v), "name", None) for k, v in rolemap.items()}
        self.seen: set[int] = set()

    def role(self, element: dict[str, Any]) -> str:
        name = getattr(self.resolve(element.get("S")), "name", "") or ""
        for _ in range(10):
            if name in _STANDARD or name not in self.rolemap:
                break
            name = self.rolemap[name] or name
        if re.fullmatch(r"(?i)heading\s*([1-9])", name):
            return "H" + name[-1]
        return name

    def kids(self, element: dict[str, Any]) -> list[Any]:
        kids = self.resolve(element.get("K"))
        if kids is None:
            return []
        return [self.resolve(k) if not isinstance(k, int) else k for k in (kids if isinstance(kids, list) else [kids])]

    def page_of(self, element: dict[str, Any], default: int | None) -> int | None:
        ref = element.get("Pg")
        objid = getattr(ref, "objid", None)
        return self.pages.get(objid, default) if objid is not None else default

    def mcids(self, element: dict[str, Any], page: int | None, skip_lists: bool = False) -> Iterator[tuple[int, int]]:
        page = self.page_of(element, page)
        for kid in self.kids(element):
            if isinstance(kid, int):
                if page is not None:
                    yield page, kid
            elif isinstance(kid, dict):
                kind = getattr(self.resolve(kid.get("Type")), "name", None)
                if kind == "MCR":
                    mcid = self.resolve(kid.get("MCID"))
                    kid_page = self.page_of(kid, page)
                    if isinstance(mcid, int) and kid_page is not None:
                        yield kid_page, mcid
                elif kind == "OBJR":
                    continue
                elif not (skip_lists and self.role(kid) == "L"):
                    yield from self.mcids(kid, page, skip_lists)

    def text(self, refs: Iterable[tuple[int, int]]) -> tuple[str, bool, int | None]:
        lines: list[str] = []
        last_line: int | None = None
        bold = plain = 0
        first_page = None
        for ref in refs:
            self.used.add(ref)
            for line_id, piece, is_bold in self.pieces.get(ref, []):
                first_page = ref[0] if first_page is None else first_page
                if line_id == last_line and lines:
                    lines[-1] += piece
                else:
                    lines.append(piece)
                last_line = line_id
                count = len(piece.strip())
                bold, plain = (bold + count, plain) if is_bold else (bold, plain + count)
        return join_lines([clean(x) for x in lines], self.lexicon), bold > 0 and plain == 0, first_page

    def walk(self, element: Any, page: int | None = None, depth: int = -1) -> None:
        if not isinstance(element, dict) or id(element) in self.seen:
            return
        self.seen.add(id(element))
        role = self.role(element)
        page = self.page_of(element, page)
        heading = _HEADING.match(role)
        if role == "Artifact":
            return
        if heading or role in _BLOCK_ROLES - {"Lbl"}:
            text, bold, first = self.text(self.mcids(element, page))
            if text:
                if role == "Title":
                    self.blocks.append(Block("title", text, page=first))
                elif heading:
                    self.blocks.append(Block("heading", text, level=int(heading.group(1) or 1), bold=bold, page=first))
                elif role != "Note" and split_label(text)[0] and split_label(text)[1]:
                    label, rest = split_label(text)  # a typed bullet: "•<tab>text"
                    self.blocks.append(Block("item", rest, label=label, bold=bold, page=first))
                elif role == "Note":
                    found = re.match(r"^\[?(\d{1,3})\]?\s*(?=\S)", text)
                    self.blocks.append(Block("note", text[found.end():] if found else text,
                                             label=found.group(1) if found else "", page=first))
                else:
                    self.blocks.append(Block("paragraph", text, bold=bold, page=first))
            return
        if role == "L":
            for kid in self.kids(element):
                if isinstance(kid, dict):
                    self.walk(kid, page, depth + 1) if self.role(kid) != "LI" else self.item(kid, page, depth + 1)
            return
        if role == "LI":
            self.item(element, page, max(depth, 0))
            return
        if role == "Table":
            self.table(element, page)
            return
        for kid in self.kids(element):
            if isinstance(kid, dict):
                self.walk(kid, page, depth)

    def item(self, element: dict[str, Any], page: int | None, depth: int) -> None:
        label, body, nested = "", [], []
        for kid in self.kids(element):
            if not isinstance(kid, dict):
                continue
            role = self.role(kid)
            if role == "Lbl":
                label = self.text(self.mcids(kid, page))[0]
            elif role == "L":
                nested.append(kid)
            else:
                body.append(kid)
                nested += [k for k in self.kids(kid) if isinstance(k, dict) and self.role(k) == "L"]
        refs = [ref for kid in body for ref in self.mcids(kid, page, skip_lists=True)]
        text, bold, first = self.text(refs)
        typed, rest = split_label(text) if not label else ("", text)
        if text:
            self.blocks.append(Block("item", rest if typed else text, level=depth, label=label or typed or "•",
                                     bold=bold, page=first))
        for kid in nested:
            self.walk(kid, page, depth)

    def table(self, element: dict[str, Any], page: int | None) -> None:
        index = self.tables
        self.tables += 1
        rows: list[dict[str, Any]] = []

        def collect(el: dict[str, Any]) -> None:
            for kid in self.kids(el):
                if isinstance(kid, dict):
                    role = self.role(kid)
                    if role == "TR":
                        rows.append(kid)
                    elif role in ("THead", "TBody", "TFoot"):
                        collect(kid)

        collect(element)
        for r, row in enumerate(rows):
            cells = [k for k in self.kids(row) if isinstance(k, dict) and self.role(k) in ("TD", "TH")]
            for c, cell in enumerate(cells):
                text, bold, first = self.text(self.mcids(cell, page))
                if text:
                    self.blocks.append(Block("cell", text, bold=bold, table=index, row=r, col=c, page=first))



def tagged_blocks(tree: dict[str, Any], lines: list[_Line], pages: dict[int, int],
            words: set[str]) -> tuple[list[Block] | None, list[str]]:
    """Blocks in structure-tree order, or None when the tree holds too little of the text."""
    from pdfminer.pdftypes import resolve1

    pieces: dict[tuple[int, int], list[tuple[int, str, bool]]] = defaultdict(list)
    furniture: list[str] = []
    loose: list[tuple[int, str]] = []
    for n, line in enumerate(lines):
        artifact_text = "".join(p[2] for p in line.pieces if p[1]).strip()
        if artifact_text:
            furniture.append(clean(artifact_text))
        for mcid, artifact, text in line.pieces:
            if artifact:
                continue
            if mcid is None:
                if text.strip():
                    loose.append((line.page, clean(text).strip()))
                continue
            pieces[line.page, mcid].append((n, text, line.bold))
    walker = _Tree(tree, pages, pieces, words)
    walker.walk(resolve1(tree.get("K")) if not isinstance(resolve1(tree.get("K")), list) else
                {"K": tree.get("K"), "S": None})
    total = sum(len(t.strip()) for ps in pieces.values() for _, t, _ in ps) + sum(len(t) for _, t in loose)
    covered = sum(len(t.strip()) for ref in walker.used for _, t, _ in pieces.get(ref, []))
    if not total or covered < 0.8 * total:
        return None, []
    blocks = walker.blocks
    for ref in sorted(set(pieces) - walker.used):  # marked content no element claims: keep it
        text, bold, page = walker.text([ref])
        if text:
            blocks.append(Block("paragraph", text, bold=bold, page=page))
    blocks += [Block("paragraph", text, page=page) for page, text in loose]
    return blocks, list(dict.fromkeys(furniture))


__all__ = ["tagged_blocks"]
