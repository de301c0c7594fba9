"""After signing: the signed PDF/A with the scanned signature pages, and the HTML medborgarlöfte."""

from .signed import publish

__all__ = ["publish"]
