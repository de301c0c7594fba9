"""Messages about publish's temporary files name the agreement, not a temporary path.

``publish`` renders and converts in a temporary folder; a converter error
would otherwise tell the user about ``/tmp/samverkan-publish-…/medborgarlofte.docx``,
a file they never made and that is gone when they read the message.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InvalidAgreement, SamverkanError

_WHAT = {
    "overenskommelse": "överenskommelsen",
    "medborgarlofte": "medborgarlöftet",
    "undertecknad": "den undertecknade överenskommelsen",
}


@contextlib.contextmanager
def named_after(work: Path, source: Path) -> Iterator[None]:
    """Errors raised inside name each file in ``work`` as the document of ``source`` it is."""
    try:
        yield
    except SamverkanError as error:
        pattern = re.compile(re.escape(str(work)) + r"/([\w.-]+?)(\.docx|\.pdf)?\b")
        text = pattern.sub(lambda m: f"{_WHAT.get(m.group(1), m.group(1))} ur {source}", str(error))
        if text == str(error) or isinstance(error, InvalidAgreement):  # nothing to rename, or no plain message
            raise
        raise type(error)(text) from None
