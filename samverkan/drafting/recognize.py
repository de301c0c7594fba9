"""Recognising the parts of a kommun's own agreement text: who promises, the period, who signed.

Small, separately tested readers of one sentence or line each, used by
:mod:`.importing` to build a draft. Each returns what the text says and
nothing more; a date, a party or a name that is not in the text is never
made up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {m: n for n, m in enumerate(
    "januari februari mars april maj juni juli augusti september oktober november december".split(), start=1)}
_MONTH = "|".join(MONTHS)

# -- who promises ---------------------------------------------------------------------------

_POLICE = r"(?:polisen|polis|lokalpolisområde(?:t)?(?:\s+[A-ZÅÄÖ][\wåäö-]*)*|polismyndigheten|områdespolisen|kommunpolisen)"
_KOMMUN = r"(?:kommunen|kommunerna|kommun|[A-ZÅÄÖ][\wåäö-]*(?:\s+[A-ZÅÄÖ][\wåäö-]*)?s?\s+kommun(?:er)?)"
_VERBS = (
    ("lovar", "lovar att"), ("åtar sig", "åtar sig att"), ("förbinder sig", "förbinder sig att"),
    ("kommer", "kommer att"), ("ska", "ska"), ("skall", "ska"), ("genomför", "ska"),
)
_SUBJECT = re.compile(
    rf"^(?P<subject>(?:{_POLICE}|{_KOMMUN}|vi|tillsammans|gemensamt)"
    rf"(?:\s*(?:,|och|samt)\s*(?:{_POLICE}|{_KOMMUN}|andra\s+\w+))*)\s+"
    rf"(?P<verb>{'|'.join(v for v, _ in _VERBS)})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Promiser:
    """Who promises in a sentence, and with which verb, as far as the sentence says."""

    ansvar: str | None  # "polisen", "kommunen", "tillsammans" or None
    verb: str | None  # "lovar att", "åtar sig att", "ska" …


def promiser(text: str) -> Promiser | None:
    """The party and verb a sentence starts with: "Polisen och Kumla kommun lovar att …" → tillsammans, lovar att."""
    found = _SUBJECT.match(text.strip())
    if not found:
        return None
    subject = found.group("subject").lower()
    police = re.search(_POLICE, subject, re.IGNORECASE) is not None
    kommun = re.search(r"kommun", subject) is not None
    both = (police and kommun) or subject in ("vi", "tillsammans", "gemensamt")
    ansvar = "tillsammans" if both else "polisen" if police else "kommunen" if kommun else None
    verb = dict(_VERBS)[found.group("verb").lower()]
    if verb.endswith(" att") and not re.search(r"\batt\b", text[found.end():found.end() + 80]):
        verb = verb.removesuffix(" att")  # "Tillsammans lovar polisen och kommunen:"
    return Promiser(ansvar, verb)


_PARTY_FIRST = re.compile(rf"^(?P<subject>{_POLICE}|{_KOMMUN})\s+(?=[a-zåäö])", re.IGNORECASE)


_LABELLED = re.compile(
    rf"^(?P<head>{_POLICE}|{_KOMMUN}|gemensamt|tillsammans)\s*[:–]\s+\S"  # "Polisen: genomföra …"
    rf"|\((?:ansvar(?:ig)?:?\s*)?(?P<tail>{_POLICE}|{_KOMMUN}|gemensamt|tillsammans|polis och kommun|kommun och polis)\)\.?$",
    re.IGNORECASE,
)


def subject_party(text: str) -> str | None:
    """The party a sentence starts with, whatever its verb: "Kommunen ser över …" → kommunen; or the party
    a point is labelled with: "Polisen: genomföra …", "Genomföra trygghetsvandringar (kommunen)"."""
    found = promiser(text)
    if found is not None:
        return found.ansvar
    labelled = _LABELLED.search(text.strip())
    if labelled:
        who = (labelled.group("head") or labelled.group("tail")).lower()
        police, kommun = re.search(_POLICE, who, re.IGNORECASE) is not None, "kommun" in who
        return "tillsammans" if (police and kommun) or who in ("gemensamt", "tillsammans") else "polisen" if police else "kommunen"
    first = _PARTY_FIRST.match(text.strip())
    if first is None or not first.group("subject")[:1].isupper():
        return None
    return "polisen" if re.search(_POLICE, first.group("subject"), re.IGNORECASE) else "kommunen"


_COMMITMENT = re.compile(r"\b(?:ska|skall|kommer|lovar|åtar sig|förbinder sig)\b", re.IGNORECASE)
_INVERTED = re.compile(
    rf"\b(?P<verb>lovar|ska|skall|kommer|åtar sig|förbinder sig)\s+"
    rf"(?P<subject>vi|(?:{_POLICE}|{_KOMMUN})(?:\s*(?:,|och|samt)\s*(?:{_POLICE}|{_KOMMUN}))*)\s+att\b",
    re.IGNORECASE,
)


def is_commitment(text: str) -> bool:
    """Whether a sentence commits someone to something ("… ska fortsätta", "Varje år kommer …")."""
    return _COMMITMENT.search(text) is not None


def named_party(text: str) -> tuple[str, str] | None:
    """Who a promise names when it does not start with the party: (ansvar, the words it was read from).

    "Om det uppkommer önskemål … så lovar kommun och polis att bistå" → tillsammans (the subject after
    the verb); "Samverkan mellan polis och kommunens verksamheter ska fortsätta" and "… ett gemensamt
    föräldramöte" → tillsammans (both parties, or a joint undertaking, before the sentence ends).
    Only for a promise that stands without a lead-in naming its party.
    """
    found = promiser(text)
    if found is not None and found.ansvar:
        return found.ansvar, found_words(text)
    inverted = inverted_party(text)
    if inverted is not None:
        return inverted
    joint = re.search(r"\b(?:gemensam(?:t|ma)?|tillsammans)\b", text, re.IGNORECASE)
    if joint:
        return "tillsammans", joint.group(0)
    police = re.search(r"\bpolis(?:en)?\b", text, re.IGNORECASE)
    kommun = re.search(r"\bkommun(?:en|al|ens|ala)?\b", text, re.IGNORECASE)
    if police and kommun:
        return "tillsammans", text[min(police.start(), kommun.start()):max(police.end(), kommun.end())]
    return None


def inverted_party(text: str) -> tuple[str, str] | None:
    """The subject after the verb: "Genom trafikkontroller kommer polisen att …" → polisen, "… så lovar vi att
    bistå" → tillsammans (in a löfte, "vi" is the parties together)."""
    inverted = _INVERTED.search(text)
    if inverted is None:
        return None
    subject = inverted.group("subject").lower()
    police, kommun = re.search(_POLICE, subject, re.IGNORECASE) is not None, "kommun" in subject
    return ("tillsammans" if (police and kommun) or subject == "vi" else "polisen" if police else "kommunen"), inverted.group(0)


def found_words(text: str) -> str:
    found = _SUBJECT.match(text.strip())
    return found.group(0) if found else text[:40]


def lead_in(text: str) -> Promiser | None:
    """A lead-in to a list of promises: "Polisen lovar att:", "Kommunen åtar sig att:", "Polis och kommun ska … genom att:"."""
    text = text.strip()
    if not text.endswith(":"):
        # "Kommunen ska" on a line of its own, without a colon: only the party and the verb
        found = promiser(text)
        bare = _SUBJECT.match(text)
        if found is not None and found.ansvar and bare is not None and re.fullmatch(r"\s*(?:vi\s+)?(?:att)?\s*", text[bare.end():]):
            return found
        return None
    if len(text) > 220:
        return None
    found = promiser(text)
    if found is not None and found.ansvar is not None:
        return found
    # "Under samma tidsperiod lovar kommunerna att:": the parties before the verb, anywhere
    verb = re.search(rf"\b({'|'.join(v for v, _ in _VERBS)})\b", text)
    if verb is None:
        return None
    # Swedish puts the subject after the verb when a phrase comes first ("Under 2023 lovar polisen att:").
    before = re.sub(r"\batt:?$", "", text).lower()
    police = re.search(_POLICE, before, re.IGNORECASE) is not None
    # a kommun's own board or service promises for the kommun ("Socialtjänsten lovar att:")
    kommun = re.search(r"kommun|förvaltning|nämnd|socialtjänst|räddningstjänst", before) is not None
    if not (police or kommun) and re.search(r"\b(?:lovar|åtar) vi\b|\bvi (?:lovar|åtar oss)\b", before):
        police = kommun = True  # "Det här lovar vi:": in a löfte, "vi" is the parties together
    if not (police or kommun):
        return None
    return Promiser("tillsammans" if police and kommun else "polisen" if police else "kommunen",
                    dict(_VERBS)[verb.group(1)] if re.search(r"\batt\b", text[verb.end():]) else verb.group(1))


def is_var_for_sig(text: str) -> bool:
    return re.search(r"\bvar för sig\b", text, re.IGNORECASE) is not None


# -- the period -----------------------------------------------------------------------------

_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_LONG = rf"(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})"
_DATE = rf"(?:den\s+)?(?:{_ISO}|{_LONG})"
_RANGE = re.compile(rf"{_DATE}\s*(?:-{{1,2}}|–|—|till(?:\s+och\s+med)?|t\.?\s?o\.?\s?m\.?)\s*{_DATE}", re.IGNORECASE)
_MONTHS = re.compile(rf"(?<!\d\s)\b({_MONTH})\s+(\d{{4}})\s*(?:-{{1,2}}|–|—|till(?:\s+och\s+med)?|t\.?\s?o\.?\s?m\.?)\s*({_MONTH})\s+(\d{{4}})",
                     re.IGNORECASE)
_YEARS = re.compile(r"\b((?:19|20|21)\d\d)\s*(?:-|–|—|till)\s*((?:19|20|21)\d\d)\b")
_YEAR = re.compile(r"\b((?:19|20|21)\d\d)\b")


def _date(groups: tuple[str | None, ...]) -> date | None:
    y, m, d, day, month, year = groups
    try:
        if y:
            return date(int(y), int(m or 0), int(d or 0))
        return date(int(year or 0), MONTHS[(month or "").lower()], int(day or 0))
    except (ValueError, KeyError):
        return None


@dataclass(frozen=True)
class FoundPeriod:
    start: date | int
    slut: date | int | None
    source: str
    exact: bool


def find_period(title: str, texts: list[str]) -> FoundPeriod | None:
    """The period the text states: two dates in one sentence, else years in the title or text."""
    for text in texts:
        found = _RANGE.search(text)
        if found:
            first, last = _date(found.groups()[:6]), _date(found.groups()[6:])
            if first and last and first <= last:
                return FoundPeriod(first, last, text, True)
    for text in texts:  # "januari 2024 – december 2025": from the first day of one month to the last of the other
        months = _MONTHS.search(text)
        if months:
            first_month, first_year, last_month, last_year = months.groups()
            first = date(int(first_year), MONTHS[first_month.lower()], 1)
            following = date(int(last_year) + (MONTHS[last_month.lower()] == 12), MONTHS[last_month.lower()] % 12 + 1, 1)
            last = date.fromordinal(following.toordinal() - 1)
            if first <= last:
                return FoundPeriod(first, last, text, True)
    for text in texts:
        since = re.search(rf"(?:från(?:\s+och\s+med)?|fr\.?\s?o\.?\s?m\.?)\s+{_DATE}.*\btills vidare\b", text, re.IGNORECASE)
        if since:
            first = _date(since.groups()[:6])
            if first:
                return FoundPeriod(first, None, text, True)
    for text in texts:  # "Medborgarlöftet gäller 2024–2025." says it outright
        for years in _YEARS.finditer(text):
            if int(years.group(1)) <= int(years.group(2)) and re.search(
                    r"(?:gäller|period|löper)\W*(?:under\s+|mellan\s+)?(?:åren\s+)?$", text[:years.start()], re.IGNORECASE):
                return FoundPeriod(int(years.group(1)), int(years.group(2)), text, False)
    # Then the title's years: a range or one year named elsewhere in the text is as often the
    # agreement's period or a survey's years as the löfte's own.
    years = _YEARS.search(title)
    if years and int(years.group(1)) <= int(years.group(2)):
        return FoundPeriod(int(years.group(1)), int(years.group(2)), title, False)
    year = _YEAR.search(title)
    if year:
        return FoundPeriod(int(year.group(1)), int(year.group(1)), title, False)
    for text in texts:  # "Medborgarlöfte 2019-2020", "Genomförande 2020-2022", "gäller 2024–2025"
        for years in _YEARS.finditer(text):
            if int(years.group(1)) <= int(years.group(2)) and re.search(
                    r"löfte|period|gäller|genomförande", text[max(0, years.start() - 60):years.start()], re.IGNORECASE):
                return FoundPeriod(int(years.group(1)), int(years.group(2)), text, False)
    # One year: a short line about the löfte ("Medborgarlöften 2019", "Gemensamt löfte 2016"),
    # a sentence that promises for a year ("Under 2019 kommer polisen och Falköpings kommun att …"),
    # or the first lines.
    short = [t for t in texts if len(t) < 80 and re.search(r"löfte", t, re.IGNORECASE)]
    for text in short:
        year = _YEAR.search(text)
        if year:
            return FoundPeriod(int(year.group(1)), int(year.group(1)), text, False)
    for text in texts:
        year = re.search(r"\b(?:under|för|gäller)\s+(?:år\s+)?((?:19|20|21)\d\d)\b", text, re.IGNORECASE)
        if year and re.search(r"löfte|lovar|kommer\b.*\batt\b|\bska\b", text[year.end():], re.IGNORECASE):
            return FoundPeriod(int(year.group(1)), int(year.group(1)), text, False)
    for text in [*texts[:3], *(t for t in texts[3:] if len(t) < 80)]:
        year = _YEAR.search(text)
        if year and re.search(r"löfte|gäller|under|för", text, re.IGNORECASE):
            return FoundPeriod(int(year.group(1)), int(year.group(1)), text, False)
    return None


# -- the police -----------------------------------------------------------------------------

_LPO = re.compile(
    r"(?i:lokalpolisområdeschef(?:en)?(?:\s+(?:i|för))?|lokalpolisområde(?:t|s)?|LPO)\s+"
    r"((?:Västra |Östra |Norra |Södra |Mellersta )?[A-ZÅÄÖ][\wåäö-]+)"
)
_REGION = re.compile(r"[Pp]olisregion\s+(Öst|Väst|Syd|Nord|Mitt|Stockholm|Bergslagen)\b")


def find_police_area(texts: list[str]) -> tuple[str, str] | None:
    """("Lokalpolisområde Katrineholm", the sentence) from the first mention of a lokalpolisområde."""
    for text in texts:
        for found in _LPO.finditer(text):
            # "lokalpolisområdeschef Anders Gölevik": a title before a person's name, not a place
            if re.search(r"chef(?:en)?\s+$", text[found.start():found.start(1)], re.IGNORECASE) and re.match(
                    r"[ \t]+[A-ZÅÄÖ][a-zåäöé]+\b", text[found.end():]):
                continue
            name = found.group(1)
            # "lokalpolisområde Östra Skaraborgs och Tidaholms kommuns samverkansöverenskommelse": a genitive
            if name.endswith("s") and re.match(r"\s+och\s+[A-ZÅÄÖ][\wåäö-]*s\s+kommuns\b|\s+(?:samverkan|samverkansöverenskommelse|medborgarlöfte|chef)",
                                               text[found.end():]):
                name = name[:-1]
            return f"Lokalpolisområde {name}", text
    return None


def find_police_region(texts: list[str]) -> tuple[str, str] | None:
    for text in texts:
        found = _REGION.search(text)
        if found:
            return f"Polisregion {found.group(1)}", text
    return None


# -- signing ----------------------------------------------------------------------------------

_SIGNED_AT = re.compile(rf"^([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?)(?:,)?\s+(?:den\s+)?(?:{_ISO}|{_LONG})\s*$")


def signing_line(text: str) -> tuple[str, date | None] | None:
    """("Kumla", 2017-07-03) from "Kumla den 3 juli 2017"; the date is None when it is not a real date."""
    found = _SIGNED_AT.match(text.strip())
    if not found:
        return None
    return found.group(1), _date(found.groups()[1:7])


_TITLE_WORDS = re.compile(
    r"ordförande|chef|direktör|kommunalråd|polis|kommunpolis|samordnare|kommundirektör|kommunchef|"
    r"lokalpolisområde|vice|tf\.?\b|biträdande|ledamot|sekreterare|handläggare|stadsdirektör",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[A-ZÅÄÖÉ][a-zåäöéü]+(?:[ -][A-ZÅÄÖÉ][a-zåäöéü]+){1,3}$")


def is_name(text: str) -> bool:
    return bool(_NAME.match(text.strip())) and not _TITLE_WORDS.search(text)


def is_title(text: str) -> bool:
    return bool(_TITLE_WORDS.search(text)) and len(text) < 90 and not text.rstrip().endswith(".")


def person(text: str) -> tuple[str, str] | None:
    """("Caroline Dieker", "kommunstyrelsens ordförande") from "Caroline Dieker, kommunstyrelsens ordförande"."""
    name, comma, title = text.partition(",")
    if comma and is_name(name) and is_title(title.strip()):
        return name.strip(), title.strip()
    return None


def party_of_title(title: str) -> str:
    """Whom a signatory signs for, from the title: police titles name the police."""
    return "polisen" if re.search(r"polis", title, re.IGNORECASE) else "kommunen"


__all__ = [
    "FoundPeriod", "Promiser", "find_period", "find_police_area", "find_police_region", "is_name", "is_title",
    "inverted_party", "is_commitment", "is_var_for_sig", "lead_in", "named_party", "party_of_title", "person", "promiser", "signing_line", "subject_party",
]
