"""Make the import test documents: real published medborgarlöften as a kommun publishes them.

Each file in ``sources/`` holds the text of one published medborgarlöfte,
word for word from the public page named on its ``@source:`` line (typos
kept), marked up with a few line prefixes:

    # Titel               the document title (Word style Title)
    ## Rubrik             Heading 1;  ### Heading 2
    **Fet rad**           a paragraph in bold (how many kommuner write "Polisen lovar att:")
    - punkt / 1. punkt    a bulleted / numbered list item (Word numbering, no typed label)
    | a | b |             a table row (signature blocks)
    other lines           a paragraph; a blank line separates paragraphs

and ``@`` options: ``@header:``/``@footer:`` (running header, footer with
"Sida N av M"), ``@bullets:`` how the lists are made (``style``: the List
Bullet style; ``numpr``: List Paragraph with direct numbering, as Word does
when you press the bullet button; ``manual``: a typed "•" and a tab), and
``@cover:`` a title page (title and this line) before a page break.

For each source this writes ``documents/<name>.docx`` (python-docx), and
with LibreOffice ``documents/<name>.pdf`` (tagged PDF, as LibreOffice exports
it by default for accessibility) and ``documents/<name>-otaggad.pdf``
(the same export without tags, like most older PDFs on kommun websites).

Run from the repository root:  .venv/bin/python tests/imported/make_documents.py
The documents are committed, so the tests do not need LibreOffice for them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
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


def build_docx(options: dict[str, str], lines: list[str], target: Path) -> None:
    document = Document()
    document.core_properties.title = next((x[2:] for x in lines if x.startswith("# ")), "")
    document.core_properties.author = f"{options['kommun']}s kommun" if not options["kommun"].endswith("s") else options["kommun"]
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(11)
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
    bullets = options.get("bullets", "style")
    num_id = _bullet_numbering(document) if bullets == "numpr" else 0
    table = None
    for line in lines:
        if not line.strip():
            table = None
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
            if bullets == "manual":
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
            document.add_paragraph(line)
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
    for source in sorted(SOURCES.glob("*.txt")):
        options, lines = parse(source)
        target = OUT / f"{source.stem}.docx"
        build_docx(options, lines, target)
        made.append(target)
    export_pdfs(made)
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(HERE.parent.parent))


if __name__ == "__main__":
    main()
