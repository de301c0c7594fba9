"""Empty signature fields for e-signing, one per signatory, in the rendered PDF.

An e-signing service (a kommun's or the Police's, with e-legitimation) signs
a PDF in its signature fields. This module adds one empty field per
signatory to the agreement that LibreOffice exported, so the service does not
have to guess where each person signs:

* **where**: on the signature page, where that person signs. The place is
  read from the PDF itself, not assumed from the template: the line with the
  signatory's name is found after the heading "Underskrifter"; if a caption
  "Underskrift" (the text under a signing line) belongs to the same block,
  the field sits just above that caption, otherwise just above the name. When
  a line is drawn there (the signing table's signature line, signatories side
  by side), the field stands on it and is exactly as wide; otherwise it is
  :data:`WIDTH` wide, or less when other text stands to its right. It reaches
  up to the text above it (at most :data:`MAX_HEIGHT`);
* **what**: the field's name (``/T``) and tooltip (``/TU``, what a screen
  reader and the signing service show) name the person, the title and the
  party, in the order the signatories are printed;
* **without breaking the file**: the fields are added with pyHanko as an
  incremental update (the LibreOffice export stays byte for byte in front),
  each widget is printable with an empty appearance (PDF/A-2b), is tagged as
  a ``Form`` structure element with an ``OBJR`` in the reading order just
  before the signatory's name, and is reachable through the structure's
  ParentTree (PDF/UA); the page gets ``/Tabs /S``. The document's metadata
  (Info and XMP) is left exactly as exported, and the new trailer ID is
  derived from the input, so the same PDF always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from pypdf import PdfReader

from .. import fsutil
from ..errors import TemplateError
from ..model.models import Agreement, Sida

SIGNATURE_HEADING = "Underskrifter"
CAPTION = "Underskrift"
WIDTH = 200.0  # points, about 7 cm: room for a handwritten-looking stamp or a service's seal
MAX_HEIGHT = 48.0
MIN_HEIGHT = 16.0
GAP = 2.0
MIN_RULE = 40.0  # points: a signing line, not an underline under a word
RULE_REACH = 12.0  # how far above its caption a signing line may be drawn

__all__ = ["FieldSpec", "Rule", "add_signature_fields", "field_specs", "page_rules", "place_fields", "with_signature_fields"]


@dataclass(frozen=True)
class FieldSpec:
    """One signatory's field: the printed name to find, and the field's name and tooltip."""

    person: str
    name: str
    tooltip: str


def _party(agreement: Agreement, side: Sida) -> str:
    if side is Sida.KOMMUN:
        return agreement.parter.kommun.namn
    return f"Polismyndigheten, {agreement.parter.polis.lokalpolisomrade}"


def field_specs(agreement: Agreement) -> list[FieldSpec]:
    """A field for every signatory, in the order of the signature page (the order written in the file).

    The name is ``Underskrift N Förnamn Efternamn`` (a field name may not
    contain a period); the tooltip ``Underskrift av Förnamn Efternamn,
    titel, part``.
    """
    ordered = list(agreement.undertecknare)
    specs = []
    for number, signer in enumerate(ordered, start=1):
        name = " ".join(f"Underskrift {number} {signer.namn}".replace(".", " ").split())
        tooltip = f"Underskrift av {signer.namn}, {signer.titel}, {_party(agreement, signer.part)}"
        specs.append(FieldSpec(person=signer.namn, name=name, tooltip=tooltip))
    return specs


# -- where the text is ---------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A run of text as painted: page index, text, start and baseline (points), size, marked-content id."""

    page: int
    text: str
    x: float
    y: float
    size: float
    mcid: int | None

    @property
    def top(self) -> float:
        return self.y + 0.8 * self.size

    @property
    def bottom(self) -> float:
        return self.y - 0.25 * self.size

    @property
    def right(self) -> float:
        """An estimate: the text's extent is not in the content stream, half an em per character is close."""
        return self.x + 0.5 * self.size * len(self.text)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def page_lines(reader: PdfReader, index: int) -> list[Line]:
    """The text runs of page ``index`` in content order, each with its position and MCID (None outside tags)."""
    marked: list[int | None] = []
    lines: list[Line] = []

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            mcid = props.get("/MCID") if hasattr(props, "get") else None
            marked.append(int(mcid) if mcid is not None else None)
        elif op == b"BMC":
            marked.append(None)
        elif op == b"EMC" and marked:
            marked.pop()

    def text(content: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if not content.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[3] * cm[3]) or 1.0)
        mcid = next((m for m in reversed(marked) if m is not None), None)
        lines.append(Line(index, content.strip(), float(x), float(y), float(size) * scale, mcid))

    reader.pages[index].extract_text(visitor_operand_before=before, visitor_text=text)
    return lines


@dataclass(frozen=True)
class Placement:
    """Where one field goes: page index, rectangle (x1, y1, x2, y2), and the line its tag is placed before."""

    spec: FieldSpec
    page: int
    box: tuple[float, float, float, float]
    before: Line


def _signature_lines(reader: PdfReader) -> list[Line]:
    """Every text run from the heading "Underskrifter" (its last occurrence) to the end of the document."""
    for index in range(len(reader.pages) - 1, -1, -1):
        lines = page_lines(reader, index)
        heading = [i for i, line in enumerate(lines) if line.text == SIGNATURE_HEADING]
        if heading:
            found = lines[heading[-1] :]
            for later in range(index + 1, len(reader.pages)):
                found += page_lines(reader, later)
            return found
    raise TemplateError(
        f'PDF:en har ingen rubrik "{SIGNATURE_HEADING}" – signaturfälten kan inte placeras; '
        "behåll underskriftssidan i mallen eller rendera med --inga-signaturfält"
    )


def _is_rule(line: Line) -> bool:
    return set(line.text) <= set("_ .")


def _box(anchor: Line, page: list[Line], width_limit: float) -> tuple[float, float, float, float]:
    """The rectangle above ``anchor``: up to the text above it, as wide as the free space to its right."""
    x1 = anchor.x
    neighbours = [o for o in page if o is not anchor and abs(o.y - anchor.y) < 1 and o.x > anchor.x + 1]
    x2 = min([x1 + WIDTH, width_limit] + [o.x - 2 * GAP for o in neighbours])
    y1 = anchor.top + GAP
    above = [
        o.bottom for o in page
        if o.bottom > y1 and not _is_rule(o) and o.x < x2 and o.right > x1
    ]
    y2 = min([y1 + MAX_HEIGHT] + [b - GAP for b in above])
    if y2 - y1 < MIN_HEIGHT:
        y2 = y1 + MIN_HEIGHT
    return (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2))


@dataclass(frozen=True)
class Rule:
    """A horizontal line drawn on a page (points): from x1 to x2 at height y."""

    x1: float
    x2: float
    y: float


def page_rules(pdf: pikepdf.Pdf, index: int) -> list[Rule]:
    """The horizontal lines stroked on page ``index`` (at least :data:`MIN_RULE` long), in page space."""
    rules = []
    ctm = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]
    path: list[tuple[float, float, float, float]] = []
    start = (0.0, 0.0)

    def point(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = ctm[-1]
        return (a * x + c * y + e, b * x + d * y + f)

    for operands, operator in pikepdf.parse_content_stream(pdf.pages[index]):
        op = str(operator)
        if op == "q":
            ctm.append(ctm[-1])
        elif op == "Q" and len(ctm) > 1:
            ctm.pop()
        elif op == "cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            a0, b0, c0, d0, e0, f0 = ctm[-1]
            ctm[-1] = (a * a0 + b * c0, a * b0 + b * d0, c * a0 + d * c0, c * b0 + d * d0,
                       e * a0 + f * c0 + e0, e * b0 + f * d0 + f0)
        elif op == "m":
            start = point(float(operands[0]), float(operands[1]))
        elif op == "l":
            end = point(float(operands[0]), float(operands[1]))
            path.append((*start, *end))
            start = end
        elif op in ("S", "s"):
            for x1, y1, x2, y2 in path:
                if abs(y1 - y2) < 0.5 and abs(x2 - x1) >= MIN_RULE:
                    rules.append(Rule(min(x1, x2), max(x1, x2), (y1 + y2) / 2))
            path = []
        elif op in ("n", "f", "F", "f*", "B", "B*", "b", "b*", "re"):
            path = [] if op != "re" else path
    return rules


def _rule_under(anchor: Line, rules: Sequence[Rule]) -> Rule | None:
    """The line drawn just above ``anchor`` (its caption) and starting where it starts: where one signs."""
    near = [r for r in rules if r.x1 - 2 <= anchor.x <= r.x1 + 6 and anchor.top - 2 <= r.y <= anchor.top + RULE_REACH]
    return min(near, key=lambda r: r.y, default=None)


def _box_on(rule: Rule, page: list[Line]) -> tuple[float, float, float, float]:
    """The rectangle standing on ``rule``, as wide as the line, up to the text above it."""
    y1 = rule.y + GAP / 2
    above = [o.bottom for o in page if o.bottom > y1 and not _is_rule(o) and o.x < rule.x2 and o.right > rule.x1]
    y2 = min([y1 + MAX_HEIGHT] + [b - GAP for b in above])
    if y2 - y1 < MIN_HEIGHT:
        y2 = y1 + MIN_HEIGHT
    return (round(rule.x1, 2), round(y1, 2), round(rule.x2, 2), round(y2, 2))


def place_fields(reader: PdfReader, specs: Sequence[FieldSpec], rules: dict[int, list[Rule]] | None = None) -> list[Placement]:
    """Find each signatory's place on the signature page(s), in the order they are printed.

    ``rules``: the lines drawn on each page (by page index, see :func:`page_rules`); a field stands on the
    signing line above its caption when there is one.
    """
    lines = _signature_lines(reader)
    placements = []
    start = 0
    for spec in specs:
        wanted = _norm(spec.person)
        hit = next((i for i in range(start, len(lines)) if wanted in _norm(lines[i].text)), None)
        if hit is None:
            raise TemplateError(
                f'underskriftssidan saknar namnet "{spec.person}" efter rubriken "{SIGNATURE_HEADING}" – '
                "signaturfältet kan inte placeras; behåll namnförtydligandet i mallen eller rendera med --inga-signaturfält"
            )
        name = lines[hit]
        block = [line for line in lines[start:hit] if line.page == name.page]
        captions = [line for line in block if _norm(line.text) == _norm(CAPTION)]
        anchor = captions[-1] if captions else name
        page = [line for line in lines if line.page == name.page]
        width = float(reader.pages[name.page].mediabox.width)
        rule = _rule_under(anchor, (rules or {}).get(name.page, []))
        box = _box_on(rule, page) if rule is not None else _box(anchor, page, width - anchor.x / 2)
        placements.append(Placement(spec, name.page, box, anchor))
        start = hit + 1
    return placements


# -- writing the fields --------------------------------------------------------


class _Writer(IncrementalPdfFileWriter):
    """pyHanko's incremental writer, minus what would make the output differ from run to run.

    pyHanko stamps the Info dictionary and XMP with its name and the current
    time, and gives the update a random second ID. Adding empty fields does
    not change the document, so the exported metadata stays as it is (PDF/A
    needs Info and XMP to agree), and the ID is derived from the input.
    """

    def __init__(self, data: bytes, salt: bytes) -> None:
        super().__init__(io.BytesIO(data))
        first = self._document_id[0]
        second = hashlib.sha256(data + salt).digest()[:16]
        self._document_id = generic.ArrayObject([first, generic.ByteStringObject(second)])

    def _update_meta(self) -> None:
        return None


def _struct_of(writer: _Writer, page_ref: Any, mcid: int | None) -> Any:
    """The structure element (its reference) that owns ``mcid`` on the page, through the ParentTree."""
    if mcid is None:
        return None
    key = page_ref.get_object().get("/StructParents")
    for number, value in _number_tree(writer.root["/StructTreeRoot"]["/ParentTree"]):
        if number == key:
            items = value.get_object()
            return items.raw_get(mcid) if mcid < len(items) else None
    return None


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    """Every (key, raw value) of a number tree, leaves in order."""
    node = node.get_object()
    pairs = []
    if "/Nums" in node:
        nums = node["/Nums"]
        pairs += [(int(nums[i]), nums.raw_get(i + 1)) for i in range(0, len(nums) - 1, 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid)
    return pairs


def _last_leaf(node: Any) -> Any:
    node = node.get_object()
    while "/Nums" not in node:
        node = node["/Kids"][-1].get_object()
    return node


def _tag(writer: _Writer, field_ref: Any, page_ref: Any, before: Any) -> None:
    """Make the widget a Form element (with an OBJR) just before ``before``, and give it a ParentTree key.

    Every object read from the file that changes is marked with
    ``update_container``, which rewrites the indirect object holding it.
    """
    tree_root = writer.root["/StructTreeRoot"]
    parent_ref = before.get_object().raw_get("/P") if before is not None else writer.root.raw_get("/StructTreeRoot")
    parent = parent_ref.get_object()
    element_ref = writer.add_object(generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/StructElem"),
        pdf_name("/S"): pdf_name("/Form"),
        pdf_name("/P"): parent_ref,
        pdf_name("/Pg"): page_ref,
        pdf_name("/K"): generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/OBJR"), pdf_name("/Obj"): field_ref, pdf_name("/Pg"): page_ref,
        }),
    }))

    kids = parent["/K"] if "/K" in parent else None
    if not isinstance(kids, generic.ArrayObject):
        kids = generic.ArrayObject([] if kids is None else [parent.raw_get("/K")])
        parent["/K"] = kids
        writer.update_container(parent)
    position = next(
        (i for i in range(len(kids)) if before is not None and _same(kids.raw_get(i), before)), len(kids)
    )
    kids.insert(position, element_ref)
    writer.update_container(kids)

    keys = [number for number, _ in _number_tree(tree_root["/ParentTree"])]
    key = max([int(tree_root.get("/ParentTreeNextKey", 0))] + [k + 1 for k in keys])
    leaf = _last_leaf(tree_root["/ParentTree"])
    nums = leaf["/Nums"]
    nums.append(generic.NumberObject(key))
    nums.append(element_ref)
    writer.update_container(nums)
    if "/Limits" in leaf:
        leaf["/Limits"] = generic.ArrayObject([leaf["/Limits"][0], generic.NumberObject(key)])
        writer.update_container(leaf)
    tree_root["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(tree_root)

    field_ref.get_object()["/StructParent"] = generic.NumberObject(key)
    writer.mark_update(field_ref)


def _same(item: Any, target: Any) -> bool:
    if isinstance(item, generic.IndirectObject) and isinstance(target, generic.IndirectObject):
        return item.reference == target.reference
    return item is target


def with_signature_fields(data: bytes, specs: Sequence[FieldSpec]) -> bytes:
    """``data`` (a tagged PDF) with an empty, tagged signature field for each of ``specs``."""
    if not specs:
        return data
    reader = PdfReader(io.BytesIO(data))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        rules = {index: page_rules(pdf, index) for index in range(len(reader.pages))}
    placements = place_fields(reader, specs, rules)
    salt = "\n".join(f"{p.spec.name}\t{p.spec.tooltip}\t{p.box}" for p in placements).encode("utf-8")
    writer = _Writer(data, salt)
    for placement in placements:
        page_ref = writer.find_page_for_modification(placement.page)[0]
        before = _struct_of(writer, page_ref, placement.before.mcid)
        append_signature_field(writer, SigFieldSpec(
            sig_field_name=placement.spec.name,
            on_page=placement.page,
            box=placement.box,
            readable_field_name=placement.spec.tooltip,
        ))
        field_ref = next(
            f for f in writer.root["/AcroForm"]["/Fields"]
            if f.get_object().get("/T") == placement.spec.name
        )
        _tag(writer, field_ref, page_ref, before)
        page = page_ref.get_object()
        if page.get("/Tabs") != "/S":
            page["/Tabs"] = pdf_name("/S")
            writer.mark_update(page_ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_signature_fields(pdf: Path, specs: Sequence[FieldSpec]) -> Path:
    """Rewrite ``pdf`` (the rendered agreement) atomically with a signature field for each of ``specs``."""
    data = Path(pdf).read_bytes()
    try:
        result = with_signature_fields(data, specs)
    except TemplateError as e:
        raise TemplateError(f"{pdf}: {e}") from None
    return fsutil.write_bytes(Path(pdf), result)
