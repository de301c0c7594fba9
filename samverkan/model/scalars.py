"""Plain YAML scalars read by the YAML 1.2 core schema: null, bool, int, float or text.

PyYAML's own resolver is YAML 1.1 (``no`` is false, ``0481`` is octal);
agreements are read as YAML 1.2 says, the way editors and the JSON Schema
see them. This is the hot path of validation, so the common case -- plain
Swedish text -- is decided by its first character.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# YAML 1.2 core schema, for plain (unquoted) scalars: null, bool, int, float.
MAY_START_NUMBER = frozenset("+-.0123456789")
MAY_START_WORD = frozenset("~nNtTfF\n")  # "\n": the empty null, as `$` matches before a final newline
_WORDS: dict[str, bool | None] = {  # exactly what ^(?:~|null|Null|NULL|)$, ^(?:true|True|TRUE)$ … match
    spelling + end: meaning
    for meaning, spellings in (
        (None, ("", "~", "null", "Null", "NULL")),
        (True, ("true", "True", "TRUE")),
        (False, ("false", "False", "FALSE")),
    )
    for spelling in spellings
    for end in ("", "\n")  # `$` matches before a final newline too
}
_NUMBER = re.compile(  # the first alternative that matches decides, as if tried one by one
    r"^(?:(?P<int>[-+]?[0-9]+)"
    r"|(?P<oct>0o[0-7]+)"
    r"|(?P<hex>0x[0-9a-fA-F]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<inf>[-+]?\.(?:inf|Inf|INF))"
    r"|(?P<nan>\.(?:nan|NaN|NAN)))$"
)



def scalar(node: yaml.ScalarNode, tagged: bool = False) -> Any:
    value = node.value
    if node.style in ("'", '"', "|", ">"):  # quoted or block text is always text
        return value
    if tagged and node.tag == "tag:yaml.org,2002:str":
        return value  # an explicit `!!str 0481` is text, as the author asked
    # Plain scalars: PyYAML's tag is its YAML 1.1 guess ("no" → bool), so
    # resolve by the YAML 1.2 core schema instead.
    return plain_scalar(value)


def plain_scalar(value: str) -> Any:
    """A plain (unquoted, untagged) scalar by the YAML 1.2 core schema."""
    if not value:
        return None
    first = value[0]
    if first in MAY_START_NUMBER:
        number = _NUMBER.match(value)
        if number is None:  # a date, a year span, "-" …
            return value
        kind = number.lastgroup
        if kind == "int":
            return int(value)
        if kind == "oct":
            return int(value[2:], 8)
        if kind == "hex":
            return int(value[2:], 16)
        if kind == "float":
            return float(value)
        if kind == "inf":
            return float("-inf") if value.startswith("-") else float("inf")
        return float("nan")
    if first in MAY_START_WORD:
        return _WORDS.get(value, value)  # null, a bool, or text like "namn"
    return value  # most values: plain Swedish text


__all__ = ["plain_scalar", "scalar"]
