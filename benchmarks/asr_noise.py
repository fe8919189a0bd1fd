"""Generate the ASR-noise sentence set from the positive sentence tests.

Speech recognisers damage sentences in typical ways; this script does the same, deterministically
(seeded), to every sentence of the positive test files and writes the damaged sentences with the
source case's expected intent and targets:

- a dropped article or short word ("turn on floor lamp");
- a homophone or near-homophone (HOMOPHONES below: "ceiling" -> "sealing", "for" -> "four");
- a one-letter error in a device or room name ("kichen light", "floor lmap");
- two words merged or one split ("floorlamp", "bed side");
- a hesitation written down ("uh").

Polarity words (on/off, lock/unlock... as the fuzzy layer derives them from the templates) are
never damaged: without them a command must be refused, which reject.yaml tests instead.

Re-run after the positive tests change (the output is committed):

    .venv/bin/python benchmarks/asr_noise.py            # writes intents/en/tests/asr_noise.yaml
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.home.model import load_home  # noqa: E402
from assistant.understand.engine import Understander  # noqa: E402
from assistant.understand.normalize import words_of  # noqa: E402
from assistant.pipeline import load_intent_set  # noqa: E402
from assistant.act.resolve import home_lists  # noqa: E402
from assistant.resources import demo_home_path  # noqa: E402
from assistant.testing.sentences import find_test_files, load_test_file  # noqa: E402

# Real English confusions a recogniser makes: homophones and near-homophones. Written for this
# project; the fuzzy matcher does not read this table (it uses spelling and a phonetic key).
HOMOPHONES: dict[str, list[str]] = {
    "to": ["too", "two"], "too": ["to"], "two": ["to", "too"], "for": ["four", "fore"], "four": ["for"],
    "the": ["a", "thee"], "a": ["the", "uh"], "is": ["his", "as"], "are": ["our"], "our": ["are", "hour"],
    "here": ["hear"], "there": ["their"], "right": ["write", "rite"], "write": ["right"], "light": ["lite"],
    "lights": ["lites"], "ceiling": ["sealing"], "hall": ["haul"], "hallway": ["hall way"], "whole": ["hole"],
    "know": ["no"], "new": ["knew"], "weather": ["whether"], "wood": ["would"], "by": ["buy", "bye"],
    "blue": ["blew"], "red": ["read"], "read": ["red"], "one": ["won"], "won": ["one"], "way": ["weigh"],
    "dryer": ["drier"], "suite": ["sweet"], "done": ["dun"], "what": ["watt", "what's"], "lamp": ["lamb"],
    "fan": ["van"], "switch": ["which"], "turn": ["tern", "turned"], "door": ["dore", "doer"],
    "desk": ["disk"], "porch": ["porsche"], "tv": ["t v", "tee vee"], "ac": ["a c"], "purifier": ["pure fire"],
    "kettle": ["kettel"], "boiler": ["boyler"], "heater": ["heeter"], "curtains": ["curtins", "certains"],
    "washer": ["washa"], "vacuum": ["vacume"], "status": ["stadus"], "state": ["stayed"], "doing": ["doin"],
    "bedside": ["bed side"], "bedroom": ["bed room"], "kitchen": ["kitchin"], "study": ["studdy"],
    "cooker": ["cook her"], "television": ["tele vision"], "power": ["pour"], "main": ["mane"],
    "counter": ["count her"], "floor": ["flor"], "air": ["heir", "err"], "in": ["inn"], "of": ["have"],
    "locked": ["lockt"], "open": ["opened"], "closed": ["clothed"], "done": ["dun"], "ready": ["reddy"],
}
FILLERS = ["uh", "um", "er"]
SHORT = {"the", "a", "an", "my", "our", "to", "of", "in", "at", "for", "is", "are", "please"}


def damage(words: list[str], rng: random.Random, protected: set[str], names: set[str]) -> tuple[list[str], str]:
    """One random damage of the sentence's words, and what it was."""
    kinds = ["drop", "homophone", "name typo", "merge", "split", "filler"]
    weights = [3, 3, 3, 1.5, 1, 0.5]
    for _ in range(20):
        kind = rng.choices(kinds, weights)[0]
        positions = [i for i, w in enumerate(words) if w not in protected]
        if not positions:
            return words, "none"
        if kind == "drop":
            short = [i for i in positions if words[i] in SHORT]
            if short and len(words) > 2:
                i = rng.choice(short)
                return words[:i] + words[i + 1 :], f"dropped {words[i]!r}"
        elif kind == "homophone":
            known = [i for i in positions if words[i] in HOMOPHONES]
            if known:
                i = rng.choice(known)
                heard = rng.choice(HOMOPHONES[words[i]])
                return words[:i] + heard.split() + words[i + 1 :], f"{words[i]!r} heard as {heard!r}"
        elif kind == "name typo":
            named = [i for i in positions if words[i] in names and len(words[i]) >= 4]
            if named:
                i = rng.choice(named)
                return words[:i] + [typo(words[i], rng)] + words[i + 1 :], f"one-letter error in {words[i]!r}"
        elif kind == "merge":
            pairs = [i for i in positions if i + 1 < len(words) and words[i + 1] not in protected]
            if pairs:
                i = rng.choice(pairs)
                return words[:i] + [words[i] + words[i + 1]] + words[i + 2 :], f"merged {words[i]!r} {words[i + 1]!r}"
        elif kind == "split":
            long = [i for i in positions if len(words[i]) >= 6]
            if long:
                i = rng.choice(long)
                cut = rng.randint(2, len(words[i]) - 2)
                w = words[i]
                return words[:i] + [w[:cut], w[cut:]] + words[i + 1 :], f"split {w!r}"
        elif kind == "filler":
            i = rng.randint(0, len(words))
            return words[:i] + [rng.choice(FILLERS)] + words[i:], "hesitation"
    return words, "none"


def typo(word: str, rng: random.Random) -> str:
    """One letter wrong: dropped, doubled, swapped with its neighbour, or a vowel heard as another."""
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(["drop", "double", "swap", "vowel"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    vowels = [j for j, c in enumerate(word) if c in "aeiou"]
    if not vowels:
        return word[:i] + word[i + 1 :]
    j = rng.choice(vowels)
    return word[:j] + rng.choice([v for v in "aeiou" if v != word[j]]) + word[j + 1 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tests", type=Path, default=REPO / "intents" / "en" / "tests")
    parser.add_argument("--out", type=Path, default=REPO / "intents" / "en" / "tests" / "asr_noise.yaml")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--variants", type=int, default=2, help="damaged variants per sentence")
    args = parser.parse_args()

    home = load_home(demo_home_path())
    understander = Understander(load_intent_set("en"), home_lists(home))
    protected = understander.fuzzy.lexicon.polarity | understander.fuzzy.lexicon.negations
    names = {w for lst in ("name", "area") for words, _ in understander.index.lists[lst].values for w in words}

    lines = [
        "# Generated by benchmarks/asr_noise.py from the positive sentence tests: do not edit by hand.",
        "# Each sentence is damaged the way a speech recogniser does it; the expectation is the source case's.",
        "# The file passes when at least 90% of its sentences give the right intent and targets.",
        "min_pass: 0.9",
        "tests:",
    ]
    count = 0
    for path in find_test_files([args.tests]):
        if path.name.startswith(("reject", "asr_noise")):
            continue
        for item in load_test_file(path).items:
            if len(item.turns) != 1 or item.turns[0][0].startswith("audio:"):
                continue  # dialogues and recordings are not damaged
            sentence, expect = item.turns[0]
            if expect.reject or not (expect.intent or expect.commands):
                continue
            words = words_of(sentence)
            rng = random.Random(f"{args.seed}:{path.name}:{sentence}")  # each sentence its own draw: adding one redraws no other
            seen = {" ".join(words)}
            for _ in range(args.variants):
                damaged, what = damage(words, rng, protected, names)
                text = " ".join(damaged)
                if text in seen:
                    continue
                seen.add(text)
                case = {"sentences": [text]}
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
                if item.home:
                    # relative to the test files, where the shipped set lives
                    case["home"] = os.path.relpath(item.home, args.tests.resolve()) if item.home.is_absolute() else str(item.home)
                if item.now != 1767261600.0:
                    case["now"] = item.now
                lines.append(f"  # {path.name}: {sentence!r} ({what})")
                lines.append("  - " + json.dumps(case, ensure_ascii=False))
                count += 1
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {count} damaged sentences to {args.out}")


if __name__ == "__main__":
    main()
