"""Commands for documents samverkan did not write: a kommun's own Word files and PDFs.

``samverkan diff`` hands a comparison with a .docx or PDF to
:func:`plain_diff`; the import command lives here too, so that
:mod:`.commands` stays small.
"""

from __future__ import annotations

from pathlib import Path

import click


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


__all__ = ["plain_diff"]
