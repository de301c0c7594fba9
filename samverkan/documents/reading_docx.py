"""Blocks from a Word document (.docx) that samverkan did not write.

Roles come from what Word itself knows: a paragraph is a heading when its
style (or a style it is based on) is a heading style or has an outline
level, a list item when it has Word numbering (directly or through its
style, e.g. "List Bullet") or starts with a typed "•"/"1.", and a table
cell by its place in the table. Numbered labels are counted as Word counts
them ("1.", "2.", "a)"), so numbered focus areas keep their numbers.
Footnotes follow the body as ``note`` blocks. Headers and footers are left
out: they repeat on every page and are not the agreement's text.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import ReadError
from .reading import Block, ReadDocument, split_label, tidy

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el: etree._Element | None, attr: str = "val") -> str | None:
    return None if el is None else el.get(w(attr))


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None  # (numId, ilvl)
    bold: bool


def _styles(root: etree._Element | None) -> dict[str, _Style]:
    found: dict[str, _Style] = {}
    if root is None:
        return found
    for style in root.iter(w("style")):
        ppr = style.find(w("pPr"))
        outline = _val(ppr.find(w("outlineLvl"))) if ppr is not None else None
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        num = None
        if numpr is not None and _val(numpr.find(w("numId"))):
            num = (_val(numpr.find(w("numId"))) or "0", int(_val(numpr.find(w("ilvl"))) or 0))
        rpr = style.find(w("rPr"))
        bold = rpr is not None and rpr.find(w("b")) is not None and _val(rpr.find(w("b"))) not in ("0", "false")
        found[style.get(w("styleId")) or ""] = _Style(
            name=(_val(style.find(w("name"))) or "").lower(),
            based_on=_val(style.find(w("basedOn"))),
            outline=int(outline) if outline and outline.isdigit() else None,
            num=num,
            bold=bold,
        )
    return found


_HEADING_NAME = re.compile(r"^(heading|rubrik|överskrift)\s*([1-9])$")


@dataclass
class _Numbering:
    """Word's list definitions and the counters of the lists read so far."""

    formats: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)  # (numId, ilvl) → (fmt, text, start)
    abstract_of: dict[str, str] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def parse(cls, root: etree._Element | None) -> _Numbering:
        numbering = cls()
        if root is None:
            return numbering
        levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        for abstract in root.iter(w("abstractNum")):
            key = abstract.get(w("abstractNumId")) or ""
            for lvl in abstract.iter(w("lvl")):
                start = _val(lvl.find(w("start")))
                levels.setdefault(key, {})[int(lvl.get(w("ilvl")) or 0)] = (
                    _val(lvl.find(w("numFmt"))) or "decimal",
                    _val(lvl.find(w("lvlText"))) or "",
                    int(start) if start and start.lstrip("-").isdigit() else 1,
                )
        for num in root.iter(w("num")):
            num_id = num.get(w("numId")) or ""
            abstract_id = _val(num.find(w("abstractNumId"))) or ""
            numbering.abstract_of[num_id] = abstract_id
            for ilvl, spec in levels.get(abstract_id, {}).items():
                numbering.formats[num_id, ilvl] = spec
            for override in num.iter(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl")) or 0)
                start = _val(override.find(w("startOverride")))
                if start and start.isdigit() and (num_id, ilvl) in numbering.formats:
                    fmt, text, _ = numbering.formats[num_id, ilvl]
                    numbering.formats[num_id, ilvl] = (fmt, text, int(start))
        return numbering

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The label Word shows for the next paragraph of this list, or None when it has none."""
        spec = self.formats.get((num_id, ilvl))
        if spec is None or num_id == "0":
            return None
        fmt, text, _ = spec
        if fmt == "bullet":
            return tidy(text) or "•"
        if fmt == "none":
            return None
        key = self.abstract_of.get(num_id, num_id)
        counts = self.counters.setdefault(key, [])
        while len(counts) <= ilvl:
            level_spec = self.formats.get((num_id, len(counts)))
            counts.append((level_spec[2] if level_spec else 1) - 1)
        counts[ilvl] += 1
        del counts[ilvl + 1:]

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counts[level] if level < len(counts) else 1
            level_fmt = (self.formats.get((num_id, level)) or spec)[0]
            return _format_number(value, level_fmt)

        return re.sub(r"%([1-9])", number, text).strip() or None


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26]
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, rest = "", value
        for size, numeral in numerals:
            while rest >= size:
                out, rest = out + numeral, rest - size
        return out.upper() if fmt == "upperRoman" else out
    return str(value)


class _Reader:
    def __init__(self, package: zipfile.ZipFile, path: Path) -> None:
        self.path = path
        self.package = package
        self.styles = _styles(self._xml("word/styles.xml"))
        self.numbering = _Numbering.parse(self._xml("word/numbering.xml"))
        self.links = self._relationships()
        self.blocks: list[Block] = []
        self.tables = 0
        self.notes: dict[str, str] = {}

    def _xml(self, name: str) -> etree._Element | None:
        if name not in self.package.namelist():
            return None
        try:
            return etree.fromstring(self.package.read(name), etree.XMLParser(resolve_entities=False, huge_tree=False))
        except etree.XMLSyntaxError as e:
            raise ReadError(f"{self.path}: Word-filens del {name} är skadad ({e}) – öppna och spara filen i Word igen") from None

    def _relationships(self) -> dict[str, str]:
        rels = self._xml("word/_rels/document.xml.rels")
        if rels is None:
            return {}
        return {r.get("Id") or "": r.get("Target") or "" for r in rels if r.get("TargetMode") == "External"}

    # -- styles -------------------------------------------------------------------------

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            chain.append(self.styles[style_id])
            style_id = chain[-1].based_on
        return chain

    def _role(self, p: etree._Element) -> tuple[str, int, tuple[str, int] | None, bool]:
        """(kind, heading level, (numId, ilvl) or None, style bold) of a paragraph."""
        ppr = p.find(w("pPr"))
        chain = self._chain(_val(ppr.find(w("pStyle"))) if ppr is not None else None) or self._chain("Normal")
        names = [s.name for s in chain]
        outline = _val(ppr.find(w("outlineLvl"))) if ppr is not None else None
        level = int(outline) + 1 if outline and outline.isdigit() and int(outline) < 9 else None
        for style in chain:
            if level is None and style.outline is not None and style.outline < 9:
                level = style.outline + 1
            found = _HEADING_NAME.match(style.name)
            if level is None and found:
                level = int(found.group(2))
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        num = None
        if numpr is not None and numpr.find(w("numId")) is not None:
            ilvl = _val(numpr.find(w("ilvl")))
            num = (_val(numpr.find(w("numId"))) or "0", int(ilvl) if ilvl and ilvl.isdigit() else 0)
        else:
            num = next((s.num for s in chain if s.num), None)
        bold = any(s.bold for s in chain)
        if names and names[0] in ("title", "rubrik"):
            return "title", 0, num, bold
        if level is not None:
            return "heading", level, num, bold
        return "paragraph", 0, num, bold

    # -- text -------------------------------------------------------------------------

    def _text(self, p: etree._Element) -> tuple[str, bool, list[tuple[str, str]]]:
        """A paragraph's visible text, whether all of it is bold, and its links."""
        parts: list[str] = []
        bold_chars = plain_chars = 0
        links: list[tuple[str, str]] = []
        for node in p.iter():
            tag = node.tag
            if tag == w("hyperlink"):
                target = self.links.get(node.get(f"{{{R}}}id") or "", "")
                text = "".join(t.text or "" for t in node.iter(w("t")))
                if target and text.strip():
                    links.append((tidy(text), target))
                continue
            if tag not in (w("t"), w("tab"), w("br"), w("cr"), w("noBreakHyphen"), w("sym"), w("footnoteReference")):
                continue
            if any(a.tag in (w("txbxContent"), f"{{{MC}}}Fallback", w("del")) for a in node.iterancestors()):
                continue  # text boxes are blocks of their own; Fallback repeats Choice
            run = next((a for a in node.iterancestors() if a.tag == w("r")), None)
            if run is not None and self._hidden(run):
                continue
            if tag == w("t"):
                piece = node.text or ""
            elif tag == w("tab"):
                piece = "\t"
            elif tag in (w("br"), w("cr")):
                piece = "" if node.get(w("type")) == "page" else "\n"
            elif tag == w("noBreakHyphen"):
                piece = "-"
            elif tag == w("footnoteReference"):
                piece = f"[{node.get(w('id'))}]" if node.get(w("id")) in self.notes else ""
            else:
                code = node.get(w("char")) or ""
                piece = chr(int(code, 16)) if re.fullmatch(r"[0-9A-Fa-f]{2,4}", code) else ""
            parts.append(piece)
            if piece.strip() and run is not None:
                if self._bold(run):
                    bold_chars += len(piece.strip())
                else:
                    plain_chars += len(piece.strip())
        return tidy("".join(parts)), bold_chars > 0 and plain_chars == 0, links

    @staticmethod
    def _hidden(run: etree._Element) -> bool:
        rpr = run.find(w("rPr"))
        vanish = rpr.find(w("vanish")) if rpr is not None else None
        return vanish is not None and _val(vanish) not in ("0", "false")

    def _bold(self, run: etree._Element) -> bool:
        rpr = run.find(w("rPr"))
        b = rpr.find(w("b")) if rpr is not None else None
        if b is not None:
            return _val(b) not in ("0", "false")
        style = _val(rpr.find(w("rStyle"))) if rpr is not None else None
        return any(s.bold for s in self._chain(style))

    # -- blocks -------------------------------------------------------------------------

    def paragraph(self, p: etree._Element, cell: tuple[int, int, int] | None = None) -> Block | None:
        kind, level, num, style_bold = self._role(p)
        text, bold, links = self._text(p)
        label = self.numbering.label(*num) if num else None
        for box in p.iter(w("txbxContent")):
            if not any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
                self.body(box)
        if not text:
            return None
        bold = bold or (style_bold and kind == "paragraph")
        if cell:
            return Block("cell", text, label=label or "", bold=bold, table=cell[0], row=cell[1], col=cell[2], links=tuple(links))
        if kind == "paragraph" and label is None:
            typed, rest = split_label(text)
            if typed and rest:
                label, text = typed, rest
        if kind == "paragraph" and label is not None:
            return Block("item", text, level=num[1] if num else 0, label=label, bold=bold, links=tuple(links))
        return Block(kind, text, level=level, label=label or "", bold=bold, links=tuple(links))

    def table(self, tbl: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        for r, tr in enumerate(tbl.findall(w("tr"))):
            col = 0
            for tc in tr.findall(w("tc")):
                tcpr = tc.find(w("tcPr"))
                span = _val(tcpr.find(w("gridSpan"))) if tcpr is not None else None
                merge = tcpr.find(w("vMerge")) if tcpr is not None else None
                if merge is None or _val(merge) == "restart":
                    texts, links = [], []
                    for child in tc:
                        if child.tag == w("p"):
                            block = self.paragraph(child, (index, r, col))
                            if block:
                                texts.append(f"{block.label} {block.text}".strip() if block.label else block.text)
                                links += block.links
                        elif child.tag == w("tbl"):
                            self.table(child)
                    if texts:
                        self.blocks.append(Block("cell", "\n".join(texts), table=index, row=r, col=col, links=tuple(links)))
                col += int(span) if span and span.isdigit() else 1

    def body(self, container: etree._Element) -> None:
        for child in container:
            if child.tag == w("p"):
                block = self.paragraph(child)
                if block:
                    self.blocks.append(block)
            elif child.tag == w("tbl"):
                self.table(child)
            elif child.tag in (w("sdt"), w("customXml"), w("sdtContent")):
                self.body(child.find(w("sdtContent")) if child.tag == w("sdt") and child.find(w("sdtContent")) is not None else child)

    def footnotes(self) -> list[Block]:
        notes = []
        for part in ("word/footnotes.xml", "word/endnotes.xml"):
            root = self._xml(part)
            if root is None:
                continue
            for note in root:
                kind = note.get(w("type"))
                if kind in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = " ".join(t for t in (self._text(p)[0] for p in note.iter(w("p"))) if t)
                if text:
                    number = note.get(w("id")) or ""
                    self.notes[number] = text
                    notes.append(Block("note", text, label=number))
        return notes


def read_docx(path: Path) -> ReadDocument:
    """Read a .docx into blocks (see the module docstring)."""
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ReadError(f"{path}: filen är inte ett Word-dokument (.docx) som går att läsa ({e}) – "
                        "öppna den i Word och spara den som .docx igen") from None
    with package:
        reader = _Reader(package, path)
        document = reader._xml("word/document.xml")
        if document is None or document.find(w("body")) is None:
            raise ReadError(f"{path}: Word-dokumentet saknar innehåll (word/document.xml) – spara filen i Word igen")
        notes = reader.footnotes()
        reader.body(document.find(w("body")))
        core = reader._xml("docProps/core.xml")
    title = None
    if core is not None:
        found = core.find("{http://purl.org/dc/elements/1.1/}title")
        title = tidy(found.text) if found is not None and found.text and found.text.strip() else None
    blocks = reader.blocks + notes
    if not blocks:
        raise ReadError(f"{path}: Word-dokumentet innehåller ingen text att läsa")
    return ReadDocument(path, "docx", title, tuple(blocks))


__all__ = ["read_docx"]
