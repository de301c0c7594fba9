"""Writing edits back into an agreement file without disturbing the rest of it.

``samverkan import … --into`` works out which values of the file a person
changed in the rendered document; this module puts them into the author's
YAML with ruamel.yaml's round trip, so comments, key order, quoting and the
layout of every untouched value survive. A changed text keeps its style
(``|``, ``>`` or plain) and, as far as the edit allows, its own line breaks:
the edit is made on the document's form of the text (paragraphs joined,
lines unwrapped) and carried back character by character, so only the words
that changed move. List items can be removed, added and reordered; an item
keeps the comments written next to it.

The edits come in as plain data (paths of keys and indices); see
:class:`TextEdit` and :class:`ListOrder`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Any, Protocol

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from ..errors import DraftError
from .new import _round_trip

Path = tuple[str | int, ...]
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


class TextEdit(Protocol):
    path: Path
    old: str
    printed: str
    new: str | None
    multiline: bool


class ListOrder(Protocol):
    path: Path
    order: tuple[Any, ...]  # old index, or an object with ``value`` (a text or a mapping of fields)


# -- text: printed form ↔ the file's form -----------------------------------------------------


def printed_form(raw: str, multiline: bool) -> tuple[str, list[tuple[int, int]]]:
    """``raw`` as a document prints it, with the span of ``raw`` behind each printed character.

    Runs of white space become one space, or a paragraph break (two newlines)
    where a blank line separates paragraphs in a text of several paragraphs.
    """
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"\S+|\s+", raw):
        start, end = match.span()
        if not match.group().isspace():
            out.extend(match.group())
            spans.extend((k, k + 1) for k in range(start, end))
        elif 0 < start and end < len(raw):
            sep = "\n\n" if multiline and _BLANK_LINE.search(match.group()) else " "
            out.extend(sep)
            spans.extend([(start, end)] * len(sep))
    return "".join(out), spans


def rewrite(raw: str, printed: str, new: str, multiline: bool) -> tuple[str, dict[int, int]]:
    """The file's text after the printed text ``printed`` became ``new``, and where kept characters went.

    Unchanged stretches are copied from ``raw`` with their own line breaks;
    when ``raw`` does not print as ``printed`` (the template changed it), the
    new text replaces it whole.
    """
    form, spans = printed_form(raw, multiline)
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()):]
    if form != printed:
        return lead + new + trail, {}
    out: list[str] = [lead]
    kept: dict[int, int] = {}
    length = len(lead)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, printed, new, autojunk=False).get_opcodes():
        if tag == "equal":
            first, last = spans[i1][0], spans[i2 - 1][1]
            piece = raw[first:last]
            for k in range(first, last):
                kept[k] = length + k - first
        else:
            piece = new[j1:j2]
            if tag == "delete" and i1 > 0 and i2 < len(printed):
                piece = ""
        out.append(piece)
        length += len(piece)
    out.append(trail)
    text = "".join(out)
    if multiline:  # a paragraph split with Enter leaves no space at the end of a line
        text = re.sub(r"[ \t]+(?=\n)", "", text)
    return text, kept


def _styled(old: Any, text: str, kept: dict[int, int]) -> Any:
    """``text`` in the scalar style of ``old``; a text that gained lines becomes a ``|`` block."""
    if isinstance(old, FoldedScalarString):
        new = FoldedScalarString(text)
        folds = [kept[pos] for pos in getattr(old, "fold_pos", []) if pos in kept and text[kept[pos]:kept[pos] + 1] == " "]
        new.fold_pos = folds  # type: ignore[attr-defined]
        return new
    if isinstance(old, LiteralScalarString) or "\n" in text:
        return LiteralScalarString(text)
    return text


# -- the tree ------------------------------------------------------------------------------------


def _locate(root: Any, path: Path) -> tuple[Any, str | int]:
    """The container and key holding the value at ``path``.

    A section written as plain text (``syfte: Text …``) stands for its
    ``text`` field: the path ``del1.syfte.text`` then ends at ``del1.syfte``.
    """
    node, parent, key = root, None, None
    for n, step in enumerate(path):
        if isinstance(node, str) and n == len(path) - 1:
            return parent, key  # type: ignore[return-value]
        try:
            parent, key, node = node, step, node[step]
        except (KeyError, IndexError, TypeError):
            raise KeyError(path) from None
    return parent, key  # type: ignore[return-value]


def value_at(root: Any, path: Path) -> Any:
    parent, key = _locate(root, path)
    return parent[key]


def _after_block(parent: Any, key: str | int) -> None:
    """A plain value turned into a block ends its own line: the comment after it loses its first line break."""
    comments = getattr(parent, "ca", None)
    token = comments.items.get(key) if comments is not None else None
    if token and len(token) > 2 and token[2] is not None and token[2].value.startswith("\n"):
        token[2].value = token[2].value[1:]


def _new_item(value: str | dict[str, str], like: Any) -> Any:
    if isinstance(value, str):
        return value
    item = CommentedMap()
    order = list(like.keys()) if isinstance(like, dict) else []
    for name in sorted(value, key=lambda k: order.index(k) if k in order else len(order)):
        item[name] = value[name]
    return item


def _take_trailing(seq: CommentedSeq, index: int) -> Any:
    """Take away the comment after item ``index`` (the blank line and comment before the next key live there)."""
    item = seq[index]
    if isinstance(item, CommentedMap) and len(item):
        entry = item.ca.items.get(list(item.keys())[-1])
        if entry and len(entry) > 2 and entry[2] is not None:
            token, entry[2] = entry[2], None
            return token
        return None
    entry = seq.ca.items.get(index)
    if entry and entry[0] is not None:
        token, entry[0] = entry[0], None
        return token
    return None


def _give_trailing(seq: CommentedSeq, index: int, token: Any) -> None:
    item = seq[index]
    if isinstance(item, CommentedMap) and len(item):
        item.ca.items.setdefault(list(item.keys())[-1], [None, None, None, None])[2] = token
    else:
        seq.ca.items.setdefault(index, [None, None, None, None])[0] = token


def _reorder(seq: CommentedSeq, order: Sequence[Any]) -> None:
    """Put ``seq`` in ``order``; the comment after the last item stays after the last item."""
    trailing = _take_trailing(seq, len(seq) - 1) if len(seq) else None
    old = list(seq)
    comments = dict(seq.ca.items) if hasattr(seq, "ca") else {}
    like = next((item for item in old if isinstance(item, dict)), None)
    items, notes = [], {}
    for position, entry in enumerate(order):
        if isinstance(entry, int):
            items.append(old[entry])
            if entry in comments:
                notes[position] = comments[entry]
        else:
            items.append(_new_item(entry.value, like))
    seq.clear()
    seq.extend(items)
    seq.ca.items.clear()
    seq.ca.items.update(notes)
    if items and trailing is not None:
        _give_trailing(seq, len(items) - 1, trailing)
    if not items:  # written `[]`: the comments about the items go with them (a comment line before `[]` is not YAML)
        seq.ca.comment = None
        seq.fa.set_flow_style()


def apply_edits(text: str, values: Sequence[TextEdit], lists: Sequence[ListOrder], name: str = "<text>") -> str:
    """``text`` (an agreement file) with ``values`` set and ``lists`` reordered; paths are as in ``text``."""
    yaml = _round_trip(text)
    try:
        root = yaml.load(text)
    except YAMLError as e:
        raise DraftError(f"{name}: filen kunde inte läsas ({e})") from None
    located = []
    for edit in values:
        try:
            located.append((edit, *_locate(root, edit.path)))
        except KeyError:
            raise DraftError(f"{name}: värdet {dotted(edit.path)} finns inte i filen") from None
    sequences = []
    for change in lists:
        try:
            parent, key = _locate(root, change.path)
        except KeyError:
            raise DraftError(f"{name}: listan {dotted(change.path)} finns inte i filen") from None
        sequences.append((parent[key], change.order, parent, key))
    emptied = []
    for edit, parent, key in located:
        old = parent[key]
        if edit.new is None:
            if isinstance(parent, dict):
                del parent[key]
                emptied.append(edit.path[:-1])
            continue
        raw = str(old)
        new, kept = rewrite(raw, edit.printed, edit.new, edit.multiline)
        styled = _styled(old, new, kept)
        parent[key] = styled
        if isinstance(styled, LiteralScalarString) and not isinstance(old, LiteralScalarString):
            _after_block(parent, key)
    for path in sorted(set(emptied), key=len, reverse=True):  # a section whose every value went goes too
        try:
            holder, name_ = _locate(root, path)
        except KeyError:
            continue
        if isinstance(holder, dict) and isinstance(holder.get(name_), dict) and not holder[name_]:
            del holder[name_]
    for seq, order, parent, key in sequences:
        _reorder(seq, order)
        comments = getattr(parent, "ca", None)
        if not seq and comments is not None and len(comments.items.get(key) or []) > 3:
            comments.items[key][3] = None  # the comment that stood before the first item
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def dotted(path: Path) -> str:
    """``('del2', 'prioriterade_omraden', 0, 'titel')`` → ``del2.prioriterade_omraden[0].titel``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


__all__ = ["apply_edits", "dotted", "printed_form", "rewrite", "value_at"]
