"""The command line at the door: Click commands over the library functions.

:mod:`.commands` defines the ``samverkan`` group and its commands; each one
parses options, calls one library function and turns the library's errors
into Click's exit codes. :mod:`.swedish` makes Click's own messages Swedish.
Commands with more to say live in modules of their own and register
themselves on the group: ``import … --into`` in :mod:`.importcmd`.
"""

from . import importcmd  # noqa: F401 - registers `samverkan import`
from .commands import cli, main

__all__ = ["cli", "main"]
