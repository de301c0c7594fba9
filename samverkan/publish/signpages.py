"""Put the scanned signature pages into the rendered PDF, keeping everything the render had.

The render is already a tagged PDF/A-2b with bookmarks, title and language.
Exporting it again through Word and LibreOffice with the scan as a picture
(what publish did before issue 14) lost the signature section's headings,
bookmarks and text; merging pages with pypdf would drop the tags. So the
scanned pages go into the render's own signature pages, with pikepdf:

* the page keeps all its tagged content – the heading "Underskrifter", the
  parties' headings, places, dates, names and titles, the version code – as
  invisible text (rendering mode 3, as a scanner with text recognition
  writes it), so search, copying and screen readers still have the words the
  printed page carried, and every bookmark still leads to them;
* its lines and borders are no longer painted (``n`` instead of the paint
  operator), and the scanned image is drawn over the whole page (scaled to
  fit, centred), inside a new ``/Figure`` structure element with alt text
  naming every signatory with title, place and date; the Figure follows the
  page's other elements in the structure tree and in the content;
* the Info dictionary and the XMP say the copy is signed (subject, keywords),
  in the same words in both places.

Fonts, outline, structure, /Lang, the PDF/A and PDF/UA identification and
every other page stay byte for byte as the render wrote them.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from PIL import Image

from ..documents.pdffinish import set_description
from .scan import ScanPage

_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}


@dataclass(frozen=True)
class SignedCopy:
    """What to put into the render: the scanned pages, their alt texts, and the signed copy's description."""

    pages: Sequence[ScanPage]
    alt_texts: Sequence[str]
    subject: str
    keywords: str


def sign_pdf(rendered: bytes, first_page: int, copy: SignedCopy) -> bytes:
    """The render with its pages from ``first_page`` (0-based) on replaced by the scanned pages."""
    with pikepdf.open(io.BytesIO(rendered)) as pdf:
        if first_page + len(copy.pages) != len(pdf.pages):
            raise ValueError("one scanned page per signature page is needed")
        tree = pdf.Root.StructTreeRoot
        parent = _signature_parent(pdf, first_page)
        numbers = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        for offset, (scan, alt) in enumerate(zip(copy.pages, copy.alt_texts, strict=True)):
            page = pdf.pages[first_page + offset]
            mcid = _next_mcid(page)
            box = _place(page, scan)
            image = page.add_resource(_image(pdf, scan), pikepdf.Name.XObject, prefix="Skanning")
            _cover(pdf, page, image, box, mcid)
            figure = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem,
                    S=pikepdf.Name.Figure,
                    P=parent,
                    Pg=page.obj,
                    K=mcid,
                    Alt=pikepdf.String(alt),
                    A=pikepdf.Dictionary(O=pikepdf.Name.Layout, Placement=pikepdf.Name.Block, BBox=pikepdf.Array(box)),
                )
            )
            _insert_child(parent, figure, first_page + offset, numbers)
            _register(pdf, tree, page, mcid, figure)
        set_description(pdf, subject=copy.subject, keywords=copy.keywords)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)  # the version is unchanged; this spares 6 ms
    return out.getvalue()


def _signature_parent(pdf: pikepdf.Pdf, first_page: int) -> pikepdf.Dictionary:
    """The structure element that holds the signature section: the parent of its first element (Document)."""
    page = pdf.pages[first_page].obj
    root = pdf.Root.StructTreeRoot
    stack = list(_kids(root))
    while stack:
        element = stack.pop(0)
        if element.get("/Pg") is not None and element.Pg.objgen == page.objgen and "/P" in element:
            return element.P
        stack.extend(_kids(element))
    top = _kids(root)
    return top[0] if top else root


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and k.get("/Type") not in ("/MCR", "/OBJR") and "/S" in k]


def _insert_child(parent: pikepdf.Dictionary, figure: pikepdf.Object, page: int, numbers: dict[tuple[int, int], int]) -> None:
    """Before the first child of ``parent`` that starts on a later page, so structure order follows the pages."""
    kids = parent.get("/K")
    if not isinstance(kids, pikepdf.Array):
        kids = pikepdf.Array([] if kids is None else [kids])
        parent.K = kids
    at = len(kids)
    for index, kid in enumerate(kids):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Pg") is not None and numbers.get(kid.Pg.objgen, 0) > page:
            at = index
            break
    kids.insert(at, figure)


def _next_mcid(page: pikepdf.Page) -> int:
    used = [-1]
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            used.append(int(operands[1].MCID))
    return max(used) + 1


def _place(page: pikepdf.Page, scan: ScanPage) -> list[float]:
    """[x0, y0, x1, y1]: the scan scaled to fit the page, centred."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    scale = min((x1 - x0) / scan.width, (y1 - y0) / scan.height)
    width, height = scan.width * scale, scan.height * scale
    left, bottom = x0 + ((x1 - x0) - width) / 2, y0 + ((y1 - y0) - height) / 2
    return [round(left, 3), round(bottom, 3), round(left + width, 3), round(bottom + height, 3)]


def _image(pdf: pikepdf.Pdf, scan: ScanPage) -> pikepdf.Stream:
    """The scan (black-and-white, grey or RGB, as :mod:`.scan` keeps it) as a Flate-compressed image.

    No transparency and device colour under the render's sRGB output intent: as PDF/A-2b allows.
    """
    picture = Image.open(io.BytesIO(scan.png))
    if picture.mode not in ("1", "L", "RGB"):
        picture = picture.convert("RGB")
    stream = pikepdf.Stream(pdf, zlib.compress(picture.tobytes(), 6))
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = picture.width, picture.height
    stream.ColorSpace = pikepdf.Name.DeviceRGB if picture.mode == "RGB" else pikepdf.Name.DeviceGray
    stream.BitsPerComponent = 1 if picture.mode == "1" else 8  # a 1-bit row is packed, 1 = white as in Pillow
    stream.Filter = pikepdf.Name.FlateDecode
    return stream


def _cover(pdf: pikepdf.Pdf, page: pikepdf.Page, image: pikepdf.Name, box: list[float], mcid: int) -> None:
    """Keep the page's tagged text invisible, paint no lines, and draw the scan as tagged Figure content on top."""
    operations: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator) if not isinstance(instruction, pikepdf.ContentStreamInlineImage) else ""
        if operator in _PAINT:
            operations.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("n")))
        elif operator == "sh":
            continue
        elif operator == "Tr":
            operations.append(pikepdf.ContentStreamInstruction([3], pikepdf.Operator("Tr")))
        else:
            operations.append(instruction)
            if operator == "BT":
                operations.append(pikepdf.ContentStreamInstruction([3], pikepdf.Operator("Tr")))
    x0, y0, x1, y1 = box
    kept = pikepdf.unparse_content_stream(operations)
    figure = (
        f"/Figure <</MCID {mcid}>> BDC\nq\n{x1 - x0:.3f} 0 0 {y1 - y0:.3f} {x0:.3f} {y0:.3f} cm\n{image} Do\nQ\nEMC\n"
    ).encode()
    page.obj.Contents = pdf.make_stream(b"q\n" + kept + b"\nQ\n" + figure)


def _register(pdf: pikepdf.Pdf, tree: pikepdf.Dictionary, page: pikepdf.Page, mcid: int, figure: pikepdf.Object) -> None:
    """Enter the figure in the ParentTree under the page's /StructParents, at its MCID."""
    parents = pikepdf.NumberTree(tree.ParentTree)
    key = page.obj.get("/StructParents")
    if key is None:
        key = int(tree.get("/ParentTreeNextKey", max([int(k) for k, _ in parents.items()] or [-1]) + 1))
        page.obj.StructParents = key
        tree.ParentTreeNextKey = key + 1
        parents[key] = pdf.make_indirect(pikepdf.Array())
    array = parents[int(key)]
    while len(array) < mcid:
        array.append(pikepdf.Null())
    if len(array) == mcid:
        array.append(figure)
    else:
        array[mcid] = figure
