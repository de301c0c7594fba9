"""samverkan: samverkansöverenskommelser och medborgarlöften mellan kommun och polis.

Everything the command line does can be done from Python::

    from samverkan import load
    agreement = load("agreements/oxelosund/2024.yaml")
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import InvalidAgreement, SamverkanError
from .loader import load, loads
from .models import Agreement

try:
    __version__ = version("samverkan")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["Agreement", "InvalidAgreement", "SamverkanError", "__version__", "load", "loads"]
