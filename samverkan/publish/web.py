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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..documents.context import GROUP_HEADINGS, promise_title
from ..documents.formatting import long_date, period_full
from ..documents.links import split_addresses
from ..errors import PublishError, TemplateError
from ..fsutil import slug, write_text
from ..model.catalog import methods_for
from ..model.loader import load
from ..model.models import Agreement, Aktivitet, Avsnitt, Kalla, Medborgarlofte, Status

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "medborgarlofte.html"

_SAFE_URL = re.compile(r"^(https?://|mailto:)[^\s<>\"]+$", re.IGNORECASE)
DRAFT_NOTICE = "UTKAST – inte fastställd, får inte undertecknas"
"""A draft's mark, in the words of the PDF's banner."""

# -- helpers -----------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) or mailto address, else None (shown as text only)."""
    if url and _SAFE_URL.match(url.strip()):
        return url.strip()
    return None


def linked(text: object) -> Markup:
    """The template filter ``links``: ``text`` escaped, with its web and e-mail addresses as links."""
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
    details = [activity.omfattning, activity.frekvens, f"senast {long_date(activity.senast)}" if activity.senast else None]
    extra = "; ".join(" ".join(d.split()) for d in details if d)
    text = " ".join(activity.text.split())
    return f"{text} ({extra})" if extra else text


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


class _Notes:
    """Numbers sources in the order the page first cites them."""

    def __init__(self, sources: list[Kalla]):
        self.known = {k.id: k for k in sources}
        self.order: list[str] = []

    def refs(self, ids: Iterable[str]) -> list[dict[str, object]]:
        refs = []
        for source_id in ids:
            if source_id not in self.known:
                continue
            if source_id not in self.order:
                self.order.append(source_id)
            refs.append({"number": self.order.index(source_id) + 1, "anchor": f"kalla-{source_id}"})
        return refs

    def listing(self) -> list[dict[str, object]]:
        listed = []
        for number, source_id in enumerate(self.order, start=1):
            source = self.known[source_id]
            listed.append(
                {"number": number, "anchor": f"kalla-{source_id}", "text": source_text(source), "url": safe_url(source.url)}
            )
        return listed


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks if block.strip()]


def _section(heading: str | None, avsnitt: Avsnitt | None, notes: _Notes) -> Section:
    if avsnitt is None:
        return Section(heading)
    return Section(heading, _paragraphs(avsnitt.text), list(avsnitt.punkter), notes.refs(avsnitt.kallor))


def build_page(agreement: Agreement, promise: Medborgarlofte) -> Page:
    """Everything the HTML template shows for ``promise``, in reading order."""
    kommun, polis = agreement.parter.kommun, agreement.parter.polis
    notes = _Notes(agreement.kallor)
    heading = promise_title(promise)
    lead = (
        f"Ett löfte från {kommun.namn} och Polisen ({polis.lokalpolisomrade}) till dig som bor, "
        f"arbetar eller vistas i {kommun.ort}. Löftet gäller {period_full(promise.period)}."
    )
    intro = _section(None, promise.inledning, notes) if promise.inledning else None

    sections: list[Section] = []
    if promise.lagesbild:
        sections.append(_section("Situationen idag", promise.lagesbild, notes))
    if promise.mal:
        sections.append(_section("Det här ska vi åstadkomma tillsammans", promise.mal, notes))
    if promise.genomforande or promise.aktiviteter or promise.metoder:
        doing = _section("Så här ska vi göra", promise.genomforande, notes)
        for party, group_heading in GROUP_HEADINGS.items():
            items = [activity_text(a) for a in promise.aktiviteter if a.ansvar is party]
            if items:
                doing.groups.append({"heading": group_heading, "entries": items})
        known = methods_for(agreement)
        doing.methods = [
            {
                "name": known[m].namn,
                "description": " ".join(known[m].beskrivning.split()),
                "paragraphs": _paragraphs(known[m].beskrivning),
                "bullets": [" ".join(point.split()) for point in known[m].punkter],
                "url": safe_url(known[m].lank),
            }
            for m in promise.metoder
            if m in known
        ]
        sections.append(doing)
    if promise.uppfoljning:
        sections.append(_section("Uppföljning", promise.uppfoljning, notes))
    if promise.folj_arbetet or promise.lankar:
        follow = _section("Följ med i hur det går", promise.folj_arbetet, notes)
        follow.links = [{"text": link.text, "url": safe_url(link.url)} for link in promise.lankar]
        sections.append(follow)

    footer = [
        f"Medborgarlöftet ingår i samverkansöverenskommelsen mellan {kommun.namn} och Polisen, "
        f"{polis.lokalpolisomrade}, {polis.polisregion}. Överenskommelsen gäller {period_full(agreement.period)}."
    ]
    numbers = [f"{kommun.diarienummer} ({kommun.ort})" if kommun.diarienummer else None]
    numbers.append(f"{polis.diarienummer} (Polisen)" if polis.diarienummer else None)
    if any(numbers):
        footer.append("Diarienummer: " + ", ".join(n for n in numbers if n) + ".")
    footer.append(f"Versionskod: {agreement.fingerprint()}")
    draft = DRAFT_NOTICE if agreement.status is Status.UTKAST else None
    return Page(
        title=f"{heading} – {kommun.namn} och Polisen",
        heading=heading,
        draft=draft,
        lead=lead,
        intro=intro,
        sections=sections,
        sources=notes.listing(),
        footer=footer,
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
    if not agreement.medborgarloften:
        raise PublishError(
            "överenskommelsen har inget medborgarlöfte – lägg till ett under `medborgarloften` "
            "för att kunna publicera en webbversion"
        )
    if promise_id is None:
        return list(agreement.medborgarloften)
    chosen = [p for p in agreement.medborgarloften if p.id == promise_id]
    if not chosen:
        ids = ", ".join(p.id for p in agreement.medborgarloften)
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
    """``oxelosund-ml-2024.html`` (the place and the medborgarlöfte's id), ``oxelosund-ml-2024-fragment.html``."""
    return f"{slug(agreement.parter.kommun.ort)}-{slug(promise.id)}{'-fragment' if fragment else ''}.html"


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
