"""samverkan: samverkansöverenskommelser och medborgarlöften mellan kommun och polis.

Everything the command line does can be done from Python::

    from samverkan import load, render_files, diff
    agreement = load("agreements/oxelosund/2024.yaml")
    render_files(["agreements/oxelosund/2024.yaml"], Path("output"))
    diff("agreements/oxelosund/2021.yaml", "agreements/oxelosund/2024.yaml")

The rendering and comparison functions are imported on first use, so
``import samverkan`` stays fast for validation. Each stage is also a module
of its own (``samverkan.compare.compare``, ``samverkan.publish.publish``).
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import InvalidAgreement, SamverkanError
from .loader import load, loads
from .models import Agreement

try:
    __version__ = version("samverkan")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

_LAZY = {
    "render_docx": "render",
    "render_files": "render",
    "diff": "redline",
    "new_version": "drafting",
    "init_agreement": "drafting",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Agreement", "InvalidAgreement", "SamverkanError", "__version__", "load", "loads", *_LAZY]
