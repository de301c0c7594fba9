"""The models on their own: rules, derived values and the fingerprint."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from samverkan.model.checks import check
from samverkan.model.loader import loads
from samverkan.model.models import (
    Agreement,
    Avsnitt,
    Del1,
    Del2,
    Kommun,
    Medborgarlofte,
    Omrade,
    Period,
    unwrap,
)

MINIMAL = {
    "status": "utkast",
    "parter": {
        "kommun": {"namn": "Oxelösunds kommun"},
        "polis": {"lokalpolisomrade": "Lokalpolisområde Nyköping", "polisregion": "Polisregion Öst"},
    },
    "period": {"start": "2024-01-01", "slut": "2025-12-31"},
}


def agreement(**changes: object) -> Agreement:
    return Agreement.model_validate({**MINIMAL, **changes})


def test_period_end_after_start() -> None:
    with pytest.raises(ValidationError, match="före dess start"):
        Period(start=date(2024, 2, 1), slut=date(2024, 1, 31))
    assert Period(start=date(2024, 2, 1), slut=date(2024, 2, 1)).slut == date(2024, 2, 1)
    assert Period(start=date(2024, 2, 1)).slut is None  # tills vidare


def test_unknown_keys_are_errors_everywhere() -> None:
    with pytest.raises(ValidationError):
        Agreement.model_validate({**MINIMAL, "extra": 1})
    with pytest.raises(ValidationError):
        Period.model_validate({"start": "2024-01-01", "stop": "2024-02-01"})


@pytest.mark.parametrize(
    ("name", "place"),
    [("Oxelösunds kommun", "Oxelösund"), ("Östhammars kommun", "Östhammar"), ("Strängnäs kommun", "Strängnäs"),
     ("Olofströms kommun", "Olofström"), ("Kramfors kommun", "Kramfors"), ("Borås stad", "Borås"), ("Gotland", "Gotland")],
)
def test_place_name_from_kommun_name(name: str, place: str) -> None:
    kortnamn = "Borås" if name == "Borås stad" else None
    assert Kommun(namn=name, kortnamn=kortnamn).ort == place


def test_section_accepts_plain_string() -> None:
    assert Avsnitt.model_validate("Två stycken.\n\nAndra.").text == "Två stycken.\n\nAndra."
    with pytest.raises(ValidationError, match="avsnittet är tomt"):
        Avsnitt.model_validate({})


def test_default_title_and_document_date() -> None:
    a = agreement()
    assert a.document_title == "Samverkansöverenskommelse mellan Oxelösunds kommun och Polisen 2024–2025"
    assert a.document_date is None  # never made up from the period
    assert agreement(datum="2024-03-12").document_date == date(2024, 3, 12)


def test_a_period_may_be_known_only_to_the_year() -> None:
    from samverkan.model.models import Year

    p = Period.model_validate({"start": 2022, "slut": 2026})
    assert isinstance(p.start, Year) and p.start == date(2022, 1, 1) and p.slut == date(2026, 12, 31)
    assert p.model_dump(mode="json") == {"start": 2022, "slut": 2026, "revidering": None, "ej_publicerad": None}
    with pytest.raises(ValidationError):
        Period.model_validate({"start": 20220101})


def test_old_party_words_are_accepted_for_signatories() -> None:
    signer = {"namn": "A", "titel": "B", "part": "polis"}
    assert agreement(undertecknare=[signer]).undertecknare[0].part.value == "polisen"


def test_fingerprint_ignores_key_order_and_comments() -> None:
    a = loads("status: utkast\n# kommentar\nparter:\n  polis: {polisregion: Polisregion Öst, lokalpolisomrade: LPO}\n"
              "  kommun: {namn: X kommun}\nperiod: {start: 2024-01-01}\n")
    b = loads("period: {start: 2024-01-01}\nparter:\n  kommun: {namn: X kommun}\n"
              "  polis: {lokalpolisomrade: LPO, polisregion: Polisregion Öst}\nstatus: utkast\n")
    assert a.fingerprint() == b.fingerprint()
    assert len(a.fingerprint()) == 12
    c = loads("period: {start: 2024-01-02}\nparter:\n  kommun: {namn: X kommun}\n"
              "  polis: {lokalpolisomrade: LPO, polisregion: Polisregion Öst}\nstatus: utkast\n")
    assert c.fingerprint() != a.fingerprint()



def test_fingerprint_is_remembered_per_object_and_not_inherited_by_copies() -> None:
    import gc

    from samverkan.model import models
    from samverkan.model.models import Status

    a = loads("status: utkast\nparter:\n  polis: {polisregion: Polisregion Öst, lokalpolisomrade: LPO}\n"
              "  kommun: {namn: X kommun}\nperiod: {start: 2024-01-01}\n")
    first = a.fingerprint()
    assert a.canonical_json() is a.canonical_json()  # computed once
    changed = a.model_copy(update={"status": Status.FASTSTALLD})
    assert changed.fingerprint() != first and '"fastställd"' in changed.canonical_json()
    assert a.fingerprint() == first
    keys = {id(a), id(changed)}
    assert keys <= models._CANONICAL.keys()
    del a, changed
    gc.collect()
    assert not keys & models._CANONICAL.keys()  # forgotten with the objects

def test_any_number_of_signatories_per_party() -> None:
    signers = [
        {"namn": f"Person {i}", "titel": "Titel", "part": "kommun" if i % 2 else "polis", "ort": "Ort", "datum": "2024-03-12"}
        for i in range(5)
    ]
    assert check(agreement(status="undertecknad", undertecknare=signers)) == []


def test_draft_needs_no_signing_data() -> None:
    a = agreement(undertecknare=[{"namn": "A", "titel": "B", "part": "kommun"}])
    assert check(a) == []


def test_promise_outside_period_with_reason_is_allowed() -> None:
    promise = {"id": "ml", "period": {"start": "2023-06-01", "slut": "2024-05-31"},
               "avvikelse_fran_period": "Löftet beslutades före den nya överenskommelsen."}
    assert check(agreement(medborgarloften=[promise])) == []
    del promise["avvikelse_fran_period"]
    assert check(agreement(medborgarloften=[promise]))


def test_own_methods_extend_catalog() -> None:
    area = {"id": "hem", "titel": "Trygg i hemmet", "metoder": ["vaga-varna", "est"]}
    own = {"id": "vaga-varna", "namn": "Våga värna", "beskrivning": "Samarbete mot våld i nära relation."}
    assert check(agreement(del2={"prioriterade_omraden": [area]}, egna_metoder=[own])) == []
    findings = check(agreement(del2={"prioriterade_omraden": [area]}))
    assert findings and findings[0][0] == ("del2", "prioriterade_omraden", 0, "metoder", 0)


def test_unknown_source_is_found_in_every_section() -> None:
    def sections(model: type[BaseModel]) -> list[str]:
        return [name for name, field in model.model_fields.items() if unwrap(field.annotation) is Avsnitt]

    section = {"text": "Text.", "kallor": ["saknas"]}
    assert all(sections(m) for m in (Del1, Del2, Omrade, Medborgarlofte))
    area = {"id": "a", "titel": "A", **{name: section for name in sections(Omrade)}}
    promise = {"id": "ml", "period": MINIMAL["period"], **{name: section for name in sections(Medborgarlofte)}}
    a = agreement(
        del1={name: section for name in sections(Del1)},
        del2={**{name: section for name in sections(Del2)}, "prioriterade_omraden": [area, area | {"id": "b"}]},
        medborgarloften=[promise],
    )
    expected = (
        {("del1", name, "kallor", 0) for name in sections(Del1)}
        | {("del2", name, "kallor", 0) for name in sections(Del2)}
        | {("del2", "prioriterade_omraden", i, name, "kallor", 0) for i in (0, 1) for name in sections(Omrade)}
        | {("medborgarloften", 0, name, "kallor", 0) for name in sections(Medborgarlofte)}
    )
    found = [loc for loc, message in check(a) if message.startswith('okänd källa "saknas"')]
    assert sorted(found, key=str) == sorted(expected, key=str)
