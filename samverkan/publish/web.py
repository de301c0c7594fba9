"""The web version of a medborgarlöfte: one accessible HTML page.

The Swedish web guidelines prefer HTML to PDF for what residents read, so
the medborgarlöfte is also published as a plain HTML page: ``lang="sv"``,
one ``h1``, real ``h2``/``h3`` headings, lists for lists, no layout tables,
readable without its small inline stylesheet. The page is built from the
validated :class:`~samverkan.models.Agreement` through an autoescaped Jinja
template (``templates/medborgarlofte.html``), so text from the YAML can never
become markup. Output is deterministic: same agreement, same bytes.

It says what the medborgarlöfte PDF says (a method's points and paragraphs
included, sources in the same words), marks a draft as the PDF does, links
web and e-mail addresses (``mailto:``) through the template filter ``links``,
and lets long addresses wrap so the page reflows at 320 CSS pixels. With
``fragment`` only the article is written – no ``<html>``, ``<head>`` or
stylesheet – for pasting into a web publishing tool such as Sitevision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..documents.blocks import NOTE_MARK
from ..documents.context import build_with_notes, metadata_title
from ..documents.labels import LABELS, SENTENCES
from ..documents.links import split_addresses
from ..documents.properties import fit_property
from ..documents.views import Area, Block, Group, Item, Method, MethodRef
from ..documents.views import Section as ViewSection
from ..errors import PublishError, TemplateError
from ..fsutil import slug, write_text
from ..model.loader import load
from ..model.models import Agreement, Kalla, Medborgarlofte

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "medborgarlofte.html"

_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>\"]+$", re.IGNORECASE)
DRAFT_NOTICE = SENTENCES["utkast"]
"""A draft's mark, in the words of the PDF's banner."""

# -- helpers -----------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) or mailto address, else None (shown as text only)."""
    if url and _SAFE_URL.match(url.strip()):
        return url.strip()
    return None


def linked(text: object) -> Markup:
    """The template filter ``links``: ``text`` escaped, with its web and e-mail addresses as links.

    Text the page model has already made safe (with its note references) is
    returned as it is; its addresses are linked already.
    """
    if isinstance(text, Markup):
        return text
    return Markup("").join(
        Markup('<a href="{}">{}</a>').format(target, piece) if target else escape(piece)
        for piece, target in split_addresses(str(text))
    )


def source_text(source: Kalla) -> str:
    """A source as the PDF's list of sources prints it: ``Titel. Utgivare, 2020.``"""
    publisher = ", ".join(p for p in ((source.utgivare or "").strip().rstrip("."), str(source.ar or "")) if p)
    return source.titel.strip().rstrip(".") + "." + (f" {publisher}." if publisher else "")


# -- the page model --------------------------------------------------------


@dataclass
class Section:
    """An h2 section: its heading (or None) and its content as :data:`Node` dicts, in reading order."""

    heading: str | None
    body: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Page:
    title: str
    heading: str
    draft: str | None
    lead: str
    intro: Section | None
    sections: list[Section]
    sources: list[dict[str, object]]
    footer: list[str]


Node = dict[str, object]
"""One piece of a section, by ``kind``: ``p`` (text, lead_in), ``h`` (level, text), ``list`` (ordered,
items: [{text, value, children}])."""


class _Refs:
    """The page's numbered sources, in the order the text first cites them; a citation links to its source."""

    def __init__(self, agreement: Agreement, footnote_sources: dict[int, str]):
        self.known = {k.id: k for k in agreement.kallor}
        self.by_number = footnote_sources
        self.order: list[str] = []

    def text(self, value: str) -> Markup:
        """``value`` as HTML: escaped, addresses linked, each footnote place a superscript link to its source."""
        out, last = [], 0
        for found in NOTE_MARK.finditer(value):
            out.append(linked(value[last:found.start()]))
            source_id = self.by_number.get(int(found.group(1)))
            if source_id in self.known:
                if source_id not in self.order:
                    self.order.append(source_id)
                n = self.order.index(source_id) + 1
                out.append(Markup('<sup><a href="#kalla-{0}" aria-label="källa {1}">{1}</a></sup>').format(source_id, n))
            last = found.end()
        out.append(linked(value[last:]))
        return Markup("").join(out)

    def listing(self, include_uncited: bool) -> list[dict[str, object]]:
        ids = self.order + ([i for i in self.known if i not in self.order] if include_uncited else [])
        return [
            {"number": n, "anchor": f"kalla-{i}", "text": source_text(self.known[i]), "url": safe_url(self.known[i].url)}
            for n, i in enumerate(ids, start=1)
        ]


def _list(entries: list[tuple[Item, list[Node]]], refs: _Refs) -> list[Node]:
    """Items (with what stands under each) as one list, sub-items nested in their parent's list:
    ordered when the items are numbered (the number kept as the item's value)."""
    if not entries:
        return []
    top: Node = {"kind": "list", "ordered": bool(entries[0][0].number), "items": []}
    open_lists = [top]  # the list at each level
    for item, under in entries:
        level = max(1, min(item.level, len(open_lists) + 1 if open_lists[-1]["items"] else len(open_lists)))
        del open_lists[level:]
        while len(open_lists) < level:  # a sub-list inside the last item of the level above
            sub: Node = {"kind": "list", "ordered": bool(item.number), "items": []}
            open_lists[-1]["items"][-1]["children"].append(sub)  # type: ignore[index]
            open_lists.append(sub)
        value = item.number.rstrip(".") if item.number else None
        open_lists[-1]["items"].append({"text": refs.text(item.text), "value": value, "children": list(under)})  # type: ignore[attr-defined]
    return [top]


def _items(items: list[Item], refs: _Refs) -> list[Node]:
    return _list([(i, []) for i in items], refs)


def _paras(texts: list[str], refs: _Refs) -> list[Node]:
    return [_p(refs.text(t)) for t in texts]


def _p(text: Markup, lead_in: bool = False) -> Node:
    return {"kind": "p", "text": text, "lead_in": lead_in}


def _section_nodes(sect: ViewSection | None, level: int, refs: _Refs) -> list[Node]:
    if sect is None:
        return []
    head: list[Node] = [{"kind": "h", "level": level, "text": refs.text(sect.heading)}] if sect.heading else []
    return head + _paras(sect.paragraphs, refs) + _items(sect.items, refs) + _paras(sect.closing, refs)


def _groups(groups: list[Group], refs: _Refs) -> list[Node]:
    out: list[Node] = []
    for g in groups:  # a lead-in is text that opens its list, never a heading (as in the PDF)
        out += [_p(refs.text(g.lead_in), lead_in=True)] if g.lead_in else []
        out += _items(g.items, refs) + _paras(g.closing, refs)
    return out


def _methods(named: list[MethodRef], texts: list[Method], level: int, refs: _Refs) -> list[Node]:
    """As in the PDF: "Metoder: A, B" with each name linked, then each of the file's own method texts
    under the method's name (never the catalog's text)."""
    out: list[Node] = []
    if named:
        names = Markup(", ").join(
            Markup('<a href="{}">{}</a>').format(url, m.name) if (url := safe_url(m.url)) else escape(m.name) for m in named)
        out.append(_p(Markup(escape(LABELS["metodrad"])).format(metoder=names)))
    for m in texts:
        out += [{"kind": "h", "level": level, "text": escape(m.name)}]
        out += _paras(m.paragraphs, refs) + _items(m.items, refs) + _paras(m.closing, refs)
        if url := safe_url(m.url):
            out.append(_p(Markup('<a href="{0}">{0}</a>').format(url)))
    return out


def _area_content(area: Area, level: int, refs: _Refs) -> list[Node]:
    out: list[Node] = []
    for sect in (area.description, area.causes, area.goals):
        out += _section_nodes(sect, level, refs)
    out += _methods(area.methods, area.method_texts, level, refs)
    out += _items([Item(text=r.text, level=1, number="") for r in area.table], refs)
    return out + _items(area.items, refs) + _groups(area.groups, refs)


def _areas(areas: list[Area], level: int, refs: _Refs) -> list[Node]:
    """Areas under their headings, or, as in the PDF, one list whose items hold each area's content."""
    if any(a.item is not None for a in areas):
        return _list([(a.item, _area_content(a, level, refs)) for a in areas if a.item is not None], refs)
    out: list[Node] = []
    for a in areas:
        out += [{"kind": "h", "level": level, "text": refs.text(a.heading)}, *_area_content(a, level + 1, refs)]
    return out


def _section(block: Block, refs: _Refs) -> Section:
    """A block of the medborgarlöfte in the PDF's order: its text, areas, methods, promises and links."""
    sect = block.section
    level = 3 if sect.heading else 2
    body = _paras(sect.paragraphs, refs) + _items(sect.items, refs)
    body += _areas(block.areas, level, refs)
    body += _methods(block.methods, block.method_texts, level, refs)
    body += _items(block.items, refs) + _groups(block.groups, refs)
    body += _paras(sect.closing, refs)
    links = [Markup('<a href="{}">{}</a>').format(url, link.text) if (url := safe_url(link.url)) else Markup(escape(link.text))
             for link in block.links]
    if links:
        body.append({"kind": "list", "ordered": False, "items": [{"text": t, "value": None, "children": []} for t in links]})
    return Section(sect.heading, body)


def build_page(agreement: Agreement, promise: Medborgarlofte) -> Page:
    """Everything the HTML template shows for ``promise``, in reading order: what its PDF says, in its words."""
    pid = None if agreement.is_promise else promise.id
    context, notes = build_with_notes(agreement, "medborgarlofte", pid)
    refs = _Refs(agreement, notes.footnote_sources)
    doc = context["doc"]
    blocks = list(context["promises"][0].blocks)
    intro = None
    if blocks and blocks[0].key == "inledning" and blocks[0].section.heading is None:
        intro = _section(blocks.pop(0), refs)
    sections = [_section(b, refs) for b in blocks]
    for method in context["own_methods"]:
        sections.append(Section(method.name, _paras(method.paragraphs, refs) + _items(method.items, refs)
                                + _paras(method.closing, refs)))
    signing = context["signing"]
    if signing is not None and any(cell.name for row in signing.rows for cell in (row.left, row.right) if cell):
        said = [*signing.clause, *([signing.shared_place_date] if signing.shared_place_date else [])]
        names = [", ".join(x for x in (cell.name, cell.title, cell.party, cell.place_date) if x)
                 for row in signing.rows for cell in (row.left, row.right) if cell is not None and cell.name]
        sections.append(Section(signing.heading, _paras(said, refs) + _items(
            [Item(text=n, level=1, number="") for n in names], refs)))
    title = metadata_title(agreement, "medborgarlofte", None if agreement.is_promise else promise)
    return Page(
        title=fit_property(title),  # as the PDF's properties: kommun and years always named
        heading=title,
        draft=doc.draft_banner or None,
        lead=doc.subtitle,
        intro=intro,
        sections=sections,
        sources=refs.listing(include_uncited=agreement.is_promise),
        footer=[*doc.facts, LABELS["versionskod"].format(kod=doc.fingerprint)],
    )


# -- rendering and writing -------------------------------------------------


def _template(path: Path | None) -> jinja2.Template:
    path = path or DEFAULT_TEMPLATE
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise TemplateError(f"{path}: HTML-mallen kan inte läsas ({e}) – ange en befintlig UTF-8-fil") from None
    # Sandboxed like the Word templates: a template reaches the page's values, never Python's internals.
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["links"] = linked
    try:
        return env.from_string(source)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"{path}:{e.lineno}: fel i HTML-mallen: {e.message} – rätta mallen") from None


def select_promises(agreement: Agreement, promise_id: str | None = None) -> list[Medborgarlofte]:
    """The medborgarlöften to publish: the one with ``promise_id``, or all of them."""
    promises = agreement.promises()
    if not promises:
        raise PublishError(
            "överenskommelsen har inget medborgarlöfte – lägg till ett under `medborgarloften` "
            "för att kunna publicera en webbversion"
        )
    if promise_id is None:
        return promises
    chosen = [p for p in promises if p.id == promise_id]
    if not chosen:
        ids = ", ".join(p.id for p in promises)
        raise PublishError(f'inget medborgarlöfte har id "{promise_id}" – välj ett av: {ids}')
    return chosen


def medborgarlofte_html(
    agreement: Agreement, promise: Medborgarlofte | None = None, template: Path | None = None, *, fragment: bool = False
) -> str:
    """The HTML page for ``promise`` (default: the agreement's last medborgarlöfte); with ``fragment`` only its article."""
    promise = promise or select_promises(agreement)[-1]
    try:
        html = _template(template).render(page=build_page(agreement, promise), fragment=fragment)
    except jinja2.UndefinedError as e:
        fields = ", ".join(f"page.{name}" for name in Page.__dataclass_fields__)
        raise TemplateError(
            f"{template or DEFAULT_TEMPLATE}: HTML-mallen kan inte fyllas i: den använder en variabel som inte finns "
            f"({e.message}) – använd bara {fields} (se kommentaren i templates/medborgarlofte.html)"
        ) from None
    except jinja2.TemplateError as e:
        raise TemplateError(f"{template or DEFAULT_TEMPLATE}: HTML-mallen kan inte fyllas i ({e}) – rätta mallen") from None
    # One trailing newline and no trailing spaces: stable bytes for diffs.
    return "\n".join(line.rstrip() for line in html.strip().splitlines()) + "\n"


def html_filename(agreement: Agreement, promise: Medborgarlofte, fragment: bool = False) -> str:
    """``oxelosund-ml-2024.html`` (the place and the medborgarlöfte's id), ``oxelosund-ml-2024-fragment.html``;
    a medborgarlöfte of its own by its years (``hallstahammar-medborgarlofte-2023.html``)."""
    name = slug(promise.id)
    if agreement.is_promise:
        first, last = agreement.period.start.year, (agreement.period.slut or agreement.period.start).year
        name = "medborgarlofte-" + (str(first) if first == last else f"{first}-{last}")
    return f"{slug(agreement.parter.kommun.ort)}-{name}{'-fragment' if fragment else ''}.html"


def write_web(
    agreement: Agreement,
    out_dir: Path,
    template: Path | None = None,
    promise_id: str | None = None,
    *,
    fragment: bool = False,
) -> list[Path]:
    """Write one HTML page (or fragment) per medborgarlöfte into ``out_dir/<kommun>/``; return the paths."""
    folder = out_dir / slug(agreement.parter.kommun.ort)
    pages = [
        (folder / html_filename(agreement, promise, fragment), medborgarlofte_html(agreement, promise, template, fragment=fragment))
        for promise in select_promises(agreement, promise_id)
    ]
    return [write_text(path, html) for path, html in pages]


def publish_web(
    source: Path, out_dir: Path, template: Path | None = None, promise_id: str | None = None, *, fragment: bool = False
) -> list[Path]:
    """Load the agreement at ``source`` and write its medborgarlöfte page(s) or fragment(s) into ``out_dir``."""
    agreement = load(source)
    try:
        return write_web(agreement, out_dir, template, promise_id, fragment=fragment)
    except PublishError as e:
        raise PublishError(f"{source}: {e}") from None
