"""Tags that LibreOffice gets wrong for samverkan's templates, fixed in the exported PDF.

* The signing table (the signatories side by side, see :mod:`.signing`) is a
  table only for the layout – it has no header cells because it has no
  columns of data – and a layout table must not be tagged as a Table
  (PDF/UA-1 7.5, Matterhorn 15). Its Table, TR and TD elements become Div, so
  each signatory is read as one group: party, name, title. It is found by the
  template's signing styles (:data:`SIGNING_ROLES`). The captions under its
  lines (:data:`CAPTIONS`: a paper form's labels for ink) become artifacts,
  like the lines.
* Numbered points (the style "Numrerad punkt": "1.", a tab, the text) are
  exported as separate paragraphs with the number in the text; they become a
  list (L > LI > Lbl "1." + LBody), so a screen reader announces a numbered
  list of so many items (WCAG 1.3.1), as it does for the bulleted ones.

Only the structure tree, the ParentTree and – for the captions – the marked
content operators change; what is printed stays the same.
"""

from __future__ import annotations

import re

import pikepdf

from .pdfcontent import read_page


def fix_structure(pdf: pikepdf.Pdf) -> None:
    """Apply every fix above to ``pdf`` in place."""
    _untable_layout(pdf)
    _number_lists(pdf)


# Paragraph styles that only the signing table uses (templates/build_templates.py); LibreOffice names
# structure elements after paragraph styles and maps them to P in the RoleMap.
SIGNING_ROLES = frozenset({"/Underskriftspart", "/Underskriftslinje", "/Underskriftstitel"})
CAPTIONS = frozenset({"Underskrift", "Namnförtydligande", "Ort och datum"})  # under the lines (build_templates.py)
_TABLE_PARTS = frozenset({"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"})


def _untable_layout(pdf: pikepdf.Pdf) -> None:
    """Retag every table that holds the signing styles as nested Divs (a layout table, not data)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = _kids(root)
    while stack:
        element = stack.pop()
        if element.get("/S") == "/Table" and any(e.get("/S") in SIGNING_ROLES for e in _descendants(element)):
            for part in [element, *_descendants(element)]:
                if part.get("/S") in _TABLE_PARTS:
                    part.S = pikepdf.Name.Div
                    _drop_table_attributes(part)
            _captions_as_artifacts(pdf, element)
        else:
            stack += _kids(element)


def _captions_as_artifacts(pdf: pikepdf.Pdf, table: pikepdf.Dictionary) -> None:
    """Make the captions under the signing lines (:data:`CAPTIONS`) artifacts, like the lines themselves.

    "Underskrift" under an empty line, "Namnförtydligande" under a printed name: a paper form's labels for
    ink, not part of what the document says (the web page does not say them either). Each caption's marked
    content becomes an Artifact, its element leaves the tree and the ParentTree.
    """
    numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    texts: dict[int, dict[int, str]] = {}
    found: dict[int, set[int]] = {}  # page index → MCIDs to turn into artifacts
    for element in _descendants(table):
        if element.get("/S") != "/Bildtext" or "/P" not in element:
            continue
        items = _marked_content(element)
        if not items or any(page not in numbers for page, _ in items):
            continue
        for page, _ in items:
            if numbers[page] not in texts:
                texts[numbers[page]] = read_page(pdf.pages[numbers[page]], numbers[page] + 1, {}).mcid_text
        text = " ".join("".join(texts[numbers[page]].get(mcid, "") for page, mcid in items).split())
        if text not in CAPTIONS:
            continue
        parent = element.P
        kids = parent.get("/K")
        kept = [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids]) if not (
            isinstance(k, pikepdf.Dictionary) and k.is_indirect and element.is_indirect and k.objgen == element.objgen)]
        parent.K = pikepdf.Array(kept)
        for page, mcid in items:
            found.setdefault(numbers[page], set()).add(mcid)
    for index, mcids in found.items():
        _unmark(pdf, pdf.pages[index], mcids)


def _marked_content(element: pikepdf.Dictionary) -> list[tuple[tuple[int, int], int]]:
    """(page objgen, MCID) of an element's own marked content; [] if it has child elements."""
    kids = element.get("/K")
    items = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int) and "/Pg" in element:
            items.append((element.Pg.objgen, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            items.append(((kid.Pg if "/Pg" in kid else element.Pg).objgen, int(kid.MCID)))
        else:
            return []
    return items


def _unmark(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    """Turn the marked-content sequences ``mcids`` of ``page`` into Artifacts; clear their ParentTree entries."""
    properties = page.obj.get("/Resources", {}).get("/Properties", {})
    ops = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC":
            props = operands[1]
            if isinstance(props, pikepdf.Name):
                props = properties.get(props)
            if isinstance(props, pikepdf.Dictionary) and int(props.get("/MCID", -1)) in mcids:
                ops.append(([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
                continue
        ops.append((operands, operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
    tree = pdf.Root.StructTreeRoot.get("/ParentTree")
    key = page.obj.get("/StructParents")
    nodes = [tree] if tree is not None and key is not None else []
    while nodes:
        node = nodes.pop()
        nums = node.get("/Nums") or []
        for i in range(0, len(nums) - 1, 2):
            if int(nums[i]) == int(key):
                for mcid in mcids:
                    if mcid < len(nums[i + 1]):
                        nums[i + 1][mcid] = None
        nodes += list(node.get("/Kids") or [])


def _drop_table_attributes(element: pikepdf.Dictionary) -> None:
    """Remove the Table-owner attributes (spans, scope): they mean nothing on a Div; layout ones stay."""
    attributes = element.get("/A")
    items = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    kept = [a for a in items if not (isinstance(a, pikepdf.Dictionary) and a.get("/O") == "/Table")]
    if len(kept) == len(items):
        return
    if not kept:
        del element["/A"]
    else:
        element.A = kept[0] if len(kept) == 1 else pikepdf.Array(kept)


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _descendants(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found, stack = [], _kids(element)
    while stack:
        kid = stack.pop()
        found.append(kid)
        stack += _kids(kid)
    return found


# -- numbered points -------------------------------------------------------------------

NUMBERED_ROLES = frozenset({"/Numrerad punkt"})  # the template's numbered point (build_templates.py)
_LABEL = re.compile(r"\s*\d{1,3}[.)]\s*")


def _number_lists(pdf: pikepdf.Pdf) -> None:
    """Each run of numbered-point paragraphs becomes one list: L > LI > (Lbl with the number, LBody)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    texts: dict[tuple[int, int], dict[int, str]] = {}
    numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}

    def label_of(element: pikepdf.Dictionary) -> object | None:
        """The element's first /K item if it is marked content reading "1." (or "1)"), else None."""
        kids = element.get("/K")
        first = kids[0] if isinstance(kids, pikepdf.Array) and len(kids) > 1 else None
        if isinstance(first, int) and "/Pg" in element:
            page, mcid = element.Pg.objgen, int(first)
        elif isinstance(first, pikepdf.Dictionary) and first.get("/Type") == "/MCR":
            page, mcid = (first.Pg if "/Pg" in first else element.Pg).objgen, int(first.MCID)
        else:
            return None
        if page not in numbers:
            return None
        if page not in texts:
            texts[page] = read_page(pdf.pages[numbers[page]], numbers[page] + 1, {}).mcid_text
        return (page, mcid) if _LABEL.fullmatch(texts[page].get(mcid, "")) else None

    stack = [root]
    while stack:
        parent = stack.pop()
        kids = parent.get("/K")
        if not isinstance(kids, pikepdf.Array):
            stack += _kids(parent)
            continue
        out: list[object] = []
        changed = False
        run: list[tuple[pikepdf.Dictionary, tuple[tuple[int, int], int]]] = []
        for kid in [*kids, None]:
            numbered = isinstance(kid, pikepdf.Dictionary) and kid.get("/S") in NUMBERED_ROLES and kid.is_indirect
            found = label_of(kid) if numbered else None
            if found is not None:
                run.append((kid, found))
                continue
            if run:
                out.append(_as_list(pdf, parent, run))
                changed, run = True, []
            if kid is not None:
                out.append(kid)
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append(kid)
        if changed:
            parent.K = pikepdf.Array(out)


def _as_list(pdf: pikepdf.Pdf, parent: pikepdf.Dictionary,
             items: list[tuple[pikepdf.Dictionary, tuple[tuple[int, int], int]]]) -> pikepdf.Object:
    def element(role: str, owner: pikepdf.Object, page: pikepdf.Object) -> pikepdf.Object:
        return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(role), P=owner, Pg=page))

    first = items[0][0]
    numbered = element("/L", parent, first.Pg)
    numbered.A = pikepdf.Dictionary(O=pikepdf.Name.List, ListNumbering=pikepdf.Name.Decimal)
    entries = []
    for body, (page, mcid) in items:
        item = element("/LI", numbered, body.Pg)
        label_page = next(p for p in pdf.pages if p.obj.objgen == page).obj
        label = element("/Lbl", item, label_page)
        label.K = pikepdf.Array([mcid])
        body.S, body.P = pikepdf.Name.LBody, item
        body.K = pikepdf.Array(list(body.K)[1:])
        item.K = pikepdf.Array([label, body])
        _own(pdf, label_page, mcid, label)
        entries.append(item)
    numbered.K = pikepdf.Array(entries)
    return numbered


def _own(pdf: pikepdf.Pdf, page: pikepdf.Object, mcid: int, owner: pikepdf.Object) -> None:
    """Point the ParentTree entry of ``mcid`` on ``page`` at ``owner``."""
    tree = pdf.Root.StructTreeRoot.get("/ParentTree")
    key = page.get("/StructParents")
    nodes = [tree] if tree is not None and key is not None else []
    while nodes:
        node = nodes.pop()
        nums = node.get("/Nums") or []
        for i in range(0, len(nums) - 1, 2):
            if int(nums[i]) == int(key) and mcid < len(nums[i + 1]):
                nums[i + 1][mcid] = owner
        nodes += list(node.get("/Kids") or [])
