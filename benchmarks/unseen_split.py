"""Split written sentences of the unseen set into its two halves, by a seeded hash of each sentence.

The unseen set (tests/unseen/<lang>/) measures how well the assistant understands sentences nobody wrote
for the templates. Each language's sentences are split in two halves:

- tune/: may be read while improving the parser;
- held/: never read while improving it: the fair measure.

A sentence's half depends only on the sentence and SEED, so the same sentence always lands in the same
half (and a sentence written twice can never be in both). New sentences are written as a source file,
one case per situation, with the situation as a key:

    tests:
      - situation: a kitchen with three lights; the user wants them all off
        sentences: ["turn off the kitchen lights", "kitchen lights off"]
        intent: turn_off
        targets: [kitchen_light, under_cabinet_lights, island_pendants]

and split with

    .venv/bin/python benchmarks/unseen_split.py --lang en SOURCE.yaml...

which writes tests/unseen/en/tune/SOURCE.yaml and tests/unseen/en/held/SOURCE.yaml (the situation becomes the
comment of each case). Keep the source file out of the repository: it holds the held half too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
UNSEEN = REPO / "tests" / "unseen"
SEED = "unseen-2026-12"
HALVES = ("tune", "held")
HOMES = {"en": "household.yaml", "ko": "household_ko.yaml"}
CASE_ORDER = ("sentences", "intent", "slots", "targets", "commands", "room", "setup", "reject", "now")


def half(sentence: str, seed: str = SEED) -> str:
    """'tune' or 'held': the half a sentence belongs to (the same for the same sentence, always)."""
    digest = hashlib.sha256(f"{seed}|{sentence.strip()}".encode("utf-8")).digest()
    return HALVES[digest[0] & 1]


def _flow(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _sentences(sentences: list[str], indent: str = "      ") -> str:
    lines, line = [], ""
    for text in (_flow(s) for s in sentences):
        if line and len(line) + len(text) > 100:
            lines.append(line + ",")
            line = ""
        line = f"{line}, {text}" if line else text
    lines.append(line)
    return "[" + f"\n{indent}".join(lines) + "]"


def render(cases: list[dict], which: str, lang: str, source: str) -> str:
    out = [
        f"# The unseen sentence set, {lang}, {which} half ({'may be read while improving the parser' if which == 'tune' else 'never read while improving the parser: the fair measure'}).",
        f"# Written from situations, not from the templates; split from {source} by benchmarks/unseen_split.py.",
        "# A measure, not a test that must pass: run with `.venv/bin/python benchmarks/unseen.py`.",
        f"home: ../../homes/{HOMES[lang]}",
        "tests:",
    ]
    for case in cases:
        out.append(f"  # {case['situation']}")
        first = True
        for key in CASE_ORDER:
            if key not in case:
                continue
            lead = "  - " if first else "    "
            first = False
            value = _sentences(case[key]) if key == "sentences" else _flow(case[key])
            out.append(f"{lead}{key}: {value}")
    return "\n".join(out) + "\n"


def split(source: Path, lang: str, out_dir: Path) -> dict[str, int]:
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    halves: dict[str, list[dict]] = {h: [] for h in HALVES}
    for case in raw["tests"]:
        if "situation" not in case:
            raise SystemExit(f"{source}: every case needs a situation: {case.get('sentences')}")
        for which in HALVES:
            mine = [s for s in case["sentences"] if half(s) == which]
            if mine:
                halves[which].append({**case, "sentences": mine})
    counts = {}
    for which, cases in halves.items():
        path = out_dir / lang / which / source.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(cases, which, lang, source.name), encoding="utf-8")
        counts[which] = sum(len(c["sentences"]) for c in cases)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", type=Path, nargs="+")
    parser.add_argument("--lang", required=True, choices=sorted(HOMES))
    parser.add_argument("--out", type=Path, default=UNSEEN)
    args = parser.parse_args()
    for source in args.sources:
        counts = split(source, args.lang, args.out)
        print(f"{source.name}: " + ", ".join(f"{n} {which}" for which, n in counts.items()))


if __name__ == "__main__":
    main()
