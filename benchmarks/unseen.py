"""How well the assistant understands sentences nobody wrote for its templates: the unseen set.

tests/unseen/<lang>/ holds home commands written from situations, without looking at the templates, in two
halves split by a seeded hash of each sentence (benchmarks/unseen_split.py): `tune` may be read while
improving the parser, `held` never is, so it is the fair measure. tests/unseen/en/noise/ has an ASR-damaged
copy of each half (benchmarks/unseen_noise.py). The set is a measure, not a test that must pass: pytest
only checks that its files load (tests/test_unseen_files.py).

Each sentence runs through the real assistant the way `assistant test` runs it (the sentence-test Runner:
its home, a fresh state file, the setup turns, the room, a fixed clock). It is fully right when the
runner's check passes: the intent, exactly the expected targets, and the slots the case gives; several commands
in one sentence may come in another order than the case lists them.
"right+lists" also counts a list said as one command ("turn off the tv and the lamp") that came out as one
command per device with the same intent.

    .venv/bin/python benchmarks/unseen.py                  # every language and half
    .venv/bin/python benchmarks/unseen.py --lang en --half tune --misses   # and each tune miss
    .venv/bin/python benchmarks/unseen.py --top 30         # the most common kinds of miss (default 30)

Misses are shown sentence by sentence for the tune halves only; for held halves only counts are printed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.errors import AssistantError  # noqa: E402
from assistant.testing.sentences import Item, Runner, check, find_test_files, load_test_file  # noqa: E402

UNSEEN = REPO / "tests" / "unseen"
SETS = {  # (language, half) -> directory
    ("en", "tune"): UNSEEN / "en" / "tune",
    ("en", "held"): UNSEEN / "en" / "held",
    ("en", "tune-noise"): UNSEEN / "en" / "noise" / "tune",
    ("en", "held-noise"): UNSEEN / "en" / "noise" / "held",
    ("ko", "tune"): UNSEEN / "ko" / "tune",
    ("ko", "held"): UNSEEN / "ko" / "held",
}


@dataclass
class Result:
    item: Item
    right: bool
    right_lists: bool
    kind: str  # what kind of miss ("" when right)
    problems: list[str]


class UnseenRunner(Runner):
    """The sentence-test runner, keeping each turn so a miss can be told apart from another."""

    def measure(self, item: Item) -> Result:
        os.environ["ASSISTANT_NOW"] = repr(item.now)
        os.environ["TZ"] = "UTC"
        time.tzset()
        text, expect = item.turns[0]
        try:
            assistant = self._assistant(item.home or self.default_home)
            self._state.unlink(missing_ok=True)
            (self._dir / "state.json.lock").unlink(missing_ok=True)
            assistant.home.room = item.room if item.room is not None else assistant.default_room
            for sentence in item.setup:
                if not assistant.handle(sentence).commands:
                    return Result(item, False, False, f"setup not understood: {sentence}",
                                  [f"setup not understood: {sentence!r}"])
            turn = assistant.handle(text)
        except AssistantError as exc:
            return Result(item, False, False, "error", [f"error: {exc}"])
        problems = check(assistant, turn, expect)
        said_order = in_said_order(turn, expect)
        if not problems or said_order is not None and not check(assistant, turn, said_order):
            return Result(item, True, True, "", [])
        merged = merged_list(turn, expect)
        right_lists = merged is not None and not check(assistant, merged, expect)
        return Result(item, False, right_lists, kind_of_miss(turn, expect), problems)


class _Turn:
    def __init__(self, commands, reply=""):
        self.commands, self.reply, self.changes = commands, reply, []


class _Command:
    def __init__(self, intent, slots, targets):
        self.intent, self.slots, self.targets = intent, slots, targets


def in_said_order(turn, expect):
    """The expected commands in the order they were understood, when only the order differs: a writer may list
    "open the blinds and boil the kettle" as the kettle first (or None)."""
    if not expect.commands or len(expect.commands) != len(turn.commands):
        return None
    left = list(expect.commands)
    ordered = []
    for command in turn.commands:
        same = [w for w in left if w.get("intent") == command.intent
                and sorted(w.get("targets") or []) == sorted(command.targets if w.get("targets") is not None else [])]
        if not same:
            return None
        ordered.append(same[0])
        left.remove(same[0])
    return dataclasses.replace(expect, commands=ordered) if ordered != expect.commands else None


def merged_list(turn, expect):
    """One command per device of a list, folded into the one command the case expects (or None)."""
    if expect.commands or not expect.intent or len(turn.commands) < 2:
        return None
    if any(c.intent != expect.intent for c in turn.commands):
        return None
    slots: dict = {}
    targets: list[str] = []
    for command in turn.commands:
        slots.update(command.slots)
        targets.extend(t for t in command.targets if t not in targets)
    return _Turn([_Command(expect.intent, slots, targets)])


def kind_of_miss(turn, expect) -> str:
    """A short name for what went wrong, by the expected intent: the unit the top-misses list counts."""
    wanted = expect.commands or [{"intent": expect.intent, "slots": expect.slots, "targets": expect.targets}]
    intent = "+".join(str(w.get("intent")) for w in wanted)
    if not turn.commands:
        return f"{intent}: asked back instead" if getattr(turn, "asked", False) else f"{intent}: not understood"
    if len(turn.commands) != len(wanted):
        return f"{intent}: {len(turn.commands)} commands for {len(wanted)}"
    for want, got in zip(wanted, turn.commands):
        if want.get("intent") and got.intent != want["intent"]:
            return f"{want['intent']}: understood as {got.intent}"
        want_targets = want.get("targets")
        if want_targets is not None and sorted(got.targets) != sorted(want_targets):
            have, need = set(got.targets), set(want_targets)
            if not have:
                return f"{want['intent']}: no target"
            if have < need:
                return f"{want['intent']}: too few targets"
            if have > need:
                return f"{want['intent']}: too many targets"
            return f"{want['intent']}: other targets"
        for slot, value in (want.get("slots") or {}).items():
            if slot not in got.slots:
                return f"{want['intent']}: slot {slot} missing"
            if str(got.slots[slot]) != str(value):
                return f"{want['intent']}: slot {slot} wrong"
    return f"{intent}: other"


def share(good: int, total: int) -> str:
    return f"{good}/{total} ({100 * good / total:.1f}%)" if total else "-"


def measure(chosen: dict[tuple[str, str], Path]) -> dict[tuple[str, str], list[Result]]:
    with UnseenRunner() as runner:
        return {key: [runner.measure(item) for path in find_test_files([directory])
                      for item in load_test_file(path).items]
                for key, directory in chosen.items()}


def print_summary(results: dict[tuple[str, str], list[Result]]) -> None:
    print("The unseen set: fully right = intent, exact targets and the slots given (as `assistant test` checks)\n")
    print(f"{'language':8} {'half':11} {'sentences':>9}  {'right':>17}  {'right+lists':>17}  {'too wide':>8}")
    for (lang, which), rs in results.items():
        wide = sum(r.kind.endswith("too many targets") for r in rs)
        print(f"{lang:8} {which:11} {len(rs):9}  {share(sum(r.right for r in rs), len(rs)):>17}  "
              f"{share(sum(r.right_lists for r in rs), len(rs)):>17}  {wide:8}")
    print("(too wide: the right intent on more devices than were meant)")


def print_breakdown(results: dict[tuple[str, str], list[Result]], lang: str) -> None:
    """Right per intent file and per expected intent, one column per half of the language."""
    halves = [k for k in results if k[0] == lang]
    print(f"\n{lang}: right per intent file ({', '.join(k[1] for k in halves)})")
    for name in sorted({r.item.file.name for k in halves for r in results[k]}):
        cells = []
        for k in halves:
            rs = [r for r in results[k] if r.item.file.name == name]
            cells.append(f"{share(sum(r.right for r in rs), len(rs)):>16}")
        print(f"  {name:22} " + "  ".join(cells))
    print(f"\n{lang}: right per expected intent ({', '.join(k[1] for k in halves)})")
    per: dict[str, dict[tuple, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for k in halves:
        for r in results[k]:
            want = r.item.turns[0][1]
            per[want.intent or "+".join(c["intent"] for c in want.commands or [])][k].append(r.right)
    for intent in sorted(per):
        cells = [f"{share(sum(per[intent][k]), len(per[intent][k])):>16}" for k in halves]
        print(f"  {intent:22} " + "  ".join(cells))


def print_top_misses(results: dict[tuple[str, str], list[Result]], top: int) -> None:
    """The most common kinds of miss over every half; an example only from a tune half."""
    misses: Counter = Counter()
    example: dict[str, str] = {}
    for (lang, which), rs in results.items():
        for r in rs:
            if r.right:
                continue
            setup = r.kind.startswith("setup")
            kind = f"{lang} {r.kind.split(':')[0] if setup else r.kind}"
            misses[kind] += 1
            if which == "tune" and kind not in example:
                example[kind] = r.kind.split(": ", 1)[1] if setup else r.item.turns[0][0]
    print(f"\nThe {top} most common kinds of miss (all halves; examples from tune only)")
    for kind, count in misses.most_common(top):
        shown = f"   e.g. {example[kind]!r}" if kind in example else ""
        print(f"  {count:4}  {kind}{shown}")


def print_tune_misses(results: dict[tuple[str, str], list[Result]]) -> None:
    for (lang, which), rs in results.items():
        if which != "tune":
            continue
        print(f"\n{lang} tune misses")
        for r in rs:
            if not r.right:
                print(f"  {r.item.file.name}: {r.item.turns[0][0]!r}: {'; '.join(r.problems)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=["en", "ko"], help="one language only")
    parser.add_argument("--half", choices=["tune", "held", "tune-noise", "held-noise"], help="one half only")
    parser.add_argument("--top", type=int, default=30, help="how many kinds of miss to list")
    parser.add_argument("--misses", action="store_true", help="print every miss of the tune halves")
    args = parser.parse_args()

    chosen = {k: v for k, v in SETS.items() if (not args.lang or k[0] == args.lang) and (not args.half or k[1] == args.half)}
    started = time.perf_counter()
    results = measure(chosen)
    seconds = time.perf_counter() - started
    print_summary(results)
    for lang in sorted({k[0] for k in results}):
        print_breakdown(results, lang)
    print_top_misses(results, args.top)
    if args.misses:
        print_tune_misses(results)
    print(f"\n{sum(len(rs) for rs in results.values())} sentences in {seconds:.0f} s")


if __name__ == "__main__":
    main()
