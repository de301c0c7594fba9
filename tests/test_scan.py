"""Straightening a skewed scan: measuring the angle, turning the page back, and leaving it alone when unsure.

The pages are the real thing: the Åsby agreement's signature page rendered
by LibreOffice, drawn with pdftoppm at 150 dpi, with handwritten-looking
signatures added, then turned the way a sheet fed askew comes out of a
scanner (Pillow's rotate, white where the sheet does not reach).
"""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from test_publish import dark_corner, image_pdf, render_pdf
from test_web import SIGNED_YAML

from samverkan import loads
from samverkan.publish.scan import Scan, ScanPage, measure_skew, read_scan, straighten
from samverkan.publish.signed import straightening_notes

TOLERANCE = 0.3
"""Degrees: how close a measured skew must be to the true one."""


def signatures(page: Image.Image, seed: int = 1) -> Image.Image:
    """Scribbles above the signing lines, like names signed by hand."""
    rnd = random.Random(seed)
    draw = ImageDraw.Draw(page)
    scale = page.width / 827
    for line_y in (340, 495, 695):  # the signing lines on the 100-dpi page
        x, points = 110 * scale, []
        for _ in range(40):
            x += rnd.uniform(3, 9) * scale
            points.append((x, (line_y + rnd.uniform(-30, 2)) * scale))
        draw.line(points, fill=30, width=max(1, round(2 * scale)))
    return page


@pytest.fixture(scope="module")
def signature_page(tmp_path_factory) -> Image.Image:
    """The rendered signature page, signed, as a 150-dpi greyscale picture on white."""
    folder = tmp_path_factory.mktemp("sida")
    rendered = render_pdf(loads(SIGNED_YAML, "asby.yaml"), folder, "renderad")
    last = len(PdfReader(rendered).pages)
    prefix = folder / "sida"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f", str(last), "-l", str(last), str(rendered), str(prefix)],
        check=True,
    )
    with Image.open(f"{prefix}.png") as image:
        return signatures(image.convert("L"))


def skewed(page: Image.Image, angle: float) -> Image.Image:
    """The page as it comes out of the scanner fed askew: content turned counter-clockwise by ``angle``."""
    fill = 255 if page.mode == "L" else (255, 255, 255)
    return page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=fill)


@pytest.mark.parametrize("angle", [2.0, -3.0, 0.5, -1.3, 4.5])
def test_skew_of_a_turned_signature_page_is_measured(signature_page: Image.Image, angle: float) -> None:
    skew = measure_skew(skewed(signature_page, angle))
    assert skew is not None
    assert abs(skew.angle - angle) < TOLERANCE
    assert skew.confident


@pytest.mark.parametrize("angle", [2.0, -3.0])
def test_skewed_page_is_turned_straight_with_white_corners(signature_page: Image.Image, angle: float) -> None:
    page = skewed(signature_page, angle)
    straight, turned = straighten(page)
    assert abs(turned - angle) < TOLERANCE
    assert straight.size == page.size and straight.mode == "L"
    after = measure_skew(straight)
    assert after is not None and abs(after.angle) < TOLERANCE
    w, h = straight.size
    assert [straight.getpixel(corner) for corner in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))] == [255] * 4
    # The content moved back: the straightened page is close to the page before it was skewed.
    difference = sum(abs(a - b) for a, b in zip(straight.tobytes(), signature_page.tobytes(), strict=True))
    assert difference < sum(abs(a - b) for a, b in zip(page.tobytes(), signature_page.tobytes(), strict=True)) / 3


def test_colour_and_black_and_white_scans_are_straightened(signature_page: Image.Image) -> None:
    colour, turned = straighten(skewed(signature_page.convert("RGB"), -2.5))
    assert abs(turned + 2.5) < TOLERANCE
    assert colour.mode == "RGB" and colour.getpixel((0, 0)) == (255, 255, 255)
    bilevel = skewed(signature_page, 1.5).point(lambda v: 255 if v > 128 else 0).convert("1")
    grey, turned = straighten(bilevel)
    assert abs(turned - 1.5) < TOLERANCE
    assert grey.mode == "L" and grey.getpixel((0, 0)) == 255  # turned smoothly, no black corners


def test_straight_page_is_left_as_it_is(signature_page: Image.Image) -> None:
    skew = measure_skew(signature_page)
    assert skew is not None and abs(skew.angle) < 0.2
    assert not skew.confident
    page, turned = straighten(signature_page)
    assert page is signature_page and turned == 0.0


@pytest.mark.parametrize("angle", [0.1, -0.1])
def test_skew_too_small_to_matter_is_left(signature_page: Image.Image, angle: float) -> None:
    page = skewed(signature_page, angle)
    assert straighten(page) == (page, 0.0)


def test_skew_beyond_the_range_is_left(signature_page: Image.Image) -> None:
    page = skewed(signature_page, 8.0)
    skew = measure_skew(page)
    assert skew is not None and not skew.confident  # the best angle searched is the edge of the range
    assert straighten(page) == (page, 0.0)


def test_blank_page_is_left(signature_page: Image.Image) -> None:
    blank = Image.new("L", signature_page.size, 255)
    assert measure_skew(blank) is None
    assert straighten(blank) == (blank, 0.0)
    assert measure_skew(Image.new("L", signature_page.size, 0)) is None  # all dark: nothing to read


def test_page_of_random_specks_is_left(signature_page: Image.Image) -> None:
    rnd = random.Random(7)
    specks = Image.new("L", signature_page.size, 250)
    pixels = specks.load()
    for _ in range(20_000):
        pixels[rnd.randrange(specks.width), rnd.randrange(specks.height)] = 0
    skew = measure_skew(specks)
    assert skew is not None and not skew.confident
    assert straighten(specks) == (specks, 0.0)


def test_read_scan_straightens_a_skewed_page(signature_page: Image.Image, tmp_path: Path) -> None:
    scan = read_scan(image_pdf([skewed(signature_page, 2.0)], tmp_path / "sned.pdf", resolution=150))
    page = scan.pages[0]
    assert abs(page.straightened - 2.0) < TOLERANCE
    assert (page.width, page.height) == signature_page.size
    picture = Image.open(io.BytesIO(page.png))
    assert picture.size == signature_page.size
    after = measure_skew(picture)
    assert after is not None and abs(after.angle) < TOLERANCE


@pytest.mark.parametrize(
    ("rotate", "stored"), [(90, Image.Transpose.ROTATE_90), (180, Image.Transpose.ROTATE_180)]
)
def test_page_stored_turned_with_rotate_is_turned_upright_then_straightened(
    signature_page: Image.Image, tmp_path: Path, rotate: int, stored: Image.Transpose
) -> None:
    marked = signature_page.copy()
    ImageDraw.Draw(marked).rectangle((60, 60, 240, 180), fill=0)  # which way is up
    sheet = skewed(marked, -1.5).transpose(stored)
    page = read_scan(image_pdf([sheet], tmp_path / "roterad.pdf", rotate=rotate, resolution=150)).pages[0]
    assert (page.width, page.height) == signature_page.size
    assert dark_corner(page.png) == "top-left"
    assert abs(page.straightened + 1.5) < TOLERANCE
    after = measure_skew(Image.open(io.BytesIO(page.png)))
    assert after is not None and abs(after.angle) < TOLERANCE


def test_straight_scan_is_read_untouched(signature_page: Image.Image, tmp_path: Path) -> None:
    path = image_pdf([signature_page], tmp_path / "rak.pdf", resolution=150)
    page = read_scan(path).pages[0]
    assert page.straightened == 0.0
    stored = PdfReader(path).pages[0].images[0].image  # as the scanner stored it (Pillow writes JPEG)
    assert Image.open(io.BytesIO(page.png)).tobytes() == stored.tobytes()


def test_straightening_notes_are_swedish_with_decimal_comma() -> None:
    pages = tuple(ScanPage(number=n, png=b"", width=1, height=1, straightened=a) for n, a in ((1, 2.06), (2, 0.0), (3, -3.0)))
    assert straightening_notes(Scan(path=Path("s.pdf"), pages=pages, version_codes=())) == (
        "Skanningens sida 1 rätades upp 2,1°",
        "Skanningens sida 3 rätades upp 3,0°",
    )
