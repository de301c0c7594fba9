"""Reading a scanned signature page: a PDF of images from a scanner.

The scan is read with pypdf and checked before anything else happens: it
must be a PDF (not a JPEG saved with the wrong name), unencrypted, readable,
and have a scanned image on every page. A page's image is taken as it is
and turned by the page's /Rotate so it stands upright; a page made of
several images is drawn whole with poppler's pdftoppm. Every page is kept
as PNG, at most an A4 page at 300 dpi.

A scanner with text recognition also gives the page a text layer. If that
text shows "Versionskod: <12 hex digits>" (printed on every signature page),
the codes are collected so the publish step can check them; a plain image
scan has no text and nothing to check.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .errors import PublishError

MAX_SCAN_BYTES = 200_000_000
"""Largest scan read (a 300 dpi colour A4 page is a few MB)."""

MAX_SIDE = 3508
"""Longest side kept, in pixels: an A4 page at 300 dpi. Larger scans are scaled down."""

RASTER_DPI = 300
"""Resolution when a page has to be drawn rather than its image taken as it is."""

VERSION_CODE = re.compile(r"Versionskod:?\s*([0-9a-f]{12})\b")

_IMAGE_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG": "PNG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


@dataclass(frozen=True)
class ScanPage:
    """One scanned page as an upright PNG image."""

    number: int
    png: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Scan:
    """A readable scan: its upright page images and any version codes in its text layer."""

    path: Path
    pages: tuple[ScanPage, ...]
    version_codes: tuple[str, ...]


def read_scan(path: Path) -> Scan:
    """Read and check a scanned PDF; its pages as upright PNG images.

    Refuses (with :class:`PublishError`) a missing file, a file that is not a
    PDF, an encrypted or damaged PDF, and a page without a scanned image.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise PublishError(f"{path}: den inskannade filen kan inte läsas ({e.strerror}) – ange rätt sökväg med --signed") from None
    if size > MAX_SCAN_BYTES:
        raise PublishError(f"{path}: filen är för stor ({size // 1_000_000} MB) – skanna med lägre upplösning (300 dpi räcker)")
    if b"%PDF-" not in head:
        kind = next((name for magic, name in _IMAGE_MAGIC.items() if head.startswith(magic)), None)
        found = f"en {kind}-bild, inte en PDF" if kind else "inte en PDF (den börjar inte med %PDF-)"
        raise PublishError(
            f"{path}: filen är {found} – skanna underskriftssidan till PDF (skannerns PDF-läge) och försök igen"
        )
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise PublishError(
                f"{path}: PDF-filen är krypterad eller lösenordsskyddad – spara en kopia utan lösenord "
                "och utan skydd och försök igen"
            )
        pages = list(reader.pages)
        if not pages:
            raise PublishError(f"{path}: PDF-filen har inga sidor – skanna underskriftssidan igen")
        scanned = tuple(_page_image(path, i, page) for i, page in enumerate(pages, start=1))
        codes = tuple(code for page in pages for code in VERSION_CODE.findall(_text(page)))
    except PublishError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, OSError, RecursionError) as e:
        raise PublishError(
            f"{path}: PDF-filen är trasig och kan inte läsas ({type(e).__name__}: {e}) – skanna sidan igen "
            "eller spara PDF:en på nytt från skannerprogrammet"
        ) from None
    return Scan(path=path, pages=scanned, version_codes=codes)


def _text(page: Any) -> str:
    try:
        return page.extract_text() or ""
    except Exception:  # noqa: BLE001 - a broken text layer only means there is no code to check
        return ""


def _page_image(path: Path, number: int, page: Any) -> ScanPage:
    """The page's scanned image, upright, as PNG.

    The usual scanner page holds one image: it is decoded with pypdf (no
    loss) and turned by the page's /Rotate. A page built from several
    images (strips, or the text and background layers of a "compact" scan),
    an image pypdf cannot decode (JBIG2, for example), or one drawn turned
    on the page (its shape does not match the page's) is drawn as a whole
    with poppler's pdftoppm instead, so the result is what a viewer shows.
    """
    images = list(page.images)
    if not images:
        raise PublishError(
            f"{path}: sida {number} innehåller ingen inskannad bild – skanna den underskrivna sidan "
            "(inte den digitala PDF:en) och försök igen"
        )
    picture = None
    if len(images) == 1:
        try:
            picture = images[0].image
        except Exception:  # noqa: BLE001 - pypdf and Pillow raise many kinds for odd encodings
            picture = None
    rotation = page.rotation % 360
    if picture is not None:
        turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
        if rotation in turn:
            picture = picture.transpose(turn[rotation])
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if rotation in (90, 270):
            width, height = height, width
        if (picture.width > picture.height) != (width > height):
            picture = None
    if picture is None:
        picture = _rasterise(path, number)
    if picture.width > picture.height * 1.05:
        raise PublishError(
            f"{path}: sida {number} ligger ner (bilden är bredare än hög) – vrid sidan rätt i skannerprogrammet "
            "eller skanna den stående och försök igen"
        )
    picture = _plain(picture)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=False)
    return ScanPage(number=number, png=buffer.getvalue(), width=picture.width, height=picture.height)


def _plain(picture: Any) -> Any:
    """Black-and-white, grey or RGB on white, at most :data:`MAX_SIDE` pixels long."""
    if picture.mode not in ("1", "L", "RGB"):
        if picture.mode in ("RGBA", "LA", "P", "PA"):
            picture = picture.convert("RGBA")
            background = Image.new("RGB", picture.size, "white")
            background.paste(picture, mask=picture.getchannel("A"))
            picture = background
        elif picture.mode.startswith("I") or picture.mode == "F":  # 16-bit grey: scale, don't clip
            picture = picture.convert("I").point(lambda v: v * (1 / 256)).convert("L")
        else:  # CMYK, YCbCr, LAB ...
            picture = picture.convert("RGB")
    if max(picture.size) > MAX_SIDE:
        if picture.mode == "1":
            picture = picture.convert("L")
        picture = picture.copy()
        picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return picture


def _rasterise(path: Path, number: int) -> Any:
    """Page ``number`` drawn by pdftoppm at :data:`RASTER_DPI` (it applies /Rotate itself)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise PublishError(
            f"{path}: sida {number} består av flera bilder och behöver pdftoppm för att läsas – "
            "installera poppler-utils (kör scripts/setup.sh) eller skanna om sidan som en enda bild"
        )
    with tempfile.TemporaryDirectory(prefix="samverkan-scan-") as tmp:
        prefix = Path(tmp) / "sida"
        command = [pdftoppm, "-r", str(RASTER_DPI), "-png", "-singlefile", "-f", str(number), "-l", str(number), str(path), str(prefix)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=120)
            with Image.open(prefix.with_suffix(".png")) as image:
                image.load()
                return image.copy()
        except (OSError, subprocess.SubprocessError) as e:
            raise PublishError(
                f"{path}: sida {number} kan inte läsas som bild ({type(e).__name__}) – skanna om sidan "
                "med JPEG- eller PNG-komprimering i skannerns PDF-läge"
            ) from None
