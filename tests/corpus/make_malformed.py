"""Regenerate tests/corpus/malformed/: hostile and broken agreement files.

Each case is written as a file; ``expected.tsv`` lists, per file, the line
the first matching problem must be reported at and a fragment of its Swedish
message. Run: .venv/bin/python tests/corpus/make_malformed.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "malformed"
BASE = (HERE / "base.yaml").read_text(encoding="utf-8")


def sub(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def bomb(levels: int, width: int) -> str:
    lines = [f'l0: &l0 [{",".join(["x"] * width)}]']
    lines += [f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


# name: (content, line, fragment)
CASES: dict[str, tuple[str | bytes, int, str]] = {
    # YAML syntax
    "syntax-unclosed-quote.yaml": (sub('namn: Exempelby kommun', 'namn: "Exempelby kommun'), 6, 'lägg till " sist i texten: `namn: "Exempelby kommun"`'),
    "syntax-unclosed-bracket.yaml": (sub("[grannsamverkan, est]", "[grannsamverkan, est"), 23, "lägg till ] sist: `metoder: [grannsamverkan, est]`"),
    "syntax-bad-indent.yaml": (sub("    kommunkod:", "   kommunkod:"), 7, 'fel indrag – "kommunkod" ska börja rakt under "namn" på rad 6: lägg till 1 mellanslag'),
    "syntax-tab-indent.yaml": (sub("    utgivare: Origo Group", "\tutgivare: Origo Group"), 39, "tabbtecken"),
    "syntax-colon-in-value.yaml": (sub("titel: Polisens trygghetsmätning 2019", "titel: Källa: Polisens: mätning"), 38, 'sätt texten inom citattecken: `titel: "Källa: Polisens: mätning"`'),
    "syntax-unknown-escape.yaml": (sub("utgivare: Origo Group", 'utgivare: "Origo\\q Group"'), 39, "escape"),
    "syntax-missing-colon.yaml": (sub("  delmal:\n", "  delmal\n"), 17, 'kolon saknas efter fältnamnet "delmal" – skriv `delmal:`'),
    "syntax-list-in-mapping.yaml": (sub("    namn: Exempelby kommun\n", "    namn: Exempelby kommun\n    - fel\n"), 7, "YAML-syntaxfel"),
    "syntax-undefined-alias.yaml": (sub("  syfte: Att minska brottsligheten och öka tryggheten.", "  syfte: *saknas"), 16, "ankare"),
    "syntax-two-documents.yaml": (BASE + "---\nstatus: utkast\n", 52, "ta bort raden med ---"),
    "syntax-bad-directive.yaml": ("%YAML 9.9\n---\n" + BASE, 1, "YAML"),
    "syntax-unclosed-brace.yaml": (sub("period:\n  start: 2024-01-01\n  slut: 2025-12-31\n", "period: {start: 2024-01-01\n"), 12, "lägg till } sist: `period: {start: 2024-01-01}`"),
    # wrong types
    "type-status-number.yaml": (sub("status: undertecknad", "status: 3"), 2, "tillåtna värden"),
    "type-kommunkod-int.yaml": (sub('kommunkod: "0481"', "kommunkod: 481"), 7, "inom citattecken"),
    "type-start-int.yaml": (sub("  start: 2024-01-01\n  slut: 2025", "  start: 20240101\n  slut: 2025"), 13, "ogiltigt datum"),
    "type-year-text.yaml": (sub("    ar: 2020", "    ar: tjugotjugo"), 40, "heltal"),
    "type-delmal-string.yaml": (sub("  delmal:\n    - Fler grannsamverkansområden", "  delmal: Fler"), 17, "ska vara en lista"),
    "type-aktiviteter-mapping.yaml": (sub("      aktiviteter:\n        - text:", "      aktiviteter:\n          text:"), 24, "ska vara en lista"),
    "type-parter-list.yaml": (sub("parter:\n  kommun:", "parter:\n  - kommun:").replace("\n  polis:\n", "\n  - polis:\n"), 4, "ska ha sina fält på egna rader under sig"),
    "type-undertecknare-mapping.yaml": (BASE.split("undertecknare:")[0] + "undertecknare:\n  namn: Anna\n", 41, "ska vara en lista"),
    "type-titel-list.yaml": (sub("      titel: Stöld- och tillgreppsbrott", "      titel: [Stöld]"), 22, "ska vara text"),
    "type-metoder-string.yaml": (sub("[grannsamverkan, est]", "grannsamverkan"), 23, "ska vara en lista"),
    "type-bool-text.yaml": (sub("    diarienummer: KS 2023/388", "    diarienummer: true"), 8, "ska vara text"),
    "type-section-number.yaml": (sub("  syfte: Att minska brottsligheten och öka tryggheten.", "  syfte: 42"), 16, "ska vara text, eller fälten `text` och `punkter`"),
    "type-datum-text.yaml": (sub("datum: 2024-03-12\nparter", "datum: i mars\nparter"), 3, "ogiltigt datum"),
    # unknown keys
    "key-top.yaml": (sub("kallor:\n", "kalla:\n"), 36, 'okänt fält "kalla"'),
    "key-kommun.yaml": (sub("    kommunkod:", "    kommunnummer:"), 7, 'okänt fält "kommunnummer"'),
    "key-area.yaml": (sub("      titel: Stöld", "      rubrik: Stöld"), 22, 'okänt fält "rubrik"'),
    "key-activity.yaml": (sub("          frekvens:", "          frekvense:"), 27, 'menade du "frekvens"'),
    "key-promise.yaml": (sub("    lagesbild:\n", "    lägesbild:\n"), 33, 'menade du "lagesbild"'),
    "key-signatory.yaml": (sub("    titel: Kommunstyrelsens ordförande", "    roll: Kommunstyrelsens ordförande"), 43, 'okänt fält "roll"'),
    # duplicate keys
    "dup-top.yaml": (BASE + "status: utkast\n", 52, 'fältet "status" står redan på rad 2'),
    "dup-nested.yaml": (sub("    namn: Exempelby kommun\n", "    namn: Exempelby kommun\n    namn: Annanby kommun\n"), 7, 'fältet "namn"'),
    "dup-in-list-item.yaml": (sub("          frekvens: minst en gång per år\n", "          frekvens: minst en gång per år\n          ansvar: polisen\n"), 28, 'fältet "ansvar"'),
    # aliases and nesting
    "alias-billion-laughs.yaml": (bomb(10, 10), 1, "alias"),
    "alias-wide.yaml": (bomb(4, 200), 1, "alias"),
    "alias-quadratic.yaml": ('a: &a "' + "x" * 200_000 + '"\nb: [' + ",".join(["*a"] * 30) + "]\n", 1, "för lång"),
    "alias-recursive.yaml": ("status: &x [*x]\n", 1, ""),
    "deep-nesting.yaml": ("status: " + "[" * 200 + "]" * 200 + "\n", 1, "nästling"),
    # encodings and binary data
    "enc-latin1.yaml": (BASE.encode("latin-1", errors="replace"), 10, "UTF-8"),
    "enc-cp1252.yaml": (BASE.encode("cp1252", errors="replace"), 10, "UTF-8"),
    "enc-utf16-le.yaml": (BASE.encode("utf-16-le"), 1, "UTF-16"),
    "enc-utf16-bom.yaml": (BASE.encode("utf-16"), 1, "UTF-16"),
    "enc-utf16-be.yaml": (BASE.encode("utf-16-be"), 1, "UTF-16"),
    "binary-png.yaml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 3, "binära data"),
    "binary-nul-late.yaml": (BASE.encode("utf-8") + b"\x00\x00garbage", 52, "binära data"),
    "binary-zip.yaml": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(1, 200)), 1, ""),
    # empty and wrong shape
    "empty.yaml": ("", 1, "filen är tom"),
    "whitespace.yaml": ("   \n\n\t\n", 1, "filen är tom"),
    "comments-only.yaml": ("# bara en kommentar\n# och en till\n", 1, "filen är tom"),
    "null-document.yaml": ("~\n", 1, "ett enskilt värde"),
    "list-document.yaml": ("- status: utkast\n- period: {}\n", 1, "en lista"),
    "scalar-document.yaml": ("samverkansöverenskommelse\n", 1, "ett enskilt värde"),
    # values and cross-field rules
    "rule-impossible-date.yaml": (sub("  start: 2024-01-01\n  slut: 2025", "  start: 2023-02-29\n  slut: 2025"), 13, "ogiltigt datum"),
    "rule-end-before-start.yaml": (sub("  slut: 2025-12-31\ndel1", "  slut: 2023-12-31\ndel1"), 12, "före dess start"),
    "rule-unknown-method.yaml": (sub("[grannsamverkan, est]", "[grannsamverkan, ets]"), 23, 'okänd metod "ets"'),
    "rule-unknown-source.yaml": (sub("kallor: [tm-2019]", "kallor: [ntu-2019]"), 35, 'okänd källa "ntu-2019"'),
    "rule-duplicate-source.yaml": (sub("undertecknare:\n", "  - id: tm-2019\n    titel: Igen\nundertecknare:\n"), 41, 'id "tm-2019" används redan'),
    "rule-promise-outside.yaml": (sub("      start: 2024-01-01\n      slut: 2025-12-31", "      start: 2024-01-01\n      slut: 2026-12-31"), 30, "utanför"),
    "rule-signed-no-place.yaml": (sub("    ort: Exempelby\n    datum: 2024-03-12\n  - namn: Bo", "    datum: 2024-03-12\n  - namn: Bo"), 42, "saknar ort"),
    "rule-control-char.yaml": (sub("Stölderna ökar igen.", '"Stölderna\\u001b ökar."'), 34, "styrtecken"),
    "rule-bad-id.yaml": (sub("  - id: ml-2024", "  - id: ML 2024"), 29, "ogiltigt id"),
    "rule-bad-enum.yaml": (sub("    part: polisen", "    part: polismyndigheten"), 49, "tillåtna värden: kommunen, polisen"),
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.yaml"):
        old.unlink()
    rows = ["# file\tline\tmessage fragment"]
    for name, (content, line, fragment) in sorted(CASES.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        (OUT / name).write_bytes(data)
        rows.append(f"{name}\t{line}\t{fragment}")
    (OUT / "expected.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(CASES)} files in {OUT}")


if __name__ == "__main__":
    main()
