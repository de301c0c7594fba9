"""Reading a scanned signature page: a PDF of images from a scanner.

The scan is read with pypdf and checked before anything else happens: it
must be a PDF (not a JPEG saved with the wrong name), unencrypted, readable,
and have a scanned image on every page. A page's image is taken as it is
and turned by the page's /Rotate so it stands upright; a page made of
several images is drawn whole with poppler's pdftoppm. A page fed into the
scanner slightly askew (0.2–5°) is straightened (see :func:`measure_skew`).
Every page is kept as PNG, at most an A4 page at 300 dpi.

A scanner with text recognition also gives the page a text layer. If that
text shows "Versionskod: <12 hex digits>" (printed on every signature page),
the codes are collected so the publish step can check them; a plain image
scan has no text and nothing to check.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageStat
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import PublishError

MAX_SCAN_BYTES = 200_000_000
"""Largest scan read (a 300 dpi colour A4 page is a few MB)."""

MAX_SIDE = 3508
"""Longest side kept, in pixels: an A4 page at 300 dpi. Larger scans are scaled down."""

RASTER_DPI = 300
"""Resolution when a page has to be drawn rather than its image taken as it is."""

SKEW_RANGE = 5.0
"""Largest skew straightened, in degrees either way; a page turned further is left as it is."""

MIN_SKEW = 0.2
"""Smallest skew straightened, in degrees: less is not worth a resampling of the page."""

MIN_GAIN = 1.5
"""How much sharper the rows must be at the found angle than at 0° for the angle to be trusted.

Text skewed 0.2° scores 1.5–2 (300 dpi: 2), 1° scores 8–16; a page of random specks at most 1.2.
"""

VERSION_CODE = re.compile(r"Versionskod:?\s*([0-9a-f]{12})\b")

_IMAGE_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG": "PNG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


@dataclass(frozen=True)
class ScanPage:
    """One scanned page as an upright PNG image."""

    number: int
    png: bytes
    width: int
    height: int
    straightened: float = 0.0
    """Degrees the scanned page was turned back by (its content lay turned counter-clockwise by this much)."""


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
    The upright page is then straightened if it lies measurably askew.
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
    picture, angle = straighten(_plain(picture))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=False)
    return ScanPage(number=number, png=buffer.getvalue(), width=picture.width, height=picture.height, straightened=angle)


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


# -- skew -------------------------------------------------------------------------

_MAP_COLUMNS = 256
"""Columns of the ink map: few are needed, a line of text is long."""

_MAP_ROWS = 3000
"""Rows of the ink map: many, since the angle is read from how rows line up (about 0.03° a row)."""

_MARGIN = 0.02
"""Share of each edge left out of the measurement (the scanner lid's shadow); the text stays inside."""


@dataclass(frozen=True)
class Skew:
    """How far a page's lines lie turned, and how sure that is.

    ``angle`` is in degrees, positive when the content lies turned
    counter-clockwise (Pillow's ``rotate`` direction), so ``rotate(-angle)``
    straightens it. ``gain`` is how much sharper the row profile is at
    ``angle`` than at 0°.
    """

    angle: float
    gain: float

    @property
    def confident(self) -> bool:
        """Worth straightening: a clear gain over 0°, and inside the range searched."""
        return MIN_SKEW <= abs(self.angle) <= SKEW_RANGE and self.gain >= MIN_GAIN


def measure_skew(picture: Any) -> Skew | None:
    """The skew of a scanned page's text lines, or ``None`` when the page is (nearly) blank.

    A projection-profile search: the page is binarised (ink is what is
    clearly darker than the paper), boiled down to a narrow and tall ink map,
    and for each candidate angle the map is sheared so that lines at that
    angle lie flat; the rows are summed, and the angle at which neighbouring
    row sums differ the most (lines of text and signature lines stand out
    sharply against the gaps between them) wins. The shear uses the nearest
    pixel, so every angle is scored on equally sharp data. The search runs
    over ±:data:`SKEW_RANGE` degrees in steps of 0.5°, then 0.1° around the
    best, and a parabola through the best three gives the final angle.
    """
    grey = picture.convert("L")
    width, height = grey.size
    dx, dy = int(width * _MARGIN), int(height * _MARGIN)
    grey = grey.crop((dx, dy, width - dx, height - dy))
    paper = _median(grey.histogram())
    if paper < 64:  # a dark page (a photo, a negative): nothing to read lines from
        return None
    ink = grey.point([255 if level < paper * 0.6 else 0 for level in range(256)])
    share = ink.histogram()[255] / (ink.width * ink.height)
    if share < 0.0005 or share > 0.5:
        return None
    columns = min(_MAP_COLUMNS, ink.width)
    # Slope of a page line in map units for a page angle: the map's pixels are not square.
    aspect = (ink.width / columns) / (ink.height / _MAP_ROWS)
    # Empty rows above and below, so that no ink is sheared out of the map.
    pad = math.ceil(math.tan(math.radians(SKEW_RANGE + 1)) * aspect * columns / 2) + 2
    ink_map = Image.new("L", (columns, _MAP_ROWS + 2 * pad), 0)
    ink_map.paste(ink.resize((columns, _MAP_ROWS), Image.Resampling.BILINEAR), (0, pad))
    scores: dict[float, float] = {}

    def score(angle: float) -> float:
        angle = round(angle, 2)
        if angle not in scores:
            scores[angle] = _row_sharpness(ink_map, math.tan(math.radians(angle)) * aspect)
        return scores[angle]

    steps = round(SKEW_RANGE / 0.5)
    best = max((i * 0.5 for i in range(-steps, steps + 1)), key=score)
    best = round(max((best + i * 0.1 for i in range(-5, 6)), key=score), 2)
    left, middle, right = score(best - 0.1), score(best), score(best + 0.1)
    curve = left - 2 * middle + right
    angle = best + (0.05 * (left - right) / curve if curve < 0 else 0.0)
    flat = score(0.0)
    return Skew(angle=round(angle, 2), gain=middle / flat if flat > 0 else math.inf)


def straighten(picture: Any) -> tuple[Any, float]:
    """The page turned straight, and the angle it was turned back by (0.0: left as it was).

    Only a confident measurement is acted on. The page keeps its size; the
    corners turned in are filled with the paper's colour (white on a white
    page), never black.
    """
    skew = measure_skew(picture)
    if skew is None or not skew.confident:
        return picture, 0.0
    if picture.mode == "1":
        picture = picture.convert("L")
    paper = tuple(int(v) for v in ImageStat.Stat(picture.reduce(4)).median)
    fill = paper[0] if picture.mode == "L" else paper
    turned = picture.rotate(-skew.angle, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    return turned, skew.angle


def _median(histogram: list[int]) -> int:
    half, seen = sum(histogram) / 2, 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= half:
            return level
    return 255


def _row_sharpness(ink_map: Any, slope: float) -> float:
    """Sum of squared differences of neighbouring row sums after shearing lines of ``slope`` flat."""
    centre = ink_map.width / 2
    sheared = ink_map.transform(
        ink_map.size, Image.Transform.AFFINE, (1, 0, 0, -slope, 1, slope * centre),
        resample=Image.Resampling.NEAREST, fillcolor=0,
    )
    rows = array("f", sheared.convert("F").resize((1, sheared.height), Image.Resampling.BOX).tobytes())
    return sum((a - b) ** 2 for a, b in zip(rows, rows[1:], strict=False))
