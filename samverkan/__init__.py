"""samverkan: samverkansöverenskommelser och medborgarlöften mellan kommun och polis.

Everything the command line does can be done from Python::

    from samverkan import load, render_files, diff
    agreement = load("agreements/oxelosund/2024.yaml")
    render_files(["agreements/oxelosund/2024.yaml"], Path("output"))
    diff("agreements/oxelosund/2021.yaml", "agreements/oxelosund/2024.yaml")

The rendering and comparison functions are imported on first use, so
``import samverkan`` stays fast for validation. Each stage is also a module
package of its own, named after the stage (see docs/architecture.md):
``samverkan.model`` → ``samverkan.documents`` → ``samverkan.compare`` →
``samverkan.publish``, with ``samverkan.drafting`` beside the documents and
``samverkan.cli`` at the door.
"""

from .errors import InvalidAgreement, SamverkanError
from .model.loader import load, loads
from .model.models import Agreement
from .version import __version__

_LAZY = {
    "render_docx": "documents.render",
    "render_files": "documents.render",
    "diff": "compare.redline",
    "new_version": "drafting.new",
    "init_agreement": "drafting.skeleton",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Agreement", "InvalidAgreement", "SamverkanError", "__version__", "load", "loads", *_LAZY]
