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
from ..documents.labels import SENTENCES
from ..documents.links import split_addresses
from ..documents.properties import fit_property
from ..documents.views import Block, Item
from ..errors import PublishError, TemplateError
from ..fsutil import slug, write_text
from ..model.loader import load
from ..model.models import Agreement, Aktivitet, Kalla, Medborgarlofte

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


def activity_text(activity: Aktivitet) -> str:
    """The activity as one list item, details in brackets, as in the Word document."""
    from ..documents.blocks import Notes, activity_line, without_notes

    return without_notes(activity_line(activity, Notes([])))


# -- the page model --------------------------------------------------------


@dataclass
class Section:
    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    notes: list[dict[str, object]] = field(default_factory=list)
    groups: list[dict[str, object]] = field(default_factory=list)
    methods: list[dict[str, object]] = field(default_factory=list)
    links: list[dict[str, str | None]] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


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


def _item(item: Item, refs: _Refs) -> Markup:
    text = refs.text(item.text)
    return Markup("{} {}").format(item.number, text) if item.number else text


def _method(method: object, refs: _Refs) -> dict[str, object]:
    return {
        "name": method.name,  # type: ignore[attr-defined]
        "description": " ".join(method.paragraphs),  # type: ignore[attr-defined]
        "paragraphs": [refs.text(p) for p in method.paragraphs],  # type: ignore[attr-defined]
        "bullets": [_item(i, refs) for i in method.items],  # type: ignore[attr-defined]
        "url": safe_url(method.url),  # type: ignore[attr-defined]
    }


def _section(block: Block, refs: _Refs) -> Section:
    sect = block.section
    out = Section(sect.heading)
    out.paragraphs = [refs.text(p) for p in sect.paragraphs]
    out.bullets = [_item(i, refs) for i in (*sect.items, *(a.item for a in block.areas if a.item), *block.items)]
    for area in (a for a in block.areas if a.item is None):
        parts = [s for s in (area.description, area.causes, area.goals) if s]
        entries = [refs.text(p) for s in parts for p in s.paragraphs] + [_item(i, refs) for s in parts for i in s.items]
        entries += [_item(i, refs) for i in area.items] + [refs.text(r.text) for r in area.table]
        for group in area.groups:
            entries += [refs.text(group.lead_in)] if group.lead_in else []
            entries += [_item(i, refs) for i in group.items]
        out.groups.append({"heading": refs.text(area.heading), "entries": entries})
    for group in block.groups:
        out.groups.append({"heading": refs.text(group.lead_in) if group.lead_in else None,
                           "entries": [_item(i, refs) for i in group.items]})
    # A method is named with its link; only the file's own text about it is printed, never the catalog's.
    out.methods = [{"name": m.name, "description": "", "paragraphs": [], "bullets": [], "url": safe_url(m.url)}
                   for m in block.methods]
    out.methods += [_method(m, refs) for m in block.method_texts]
    out.links = [{"text": link.text, "url": safe_url(link.url)} for link in block.links]
    out.closing = [refs.text(p) for p in sect.closing]
    return out


def build_page(agreement: Agreement, promise: Medborgarlofte) -> Page:
    """Everything the HTML template shows for ``promise``, in reading order: what its PDF says, in its words."""
    context, notes = build_with_notes(agreement, "medborgarlofte", None if agreement.is_promise else promise.id)
    refs = _Refs(agreement, notes.footnote_sources)
    doc = context["doc"]
    view = context["promises"][0]
    blocks = list(view.blocks)
    intro = None
    if blocks and blocks[0].key == "inledning" and blocks[0].section.heading is None:
        intro = _section(blocks.pop(0), refs)
    sections = [_section(b, refs) for b in blocks]
    for method in context["own_methods"]:
        sections.append(Section(method.name, [refs.text(p) for p in method.paragraphs],
                                [_item(i, refs) for i in method.items], closing=[refs.text(p) for p in method.closing]))
    signing = context["signing"]
    if signing is not None and any(cell.name for row in signing.rows for cell in (row.left, row.right) if cell):
        signed = Section(signing.heading, [*signing.clause, *([signing.shared_place_date] if signing.shared_place_date else [])])
        for row in signing.rows:
            for cell in (row.left, row.right):
                if cell is not None and cell.name:
                    said = ", ".join(x for x in (cell.name, cell.title, cell.party, cell.place_date) if x)
                    signed.bullets.append(said)
        sections.append(signed)
    return Page(
        title=fit_property(metadata_title(agreement, "medborgarlofte", None if agreement.is_promise else promise)),  # as the PDF's
        heading=doc.title if agreement.is_promise else view.title,
        draft=doc.draft_banner or None,
        lead=doc.subtitle,
        intro=intro,
        sections=sections,
        sources=refs.listing(include_uncited=agreement.is_promise),
        footer=list(doc.facts),
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
