"""The redline PDF's tags: a screen reader hears the new text whole, and what was deleted and inserted.

LibreOffice draws a tracked change as coloured text – a deletion struck
through in :data:`~.office.REVISION_COLOURS` ``Delete``, an insertion
underlined in ``Insert`` – and tags it like any other text, a Span in the
middle of its paragraph. Sighted readers see the marks; assistive
technology gets neither version: "SituationenLägesbild idag" for a heading
that went from "Situationen idag" to "Lägesbild idag", with nothing saying
which word went and which came (WCAG 1.3.1: what colour and strike-through
show must be in the text too).

:func:`tag_changes` rewrites the structure tree of the finished redline PDF
(the page content is not touched, so what is printed stays exactly the same):

* every run of inserted text becomes a Span whose alternate description
  (``/Alt``) reads "Tillagt: …", where it stands;
* every run of deleted text becomes a Span described "Borttaget: …"; when
  new text follows it in the same paragraph (heading, list item, cell), the
  Span moves to the end of that paragraph and says where it stood
  ("Borttaget efter ”två ord”: …", or "i början"), so the new version reads
  as one sentence and the deletions follow it. A paragraph deleted whole stays
  where it was.

Runs are recognised by the colour LibreOffice draws them in (the profile fixes
those colours, :mod:`.office`); the ParentTree is updated for every moved
marked-content item, so each still belongs to exactly one element.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from .office import REVISION_COLOURS
from .pdfcontent import read_page

DELETED, INSERTED, KEPT, MIXED = "deleted", "inserted", "kept", "mixed"
_KINDS = {DELETED: REVISION_COLOURS["Delete"], INSERTED: REVISION_COLOURS["Insert"]}
# Structure types that are part of a line of text, not a block of their own (ISO 32000-1 14.8.4.4).
INLINE = frozenset({"Span", "Link", "Quote", "Reference", "BibEntry", "Code", "Annot", "Ruby", "Warichu"})
CONTEXT_WORDS = 3
_BEFORE_PUNCTUATION = re.compile(r" ([,.;:!?])")


def _rgb(colour: int) -> tuple[float, float, float]:
    return ((colour >> 16 & 255) / 255, (colour >> 8 & 255) / 255, (colour & 255) / 255)


def _kind_of(fill: tuple[float, ...]) -> str:
    for kind, colour in _KINDS.items():
        if len(fill) == 3 and all(abs(a - b) < 0.004 for a, b in zip(fill, _rgb(colour))):
            return kind
    return KEPT


def page_kinds(page: pikepdf.Page) -> dict[int, str]:
    """MCID → DELETED, INSERTED, KEPT or MIXED, from the fill colour of the text it shows."""
    seen: dict[int, set[str]] = {}
    marked: list[int | None] = []
    fills: list[tuple[float, ...]] = [(0.0,)]
    resources = page.obj.get("/Resources") or pikepdf.Dictionary()
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            if isinstance(props, pikepdf.Name):
                props = (resources.get("/Properties") or {}).get(props) or pikepdf.Dictionary()
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            marked.append(int(mcid) if mcid is not None else None)
        elif op == "BMC":
            marked.append(None)
        elif op == "EMC" and marked:
            marked.pop()
        elif op == "q":
            fills.append(fills[-1])
        elif op == "Q" and len(fills) > 1:
            fills.pop()
        elif op in ("rg", "g") or (op in ("sc", "scn") and all(isinstance(o, (int, float)) or type(o).__name__ == "Decimal" for o in operands)):
            fills[-1] = tuple(float(o) for o in operands)
        elif op in ("Tj", "TJ", "'", '"'):
            mcid = next((m for m in reversed(marked) if m is not None), None)
            if mcid is not None:
                seen.setdefault(mcid, set()).add(_kind_of(fills[-1]))
    return {mcid: kinds.pop() if len(kinds) == 1 else MIXED for mcid, kinds in seen.items()}


@dataclass
class _Document:
    """What the rewrite needs: each page's kinds and text by MCID, the ParentTree, the role map."""

    pdf: pikepdf.Pdf
    kinds: dict[tuple[int, int], str] = field(default_factory=dict)  # (page objgen, MCID) → kind
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    owners: dict[tuple[int, int], tuple[pikepdf.Array, int]] = field(default_factory=dict)  # → (ParentTree array, index)
    role_map: dict[str, str] = field(default_factory=dict)
    page_index: dict[tuple[int, int], int] = field(default_factory=dict)  # page objgen → 0-based index

    @classmethod
    def read(cls, pdf: pikepdf.Pdf) -> _Document:
        doc = cls(pdf)
        root = pdf.Root.StructTreeRoot
        doc.role_map = {str(k): str(v) for k, v in (root.get("/RoleMap") or {}).items()}
        arrays = dict(_number_tree(root.ParentTree)) if "/ParentTree" in root else {}
        fonts: dict[Any, Any] = {}
        for number, page in enumerate(pdf.pages, start=1):
            key = page.obj.objgen
            doc.page_index[key] = number - 1
            for mcid, kind in page_kinds(page).items():
                doc.kinds[key, mcid] = kind
            for mcid, text in read_page(page, number, fonts).mcid_text.items():
                doc.texts[key, mcid] = text
            array = arrays.get(int(page.obj.get("/StructParents", -1)))
            if isinstance(array, pikepdf.Array):
                for mcid in range(len(array)):
                    doc.owners[key, mcid] = (array, mcid)
        return doc

    def standard(self, element: pikepdf.Dictionary) -> str:
        role, seen = str(element.get("/S", "")), set()
        while role in self.role_map and role not in seen:
            seen.add(role)
            role = self.role_map[role]
        return role.lstrip("/")


def _number_tree(node: pikepdf.Dictionary) -> Iterator[tuple[int, Any]]:
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


@dataclass
class _Item:
    """One entry of an element's /K: a marked-content reference or a child element."""

    raw: Any
    page: Any  # the page dictionary the content is on (None for a child element)
    mcid: int | None = None

    @property
    def element(self) -> pikepdf.Dictionary | None:
        return self.raw if self.mcid is None and isinstance(self.raw, pikepdf.Dictionary) else None


def _descendant_elements(element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    kids = element.get("/K")
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _descendant_elements(kid)


def _items(element: pikepdf.Dictionary) -> list[_Item]:
    kids = element.get("/K")
    found = []
    for kid in list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
        if isinstance(kid, int):
            found.append(_Item(kid, element.get("/Pg"), int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            found.append(_Item(kid, kid.get("/Pg", element.get("/Pg")), int(kid.MCID)))
        else:
            found.append(_Item(kid, None))
    return found


class _Rewriter:
    def __init__(self, doc: _Document) -> None:
        self.doc = doc

    def content(self, item: _Item) -> list[tuple[int, int]]:
        if item.mcid is not None:
            return [(item.page.objgen, item.mcid)] if item.page is not None else []
        element = item.element
        if element is None or element.get("/Type") == "/OBJR":
            return []
        return [c for sub in _items(element) for c in self.content(sub)]

    def kind(self, item: _Item) -> str:
        if item.element is not None and item.element.get("/Type") == "/OBJR":
            return KEPT
        kinds = {self.doc.kinds.get(c, KEPT) for c in self.content(item)}
        return kinds.pop() if len(kinds) == 1 else (MIXED if kinds else KEPT)

    def text(self, items: list[_Item]) -> str:
        """The text of ``items`` for a description: pieces as read, whitespace collapsed, none before punctuation
        (a new text position reads as a space, and a comma is often drawn on its own)."""
        text = " ".join("".join(self.doc.texts.get(c, "") for item in items for c in self.content(item)).split())
        return _BEFORE_PUNCTUATION.sub(r"\1", text)

    def walk(self, element: pikepdf.Dictionary) -> None:
        items = _items(element)
        for item in items:
            if item.element is not None and "/S" in item.element and self.doc.standard(item.element) not in INLINE:
                self.walk(item.element)
        if any(i.mcid is not None or (i.element is not None and self.doc.standard(i.element) in INLINE) for i in items):
            self.rewrite(element, self.flatten(element, items))

    def flatten(self, element: pikepdf.Dictionary, items: list[_Item]) -> list[_Item]:
        """Dissolve a plain Span that holds both changed and unchanged text: its pieces are needed apart."""
        out: list[_Item] = []
        for item in items:
            child = item.element
            plain = child is not None and child.get("/S") == "/Span" and not any(k in child for k in ("/Alt", "/ActualText", "/E", "/Lang"))
            if plain and self.kind(item) == MIXED:
                out += self.flatten(element, _items(child))
            else:
                out.append(item)
        return out

    def page(self, items: list[_Item]) -> int:
        """The page index where ``items`` begin (0 when unknown)."""
        content = [c for item in items for c in self.content(item)]
        return self.doc.page_index.get(content[0][0], 0) if content else 0

    def rewrite(self, element: pikepdf.Dictionary, items: list[_Item]) -> None:
        kinds = [self.kind(i) for i in items]
        if not any(k in (DELETED, INSERTED) for k in kinds):
            return
        groups: list[tuple[str, list[_Item]]] = []
        for item, kind in zip(items, kinds):
            kind = kind if kind in (DELETED, INSERTED) else KEPT
            if groups and groups[-1][0] == kind and kind != KEPT:
                groups[-1][1].append(item)
            else:
                groups.append((kind, [item]))
        first_page = self.page([i for _, group in groups for i in group])
        start: list[Any] = []
        in_place: list[Any] = []
        end: list[Any] = []
        before: list[_Item] = []
        for n, (kind, group) in enumerate(groups):
            if kind == KEPT:
                in_place += [self.reparent(i, element) for i in group]
                before += group
                continue
            page = self.page(group)
            later = {self.page(g) for k, g in groups[n + 1 :] if k != DELETED}
            text = self.text(group)
            if kind == INSERTED:
                alt = f"Tillagt: {text}"
            elif not later:
                alt = f"Borttaget: {text}"
            else:
                words = self.text(before).split()[-CONTEXT_WORDS:]
                where = f"efter ”{' '.join(words)}”" if words else "i början"
                alt = f"Borttaget {where}: {text}"
            span = self.span(element, group, alt)
            # A deletion followed by new text leaves the sentence: to the end of the paragraph, or, when the
            # paragraph goes on over a page break, to its start – the reading order never goes back a page.
            if kind == INSERTED or not later:
                in_place.append(span)
            elif later == {page}:
                end.append(span)
            elif page == first_page and not any(self.page([b]) != page for b in before):
                start.append(span)
            else:
                in_place.append(span)
            if kind == INSERTED:
                before += group
        element.K = pikepdf.Array(self.spans_for_loose_content(element, start + in_place + end))

    def spans_for_loose_content(self, element: pikepdf.Dictionary, kids: list[Any]) -> list[Any]:
        """Marked content beside child elements, in a paragraph over a page break, each run in a plain Span.

        A reader that takes an element's own marked content before its children's (a flattening some tools
        do, whatever the order of /K) would otherwise read a paragraph's new text on the next page before the
        changed word on this page, back a page. In Spans, the order of /K is the only order.
        """
        def is_element(kid: Any) -> bool:
            return isinstance(kid, pikepdf.Dictionary) and "/S" in kid

        def item(kid: Any) -> _Item:
            if is_element(kid):
                return _Item(kid, None)
            if isinstance(kid, pikepdf.Dictionary):
                return _Item(kid, kid.Pg, int(kid.MCID))
            return _Item(kid, element.get("/Pg"), int(kid))

        loose = [k for k in kids if not is_element(k)]
        if not loose or len(loose) == len(kids) or len({self.page([item(k)]) for k in kids}) < 2:
            return kids
        out: list[Any] = []
        run: list[_Item] = []
        for kid in [*kids, None]:
            if kid is not None and not is_element(kid):
                run.append(item(kid))
                continue
            if run:
                out.append(self.span(element, run, None))
                run = []
            if kid is not None:
                out.append(kid)
        return out

    def pages(self, element: pikepdf.Dictionary) -> list[int]:
        return [self.doc.page_index.get(c[0], 0) for c in self.content(_Item(element, None))]

    def notes_before_page_turn(self, element: pikepdf.Dictionary) -> None:
        """A footnote read before the paragraph that goes on over the page break, not after it.

        LibreOffice puts a page's footnotes (Note) after the last paragraph that begins on the page; when
        that paragraph ends on the next page – as it often does in a redline, longer than either version –
        the reading order would go back a page to the footnote.
        """
        kids = element.get("/K")
        if not isinstance(kids, pikepdf.Array):
            return
        order = list(kids)
        for kid in list(order):
            if not (isinstance(kid, pikepdf.Dictionary) and "/S" in kid):
                continue
            if self.doc.standard(kid) == "Note" or any(self.doc.standard(d) == "Note" for d in _descendant_elements(kid)):
                own = self.pages(kid)
                at = order.index(kid)
                while own and at > 0 and isinstance(order[at - 1], pikepdf.Dictionary) and "/S" in order[at - 1]:
                    before = self.pages(order[at - 1])
                    if not before or max(before) <= min(own) or min(before) > min(own):
                        break
                    order[at - 1], order[at] = order[at], order[at - 1]
                    at -= 1
            else:
                self.notes_before_page_turn(kid)
        if order != list(kids):
            element.K = pikepdf.Array(order)

    def span(self, parent: pikepdf.Dictionary, group: list[_Item], alt: str | None) -> pikepdf.Object:
        """A new Span for ``group`` (marked content and child elements), described by ``alt``."""
        pdf = self.doc.pdf
        span = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=parent))
        if alt is not None:
            span.Alt = pikepdf.String(alt)
        content = [c for item in group for c in self.content(item)]
        if content:
            span.Pg = self.doc.pdf.pages[self.doc.page_index[content[0][0]]].obj
        span.K = pikepdf.Array([self.reparent(i, span) for i in group])
        return span

    def reparent(self, item: _Item, parent: pikepdf.Dictionary) -> Any:
        """``item`` as a /K entry of ``parent``: the ParentTree and /P point there."""
        if item.mcid is None:
            if item.element is not None and "/S" in item.element:
                item.element.P = parent
            return item.raw
        owner = self.doc.owners.get((item.page.objgen, item.mcid))
        if owner is not None:
            owner[0][owner[1]] = parent
        if parent.get("/Pg") is not None and parent.Pg.objgen == item.page.objgen:
            return item.mcid
        return pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=item.page, MCID=item.mcid)


def tag_changes(data: bytes) -> bytes:
    """The redline PDF ``data`` with its tracked changes tagged for assistive technology (see module doc)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return data
        doc = _Document.read(pdf)
        if not any(kind in (DELETED, INSERTED) for kind in doc.kinds.values()):
            return data
        rewriter = _Rewriter(doc)
        root = pdf.Root.StructTreeRoot
        kids = root.get("/K")
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                rewriter.walk(kid)
                rewriter.notes_before_page_turn(kid)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()
