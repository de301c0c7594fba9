"""Build the Word templates in this folder from code, so they are reproducible.

    .venv/bin/python templates/build_templates.py

writes ``overenskommelse.docx`` (the full samverkansöverenskommelse) and
``medborgarlofte.docx`` (the standalone medborgarlöfte). Both are ordinary
docxtpl templates: a kommun may open them in Word, change fonts, margins,
logos or wording, and pass the result with ``samverkan render --template``.
The variables they may use are listed in docs/template-reference.md.

Layout: A4 with 2.5 cm margins, Arial (LibreOffice uses the metric-compatible
Liberation Sans), document language sv-SE in the style defaults, real heading
styles (so PDF bookmarks and tags follow), a header with the kommun and the
lokalpolisområde, and a footer with "Sida X av Y" and the version code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips

from samverkan.documents.links import PENDING_LINK
from samverkan.documents.render import normalise_docx

HERE = Path(__file__).resolve().parent
FONT = "Arial"
LANG = "sv-SE"
TEXT_COLOR = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
DRAFT_RED = RGBColor(0xB0, 0x00, 0x20)
LINK_COLOR = RGBColor(0x0B, 0x4F, 0x9C)  # as on the web page; 8:1 against white
A4 = (Twips(11906), Twips(16838))
MARGIN = Cm(2.5)
TEXT_WIDTH = Twips(11906 - 2 * 1417)


# -- styles -----------------------------------------------------------------


def _fonts(rpr: object) -> None:
    """Replace theme fonts by Arial in one w:rPr."""
    for old in rpr.findall(qn("w:rFonts")):  # type: ignore[attr-defined]
        rpr.remove(old)  # type: ignore[attr-defined]
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style_ref = rpr.find(qn("w:rStyle"))  # type: ignore[attr-defined]
    rpr.insert(0 if style_ref is None else 1, fonts)  # type: ignore[attr-defined]


def setup_styles(document: docx.document.Document) -> None:
    styles = document.styles
    root = styles.element
    # Defaults for every run: Arial, 11 pt, Swedish.
    default_rpr = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(default_rpr)
    lang = default_rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    lang.set(qn("w:bidi"), "ar-SA")
    # No theme fonts or theme colours anywhere: what Word shows is what LibreOffice prints.
    for rpr in root.iter(qn("w:rPr")):
        if rpr.find(qn("w:rFonts")) is not None:
            _fonts(rpr)
        for color in rpr.findall(qn("w:color")):
            rpr.remove(color)

    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.font.color.rgb = TEXT_COLOR
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    title = styles["Title"]
    title.font.size = Pt(26)
    title.font.bold = True
    title.font.color.rgb = ACCENT
    title.paragraph_format.space_before = Pt(96)
    title.paragraph_format.space_after = Pt(18)
    _outline_level(title, 0)
    subtitle = styles["Subtitle"]
    subtitle.font.size = Pt(14)
    subtitle.font.italic = False
    subtitle.font.color.rgb = TEXT_COLOR
    subtitle.paragraph_format.space_after = Pt(24)
    for spacing in subtitle.element.rPr.findall(qn("w:spacing")):
        subtitle.element.rPr.remove(spacing)

    for level, size, before in ((1, 18, 18), (2, 14, 14), (3, 12, 10), (4, 11, 8)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True

    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number"):
        styles[name].paragraph_format.space_after = Pt(3)
        # An item is never split over two pages: its continuation would start the next page without its
        # bullet, and text extraction (poppler) reads the next item's bullet into the middle of it.
        styles[name].paragraph_format.keep_together = True
    setup_bullets(document)

    numbered = styles.add_style("Numrerad punkt", WD_STYLE_TYPE.PARAGRAPH)
    numbered.style_id = "Numreradpunkt"
    numbered.base_style = normal
    numbered.paragraph_format.left_indent = Cm(0.75)
    numbered.paragraph_format.first_line_indent = Cm(-0.75)
    numbered.paragraph_format.space_after = Pt(3)
    numbered.paragraph_format.tab_stops.add_tab_stop(Cm(0.75))

    lead = styles.add_style("Ingress", WD_STYLE_TYPE.PARAGRAPH)
    lead.base_style = normal
    lead.font.bold = True
    lead.paragraph_format.space_before = Pt(6)
    lead.paragraph_format.space_after = Pt(3)
    lead.paragraph_format.keep_with_next = True

    info = styles.add_style("Informationsruta", WD_STYLE_TYPE.PARAGRAPH)
    info.base_style = normal
    _border(info.element.get_or_add_pPr(), "1F3A5F", "8")
    info.font.italic = True
    info.paragraph_format.space_after = Pt(12)

    foot_text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    foot_text.style_id = "FootnoteText"
    foot_text.base_style = normal
    foot_text.font.size = Pt(9)
    foot_text.paragraph_format.space_after = Pt(0)
    foot_text.paragraph_format.line_spacing = 1.0
    foot_ref = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    foot_ref.style_id = "FootnoteReference"
    foot_ref.font.superscript = True

    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.size = Pt(9)
        tabs = style.paragraph_format.tab_stops
        for stop in list(tabs):
            tabs._pPr.tabs.remove(stop._tab)  # type: ignore[attr-defined]
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)  # samverkan.documents.links uses it
    link.font.color.rgb = LINK_COLOR
    link.font.underline = True

    draft = styles.add_style("Utkastmarkering", WD_STYLE_TYPE.PARAGRAPH)
    draft.base_style = normal
    _border(draft.element.get_or_add_pPr())  # first, so w:spacing follows w:pBdr as the schema wants
    draft.font.size = Pt(20)
    draft.font.bold = True
    draft.font.color.rgb = DRAFT_RED
    draft.paragraph_format.space_before = Pt(12)
    draft.paragraph_format.space_after = Pt(12)

    facts = styles.add_style("Faktarad", WD_STYLE_TYPE.PARAGRAPH)
    facts.base_style = normal
    facts.paragraph_format.space_after = Pt(2)
    facts_end = styles.add_style("Faktaslut", WD_STYLE_TYPE.PARAGRAPH)
    facts_end.base_style = normal
    facts_end.paragraph_format.space_after = Pt(12)

    note = styles.add_style("Källa", WD_STYLE_TYPE.PARAGRAPH)
    note.style_id = "Kalla"  # ASCII ids, as Word writes them
    note.base_style = normal
    note.font.size = Pt(10)
    note.paragraph_format.left_indent = Cm(0.8)
    note.paragraph_format.first_line_indent = Cm(-0.8)
    note.paragraph_format.space_after = Pt(3)

    table_text = styles.add_style("Tabelltext", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(10)
    table_text.paragraph_format.space_after = Pt(2)
    table_head = styles.add_style("Tabellrubrik", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_text
    table_head.font.bold = True

    place = styles.add_style("Underskriftsort", WD_STYLE_TYPE.PARAGRAPH)
    place.base_style = normal
    place.paragraph_format.space_before = Pt(12)
    place.paragraph_format.space_after = Pt(6)
    party = styles.add_style("Underskriftspart", WD_STYLE_TYPE.PARAGRAPH)
    party.base_style = normal
    party.font.bold = True
    party.paragraph_format.space_before = Pt(12)
    party.paragraph_format.space_after = Pt(0)
    party.paragraph_format.keep_with_next = True
    line = styles.add_style("Underskriftslinje", WD_STYLE_TYPE.PARAGRAPH)
    line.base_style = normal
    line.paragraph_format.space_before = Pt(26)
    line.paragraph_format.space_after = Pt(0)
    line.paragraph_format.right_indent = Cm(0.8)
    line.paragraph_format.keep_with_next = True
    caption = styles.add_style("Bildtext", WD_STYLE_TYPE.PARAGRAPH)
    caption.base_style = normal
    caption.font.size = Pt(8)
    caption.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    caption.paragraph_format.space_after = Pt(0)
    caption.paragraph_format.keep_with_next = True
    signer_title = styles.add_style("Underskriftstitel", WD_STYLE_TYPE.PARAGRAPH)
    signer_title.base_style = normal
    signer_title.paragraph_format.space_before = Pt(4)
    signer_title.paragraph_format.space_after = Pt(12)
    signer_title.paragraph_format.right_indent = Cm(0.8)  # a long title wraps before the next column, as the lines end
    party.paragraph_format.right_indent = Cm(0.8)

    small = styles.add_style("Versionsrad", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(9)
    small.paragraph_format.space_before = Pt(24)


BULLETS = ("•", "–", "•")  # U+2022, U+2013: in Arial/Liberation Sans, so no Private Use code in the PDF's text


def setup_bullets(document: docx.document.Document) -> None:
    """Bullets as real Unicode characters, and "List Bullet 2" as level 2 of "List Bullet"'s list.

    python-docx's default template draws bullets with the Symbol font's
    private code U+F0B7, which LibreOffice exports as an OpenSymbol glyph that
    screen readers read unpredictably; here every bullet is U+2022 (or an en
    dash on the second level) in Arial. "List Bullet 2" had a list of its own,
    so a method's points came out as a separate list after the method instead
    of inside its item; as the second level of the same list they nest in
    Word and in the tagged PDF (L > LI > LBody > L).
    """
    numbering = document.part.numbering_part.element
    styles = document.styles
    names = ("List Bullet", "List Bullet 2", "List Bullet 3")
    style_ids = [styles[name].style_id for name in names]
    for lvl in numbering.iter(qn("w:lvl")):
        fmt = lvl.find(qn("w:numFmt"))
        if fmt is None or fmt.get(qn("w:val")) != "bullet":
            continue
        lvl.find(qn("w:lvlText")).set(qn("w:val"), BULLETS[0])
        rpr = lvl.find(qn("w:rPr"))
        if rpr is not None:
            _fonts(rpr)
        style = lvl.find(qn("w:pStyle"))
        if style is not None and style.get(qn("w:val")) in style_ids[1:]:
            lvl.remove(style)  # the style becomes a level of the first list below
    num_id = styles["List Bullet"].element.pPr.numPr.numId.val
    abstract_id = next(
        n.find(qn("w:abstractNumId")).get(qn("w:val")) for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == str(num_id)
    )
    abstract = next(a for a in numbering.iter(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    abstract.find(qn("w:multiLevelType")).set(qn("w:val"), "multilevel")
    for old in abstract.findall(qn("w:lvl")):
        abstract.remove(old)
    for level in range(9):
        indent = 360 * (level + 1)
        lvl = parse_xml(
            f'<w:lvl {nsdecls("w")} w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            + (f'<w:pStyle w:val="{style_ids[level]}"/>' if level < len(style_ids) else "")
            + f'<w:lvlText w:val="{BULLETS[level % len(BULLETS)]}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}" w:hint="default"/></w:rPr></w:lvl>'
        )
        abstract.append(lvl)
    for level, name in enumerate(names):
        num_pr = styles[name].element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = num_id
        if level:
            num_pr.get_or_add_ilvl().val = level


def _outline_level(style: object, level: int) -> None:
    """Give a paragraph style an outline level, so Word's navigation, the PDF bookmarks and tags treat it as a heading.

    The title page's big title is then tagged H1 in the PDF (PDF 1.7 has no
    Title structure type; LibreOffice maps its "Title" to a plain paragraph).
    """
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    ppr.append(outline)


def _border(ppr: object, color: str = "B00020", size: str = "18") -> None:
    """A frame around a paragraph (red: the UTKAST banner)."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), size)
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), color)
        borders.append(edge)
    ppr.append(borders)  # type: ignore[attr-defined]


def setup_page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(1.25)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANG)

    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run("{{ doc.header }}")
    header.add_run("\t")
    # A draft says so on every page, in one line with the header (a second line crowded the page's
    # first heading); the title and signature pages also carry the boxed banner.
    mark = header.add_run("{{ doc.draft_banner }}")
    mark.bold = True
    mark.font.size = Pt(11)
    mark.font.color.rgb = DRAFT_RED

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run("Sida ")
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")
    footer.add_run("\t{{ doc.version_code }}")


def _field(paragraph: object, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice both update."""
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("result", "1"), ("end", None)):
        run = paragraph.add_run()  # type: ignore[attr-defined]
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "result":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


# -- content helpers --------------------------------------------------------


SHORT_LIST = 6
"""A list of at most this many items is kept on one page (no item left alone on the next)."""


class Writer:
    """Appends template paragraphs to a document."""

    def __init__(self, document: docx.document.Document):
        self.doc = document

    def p(self, text: str = "", style: str = "Normal", *, page_break: bool = False, keep: bool = False) -> object:
        para = self.doc.add_paragraph(style=style)
        if text:
            para.add_run(text)
        if page_break:
            para.paragraph_format.page_break_before = True
        if keep:
            para.paragraph_format.keep_with_next = True
        return para

    def tag(self, tag: str) -> None:
        """A paragraph-level Jinja tag; docxtpl removes the paragraph itself."""
        self.doc.add_paragraph("{%p " + tag + " %}")

    def paragraphs(self, expr: str) -> None:
        """Paragraphs; one ending in a colon leads in to what follows and stays on its page."""
        self.tag(f"for para in {expr}")
        self.tag('if para[-1:] == ":"')
        self.p("{{ para }}", keep=True)
        self.tag("else")
        self.p("{{ para }}")
        self.tag("endif")
        self.tag("endfor")

    def items(self, expr: str, then: str | None = None) -> None:
        """Item views: numbered ("1.") or bulleted at level 1–3; a short list stays on one page, and
        with the text after it (``then``, when there is some)."""
        self.tag(f"for item in {expr}")
        last = f" or (loop.last and {then})" if then else ""
        self.tag(f"if (loop.length <= {SHORT_LIST} and not loop.last){last}")
        self._item_styles(keep=True)
        self.tag("else")
        self._item_styles(keep=False)
        self.tag("endif")
        self.tag("endfor")

    def _item_styles(self, keep: bool) -> None:
        self.tag("if item.number")
        self.p("{{ item.number }}\t{{ item.text }}", "Numrerad punkt", keep=keep)
        self.tag("elif item.level == 1")
        self.p("{{ item.text }}", "List Bullet", keep=keep)
        self.tag("elif item.level == 2")
        self.p("{{ item.text }}", "List Bullet 2", keep=keep)
        self.tag("else")
        self.p("{{ item.text }}", "List Bullet 3", keep=keep)
        self.tag("endif")

    def heading(self, expr: str, level: int, *, page_break: bool = False) -> None:
        self.tag(f"if {expr}")
        self.p("{{ " + expr + " }}", f"Heading {level}", page_break=page_break)
        self.tag("endif")

    def section(self, expr: str, level: int) -> None:
        """An optional Section view: heading (if any), paragraphs, points, closing text."""
        self.tag(f"if {expr}")
        self.heading(f"{expr}.heading", level)
        self.paragraphs(f"{expr}.paragraphs")
        self.items(f"{expr}.items", then=f"{expr}.closing")
        self.paragraphs(f"{expr}.closing")
        self.tag("endif")

    def link(self, para: object, url: str, text: str) -> None:
        """A clickable link: a w:hyperlink whose relationship samverkan.documents.links adds when the document is filled."""
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), PENDING_LINK)
        link.set(qn("w:tooltip"), "{{ " + url + " }}")
        link.set(qn("w:history"), "1")
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "Hyperlink")
        rpr.append(style)
        run.append(rpr)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = "{{ " + text + " }}"
        run.append(t)
        link.append(run)
        para._p.append(link)  # type: ignore[attr-defined]

    def methods(self, expr: str) -> None:
        """`Metoder: A, B` with each name linked when the method has an address."""
        self.tag(f"if {expr}")
        para = self.doc.add_paragraph()
        para.add_run("Metoder: ").bold = True
        para.add_run("{% for m in " + expr + " %}{% if m.url %}")
        self.link(para, "m.url", "m.name")
        para.add_run("{% else %}{{ m.name }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}")
        self.tag("endif")

    def links(self, expr: str) -> None:
        self.tag(f"for link in {expr}")
        para = self.doc.add_paragraph(style="List Bullet")
        para.add_run("{{ link.text }}{% if link.url %}: ")
        self.link(para, "link.url", "link.url")
        para.add_run("{% endif %}")
        self.tag("endfor")

    def groups(self, expr: str, more: str | None = None) -> None:
        self.tag(f"for group in {expr}")
        self.tag(f"set group_more = not loop.last or group.closing{' or ' + more if more else ''}")
        self.tag("if group.lead_in")
        self.p("{{ group.lead_in }}", "Ingress")
        self.tag("endif")
        self.items("group.items", then="group_more")
        self.paragraphs("group.closing")
        self.tag("endfor")

    def table(self, headings: list[str], loop: str, cells: list[str], shares: list[int]) -> None:
        """A table with a heading row and one row per item of ``loop``; ``shares`` are column widths in percent."""
        table = self.doc.add_table(rows=4, cols=len(headings))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        widths = [Twips(TEXT_WIDTH.twips * share // 100) for share in shares]
        for column, width in zip(table.columns, widths):
            column.width = width
            for cell in column.cells:
                cell.width = width
        for cell, text in zip(table.rows[0].cells, headings):
            cell.paragraphs[0].style = self.doc.styles["Tabellrubrik"]
            cell.paragraphs[0].add_run(text)
        _repeat_header(table.rows[0])
        table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
        for cell, text in zip(table.rows[2].cells, cells):
            cell.paragraphs[0].style = self.doc.styles["Tabelltext"]
            cell.paragraphs[0].add_run(text)
        table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")

    def activity_table(self, expr: str) -> None:
        """Del 2's activity table; a column empty on every row is left out (``table_columns``)."""
        for columns, headings, cells, shares in (
            ("ansvar+tid", ["Aktivitet", "Ansvar", "Omfattning och tid"], ["{{ row.text }}", "{{ row.party }}", "{{ row.details }}"], [56, 16, 28]),
            ("ansvar", ["Aktivitet", "Ansvar"], ["{{ row.text }}", "{{ row.party }}"], [78, 22]),
            ("tid", ["Aktivitet", "Omfattning och tid"], ["{{ row.text }}", "{{ row.details }}"], [66, 34]),
        ):
            self.tag(f'if {expr}.table_columns == "{columns}"')
            self.table(headings, f"row in {expr}.table", cells, shares)
            self.tag("endif")

    def area(self, expr: str, level: int, more: str | None = None) -> None:
        """An area under its heading, or as a list item when its list has areas with only a title
        (never an empty heading; all areas of one list the same way). ``more``: something of the same
        part follows, so an area's list item keeps with it."""
        self.tag(f"if {expr}.item")
        self.items(f"[{expr}.item]", then=more)
        self.area_content(expr, level, more)  # under a list item: no heading level skipped
        self.tag("else")
        self.p("{{ " + expr + ".heading }}", f"Heading {level}", keep=True)
        self.area_content(expr, level + 1)
        self.tag("endif")

    def area_content(self, expr: str, level: int, more: str | None = None) -> None:
        self.section(f"{expr}.description", level)
        self.section(f"{expr}.causes", level)
        self.section(f"{expr}.goals", level)
        self.methods(f"{expr}.methods")
        self.tag(f"for method in {expr}.method_texts")
        self.method("method", level)
        self.tag("endfor")
        self.activity_table(expr)
        self.items(f"{expr}.items")
        self.groups(f"{expr}.groups", more=more)

    def method(self, expr: str, level: int) -> None:
        self.p("{{ " + expr + ".name }}", f"Heading {level}")
        self.paragraphs(f"{expr}.paragraphs")
        self.items(f"{expr}.items")
        self.paragraphs(f"{expr}.closing")
        self.tag(f"if {expr}.url")
        para = self.doc.add_paragraph()
        self.link(para, f"{expr}.url", f"{expr}.url")
        self.tag("endif")


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    trpr.append(header)


def _bottom_line(paragraph: object) -> None:
    """A drawn line under a paragraph: where a name or a signature goes."""
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "1A1A1A")):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, borders)


# -- the parts of the documents ------------------------------------------------


def promise_blocks(w: Writer, expr: str, level: int) -> None:
    """A medborgarlöfte's blocks in the order of the file; ``level`` is their heading level."""
    w.tag(f"for block in {expr}.blocks")
    w.heading("block.section.heading", level)
    w.paragraphs("block.section.paragraphs")
    w.items("block.section.items")
    w.tag("for area in block.areas")
    w.tag("set more = not loop.last or block.section.closing")
    w.area("area", level + 1, more="more")
    w.tag("endfor")
    w.methods("block.methods")
    w.tag("for method in block.method_texts")
    w.method("method", level + 1)
    w.tag("endfor")
    w.items("block.items")
    w.groups("block.groups")
    w.paragraphs("block.section.closing")
    w.links("block.links")
    w.tag("endfor")


def own_methods(w: Writer, level: int) -> None:
    w.tag("if own_methods")
    w.p("Metoder", f"Heading {level}")
    w.tag("for method in own_methods")
    w.method("method", level + 1)
    w.tag("endfor")
    w.tag("endif")


def method_information(w: Writer) -> None:
    """The catalog's descriptions, only when asked for, marked as information."""
    w.tag("if method_info")
    w.p("Information om metoderna", "Heading 1", page_break=True)
    w.p("Texterna nedan är allmän information om metoderna. De ingår inte i det som parterna har kommit överens om.",
        "Informationsruta")
    w.tag("for method in method_info")
    w.method("method", 2)
    w.tag("endfor")
    w.tag("endif")


def sources(w: Writer, level: int = 1) -> None:
    w.tag("if sources")
    w.p("Källor", f"Heading {level}")
    w.tag("for note in sources")
    para = w.p("{{ note.text }}{% if note.url %} ", "Källa")
    w.link(para, "note.url", "note.url")
    para.add_run("{% endif %}")  # type: ignore[attr-defined]
    w.tag("endfor")
    w.tag("endif")


def draft_banner(w: Writer) -> None:
    w.tag("if doc.is_draft")
    w.p("{{ doc.draft_banner }}", "Utkastmarkering")
    w.tag("endif")


def title_page(w: Writer) -> None:
    w.p("{{ doc.title }}", "Title")
    w.p("{{ doc.subtitle }}", "Subtitle")
    draft_banner(w)
    w.tag("for fact in doc.facts")
    w.p("{{ fact }}", "Faktarad")
    w.tag("endfor")
    w.p("", "Faktaslut")


def part_one(w: Writer) -> None:
    w.tag("if del1")
    w.p("Del 1 – Hur vi samverkar", "Heading 1", page_break=True)
    w.section("del1.parties", 2)
    w.tag("for s in del1.sections")
    w.section("s", 2)
    w.tag("endfor")
    w.section("del1.subgoals", 2)
    w.tag("if del1.organisation")
    w.p("Organisation", "Heading 2")
    w.tag("for forum in del1.organisation")
    w.p("{{ forum.name }}", "Heading 3")
    w.paragraphs("forum.paragraphs")
    w.tag("if forum.members")
    w.p("I forumet ingår:", "Ingress")
    w.tag("for member in forum.members")
    w.p("{{ member }}", "List Bullet")
    w.tag("endfor")
    w.tag("endif")
    w.tag("if forum.meetings")
    w.p("Möten: {{ forum.meetings }}")
    w.tag("endif")
    w.tag("endfor")
    w.tag("endif")
    w.tag("if del1.roles")
    w.p("Roller", "Heading 2")
    for i, (condition, headings, cells, shares) in enumerate((  # a column empty on every row is left out
        ("del1.role_names and del1.role_descriptions", ["Roll", "Namn", "Part", "Ansvar"],
         ["{{ role.title }}", "{{ role.name }}", "{{ role.party }}", "{{ role.description }}"], [26, 22, 16, 36]),
        ("del1.role_names", ["Roll", "Namn", "Part"], ["{{ role.title }}", "{{ role.name }}", "{{ role.party }}"], [40, 35, 25]),
        ("del1.role_descriptions", ["Roll", "Part", "Ansvar"],
         ["{{ role.title }}", "{{ role.party }}", "{{ role.description }}"], [34, 18, 48]),
        (None, ["Roll", "Part"], ["{{ role.title }}", "{{ role.party }}"], [60, 40]),
    )):
        w.tag("else" if condition is None else f"{'elif' if i else 'if'} {condition}")
        w.table(headings, "role in del1.roles", cells, shares)
    w.tag("endif")
    w.tag("endif")
    w.tag("for s in del1.more")
    w.section("s", 2)
    w.tag("endfor")
    w.tag("endif")


def part_two(w: Writer) -> None:
    w.tag("if del2")
    w.p("Del 2 – Prioriterade områden och metoder", "Heading 1", page_break=True)
    w.section("del2.intro", 2)
    w.tag("for area in del2.areas")
    w.tag("set more = not loop.last")
    w.area("area", 2, more="more")
    w.tag("endfor")
    w.tag("endif")


def signing_table(w: Writer, expr: str) -> None:
    """The clause, the shared place and date, and the signatories two by two (a draft's banner first)."""
    draft_banner(w)
    w.paragraphs(f"{expr}.clause")
    w.tag(f"if {expr}.shared_place_date")
    w.p("{{ " + expr + ".shared_place_date }}", "Underskriftsort")
    w.tag("endif")
    table = w.doc.add_table(rows=3, cols=2)
    table.autofit = False
    half = Twips(TEXT_WIDTH.twips // 2)
    for column in table.columns:
        column.width = half
        for cell in column.cells:
            cell.width = half
    table.rows[0].cells[0].paragraphs[0].add_run("{%tr for row in " + expr + ".rows %}")
    left, right = table.rows[1].cells
    _signature_cell(w, left, "row.left", None)
    _signature_cell(w, right, "row.right", "row.right")
    table.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")


def signature_page(w: Writer, level: int = 1) -> None:
    """Last in the body: "Underskrifter" on a new page, then the signing table."""
    w.tag("if signing")
    w.p("{{ signing.heading }}", f"Heading {level}", page_break=True)
    signing_table(w, "signing")
    w.p("Versionskod: {{ doc.fingerprint }}", "Versionsrad")
    w.tag("endif")


def _signature_cell(w: Writer, cell: object, expr: str, condition: str | None) -> None:
    """One signatory: party, then lines with captions for place and date, signature and name."""
    paras: list[tuple[str, str, bool]] = [
        ("{{ " + expr + ".party }}", "Underskriftspart", False),
        ("{% if " + expr + ".own_place_date %}", "", False),
        ("{{ " + expr + ".place_date }}", "Underskriftslinje", True),
        ("Ort och datum", "Bildtext", False),
        ("{% endif %}", "", False),
        ("", "Underskriftslinje", True),
        ("Underskrift", "Bildtext", False),
        ("{{ " + expr + ".name }}", "Underskriftslinje", True),
        ("Namnförtydligande", "Bildtext", False),
        ("{% if " + expr + ".title %}", "", False),
        ("{{ " + expr + ".title }}", "Underskriftstitel", False),
        ("{% endif %}", "", False),
    ]
    if condition:  # an empty paragraph stays: a table cell must hold one
        paras = [("{% if " + condition + " %}", "", False), *paras, ("{% endif %}", "", False), ("", "Bildtext", False)]
    first = cell.paragraphs[0]  # type: ignore[attr-defined]
    for i, (text, style, line) in enumerate(paras):
        para = first if i == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        if text.startswith("{%"):
            para.add_run("{%p " + text[3:-3].strip() + " %}")
            continue
        para.style = w.doc.styles[style]
        if text:
            para.add_run(text)
        if line:
            _bottom_line(para)


FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def add_footnotes_part(document: docx.document.Document) -> None:
    """An empty footnotes part (separators only): the renderer fills it with the sources cited in the text."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                FOOTNOTES_XML.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def new_document(title: str) -> tuple[docx.document.Document, Writer]:
    document = docx.Document()
    setup_styles(document)
    setup_page(document)
    add_footnotes_part(document)
    body = document.element.body
    for para in list(body.findall(qn("w:p"))):
        body.remove(para)
    props = document.core_properties
    props.title = title
    props.author = "samverkan"
    props.subject = props.keywords = props.comments = props.category = ""
    props.language = LANG
    props.revision = 1
    return document, Writer(document)


def build_agreement() -> docx.document.Document:
    document, w = new_document("Mall: samverkansöverenskommelse")
    title_page(w)
    part_one(w)
    part_two(w)
    w.tag("if del2")  # the methods del 2 names, straight after its lead-in ("… vad du själv kan göra:")
    w.tag("for method in own_methods")
    w.method("method", 2)
    w.tag("endfor")
    w.tag("else")
    own_methods(w, 1)
    w.tag("endif")
    w.tag("for p in promises")
    w.p("{{ p.title }}", "Heading 1", page_break=True)
    w.paragraphs("p.facts")
    promise_blocks(w, "p", 2)
    w.tag("if p.signing")
    w.p("{{ p.signing.heading }}", "Heading 2")
    signing_table(w, "p.signing")
    w.tag("endif")
    w.tag("endfor")
    method_information(w)
    sources(w)
    signature_page(w)
    return document


def build_promise() -> docx.document.Document:
    document, w = new_document("Mall: medborgarlöfte")
    title_page(w)  # the title is the top heading; the löfte's parts are under it
    w.tag("for p in promises")
    promise_blocks(w, "p", 2)
    w.tag("endfor")
    own_methods(w, 2)
    method_information(w)
    sources(w, 2)
    # "Underskrifter" is a top-level heading in every kind of document, as in the agreement: the signature
    # section is found by it (publish, and conformance checkers that compare a signed PDF with its render
    # look for the H1 "Underskrifter"), and its bookmark stands at the top level beside the title.
    signature_page(w)
    return document


def prune_table_styles(document: docx.document.Document) -> None:
    """Drop the table styles no table uses (100 of them, 297 kB of styles.xml).

    LibreOffice imports every style of every document it converts: without
    them a conversion takes about a quarter less CPU, and every render writes
    less (issue 8). Paragraph and character styles and Word's list of
    built-in (latent) styles stay, so the template keeps its full style
    gallery in Word; a removed table style comes back when someone picks it.
    """
    root = document.styles.element
    used = {el.get(qn("w:val")) for el in document.element.body.iter(qn("w:tblStyle"))}
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:type")) != "table" or style.get(qn("w:default")) == "1":
            continue
        if style.get(qn("w:styleId")) not in used:
            root.remove(style)


def save(document: docx.document.Document, target: Path) -> None:
    from io import BytesIO

    # No preview picture of some other document in file browsers.
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
    # Word 2010's copy of the styles (438 kB) is optional: Word rebuilds it and
    # LibreOffice ignores it; without it every render writes and LibreOffice
    # reads far less.
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[rel_id]
    prune_table_styles(document)
    buffer = BytesIO()
    document.save(buffer)
    target.write_bytes(normalise_docx(buffer.getvalue()))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE
    save(build_agreement(), out / "overenskommelse.docx")
    save(build_promise(), out / "medborgarlofte.docx")
    print(out / "overenskommelse.docx")
    print(out / "medborgarlofte.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
