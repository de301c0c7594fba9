"""Drafting: next year's version of an agreement (:mod:`.new`) or a fresh skeleton (:mod:`.skeleton`)."""

from .new import new_version, next_version_text, shift_end, shift_start, source_year
from .skeleton import init_agreement, kommun_name, placeholder, skeleton_text

__all__ = [
    "init_agreement", "kommun_name", "new_version", "next_version_text", "placeholder",
    "shift_end", "shift_start", "skeleton_text", "source_year",
]
