"""Writing an imported draft as a commented agreement file (ruamel, so comments sit where they belong).

Each ``# kontrollera:`` note is written above the key it is about, the text
that found no place is written as a commented block at the end, quoted line
by line, and the running headers and footers the reader left out are named
in the file's header, so nothing of the source is lost.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from .. import fsutil
from ..errors import DraftError
from ..model.checks import PLACEHOLDER
from .draft import Draft
from .new import _target_free
from .skeleton import _schema_line

_WIDTH = 100


def _convert(value: Any, draft: Draft, path: tuple[Any, ...], indent: int) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for key, child in value.items():
            child_indent = indent + 2 if isinstance(child, dict) else indent + 2
            out[key] = _convert(child, draft, (*path, key), child_indent)
            for note in draft.notes.get((*path, key), []):
                lines = textwrap.wrap(note, _WIDTH - indent - 2)
                out.yaml_set_comment_before_after_key(key, before="\n".join(lines), indent=indent)
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        for n, child in enumerate(value):
            seq.append(_convert(child, draft, (*path, n), indent + 2))
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def draft_text(draft: Draft, target: Path | None = None) -> str:
    """The draft as the text of an agreement file."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # long texts stay on one line; comments are wrapped by hand
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(_convert(draft.data, draft, (), 0), out)
    header = [
        _schema_line(target or Path("agreements") / "x" / "utkast.yaml"),
        f"# Utkast importerat med `samverkan import` från {draft.source}.",
        "#",
        f'# Gå igenom varje "# kontrollera:" (en gissning, med källans text) och ersätt varje "{PLACEHOLDER}: …>";',
        "# `samverkan validate` visar vad som återstår. Text som importen inte kunde placera står sist i filen",
        "# som kommentarer: flytta in den där den hör hemma eller ta bort den.",
    ]
    if draft.furniture:
        header.append("#")
        header.append("# Sidhuvuden, sidfötter och sidnummer i källan (inte med i utkastet):")
        header += [f"#   {line}" for line in draft.furniture]
    body = out.getvalue()
    tail: list[str] = []
    if draft.leftovers:
        tail += ["", "# --- Text ur källan som inte kunde placeras (ordagrant) ---"]
        for text in draft.leftovers:
            tail.append("#")
            for paragraph in text.split("\n"):
                tail += [f"# {line}" for line in textwrap.wrap(paragraph, _WIDTH - 2) or [""]]
    return "\n".join(header) + "\n\n" + body + ("\n".join(tail) + "\n" if tail else "")


def write_draft(draft: Draft, output: Path | None, force: bool = False) -> Path:
    """Write the draft (default ``agreements/<kommun>/<år>.yaml``) atomically; refuse to overwrite without ``force``."""
    if output is None:
        start = draft.data.get("period", {}).get("start")
        year = getattr(start, "year", start) if not isinstance(start, str) else None
        name = str(year) if year else fsutil.slug(Path(draft.source).stem)
        kortnamn = draft.data["parter"]["kommun"].get("kortnamn") or draft.data["parter"]["kommun"]["namn"]
        output = Path("agreements") / fsutil.slug(kortnamn) / f"{name}.yaml"
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise DraftError(f"{output}: utkastet skrivs som YAML – ange ett filnamn som slutar på .yaml")
    _target_free(output, force)
    return fsutil.write_text(output, draft_text(draft, output))


__all__ = ["draft_text", "write_draft"]
