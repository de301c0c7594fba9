"""PDF conversion with the real LibreOffice, and its failure modes with fake ones.

The LibreOffice runs are few and batched in module-scoped fixtures; the
failure modes use small shell scripts standing in for soffice.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from fake_soffice import PARSE_ARGS

from samverkan.documents import convert, office
from samverkan.documents.convert import (
    PDF_EXPORT_OPTIONS,
    LibreOfficeConverter,
    default_converter,
    find_soffice,
)
from samverkan.documents.pdfcheck import inspect_pdf
from samverkan.errors import ConversionError

HINT = "apt-get install libreoffice-writer-nogui"


def make_docx(path: Path, title: str, lang: str = "sv-SE", sections: int = 2) -> Path:
    """A small A4 Word file with a core title, headings and Swedish text."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    run_defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang_element = run_defaults.find(qn("w:lang"))
    if lang_element is None:
        lang_element = OxmlElement("w:lang")
        run_defaults.append(lang_element)
    lang_element.set(qn("w:val"), lang)
    document.core_properties.title = title
    document.add_heading(title, 1)
    for number in range(1, sections + 1):
        document.add_heading(f"Del {number}: Lägesbild och åtgärder", 2)
        document.add_paragraph(f"Kommunen och Polisen ska öka tryggheten på torget i Årsta, avsnitt {number}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in for soffice: a shell script that sees the same arguments."""
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return script




def is_gone(pid: int) -> bool:
    """True if the process no longer runs (absent, or a zombie waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One call converting five documents with two LibreOffice processes.

    Two sources share a file name (in different folders), targets go to two
    folders, and one document is English so the /Lang is seen to come from
    the document itself.
    """
    root = tmp_path_factory.mktemp("batch")
    private_tmp = root / "tmp"
    private_tmp.mkdir()
    sources = {
        "oxelosund": make_docx(root / "in" / "oxelosund" / "avtal.docx", "Samverkansöverenskommelse Oxelösund 2024–2025", sections=6),
        "oxelosund-ml": make_docx(root / "in" / "oxelosund" / "medborgarlofte.docx", "Medborgarlöfte Oxelösund 2024"),
        "nykoping": make_docx(root / "in" / "nykoping" / "avtal.docx", "Samverkansöverenskommelse Nyköping 2024–2025"),
        "ostersund": make_docx(root / "in" / "ostersund" / "avtal.docx", "Samverkansöverenskommelse Östersund 2025"),
        "english": make_docx(root / "in" / "english.docx", "Cooperation agreement", lang="en-GB"),
    }
    targets = {key: root / "out" / key.split("-")[0] / f"{key}.pdf" for key in sources}
    jobs = [(sources[key], targets[key]) for key in sources]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", str(private_tmp))
        mp.setattr(office, "_template", None)
        started = time.perf_counter()
        LibreOfficeConverter(workers=2).convert(jobs + jobs[:1])  # a repeated job is converted once
        seconds = time.perf_counter() - started
    return {"root": root, "tmp": private_tmp, "sources": sources, "targets": targets, "seconds": seconds}


def test_every_target_is_written(batch: dict) -> None:
    for target in batch["targets"].values():
        assert target.read_bytes().startswith(b"%PDF-")
        assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_batch_is_fast_enough_to_be_one_process_per_worker(batch: dict) -> None:
    # One LibreOffice start is ~0.5–2 s on this machine; five separate
    # starts in two lanes would not fit (and the invocation count is pinned
    # exactly in test_two_renders_at_the_same_time).
    assert batch["seconds"] < 20


def test_pdf_is_a4_tagged_pdfa_with_swedish_language(batch: dict) -> None:
    report = inspect_pdf(batch["targets"]["oxelosund"])
    assert report.pages >= 1
    assert all((round(w), round(h)) == (595, 842) for w, h in report.page_sizes)
    assert report.tagged
    assert report.lang == "sv-SE"
    assert (report.pdfa_part, report.pdfa_conformance) == ("2", "B")
    assert report.pdfua_part == "1"
    assert report.title == "Samverkansöverenskommelse Oxelösund 2024–2025"
    assert report.display_doc_title
    assert report.has_outlines
    assert report.fonts_not_embedded == []
    text = "\n".join(report.text)
    assert "Del 6: Lägesbild och åtgärder" in text
    assert "öka tryggheten på torget i Årsta" in text


def test_each_document_keeps_its_own_title_even_when_names_collide(batch: dict) -> None:
    titles = {key: inspect_pdf(path).title for key, path in batch["targets"].items()}
    assert titles == {
        "oxelosund": "Samverkansöverenskommelse Oxelösund 2024–2025",
        "oxelosund-ml": "Medborgarlöfte Oxelösund 2024",
        "nykoping": "Samverkansöverenskommelse Nyköping 2024–2025",
        "ostersund": "Samverkansöverenskommelse Östersund 2025",
        "english": "Cooperation agreement",
    }


def test_language_comes_from_the_document(batch: dict) -> None:
    assert inspect_pdf(batch["targets"]["english"]).lang == "en-GB"
    assert inspect_pdf(batch["targets"]["nykoping"]).lang == "sv-SE"


def test_poppler_sees_the_same(batch: dict) -> None:
    target = batch["targets"]["ostersund"]
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Page size:       595.304 x 841.89 pts (A4)" in info
    assert "Title:           Samverkansöverenskommelse Östersund 2025" in info
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = fonts[2:]
    assert rows, "pdffonts listed no fonts"
    assert all(row[-28:].split()[0] == "yes" for row in rows), fonts  # the "emb" column
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Östersund" in text and "åtgärder" in text and "öka" in text
    raw = target.read_bytes()
    assert re.search(rb"/Lang ?\(sv-SE\)", raw)
    assert b"<pdfaid:part>2</pdfaid:part>" in raw or b'pdfaid:part="2"' in raw


def test_nothing_is_left_in_the_temporary_folder(batch: dict) -> None:
    leftovers = sorted(p.name for p in batch["tmp"].iterdir())
    # Only the profile template kept for this Python process (removed at exit).
    assert len(leftovers) <= 1 and all(name.startswith("samverkan-lo-template-") for name in leftovers), leftovers
    # No LibreOffice that was started with one of the batch's profiles is still running.
    still_running = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(batch["tmp"]).encode() in cmdline.read_bytes() and not is_gone(int(cmdline.parent.name)):
                still_running.append(cmdline.parent.name)
        except OSError:
            continue
    assert still_running == []


def test_export_options_are_the_documented_ones() -> None:
    assert PDF_EXPORT_OPTIONS["SelectPdfVersion"] == {"type": "long", "value": "2"}
    for flag in ("UseTaggedPDF", "PDFUACompliance", "ExportBookmarks", "DisplayPDFDocumentTitle"):
        assert PDF_EXPORT_OPTIONS[flag] == {"type": "boolean", "value": "true"}


def test_two_renders_at_the_same_time(tmp_path: Path) -> None:
    """Two Python processes convert into different folders at the same moment.

    soffice is wrapped by a script that logs each start, so the test also
    pins that each batch of two documents is one LibreOffice process.
    """
    log = tmp_path / "starts.log"
    real = Path(os.path.realpath(find_soffice()))
    # The wrapper sits in a copy of the installation's layout, so the
    # converter still finds the version it seeds new profiles with.
    (tmp_path / "lo" / "program").mkdir(parents=True)
    (tmp_path / "lo" / "share").symlink_to(real.parent.parent / "share")
    wrapper = fake_soffice(tmp_path / "lo" / "program", f'echo "$$ $*" >> {log}\nexec {real} "$@"\n')
    program = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from samverkan.documents.convert import LibreOfficeConverter
        folder = Path(sys.argv[1])
        jobs = [(folder / f"{n}.docx", folder / "pdf" / f"{n}.pdf") for n in ("a", "b")]
        LibreOfficeConverter(workers=1).convert(jobs)
        """
    )
    for name in ("first", "second"):
        make_docx(tmp_path / name / "a.docx", f"Dokument A i {name}")
        make_docx(tmp_path / name / "b.docx", f"Dokument B i {name}")
    env = {**os.environ, "SAMVERKAN_SOFFICE": str(wrapper)}
    runs = [
        subprocess.Popen([sys.executable, "-c", program, str(tmp_path / name)], env=env, stderr=subprocess.PIPE, text=True)
        for name in ("first", "second")
    ]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    for name in ("first", "second"):
        assert inspect_pdf(tmp_path / name / "pdf" / "a.pdf").title == f"Dokument A i {name}"
        assert inspect_pdf(tmp_path / name / "pdf" / "b.pdf").title == f"Dokument B i {name}"
    starts = log.read_text().splitlines()
    assert len(starts) == 2, starts
    profiles = {arg for line in starts for arg in line.split() if arg.startswith("-env:UserInstallation=")}
    assert len(profiles) == 2
    assert all(line.count(".docx") == 2 for line in starts)


# --- failure modes (no real LibreOffice) ---


@pytest.fixture
def job(tmp_path: Path) -> tuple[Path, Path]:
    return make_docx(tmp_path / "avtal.docx", "Avtal"), tmp_path / "ut" / "avtal.pdf"


def test_missing_soffice_on_path(job: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("SAMVERKAN_SOFFICE", raising=False)
    with pytest.raises(ConversionError, match=HINT):
        find_soffice()
    with pytest.raises(ConversionError, match="LibreOffice \\(soffice\\) finns inte") as caught:
        default_converter().convert([job])
    assert "scripts/setup.sh" in str(caught.value)
    assert not job[1].exists()


def test_samverkan_soffice_pointing_nowhere(job: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMVERKAN_SOFFICE", str(tmp_path / "no" / "soffice"))
    with pytest.raises(ConversionError, match=f"SAMVERKAN_SOFFICE pekar på .*{HINT}"):
        LibreOfficeConverter().convert([job])
    assert not job[1].exists()


def test_hung_soffice_is_killed_with_its_children(job: tuple[Path, Path], tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = fake_soffice(tmp_path, f"sleep 300 &\necho $$ $! > {pids}\nwait\n")
    started = time.monotonic()
    with pytest.raises(ConversionError) as caught:
        LibreOfficeConverter(soffice=str(script), timeout=1).convert([job])
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert "tidsgränsen 1 s" in message and str(job[0]) in message and "SAMVERKAN_LO_TIMEOUT" in message
    shell, child = (int(pid) for pid in pids.read_text().split())
    assert is_gone(shell) and is_gone(child)
    assert not job[1].exists()


def test_timeout_from_the_environment(job: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = fake_soffice(tmp_path, "exec sleep 300\n")
    monkeypatch.setenv("SAMVERKAN_LO_TIMEOUT", "0.5")
    with pytest.raises(ConversionError, match="tidsgränsen 0.5 s"):
        LibreOfficeConverter(soffice=str(script)).convert([job])
    many = [(make_docx(tmp_path / f"{n}.docx", str(n)), tmp_path / f"{n}.pdf") for n in range(7)]
    with pytest.raises(ConversionError, match=r"ingen PDF skapades för: (\S+\.docx, ){4}\S+\.docx och 2 till"):
        LibreOfficeConverter(soffice=str(script), workers=1).convert(many)
    monkeypatch.setenv("SAMVERKAN_LO_TIMEOUT", "snart")
    with pytest.raises(ConversionError, match="SAMVERKAN_LO_TIMEOUT='snart' är ingen giltig tidsgräns"):
        LibreOfficeConverter(soffice=str(script)).convert([job])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("exit 0\n", "LibreOffice skapade ingen PDF"),
        (PARSE_ARGS + 'for f in $inputs; do : > "$outdir/$(basename "$f" .docx).pdf"; done\n', "LibreOffice skapade en tom PDF"),
        (PARSE_ARGS + 'for f in $inputs; do echo "%PDF-1.7 trasig" > "$outdir/$(basename "$f" .docx).pdf"; done\n', "LibreOffice skapade en trasig PDF"),
        ("echo 'kraschade' >&2\nexit 3\n", "LibreOffice avslutades med felkod 3 .*kraschade"),
        ("kill -SEGV $$\n", "LibreOffice avbröts av signal 11"),
    ],
    ids=["nothing", "empty", "garbage", "exit-code", "crash"],
)
def test_bad_output_is_an_error_and_leaves_no_target(job: tuple[Path, Path], tmp_path: Path, body: str, message: str) -> None:
    source, target = job
    target.parent.mkdir(parents=True)
    target.write_bytes(b"previous version")
    script = fake_soffice(tmp_path, body)
    with pytest.raises(ConversionError, match=message) as caught:
        LibreOfficeConverter(soffice=str(script)).convert([job])
    assert str(source) in str(caught.value)
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in target.parent.iterdir()] == ["avtal.pdf"]


def test_one_failed_document_does_not_cost_the_others(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    good_pdf = tmp_path / "good.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(good_pdf)
    bad = make_docx(tmp_path / "in" / "trasig.docx", "Trasig", sections=5)
    fine = [make_docx(tmp_path / "in" / f"ok{n}.docx", f"Ok {n}") for n in range(3)]
    script = fake_soffice(
        tmp_path,
        PARSE_ARGS
        + f'for f in $inputs; do cmp -s "$f" {bad} || cp {good_pdf} "$outdir/$(basename "$f" .docx).pdf"; done\n'
        + "echo 'Error: source file could not be loaded'\n",
    )
    jobs = [(source, tmp_path / "ut" / f"{source.stem}.pdf") for source in [*fine, bad]]
    with pytest.raises(ConversionError) as caught:
        LibreOfficeConverter(soffice=str(script), workers=2).convert(jobs)
    message = str(caught.value)
    assert message.startswith(f"{bad}: LibreOffice skapade ingen PDF")
    assert "source file could not be loaded" in message
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == ["ok0.pdf", "ok1.pdf", "ok2.pdf"]


def test_source_that_is_not_a_word_file(tmp_path: Path) -> None:
    source = tmp_path / "avtal.docx"
    source.write_text("inte ett Word-dokument")
    with pytest.raises(ConversionError, match="avtal.docx: filen är inget Word-dokument"):
        LibreOfficeConverter(soffice="/bin/false").convert([(source, tmp_path / "avtal.pdf")])
    with pytest.raises(ConversionError, match="saknas.docx: filen finns inte"):
        LibreOfficeConverter(soffice="/bin/false").convert([(tmp_path / "saknas.docx", tmp_path / "saknas.pdf")])


def test_two_sources_for_one_target(tmp_path: Path) -> None:
    a = make_docx(tmp_path / "a.docx", "A")
    b = make_docx(tmp_path / "b.docx", "B")
    with pytest.raises(ConversionError, match="skulle skrivas till samma PDF"):
        LibreOfficeConverter(soffice="/bin/false").convert([(a, tmp_path / "x.pdf"), (b, tmp_path / "x.pdf")])


def test_empty_batch_needs_no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("SAMVERKAN_SOFFICE", raising=False)
    LibreOfficeConverter().convert([])


def test_interrupt_stops_every_lane(job: tuple[Path, Path], tmp_path: Path) -> None:
    """Ctrl-C while two LibreOffice processes run: both are killed at once."""
    import signal

    pids = tmp_path / "pids"
    script = fake_soffice(tmp_path, f"echo $$ >> {pids}\nexec sleep 300\n")
    jobs = [job, (make_docx(tmp_path / "annat.docx", "Annat"), tmp_path / "ut" / "annat.pdf")]

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            LibreOfficeConverter(soffice=str(script), timeout=60, workers=2).convert(jobs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 10
    started_pids = [int(pid) for pid in pids.read_text().split()]
    assert len(started_pids) == 2
    assert all(is_gone(pid) for pid in started_pids)
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize(("setting", "preloaded"), [(None, True), ("0", False)])
def test_libreoffice_gets_jemalloc_unless_turned_off(
    job: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str | None, preloaded: bool
) -> None:
    # scripts/setup.sh installs jemalloc, so it is there to be preloaded.
    assert office.jemalloc() == "libjemalloc.so.2"
    seen = tmp_path / "ld_preload"
    script = fake_soffice(tmp_path, f'echo "$LD_PRELOAD" > {seen}\nexit 0\n')
    monkeypatch.setenv("LD_PRELOAD", "")
    if setting is None:
        monkeypatch.delenv("SAMVERKAN_LO_JEMALLOC", raising=False)
    else:
        monkeypatch.setenv("SAMVERKAN_LO_JEMALLOC", setting)
    with pytest.raises(ConversionError, match="skapade ingen PDF"):
        LibreOfficeConverter(soffice=str(script)).convert([job])
    assert ("libjemalloc.so.2" in seen.read_text()) is preloaded


def test_a_new_profile_converts_at_the_first_start(tmp_path: Path) -> None:
    """A fresh process starts soffice.bin once: the seeded profile spares LibreOffice its restart."""
    real = Path(convert.office_binary(find_soffice()))
    assert real.name == "soffice.bin"
    program = tmp_path / "lo" / "program"
    program.mkdir(parents=True)
    (tmp_path / "lo" / "share").symlink_to(real.parent.parent / "share")
    (program / "versionrc").symlink_to(real.parent / "versionrc")
    (program / "oosplash").write_bytes(b"")
    (program / "soffice").write_text("#!/bin/sh\nexit 9\n")
    starts = tmp_path / "starts.log"
    office = program / "soffice.bin"
    office.write_text(f'#!/bin/sh\necho start >> {starts}\nexec {real} "$@"\n')
    for script in (program / "soffice", office):
        script.chmod(0o755)
    source = make_docx(tmp_path / "a.docx", "Första start")
    program_text = (
        "import sys\nfrom pathlib import Path\nfrom samverkan.documents.convert import LibreOfficeConverter\n"
        f"LibreOfficeConverter(soffice={str(program / 'soffice')!r}).convert([(Path(sys.argv[1]), Path(sys.argv[2]))])\n"
    )
    done = subprocess.run([sys.executable, "-c", program_text, str(source), str(tmp_path / "a.pdf")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert inspect_pdf(tmp_path / "a.pdf").pages == 1
    assert starts.read_text().split() == ["start"]
