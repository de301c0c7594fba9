"""Templates do not reach out (issue 15, finding 10).

A --template with a linked image (r:link) to an http address or a local file
made LibreOffice fetch it (two GETs seen) and embed a local PNG in the PDF.
Such a template is now refused before anything is written, and LibreOffice
is started with linked content blocked, so a link that reaches it anyway is
still not fetched. A local HTTP server on 127.0.0.1 records every request.
"""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Cm
from PIL import Image

from samverkan.cli.commands import cli
from samverkan.documents.convert import default_converter

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "corpus" / "base.yaml"
TEMPLATE = ROOT / "templates" / "overenskommelse.docx"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that answers every GET with a PNG and records the path."""
    seen: list[str] = []
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "blue").save(buffer, "PNG")
    png = buffer.getvalue()

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def with_picture(source: Path, target: Path, rels_extra: str = "", edit=lambda xml: xml) -> Path:
    """``source`` with a picture added; ``edit`` rewrites document.xml, ``rels_extra`` is added to its relationships."""
    document = docx.Document(str(source))
    picture = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(picture, "PNG")
    picture.seek(0)
    document.add_paragraph().add_run().add_picture(picture, width=Cm(3))
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(io.BytesIO(saved.getvalue())) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rels_extra.encode() + b"</Relationships>")
            elif item.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return target


def linked(xml: str) -> str:
    """The last picture linked (r:link) instead of embedded."""
    start = xml.rindex('r:embed="')
    end = xml.index('"', start + 9)
    return xml[:start] + 'r:link="rIdUte"' + xml[end + 1 :]


def external_image(address: str) -> str:
    return f'<Relationship Id="rIdUte" Type="{IMAGE_REL}" Target="{address}" TargetMode="External"/>'


def render(tmp_path: Path, template: Path, fmt: str = "pdf") -> object:
    return CliRunner().invoke(cli, ["render", str(BASE), "--template", str(template), "-o", str(tmp_path / "ut"), "--format", fmt])


@pytest.mark.parametrize("where", ["http", "file"])
def test_template_with_a_linked_image_is_refused_and_nothing_is_fetched(tmp_path: Path, server, where: str) -> None:
    address, seen = server
    secret = tmp_path / "hemlig.png"
    Image.new("RGB", (30, 30), "green").save(secret)
    target = f"{address}/bild.png" if where == "http" else secret.as_uri()
    template = with_picture(TEMPLATE, tmp_path / "mall.docx", external_image(target), linked)
    result = render(tmp_path, template)
    assert result.exit_code == 1
    assert f"{template}: mallen innehåller en länkad bild till '{target}'" in result.stderr
    assert "bädda in" in result.stderr
    assert "Klar" not in result.stderr  # nothing said to be done for a file about to be refused
    assert seen == []
    assert not (tmp_path / "ut").exists() or not list((tmp_path / "ut").rglob("*.*"))


def test_include_picture_field_split_over_runs_is_refused(tmp_path: Path, server) -> None:
    address, seen = server
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDEPIC</w:instrText></w:r>'
        f'<w:r><w:instrText xml:space="preserve">TURE "{address}/falt.png" \\d </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>bild</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    template = with_picture(TEMPLATE, tmp_path / "mall.docx", edit=lambda xml: xml.replace("<w:sectPr", field + "<w:sectPr", 1))
    result = render(tmp_path, template)
    assert result.exit_code == 1
    assert "mallen innehåller fältet INCLUDEPICTURE (i word/document.xml)" in result.stderr
    assert seen == []


def test_word_record_of_its_template_is_dropped_not_refused(tmp_path: Path) -> None:
    template = tmp_path / "mall.docx"
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(template, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/settings.xml":
                data = re.sub(rb"(<w:settings\b[^>]*>)", rb'\1<w:attachedTemplate r:id="rIdMall"/>', data, count=1)
            zout.writestr(item, data)
        rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rIdMall" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/attachedTemplate" Target="file:///C:/Users/anna/Normal.dotm" TargetMode="External"/>'
                "</Relationships>")
        if "word/_rels/settings.xml.rels" not in zin.namelist():
            zout.writestr("word/_rels/settings.xml.rels", rels)
    result = render(tmp_path, template, "docx")
    assert result.exit_code == 0, result.output
    (written,) = (tmp_path / "ut").rglob("*samverkansoverenskommelse*.docx")
    with zipfile.ZipFile(written) as z:
        everything = b"".join(z.read(name) for name in z.namelist())
    assert b"C:/Users/anna" not in everything and b"attachedTemplate" not in everything


def test_libreoffice_does_not_fetch_a_link_that_reaches_it(tmp_path: Path, server) -> None:
    # Past the template check (a .docx converted directly): LibreOffice itself is told to block linked content.
    address, seen = server
    secret = tmp_path / "hemlig.png"
    Image.new("RGB", (30, 30), "green").save(secret)
    rels = external_image(f"{address}/bild.png") + external_image(secret.as_uri()).replace("rIdUte", "rIdUte2")

    def two_links(xml: str) -> str:
        xml = linked(xml)
        paragraph = xml[xml.rindex("<w:p>", 0, xml.rindex('r:link="rIdUte"')) : xml.index("</w:p>", xml.rindex('r:link="rIdUte"')) + 6]
        return xml.replace(paragraph, paragraph + paragraph.replace('r:link="rIdUte"', 'r:link="rIdUte2"'))

    source = with_picture(TEMPLATE, tmp_path / "dokument.docx", rels, two_links)
    pdf = tmp_path / "dokument.pdf"
    default_converter().convert([(source, pdf)])
    assert seen == []
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2, images  # the header only: no image in the PDF
