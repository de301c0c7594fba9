"""Hostile scans and long signed agreements (issue 15, findings 1 and 2).

A scan comes from outside: its images are checked before any is decoded
(JBIG2 is drawn by poppler, an unknown compression, a size of 0 or an image
of 900 million pixels is refused), a FIFO or device is refused without
waiting on it, and a scan with more pages than a signature part can have is
refused before a page is decoded or LibreOffice runs. A long title or
lokalpolisområde, which validate and render accept, also publishes.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageOps
from pypdf import PdfReader
from test_publish import dark_corner, image_pdf, marked_page, render_pdf, simulated_scan
from test_web import SIGNED_YAML

from samverkan import loads
from samverkan.cli.commands import cli
from samverkan.errors import PublishError
from samverkan.publish import scan as scan_module
from samverkan.publish.scan import read_scan


def raw_image_pdf(path: Path, image: str, data: bytes, page: tuple[int, int] = (595, 842)) -> Path:
    """A one-page PDF whose only content is the image XObject with dictionary entries ``image``."""
    content = f"q {page[0]} 0 0 {page[1]} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page[0]} {page[1]}] "
        "/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Type /XObject /Subtype /Image {image} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def jbig2(image: Image.Image) -> bytes:
    """``image`` as an embedded JBIG2 stream: a page and one generic region coded with MMR (CCITT G4)."""
    tiff = io.BytesIO()
    # JBIG2 has 1 for black; Pillow's G4 codes a mode "1" image with 1 for white.
    ImageOps.invert(image.convert("L")).convert("1").save(
        tiff, "TIFF", compression="group4", tiffinfo={278: image.height}
    )
    stored = Image.open(io.BytesIO(tiff.getvalue()))
    ((offset,), (length,)) = stored.tag_v2[273], stored.tag_v2[279]
    mmr = tiff.getvalue()[offset : offset + length]

    def segment(number: int, kind: int, payload: bytes) -> bytes:
        return struct.pack(">IBBBI", number, kind, 0, 1, len(payload)) + payload

    page = struct.pack(">IIIIBH", image.width, image.height, 0, 0, 0, 0)
    region = struct.pack(">IIIIB", image.width, image.height, 0, 0, 0) + bytes([1]) + mmr  # generic region, MMR
    return segment(0, 48, page) + segment(1, 38, region)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims ``width`` × ``height`` pixels."""
    out = io.BytesIO()
    Image.new("L", (16, 16), 255).save(out, "JPEG")
    data = bytearray(out.getvalue())
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_jbig2_scan_is_decoded(tmp_path: Path) -> None:
    # pypdf needs a jbig2dec program for JBIG2; poppler decodes it itself.
    page = Image.new("L", (827, 1169), 255)  # A4 at 100 dpi: a block top left, a signature and its line
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 40, 200, 120), fill=0)
    draw.ellipse((120, 520, 300, 590), outline=0, width=3)
    draw.rectangle((100, 600, 500, 604), fill=0)
    page = page.convert("1")
    path = raw_image_pdf(
        tmp_path / "skanning.pdf",
        f"/Width {page.width} /Height {page.height} /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /JBIG2Decode",
        jbig2(page),
    )
    (scanned,) = read_scan(path).pages
    assert scanned.height > scanned.width
    assert dark_corner(scanned.png) == "top-left"


BAD_IMAGES = [
    ("/Width 100 /Height 141 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FooDecode", b"\0" * 200,
     "bilden på sida 1 är komprimerad med /FooDecode, som inte kan läsas – skanna om sidan med JPEG- eller PNG-komprimering"),
    ("/Width 100 /Height 141 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter [/FlateDecode /Crypt2]", b"\0" * 200,
     "komprimerad med /Crypt2"),
    ("/Width 0 /Height 141 /BitsPerComponent 8 /ColorSpace /DeviceGray", b"",
     "bilden på sida 1 har en ogiltig storlek (bredd 0, höjd 141) – PDF:en är trasig; skanna sidan igen"),
    ("/Width -5 /Height 141 /BitsPerComponent 8 /ColorSpace /DeviceGray", b"", "ogiltig storlek (bredd -5"),
    ("/Width (tre) /Height 141 /BitsPerComponent 8 /ColorSpace /DeviceGray", b"", "ogiltig storlek (bredd tre"),
    ("/Width 30000 /Height 30000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", jpeg_claiming(30000, 30000),
     "bilden på sida 1 är för stor (30000 × 30000 bildpunkter, högst 50 miljoner) – skanna sidan igen med 300 dpi"),
    ("/Width 30000 /Height 30000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode",
     zlib.compress(b"\xff" * 3_000_000), "30000 × 30000 bildpunkter"),
    # The dictionary says 16 × 16, the JPEG inside 30000 × 30000: found when Pillow opens it.
    ("/Width 16 /Height 16 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /DCTDecode", jpeg_claiming(30000, 30000),
     "bilden på sida 1 är större än den PDF:en uppger"),
]


@pytest.mark.parametrize(("image", "data", "message"), BAD_IMAGES, ids=[
    "unknown-filter", "unknown-second-filter", "width-0", "negative-width", "width-not-a-number",
    "jpeg-900-megapixels", "flate-900-megapixels", "jpeg-larger-than-declared",
])
def test_scan_images_that_cannot_be_decoded_are_refused(tmp_path: Path, image: str, data: bytes, message: str) -> None:
    path = raw_image_pdf(tmp_path / "skanning.pdf", image, data)
    with pytest.raises(PublishError) as caught:
        read_scan(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_huge_page_is_drawn_at_no_more_than_a4_at_300_dpi(tmp_path: Path) -> None:
    # A page of 5 × 7 metres with two images (drawn whole by pdftoppm) is drawn small, not at 300 dpi.
    path = tmp_path / "skanning.pdf"
    first = marked_page()
    strips = io.BytesIO()
    first.save(strips, "PDF", resolution=1, save_all=True)
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=PdfReader(strips))
    writer.pages[0].mediabox = RectangleObject((0, 0, 14_000, 19_800))
    writer.pages[0].merge_page(PdfReader(image_pdf([marked_page()], tmp_path / "b.pdf", resolution=1)).pages[0])
    writer.write(path)
    (scanned,) = read_scan(path).pages
    assert max(scanned.width, scanned.height) <= scan_module.MAX_SIDE


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_scan_that_is_no_regular_file_is_refused_without_waiting(tmp_path: Path, kind: str) -> None:
    path = {"fifo": tmp_path / "skanning.pdf", "device": Path("/dev/zero"), "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    with pytest.raises(PublishError, match="ingen vanlig fil .* ange den inskannade PDF-filen med --signed"):
        read_scan(path)


def agreement_file(tmp_path: Path, text: str = SIGNED_YAML) -> Path:
    source = tmp_path / "asby.yaml"
    source.write_text(text, encoding="utf-8")
    return source


def publish_process(tmp_path: Path, source: Path, scan: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "TMPDIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "samverkan", "publish", str(source), "--signed", str(scan), "-o", str(tmp_path / "ut")],
        capture_output=True, text=True, timeout=120, env=environment,
    )


def test_publish_with_a_fifo_as_scan_exits_1_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "skanning.pdf"
    os.mkfifo(fifo)
    result = publish_process(tmp_path, agreement_file(tmp_path), fifo)
    assert result.returncode == 1, result.stderr
    assert f"{fifo}: detta är ingen vanlig fil" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "ut").exists()


def test_scan_with_too_many_pages_is_refused_before_decoding_or_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = image_pdf([Image.new("L", (60, 85), 255)] * 500, tmp_path / "skanning.pdf")
    decoded: list[int] = []
    monkeypatch.setattr(scan_module, "_page_image", lambda *args: decoded.append(1))
    # No LibreOffice: had it been started, the message would say so.
    monkeypatch.setenv("SAMVERKAN_SOFFICE", str(tmp_path / "finns-inte" / "soffice"))
    result = CliRunner().invoke(cli, ["publish", str(agreement_file(tmp_path)), "--signed", str(scan), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 1
    assert f"{scan}: den inskannade filen har 500 sidor, men underskriftsdelen är högst 4 – skanna bara" in result.stderr
    assert decoded == []
    assert not (tmp_path / "ut").exists()


def test_long_title_and_lokalpolisomrade_publish(tmp_path: Path) -> None:
    # Word's document properties hold 255 characters; publish cut them as render does, with "…".
    long_lpo = "Lokalpolisområde " + "Åsby-Norra " * 40
    text = SIGNED_YAML.replace("lokalpolisomrade: Lokalpolisområde Åsby", f"lokalpolisomrade: {long_lpo.strip()}")
    text = "titel: " + "Samverkansöverenskommelse om trygghet " * 12 + "\n" + text
    source = agreement_file(tmp_path, text)
    agreement = loads(text, str(source))
    rendered = render_pdf(agreement, tmp_path, "renderad")
    pages = len(PdfReader(rendered).pages)
    scan = simulated_scan(rendered, [pages], tmp_path / "skanning.pdf", skew=0.0)
    result = CliRunner().invoke(cli, ["publish", str(source), "--signed", str(scan), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 0, result.output
    (signed,) = (tmp_path / "ut").rglob("*-undertecknad.pdf")
    info = PdfReader(signed).metadata
    assert info.title.endswith("…") and len(info.title) == 255
