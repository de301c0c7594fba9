"""The signed PDF: reading the scan, refusals, and the published result.

The published result is checked the way the archive and an accessibility
check would: page count, text per page against the unsigned render, the
structure tree's alt text on the scanned page, tags, /Lang, title, XMP
PDF/A identification and embedded fonts. LibreOffice runs a few times per
module (module-scoped fixtures), never once per test.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from test_web import ACTIVITIES, SIGNED_YAML

from samverkan import loads
from samverkan.cli.commands import cli
from samverkan.errors import PublishError
from samverkan.publish.scan import read_scan
from samverkan.publish.signed import (
    accepted_codes,
    alt_text,
    check_version,
    require_signed,
)

A4_PX_100DPI = (827, 1169)
LETTER_PX_100DPI = (850, 1100)


def marked_page(size: tuple[int, int] = A4_PX_100DPI) -> Image.Image:
    """A portrait page with a black block in its top-left corner (shows which way is up)."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 200, 120), fill=0)
    draw.text((60, 300), "Underskrifter", fill=0)
    return image


def image_pdf(images: list[Image.Image], path: Path, rotate: int = 0, resolution: float = 100) -> Path:
    """An image-only PDF like a scanner writes; optionally every page with /Rotate."""
    buffer = io.BytesIO()
    first, *rest = images
    first.save(buffer, "PDF", resolution=resolution, save_all=True, append_images=rest)
    if rotate:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
        for page in writer.pages:
            page.rotate(rotate)
        buffer = io.BytesIO()
        writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def dark_corner(png: bytes) -> str:
    """Which corner of the image holds the black block."""
    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    corners = {
        "top-left": (w * 0.1, h * 0.06),
        "top-right": (w * 0.9, h * 0.06),
        "bottom-left": (w * 0.1, h * 0.94),
        "bottom-right": (w * 0.9, h * 0.94),
    }
    dark = [name for name, (x, y) in corners.items() if image.getpixel((int(x), int(y))) < 128]
    assert len(dark) == 1, dark
    return dark[0]


@pytest.fixture(scope="module")
def signed():
    return loads(SIGNED_YAML, "asby.yaml")


# -- reading the scan ------------------------------------------------------------


def test_scan_page_is_read_upright(tmp_path: Path) -> None:
    scan = read_scan(image_pdf([marked_page()], tmp_path / "scan.pdf"))
    assert len(scan.pages) == 1
    assert (scan.pages[0].width, scan.pages[0].height) == A4_PX_100DPI
    assert dark_corner(scan.pages[0].png) == "top-left"
    assert scan.version_codes == ()


@pytest.mark.parametrize(
    ("rotate", "stored"),
    [
        (90, Image.Transpose.ROTATE_90),
        (180, Image.Transpose.ROTATE_180),
        (270, Image.Transpose.ROTATE_270),
    ],
)
def test_rotate_of_page_turns_image_upright(tmp_path: Path, rotate: int, stored: Image.Transpose) -> None:
    # The scanner stored the page sideways and set /Rotate so viewers show it upright.
    sideways = marked_page().transpose(stored)
    scan = read_scan(image_pdf([sideways], tmp_path / "scan.pdf", rotate=rotate))
    page = scan.pages[0]
    assert (page.width, page.height) == A4_PX_100DPI
    assert dark_corner(page.png) == "top-left"


def test_letter_size_and_several_pages_are_read(tmp_path: Path) -> None:
    pages = [marked_page(LETTER_PX_100DPI), marked_page(LETTER_PX_100DPI).convert("RGB")]
    scan = read_scan(image_pdf(pages, tmp_path / "scan.pdf"))
    assert [p.number for p in scan.pages] == [1, 2]
    assert all((p.width, p.height) == LETTER_PX_100DPI for p in scan.pages)


def test_page_of_several_image_strips_is_drawn_whole(tmp_path: Path) -> None:
    from pypdf import Transformation

    page = marked_page()
    ImageDraw.Draw(page).rectangle((700, 1050, 800, 1140), fill=0)  # a second mark, bottom right
    w, h = page.size
    top = image_pdf([page.crop((0, 0, w, h // 2))], tmp_path / "top.pdf")
    bottom = image_pdf([page.crop((0, h // 2, w, h))], tmp_path / "bottom.pdf")
    writer = PdfWriter()
    sheet = writer.add_blank_page(w * 72 / 100, h * 72 / 100)
    sheet.merge_transformed_page(PdfReader(bottom).pages[0], Transformation())
    sheet.merge_transformed_page(PdfReader(top).pages[0], Transformation().translate(0, (h - h // 2) * 72 / 100))
    with (tmp_path / "strips.pdf").open("wb") as f:
        writer.write(f)
    scanned = read_scan(tmp_path / "strips.pdf").pages[0]
    assert abs(scanned.height / scanned.width - h / w) < 0.01
    image = Image.open(io.BytesIO(scanned.png)).convert("L")
    scale = scanned.width / w
    assert image.getpixel((int(100 * scale), int(80 * scale))) < 128  # from the top strip
    assert image.getpixel((int(750 * scale), int(1100 * scale))) < 128  # from the bottom strip


def test_image_drawn_turned_on_a_standing_page_is_read_as_shown(tmp_path: Path) -> None:
    from pypdf import Transformation

    stored = marked_page().transpose(Image.Transpose.ROTATE_270)  # lying, turned clockwise
    lying = PdfReader(image_pdf([stored], tmp_path / "liggande.pdf")).pages[0]
    w, h = float(lying.mediabox.width), float(lying.mediabox.height)
    writer = PdfWriter()
    standing = writer.add_blank_page(h, w)
    standing.merge_transformed_page(lying, Transformation().rotate(90).translate(h, 0))
    with (tmp_path / "vriden.pdf").open("wb") as f:
        writer.write(f)
    page = read_scan(tmp_path / "vriden.pdf").pages[0]
    assert page.height > page.width
    assert dark_corner(page.png) == "top-left"


def test_very_large_scan_is_scaled_to_300_dpi(tmp_path: Path) -> None:
    big = marked_page().resize((4961, 7016))  # A4 at 600 dpi
    scanned = read_scan(image_pdf([big], tmp_path / "stor.pdf", resolution=600)).pages[0]
    assert max(scanned.width, scanned.height) == 3508
    assert dark_corner(scanned.png) == "top-left"


@pytest.mark.parametrize("mode", ["1", "RGB", "CMYK", "I;16"])
def test_scan_image_modes_become_plain_images(mode: str) -> None:
    from samverkan.publish.scan import _plain

    page = marked_page()
    ImageDraw.Draw(page).rectangle((300, 800, 400, 900), fill=128)
    image = page.convert("I").point(lambda v: v * 256).convert("I;16") if mode == "I;16" else page.convert(mode)
    plain = _plain(image)
    assert plain.mode in ("1", "L", "RGB")
    buffer = io.BytesIO()
    plain.save(buffer, "PNG")
    assert dark_corner(buffer.getvalue()) == "top-left"
    assert plain.convert("L").getpixel((400, 600)) > 200  # white stays white, not clipped or inverted
    if mode != "1":
        assert abs(plain.convert("L").getpixel((350, 850)) - 128) < 8  # grey stays grey


def encrypted_pdf(path: Path) -> Path:
    image_pdf([marked_page()], path)
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.encrypt(user_password="", owner_password="hemligt")
    with path.open("wb") as f:
        writer.write(f)
    return path


def blank_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with path.open("wb") as f:
        writer.write(f)
    return path


def sideways_pdf(path: Path) -> Path:
    return image_pdf([marked_page().transpose(Image.Transpose.ROTATE_90)], path)


def png_named_pdf(path: Path) -> Path:
    marked_page().save(path, "PNG")
    return path


def truncated_pdf(path: Path) -> Path:
    image_pdf([marked_page()], path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def garbage_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + b"\x00 detta ar inte en pdf " * 50)
    return path


def text_file(path: Path) -> Path:
    path.write_text("Underskrifter\nÅsa Öberg\n", encoding="utf-8")
    return path


BAD_SCANS = [
    (png_named_pdf, "en PNG-bild, inte en PDF"),
    (text_file, "inte en PDF (den börjar inte med %PDF-)"),
    (encrypted_pdf, "krypterad eller lösenordsskyddad"),
    (truncated_pdf, "trasig och kan inte läsas"),
    (garbage_pdf, "trasig och kan inte läsas"),
    (blank_pdf, "sida 1 innehåller ingen inskannad bild"),
    (sideways_pdf, "sida 1 ligger ner (bilden är bredare än hög) – vrid sidan rätt"),
]


@pytest.mark.parametrize(("make", "message"), BAD_SCANS, ids=[m.__name__ for m, _ in BAD_SCANS])
def test_bad_scans_are_refused(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path / "skanning.pdf")
    with pytest.raises(PublishError) as caught:
        read_scan(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert " – " in str(caught.value)  # every message says what to do


def test_missing_scan_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="kan inte läsas .* ange rätt sökväg med --signed"):
        read_scan(tmp_path / "finns-inte.pdf")


# -- the agreement and the version code ------------------------------------------------


def test_alt_text_names_every_signatory_with_title_place_and_date(signed) -> None:
    description = alt_text(signed, 1, 2)
    assert description.startswith("Underskrifter, inskannad sida 1 av 2: sidan med namnteckningar.")
    assert "Åsa Öberg, Kommunstyrelsens ordförande, Åsby kommun, Åsby den 12 mars 2024" in description
    assert "Per Ek, Kommundirektör, Åsby kommun, Åsby den 12 mars 2024" in description
    assert "Lena Ström, tf lokalpolisområdeschef, Polismyndigheten, Lokalpolisområde Åsby, Åsby den 14 mars 2024" in description


UNSIGNED = [
    ("status: undertecknad", "status: fastställd", 'har status "fastställd" – sätt `status: undertecknad`'),
    ("status: undertecknad", "status: utkast", 'har status "utkast"'),
]


@pytest.mark.parametrize(("old", "new", "message"), UNSIGNED)
def test_unsigned_agreement_is_refused(old: str, new: str, message: str) -> None:
    agreement = loads(SIGNED_YAML.replace(old, new), "asby.yaml")
    with pytest.raises(PublishError, match=message):
        require_signed(agreement, "asby.yaml")


def test_version_code_of_the_printed_copy_is_accepted(signed) -> None:
    printed = loads(
        SIGNED_YAML.replace("status: undertecknad", "status: fastställd")
        .replace("    ort: Åsby\n", "")
        .replace("    datum: 2024-03-12\n", "")
        .replace("    datum: 2024-03-14\n", ""),
        "asby.yaml",
    )
    assert printed.fingerprint() != signed.fingerprint()
    undated = loads(SIGNED_YAML.replace("datum: 2024-03-12\nparter", "parter"), "asby.yaml")
    assert {printed.fingerprint(), signed.fingerprint(), undated.fingerprint()} <= accepted_codes(signed)
    changed = loads(SIGNED_YAML.replace("Många känner", "Några känner"), "asby.yaml")
    assert changed.fingerprint() not in accepted_codes(signed)


def test_other_version_code_is_refused(signed, tmp_path: Path) -> None:
    scan = read_scan(image_pdf([marked_page()], tmp_path / "scan.pdf"))
    other = scan.__class__(path=scan.path, pages=scan.pages, version_codes=("0123456789ab",))
    check_version(scan, signed, "asby.yaml")  # no text layer: nothing to check
    with pytest.raises(PublishError, match=r"har versionskod 0123456789ab, men asby.yaml har versionskod"):
        check_version(other, signed, "asby.yaml")


# -- publishing for real (LibreOffice) --------------------------------------------------


def render_pdf(agreement, folder: Path, name: str) -> Path:
    """The unsigned render of ``agreement`` as PDF, the way `samverkan render` makes it."""
    from samverkan.documents.convert import default_converter
    from samverkan.documents.render import render_docx

    docx, pdf = folder / f"{name}.docx", folder / f"{name}.pdf"
    docx.write_bytes(render_docx(agreement, "overenskommelse"))
    default_converter().convert([(docx, pdf)])
    return pdf


def simulated_scan(rendered: Path, pages: list[int], target: Path, *, skew: float = 0.7,
                   letter: bool = False, rotate: int = 0) -> Path:
    """Print, sign and scan: rasterise pages with pdftoppm, skew them, wrap them in an image-only PDF."""
    images = []
    for number in pages:
        prefix = target.parent / f"{target.stem}-{number}"
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(number), "-l", str(number), str(rendered), str(prefix)],
            check=True,
        )
        page = Image.open(f"{prefix}.png").convert("L")
        page = page.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if letter:
            sheet = Image.new("L", LETTER_PX_100DPI, 255)
            sheet.paste(page.resize((LETTER_PX_100DPI[0], int(page.height * LETTER_PX_100DPI[0] / page.width))), (0, 0))
            page = sheet
        if rotate:  # stored sideways, shown upright through /Rotate
            page = page.transpose({90: Image.Transpose.ROTATE_90, 270: Image.Transpose.ROTATE_270}[rotate])
        images.append(page)
    return image_pdf(images, target, rotate=rotate)


def top_bookmarks(path: Path) -> list[str]:
    return [item.title for item in PdfReader(path).outline if not isinstance(item, list)]


def words(text: str) -> str:
    return " ".join(text.split())


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def page_text(path: Path, number: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return words(out)


@pytest.fixture(scope="module")
def asby(tmp_path_factory):
    """The Åsby agreement rendered, its signature page scanned (skewed 2°), and published with the CLI."""
    folder = tmp_path_factory.mktemp("asby")
    source = folder / "asby.yaml"
    source.write_text(SIGNED_YAML, encoding="utf-8")
    agreement = loads(SIGNED_YAML, str(source))
    rendered = render_pdf(agreement, folder, "renderad")
    pages = len(PdfReader(rendered).pages)
    scan = simulated_scan(rendered, [pages], folder / "skanning.pdf", skew=2.0)
    out = folder / "ut"
    result = CliRunner().invoke(cli, ["publish", str(source), "--signed", str(scan), "-o", str(out)])
    # Like `render`, publish writes into a folder per kommun.
    return {"agreement": agreement, "source": source, "rendered": rendered, "scan": scan, "out": out / "asby", "result": result}


def test_publish_writes_signed_pdf_promise_pdf_and_html(asby) -> None:
    result, out = asby["result"], asby["out"]
    assert result.exit_code == 0, result.output
    written = [Path(line) for line in result.stdout.splitlines()]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    assert len(written) == 3
    assert written[0].name.endswith("-undertecknad.pdf")
    assert written[1].suffix == ".pdf"
    assert written[2].name == "asby-ml-2024.html"
    assert re.search(r"^Skanningens sida 1 rätades upp (1,9|2,0|2,1)°$", result.stderr, re.M), result.stderr


def test_signed_pdf_keeps_every_page_of_the_render(asby) -> None:
    from samverkan.publish.signed import signed_filename

    signed = asby["out"] / signed_filename(asby["agreement"])
    rendered = asby["rendered"]
    total = len(PdfReader(rendered).pages)
    assert len(PdfReader(signed).pages) == total
    for number in range(1, total + 1):
        assert page_text(signed, number) == page_text(rendered, number), f"sida {number}"
    # The last page shows the scan; the render's words stay on it as invisible text (as text recognition adds them).
    assert "Åsa Öberg" in page_text(signed, total)
    assert PdfReader(signed).pages[total - 1].images
    assert not PdfReader(rendered).pages[total - 1].images


def test_skewed_scan_is_placed_straight(asby) -> None:
    from samverkan.publish.scan import measure_skew
    from samverkan.publish.signed import signed_filename

    scanned = measure_skew(PdfReader(asby["scan"]).pages[0].images[0].image)
    assert scanned is not None and abs(scanned.angle - 2.0) < 0.3
    signed = PdfReader(asby["out"] / signed_filename(asby["agreement"]))
    (placed,) = signed.pages[len(signed.pages) - 1].images
    straight = measure_skew(placed.image)
    assert straight is not None and abs(straight.angle) < 0.3


def test_publish_reports_each_straightened_page(asby) -> None:
    from samverkan.publish.signed import publish

    said: list[str] = []
    plan = publish(asby["source"], asby["scan"], asby["out"].parent, dry_run=True, progress=said.append)
    assert len(said) == 1
    assert re.fullmatch(r"Skanningens sida 1 rätades upp (1,9|2,0|2,1)°", said[0])
    assert plan.notes == tuple(said)


def figures(path: Path) -> list:
    """Each Figure element's page and alt text."""
    from types import SimpleNamespace

    from samverkan.documents.pdfcontent import read_pdf

    content = read_pdf(path)  # kept while the elements are read: they live in its open file
    return [SimpleNamespace(page=e.page, alt=e.alt) for e in content.elements if e.std == "Figure"]


def test_signed_pdf_is_accessible_and_archivable(asby) -> None:
    from samverkan.documents.conformance import conformance_problems
    from samverkan.documents.pdfcheck import inspect_pdf
    from samverkan.documents.pdfcontent import read_pdf
    from samverkan.publish.signed import signed_filename

    agreement = asby["agreement"]
    signed = asby["out"] / signed_filename(agreement)
    assert conformance_problems(signed) == []
    info = pdfinfo(signed)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Samverkansöverenskommelse mellan Åsby kommun och Polisen 2024–2027"
    assert "Åsby kommun" in info["Author"] and "Polismyndigheten, Lokalpolisområde Åsby" in info["Author"]
    assert agreement.fingerprint() in info["Keywords"]
    assert info["Subject"].startswith("Undertecknad samverkansöverenskommelse")
    report = inspect_pdf(signed)
    assert report.lang == "sv-SE"
    assert report.pdfa_part == "2" and report.pdfua_part == "1"
    assert report.fonts_not_embedded == []
    assert all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in report.page_sizes)
    # Every bookmark of the render, the signature section's included.
    outline = read_pdf(signed).outline
    assert outline == read_pdf(asby["rendered"]).outline
    assert (0, "Underskrifter") in outline
    assert report.display_doc_title
    (figure,) = figures(signed)
    assert figure.page == report.pages
    assert figure.alt.startswith("Underskrifter, inskannad sida 1 av 1")
    for signer in agreement.undertecknare:
        assert signer.namn in figure.alt and signer.titel in figure.alt
    assert "Åsby den 12 mars 2024" in figure.alt and "Åsby den 14 mars 2024" in figure.alt


def test_promise_pdf_and_html_are_accessible(asby) -> None:
    from test_web import outline

    from samverkan.documents.pdfcheck import inspect_pdf

    pdfs = [p for p in asby["out"].iterdir() if p.suffix == ".pdf" and not p.name.endswith("-undertecknad.pdf")]
    assert len(pdfs) == 1
    report = inspect_pdf(pdfs[0])
    assert report.tagged and report.lang == "sv-SE" and report.title and report.pdfa_part == "2"
    text = words(" ".join(report.text))
    for activity in ACTIVITIES:
        assert activity in text
    page = outline((asby["out"] / "asby-ml-2024.html").read_text(encoding="utf-8"))
    assert page.lang == "sv"
    assert [h for level, h in page.headings if level == "h1"] == ["Medborgarlöfte 2024–2025 – Åsby kommun och Polisen"]
    for activity in ACTIVITIES:
        assert any(item.startswith(activity) for item in page.list_items)


def refuse(args: list[str], out: Path) -> str:
    result = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists() or [p for p in out.rglob("*") if p.is_file()] == []
    return result.output


def test_dry_run_checks_and_lists_without_writing(tmp_path: Path) -> None:
    source = tmp_path / "asby.yaml"
    source.write_text(SIGNED_YAML, encoding="utf-8")
    scan = image_pdf([marked_page()], tmp_path / "skanning.pdf")
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["publish", str(source), "--signed", str(scan), "-o", str(out), "-n"])
    assert result.exit_code == 0, result.output
    listed = result.stdout.splitlines()
    assert listed[0].startswith(str(out / "asby" / "asby-samverkansoverenskommelse-"))
    assert listed[0].endswith("-undertecknad.pdf")
    assert listed[2] == str(out / "asby" / "asby-ml-2024.html")
    assert not out.exists()
    bad = refuse(["publish", str(source), "--signed", str(text_file(tmp_path / "x.pdf")), "-n"], out)
    assert "inte en PDF" in bad


def test_agreement_without_promise_publishes_only_the_signed_pdf(tmp_path: Path) -> None:
    from samverkan.publish.signed import publish

    text = SIGNED_YAML.split("medborgarloften:")[0] + "undertecknare:" + SIGNED_YAML.split("undertecknare:")[1]
    source = tmp_path / "utan-lofte.yaml"
    source.write_text(text, encoding="utf-8")
    scan = image_pdf([marked_page()], tmp_path / "skanning.pdf")
    plan = publish(source, scan, tmp_path / "ut", dry_run=True)
    assert plan.promise_pdf is None and plan.web_pages == ()
    assert [p.name for p in plan.paths] == [plan.signed_pdf.name]
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize(("make", "message"), BAD_SCANS, ids=[m.__name__ for m, _ in BAD_SCANS])
def test_publish_refuses_bad_scan_and_writes_nothing(tmp_path: Path, make, message: str) -> None:
    source = tmp_path / "asby.yaml"
    source.write_text(SIGNED_YAML, encoding="utf-8")
    scan = make(tmp_path / "skanning.pdf")
    output = refuse(["publish", str(source), "--signed", str(scan)], tmp_path / "ut")
    assert f"{scan}: " in output and message in output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("status: undertecknad", "status: fastställd", 'har status "fastställd" – sätt `status: undertecknad`'),
        ("    datum: 2024-03-14\n", "", "Lena Ström saknar datum för underskriften"),
        ("    ort: Åsby\n    datum: 2024-03-14\n", "", "Lena Ström saknar ort för underskriften"),
    ],
)
def test_publish_refuses_agreement_that_is_not_signed(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SIGNED_YAML
    source = tmp_path / "asby.yaml"
    source.write_text(SIGNED_YAML.replace(old, new), encoding="utf-8")
    scan = image_pdf([marked_page()], tmp_path / "skanning.pdf")
    output = refuse(["publish", str(source), "--signed", str(scan)], tmp_path / "ut")
    assert str(source) in output and message in output


def ocr_layer(image_scan: Path, text: str, target: Path) -> Path:
    """The scan with an invisible text line on its first page, as text recognition adds it."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    layer = PdfWriter()
    page = layer.add_blank_page(595, 842)
    font = DictionaryObject(
        {NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
         NameObject("/BaseFont"): NameObject("/Helvetica")}
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): layer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT 3 Tr /F1 9 Tf 72 40 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = layer._add_object(content)
    buffer = io.BytesIO()
    layer.write(buffer)
    writer = PdfWriter(clone_from=PdfReader(image_scan))
    writer.pages[0].merge_page(PdfReader(buffer).pages[0])
    with target.open("wb") as f:
        writer.write(f)
    return target


def test_scan_text_layer_with_own_version_code_is_accepted(asby, tmp_path: Path) -> None:
    # The real page's text on top of its image: the code printed in the render.
    rendered = asby["rendered"]
    writer = PdfWriter(clone_from=PdfReader(asby["scan"]))
    writer.pages[0].merge_page(PdfReader(rendered).pages[len(PdfReader(rendered).pages) - 1])
    target = tmp_path / "med-text.pdf"
    with target.open("wb") as f:
        writer.write(f)
    scan = read_scan(target)
    assert asby["agreement"].fingerprint() in scan.version_codes
    check_version(scan, asby["agreement"], asby["source"])


def test_publish_refuses_scan_of_another_version(asby, tmp_path: Path) -> None:
    other = loads(SIGNED_YAML.replace("Många känner sig otrygga", "Några känner sig otrygga"), "annan.yaml")
    fake = ocr_layer(asby["scan"], f"Versionskod {other.fingerprint()}", tmp_path / "annan.pdf")
    assert read_scan(fake).version_codes == (other.fingerprint(),)
    output = refuse(["publish", str(asby["source"]), "--signed", str(fake)], tmp_path / "ut")
    assert f"har versionskod {other.fingerprint()}, men {asby['source']} har versionskod" in output


def test_publish_refuses_wrong_number_of_scanned_pages(asby, tmp_path: Path) -> None:
    rendered = asby["rendered"]
    last = len(PdfReader(rendered).pages)
    scan = simulated_scan(rendered, [last, last], tmp_path / "tva-sidor.pdf")
    output = refuse(["publish", str(asby["source"]), "--signed", str(scan)], tmp_path / "ut")
    assert f"{scan}: den inskannade filen har 2 sidor, men underskriftsdelen i {asby['source']} är 1 sida" in output
    assert f"skanna bara underskriftssidorna (sida {last} av {last})" in output


def test_bundled_signed_example_with_letter_scan_turned_by_rotate(root: Path, tmp_path: Path) -> None:
    """agreements/strangnas/2017.yaml, scanned on Letter paper and stored sideways with /Rotate 270."""
    from samverkan import load
    from samverkan.documents.pdfcheck import inspect_pdf
    from samverkan.publish.signed import publish

    source = root / "agreements" / "strangnas" / "2017.yaml"
    agreement = load(source)
    rendered = render_pdf(agreement, tmp_path, "renderad")
    total = len(PdfReader(rendered).pages)
    scan = simulated_scan(rendered, [total], tmp_path / "skanning.pdf", skew=-1.0, letter=True, rotate=270)
    assert PdfReader(scan).pages[0].rotation == 270
    published = publish(source, scan, tmp_path / "ut")
    assert len(published.notes) == 1 and re.fullmatch(r"Skanningens sida 1 rätades upp (0,9|1,0|1,1)°", published.notes[0])
    report = inspect_pdf(published.signed_pdf)
    assert report.pages == total
    assert report.tagged and report.lang == "sv-SE" and report.pdfa_part == "2" and not report.fonts_not_embedded
    assert report.title == agreement.document_title
    reference = inspect_pdf(rendered)
    assert [words(t) for t in report.text[:-1]] == [words(t) for t in reference.text[:-1]]
    (figure,) = figures(published.signed_pdf)
    alt = figure.alt
    for name in ("Jacob Högfeldt", "Per Bäckström", "Christer Sjökvist"):
        assert name in alt
    assert "Strängnäs den 1 februari 2017" in alt
    assert [p.name for p in published.web_pages] == ["strangnas-medborgarlofte-2017.html"]


def test_signature_block_of_two_pages_takes_a_two_page_scan(tmp_path: Path) -> None:
    from samverkan.documents.pdfcheck import inspect_pdf
    from samverkan.documents.pdfcontent import read_pdf
    from samverkan.publish.signed import publish, signature_page

    extra = "".join(
        f"  - namn: Ledamot {i}\n    titel: Kommunalråd\n    part: kommun\n    ort: Åsby\n    datum: 2024-03-12\n"
        for i in range(1, 7)
    )
    source = tmp_path / "manga.yaml"
    source.write_text(SIGNED_YAML + extra, encoding="utf-8")
    agreement = loads(SIGNED_YAML + extra, str(source))
    rendered = render_pdf(agreement, tmp_path, "renderad")
    reference = inspect_pdf(rendered)
    first = signature_page(read_pdf(rendered))
    assert reference.pages - first == 2  # nine signatories need two pages
    scan = simulated_scan(rendered, [first + 1, first + 2], tmp_path / "skanning.pdf", skew=-0.5)
    published = publish(source, scan, tmp_path / "ut")
    assert len(published.notes) == 2
    for number, note in enumerate(published.notes, start=1):
        assert re.fullmatch(rf"Skanningens sida {number} rätades upp (0,4|0,5|0,6)°", note)
    report = inspect_pdf(published.signed_pdf)
    assert report.pages == reference.pages
    assert [words(t) for t in report.text[:first]] == [words(t) for t in reference.text[:first]]
    alts = [f.alt for f in figures(published.signed_pdf)]
    assert [f.page for f in figures(published.signed_pdf)] == [first + 1, first + 2]
    assert [a.split(":")[0] for a in alts] == ["Underskrifter, inskannad sida 1 av 2", "Underskrifter, inskannad sida 2 av 2"]
    assert all("Ledamot 6, Kommunalråd, Åsby kommun, Åsby den 12 mars 2024" in a for a in alts)


def test_verification_refuses_a_pdf_without_the_scanned_pages(asby) -> None:
    from samverkan.documents.pdfcontent import read_pdf
    from samverkan.publish.signed import verify_signed

    rendered = read_pdf(asby["rendered"])
    total = len(rendered.pdf.pages)
    # The unsigned render itself is not a signed PDF: no picture with alt text.
    with pytest.raises(PublishError, match=r"^ut/x.pdf: den färdiga PDF:en klarade inte kontrollen \(de inskannade sidorna"):
        verify_signed(rendered, read_pdf(asby["rendered"]), total - 1, asby["agreement"], "ut/x.pdf")


def broken_copy(asby, tmp_path: Path, change) -> Path:
    """The published signed PDF with one thing changed by ``change(pdf)``."""
    import pikepdf

    from samverkan.publish.signed import signed_filename

    target = tmp_path / "trasig.pdf"
    with pikepdf.open(asby["out"] / signed_filename(asby["agreement"])) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _drop_last_bookmark(pdf) -> None:
    with pdf.open_outline() as outline:
        outline.root.pop()


def _forget_a_signatory(pdf) -> None:
    for element in pdf.Root.StructTreeRoot.K[0].K:
        if element.get("/S") == "/Figure":
            element.Alt = str(element.Alt).replace("Lena Ström", "N.N.")


def _empty_figure(pdf) -> None:
    page = pdf.pages[-1]
    data = page.obj.Contents.read_bytes()
    page.obj.Contents = pdf.make_stream(data.replace(b" Do", b""))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_drop_last_bookmark, "bokmärkena skiljer sig från den renderade överenskommelsen (saknas: Underskrifter"),
        (_forget_a_signatory, "nämner inte Lena Ström"),
        (_empty_figure, "innehåller ingen bild"),
    ],
    ids=["bookmark", "alt-text", "empty-figure"],
)
def test_verification_refuses_what_the_render_had_and_the_copy_lost(asby, tmp_path: Path, change, message: str) -> None:
    from samverkan.documents.pdfcontent import read_pdf
    from samverkan.publish.signed import verify_signed

    rendered = read_pdf(asby["rendered"])
    total = len(rendered.pdf.pages)
    with pytest.raises(PublishError) as refused:
        verify_signed(read_pdf(broken_copy(asby, tmp_path, change)), rendered, total - 1, asby["agreement"], "ut/x.pdf")
    assert message in str(refused.value)
