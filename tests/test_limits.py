"""What a valid agreement may hold, and names that stay apart (issue 15, findings 5 and 6).

A 900 kB title, a long text used many times through aliases or 95 000 list
items passed validate and failed a minute later at LibreOffice's time limit.
The limits in samverkan.model.limits are checked in validate, at the value
that passes them; an agreement at the limits still renders. A long kortnamn
no longer gives both documents of one agreement the same file name.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from test_properties import dump

from samverkan.cli.commands import cli
from samverkan.errors import InvalidAgreement
from samverkan.model.limits import MAX_ITEMS, MAX_LIST_ITEMS, MAX_TOTAL_CHARS, MAX_VALUE_CHARS
from samverkan.model.loader import loads

BASE = Path(__file__).resolve().parent / "corpus" / "base.yaml"
WORDS = "och att kommunen polisen trygghet skola ungdomar centrum stöld brott".split()


def base() -> dict[str, Any]:
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data["parter"]["kommun"]["kommunkod"] = "0481"
    return data


def text(length: int, seed: int = 0) -> str:
    """Prose-like text of exactly ``length`` characters."""
    out, n = [], seed
    while sum(len(w) + 1 for w in out) < length:
        out.append(WORDS[n % len(WORDS)])
        n = n * 7 + 3
    return " ".join(out)[:length].rstrip() + "x" * (length - len(" ".join(out)[:length].rstrip()))


def refused(text_: str) -> list[str]:
    with pytest.raises(InvalidAgreement) as caught:
        loads(text_, "avtal.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_text_value_over_the_limit_is_refused_at_its_line() -> None:
    data = base()
    data["del1"]["syfte"] = text(MAX_VALUE_CHARS + 1)
    problems = refused(dump(data))
    line = next(n for n, row in enumerate(dump(data).splitlines(), 1) if row.strip().startswith("syfte:"))
    assert problems[0].startswith(f"avtal.yaml:{line}:")
    assert f"texten är för lång: {MAX_VALUE_CHARS + 1} tecken, högst {MAX_VALUE_CHARS} – korta den" in problems[0]


def test_a_huge_title_is_refused() -> None:
    problems = refused("titel: " + "Överenskommelse " * 60_000 + "\n" + BASE.read_text(encoding="utf-8"))
    assert problems[0].startswith("avtal.yaml:1:1: texten är för lång: 959999 tecken")


def test_text_used_many_times_through_aliases_counts_every_time() -> None:
    long_text = text(MAX_VALUE_CHARS - 10)
    uses = MAX_TOTAL_CHARS // len(long_text) + 1
    activities = "\n".join(f"        - text: *lang\n          ansvar: kommunen" for _ in range(uses))
    yaml_text = BASE.read_text(encoding="utf-8").replace(
        "  syfte: Att minska brottsligheten och öka tryggheten.", f"  syfte: &lang {long_text}"
    ).replace(
        "        - text: utbilda kontaktombud\n          ansvar: tillsammans\n          frekvens: minst en gång per år",
        activities,
    )
    problems = refused(yaml_text)
    assert len(problems) == 1
    assert f"överenskommelsen har för mycket text: här passeras {MAX_TOTAL_CHARS} tecken sammanlagt" in problems[0]
    assert "alias räknas varje gång" in problems[0]


def test_a_list_over_the_limit_is_refused_at_the_list() -> None:
    data = base()
    data["del1"]["delmal"] = [f"Delmål {n}" for n in range(MAX_LIST_ITEMS + 1)]
    problems = refused(dump(data))
    assert f"listan har för många punkter: {MAX_LIST_ITEMS + 1}, högst {MAX_LIST_ITEMS} – slå ihop" in problems[0]


def test_too_many_list_items_in_all_are_refused() -> None:
    data = base()
    area = data["del2"]["prioriterade_omraden"][0]
    data["del2"]["prioriterade_omraden"] = [
        {**copy.deepcopy(area), "id": f"omrade-{n}", "titel": f"Område {n}", "aktiviteter": [area["aktiviteter"][0]] * 250}
        for n in range(MAX_ITEMS // 250 + 1)
    ]
    problems = refused(dump(data))
    assert len(problems) == 1
    assert f"överenskommelsen har för många listpunkter: här passeras {MAX_ITEMS} sammanlagt" in problems[0]


def test_ninety_five_thousand_items_are_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "avtal.yaml"
    path.write_text(BASE.read_text(encoding="utf-8").replace(
        "  delmal:\n    - Fler grannsamverkansområden", "  delmal:\n" + "    - x\n" * 95_000
    ), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "samverkan", "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(str(path))}:17:3: listan har för många punkter: 95000", result.stderr, re.M), result.stderr


def test_an_agreement_at_the_limits_renders(tmp_path: Path) -> None:
    # Ten texts just under the value limit, all but reaching the total: both documents are made.
    data = base()
    data["del1"]["syfte"] = text(MAX_VALUE_CHARS - 50, 1)
    area = data["del2"]["prioriterade_omraden"][0]
    area["beskrivning"] = text(MAX_VALUE_CHARS - 50, 2)
    area["aktiviteter"] = [{"text": text(MAX_VALUE_CHARS - 50, 3 + n), "ansvar": "kommunen"} for n in range(7)]
    data["medborgarloften"][0]["lagesbild"]["text"] = text(MAX_VALUE_CHARS - 50, 11)
    path = tmp_path / "avtal.yaml"
    path.write_text(dump(data), encoding="utf-8")
    loads(path.read_text(encoding="utf-8"), str(path))  # valid
    result = CliRunner().invoke(cli, ["render", str(path), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "ut").rglob("*.pdf"))) == 2


def test_long_kortnamn_keeps_the_two_documents_apart(tmp_path: Path) -> None:
    data = base()
    data["parter"]["kommun"]["kortnamn"] = "Exempelby " * 20
    path = tmp_path / "avtal.yaml"
    path.write_text(dump(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(path), "-o", str(tmp_path / "ut"), "--format", "docx"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "ut").rglob("*.docx"))
    assert len(names) == 2
    assert names[0].endswith("-medborgarlofte-2024-2025.docx") and names[1].endswith("-samverkansoverenskommelse-2024-2025.docx")
    assert names[0].startswith("exempelby-exempelby-") and len(names[1]) < 120
