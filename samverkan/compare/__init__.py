"""Comparing two versions of an agreement: what changed, in words and as a Word redline.

- :mod:`.structure` pairs the parts of two agreements and records every
  difference as a :class:`~.changes.Comparison` (the data of :mod:`.changes`,
  the plain texts of :mod:`.texts`);
- :mod:`.textdiff` is the word-level diff underneath;
- :mod:`.formats` writes a comparison as Swedish text, markdown or JSON;
- :mod:`.trackchanges` and :mod:`.redline` build the Word document with
  tracked changes from the two renders.
"""

from .changes import Comparison
from .structure import compare

__all__ = ["Comparison", "compare"]
