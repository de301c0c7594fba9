"""E-signing (issue 19): signature fields in the render, and publishing a digitally signed agreement.

A small test CA (tests/esign_ca.py) issues certificates to the Åsby
signatories; they sign the rendered agreement in its fields one after the
other, as an e-signing service does (pyHanko, PAdES, one incremental update
per signature). LibreOffice renders each agreement once per module; the
refusals are found before any new render is needed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from esign_ca import TestCA, field_names, sign
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader
from test_web import SIGNED_YAML

from samverkan import loads
from samverkan.cli.commands import cli
from samverkan.documents.pdfcheck import inspect_pdf
from samverkan.documents.render import _Job
from samverkan.documents.sigfields import field_specs, with_signature_fields
from samverkan.publish.esign import check_signatures, is_digitally_signed

# The version that goes to signing: fastställd, no places or dates yet.
THREE = SIGNED_YAML.replace("status: undertecknad", "status: fastställd").replace("    ort: Åsby\n", "").replace(
    "    datum: 2024-03-12\n", ""
)
TWO = THREE.replace("  - namn: Per Ek\n    titel: Kommundirektör\n    part: kommun\n", "")
OTHER = THREE.replace("Åsby kommun", "Bäckby kommun")
PEOPLE = ["Åsa Öberg", "Per Ek", "Lena Ström"]


def render(folder: Path, text: str, name: str) -> tuple[Path, Path]:
    """The agreement written as YAML and rendered by the command line as PDF (fields by default)."""
    source = folder / f"{name}.yaml"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(folder / name), "--format", "pdf", "-q"])
    assert result.exit_code == 0, result.output
    pdf = next(p for p in map(Path, result.output.split()) if "samverkansoverenskommelse" in p.name)
    return source, pdf


@pytest.fixture(scope="module")
def asby(tmp_path_factory):
    folder = tmp_path_factory.mktemp("esign")
    ca = TestCA()
    three_yaml, three_pdf = render(folder, THREE, "tre")
    two_yaml, two_pdf = render(folder, TWO, "tva")
    return {"folder": folder, "ca": ca, "people": {n: ca.issue(n) for n in PEOPLE},
            "three": (three_yaml, three_pdf), "two": (two_yaml, two_pdf)}


def sign_all(asby, key: str, people: list[str], check_each=None) -> bytes:
    data = asby[key][1].read_bytes()
    fields = field_names(data)
    for name in people:
        field = next(f for f in fields if name in f)
        data = sign(data, field, asby["people"][name], asby["ca"])
        if check_each:
            check_each(data)
    return data


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# -- the fields ---------------------------------------------------------------------


def test_render_gives_each_signatory_a_tagged_field_where_they_sign(asby) -> None:
    pdf = asby["three"][1]
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    fields = [f.get_object() for f in root["/AcroForm"]["/Fields"]]
    assert [str(f["/T"]) for f in fields] == ["Underskrift 1 Åsa Öberg", "Underskrift 2 Per Ek", "Underskrift 3 Lena Ström"]
    assert [str(f["/TU"]) for f in fields] == [
        "Underskrift av Åsa Öberg, Kommunstyrelsens ordförande, Åsby kommun",
        "Underskrift av Per Ek, Kommundirektör, Åsby kommun",
        "Underskrift av Lena Ström, tf lokalpolisområdeschef, Polismyndigheten, Lokalpolisområde Åsby",
    ]
    last = reader.pages[-1]
    assert last["/Tabs"] == "/S"
    assert [a.get_object()["/T"] for a in last["/Annots"]] == [f["/T"] for f in fields]
    parents = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    tree = {int(parents[i]): parents[i + 1].get_object() for i in range(0, len(parents), 2)}
    lines = {}
    last.extract_text(visitor_text=lambda t, cm, tm, f, s: lines.setdefault(t.strip(), tm[5]))
    for field in fields:
        assert field["/FT"] == "/Sig" and "/V" not in field
        assert int(field["/F"]) & 4 and not int(field["/F"]) & (1 | 2 | 32)  # printed, never hidden (PDF/A)
        assert "/N" in field["/AP"]
        element = tree[int(field["/StructParent"])]
        assert element["/S"] == "/Form"
        assert element["/K"]["/Obj"].get_object() is field
        name = str(field["/T"]).split(" ", 2)[2]
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        assert lines[name] < y1 < y2 and y2 - y1 >= 16 and x2 - x1 >= 100  # above the printed name
    report = inspect_pdf(pdf)
    assert (report.pdfa_part, report.tagged, report.lang, report.fonts_not_embedded) == ("2", True, "sv-SE", [])


@pytest.mark.parametrize(("key", "rows"), [("two", [2]), ("three", [2, 1])])
def test_each_field_stands_on_its_signature_line_side_by_side(asby, key: str, rows: list[int]) -> None:
    """The signing table (issue 13) sets the signatories side by side, two to a row: each field is exactly
    as wide as the signature line drawn for that person and stands on it, none overlapping another."""
    import pikepdf

    from samverkan.documents.sigfields import page_rules

    pdf = pikepdf.open(asby[key][1])
    index = len(pdf.pages) - 1
    rules = page_rules(pdf, index)
    boxes = [tuple(float(v) for v in a.Rect) for a in pdf.pages[index].obj.Annots]
    for x1, y1, x2, y2 in boxes:
        line = [r for r in rules if abs(r.x1 - x1) < 0.5 and abs(r.x2 - x2) < 0.5 and 0 < y1 - r.y < 2]
        assert line, (x1, y1, x2, y2, rules)
        assert 16 <= y2 - y1 <= 48 and x2 - x1 > 150
    heights = sorted({round(b[1]) for b in boxes}, reverse=True)
    assert [sum(1 for b in boxes if round(b[1]) == h) for h in heights] == rows
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_fields_are_an_incremental_update_and_reproducible(asby, tmp_path: Path) -> None:
    agreement = loads(THREE, "tre.yaml")
    assert with_signature_fields(asby["three"][1].read_bytes(), []) == asby["three"][1].read_bytes()
    # The export stays in front byte for byte, and the same input gives the same bytes, fields included.
    result = CliRunner().invoke(cli, ["render", str(asby["three"][0]), "-o", str(tmp_path / "u"), "--format", "pdf",
                                      "-q", "--inga-signaturfält"])
    assert result.exit_code == 0, result.output
    base = next(p for p in map(Path, result.output.split()) if "samverkansoverenskommelse" in p.name)
    assert "/AcroForm" not in PdfReader(base).trailer["/Root"]
    data = base.read_bytes()
    first, second = with_signature_fields(data, field_specs(agreement)), with_signature_fields(data, field_specs(agreement))
    assert first == second and first.startswith(data)


@pytest.mark.parametrize(("status", "flag", "expected"), [
    ("fastställd", None, 3), ("utkast", None, 0), ("undertecknad", None, 0), ("utkast", True, 3), ("fastställd", False, 0),
])
def test_fields_by_default_only_for_the_version_that_goes_to_signing(status: str, flag, expected: int) -> None:
    text = SIGNED_YAML if status == "undertecknad" else THREE.replace("status: fastställd", f"status: {status}")
    agreement = loads(text, "a.yaml")
    job = _Job(Path("ut"), ("pdf",), None, False, flag)
    assert len(job.fields(agreement, "overenskommelse")) == expected
    assert job.fields(agreement, "medborgarlofte") == []


# -- signing and publishing ----------------------------------------------------------


def test_three_sign_in_turn_and_the_file_is_published_unchanged(asby, tmp_path: Path) -> None:
    revisions = []

    def still_archivable(data: bytes) -> None:
        path = write(tmp_path, f"steg{len(revisions)}.pdf", data)
        report = inspect_pdf(path)
        assert (report.pdfa_part, report.tagged, report.lang, report.fonts_not_embedded) == ("2", True, "sv-SE", [])
        signed = check_signatures(path)
        assert not signed.problems and len(signed.people) == len(revisions) + 1
        revisions.append(data)

    data = sign_all(asby, "three", PEOPLE, still_archivable)
    signed = write(tmp_path, "e-signerad.pdf", data)
    trust = asby["ca"].pem(tmp_path)
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["publish", str(asby["three"][0]), "--signed", str(signed), "-o", str(out),
                                      "--trust", str(trust)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (out / "asby").iterdir() if not p.name.startswith("."))
    published = out / "asby" / next(n for n in written if n.endswith("-undertecknad.pdf"))
    assert published.read_bytes() == data  # byte for byte: every signature still valid
    assert any(n.startswith("asby-medborgarlofte") and n.endswith(".pdf") for n in written)
    assert any(n.endswith(".html") for n in written)
    assert "Resultat: godkänd" in result.output and "kontrollerade mot de betrodda utfärdarna" in result.output
    for name in PEOPLE:
        assert f"Undertecknare i överenskommelsen: {name}" in result.output
    assert not check_signatures(published, None).problems


def test_verify_reports_two_signers_against_the_agreement(asby, tmp_path: Path) -> None:
    signed = write(tmp_path, "tva.pdf", sign_all(asby, "two", ["Åsa Öberg", "Lena Ström"]))
    result = CliRunner().invoke(cli, ["verify", str(signed), str(asby["two"][0])])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Underskrift 1: Åsa Öberg" in text and "Underskrift 2: Lena Ström" in text
    assert "Format: PAdES B-B" in text
    assert "Utfärdaren: inte kontrollerad" in text
    assert "Undertecknare i överenskommelsen: Lena Ström, tf lokalpolisområdeschef, Polismyndigheten" in text
    assert "Innehållet: samma text på alla" in text
    assert "Undertecknare som har skrivit under: 2 av 2" in text
    # Against another CA the chain does not hold.
    other = TestCA("Annan CA", seed=2).pem(tmp_path / "annan" if (tmp_path / "annan").mkdir() is None else tmp_path)
    result = CliRunner().invoke(cli, ["verify", str(signed), "--trust", str(other)])
    assert result.exit_code == 1
    assert "leder inte till någon av de betrodda utfärdarna" in result.output


def refused(asby, tmp_path: Path, data: bytes, key: str = "three") -> str:
    signed = write(tmp_path, "in.pdf", data)
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["publish", str(asby[key][0]), "--signed", str(signed), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert not out.exists() or not any(out.rglob("*")), "nothing may be written"
    assert "Traceback" not in result.output
    return result.output


def test_byte_changed_after_signing_is_refused(asby, tmp_path: Path) -> None:
    data = bytearray(sign_all(asby, "three", PEOPLE))
    start = data.index(b"stream", len(data) // 3) + 40
    data[start] ^= 0x01
    message = refused(asby, tmp_path, bytes(data))
    assert "stämmer inte med innehållet – filen har ändrats efter underskriften" in message
    assert "Ingen fil skrevs" in message


def test_content_added_after_signing_is_refused(asby, tmp_path: Path) -> None:
    data = sign_all(asby, "three", PEOPLE)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    patch = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 80 40 re f Q"))
    writer.add_stream_to_page(0, patch)
    out = io.BytesIO()
    writer.write(out)
    message = refused(asby, tmp_path, out.getvalue())
    assert "har dokumentet ändrats: innehållet har ändrats" in message


def test_file_signed_over_another_agreement_is_refused(asby, tmp_path: Path) -> None:
    _, other_pdf = render(tmp_path, OTHER, "annan")
    data = other_pdf.read_bytes()
    for name in PEOPLE:
        data = sign(data, next(f for f in field_names(data) if name in f), asby["people"][name], asby["ca"])
    message = refused(asby, tmp_path, data)
    assert "hör till en annan överenskommelse eller version" in message


def test_a_signatory_who_has_not_signed_is_refused(asby, tmp_path: Path) -> None:
    message = refused(asby, tmp_path, sign_all(asby, "three", ["Åsa Öberg", "Lena Ström"]))
    assert "Per Ek (Kommundirektör) har inte skrivit under digitalt" in message


def test_unsigned_render_takes_the_scan_path(asby, tmp_path: Path) -> None:
    unsigned = asby["three"][1]
    assert not is_digitally_signed(unsigned)
    signed_yaml = write(tmp_path, "asby.yaml", SIGNED_YAML.encode("utf-8"))
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["publish", str(signed_yaml), "--signed", str(unsigned), "-o", str(out)])
    assert result.exit_code == 1
    assert "Digitalt undertecknad" not in result.output and str(unsigned) in result.output
    assert not out.exists() or not any(out.rglob("*"))
