"""The installed version of samverkan (``0.0.0`` when run from a source tree without install)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("samverkan")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
