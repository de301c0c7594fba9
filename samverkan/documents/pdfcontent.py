"""What a tagged PDF says to assistive technology, read the way a checker reads it.

:mod:`samverkan.documents.pdfcheck` and the publish step need more than a
text extract: which text, image and line on each page belongs to which
structure element (its marked-content id, MCID), what is marked as an
artifact (running headers, page numbers) and what is not marked at all, the
structure tree with each element's standard type, and the text as the fonts'
ToUnicode maps give it (so a bullet mapped to a Private Use code shows up).
:func:`read_pdf` collects these facts with pikepdf from the file as written;
nothing is modified.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from lxml import etree

_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"}
_SHOW = {"Tj", "TJ", "'", '"'}
_NEW_LINE = {"Td", "TD", "T*", "Tm", "'", '"'}
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_WORD_GAP = -250  # a TJ offset (thousandths of the font size) wide enough to be read as a space


def _hex(raw: bytes) -> bytes:
    return bytes.fromhex(re.sub(rb"\s", b"", raw).decode())


@dataclass
class FontText:
    """Decodes the strings a font shows through its ToUnicode map."""

    name: str
    mapping: dict[bytes, str]
    code_lengths: tuple[int, ...]
    has_to_unicode: bool
    embedded: bool
    unmapped: set[bytes] = field(default_factory=set)

    def decode(self, raw: bytes) -> str:
        out, at = [], 0
        while at < len(raw):
            for length in self.code_lengths:
                code = raw[at : at + length]
                if code in self.mapping:
                    out.append(self.mapping[code])
                    at += length
                    break
            else:
                code = raw[at : at + self.code_lengths[0]]
                self.unmapped.add(code)
                out.append("\ufffd")
                at += max(1, len(code))
        return "".join(out)


def _to_unicode(data: bytes) -> tuple[dict[bytes, str], tuple[int, ...]]:
    """(code → text, code lengths) from a ToUnicode CMap."""
    mapping: dict[bytes, str] = {}
    lengths: set[int] = set()
    for block in re.findall(rb"begincodespacerange(.*?)endcodespacerange", data, re.S):
        lengths |= {len(_hex(low)) for low in _HEX.findall(block)[::2]}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        items = _HEX.findall(block)
        for source, target in zip(items[::2], items[1::2]):
            mapping[_hex(source)] = _hex(target).decode("utf-16-be", errors="replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for found in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            low, high, target = _hex(found.group(1)), _hex(found.group(2)), found.group(3)
            first, last = int.from_bytes(low, "big"), int.from_bytes(high, "big")
            if target.startswith(b"["):
                for offset, item in enumerate(_HEX.findall(target)):
                    mapping[(first + offset).to_bytes(len(low), "big")] = _hex(item).decode("utf-16-be", errors="replace")
            else:
                base = _hex(target[1:-1])
                start = int.from_bytes(base, "big")
                for offset in range(last - first + 1):
                    code = (start + offset).to_bytes(len(base), "big")
                    mapping[(first + offset).to_bytes(len(low), "big")] = code.decode("utf-16-be", errors="replace")
    return mapping, tuple(sorted(lengths or {len(k) for k in mapping} or {1}))


def font_text(font: pikepdf.Dictionary) -> FontText:
    name = str(font.get("/BaseFont", "(namnlöst typsnitt)")).lstrip("/")
    descriptor = font.get("/FontDescriptor")
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts") or []
        descriptor = descendants[0].get("/FontDescriptor") if len(descendants) else None
    embedded = font.get("/Subtype") == "/Type3" or (
        descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    )
    stream = font.get("/ToUnicode")
    if isinstance(stream, pikepdf.Stream):
        mapping, lengths = _to_unicode(stream.read_bytes())
        return FontText(name, mapping, lengths, True, embedded)
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    latin = {bytes([code]): chr(code) for code in range(32, 256)} if width == 1 else {}
    return FontText(name, latin, (width,), False, embedded)


@dataclass
class PageContent:
    """One page's content by marked-content id: text, images, and what is marked or not."""

    number: int
    mcid_text: dict[int, str] = field(default_factory=dict)
    mcid_images: Counter[int] = field(default_factory=Counter)
    mcid_order: list[int] = field(default_factory=list)
    artifact_text: list[str] = field(default_factory=list)
    unmarked: Counter[str] = field(default_factory=Counter)  # "text", "image", "path"


def _marked(stack: list[tuple[str, int | None]]) -> tuple[bool, int | None]:
    """(inside an Artifact, innermost MCID) for the marked-content stack."""
    artifact = any(tag == "/Artifact" for tag, _ in stack)
    mcid = next((m for _, m in reversed(stack) if m is not None), None)
    return artifact, mcid


def read_page(page: pikepdf.Page, number: int, fonts: dict[tuple[int, int], FontText]) -> PageContent:
    content = PageContent(number)

    def font_for(resources: Any, name: Any) -> FontText | None:
        font = (resources.get("/Font") or {}).get(name) if resources is not None else None
        if font is None:
            return None
        key = font.objgen if font.is_indirect else (id(font), 0)
        if key not in fonts:
            fonts[key] = font_text(font)
        return fonts[key]

    def note(kind: str, stack: list[tuple[str, int | None]], text: str = "") -> None:
        artifact, mcid = _marked(stack)
        if artifact:
            if text:
                content.artifact_text.append(text)
        elif mcid is None:
            if kind != "text" or text.strip():
                content.unmarked[kind] += 1
        elif kind == "text":
            content.mcid_text[mcid] = content.mcid_text.get(mcid, "") + text
        elif kind == "image":
            content.mcid_images[mcid] += 1

    def run(owner: Any, resources: Any, stack: list[tuple[str, int | None]], depth: int = 0) -> None:
        font: FontText | None = None
        for operands, operator in pikepdf.parse_content_stream(owner):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                if isinstance(props, pikepdf.Name):
                    props = (resources.get("/Properties") or {}).get(props) or pikepdf.Dictionary()
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                stack.append((str(operands[0]), int(mcid) if mcid is not None else None))
                if mcid is not None and int(mcid) not in content.mcid_order:
                    content.mcid_order.append(int(mcid))
            elif op == "BMC":
                stack.append((str(operands[0]), None))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op == "Tf":
                font = font_for(resources, operands[0])
            elif op in _SHOW:
                pieces = [operands[-1]] if op != "TJ" else list(operands[0])
                text = " " if op in _NEW_LINE else ""
                for piece in pieces:
                    if isinstance(piece, pikepdf.String):
                        text += font.decode(bytes(piece)) if font else bytes(piece).decode("latin-1")
                    elif float(piece) < _WORD_GAP:
                        text += " "
                note("text", stack, text)
            elif op in _NEW_LINE:
                note("text", stack, " ")
            elif op == "Do":
                xobject = (resources.get("/XObject") or {}).get(operands[0]) if resources is not None else None
                if xobject is None:
                    continue
                if xobject.get("/Subtype") == "/Image":
                    note("image", stack)
                elif xobject.get("/Subtype") == "/Form" and depth < 10:
                    run(xobject, xobject.get("/Resources", resources), stack, depth + 1)
            elif op == "INLINE IMAGE":
                note("image", stack)
            elif op in _PAINT:
                note("path", stack)

    run(page, page.obj.get("/Resources"), [])
    return content


# -- the structure tree -------------------------------------------------------------


@dataclass
class Element:
    """One structure element: its role, standard type, content and children."""

    obj: pikepdf.Dictionary
    role: str
    std: str
    page: int | None
    parent: Element | None
    children: list[Element] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)  # (page number, MCID)
    annotations: list[pikepdf.Object] = field(default_factory=list)

    @property
    def alt(self) -> str:
        return str(self.obj.get("/Alt", "")).strip()

    def descendants(self) -> list[Element]:
        found = []
        for child in self.children:
            found += [child, *child.descendants()]
        return found

    def all_content(self) -> list[tuple[int, int]]:
        return [*self.content, *(c for child in self.children for c in child.all_content())]


def _standard(role: str, role_map: dict[str, str]) -> str:
    seen = set()
    while role in role_map and role not in seen:
        seen.add(role)
        role = role_map[role]
    return role


def read_structure(pdf: pikepdf.Pdf, page_numbers: dict[tuple[int, int], int]) -> tuple[list[Element], dict[str, str]]:
    """The top-level structure elements (under StructTreeRoot) and the role map."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return [], {}
    role_map = {str(k).lstrip("/"): str(v).lstrip("/") for k, v in (root.get("/RoleMap") or {}).items()}
    seen: set[tuple[int, int]] = set()

    def page_of(obj: Any) -> int | None:
        page = obj.get("/Pg") if isinstance(obj, pikepdf.Dictionary) else None
        return page_numbers.get(page.objgen) if page is not None else None

    def build(obj: pikepdf.Dictionary, parent: Element | None) -> Element | None:
        if obj.is_indirect:
            if obj.objgen in seen:
                return None
            seen.add(obj.objgen)
        role = str(obj.get("/S", "/?")).lstrip("/")
        element = Element(obj, role, _standard(role, role_map), page_of(obj), parent)
        kids = obj.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, int) or (not isinstance(kid, pikepdf.Dictionary) and not isinstance(kid, pikepdf.Array)):
                if element.page is not None and kid is not None:
                    element.content.append((element.page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                page = page_of(kid) or element.page
                if page is not None:
                    element.content.append((page, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                element.annotations.append(kid.get("/Obj"))
            else:
                child = build(kid, element)
                if child is not None:
                    element.children.append(child)
        return element

    kids = root.get("/K")
    tops = []
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        element = build(kid, None)
        if element is not None:
            tops.append(element)
    return tops, role_map


# -- the whole file --------------------------------------------------------------------


@dataclass
class PdfContent:
    """Everything the checks read from one PDF."""

    pdf: pikepdf.Pdf
    pages: list[PageContent]
    fonts: list[FontText]
    tops: list[Element]
    role_map: dict[str, str]
    outline: list[tuple[int, str]]
    xmp: etree._Element | None

    @property
    def elements(self) -> list[Element]:
        return [e for top in self.tops for e in (top, *top.descendants())]

    def text_of(self, element: Element) -> str:
        """The element's text in structure order, whitespace collapsed."""
        by_page = {p.number: p for p in self.pages}
        text = " ".join(by_page[p].mcid_text.get(m, "") for p, m in element.all_content() if p in by_page)
        return " ".join(text.split())

    def tagged_text(self) -> str:
        return " ".join(self.text_of(top) for top in self.tops)

    def page_text(self, number: int) -> str:
        """The tagged text of one page in painting order."""
        page = self.pages[number - 1]
        return " ".join(" ".join(page.mcid_text.get(m, "") for m in page.mcid_order).split())


def read_outline(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """Every bookmark as (depth, title), in order."""
    titles: list[tuple[int, str]] = []

    def walk(items: Any, depth: int) -> None:
        for item in items:
            titles.append((depth, str(item.title)))
            walk(item.children, depth + 1)

    if "/Outlines" in pdf.Root:
        walk(pdf.open_outline().root, 0)
    return titles


def read_xmp(pdf: pikepdf.Pdf) -> etree._Element | None:
    stream = pdf.Root.get("/Metadata")
    if stream is None:
        return None
    data = stream.read_bytes()
    try:
        return etree.fromstring(data.strip().split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0]) if b"<?xpacket" in data else etree.fromstring(data)
    except (etree.XMLSyntaxError, IndexError):
        return None


def read_pdf(pdf: pikepdf.Pdf | Path) -> PdfContent:
    """Read ``pdf`` (an open pikepdf.Pdf, or a path) into :class:`PdfContent`."""
    if not isinstance(pdf, pikepdf.Pdf):
        pdf = pikepdf.open(pdf)
    numbers = {page.obj.objgen: index + 1 for index, page in enumerate(pdf.pages)}
    fonts: dict[tuple[int, int], FontText] = {}
    pages = [read_page(page, index + 1, fonts) for index, page in enumerate(pdf.pages)]
    tops, role_map = read_structure(pdf, numbers)
    return PdfContent(pdf, pages, list(fonts.values()), tops, role_map, read_outline(pdf), read_xmp(pdf))
