"""Safe, fast YAML reading with the position of every value.

The file is composed into a node graph by libyaml (PyYAML's C composer: no
Python objects are constructed from tags, so no code can run), then copied
into plain data by our own walk, which

- resolves plain scalars by the YAML 1.2 core schema (``no`` stays text,
  ``0481`` is a number, dates stay text for the models to parse),
- refuses duplicate keys, unknown tags, recursive aliases, and alias bombs
  (a budget of values and characters counted *after* expansion),
- records the 1-based line and column of every key and list item.

Reading is careful before it is clever: the size is checked before the file
is read and the encoding before it is parsed (:mod:`.textfile`). A syntax
error is explained and repaired where it can be (:mod:`.syntax`), so one run
finds every problem.

Most files are plain mappings, lists and untagged scalars. Those are built
straight from libyaml's events in one pass (:func:`_compose_plain`); anything
else – an anchor, alias or tag, a second document, a syntax error, any value
that would be refused – is handed to the careful path (compose, then walk),
which gives the result and every message. So both paths agree by construction:
the quick one either builds exactly what the careful one would, or steps aside.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from . import syntax
from .characters import refusal
from .scalars import MAY_START_NUMBER, MAY_START_WORD, plain_scalar, scalar
from .textfile import MAX_BYTES, Refused, decode, read_text  # the bytes before the YAML, re-exported

try:  # libyaml is ~50× faster; the pure-Python composer gives the same nodes
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _CParser = None

MAX_NODES = 100_000
"""Most values a file may expand to, aliases included (stops alias bombs)."""

MAX_TEXT = 4_000_000
"""Most characters of text a file may expand to, aliases included."""

MAX_DEPTH = 60
"""Deepest nesting accepted (a real agreement nests about 6 levels)."""

Loc = tuple[str | int, ...]


class Unreadable(Exception):
    """The file cannot be read as YAML even after repairs: every problem found, in order."""

    def __init__(self, refusals: list[Refused]):
        super().__init__("\n".join(r.message for r in refusals))
        self.refusals = refusals


class Document:
    """Plain data parsed from a YAML file and where each value stands in it.

    Only a file with problems needs positions: for a file read the quick way
    (``text`` given, ``positions`` not) they are found when first asked for,
    by reading the text again the careful way.
    """

    def __init__(
        self,
        path: Path,
        data: Any,
        positions: dict[Loc, tuple[int, int]] | None = None,
        *,
        text: str | None = None,
        quick: bool = False,
    ):
        self.path = path
        self.data = data
        self._positions = None if quick else (positions if positions is not None else {})
        self._text = text
        self._quick = quick
        self.problems: list[Refused] = []
        """Problems found while reading (syntax, duplicate fields); the data is then read from a repaired text."""

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, data={self.data!r})"

    @property
    def positions(self) -> dict[Loc, tuple[int, int]]:
        """1-based (line, column) of every mapping key and list item, by location."""
        if self._positions is None:
            assert self._text is not None
            self._positions = _parse_carefully(self.path, self._text).positions
        return self._positions

    def may_hold(self, char: str) -> bool:
        """Whether some text in the data may contain ``char``.

        False only for a file read the quick way whose text has neither the
        character nor a backslash (a double-quoted escape such as ``\\x3c``).
        """
        return not self._quick or self._text is None or char in self._text or "\\" in self._text

    @property
    def lines(self) -> list[str]:
        """The file's lines as written (empty when the text is not known)."""
        return self._text.split("\n") if self._text is not None else []

    def position(self, loc: Loc) -> tuple[int, int]:
        """1-based (line, column) of ``loc``, or of its nearest parent present."""
        for end in range(len(loc), 0, -1):
            found = self.positions.get(tuple(loc[:end]))
            if found:
                return found
        return (1, 1)


_KNOWN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "!",
}


# A node's properties: an optional anchor, then a tag (`&a !!str …`, `!!str …`).
_TAGGED = re.compile(r"(?:&[^\s]+[ \t]+)?!")


class _Walker:
    def __init__(self, doc: Document, text: str = ""):
        self.doc = doc
        self.text = text
        self.nodes_left = MAX_NODES
        self.text_left = MAX_TEXT
        self.active: set[int] = set()
        self.visited: set[int] = set()  # a node met twice came through an alias

    def refuse(self, node: yaml.Node, message: str) -> Refused:
        return Refused(node.start_mark.line + 1, node.start_mark.column + 1, message)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        # A node's start mark is at its tag, if it has one (libyaml counts characters, as str does).
        tagged = bool(_TAGGED.match(self.text, node.start_mark.index))
        try:
            return scalar(node, tagged)
        except ValueError:  # a decimal number too long for int() (over 4300 digits)
            raise self.refuse(node, "talet har för många siffror – skriv det inom citattecken om det är text") from None

    def plain(self, node: yaml.Node, loc: Loc, depth: int, in_list: bool = False) -> Any:
        """``node`` as plain data; a mapping in a list gives a list of items (see :meth:`mapping`)."""
        self.nodes_left -= 1
        if self.nodes_left < 0:
            if len(self.visited) >= MAX_NODES:  # every value its own: no alias to blame
                raise self.refuse(node, f"filen har för många värden (över {MAX_NODES}) – en överenskommelse behöver inte så många; ta bort värden")
            raise self.refuse(node, f"filen blir för stor när alias expanderas (över {MAX_NODES} värden) – ta bort aliasen (*namn)")
        self.visited.add(id(node))
        if depth > MAX_DEPTH:
            raise self.refuse(node, f"för djup nästling (över {MAX_DEPTH} nivåer) – en överenskommelse behöver inte så många nivåer")
        if node.tag not in _KNOWN_TAGS:  # `!!python/…`, `!!binary`, `!foo`: never silently dropped
            raise self.refuse(node, f'okänd YAML-tagg "{node.tag}" – ta bort taggen; överenskommelser använder bara vanliga värden')
        if isinstance(node, yaml.ScalarNode):
            self.text_left -= len(node.value)
            if self.text_left < 0:
                raise self.refuse(node, f"texten blir för lång när alias expanderas (över {MAX_TEXT} tecken) – ta bort aliasen (*namn)")
            return self.scalar(node)
        if id(node) in self.active:
            raise self.refuse(node, "ett alias hänvisar till sig självt – ta bort det rekursiva aliaset")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                found = self.mapping(node, loc, depth, in_list)
                return found if in_list else found[0]
            items: list[Any] = []
            for item in node.value:
                here = (*loc, len(items))
                self.doc.positions.setdefault(here, (item.start_mark.line + 1, item.start_mark.column + 1))
                if isinstance(item, yaml.MappingNode):
                    items.extend(self.plain(item, here, depth + 1, in_list=True))
                else:
                    items.append(self.plain(item, here, depth + 1))
            return items
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, loc: Loc, depth: int, in_list: bool = False) -> list[dict[Any, Any]]:
        """The mapping's data; in a list, one per item when a forgotten "- " joined several."""
        out: dict[Any, Any] = {}
        found = [out]
        first: tuple[str, yaml.Node] | None = None
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.refuse(key_node, "ett fältnamn måste vara ett enkelt ord, inte en lista eller uppräkning")
            key = self.scalar(key_node)
            key = key if isinstance(key, str) else str(key)
            if key == "<<":
                raise self.refuse(key_node, "sammanslagning med << stöds inte – skriv ut fälten")
            if first is None:
                first = (key, key_node)
            if key in out:
                if in_list and first is not None and key == first[0]:  # a new item that lost its "- "
                    self.doc.problems.append(self._missing_dash(key_node, loc))
                    out, seen = {}, {}
                    found.append(out)
                    loc = (*loc[:-1], loc[-1] + 1) if loc and isinstance(loc[-1], int) else loc
                    self.doc.positions.setdefault(loc, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                else:
                    self.doc.problems.append(self._duplicate(key, key_node, seen[key], in_list, loc))
                    continue
            seen[key] = key_node
            here = (*loc, key)
            self.doc.positions.setdefault(here, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            out[key] = self.plain(value_node, here, depth + 1)
        return found

    def _missing_dash(self, key_node: yaml.Node, loc: Loc) -> Refused:
        mark = key_node.start_mark
        line = self.text.split("\n")[mark.line] if self.text else ""
        list_name = loc[-2] if len(loc) >= 2 else ""
        return Refused(mark.line + 1, max(mark.column - 1, 1), syntax.missing_dash(line, mark.column, key_node.value, list_name))

    def _duplicate(self, key: str, key_node: yaml.Node, earlier: yaml.Node, in_list: bool, loc: Loc) -> Refused:
        list_name = loc[-2] if in_list and len(loc) >= 2 else None
        message = syntax.duplicate(key, earlier.start_mark.line + 1, list_name)
        return Refused(key_node.start_mark.line + 1, key_node.start_mark.column + 1, message)


_TOO_DEEP = f"för djup nästling (över {MAX_DEPTH} nivåer) – en överenskommelse behöver inte så många nivåer"


def _check_depth(text: str) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses in C, and
    some ten thousand nested ``[`` crash the process (a segfault, no message)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Refused(event.start_mark.line + 1, event.start_mark.column + 1, _TOO_DEEP)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as e:
        # libyaml ≥ 0.2.6 stops at 1000 levels itself, while scanning ahead of
        # the events (a run of `[[[[…` is one lookahead): the same refusal.
        mark = e.problem_mark
        if mark is not None and "maximum nesting depth" in (e.problem or ""):
            raise Refused(mark.line + 1, mark.column + 1, _TOO_DEEP) from None
        raise


class _Irregular(Exception):
    """The file is not a plain tree of untagged values: the careful path decides."""


# Plain scalars PyYAML's YAML 1.1 resolver tags merge, value or yaml: the
# careful path refuses them as unknown tags.
_OTHER_TAGS = frozenset(("<<", "=", "!", "&", "*"))


def _compose_plain(text: str) -> dict[Any, Any]:
    """The data of a plain file, in one pass over libyaml's events.

    Builds exactly what ``_Walker`` builds from the composed nodes, for files
    with a mapping at the top, one document, no anchors, aliases or tags and
    nothing the walker would refuse. Raises :class:`_Irregular` for anything
    else (syntax errors included), and the careful path takes over.
    """
    if _CParser is None:  # pragma: no cover - depends on how PyYAML was built
        raise _Irregular
    if len(text) > MAX_TEXT:  # below it, the values cannot add up to more text than the file holds
        raise _Irregular
    get = _CParser(text).get_event
    get()  # the stream start
    if type(get()) is not yaml.DocumentStartEvent:
        raise _Irregular
    event = get()
    if type(event) is not yaml.MappingStartEvent or event.anchor is not None or event.tag is not None:
        raise _Irregular
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    other_tags, may_not_be_text = _OTHER_TAGS, MAY_START_NUMBER | MAY_START_WORD
    root: dict[Any, Any] = {}
    nodes_left = MAX_NODES - 1  # the root is a value too
    deepest = MAX_DEPTH - 2  # as _check_depth counts: the root is level 1, a child of the top of `stack` is len(stack) + 2
    stack: list[tuple[Any, bool]] = []
    container: Any = root
    in_mapping = True
    key: Any = None
    while True:
        event = get()
        kind = type(event)
        if in_mapping:  # a key, or the end of the mapping
            if kind is not scalar:
                if kind is not mapping_end:
                    raise _Irregular  # a list, mapping or alias as a key
                if not stack:
                    break
                container, in_mapping = stack.pop()
                continue
            if event.anchor is not None or event.tag is not None:
                raise _Irregular
            key = event.value
            if not event.style and (not key or key[0] in may_not_be_text):
                key = plain_scalar(key)
                if type(key) is not str:
                    key = str(key)
            if key == "<<" or key in container:
                raise _Irregular
            event = get()  # its value
            kind = type(event)
        if kind is scalar:
            if event.anchor is not None or event.tag is not None:
                raise _Irregular
            value = event.value
            if not event.style:  # plain, not quoted or a block: by the YAML 1.2 core schema
                if not value or value[0] in may_not_be_text:
                    value = plain_scalar(value)
                elif value in other_tags:
                    raise _Irregular
            if in_mapping:
                container[key] = value
            else:
                container.append(value)
            nodes_left -= 1
            if nodes_left < 0:
                raise _Irregular
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None:
                raise _Irregular
            nodes_left -= 1
            if nodes_left < 0 or len(stack) > deepest:
                raise _Irregular
            child: Any = {} if kind is mapping_start else []
            if in_mapping:
                container[key] = child
            else:
                container.append(child)
            stack.append((container, in_mapping))
            container, in_mapping = child, kind is mapping_start
        elif kind is sequence_end:  # a list ends; the top is a mapping, so the list has a parent
            container, in_mapping = stack.pop()
        else:  # an alias
            raise _Irregular
    if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
        raise _Irregular  # a second document
    return root


def _is_empty(text: str) -> bool:
    """Whether ``text`` holds nothing but blank lines and comments."""
    # Lines before the last one of a head of the text are lines of the text:
    # a real file shows it is not empty within its first few lines.
    head = text[:4096].splitlines()[:-1]
    if any(line.strip() and not line.lstrip().startswith("#") for line in head):
        return False
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def parse_text(path: Path, text: str) -> Document:
    """Parse ``text`` into plain data with positions.

    Raises :class:`Refused` or :class:`Unreadable` when there is no data to
    give; problems found on the way to data (syntax repaired, duplicate
    fields) are in the document's ``problems``.
    """
    if _is_empty(text):
        raise Refused(1, 1, "filen är tom – skriv in överenskommelsen, eller kör `samverkan init` för en mall")
    try:
        data = _compose_plain(text)
    except (_Irregular, yaml.YAMLError, ValueError):
        return _parse_carefully(path, text)
    return Document(path, data, text=text, quick=True)


def _parse_carefully(path: Path, text: str) -> Document:
    """Compose ``text`` (repairing what it can) and copy it into plain data with positions."""
    root, problems = _compose(text, repair=True)
    if not isinstance(root, yaml.MappingNode):
        kind = "en lista" if isinstance(root, yaml.SequenceNode) else "ett enskilt värde"
        raise Refused(
            1, 1, f"filen innehåller {kind} – den ska börja med fält som `status:`, `parter:` och `period:`, ett per rad"
        )
    doc = Document(path, None, {}, text=text)
    doc.problems.extend(problems)
    doc.data = _Walker(doc, text).plain(root, (), 0)
    return doc


# libyaml breaks lines at these too; a text holding them is not repaired line by line.
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029](?<!\r(?=\n))")


def _compose(text: str, repair: bool = False) -> tuple[yaml.Node | None, list[Refused]]:
    """libyaml's node graph of ``text``, its depth checked first, and the syntax problems repaired on the way.

    Raises :class:`Refused` or :class:`Unreadable` when no graph can be had.
    """
    problems: list[Refused] = []
    current = text
    repair = repair and not _OTHER_BREAKS.search(text.replace("\r\n", "\n"))
    for _ in range(syntax.MAX_REPAIRS):
        try:
            _check_depth(current)
            return yaml.compose(current, Loader=_Loader), problems
        except yaml.MarkedYAMLError as e:
            lines = current.split("\n")
            finding = syntax.diagnose(lines, e) if repair else syntax.unrepaired(lines, e)
            problems.append(Refused(finding.line + 1, finding.column + 1, finding.message))
            if finding.repaired is None:
                break
            lines[finding.line] = finding.repaired
            current = "\n".join(lines)
        except RecursionError:
            raise Refused(1, 1, f"för djup nästling (över {MAX_DEPTH} nivåer) – förenkla filen") from None
        except yaml.reader.ReaderError as e:  # a raw control character: libyaml gives its place in the text
            raise _raw_character(current, e) from None
        except yaml.YAMLError as e:
            raise Refused(1, 1, f"YAML-fel ({e}) – kontrollera filen") from None
    if len(problems) == 1:
        raise problems[0]
    raise Unreadable(problems)


def _raw_character(text: str, error: yaml.reader.ReaderError) -> Refused:
    # libyaml gives the character as its code and its place in UTF-8 bytes;
    # PyYAML's own reader, the character and its place in the text.
    at, char = error.position, error.character
    char = chr(char) if isinstance(char, int) else char
    raw = text.encode("utf-8", "surrogatepass")
    if raw[at : at + len(char.encode("utf-8", "surrogatepass"))] == char.encode("utf-8", "surrogatepass"):
        at = len(raw[:at].decode("utf-8", "surrogatepass"))
    if not 0 <= at < len(text) or text[at] != char:
        return Refused(1, 1, f"YAML-fel ({error}) – kontrollera filen")
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Refused(line, column, refusal(char))


def read_data(text: str) -> Any:
    """Any YAML value, a list at the top too, as plain data by the rules agreements are read by.

    For the package's own data files (the method catalog); raises :class:`Refused`.
    """
    root, _ = _compose(text)
    if root is None:
        return None
    doc = Document(Path("<data>"), None, {})
    data = _Walker(doc, text).plain(root, (), 0)
    if doc.problems:
        raise doc.problems[0]
    return data
