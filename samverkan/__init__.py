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

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType

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
    "read_document": "documents.reading",  # issue 18: a kommun's own .docx or PDF
    "diff_plain": "compare.plaindiff",
    "build_draft": "drafting.importing",
    "write_draft": "drafting.draftwrite",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Module names from before the package was laid out by stage (issue 12). Scripts
# written against them -- the conformance suite's `from samverkan.loader import
# load` among them -- keep working: the old name is the same module object.
MOVED_MODULES = {
    "yamlread": "model.yamlread", "loader": "model.loader", "models": "model.models", "checks": "model.checks",
    "catalog": "model.catalog", "formatting": "documents.formatting", "views": "documents.views",
    "context": "documents.context", "docxfill": "documents.docxfill", "render": "documents.render",
    "cache": "documents.cache", "convert": "documents.convert", "pdfcheck": "documents.pdfcheck",
    "changes": "compare.changes", "textdiff": "compare.textdiff", "trackchanges": "compare.trackchanges",
    "redline": "compare.redline", "diffformat": "compare.formats", "scan": "publish.scan", "web": "publish.web",
    "drafting": "drafting", "click_sv": "cli.swedish",
}


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``samverkan.<old name>`` as the module that now lives at its stage."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        package, _, old = name.partition(".")
        if package != __name__ or old not in MOVED_MODULES or "." in old:
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(f"{__name__}.{MOVED_MODULES[spec.name.partition('.')[2]]}")

    def exec_module(self, module: ModuleType) -> None:
        """The module is already executed under its new name."""


if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())

__all__ = ["Agreement", "InvalidAgreement", "SamverkanError", "__version__", "load", "loads", *_LAZY]
