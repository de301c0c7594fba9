"""The benchmark's generator of synthetic agreements: valid, deterministic, the size asked for."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/ is not installed

from benchmarks.kommuner import KOMMUNER, POLISREGION, official_name, polisregion
from benchmarks.synth import agreement_data, agreement_yaml, generate
from samverkan import load
from samverkan.documents.render import render_files
from samverkan.fsutil import slug


def test_the_290_kommuner_are_unique_and_keep_their_letters():
    assert len(KOMMUNER) == 290
    assert len({k.kod for k in KOMMUNER}) == 290
    assert len({k.namn for k in KOMMUNER}) == 290
    assert all(len(k.kod) == 4 and k.kod.isdigit() for k in KOMMUNER)
    names = {k.namn for k in KOMMUNER}
    assert {"Östhammar", "Oxelösund", "Strängnäs", "Åre", "Malung-Sälen", "Upplands Väsby"} <= names
    assert {k.lan for k in KOMMUNER} == {lan for lans in POLISREGION.values() for lan in lans}
    assert polisregion("Södermanlands län") == "Polisregion Öst"


@pytest.mark.parametrize(
    ("namn", "official"),
    [("Oxelösund", "Oxelösunds kommun"), ("Strängnäs", "Strängnäs kommun"), ("Umeå", "Umeå kommun"),
     ("Kalix", "Kalix kommun"), ("Gotland", "Region Gotland")],
)
def test_official_names_take_the_genitive_the_swedish_way(namn, official):
    assert official_name(namn) == official


def test_generated_agreements_validate_and_have_a_promise(tmp_path):
    paths = generate(tmp_path, n=4, seed=11)
    assert len(paths) == 4
    assert [p.relative_to(tmp_path).parts[0] for p in paths] == ["upplands-vasby", "vallentuna", "osteraker", "varmdo"]
    for path in paths:
        agreement = load(path)
        assert slug(agreement.parter.kommun.ort) == path.parent.name
        assert len(agreement.medborgarloften) == 1
        assert agreement.medborgarloften[0].aktiviteter
        assert 3 <= len(agreement.del2.prioriterade_omraden) <= 4
        assert agreement.parter.polis.polisregion == "Polisregion Stockholm"
    assert load(paths[2]).parter.kommun.namn == "Österåkers kommun"


def test_every_kommun_gives_a_valid_agreement(tmp_path):
    # Validating all 290 in memory is quick; this catches a name that breaks a rule.
    from samverkan.model.loader import loads

    for kommun in KOMMUNER:
        agreement = loads(agreement_yaml(kommun, seed=3), name=f"{kommun.namn}.yaml")
        assert agreement.parter.kommun.ort == kommun.namn
        assert agreement.parter.kommun.kommunkod == kommun.kod


def test_same_seed_same_bytes_other_seed_other_text(tmp_path):
    first = generate(tmp_path / "a", n=3, seed=5)
    again = generate(tmp_path / "b", n=3, seed=5)
    other = generate(tmp_path / "c", n=3, seed=6)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


def test_beyond_290_the_kommuner_repeat_with_a_later_year():
    kommun = KOMMUNER[0]
    now, later = agreement_data(kommun, seed=1), agreement_data(kommun, seed=1, cycle=1)
    assert now["period"]["start"].year <= 2026 < 2028 <= later["period"]["start"].year
    with pytest.raises(ValueError):
        generate(Path("/nonexistent"), n=0)


def test_a_generated_agreement_renders_to_8_to_12_pages(tmp_path):
    paths = generate(tmp_path / "in", n=2, seed=2024)
    pdfs = render_files(paths, tmp_path / "out", formats=("pdf",))
    full = [p for p in pdfs if "samverkansoverenskommelse" in p.name]
    promise = [p for p in pdfs if "medborgarlofte" in p.name]
    assert len(full) == 2 and len(promise) == 2
    for pdf in full:
        assert 8 <= len(PdfReader(pdf).pages) <= 12, pdf
    for pdf in promise:
        assert "Medborgarlöfte" in PdfReader(pdf).pages[0].extract_text()


def test_habo_and_habo_never_share_a_file(tmp_path):
    # "Håbo" and "Habo" both fold to "habo"; with seed 0 they would start the same year.
    paths = generate(tmp_path, n=len(KOMMUNER), seed=0)
    assert len(set(paths)) == len(KOMMUNER) == len(list(tmp_path.rglob("*.yaml")))
    habo = sorted(p.relative_to(tmp_path).as_posix() for p in paths if p.parent.name == "habo")
    assert len(habo) == 2 and habo[0] != habo[1]


def test_the_documented_benchmark_command_runs_and_prints_the_table(tmp_path):
    # A tiny run of the command in docs/performance.md; the figures themselves are not asserted.
    import subprocess

    root = Path(__file__).resolve().parent.parent
    readme = (root / "docs" / "performance.md").read_text(encoding="utf-8")
    assert ".venv/bin/python benchmarks/run.py" in readme
    done = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "run.py"), "--n", "2", "--naive", "1", "--docx-sample", "1",
         "--keep", str(tmp_path / "bench"), "--json", str(tmp_path / "figures.json")],
        capture_output=True, text=True, timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr
    for row in ("validera 2", "docx per dokument", "PDF per dokument i batch", "naivt", "batch jämfört med naivt",
                "alla 2 överenskommelser", "diff:", "kall start", "högsta minnesanvändning"):
        assert row in done.stdout, row
    figures = __import__("json").loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert figures["documents"] == 4 and "ratio" in figures and "cold_s" in figures
