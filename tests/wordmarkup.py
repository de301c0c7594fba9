"""Edit a rendered .docx the way Word writes edits (tests only): tracked insertions and deletions with
authors, comments, Enter inside a paragraph, a new list item, bold on a word, a new table row.

Paragraphs are found by the start of their text. Each function takes and returns .docx bytes.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DATE = "2024-03-01T10:00:00Z"
_ids = iter(range(900, 10_000))


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(q("t")))


def _edit(data: bytes, change: Callable[[etree._Element, dict[str, bytes]], None]) -> bytes:
    package = zipfile.ZipFile(io.BytesIO(data))
    members = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(members["word/document.xml"])
    change(root, members)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def paragraph(root: etree._Element, start: str) -> etree._Element:
    for p in root.iter(q("p")):
        if text_of(p).startswith(start):
            return p
    raise AssertionError(f"no paragraph starts with {start!r}")


def _run(text: str, props: etree._Element | None = None, deleted: bool = False) -> etree._Element:
    r = etree.Element(q("r"))
    if props is not None:
        r.append(copy.deepcopy(props))
    t = etree.SubElement(r, q("delText" if deleted else "t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


def _split_at(p: etree._Element, word: str) -> tuple[etree._Element, int, etree._Element | None]:
    """Split the run holding ``word`` so that ``word`` is a run of its own; return (run, index, props)."""
    for r in p.iter(q("r")):
        t = r.find(q("t"))
        if t is None or word not in (t.text or ""):
            continue
        before, after = t.text.split(word, 1)
        props = r.find(q("rPr"))
        parent, at = r.getparent(), r.getparent().index(r)
        parent.remove(r)
        pieces = [x for x in (before, word, after) if x]
        for k, piece in enumerate(pieces):
            parent.insert(at + k, _run(piece, props))
        middle = parent[at + (1 if before else 0)]
        return middle, parent.index(middle), props
    raise AssertionError(f"{word!r} not in {text_of(p)!r}")


def _mark(kind: str, author: str) -> etree._Element:
    el = etree.Element(q(kind))
    el.set(q("id"), str(next(_ids)))
    el.set(q("author"), author)
    el.set(q("date"), DATE)
    return el


def tracked_insert(data: bytes, start: str, before_word: str, text: str, author: str) -> bytes:
    """``text`` inserted (tracked) in front of ``before_word``."""
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        run, index, props = _split_at(paragraph(root, start), before_word)
        ins = _mark("ins", author)
        ins.append(_run(text, props))
        run.addprevious(ins)
    return _edit(data, change)


def tracked_delete(data: bytes, start: str, word: str, author: str) -> bytes:
    """``word`` deleted (tracked)."""
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        run, index, props = _split_at(paragraph(root, start), word)
        deleted = _mark("del", author)
        deleted.append(_run(word, props, deleted=True))
        run.addprevious(deleted)
        run.getparent().remove(run)
    return _edit(data, change)


def comment(data: bytes, start: str, word: str, author: str, remark: str) -> bytes:
    """A comment by ``author`` anchored to ``word``."""
    def change(root: etree._Element, members: dict[str, bytes]) -> None:
        run, index, _ = _split_at(paragraph(root, start), word)
        cid = str(next(_ids))
        begin = etree.Element(q("commentRangeStart"))
        begin.set(q("id"), cid)
        end = etree.Element(q("commentRangeEnd"))
        end.set(q("id"), cid)
        run.addprevious(begin)
        run.addnext(end)
        ref = etree.Element(q("r"))
        etree.SubElement(ref, q("commentReference")).set(q("id"), cid)
        end.addnext(ref)
        comments = etree.Element(q("comments"), nsmap={"w": W})
        c = etree.SubElement(comments, q("comment"))
        for key, value in (("id", cid), ("author", author), ("date", DATE), ("initials", author[:2])):
            c.set(q(key), value)
        etree.SubElement(c, q("p")).append(_run(remark))
        members["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8")
        ct = etree.fromstring(members["[Content_Types].xml"])
        etree.SubElement(ct, "{http://schemas.openxmlformats.org/package/2006/content-types}Override",
                         PartName="/word/comments.xml",
                         ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
        members["[Content_Types].xml"] = etree.tostring(ct)
        rels = etree.fromstring(members["word/_rels/document.xml.rels"])
        etree.SubElement(rels, "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship",
                         Id="rIdComments", Target="comments.xml",
                         Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments")
        members["word/_rels/document.xml.rels"] = etree.tostring(rels)
    return _edit(data, change)


def press_enter(data: bytes, start: str, before_word: str) -> bytes:
    """The paragraph split in two in front of ``before_word`` (Enter, not tracked)."""
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        p = paragraph(root, start)
        run, index, _ = _split_at(p, before_word)
        second = etree.Element(q("p"))
        if p.find(q("pPr")) is not None:
            second.append(copy.deepcopy(p.find(q("pPr"))))
        for r in list(p)[index:]:
            second.append(r)
        first_text = run.getprevious()
        if first_text is not None and first_text.find(q("t")) is not None:
            first_text.find(q("t")).text = first_text.find(q("t")).text.rstrip()
        p.addnext(second)
    return _edit(data, change)


def new_paragraph_after(data: bytes, start: str, text: str, style: str | None = None) -> bytes:
    """A paragraph typed after the one starting with ``start``, in its style unless ``style`` is given."""
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        p = paragraph(root, start)
        new = etree.Element(q("p"))
        if style is not None:
            etree.SubElement(etree.SubElement(new, q("pPr")), q("pStyle")).set(q("val"), style)
        elif p.find(q("pPr")) is not None:
            new.append(copy.deepcopy(p.find(q("pPr"))))
        new.append(_run(text))
        p.addnext(new)
    return _edit(data, change)


def delete_paragraph(data: bytes, start: str) -> bytes:
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        p = paragraph(root, start)
        p.getparent().remove(p)
    return _edit(data, change)


def move_paragraph_before(data: bytes, start: str, before: str) -> bytes:
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        p = paragraph(root, start)
        p.getparent().remove(p)
        paragraph(root, before).addprevious(p)
    return _edit(data, change)


def replace_text(data: bytes, start: str, old: str, new: str) -> bytes:
    """An untracked edit inside one run."""
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        for t in paragraph(root, start).iter(q("t")):
            if old in (t.text or ""):
                t.text = t.text.replace(old, new, 1)
                return
        raise AssertionError(old)
    return _edit(data, change)


def bold(data: bytes, start: str, word: str) -> bytes:
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        run, _, _ = _split_at(paragraph(root, start), word)
        props = run.find(q("rPr"))
        if props is None:
            props = etree.Element(q("rPr"))
            run.insert(0, props)
        etree.SubElement(props, q("b"))
    return _edit(data, change)


def add_table_row(data: bytes, cell_start: str, texts: list[str]) -> bytes:
    """A row copied from the one holding ``cell_start``, with ``texts`` in its cells."""
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        row = paragraph(root, cell_start).getparent().getparent()
        new = copy.deepcopy(row)
        for tc, text in zip(new.iterfind(q("tc")), texts):
            for t in tc.iter(q("t")):
                t.text = ""
            next(tc.iter(q("t"))).text = text
        row.addnext(new)
    return _edit(data, change)


def tracked_move(data: bytes, start: str, before: str, author: str) -> bytes:
    """The paragraph moved in front of another one with Word's tracked move (w:moveFrom / w:moveTo)."""
    def change(root: etree._Element, _: dict[str, bytes]) -> None:
        p = paragraph(root, start)
        copy_of = copy.deepcopy(p)
        for original, kind in ((p, "moveFrom"), (copy_of, "moveTo")):
            runs = original.findall(q("r"))
            wrapper = _mark(kind, author)
            runs[0].addprevious(wrapper)
            for r in runs:
                wrapper.append(r)
            props = original.find(q("pPr"))
            if props is None:
                props = etree.Element(q("pPr"))
                original.insert(0, props)
            mark = props.find(q("rPr"))
            if mark is None:
                mark = etree.SubElement(props, q("rPr"))
            mark.append(_mark(kind, author))
        paragraph(root, before).addprevious(copy_of)
    return _edit(data, change)
