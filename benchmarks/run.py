"""Benchmark: render all of Sweden's agreements on this machine and compare with the targets.

    .venv/bin/python benchmarks/run.py            # 290 agreements, one per kommun
    .venv/bin/python benchmarks/run.py --n 30     # a quick look (targets scale with N)
    .venv/bin/python benchmarks/run.py --profile  # also show where validation and docx time goes

Generates N synthetic agreements (benchmarks/synth.py) in a temporary folder,
then measures in one run: validating all of them, docx per document, PDF per
document in batch mode, the naive one-soffice-per-document baseline on a
sample, the full docx+pdf render of all N through ``render_files``, peak
memory, one diff of two full agreements and one agreement end to end from a
cold start. Prints a table with the targets and pass/fail.

Wall times depend on what else runs on the machine: the load average is
printed before and after, and CPU time is shown next to wall time where the
step runs in this process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.kommuner import KOMMUNER
from benchmarks.synth import DEFAULT_N, DEFAULT_SEED, _dump, agreement_data, generate
from samverkan.documents.convert import LibreOfficeConverter, find_soffice
from samverkan.documents.render import DOCUMENTS, render_docx, render_files
from samverkan.errors import ConversionError, InvalidAgreement
from samverkan.model.loader import find_agreements, load

MIB = 1024 * 1024


# -- results ------------------------------------------------------------------


@dataclass
class Row:
    what: str
    figure: str
    target: str = ""
    ok: bool | None = None  # None: information only
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def add(self, what: str, figure: str, target: str = "", ok: bool | None = None, note: str = "") -> None:
        self.rows.append(Row(what, figure, target, ok, note))
        mark = "" if ok is None else ("  OK" if ok else "  MISSAT")
        print(f"  {what}: {figure}{'  (mål ' + target + ')' if target else ''}{mark}{'  – ' + note if note else ''}", flush=True)

    def table(self) -> str:
        head = ("Mätning", "Resultat", "Mål", "")
        rows = [head] + [(r.what, r.figure, r.target, "" if r.ok is None else ("OK" if r.ok else "MISSAT")) for r in self.rows]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        notes = [f"  {r.what}: {r.note}" for r in self.rows if r.note]
        return "\n".join(lines + ([""] + notes if notes else []))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


# -- steps ----------------------------------------------------------------------


def _validate_one(path: Path) -> str | None:
    try:
        load(path)
    except InvalidAgreement as e:
        return str(e)
    return None


def validate_all(files: Sequence[Path], report: Report, scale: float, workers: int) -> None:
    """Read and validate every file: in this process, and with a pool of ``workers`` (pool start included)."""
    target = 1.0 * scale
    start = clock()
    errors = [e for e in map(_validate_one, files) if e]
    wall, cpu = since(start)
    if errors:
        raise SystemExit("generated agreements do not validate:\n" + "\n".join(errors[:5]))
    report.data["validate_s"] = wall
    report.add(f"validera {len(files)} (en process)", f"{ms(wall)} (cpu {ms(cpu)})", f"< {ms(target)}", wall < target)
    if workers > 1:
        start = clock()
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            errors = [e for e in pool.map(_validate_one, files, chunksize=max(1, len(files) // (workers * 4))) if e]
        wall, _ = since(start)
        report.data["validate_pool_s"] = wall
        report.add(
            f"validera {len(files)} ({workers} processer)",
            ms(wall),
            f"< {ms(target)}",
            wall < target,
            note="processpoolen startas och avslutas inom den uppmätta tiden",
        )


def docx_median(files: Sequence[Path], report: Report, sample: int) -> None:
    """Median time of one render_docx call, over both documents of ``sample`` agreements."""
    chosen = list(files)[:: max(1, len(files) // sample)][:sample]
    agreements = [load(path) for path in chosen]
    for document in DOCUMENTS:  # the first render of each template is not the steady state
        render_docx(agreements[0], document)
    walls, cpus = [], []
    for agreement in agreements:
        for document in DOCUMENTS:
            start = clock()
            render_docx(agreement, document)
            wall, cpu = since(start)
            walls.append(wall)
            cpus.append(cpu)
    median = statistics.median(walls)
    report.data["docx_median_s"] = median
    report.add(
        f"docx per dokument (median av {len(walls)})",
        f"{ms(median)} (cpu {ms(statistics.median(cpus))})",
        "< 30 ms",
        median < 0.030,
    )


class TimedConverter:
    """Wraps a converter and records how long its convert() calls take and how many documents they get."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.seconds = 0.0
        self.cpu = 0.0  # CPU time of the LibreOffice processes (independent of other load)
        self.documents = 0

    def convert(self, jobs: Sequence[tuple[Path, Path]]) -> None:
        start, before = time.perf_counter(), _children_cpu()
        try:
            self.inner.convert(jobs)
        finally:
            self.seconds += time.perf_counter() - start
            self.cpu += _children_cpu() - before
            self.documents += len(jobs)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def full_render(files: Sequence[Path], out: Path, report: Report, scale: float, workers: int | None) -> list[Path]:
    """All agreements, both documents, docx+pdf, through render_files; the PDF phase gives the batch figure."""
    converter = TimedConverter(LibreOfficeConverter(workers=workers))
    start, children_before = clock(), _children_cpu()
    failed = ""
    try:
        render_files(list(files), out, ("docx", "pdf"), converter=converter)
    except ConversionError as e:  # report it in the table instead of stopping the benchmark
        failed = f"{str(e).count('LibreOffice')} dokument fick ingen PDF: {str(e).splitlines()[0][:200]}"
    wall, cpu = since(start)
    # render_files reads and renders big batches in forked worker processes
    # (finished before the conversion starts): their CPU is the children's
    # CPU outside the converter's.
    workers_cpu = _children_cpu() - children_before - converter.cpu
    documents = converter.documents
    per_pdf = converter.seconds / max(documents, 1)
    report.data.update(full_s=wall, batch_pdf_per_doc_s=per_pdf, documents=documents)
    report.add(
        f"PDF per dokument i batch ({documents} dokument)",
        ms(per_pdf),
        note=f"konverteringen tog {ms(converter.seconds)} av helheten; LibreOffice använde {ms(converter.cpu)} cpu "
        f"({ms(converter.cpu / max(documents, 1))} per dokument)",
    )
    target = 60.0 * scale
    report.add(
        f"alla {len(files)} överenskommelser ({documents} dokument, docx+pdf)",
        ms(wall),
        f"< {ms(target)}",
        wall < target and not failed,
        note=failed
        or f"läsa och skapa docx {ms(wall - converter.seconds)}, PDF {ms(converter.seconds)}; cpu: denna process "
        f"{ms(cpu)}, arbetsprocesser {ms(workers_cpu)}, LibreOffice {ms(converter.cpu)}",
    )
    return sorted(out.rglob("*.docx"))


def rerun_up_to_date(files: Sequence[Path], out: Path, report: Report) -> None:
    """Render again into the same folder: unchanged agreements whose files are fresh are skipped."""
    start = clock()
    try:
        written = len(render_files(list(files), out, ("docx", "pdf")))
    except ConversionError:
        written = -1
    wall, _ = since(start)
    what = f"{written} filer skrivna" if written >= 0 else "konverteringen misslyckades igen"
    report.add(f"igen, oförändrade ({what})", ms(wall), note="innehållsfingeravtryck: aktuella filer hoppas över")


def naive_baseline(docx: Sequence[Path], work: Path, report: Report, sample: int) -> None:
    """One `soffice --convert-to pdf` process per document, each with a fresh profile, like a simple script."""
    soffice = find_soffice()
    chosen = list(docx)[:: max(1, len(docx) // sample)][:sample]
    times = []
    for i, source in enumerate(chosen):
        profile = work / f"naive-profile-{i}"
        outdir = work / f"naive-{i}"
        command = [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--convert-to", "pdf", "--outdir", str(outdir), str(source),
        ]
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=300)
        times.append(time.perf_counter() - start)
        if not (outdir / source.with_suffix(".pdf").name).is_file():
            raise SystemExit(f"naive baseline: soffice made no PDF for {source}")
    per_doc = sum(times) / len(times)
    report.data["naive_per_doc_s"] = per_doc
    report.add(f"naivt: en soffice per dokument ({len(times)} st)", f"{ms(per_doc)} per dokument",
               note="ny profil för varje process, vanlig PDF (inte PDF/A), i tur och ordning")
    batch = report.data.get("batch_pdf_per_doc_s")
    if batch:
        ratio = per_doc / batch
        report.data["ratio"] = ratio
        report.add("batch jämfört med naivt, per dokument", f"{ratio:.1f}× snabbare", "≥ 6×", ratio >= 6)


def _next_version(data: dict[str, Any]) -> dict[str, Any]:
    """A plausible next version: new period, one area dropped, texts and activities edited."""
    new = json.loads(json.dumps(data, default=str))
    for key in ("start", "slut"):
        if key in new["period"]:
            year, rest = new["period"][key].split("-", 1)
            new["period"][key] = f"{int(year) + 2}-{rest}"
    promise = new["medborgarloften"][0]
    promise["period"] = {"start": new["period"]["start"], "slut": new["period"].get("slut") or new["period"]["start"]}
    if "slut" not in new["period"]:
        promise["period"]["slut"] = f"{new['period']['start'][:4]}-12-31"
    promise["id"] = "ml-nasta"
    areas = new["del2"]["prioriterade_omraden"]
    areas.pop()
    areas[0]["aktiviteter"][0]["omfattning"] = "minst dubbelt så många som förra perioden"
    areas[0]["aktiviteter"].append({"text": "följa upp insatserna med en enkät till de boende", "ansvar": "kommunen"})
    new["del1"]["syfte"] += " Överenskommelsen har förnyats efter uppföljningen av förra perioden."
    new["del1"]["delmal"].reverse()
    new["status"] = "utkast"
    new.pop("datum", None)
    for signer in new["undertecknare"]:
        signer.pop("ort", None)
        signer.pop("datum", None)
    return new


def one_diff(work: Path, report: Report, seed: int) -> None:
    """`diff` of two full agreements (load both, compare, redline .docx, no PDF)."""
    kommun = KOMMUNER[[k.namn for k in KOMMUNER].index("Oxelösund")]
    old_data = agreement_data(kommun, seed)
    old_path, new_path = work / "diff" / "gammal.yaml", work / "diff" / "ny.yaml"
    old_path.parent.mkdir(parents=True)
    old_path.write_text(_dump(kommun, seed, old_data), encoding="utf-8")
    new_path.write_text(_dump(kommun, seed, _next_version(old_data)), encoding="utf-8")
    try:
        from samverkan.compare.redline import diff
    except ImportError:
        diff = None
    from samverkan.compare.structure import compare

    old, new = load(old_path), load(new_path)
    compare(old, new)  # warm-up: imports and first use
    start = clock()
    comparison = compare(old, new)
    wall, _ = since(start)
    if comparison.empty:
        raise SystemExit("diff: the two versions compare as equal")
    report.add("jämförelse (compare) av två hela överenskommelser", ms(wall))
    if diff is None:
        report.add("diff med redline", "saknas", "< 500 ms", False, note="samverkan.compare.redline finns inte")
        return
    start = clock()
    result = diff(old_path, new_path, output=work / "diff-out", pdf=False)
    wall, cpu = since(start)
    report.data["diff_s"] = wall
    report.add("diff: läs båda, jämför, redline .docx (ingen PDF)", f"{ms(wall)} (cpu {ms(cpu)})", "< 500 ms", wall < 0.5,
               note=f"skrev {', '.join(p.name for p in result.files)}")


def samverkan_command() -> list[str]:
    script = Path(sys.executable).parent / "samverkan"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "samverkan"]


def cold_single(path: Path, work: Path, report: Report) -> None:
    """One agreement end to end in a fresh process: Python start, validate, both documents, docx+pdf."""
    out = work / "cold"
    command = [*samverkan_command(), "render", str(path), "-o", str(out), "-q"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed:\n{done.stderr}")
    made = done.stdout.split()
    report.data["cold_s"] = wall
    report.add("en överenskommelse från kall start (samverkan render)", ms(wall), "< 3 s", wall < 3.0,
               note=f"ny process inkl. LibreOffice-start, {len(made)} filer")


def peak_memory(report: Report, workers: int) -> None:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    bound = own + workers * child
    report.data["peak_bytes"] = bound
    report.add(
        "högsta minnesanvändning",
        f"{bound / MIB:.0f} MiB",
        "< 1024 MiB",
        bound < 1024 * MIB,
        note=f"denna process {own / MIB:.0f} MiB + {workers} × största barnprocess {child / MIB:.0f} MiB "
        "(ru_maxrss; övre gräns för två samtidiga LibreOffice- eller arbetsprocesser)",
    )


def profile(label: str, action: Callable[[], Any], lines: int = 18) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(action)
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(lines)
    print(f"\n--- profil: {label} ---")
    print("\n".join(line for line in buffer.getvalue().splitlines() if line.strip())[:6000])


# -- main -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of samverkan at national scale (290 kommuner).")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="number of agreements (default 290, one per kommun)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed for the synthetic agreements")
    parser.add_argument("--naive", type=int, default=10, help="documents in the naive soffice sample (default 10)")
    parser.add_argument("--docx-sample", type=int, default=25, help="agreements whose docx is timed one by one")
    parser.add_argument("--workers", type=int, default=None, help="LibreOffice processes (default: the converter's choice)")
    parser.add_argument("--keep", type=Path, default=None, help="keep generated agreements and output in this folder")
    parser.add_argument("--profile", action="store_true", help="print cProfile summaries of validation and docx rendering")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    cores = os.cpu_count() or 1
    workers = args.workers or min(2, cores)
    scale = args.n / DEFAULT_N
    work = args.keep or Path(tempfile.mkdtemp(prefix="samverkan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    report = Report()
    version = subprocess.run([find_soffice(), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"samverkan benchmark: {args.n} överenskommelser, frö {args.seed}, {cores} kärnor, {version or 'LibreOffice'}")
    print(f"belastning före: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min); arbetsmapp {work}")
    if scale != 1:
        print(f"mål för validering och helheten skalas med N/290 = {scale:.2f}")

    start = time.perf_counter()
    inputs = generate(work / "agreements", args.n, args.seed)
    files = list(find_agreements([work / "agreements"]))
    print(f"genererade {len(inputs)} filer på {ms(time.perf_counter() - start)}\n")

    try:
        validate_all(files, report, scale, workers)
        docx_median(files, report, args.docx_sample)
        if args.profile:
            profile(f"validera {len(files)}", lambda: [load(p) for p in files])
            sample = [load(p) for p in files[:10]]
            profile("docx, 10 överenskommelser × 2 dokument", lambda: [render_docx(a, d) for a in sample for d in DOCUMENTS])
        docx = full_render(files, work / "output", report, scale, args.workers)
        rerun_up_to_date(files, work / "output", report)
        naive_baseline(docx, work / "naive", report, args.naive)
        one_diff(work, report, args.seed)
        cold_single(files[0], work, report)
        peak_memory(report, workers)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nbelastning efter: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(report.table())
    if args.json:
        args.json.write_text(json.dumps(report.data, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r.ok is not False for r in report.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
