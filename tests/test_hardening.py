"""Hardening: hostile values, hostile names, failing tools, concurrent runs.

Every failure must end in exit code 1 with a Swedish message, no traceback,
no partial output file, and nothing left running.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from fake_soffice import PARSE_ARGS
from test_properties import dump

from samverkan.cli.commands import cli
from samverkan.errors import InvalidAgreement
from samverkan.fsutil import slug
from samverkan.model.loader import load, loads

CORPUS_BASE = Path(__file__).resolve().parent / "corpus" / "base.yaml"


def base_text() -> str:
    return CORPUS_BASE.read_text(encoding="utf-8")


def failed_cleanly(result: Result) -> None:
    """Exit 1, a message, and no traceback or stray exception."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stderr.strip()


# -- values the YAML reader and the models must refuse, not crash on or accept ----


def test_number_with_thousands_of_digits_is_refused_with_its_place(tmp_path: Path) -> None:
    # int() refuses decimal strings over 4300 digits; that must not become a traceback.
    path = tmp_path / "lang.yaml"
    path.write_text(base_text().replace("ar: 2020", "ar: " + "1" * 5000), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    failed_cleanly(result)
    assert f"{path}:40:9: talet har för många siffror" in result.stderr


def test_key_with_thousands_of_digits_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nyckel.yaml"
    path.write_text(base_text() + "? " + "9" * 5000 + "\n: x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    failed_cleanly(result)
    assert re.search(rf"^{re.escape(str(path))}:52:3: talet har för många siffror", result.stderr, re.M)


@pytest.mark.parametrize("value", ["0", "86400", "1.5", "-86400", "true", '"0"', "'86400'", '"1700000000"'])
def test_a_number_is_never_read_as_a_date(value: str) -> None:
    # pydantic alone reads 0 as 1970-01-01 (a Unix timestamp): a silent, wrong date.
    text = base_text().replace("  start: 2024-01-01\n  slut", f"  start: {value}\n  slut", 1)
    with pytest.raises(InvalidAgreement, match=r"f\.yaml:13:3: ogiltigt datum .* ÅÅÅÅ-MM-DD"):
        loads(text, "f.yaml")


@pytest.mark.parametrize("field", ["datum: 2024-03-12\nparter", "senast: 2025-06-01\n"])
def test_dates_elsewhere_refuse_numbers_too(field: str) -> None:
    text = base_text()
    if field.startswith("datum"):
        text = text.replace(field, "datum: 0\nparter", 1)
    else:
        text = text.replace("          frekvens: minst en gång per år\n", "          frekvens: minst en gång per år\n          senast: 0\n")
    with pytest.raises(InvalidAgreement, match=r"ogiltigt datum talet 0"):
        loads(text, "f.yaml")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400"])
def test_infinite_year_gets_a_swedish_message(value: str) -> None:
    text = base_text().replace("ar: 2020", f"ar: {value}")
    with pytest.raises(InvalidAgreement) as caught:
        loads(text, "f.yaml")
    message = str(caught.value)
    assert message.startswith("f.yaml:40:5: ska vara ett heltal"), message
    assert "Input should" not in message


def test_merge_keys_are_refused() -> None:
    text = base_text().replace("  polis:\n", "  polis:\n    <<: {polisregion: Polisregion Syd}\n", 1)
    with pytest.raises(InvalidAgreement, match=r"f\.yaml:10:5: sammanslagning med << stöds inte"):
        loads(text, "f.yaml")


def test_dates_written_as_text_still_load() -> None:
    agreement = loads(base_text().replace("start: 2024-01-01\n  slut", 'start: "2024-01-01"\n  slut', 1), "f.yaml")
    assert agreement.period.start.isoformat() == "2024-01-01"


# -- file names ----------------------------------------------------------------

HOSTILE_NAMES = [
    "../../../etc/passwd",
    "..",
    ".",
    "/",
    "/tmp/x",
    "a/../../b",
    "C:\\Windows\\system32",
    '<>:"|?*',
    "kommun\\..\\..",
    "!!!",
    "   ",
    "–—…",
    "😀🚓",
    "ﾃｽﾄ",
    "x" * 500,
    "-leading-dash",
    "name\u202eevil.exe",  # right-to-left override
    "con",  # a reserved name on Windows is still only a slug, never a path
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_slug_is_a_single_safe_path_part(name: str) -> None:
    part = slug(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", part), part
    assert len(part) <= 80
    assert Path(part).name == part and part not in (".", "..")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Östhammars kommun", "osthammars-kommun"),
        ("Åre", "are"),
        ("Älvdalen", "alvdalen"),
        ("Malå kommun", "mala-kommun"),
        ("Göteborgs Stad", "goteborgs-stad"),
        ("Håbo/Upplands-Bro", "habo-upplands-bro"),
        ("Árjepluovve", "arjepluovve"),  # accents other than å ä ö are dropped
        ("Ørsted & Œuvre", "orsted-uvre"),  # ø folds to o; other letters without a base letter become "-"
        ("../../Säter", "sater"),
    ],
)
def test_slug_stays_readable(name: str, expected: str) -> None:
    assert slug(name) == expected


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*")]


@pytest.mark.parametrize("name", ["../../../utanfor", "a/../../b", '<>:"|?*', "...", "/tmp/absolut"])
def test_web_never_writes_outside_the_output_folder(tmp_path: Path, name: str) -> None:
    data = yaml.safe_load(base_text())
    data["parter"]["kommun"]["namn"] = name
    data["parter"]["kommun"]["kortnamn"] = name
    source = tmp_path / "in" / "a.yaml"
    source.parent.mkdir()
    source.write_text(dump(data), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    before = set(every_file(tmp_path))
    result = CliRunner().invoke(cli, ["web", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = set(every_file(tmp_path)) - before
    files = [p for p in written if p.is_file()]
    assert files
    for path in files:
        assert path.resolve().is_relative_to(out.resolve()), path
        assert re.fullmatch(r"[a-z0-9-]+\.html", path.name), path.name
    assert load(source).parter.kommun.namn == name


# -- failing tools at the command line ---------------------------------------------
#
# These run `samverkan render` as a real process, with its own TMPDIR, so the
# test can see every file and process it leaves behind.



def fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in soffice whose folder name is unique, so `pgrep -f` finds only its processes."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + PARSE_ARGS + body)
    script.chmod(0o755)
    return script


def render_process(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`samverkan render …` in a child process with a private TMPDIR and the given environment."""
    private = tmp_path / "tmp"
    private.mkdir(exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if k not in ("SAMVERKAN_SOFFICE", "SAMVERKAN_LO_TIMEOUT")}
    environment |= {"TMPDIR": str(private), **env}
    return subprocess.run(
        [sys.executable, "-m", "samverkan", "render", *args], env=environment, capture_output=True, text=True, timeout=180
    )


def running(marker: str) -> list[str]:
    """Processes whose command line contains ``marker`` (zombies have none)."""
    found = subprocess.run(["pgrep", "-f", "-a", marker], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if "pgrep" not in line]


def leftovers(folder: Path) -> list[Path]:
    """Temporary files (``.name.xxx.tmp``) anywhere under ``folder``."""
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".~lock")]


def docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def agreement_file(tmp_path: Path, name: str = "Exempelby kommun", stem: str = "avtal") -> Path:
    data = yaml.safe_load(base_text())
    data["parter"]["kommun"]["namn"] = name
    path = tmp_path / "in" / f"{stem}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return path


# Hangs with a child whose command line carries the unique folder name too.
HANG = '"${0%/*}/sleeper" 300 &\nwait\n'

FAILING_TOOLS = {
    "missing": (None, "LibreOffice (soffice) finns inte"),
    "exit-1": ("echo 'Fatal error: krasch' >&2\nexit 1\n", "LibreOffice avslutades med felkod 1"),
    "killed": ("kill -KILL $$\n", "LibreOffice avbröts av signal 9"),
    "segfault": ("kill -SEGV $$\n", "LibreOffice avbröts av signal 11"),
    "hangs": (HANG, "svarade inte inom tidsgränsen 1 s"),
    "empty-pdf": ('for f in $inputs; do b="${f##*/}"; : > "$outdir/${b%.docx}.pdf"; done\n', "skapade en tom PDF"),
    "broken-pdf": (
        'for f in $inputs; do b="${f##*/}"; printf "%%PDF-1.7\\ntrasig\\n" > "$outdir/${b%.docx}.pdf"; done\n',
        "LibreOffice skapade",
    ),
    "no-pdf": ("exit 0\n", "LibreOffice skapade ingen PDF"),
}


@pytest.mark.parametrize("case", list(FAILING_TOOLS), ids=list(FAILING_TOOLS))
@pytest.mark.parametrize("via", ["path", "env"])
def test_render_with_failing_libreoffice(tmp_path: Path, case: str, via: str) -> None:
    body, message = FAILING_TOOLS[case]
    if case == "missing" and via == "env":
        body, message = None, "SAMVERKAN_SOFFICE pekar på"
    marker = f"fake-lo-{uuid.uuid4().hex}"
    bin_dir = tmp_path / marker
    bin_dir.mkdir()
    env = {"PATH": str(bin_dir), "SAMVERKAN_LO_TIMEOUT": "1"}
    (bin_dir / "sleeper").symlink_to(shutil.which("sleep") or "/bin/sleep")
    if body is not None:
        script = fake_soffice(bin_dir, body)
        if via == "env":
            env |= {"SAMVERKAN_SOFFICE": str(script), "PATH": os.defpath}
    elif via == "env":
        env["SAMVERKAN_SOFFICE"] = str(bin_dir / "soffice")
    source = agreement_file(tmp_path)
    out = tmp_path / "ut"
    started = time.monotonic()
    result = render_process([str(source), "-o", str(out), "-q"], tmp_path, **env)
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr
    assert "Word-filerna är skrivna och finns kvar" in result.stderr
    # The Word files are complete; no PDF, no temporary file, nothing left running or in TMPDIR.
    written = sorted(p.name for p in (out / "exempelby").iterdir() if not p.name.startswith(".samverkan-manifest"))
    assert written == [
        "exempelby-medborgarlofte-2024-2025.docx",
        "exempelby-samverkansoverenskommelse-2024-2025.docx",
    ]
    assert "Stölderna ökar igen." in docx_text(out / "exempelby" / written[1])
    assert not list(out.rglob("*.pdf"))
    assert not leftovers(out)
    deadline = time.monotonic() + 5
    while running(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(marker)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_render_pdf_only_with_missing_libreoffice_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "tom-bin"
    empty.mkdir()
    out = tmp_path / "ut"
    result = render_process([str(agreement_file(tmp_path)), "-o", str(out), "--format", "pdf", "-q"], tmp_path, PATH=str(empty))
    assert result.returncode == 1, result.stderr
    assert "LibreOffice (soffice) finns inte" in result.stderr and "Traceback" not in result.stderr
    assert not [p for p in out.rglob("*") if p.is_file() and p.suffix in (".pdf", ".docx", ".tmp")]
    assert list((tmp_path / "tmp").iterdir()) == []


# -- output that cannot be written ---------------------------------------------------


def invoke_render(args: list[str]) -> Result:
    return CliRunner().invoke(cli, ["render", *args])


@pytest.mark.parametrize("command", ["render", "diff", "web"])
def test_output_that_is_a_file(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "fil.txt"
    blocker.write_text("inte en mapp")
    source = str(agreement_file(tmp_path))
    args = {
        "render": ["render", source, "--format", "docx", "-q"],
        "diff": ["diff", source, source, "--no-pdf"],
        "web": ["web", source],
    }[command]
    result = CliRunner().invoke(cli, [*args, "-o", str(blocker)])
    failed_cleanly(result)
    assert f"{blocker} är en fil, inte en mapp" in result.stderr
    assert blocker.read_text() == "inte en mapp"


def test_kommun_folder_that_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    (out / "exempelby").write_text("i vägen")
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "--format", "docx", "-q"])
    failed_cleanly(result)
    assert "exempelby är en fil, inte en mapp" in result.stderr
    assert [p.name for p in out.iterdir()] == ["exempelby"]


def test_output_on_a_file_system_that_refuses_writes(tmp_path: Path) -> None:
    # /sys refuses new folders even for root; an ordinary read-only folder would not stop root.
    result = invoke_render([str(agreement_file(tmp_path)), "-o", "/sys/samverkan-test", "--format", "docx", "-q"])
    failed_cleanly(result)
    assert "/sys/samverkan-test/exempelby: mappen kan inte skapas (" in result.stderr
    assert "välj en annan utmapp med -o" in result.stderr
    assert not Path("/sys/samverkan-test").exists()


def test_disk_full_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = Path.write_bytes

    def half_then_full(self: Path, data: bytes) -> int:
        real_write(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    out = tmp_path / "ut"
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "--format", "docx", "-q"])
    failed_cleanly(result)
    assert "filen kunde inte skrivas (disken är full)" in result.stderr
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_disk_full_at_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(src: Any, dst: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    out = tmp_path / "ut"
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "--format", "docx", "-q"])
    failed_cleanly(result)
    assert "disken är full" in result.stderr
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_disk_full_keeps_the_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, out = agreement_file(tmp_path), tmp_path / "ut"
    assert invoke_render([str(source), "-o", str(out), "--format", "docx", "-q"]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*.docx")}
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["del1"]["syfte"] = "En ny version."
    source.write_text(dump(data), encoding="utf-8")
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    failed_cleanly(invoke_render([str(source), "-o", str(out), "--format", "docx", "-q"]))
    assert {p: p.read_bytes() for p in out.rglob("*.docx")} == before
    assert not leftovers(out)


# -- templates that are not templates ------------------------------------------------


def real_template() -> bytes:
    from samverkan.documents.render import template_path

    return template_path("overenskommelse").read_bytes()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def jinja_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BAD_TEMPLATES = {
    "text-file": ("mall.txt", b"{{ doc.title }}", "en mall måste vara ett Word-dokument (.docx)"),
    "pdf-named-docx": ("mall.docx", b"%PDF-1.7\n%\xe2\xe3\n", "mallen kan inte läsas som Word-dokument"),
    "random-bytes": ("mall.docx", bytes(range(256)) * 8, "mallen kan inte läsas som Word-dokument"),
    "truncated-zip": ("mall.docx", None, "mallen kan inte läsas som Word-dokument"),
    "zip-not-word": ("mall.docx", zip_bytes({"hej.txt": b"hej"}), "mallen kan inte läsas som Word-dokument"),
    "broken-xml": ("mall.docx", None, "mallen kan inte läsas som Word-dokument"),
    "empty": ("mall.docx", b"", "mallen kan inte läsas som Word-dokument"),
    "sandbox-escape": ("mall.docx", jinja_docx("{{ doc.__class__.__mro__[1].__subclasses__() }}"), "mall.docx: mallen"),
    "import-attempt": ("mall.docx", jinja_docx("{% import 'os' as os %}{{ os }}"), "mall.docx: mallen"),
    "format-attack": ("mall.docx", jinja_docx("{{ '{0.__class__}'.format(doc) }}"), "mall.docx: mallen"),
    "unknown-variable": ("mall.docx", jinja_docx("{{ hemlig }}"), "mallen använder variabeln 'hemlig'"),
    "syntax-error": ("mall.docx", jinja_docx("{% if doc.title %}utan slut"), "Jinja-syntaxfel"),
}


@pytest.mark.parametrize("case", list(BAD_TEMPLATES), ids=list(BAD_TEMPLATES))
def test_bad_template_exits_1_naming_it(tmp_path: Path, case: str) -> None:
    name, data, message = BAD_TEMPLATES[case]
    if case == "truncated-zip":
        whole = real_template()
        data = whole[: len(whole) // 2]
    elif case == "broken-xml":
        with zipfile.ZipFile(io.BytesIO(real_template())) as z:
            members = {n: z.read(n) for n in z.namelist()}
        members["word/document.xml"] = members["word/document.xml"][:-200]
        data = zip_bytes(members)
    template = tmp_path / name
    template.write_bytes(data)
    out = tmp_path / "ut"
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "--format", "docx", "--template", str(template)])
    failed_cleanly(result)
    assert str(template) in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert not [p for p in out.rglob("*") if p.is_file()] if out.exists() else True


def test_template_folder_with_a_corrupt_template(tmp_path: Path) -> None:
    folder = tmp_path / "mallar"
    folder.mkdir()
    (folder / "medborgarlofte.docx").write_bytes(b"PK\x03\x04 trasig")
    out = tmp_path / "ut"
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "--format", "docx", "--template", str(folder)])
    failed_cleanly(result)
    assert str(folder / "medborgarlofte.docx") in result.stderr
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]


# -- rendering values the .docx format limits ----------------------------------------


def test_very_long_names_render_and_are_kept_whole_in_the_text(tmp_path: Path) -> None:
    # Document properties hold at most 255 characters; python-docx raises past that.
    from samverkan.documents.render import render_docx

    long_name = "Långnamnsby " * 40 + "kommun"
    data = yaml.safe_load(base_text())
    data["parter"]["kommun"]["namn"] = long_name
    data["titel"] = "Överenskommelse " + "ö" * 600
    agreement = loads(dump(data), "lang.yaml")
    import docx

    document = docx.Document(io.BytesIO(render_docx(agreement)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert long_name in text and data["titel"] in text
    assert len(document.core_properties.title) == 255 and document.core_properties.title.endswith("…")
    assert document.core_properties.title.startswith("Överenskommelse ööö")


def test_carriage_return_in_a_value_survives_rendering() -> None:
    from samverkan.documents.render import render_docx

    text = base_text().replace("titel: Stöld- och tillgreppsbrott", 'titel: "Stöld\\rtillgrepp"')
    import docx

    document = docx.Document(io.BytesIO(render_docx(loads(text, "cr.yaml"))))
    # Whitespace is folded as printed (model/canonical.py): the \r becomes a space, no word is lost.
    assert "Stöld tillgrepp" in "\n".join(p.text for p in document.paragraphs)


# -- several renders at once ---------------------------------------------------------


def test_three_renders_at_once_into_the_same_folder(tmp_path: Path) -> None:
    """Overlapping inputs, one output folder, real LibreOffice: complete files only."""
    from pypdf import PdfReader

    names = {"alfa": "Alfa kommun", "beta": "Beta kommun", "gamma": "Gamma kommun"}
    sources = {slug_: agreement_file(tmp_path, name, slug_) for slug_, name in names.items()}
    out = tmp_path / "ut"
    private = tmp_path / "tmp"
    private.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("SAMVERKAN_SOFFICE", "SAMVERKAN_LO_TIMEOUT")}
    env["TMPDIR"] = str(private)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "samverkan", "render", str(sources[a]), str(sources[b]), "-o", str(out), "-q", "--force"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for a, b in (("alfa", "beta"), ("beta", "gamma"), ("gamma", "alfa"))
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in results]
    for slug_, name in names.items():
        folder = out / slug_
        files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        assert files == [
            f"{slug_}-medborgarlofte-2024-2025.docx",
            f"{slug_}-medborgarlofte-2024-2025.pdf",
            f"{slug_}-samverkansoverenskommelse-2024-2025.docx",
            f"{slug_}-samverkansoverenskommelse-2024-2025.pdf",
        ]
        for path in folder.glob("*.docx"):
            assert zipfile.ZipFile(path).testzip() is None
        full = folder / f"{slug_}-samverkansoverenskommelse-2024-2025"
        assert name in docx_text(full.with_suffix(".docx"))
        for path in folder.glob("*.pdf"):
            reader = PdfReader(path)
            assert len(reader.pages) >= 1
        assert name in "".join(page.extract_text() for page in PdfReader(full.with_suffix(".pdf")).pages)
        manifest = folder / ".samverkan-manifest.json"
        if manifest.exists():
            json.loads(manifest.read_text(encoding="utf-8"))
    assert not leftovers(out)
    assert list(private.iterdir()) == []  # every private profile and work folder removed
    assert not running(str(private))  # no LibreOffice left with a profile in our TMPDIR
    written = {line for stdout, _ in results for line in stdout.splitlines()}
    assert all(Path(line).resolve().is_relative_to(out.resolve()) for line in written)


@pytest.mark.parametrize("name", ["../../../utanfor", "a/../../b", '<>:"|?* kommun', "...", "/etc/passwd", "..\\..\\windows", "–"])
def test_render_never_writes_outside_the_output_folder(tmp_path: Path, name: str) -> None:
    data = yaml.safe_load(base_text())
    data["parter"]["kommun"]["namn"] = name
    data["parter"]["kommun"]["kortnamn"] = name
    source = tmp_path / "in" / "a.yaml"
    source.parent.mkdir()
    source.write_text(dump(data), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    before = set(tmp_path.rglob("*"))
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(out), "--format", "docx", "-q"])
    assert result.exit_code == 0, result.output
    files = [p for p in set(tmp_path.rglob("*")) - before if p.is_file()]
    assert len(files) >= 2
    for path in files:
        assert path.resolve().is_relative_to(out.resolve()), path
        assert re.fullmatch(r"[a-z0-9-]+\.docx|\.samverkan-manifest\.json", path.name), path.name
        assert path.parent.parent.resolve() == out.resolve()
    for line in result.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(out.resolve())


@pytest.mark.parametrize(
    "source",
    [
        "<p>{{ page.__class__.__mro__[1].__subclasses__() | length }}</p>",
        "<p>{{ page.title.__class__.__base__ }}</p>",
        "<p>{{ '{0.__class__}'.format(page) }}</p>",
        "<p>{{ cycler.__init__.__globals__ }}</p>",
    ],
)
def test_html_template_is_sandboxed(tmp_path: Path, source: str) -> None:
    template = tmp_path / "ond.html"
    template.write_text(source, encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["web", str(agreement_file(tmp_path)), "-o", str(out), "--template", str(template)])
    failed_cleanly(result)
    assert f"{template}: HTML-mallen kan inte fyllas i" in result.stderr
    assert not out.exists()


def test_hostile_text_survives_into_the_pdf(tmp_path: Path) -> None:
    """YAML → docx → PDF (real LibreOffice): markup-like text comes out as written."""
    hostile = [
        "Trygghet & säkerhet för <alla> i \"centrum\" och 'hamnen'",
        "Mallkod {{ doc.title }} och {% if x %} och {#p #} står kvar",
        "ÅÄÖ åäö é ü – Långt_ord_" + "ö" * 40,
    ]
    data = yaml.safe_load(base_text())
    data["del1"]["syfte"] = "\n\n".join(hostile[:2])
    data["del1"]["delmal"] = [hostile[2]]
    source = tmp_path / "in" / "a.yaml"
    source.parent.mkdir()
    source.write_text(dump(data), encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(cli, ["render", str(source), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    pdf = out / "exempelby" / "exempelby-samverkansoverenskommelse-2024-2025.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for piece in hostile:
        assert piece in flat, (piece, flat[:2000])


def _default_signals() -> None:
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_render_stopped_by_a_signal_leaves_nothing_behind(tmp_path: Path, signum: int) -> None:
    """A render cancelled from outside (Ctrl-C, `kill`, a CI timeout) kills LibreOffice and cleans up."""
    marker = f"fake-lo-{uuid.uuid4().hex}"
    bin_dir = tmp_path / marker
    bin_dir.mkdir()
    (bin_dir / "sleeper").symlink_to(shutil.which("sleep") or "/bin/sleep")
    fake_soffice(bin_dir, HANG)
    private = tmp_path / "tmp"
    private.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("SAMVERKAN_SOFFICE", "SAMVERKAN_LO_TIMEOUT")}
    env |= {"TMPDIR": str(private), "PATH": str(bin_dir)}
    out = tmp_path / "ut"
    run = subprocess.Popen(
        [sys.executable, "-m", "samverkan", "render", str(agreement_file(tmp_path)), "-o", str(out), "-q"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # As from a terminal: the test runner itself may have been started
        # with SIGHUP or SIGINT ignored (nohup, a background job), which the
        # child would inherit, and samverkan rightly keeps an ignored signal.
        preexec_fn=_default_signals,
    )
    deadline = time.monotonic() + 30
    while not any("sleeper" in line for line in running(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(marker), "the fake LibreOffice never started"
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode != 0
    assert "Traceback" not in stderr
    if signum != signal.SIGINT:
        assert run.returncode == 128 + signum
        assert f"samverkan avbröts ({signal.Signals(signum).name})" in stderr
    deadline = time.monotonic() + 5
    while running(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(marker)
    assert list(private.iterdir()) == []
    assert not list(out.rglob("*.pdf")) and not leftovers(out)


@pytest.mark.parametrize("profile_template", [False, True], ids=["first-run", "profile-copied"])
def test_disk_full_in_the_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile_template: bool) -> None:
    """An OSError the library does not expect is still exit 1 with a message, and cleans up."""
    from samverkan.documents import office

    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    template = None
    if profile_template:  # a later conversion in the same process copies a kept profile (copytree)
        template = tmp_path / "mall-profil"
        (template / "user").mkdir(parents=True)
        (template / "user" / "registrymodifications.xcu").write_text("<x/>")
    monkeypatch.setattr(office, "_template", template)

    def full(src: Any, dst: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))

    monkeypatch.setattr(shutil, "copyfile", full)
    out = tmp_path / "ut"
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "-q"])
    failed_cleanly(result)
    assert "ett fil- eller systemfel avbröt kommandot (disken är full)" in result.stderr
    assert not list(out.rglob("*.pdf")) and not leftovers(out)
    assert list(private.iterdir()) == []


@pytest.mark.parametrize("name", ["../../utanfor", "/etc", '<>:"|?*', "..", "Malå/../../x"])
def test_init_keeps_hostile_kommun_names_inside_agreements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    cwd = tmp_path / "arbete"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(cli, ["init", name, "--year", "2026"])
    assert result.exit_code == 0, result.output
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1
    assert files[0].resolve().parent.parent == (cwd / "agreements").resolve()
    assert re.fullmatch(r"[a-z0-9-]+", files[0].parent.name)


# -- YAML tags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object:os.system ls",
        "!!python/name:os.system",
        "!!python/object/apply:os.system [ls]",
        "!<tag:yaml.org,2002:python/none> x",
        "!!binary aGVq",
        "!!set {a}",
        "!!omap [a: 1]",
        "!foo x",
    ],
)
def test_tags_outside_the_core_schema_are_refused(tag: str) -> None:
    # Nothing is constructed from a tag anyway; dropping one silently would still hide a hostile file.
    text = base_text().replace("  syfte: Att minska brottsligheten och öka tryggheten.", f"  syfte: {tag}")
    with pytest.raises(InvalidAgreement, match=r"f\.yaml:16:10: okänd YAML-tagg"):
        loads(text, "f.yaml")


@pytest.mark.parametrize("value", ["!!str 0481", "&kod !!str 0481", "!!str &kod 0481", '!!str "0481"'])
def test_explicit_str_tag_makes_text(value: str) -> None:
    text = base_text().replace('kommunkod: "0481"', f"kommunkod: {value}").replace("Exempelby kommun", "Åäö😀 kommun")
    assert loads(text, "f.yaml").parter.kommun.kommunkod == "0481"


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path, opening: str) -> None:
    # libyaml's composer recurses in C: ~50 000 nested brackets (100 kB) used to kill the process (SIGSEGV).
    n = 100_000
    if opening == "- ":
        body = "- " * n + "x\n"  # "- - - - x": nested block lists on one line
    else:
        body = opening * n + ("]" if opening == "[" else "}") * n + "\n"
    path = tmp_path / "djup.yaml"
    path.write_text("status: " + body if opening != "- " else "status:\n  " + body, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "samverkan", "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: för djup nästling", result.stderr, re.M), result.stderr[-500:]


# -- symbolic links planted in the output folder -------------------------------------


def command_args(command: str, source: Path) -> list[str]:
    return {
        "render": ["render", str(source), "--format", "docx", "-q"],
        "diff": ["diff", str(source), str(source), "--no-pdf"],
        "web": ["web", str(source)],
    }[command]


@pytest.mark.parametrize("command", ["render", "diff", "web"])
def test_kommun_folder_linked_out_of_the_output_folder_is_refused(tmp_path: Path, command: str) -> None:
    out, elsewhere = tmp_path / "ut", tmp_path / "annanstans"
    out.mkdir()
    elsewhere.mkdir()
    (out / "exempelby").symlink_to(elsewhere, target_is_directory=True)
    result = CliRunner().invoke(cli, [*command_args(command, agreement_file(tmp_path)), "-o", str(out)])
    failed_cleanly(result)
    assert (f"{out / 'exempelby'}: mappen är en symbolisk länk till {elsewhere.resolve()}, utanför {out.resolve()}"
            in result.stderr)
    assert "ta bort länken och kör igen" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert (out / "exempelby").is_symlink()


@pytest.mark.parametrize("link", ["../../annanstans", "/tmp"])
def test_relative_and_absolute_links_out_are_refused(tmp_path: Path, link: str) -> None:
    from samverkan.errors import OutputError
    from samverkan.fsutil import write_text

    (tmp_path / "annanstans").mkdir()
    (tmp_path / "ut").mkdir()
    (tmp_path / "ut" / "exempelby").symlink_to(link)
    with pytest.raises(OutputError, match="mappen är en symbolisk länk till .*utanför"):
        write_text(tmp_path / "ut" / "exempelby" / "a.html", "x")
    assert not (tmp_path / "annanstans" / "a.html").exists()


def test_link_that_stays_inside_the_output_folder_is_followed(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    (out / "arkiv" / "exempelby").mkdir(parents=True)
    (out / "exempelby").symlink_to(Path("arkiv") / "exempelby")
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "--format", "docx", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in (out / "arkiv" / "exempelby").iterdir() if not p.name.startswith(".")) == [
        ".docx", ".docx"]


def test_output_folder_that_is_itself_a_link_is_the_users_choice(tmp_path: Path) -> None:
    share = tmp_path / "delad"
    share.mkdir()
    (tmp_path / "ut").symlink_to(share, target_is_directory=True)
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(tmp_path / "ut"), "--format", "docx", "-q"])
    assert result.exit_code == 0, result.output
    assert len(list((share / "exempelby").glob("*.docx"))) == 2


def test_a_linked_file_is_replaced_never_written_through(tmp_path: Path) -> None:
    source, out = agreement_file(tmp_path), tmp_path / "ut"
    assert invoke_render([str(source), "-o", str(out), "--format", "docx", "-q"]).exit_code == 0
    documents = sorted((out / "exempelby").glob("*.docx"))
    victim = tmp_path / "offer.txt"
    victim.write_text("orörd")
    for document in documents:
        document.unlink()
        document.symlink_to(victim)
    result = invoke_render([str(source), "-o", str(out), "--format", "docx", "-q", "--force"])
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "orörd"
    for document in documents:
        assert not document.is_symlink()
        assert "Exempelby" in docx_text(document)


@pytest.mark.parametrize(("link", "message"), [
    ("finns-inte", "är en symbolisk länk till finns-inte, som inte finns – ta bort länken och kör igen"),
    ("exempelby", "mappen är en symbolisk länk som till slut pekar på sig själv – ta bort länken och kör igen"),
])
def test_broken_kommun_folder_link(tmp_path: Path, link: str, message: str) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    (out / "exempelby").symlink_to(link)
    result = invoke_render([str(agreement_file(tmp_path)), "-o", str(out), "--format", "docx", "-q"])
    failed_cleanly(result)
    assert f"{out / 'exempelby'}" in result.stderr
    assert message in result.stderr
    assert [p.name for p in out.iterdir()] == ["exempelby"]
