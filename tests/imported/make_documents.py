"""Make the import test documents: real published medborgarlöften as a kommun publishes them.

Each file in ``sources/`` holds the text of one published medborgarlöfte,
word for word from the public page named on its ``@source:`` line (typos
kept), marked up with a few line prefixes:

    # Titel               the document title (Word style Title)
    ## Rubrik             Heading 1;  ### Heading 2
    **Fet rad**           a paragraph in bold (how many kommuner write "Polisen lovar att:")
    text[^1] / [^1]: not  a Word footnote and its text
    - punkt / 1. punkt    a bulleted / numbered list item (Word numbering, no typed label)
    | a | b |             a table row (signature blocks)
    other lines           a paragraph; a blank line separates paragraphs

and ``@`` options: ``@header:``/``@footer:`` (running header, footer with
"Sida N av M"), ``@bullets:`` how the lists are made (``style``: the List
Bullet style; ``numpr``: List Paragraph with direct numbering, as Word does
when you press the bullet button; ``manual``: a typed "•" and a tab; ``none``: each point a
paragraph of its own, without a bullet), and
``@cover:`` a title page (title and this line) before a page break,
``@headings: bold`` for a document written without heading styles (the
title and headings are bold paragraphs, the title in a larger size, as many
kommuner write them), and
``@align: justify`` for justified body text (wide, uneven word gaps) and
``@size:`` the body text size in points (large print runs over several pages).

For each source this writes ``documents/<name>.docx`` (python-docx), and
with LibreOffice ``documents/<name>.pdf`` (tagged PDF, as LibreOffice exports
it by default for accessibility) and ``documents/<name>-otaggad.pdf``
(the same export without tags, like most older PDFs on kommun websites).

Run from the repository root:  .venv/bin/python tests/imported/make_documents.py [NAME ...]
(only the named sources when names are given).
The documents are committed, so the tests do not need LibreOffice for them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUT = HERE / "documents"


def parse(path: Path) -> tuple[dict[str, str], list[str]]:
    options, lines = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("@"):
            key, _, value = line[1:].partition(":")
            options[key.strip()] = value.strip()
        else:
            lines.append(line)
    return options, lines


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) whose result Word and LibreOffice compute."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _bullet_numbering(document) -> int:
    """A bullet list definition like Word's own, for List Paragraph + numPr."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for level in range(3):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:lvlText", "•–▪"[level]), ("w:lvlJc", "left")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            lvl.append(el)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(720 * (level + 1)))
        ind.set(qn("w:hanging"), "360")
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return 90


def _numpr(paragraph, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", num_id)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(value))
        numpr.append(el)
    ppr.append(numpr)


_NOTE_REF = re.compile(r"\[\^(\d+)\]")


def _footnotes(document, notes: dict[str, str]) -> None:
    """A footnotes part with these notes, as Word writes one (separators first)."""
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for number, text in notes.items():
        body.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {ns}>{"".join(body)}</w:footnotes>'
    if "footnote text" not in [st.name.lower() for st in document.styles]:
        style = document.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), "FootnoteText")
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(9)
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _text(paragraph, text: str) -> None:
    """Runs for ``text``, with a footnote reference wherever it says [^n]."""
    for n, piece in enumerate(_NOTE_REF.split(text)):
        if n % 2 == 0:
            if piece:
                paragraph.add_run(piece)
            continue
        run = paragraph.add_run()
        rpr = OxmlElement("w:rPr")
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        rpr.append(align)
        run._r.append(rpr)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), piece)
        run._r.append(ref)


def build_docx(options: dict[str, str], lines: list[str], target: Path) -> None:
    document = Document()
    notes = {m.group(1): m.group(2) for m in (re.match(r"^\[\^(\d+)\]: (.*)$", x) for x in lines) if m}
    lines = [x for x in lines if not re.match(r"^\[\^\d+\]: ", x)]
    if notes:
        _footnotes(document, notes)
    document.core_properties.title = next((x[2:] for x in lines if x.startswith("# ")), "")
    document.core_properties.author = f"{options['kommun']}s kommun" if not options["kommun"].endswith("s") else options["kommun"]
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(float(options.get("size", "11")))
    if "size" in options:  # large print: the headings grow with the text
        for name, factor in (("Title", 2.3), ("Heading 1", 1.3), ("Heading 2", 1.15)):
            document.styles[name].font.size = Pt(round(float(options["size"]) * factor))
    section = document.sections[0]
    section.page_height, section.page_width = 10692130, 7560310  # A4 in EMU
    if options.get("header"):
        section.header.paragraphs[0].text = options["header"]
    if options.get("footer"):
        footer = section.footer.paragraphs[0]
        footer.add_run(options["footer"] + "\tSida ")
        _field(footer, "PAGE")
        footer.add_run(" av ")
        _field(footer, "NUMPAGES")
    if options.get("align") == "justify":
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    bullets = options.get("bullets", "style")
    num_id = _bullet_numbering(document) if bullets == "numpr" else 0
    table = None
    plain = options.get("headings") == "bold"
    for line in lines:
        if not line.strip():
            table = None
            continue
        if plain and re.match(r"^#{1,3} ", line):  # no heading styles: a bold paragraph, the title larger
            run = document.add_paragraph().add_run(line.lstrip("#").strip())
            run.bold = True
            if line.startswith("# "):
                run.font.size = Pt(18)
            continue
        if line.startswith("| "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table is None:
                table = document.add_table(rows=0, cols=len(cells))
            row = table.add_row()
            for cell, text in zip(row.cells, cells):
                cell.paragraphs[0].text = text
            continue
        table = None
        if line.startswith("# "):
            document.add_paragraph(line[2:], style="Title")
            if options.get("cover"):
                document.add_paragraph(options["cover"], style="Subtitle")
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif line.startswith("### "):
            document.add_heading(line[4:], level=2)
        elif line.startswith("## "):
            document.add_heading(line[3:], level=1)
        elif line.startswith("**") and line.endswith("**"):
            document.add_paragraph().add_run(line[2:-2]).bold = True
        elif line.lstrip().startswith("- "):
            level = (len(line) - len(line.lstrip())) // 2
            text = line.lstrip()[2:]
            if bullets == "none":  # the points written as paragraphs of their own, without bullets
                document.add_paragraph(text)
            elif bullets == "manual":
                p = document.add_paragraph(f"•\t{text}")
                p.paragraph_format.left_indent = Pt(18 * (level + 1))
                p.paragraph_format.first_line_indent = Pt(-18)
            elif bullets == "numpr":
                _numpr(document.add_paragraph(text, style="List Paragraph"), num_id, level)
            else:
                document.add_paragraph(text, style="List Bullet" if level == 0 else "List Bullet 2")
        elif line.startswith("1. "):
            document.add_paragraph(line[3:], style="List Number")
        else:
            _text(document.add_paragraph(), line)
    document.save(target)


def export_pdfs(docx_files: list[Path]) -> None:
    """Tagged and untagged PDF exports of each .docx, with a throwaway LibreOffice profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) behövs för att skapa PDF-filerna")
    for tagged in (True, False):
        options = {"UseTaggedPDF": {"type": "boolean", "value": str(tagged).lower()}}
        with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                 f"pdf:writer_pdf_Export:{json.dumps(options)}", "--outdir", out, *map(str, docx_files)],
                check=True, capture_output=True, timeout=300,
            )
            for docx in docx_files:
                name = docx.stem if tagged else f"{docx.stem}-otaggad"
                shutil.move(Path(out) / f"{docx.stem}.pdf", OUT / f"{name}.pdf")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    made = []
    names = set(sys.argv[1:])
    for source in sorted(SOURCES.glob("*.txt")):
        if names and source.stem not in names:
            continue
        options, lines = parse(source)
        target = OUT / f"{source.stem}.docx"
        build_docx(options, lines, target)
        made.append(target)
    export_pdfs(made)
    for path in sorted(OUT.iterdir()):
        if not names or path.stem.removesuffix("-otaggad") in names:
            print(path.relative_to(HERE.parent.parent))


if __name__ == "__main__":
    main()
