"""Every fixed text the documents may print: the short, documented list.

A signed document must say only what the parties decided. Apart from the
values in the agreement file and values formatted from them (dates, periods,
names), a document holds nothing but the texts below. ``{name}`` marks where
a value goes. docs/template-reference.md lists them (generated from this
module), and a test checks every paragraph of every bundled render against
them.

Headings marked as defaults give way to the heading the agreement writes
(``rubrik`` on a section).
"""

from __future__ import annotations

HEADINGS: dict[str, str] = {
    "del1": "Del 1 – Hur vi samverkar",
    "del2": "Del 2 – Prioriterade områden och metoder",
    "parter": "Parter och giltighetstid",
    "parter_utan_period": "Parter",
    "bakgrund": "Bakgrund",
    "syfte": "Syfte",
    "overgripande_mal": "Övergripande mål",
    "delmal": "Delmål",
    "organisation": "Organisation",
    "roller": "Roller",
    "del1.lagesbild": "Gemensam lägesbild",
    "kommunikation": "Kommunikation",
    "del1.uppfoljning": "Uppföljning",
    "lag": "Kommunens ansvar enligt lag (2023:196)",
    "beskrivning": "Problembeskrivning",
    "orsaker": "Troliga orsaker",
    "omrade.mal": "Mål",
    "lagesbild": "Lägesbild",
    "mal": "Det här ska vi åstadkomma tillsammans",
    "fokusomraden": "Fokusområden",
    "genomforande": "Så här ska vi göra",
    "uppfoljning": "Uppföljning",
    "folj_arbetet": "Följ med i hur det går",
    "metoder": "Metoder",
    "metodinformation": "Information om metoderna",
    "kallor": "Källor",
    "underskrifter": "Underskrifter",
}
"""Default headings (the agreement's own `rubrik` wins where a section has one)."""

SENTENCES: dict[str, str] = {
    "parter": "Parterna är {kommun} och Polismyndigheten, genom {lokalpolisomrade} i {polisregion}.",
    "parter_utan_region": "Parterna är {kommun} och Polismyndigheten, genom {lokalpolisomrade}.",
    "giltighet": "Överenskommelsen gäller {period}.",
    "ersatter": "Den ersätter den tidigare överenskommelsen ({ersatter}).",
    "lofte_giltighet": "Medborgarlöftet gäller {period}.",
    "lofte_ersatter": "Medborgarlöftet ersätter det tidigare medborgarlöftet ({ersatter}).",
    "gemensam_lagesbild": "Lägesbilden är densamma som för {lofte}.",
    "utkast": "UTKAST – får inte undertecknas",
    "ej_publicerat": "Ort och datum för underskrifterna framgår inte av den publicerade versionen.",
    "metodinformation": "Texterna nedan är allmän information om metoderna. De ingår inte i det som parterna har kommit överens om.",
    "forum_medlemmar": "I forumet ingår:",
}
"""The only sentences the tool writes itself; each states a fact from the file."""

LABELS: dict[str, str] = {
    "period": "Period: {period}",
    "diarienummer": "Diarienummer: {part}: {diarienummer}",
    "ersatter": "Ersätter: {ersatter}",
    "ingar_i": "Ingår i: {overenskommelse}",
    "status": "Status: {status}",
    "datum": "Datum: {datum}",
    "versionskod": "Versionskod: {kod}",
    "versionskod_sidfot": "Versionskod {kod}",
    "sida": "Sida {sida} av {sidor}",
    "sidhuvud": "{kommun} · {lokalpolisomrade}",
    "underrubrik": "{kommun} och Polismyndigheten, {lokalpolisomrade}",
    "moten": "Möten: {motesfrekvens}",
    "metodrad": "Metoder: {metoder}",
    "lank": "{text}: {url}",
    "lag_punkt": "{rubrik}: {text}",
    "omrade_nummer": "{nummer}. {titel}",
    "punkt_nummer": "{nummer}.",
    "aktivitet": "{text} ({detaljer})",
    "senast": "senast {datum}",
    "kalla": "{titel}. {utgivare_och_ar}.",
    "kalla_url": "{kalla} {url}",
    "ort_och_datum": "{ort} den {datum}",
    "underskriftsdatum": "Datum för underskrifterna: {datum}",
}
"""Labels put in front of or around values (titles, fact lines, list items)."""

TITLES: dict[str, str] = {
    "overenskommelse": "Samverkansöverenskommelse mellan {kommun} och Polisen {ar}",
    "overenskommelse_utan_period": "Samverkansöverenskommelse mellan {kommun} och Polisen",
    "medborgarlofte": "Medborgarlöfte {ar} – {kommun} och Polisen",
    "lofte": "Medborgarlöfte {period}",
    "loften": "Medborgarlöften {period}",
    "metadata_kommun": "{titel} – {kommun}",
    "metadata_ar": "{titel} {ar}",
    "metadata_period": "{titel} ({period})",
    "referens": "Samverkansöverenskommelse {period}",
}
"""Titles built when the file gives none, and the document property title when the file's title lacks kommun or years."""

PARTIES: dict[str, str] = {
    "kommunen": "Kommunen",
    "polisen": "Polisen",
    "tillsammans": "Tillsammans",
    "var för sig": "Var för sig",
    "polismyndigheten": "Polismyndigheten",
}
"""The parties as words (roles table, signature cells)."""

LEAD_INS: dict[str, str] = {
    "kommunen": "Kommunen {verb}:",
    "polisen": "Polisen {verb}:",
    "tillsammans": "Kommunen och polisen {verb, tillsammans}:",
    "var för sig": "Kommunen och polisen {verb, var för sig}:",
}
"""A group's lead-in when the file gives none: the party and the promise verb ("ska" unless the file says
"lovar att", "åtar sig att" …). "tillsammans" and "var för sig" go before a closing "att"
("Kommunen och polisen lovar tillsammans att:")."""

DEFAULT_VERB = "ska"

CAPTIONS: dict[str, str] = {
    "ort_och_datum": "Ort och datum",
    "underskrift": "Underskrift",
    "namnfortydligande": "Namnförtydligande",
}
"""Captions under the lines of the signing table."""

TABLE_HEADINGS: dict[str, str] = {
    "aktivitet": "Aktivitet",
    "ansvar": "Ansvar",
    "omfattning": "Omfattning och tid",
    "roll": "Roll",
    "namn": "Namn",
    "part": "Part",
    "rollansvar": "Ansvar",
}
"""Column headings of the activity and role tables."""

STATUS: dict[str, str] = {"utkast": "Utkast", "fastställd": "Fastställd", "undertecknad": "Undertecknad"}
"""How a status is shown to the reader."""

LAW_ITEMS: dict[str, str] = {"lagesbild": "Lägesbild", "atgardsplan": "Åtgärdsplan", "samordningsfunktion": "Samordningsfunktion"}
"""The three duties under lag (2023:196)."""

ALL: dict[str, dict[str, str]] = {
    "Rubriker": HEADINGS,
    "Meningar": SENTENCES,
    "Etiketter": LABELS,
    "Titlar": TITLES,
    "Parterna": PARTIES,
    "Ingresser till aktiviteter": LEAD_INS,
    "Bildtexter i underskriftstabellen": CAPTIONS,
    "Tabellrubriker": TABLE_HEADINGS,
    "Status": STATUS,
    "Lag (2023:196)": LAW_ITEMS,
}
"""Every list, by the name the reference gives it."""


def lead_in(party: str, verb: str) -> str:
    """The lead-in of a group of activities: ``Polisen lovar att:``, ``Kommunen och polisen ska tillsammans:``."""
    template = LEAD_INS[party]
    if "{verb}" in template:
        return template.replace("{verb}", verb)
    adverb = "tillsammans" if party == "tillsammans" else "var för sig"
    if verb.endswith(" att"):
        with_adverb = f"{verb[: -len(' att')]} {adverb} att"
    else:
        with_adverb = f"{verb} {adverb}"
    return template.replace("{verb, " + adverb + "}", with_adverb)


__all__ = [
    "ALL",
    "CAPTIONS",
    "DEFAULT_VERB",
    "HEADINGS",
    "LABELS",
    "LAW_ITEMS",
    "LEAD_INS",
    "PARTIES",
    "SENTENCES",
    "STATUS",
    "TABLE_HEADINGS",
    "TITLES",
    "lead_in",
]
