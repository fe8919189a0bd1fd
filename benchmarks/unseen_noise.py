"""Make the ASR-noise copy of the unseen sentence set: each sentence damaged as a speech recogniser does.

The damage is benchmarks/asr_noise.py's (a dropped short word, a homophone, a one-letter error in a name,
two words merged or one split, a hesitation), seeded, one variant per sentence; polarity words are never
damaged. Each half gets its own copy, so the held half stays held:

    tests/unseen/en/tune/*.yaml  ->  tests/unseen/en/noise/tune/*.yaml
    tests/unseen/en/held/*.yaml  ->  tests/unseen/en/noise/held/*.yaml

A damaged sentence keeps the intent and targets of its case (not the slots: a recogniser may mishear a
number). Re-run after the unseen set changes (the output is committed):

    .venv/bin/python benchmarks/unseen_noise.py [--lang en] [--seed N] [--variants 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from asr_noise import damage  # noqa: E402
from assistant.act.resolve import home_lists  # noqa: E402
from assistant.home.model import load_home  # noqa: E402
from assistant.pipeline import load_intent_set  # noqa: E402
from assistant.testing.sentences import DEFAULT_NOW, load_test_file  # noqa: E402
from assistant.understand.engine import Understander  # noqa: E402
from assistant.understand.normalize import words_of  # noqa: E402

UNSEEN = REPO / "tests" / "unseen"
HOMES = {"en": "household.yaml", "ko": "household_ko.yaml"}


def _situations(path: Path) -> dict[int, str]:
    """The comment above each case (its situation), by the case's line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {i + 2: lines[i][4:] for i in range(len(lines) - 1)
            if lines[i].startswith("  # ") and lines[i + 1].startswith("  - ")}


def noisy_file(path: Path, which: str, lang: str, rng: random.Random, protected: set[str], names: set[str],
               variants: int) -> tuple[list[str], int]:
    situations = _situations(path)
    lines = [
        f"# The unseen sentence set, {lang}, {which} half, damaged as a speech recogniser would (benchmarks/unseen_noise.py",
        f"# from {which}/{path.name}): do not edit by hand. Each case keeps the intent and targets of its source.",
        f"home: ../../../homes/{HOMES[lang]}",
        "tests:",
    ]
    count = 0
    for item in load_test_file(path).items:
        sentence, expect = item.turns[0]
        if expect.reject or not (expect.intent or expect.commands):
            continue
        words = words_of(sentence)
        seen = {" ".join(words)}
        for _ in range(variants):
            damaged, what = damage(words, rng, protected, names)
            text = " ".join(damaged)
            if text in seen:
                continue
            seen.add(text)
            case: dict = {"sentences": [text]}
            if expect.commands:
                case["commands"] = [{k: v for k, v in c.items() if k in ("intent", "targets")} for c in expect.commands]
            else:
                case["intent"] = expect.intent
                if expect.targets is not None:
                    case["targets"] = list(expect.targets)
            if item.setup:
                case["setup"] = item.setup
            if item.room:
                case["room"] = item.room
            if item.now != DEFAULT_NOW:
                case["now"] = item.now
            lines.append(f"  # {situations.get(item.line, '')}: {sentence!r} ({what})")
            lines.append("  - " + json.dumps(case, ensure_ascii=False))
            count += 1
    return lines, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="en", choices=["en"], help="only English has a homophone table")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--variants", type=int, default=1, help="damaged variants per sentence")
    args = parser.parse_args()

    home = load_home(UNSEEN / "homes" / HOMES[args.lang])
    understander = Understander(load_intent_set(args.lang), home_lists(home))
    protected = understander.fuzzy.lexicon.polarity | understander.fuzzy.lexicon.negations
    names = {w for lst in ("name", "area") for words, _ in understander.index.lists[lst].values for w in words}
    for which in ("tune", "held"):
        rng = random.Random(f"{args.seed}-{which}")
        total = 0
        for path in sorted((UNSEEN / args.lang / which).glob("*.yaml")):
            lines, count = noisy_file(path, which, args.lang, rng, protected, names, args.variants)
            out = UNSEEN / args.lang / "noise" / which / path.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
            total += count
        print(f"wrote {total} damaged sentences to {UNSEEN / args.lang / 'noise' / which}")


if __name__ == "__main__":
    main()
