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

A scan is input from outside, so it is checked before anything is decoded:
a regular file (a FIFO or device is refused without waiting on it), at most
:data:`MAX_SCAN_PAGES` pages (and no more than the caller expects), and on
every page images of a sane declared size (:data:`MAX_PIXELS`) in a
compression the readers know. JBIG2, which pypdf could only decode through
an extra program, is drawn by poppler, which decodes it itself; pdftoppm
runs with a time and memory limit, at no more than :data:`MAX_SIDE` pixels.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import resource
import shutil
import subprocess
import tempfile
import warnings
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageStat
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import PublishError
from ..fsutil import FileTooLarge, IrregularFile, read_regular

MAX_SCAN_BYTES = 200_000_000
"""Largest scan read (a 300 dpi colour A4 page is a few MB)."""

MAX_SCAN_PAGES = 100
"""Most pages a scan may have: the signature part of an agreement is a page or a few."""

MAX_PIXELS = 50_000_000
"""Largest image on a scanned page, in pixels: an A4 page at 600 dpi is 35 million."""

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


def read_scan(path: Path, max_pages: int = MAX_SCAN_PAGES) -> Scan:
    """Read and check a scanned PDF; its pages as upright PNG images.

    Refuses (with :class:`PublishError`) a missing file, a FIFO or device, a
    file that is not a PDF, an encrypted or damaged PDF, more than
    ``max_pages`` pages (counted before any page is decoded), and a page
    without a scanned image or with an image that cannot or should not be
    decoded.
    """
    try:
        data = read_regular(path, MAX_SCAN_BYTES)
    except IrregularFile:
        raise PublishError(
            f"{path}: detta är ingen vanlig fil (t.ex. en mapp, en FIFO eller en enhet) – ange den inskannade PDF-filen med --signed"
        ) from None
    except FileTooLarge as e:
        raise PublishError(f"{path}: filen är för stor ({e.size // 1_000_000} MB) – skanna med lägre upplösning (300 dpi räcker)") from None
    except OSError as e:
        raise PublishError(f"{path}: den inskannade filen kan inte läsas ({e.strerror}) – ange rätt sökväg med --signed") from None
    head = data[:1024]
    if b"%PDF-" not in head:
        kind = next((name for magic, name in _IMAGE_MAGIC.items() if head.startswith(magic)), None)
        found = f"en {kind}-bild, inte en PDF" if kind else "inte en PDF (den börjar inte med %PDF-)"
        raise PublishError(
            f"{path}: filen är {found} – skanna underskriftssidan till PDF (skannerns PDF-läge) och försök igen"
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PublishError(
                f"{path}: PDF-filen är krypterad eller lösenordsskyddad – spara en kopia utan lösenord "
                "och utan skydd och försök igen"
            )
        count = len(reader.pages)
        if not count:
            raise PublishError(f"{path}: PDF-filen har inga sidor – skanna underskriftssidan igen")
        if count > min(max_pages, MAX_SCAN_PAGES):
            raise PublishError(
                f"{path}: den inskannade filen har {count} sidor, men underskriftsdelen är högst "
                f"{min(max_pages, MAX_SCAN_PAGES)} – skanna bara de underskrivna sidorna, i ordning, till en PDF"
            )
        pages = list(reader.pages)
        scanned = tuple(_page_image(path, data, i, page) for i, page in enumerate(pages, start=1))
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


def _page_image(path: Path, data: bytes, number: int, page: Any) -> ScanPage:
    """The page's scanned image, upright, as PNG.

    The usual scanner page holds one image: it is decoded with pypdf (no
    loss) and turned by the page's /Rotate. A page built from several
    images (strips, or the text and background layers of a "compact" scan),
    a JBIG2 image, an image pypdf cannot decode, or one drawn turned on the
    page (its shape does not match the page's) is drawn as a whole with
    poppler's pdftoppm instead, so the result is what a viewer shows. The
    upright page is then straightened if it lies measurably askew.
    """
    objects = _image_objects(path, number, page)
    images = page.images
    if not objects and not _count(images):
        raise PublishError(
            f"{path}: sida {number} innehåller ingen inskannad bild – skanna den underskrivna sidan "
            "(inte den digitala PDF:en) och försök igen"
        )
    picture = None
    if len(objects) == 1 and "/JBIG2Decode" not in _filters(objects[0]) and _count(images) == 1:
        try:
            with _pixel_limit():
                picture = images[0].image
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PublishError(
                f"{path}: bilden på sida {number} är större än den PDF:en uppger (över {MAX_PIXELS // 1_000_000} "
                "miljoner bildpunkter) – skanna sidan igen med 300 dpi"
            ) from None
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
        picture = _rasterise(path, data, number, page)
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


_FILTERS = {
    "/FlateDecode", "/Fl", "/DCTDecode", "/DCT", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode", "/JPXDecode",
    "/LZWDecode", "/LZW", "/RunLengthDecode", "/RL", "/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85",
}
"""Compressions an image in a scan may use: the ones poppler and pypdf both know."""

MAX_IMAGES = 2000
"""Most images one page may be built from (strips of a scanner that writes a band at a time)."""


def _filters(image: Any) -> list[str]:
    found = image.get("/Filter")
    found = found.get_object() if hasattr(found, "get_object") else found
    if found is None:
        return []
    return [str(f) for f in found] if isinstance(found, list) else [str(found)]


def _count(images: Any) -> int:
    try:
        return len(images)
    except Exception:  # noqa: BLE001 - a damaged inline image: as if there were none
        return 0


def _image_objects(path: Path, number: int, page: Any) -> list[Any]:
    """The page's image objects (also inside forms), each checked before anything is decoded."""
    found: list[Any] = []

    def walk(resources: Any, depth: int) -> None:
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        if depth > 10 or not hasattr(resources, "get"):
            return
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
        for reference in xobjects.values() if hasattr(xobjects, "values") else ():
            thing = reference.get_object() if hasattr(reference, "get_object") else reference
            if not hasattr(thing, "get"):
                continue
            if thing.get("/Subtype") == "/Image":
                found.append(thing)
            elif thing.get("/Subtype") == "/Form":
                walk(thing.get("/Resources"), depth + 1)
            if len(found) > MAX_IMAGES:
                raise PublishError(
                    f"{path}: sida {number} består av över {MAX_IMAGES} bilder – skanna om sidan som en enda bild"
                )

    walk(page.get("/Resources"), 0)
    for image in found:
        width, height = image.get("/Width"), image.get("/Height")
        if not isinstance(width, int) or not isinstance(height, int) or width <= 0 or height <= 0:
            raise PublishError(
                f"{path}: bilden på sida {number} har en ogiltig storlek (bredd {width}, höjd {height}) – "
                "PDF:en är trasig; skanna sidan igen"
            )
        if width * height > MAX_PIXELS:
            raise PublishError(
                f"{path}: bilden på sida {number} är för stor ({width} × {height} bildpunkter, högst "
                f"{MAX_PIXELS // 1_000_000} miljoner) – skanna sidan igen med 300 dpi"
            )
        unknown = [f for f in _filters(image) if f not in _FILTERS]
        if unknown:
            raise PublishError(
                f"{path}: bilden på sida {number} är komprimerad med {unknown[0]}, som inte kan läsas – skanna "
                "om sidan med JPEG- eller PNG-komprimering i skannerns PDF-läge"
            )
    return found


@contextlib.contextmanager
def _pixel_limit() -> Iterator[None]:
    """Pillow refuses any image over :data:`MAX_PIXELS` (not only over twice its own, larger, limit)."""
    before = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = before


RASTER_MEMORY = 2 << 30
"""Address space pdftoppm may use (bytes): a page at 300 dpi needs a small part of it."""

RASTER_SECONDS = 60
"""Time pdftoppm may take for one page."""


def _limit_memory() -> None:  # runs in the child, before pdftoppm starts
    resource.setrlimit(resource.RLIMIT_AS, (RASTER_MEMORY, RASTER_MEMORY))


def _rasterise(path: Path, data: bytes, number: int, page: Any) -> Any:
    """Page ``number`` drawn by pdftoppm at :data:`RASTER_DPI` or less (it applies /Rotate itself)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise PublishError(
            f"{path}: sida {number} består av flera bilder och behöver pdftoppm för att läsas – "
            "installera poppler-utils (kör scripts/setup.sh) eller skanna om sidan som en enda bild"
        )
    try:
        longest = max(abs(float(page.mediabox.width)), abs(float(page.mediabox.height)))
    except (TypeError, ValueError, AttributeError):
        longest = 0.0
    if not 0 < longest < math.inf:
        raise PublishError(f"{path}: sida {number} har ingen giltig sidstorlek – PDF:en är trasig; skanna sidan igen")
    dpi = max(1, min(RASTER_DPI, int(MAX_SIDE * 72 / longest)))
    with tempfile.TemporaryDirectory(prefix="samverkan-scan-") as tmp:
        source, prefix = Path(tmp) / "skanning.pdf", Path(tmp) / "sida"
        source.write_bytes(data)  # the bytes checked, not whatever is at the path now
        command = [pdftoppm, "-r", str(dpi), "-png", "-singlefile", "-f", str(number), "-l", str(number), str(source), str(prefix)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=RASTER_SECONDS, preexec_fn=_limit_memory)
            with _pixel_limit(), Image.open(prefix.with_suffix(".png")) as image:
                image.load()
                return image.copy()
        except (OSError, subprocess.SubprocessError, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
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
