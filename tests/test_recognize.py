"""The one-sentence readers behind `samverkan import`, on sentences from published medborgarlöften.

Every sentence here is quoted from a public medborgarlöfte (the pages listed
in /work/research/agreements/INDEX.md and tests/imported/sources/).
"""

from __future__ import annotations

from datetime import date

import pytest

from samverkan.drafting.recognize import (
    find_period,
    find_police_area,
    lead_in,
    named_party,
    person,
    promiser,
    signing_line,
    subject_party,
)


@pytest.mark.parametrize(
    ("text", "ansvar", "verb"),
    [
        ("Polisen lovar att:", "polisen", "lovar att"),
        ("Kommunen åtar sig att:", "kommunen", "åtar sig att"),
        ("Polisen och kommunen lovar att:", "tillsammans", "lovar att"),
        ("Polisen och kommun lovar att:", "tillsammans", "lovar att"),
        ("Polisen lovar i medborgarlöftet för 2022 att:", "polisen", "lovar att"),
        ("Polis och kommun ska arbeta för att minska tillgängligheten till narkotika genom att:", "tillsammans", "ska"),
        ("Under samma tidsperiod lovar kommunerna att:", "kommunen", "lovar att"),
        ("Under tiden 1 januari 2023 - 31 december 2024 lovar polisen att:", "polisen", "lovar att"),
        ("Tillsammans lovar polisen och kommunen:", "tillsammans", "lovar"),  # constructed: a lead-in without "att"
        ("Kommunen ska", "kommunen", "ska"),  # a bold line of its own (Olofström 2021)
        ("Socialtjänsten och polisen lovar att:", "tillsammans", "lovar att"),  # constructed: a kommun's service
        ("Det här lovar vi att göra:", "tillsammans", "lovar att"),  # constructed: "vi" is the parties
        ("Kommunstyrelsen åtar sig att:", "kommunen", "åtar sig att"),  # constructed
        ("Polisen ska", "polisen", "ska"),
    ],
)
def test_lead_ins_name_the_party_and_the_verb(text: str, ansvar: str, verb: str) -> None:
    found = lead_in(text)
    assert found is not None and (found.ansvar, found.verb) == (ansvar, verb)


@pytest.mark.parametrize(
    "text",
    [
        "Utifrån den samlade lägesbilden har följande fokusområden identifierats:",
        "De två prioriterade fokusområden som man enats om att arbeta mot är:",
        "Polisen lovar fortsatt synlighet på platser inom kommunen som identifieras som mer aktuella.",
        "Polisen ska genomföra minst 50 trafikkontroller",  # a promise, not a lead-in
    ],
)
def test_other_sentences_are_not_lead_ins(text: str) -> None:
    assert lead_in(text) is None


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Polisen och Kumla kommun lovar att arbeta aktivt med grannsamverkan.", "tillsammans"),
        ("Askersunds kommun och polisen lovar att genomföra trygghetsvandringar", "tillsammans"),
        ("Kumla kommun lovar att se över belysningen", "kommunen"),
        ("Polisen ska öka antalet anmälda narkotikabrott.", "polisen"),
        ("Kommunen ser över trafiksituationen vid skolan.", "kommunen"),
        ("Genomföra gemensamma brotts- och drogförebyggande informationsinsatser.", None),
        ("Polisen: genomföra riktade trafikkontroller", "polisen"),  # constructed: a party label before the point
        ("Genomföra trygghetsvandringar i centrum (kommunen)", "kommunen"),  # constructed: the party after it
        ("Genomföra föräldramöten (polis och kommun).", "tillsammans"),  # constructed
        ("genomföra trafikkontroller med fokus att minska hastighetsöverträdelser", None),
    ],
)
def test_the_party_a_promise_starts_with(text: str, party: str | None) -> None:
    assert subject_party(text) == party
    if party and " lovar " in text:
        assert promiser(text).verb == "lovar att"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("title", "texts", "start", "slut", "exact"),
    [
        ("Kumla – medborgarlöften", ["Medborgarlöften som ska gälla under tiden den 1 juli 2017 till den 30 juni 2019"],
         date(2017, 7, 1), date(2019, 6, 30), True),
        ("Askersund", ["Medborgarlöftet kommer att löpa från 2018-01-01--2019-12-31"], date(2018, 1, 1), date(2019, 12, 31), True),
        ("Köping", ["Medborgarlöftet gäller under tiden 2022-01-01-- 2022-12-31."], date(2022, 1, 1), date(2022, 12, 31), True),
        ("x", ["Medborgarlöftet som ska gälla under tiden 1 januari 2020 - 30 juni 2021:"], date(2020, 1, 1), date(2021, 6, 30), True),
        ("Medborgarlöfte 2022", [], 2022, 2022, False),
        ("Malå – medborgarlöften", ["Genomförande 2020-2022"], 2020, 2022, False),
        ("Dorotea – medborgarlöften", ["Medborgarlöfte 2019-2020"], 2019, 2020, False),
        ("x", ["Överenskommelsen gäller från och med den 1 mars 2023 och tills vidare."], date(2023, 3, 1), None, True),
        ("x", ["Medborgarlöftet gäller januari 2024 – december 2025."], date(2024, 1, 1), date(2025, 12, 31), True),  # constructed
        ("Falköping – medborgarlöften", ["Samverkansöverenskommelse och medborgarlöfte … som startade upp i Falköpings kommun hösten 2018.",
                                         "Bakgrund", "Problemområden", "Under 2019 kommer polisen och Falköpings kommun att särskilt "
                                         "fokusera på bekämpning av narkotika bland unga."], 2019, 2019, False),
    ],
)
def test_the_period_the_text_states(title: str, texts: list[str], start: object, slut: object, exact: bool) -> None:
    found = find_period(title, texts)
    assert found is not None and (found.start, found.slut, found.exact) == (start, slut, exact)


def test_no_period_is_made_up() -> None:
    assert find_period("Hallstahammar – medborgarlöften", ["Trygghet i Hallstahammars centrum", "Polisen åtar sig att:"]) is None


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Kommunchef Ralf Hedin och Liselotte Jergard, chef för lokalpolisområde Katrineholm undertecknade", "Lokalpolisområde Katrineholm"),
        ("Lokalpolisområdeschef Hallsberg", "Lokalpolisområde Hallsberg"),
        ("Maria Bäck, lokalpolisområdeschefen i Västra Mälardalen", "Lokalpolisområde Västra Mälardalen"),
        ("Medborgarlöftet är ett åtagande från lokalpolisområde Södra Fyrbodal och de tre kommunerna", "Lokalpolisområde Södra Fyrbodal"),
        ("Medborgarlöftet är en del av lokalpolisområde Östra Skaraborgs och Tidaholms kommuns samverkansöverenskommelse",
         "Lokalpolisområde Östra Skaraborg"),  # Tidaholm 2023 (tidaholm.se): a genitive
        ("lokalpolisområde Västerås undertecknade", "Lokalpolisområde Västerås"),  # constructed: a name ending in s
    ],
)
def test_the_lokalpolisomrade_named_in_the_text(text: str, area: str) -> None:
    assert find_police_area([text]) == (area, text)


@pytest.mark.parametrize(
    "text",
    [
        "10 januari skrev Vingåkers kommunchef Ralf Hedin och lokalpolisområdeschef Anders Gölevik på ett medborgarlöfte.",
        "Löftet har undertecknats av lokalpolisområdeschef Lars Vestermark, kommunpolis Ewa Öberg Öström",
    ],
)
def test_a_chef_before_a_name_is_no_lokalpolisomrade(text: str) -> None:
    assert find_police_area([text]) is None


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Om det uppkommer önskemål om trygghetsvandringar så lovar kommun och polis att bistå.", "tillsammans"),
        ("Samverkan mellan polis och kommunens verksamheter ska fortsätta, med målet att minska risken", "tillsammans"),
        ("Varje år kommer minst ett gemensamt föräldramöte hållas med fokus på ANDTS-information", "tillsammans"),
        ("Genom trafikkontroller kommer polisen att vara synlig och tillgänglig i Vansbro kommun.", "polisen"),
        ("Vid minst sex tillfällen per år kommer det att genomföras en särskild ungdomsinsats", None),
        ("Arbetet med förebyggande åtgärder för att minska nedskräpning, skadegörelse och klotter ska fortsätta.", None),
    ],
)
def test_the_party_a_promise_names_elsewhere(text: str, party: str | None) -> None:
    found = named_party(text)
    assert (found[0] if found else None) == party


def test_signing_lines_and_people() -> None:
    assert signing_line("Kumla den 3 juli 2017") == ("Kumla", date(2017, 7, 3))
    assert signing_line("Askersund den 2018-01-01") == ("Askersund", date(2018, 1, 1))
    assert signing_line("Kumla den 31 juni 2017") == ("Kumla", None)  # not a date: nothing made up
    assert signing_line("Polisen lovar att arbeta med ökade insatser") is None
    assert person("Caroline Dieker, kommunstyrelsens ordförande") == ("Caroline Dieker", "kommunstyrelsens ordförande")
    assert person("Mats Scherp, chef lokalpolisområde Hallsberg") == ("Mats Scherp", "chef lokalpolisområde Hallsberg")
    assert person("Polisen, kommunen och medborgarna") is None
