"""The comparison core (compare), its text/markdown/JSON formats and the diff command's summary."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.cli.commands import cli
from samverkan.compare.formats import (
    format_json,
    format_markdown,
    format_text,
    summary_rows,
    to_dict,
)
from samverkan.compare.structure import compare
from samverkan.compare.textdiff import tokens, word_diff
from samverkan.model.models import Agreement

ROOT = Path(__file__).resolve().parent.parent
OXELOSUND = ROOT / "agreements" / "oxelosund"

BASE: dict[str, Any] = {
    "status": "fastställd",
    "datum": "2021-02-01",
    "parter": {
        "kommun": {"namn": "Oxelösunds kommun", "diarienummer": "KS 2020/12"},
        "polis": {"lokalpolisomrade": "Lokalpolisområde Nyköping", "polisregion": "Polisregion Öst"},
    },
    "period": {"start": "2021-01-01", "slut": "2023-12-31"},
    "del1": {
        "syfte": "Syftet är att minska brottsligheten och öka tryggheten i Oxelösund genom ett långsiktigt arbete.",
        "delmal": ["Färre inbrott", "Tryggare centrum"],
    },
    "del2": {
        "prioriterade_omraden": [
            {
                "id": "stold",
                "titel": "Stölder",
                "metoder": ["grannsamverkan"],
                "aktiviteter": [
                    {"text": "utbilda kontaktombud i grannsamverkan", "ansvar": "kommunen"},
                    {"text": "genomföra trafikkontroller", "ansvar": "polisen", "omfattning": "minst 40"},
                ],
            },
            {
                "id": "trafik",
                "titel": "Trafik",
                "metoder": ["est"],
                "aktiviteter": [{"text": "mäta hastigheten vid skolorna", "ansvar": "polisen"}],
            },
        ]
    },
    "medborgarloften": [
        {
            "id": "ml-2021",
            "titel": "Medborgarlöfte 2021",
            "period": {"start": "2021-01-01", "slut": "2021-12-31"},
            "mal": "Färre inbrott i villaområdena.",
            "metoder": ["grannsamverkan"],
            "aktiviteter": [{"text": "hålla trygghetsvandringar", "ansvar": "tillsammans"}],
        }
    ],
    "undertecknare": [
        {"namn": "Dag Bergentoft", "titel": "Kommunstyrelsens ordförande", "part": "kommun"},
        {"namn": "Ludvig Hellman", "titel": "tf lokalpolisområdeschef", "part": "polis"},
    ],
}


def agreement(edit: Any = None) -> Agreement:
    data = copy.deepcopy(BASE)
    if edit:
        edit(data)
    return Agreement.model_validate(data)


def areas(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["del2"]["prioriterade_omraden"]


def test_identical_content_is_an_empty_comparison() -> None:
    c = compare(agreement(), agreement())
    assert c.empty
    assert "Inga ändringar i innehållet." in format_text(c)
    assert to_dict(c)["empty"] is True
    assert summary_rows(c) == []


def test_general_data_period_status_diarienummer_and_signatories() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["period"] = {"start": "2024-01-01", "slut": "2027-12-31"}
        d["status"] = "undertecknad"
        d["parter"]["kommun"]["diarienummer"] = "KS 2023/388"
        d["parter"]["polis"]["diarienummer"] = "A123.456/2023"
        d["undertecknare"][1]["titel"] = "lokalpolisområdeschef"
        d["undertecknare"].append({"namn": "Anna Ek", "titel": "Kommundirektör", "part": "kommun"})
        for person in d["undertecknare"]:
            person |= {"ort": "Oxelösund", "datum": "2024-03-12"}

    c = compare(agreement(), agreement(edit))
    general = {f.field: (f.old, f.new) for f in c.general}
    assert general["period"] == ("2021–2023", "2024–2027")
    assert general["status"] == ("fastställd", "undertecknad")
    assert general["parter.kommun.diarienummer"] == ("KS 2020/12", "KS 2023/388")
    assert general["parter.polis.diarienummer"] == (None, "A123.456/2023")
    assert [p.namn for p in c.signatories.added] == ["Anna Ek"]
    changed = {b.namn: {f.field: (f.old, f.new) for f in fs} for _, b, fs in c.signatories.changed}
    assert changed["Ludvig Hellman"]["titel"] == ("tf lokalpolisområdeschef", "lokalpolisområdeschef")
    assert changed["Dag Bergentoft"]["datum"] == (None, "12 mars 2024")
    text = format_text(c)
    assert "Period: 2021–2023 → 2024–2027" in text
    assert "Ny undertecknare: Anna Ek, Kommundirektör, för kommunen, Oxelösund, 12 mars 2024" in text
    # Routine changes come last, in one line.
    assert text.rstrip().splitlines()[-1] == (
        "• Status: fastställd → undertecknad; Kommunens diarienummer: KS 2020/12 → KS 2023/388; "
        "Polisens diarienummer: saknas → A123.456/2023."
    )


def test_areas_added_removed_and_changed_with_methods_and_activities() -> None:
    def edit(d: dict[str, Any]) -> None:
        stold, _ = areas(d)
        stold["titel"] = "Stöld- och tillgreppsbrott"
        stold["metoder"] = ["grannsamverkan", "batsamverkan"]
        stold["aktiviteter"][0]["ansvar"] = "tillsammans"
        stold["aktiviteter"][1]["omfattning"] = "minst 50"
        stold["aktiviteter"].append({"text": "starta båtsamverkan i hamnen", "ansvar": "polisen"})
        d["del2"]["prioriterade_omraden"] = [
            stold,
            {"id": "trygga-ungdomar", "titel": "Trygga ungdomar", "metoder": ["sspf", "est"]},
        ]

    c = compare(agreement(), agreement(edit))
    assert [a.title for a in c.areas.added] == ["Trygga ungdomar"]
    assert [a.title for a in c.areas.removed] == ["Trafik"]
    assert [m.id for m in c.areas.added[0].methods] == ["sspf", "est"]
    (stold,) = c.areas.changed
    assert (stold.old_title, stold.title) == ("Stölder", "Stöld- och tillgreppsbrott")
    assert [m.id for m in stold.methods.added] == ["batsamverkan"] and not stold.methods.removed
    assert [(a.text, a.ansvar) for a in stold.activities.added] == [("starta båtsamverkan i hamnen", "polisen")]
    changed = {ch.new.text: {f.field: (f.old, f.new) for f in ch.fields} for ch in stold.activities.changed}
    assert changed["utbilda kontaktombud i grannsamverkan"] == {"ansvar": ("kommunen", "tillsammans")}
    assert changed["genomföra trafikkontroller"] == {"omfattning": ("minst 40", "minst 50")}
    # Overall methods: EST stays (now in Trygga ungdomar), SSPF and Båtsamverkan are new.
    assert {m.id for m in c.methods.added} == {"sspf", "batsamverkan"} and not c.methods.removed
    text = format_text(c)
    assert "Nytt prioriterat område: ”Trygga ungdomar”" in text
    assert "Borttaget prioriterat område: ”Trafik”" in text
    assert "Ny aktivitet: ”starta båtsamverkan i hamnen” – polisen" in text
    assert "Ansvar: Kommunen → Tillsammans" in text
    assert "Prioriterat område ”Stölder”, med ny rubrik ”Stöld- och tillgreppsbrott”:" in text


def test_area_matched_by_title_when_its_id_changed() -> None:
    def edit(d: dict[str, Any]) -> None:
        areas(d)[1]["id"] = "trafiksakerhet"
        areas(d)[1]["metoder"] = []

    c = compare(agreement(), agreement(edit))
    assert not c.areas.added and not c.areas.removed
    (trafik,) = c.areas.changed
    assert (trafik.old_id, trafik.id) == ("trafik", "trafiksakerhet")
    assert [m.id for m in trafik.methods.removed] == ["est"]
    assert [m.id for m in c.methods.removed] == ["est"]


def test_activity_text_change_is_a_change_not_an_add_and_remove() -> None:
    def edit(d: dict[str, Any]) -> None:
        areas(d)[0]["aktiviteter"][0]["text"] = "utbilda nya kontaktombud i grannsamverkan"

    (area,) = compare(agreement(), agreement(edit)).areas.changed
    assert not area.activities.added and not area.activities.removed
    (change,) = area.activities.changed
    (field,) = change.fields
    assert field.segments == (("=", "utbilda "), ("+", "nya "), ("=", "kontaktombud i grannsamverkan"))


def test_reordering_areas_is_reported() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["del2"]["prioriterade_omraden"].reverse()

    c = compare(agreement(), agreement(edit))
    assert [(m.title, m.old_position, m.new_position) for m in c.areas.moved] == [("Stölder", 1, 2)]
    assert not c.areas.added and not c.areas.changed
    assert not c.empty
    text = format_text(c)
    assert "Prioriterat område ”Stölder” har flyttats från plats 1 till plats 2" in text
    assert "Ny ordning: 1. Trafik, 2. Stölder" in text


def test_medborgarlofte_matched_by_period_and_changed() -> None:
    def edit(d: dict[str, Any]) -> None:
        ml = d["medborgarloften"][0]
        ml["id"], ml["titel"] = "ml-a", "Vårt löfte"
        ml["mal"] = "Färre inbrott i villaområdena och i hamnen."
        ml["metoder"] = ["batsamverkan"]
        ml["aktiviteter"][0]["frekvens"] = "två gånger per år"

    c = compare(agreement(), agreement(edit))
    assert not c.medborgarloften.added and not c.medborgarloften.removed
    (ml,) = c.medborgarloften.changed
    fields = {f.field: f for f in ml.fields}
    assert fields["mal"].segments == (("=", "Färre inbrott i villaområdena"), ("+", " och i hamnen"), ("=", "."))
    assert [m.id for m in ml.methods.added] == ["batsamverkan"]
    assert [m.id for m in ml.methods.removed] == ["grannsamverkan"]
    assert ml.activities.changed[0].fields[0].new == "två gånger per år"
    markdown = format_markdown(c)
    assert "- Medborgarlöftet ”Medborgarlöfte 2021”, med ny rubrik ”Vårt löfte”:" in markdown
    # Short values are shown whole, before → after.
    assert "Färre inbrott i villaområdena. → Färre inbrott i villaområdena och i hamnen." in markdown


def test_prose_changes_have_word_level_insertions_and_deletions() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["del1"]["syfte"] = "Syftet är att minska brottsligheten och öka den upplevda tryggheten i Oxelösund genom ett långsiktigt arbete."
        d["del1"]["delmal"] = ["Färre bostadsinbrott", "Tryggare centrum"]

    c = compare(agreement(), agreement(edit))
    fields = {f.field: f for f in c.texts}
    assert ("+", "den upplevda ") in fields["del1.syfte"].segments
    (goal,) = fields["del1.delmal"].paragraphs
    assert ("-", "inbrott") in goal.segments and ("+", "bostadsinbrott") in goal.segments
    text = format_text(c)
    assert "öka {+den upplevda+} tryggheten" in text
    assert "Delmål, punkt 1: Färre [-inbrott-]{+bostadsinbrott+}" in text
    assert "~~inbrott~~**bostadsinbrott**" in format_markdown(c)


def test_a_difference_the_comparison_does_not_know_is_still_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    # Stand-in for a field added to the model later: hide the general data from the comparison.
    monkeypatch.setattr("samverkan.compare.structure._Comparer.general", lambda self: ())

    def edit(d: dict[str, Any]) -> None:
        d["parter"]["kommun"]["kommunkod"] = "0481"

    c = compare(agreement(), agreement(edit))
    assert not c.empty
    assert [(f.field, f.old, f.new) for f in c.general] == [("parter.kommun.kommunkod", None, '"0481"')]


@given(st.text(alphabet="ab cåä.,\n", max_size=40), st.text(alphabet="ab cåä.,\n", max_size=40))
@settings(max_examples=200, deadline=None)
def test_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(t for op, t in segments if op != "+") == old
    assert "".join(t for op, t in segments if op != "-") == new
    assert "".join(tokens(old)) == old


def test_json_keys_are_stable_and_documented() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["status"] = "utkast"
        areas(d)[0]["aktiviteter"].pop()

    data = json.loads(format_json(compare(agreement(), agreement(edit))))
    assert list(data) == [
        "format", "version", "empty", "old", "new", "general", "signatories",
        "areas", "methods", "medborgarloften", "focus_areas", "moved_activities", "texts", "sources", "date_shift",
        "summary",
    ]  # fmt: skip
    assert data["format"] == "samverkan-diff" and data["version"] == 2
    assert data["general"][0] == {
        "field": "status",
        "label": "Status",
        "weight": "routine",
        "old": "fastställd",
        "new": "utkast",
        "segments": [{"op": "delete", "text": "fastställd"}, {"op": "insert", "text": "utkast"}],
        "paragraphs": [],
    }
    assert data["areas"]["changed"][0]["activities"]["removed"] == [
        {"text": "genomföra trafikkontroller", "ansvar": "polisen", "omfattning": "minst 40", "frekvens": None, "senast": None,
         "level": 0}
    ]
    doc = (ROOT / "docs" / "diff-format.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(data)
    undocumented = sorted(k for k in keys if f"`{k}`" not in doc)
    assert undocumented == []


# -- the diff command's summary on the bundled examples -------------------------------------


def run_diff(*args: str) -> Any:
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def test_diff_2021_to_2024_names_areas_and_methods_that_came(tmp_path: Path) -> None:
    result = run_diff(str(OXELOSUND / "2021.yaml"), str(OXELOSUND / "2024.yaml"), "--no-redline")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Dokumentslag: medborgarlöfte → samverkansöverenskommelse" in out
    assert "Nya metoder: Grannsamverkan och Båtsamverkan" in out
    assert "Ny undertecknare: Dag Bergentoft, Kommunstyrelsens ordförande, för kommunen" in out
    assert "Period: 2021 → 2024–2025" in out


def test_diff_2020_to_2021_names_the_area_that_went_and_the_changed_promise() -> None:
    result = run_diff(str(OXELOSUND / "2020.yaml"), str(OXELOSUND / "2021.yaml"), "--no-redline")
    assert result.exit_code == 0, result.output
    assert "Medborgarlöftet ”Medborgarlöfte 2020”, med ny rubrik ”Medborgarlöfte 2021”:" in result.output


def test_diff_markdown_and_json(tmp_path: Path) -> None:
    old, new = str(OXELOSUND / "2021.yaml"), str(OXELOSUND / "2024.yaml")
    markdown = run_diff(old, new, "--no-redline", "--format", "markdown")
    assert markdown.exit_code == 0
    assert markdown.output.startswith("# Ändringar i ")
    assert "## Väsentliga ändringar" in markdown.output
    assert "- Ny undertecknare: Dag Bergentoft, Kommunstyrelsens ordförande, för kommunen" in markdown.output
    result = run_diff(old, new, "--no-redline", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {m["id"] for m in data["methods"]["added"]} >= {"grannsamverkan", "batsamverkan"}
    assert data["files"] == []


def test_diff_of_a_file_with_itself_is_empty() -> None:
    path = str(OXELOSUND / "2024.yaml")
    result = run_diff(path, path, "--no-redline")
    assert result.exit_code == 0
    assert "Inga ändringar i innehållet." in result.output
    data = json.loads(run_diff(path, path, "--no-redline", "--format", "json").output)
    assert data["empty"] is True


def test_diff_reports_an_invalid_file_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.yaml"
    bad.write_text("status: utkast\nparter: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(bad), str(OXELOSUND / "2024.yaml"), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 1
    assert "trasig.yaml:" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_formats_are_deterministic(fmt: str) -> None:
    old, new = str(OXELOSUND / "2020.yaml"), str(OXELOSUND / "2021.yaml")
    first = run_diff(old, new, "--no-redline", "--format", fmt).output
    assert first == run_diff(old, new, "--no-redline", "--format", fmt).output
