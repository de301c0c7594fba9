"""Click's side of documents samverkan did not write: a kommun's own Word files and PDFs.

``samverkan diff`` hands a comparison with a .docx or PDF to
:func:`plain_diff`; ``samverkan import DOKUMENT --kommun NAMN``
(:mod:`.importcmd`) hands a new draft to :func:`draft_from_document`. They
live here so that :mod:`.commands` stays small.
"""

from __future__ import annotations

from pathlib import Path

import click

from .commands import status


def plain_diff(old: Path, new: Path, output: Path | None, fmt: str, template: Path | None, pdf: bool) -> None:
    """Compare an agreement file with a plain document and print the summary in ``fmt``."""
    from ..compare.plaindiff import diff_plain
    from ..compare.plainformat import PLAIN_FORMATTERS

    comparison = diff_plain(old, new, output, template=template, pdf=pdf)
    click.echo(PLAIN_FORMATTERS[fmt](comparison), nl=False)
    if fmt != "json" and comparison.files:
        click.echo("")
        for path in comparison.files:
            click.echo(str(path))


def draft_from_document(document: Path, kommun: str, output: Path | None, force: bool, dry_run: bool = False) -> None:
    """Read a kommun's own .docx or PDF and write a commented draft agreement file from it (``dry_run``: print it)."""
    from ..documents.reading import read_document
    from ..drafting.draftwrite import draft_text, write_draft
    from ..drafting.importing import build_draft

    read = read_document(document)
    draft = build_draft(list(read.blocks), kommun, read.title, read.path.name, read.furniture)
    if dry_run:
        click.echo(draft_text(draft, output), nl=False)
        status("Torrkörning: utkastet skrevs inte till någon fil.")
        return
    path = write_draft(draft, output, force)
    click.echo(str(path))
    status(f"Gå igenom \"# kontrollera:\" och platshållarna och kör `samverkan validate {path}`.")


__all__ = ["draft_from_document", "plain_diff"]
