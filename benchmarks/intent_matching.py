"""Intent matching: our rule + fuzzy engine against hassil, same process, same templates, same sentences.

Our intent YAML files are loaded into hassil as they are (`Intents.from_dict` on the merged files,
our home's {name}/{area}/{floor}/{type}/{scene} lists as hassil slot lists), so both match the
same templates.

Ours is scored the way a user meets it: `Assistant.parse(text)` on the demo home, as the sentence-test
runner (`assistant test`) builds it -- matching, then follow-ups from context, "set X to 50" turned
into the right set_* intent, twin intents (pause a TV -> media_pause) and target resolution. That does
more than the matcher, so the matcher alone (`Understander.understand`, its commands resolved by our
resolver) is reported too. hassil's results are resolved to devices by our resolver, so
"intent+targets right" means the same thing for all. Only the call that turns text into commands is
timed (parse: everything above; matcher and hassil: the matching call).

    .venv/bin/python benchmarks/intent_matching.py            # prints the report
    .venv/bin/python benchmarks/intent_matching.py --write    # and writes it into BENCHMARKS.md
    .venv/bin/python benchmarks/intent_matching.py --quick    # fewer repeats, sizes up to 1,000
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.act.dialogue import Context  # noqa: E402
from assistant.understand.command import Command  # noqa: E402
from assistant.understand import engine  # noqa: E402
from assistant.understand.engine import Understander  # noqa: E402
from assistant.pipeline import Assistant, load_intent_set  # noqa: E402
from assistant.act.resolve import Resolver  # noqa: E402
from assistant.resources import demo_home_path, intents_dir  # noqa: E402
from assistant.testing.sentences import DEFAULT_NOW, find_test_files, load_test_file  # noqa: E402
from assistant.app import Options, Wiring, build  # noqa: E402
from assistant.yamlfile import load_yaml  # noqa: E402

TESTS = intents_dir("en") / "tests"


@dataclass
class Case:
    text: str
    want: list[dict] | None  # [{intent, targets?}] or None for a sentence to reject
    room: str | None = None
    setup: tuple[str, ...] = ()


def sentence_sets() -> dict[str, list[Case]]:
    sets: dict[str, list[Case]] = {"positive": [], "noise": [], "reject": []}
    for path in find_test_files([TESTS]):
        name = "reject" if path.name.startswith("reject") else "noise" if path.name.startswith("asr_noise") else "positive"
        for item in load_test_file(path).items:
            if len(item.turns) != 1 or item.turns[0][0].startswith("audio:") or item.home:
                continue
            text, expect = item.turns[0]
            if expect.reject:
                sets["reject"].append(Case(text, None, item.room, tuple(item.setup)))
            elif expect.commands or expect.intent:
                want = expect.commands or [{"intent": expect.intent, "targets": expect.targets}]
                sets[name].append(Case(text, want, item.room, tuple(item.setup)))
    return sets


# -- hassil on our templates ----------------------------------------------------------------------


def hassil_intents():
    """Our intent files, merged into one dict, as hassil reads them."""
    from hassil import Intents

    merged: dict[str, Any] = {"language": "en", "intents": {}, "lists": {}, "expansion_rules": {}, "skip_words": []}
    for path in sorted(intents_dir("en").glob("*.yaml")):
        raw = load_yaml(path) or {}
        for intent, spec in (raw.get("intents") or {}).items():
            merged["intents"].setdefault(intent, {"data": []})["data"].extend(
                {"sentences": list(d["sentences"]), "slots": dict(d.get("slots") or {})} for d in spec["data"]
            )
        for name, spec in (raw.get("lists") or {}).items():
            merged["lists"][name] = _hassil_list(_plain(spec))
        merged["expansion_rules"].update({k: str(v) for k, v in (raw.get("expansion_rules") or {}).items()})
        merged["skip_words"].extend(str(w) for w in raw.get("skip_words") or [])
    return Intents.from_dict(merged)


def _hassil_list(spec: dict) -> dict:
    """Our lists as hassil has them: a range in half steps is whole steps with halves allowed; a colour
    is a list of the CSS colour names; a duration (parsed by code, not listed) a wildcard."""
    if isinstance(spec, dict) and spec.get("kind") == "color":
        import webcolors

        return {"values": sorted(webcolors.names("css3"))}
    if isinstance(spec, dict) and spec.get("kind"):
        return {"wildcard": True}
    span = spec.get("range") if isinstance(spec, dict) else None
    if isinstance(span, dict) and float(span.get("step", 1)) == 0.5:
        span = {**{k: v for k, v in span.items() if k != "step"}, "fractions": "halves"}
        return {**spec, "range": span}
    if isinstance(spec, dict) and isinstance(spec.get("values"), list):  # hassil reads a bare value as text only
        return {**spec, "values": [str(v) if isinstance(v, (int, float)) else v for v in spec["values"]]}
    return spec


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def hassil_lists(lists: dict) -> dict:
    from hassil.intents import TextSlotList

    return {
        name: TextSlotList.from_tuples(((" ".join(words), value) for words, value in slot_list.values),
                                       allow_template=False, name=name)
        for name, slot_list in lists.items()
    }


def hassil_matcher(intents, slot_lists) -> Callable[[str], list[Command]]:
    from hassil import recognize_best

    def match(text: str) -> list[Command]:
        result = recognize_best(text, intents, slot_lists=slot_lists, best_slot_name="name")
        if result is None:
            return []
        slots = {name: entity.value for name, entity in result.entities.items()}
        return [Command(result.intent.name, slots, 1.0, "rule", text)]

    return match


def our_parse(assistant: Assistant) -> Callable[[str], list[Command]]:
    """What a user gets: matching, context, completion and target resolution (`command.targets`)."""
    return assistant.parse


def our_matcher(understander: Understander) -> Callable[[str], list[Command]]:
    def match(text: str) -> list[Command]:
        result = understander.understand(text)
        return result.commands

    return match


def accepted_by_us(understander: Understander, text: str) -> bool:
    result = understander.understand(text)
    return bool(result.commands or result.ambiguous)


# -- measuring ------------------------------------------------------------------------------------


def timed(match: Callable[[str], list[Command]], text: str, repeats: int) -> tuple[list[Command], float]:
    best = float("inf")
    commands: list[Command] = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        commands = match(text)
        best = min(best, time.perf_counter_ns() - start)
    return commands, best / 1e6


def right(commands: list[Command], want: list[dict], targets_of: Callable[[Command], list[str]]) -> bool:
    """Intents (in order) and, where the test names them, target devices, as the sentence-test runner compares them."""
    if len(commands) != len(want):
        return False
    for command, expected in zip(commands, want):
        if command.intent != expected["intent"]:
            return False
        if expected.get("targets") is not None and sorted(targets_of(command)) != sorted(expected["targets"]):
            return False
    return True


def resolved_by(resolver: Resolver, context: list[str]) -> Callable[[Command], list[str]]:
    """Targets of a bare match (ours alone, or hassil's), found by our resolver with the dialogue context."""
    return lambda command: [d.id for d in resolver.resolve(command, context).devices]


def parsed_targets(command: Command) -> list[str]:
    return command.targets


def fixed_clock() -> None:
    """The sentence-test runner's clock and time zone, so timers, times and context expiry behave the same."""
    os.environ["ASSISTANT_NOW"] = repr(DEFAULT_NOW)
    os.environ["TZ"] = "UTC"
    time.tzset()


def demo_assistant() -> tuple[Assistant, Path]:
    """The demo home as `assistant test` builds it: shipped intents, a throw-away state file."""
    tmp = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    assistant = build(home=demo_home_path(), state=tmp / "state.json", durable=False)
    assistant.default_room = assistant.home.room
    return assistant, tmp


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


ENGINES = ("ours", "matcher", "hassil")  # ours = Assistant.parse; matcher = Understander alone


def evaluate(sets: dict[str, list[Case]], repeats: int) -> tuple[dict, dict, dict]:
    """Accuracy per set and per-sentence times for each engine on the demo home."""
    fixed_clock()
    assistant, tmp = demo_assistant()
    home, understander = assistant.home, assistant.planner.understander
    engines = {"ours": our_parse(assistant), "matcher": our_matcher(understander),
               "hassil": hassil_matcher(hassil_intents(), hassil_lists(understander.index.lists))}
    composer = understander.composer
    times_compose: list[float] = []
    default_room = home.room
    accuracy: dict[str, dict[str, tuple[int, int]]] = {e: {} for e in engines}
    times: dict[str, list[float]] = {e: [] for e in engines}
    by_set: dict[tuple[str, str], list[float]] = {}
    for set_name, cases in sets.items():
        for engine_name in engines:
            accuracy[engine_name][set_name] = (0, len(cases))
        for case in cases:
            (tmp / "state.json").unlink(missing_ok=True)
            home.room = case.room or default_room
            for sentence in case.setup:
                assistant.handle(sentence)
            context = Context.load(assistant.store).devices
            tokens = understander.tokens(case.text)
            times_compose.append(timed(lambda _: [composer.compose(tokens)], case.text, repeats)[1])
            for engine_name, match in engines.items():
                commands, ms = timed(match, case.text, repeats)
                times[engine_name].append(ms)
                by_set.setdefault((engine_name, set_name), []).append(ms)
                if case.want is None:  # ours also refuses to guess when it would ask a question back
                    asks = engine_name != "hassil" and bool(understander.understand(case.text).ambiguous)
                    ok = not (commands or asks)
                else:
                    targets_of = parsed_targets if engine_name == "ours" else resolved_by(assistant.planner.resolver, context)
                    ok = right(commands, case.want, targets_of)
                good, total = accuracy[engine_name][set_name]
                accuracy[engine_name][set_name] = (good + ok, total)
    assistant.close()
    times["compose"] = times_compose
    return accuracy, times, by_set


def threshold_table(sets: dict[str, list[Case]]) -> list[tuple[float, float, float]]:
    """Noise right and rejections accepted for a range of fuzzy thresholds (how ACCEPT was chosen)."""
    fixed_clock()
    assistant, _ = demo_assistant()
    understander = assistant.planner.understander
    saved = engine.ACCEPT
    rows = []
    try:
        for threshold in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
            engine.ACCEPT = threshold
            noise = [c for c in sets["noise"] if not c.setup]
            good = 0
            for c in noise:
                assistant.home.room = c.room or assistant.default_room
                good += right(assistant.parse(c.text), c.want, parsed_targets)
            assistant.home.room = assistant.default_room
            total = len(noise)
            accepted = sum(bool(assistant.parse(c.text)) or accepted_by_us(understander, c.text) for c in sets["reject"])
            rows.append((threshold, good / max(1, total), accepted / max(1, len(sets["reject"]))))
    finally:
        engine.ACCEPT = saved
    return rows


# -- scaling with the size of the home --------------------------------------------------------------

ADJECTIVES = ("amber azure bright calm cosy crimson dusky east golden green grey ivory jade lemon lilac maple misty "
              "north olive pearl quiet rose ruby sage silver snowy south sunny teal velvet west white willow birch "
              "cedar coral ember fern frost hazel indigo mint plum rust slate sand moss ochre dawn dune").split()
PLACES = "corner window table wall floor shelf desk porch garden attic".split()
THINGS = {"lamp": "light", "light": "light", "bulb": "light", "strip": "light", "spot": "light", "lantern": "light",
          "sconce": "light", "pendant": "light", "fan": "fan", "tv": "tv", "speaker": "speaker", "plug": "switch",
          "socket": "switch", "panel": "light", "glow": "light", "beam": "light", "torch": "light", "shade": "light",
          "globe": "light", "stick": "light"}


def generated_home(devices: int, directory: Path) -> tuple[Path, list[str]]:
    names = [" ".join(p) for p in itertools.product(ADJECTIVES, PLACES, THINGS)][:devices]
    rooms = [f"  - {{id: room{r}, name: {ADJECTIVES[r]} room}}" for r in range(min(50, max(1, devices // 10)))]
    lines = ["rooms:", *rooms, "devices:"]
    for i, name in enumerate(names):
        lines.append(f"  - {{id: d{i}, name: {name}, type: {THINGS[name.split()[-1]]}, room: room{i % len(rooms)}}}")
    path = directory / f"home-{devices}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path, names


def one_letter(word: str, rng: random.Random) -> str:
    i = rng.randint(1, len(word) - 2)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def scaling(sizes: list[int], sentences: int, reject: list[str], repeats: int) -> list[dict]:
    """Per home size and engine: set-up time, per-sentence times and share right on generated commands."""
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    intents = load_intent_set("en")
    h_intents = hassil_intents()
    for size in sizes:
        path, names = generated_home(size, tmp)
        start = time.perf_counter()
        assistant = Wiring(Options(home=path, state=tmp / f"state-{size}.json", durable=False)).assistant(intents)
        home = assistant.home
        ids = {device.name: device.id for device in home.devices.values()}
        assistant.planner.understander.fuzzy  # noqa: B018 - built on first need; counted as set-up here
        ours_build = time.perf_counter() - start
        start = time.perf_counter()
        h_lists = hassil_lists(assistant.planner.lists)
        hassil_build = time.perf_counter() - start
        rng = random.Random(size)
        chosen = [rng.choice(names) for _ in range(sentences)]
        clean = [(f"turn on the {n}", n) for n in chosen]
        damaged = []
        for n in chosen:
            words = n.split()
            i = max(range(len(words)), key=lambda j: len(words[j]))
            words[i] = one_letter(words[i], rng)
            damaged.append((f"turn on the {' '.join(words)}", n))
        engines = {"ours": our_parse(assistant), "matcher": our_matcher(assistant.planner.understander),
                   "hassil": hassil_matcher(h_intents, h_lists)}
        builds = {"ours": ours_build, "matcher": ours_build, "hassil": hassil_build}
        for engine_name, match in engines.items():
            row: dict[str, Any] = {"devices": size, "engine": engine_name, "build": builds[engine_name]}
            times: dict[str, list[float]] = {"clean": [], "damaged": [], "reject": []}
            for label, cases in (("clean", clean), ("damaged", damaged)):
                good = 0
                for text, name in cases:
                    commands, ms = timed(match, text, repeats)
                    times[label].append(ms)
                    if engine_name == "ours":
                        good += len(commands) == 1 and commands[0].targets == [ids[name]]
                    else:
                        good += len(commands) == 1 and commands[0].slots.get("name") == name
                row[label] = good / len(cases)
            for text in reject:
                times["reject"].append(timed(match, text, repeats)[1])
            for label, values in times.items():
                row[f"{label} ms"] = (statistics.median(values), percentile(values, 99))
            rows.append(row)
        assistant.close()
    return rows


# -- report ------------------------------------------------------------------------------------------


LABELS = {"ours": "ours: `Assistant.parse` (what a user gets)", "matcher": "ours: matcher alone (`Understander`)",
          "hassil": "hassil strict (`recognize_best`)"}
SET_LABELS = {"positive": "positive", "noise": "ASR noise (generated)", "reject": "rejection (not accepted)"}


def report(args) -> str:
    import hassil

    sets = sentence_sets()
    load = os.getloadavg()
    started = time.perf_counter()
    accuracy, times, by_set = evaluate(sets, args.repeats)
    sizes = [10, 100, 1000] if args.quick else [10, 100, 1000, 10000]
    rows = scaling(sizes, args.sentences, [c.text for c in sets["reject"]][:40], args.repeats)
    thresholds = threshold_table(sets)
    seconds = time.perf_counter() - started
    load_after = os.getloadavg()

    def share(engine_name: str, set_name: str) -> str:
        good, total = accuracy[engine_name][set_name]
        return f"{good / max(1, total):.1%}"

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):.3f} / {percentile(values, 99):.3f}"

    out = ["## Intent matching", "",
           f"Command: `.venv/bin/python benchmarks/intent_matching.py{' --quick' if args.quick else ''} --write` "
           f"(hassil {getattr(hassil, '__version__', '') or _version('hassil')}, all engines in one process, one run). "
           "Our templates are loaded into hassil with `Intents.from_dict`, our home lists become hassil slot lists. "
           "**Ours** is scored through `Assistant.parse(text)` on the demo home, built as `assistant test` builds it "
           "(shipped intents, throw-away state, the runner's fixed clock, each case's room and set-up sentences): "
           "matching, then follow-ups from the dialogue context, completion of \"set X to 50\" into the right set_* "
           "intent, twin intents and target resolution. That is more work than matching, so **our matcher alone** "
           "(`Understander.understand`, its commands resolved by our resolver afterwards, untimed) is given too. "
           "hassil's result is resolved to devices by our resolver (untimed), so \"right\" means the same for all. "
           f"Times: the call that turns text into commands, best of {args.repeats} runs per sentence.", "",
           f"Machine: 2 cores, shared with other benchmarks running at the same time (load average "
           f"{load[0]:.2f} at the start, {load_after[0]:.2f} at the end of the {seconds / 60:.0f}-minute run), so "
           "absolute times move between runs; the ratios below come from one run in one process.", "",
           "Accuracy on the shipped sentence tests (single-turn cases of `intents/en/tests`, demo home): intent and "
           "targets right; for the rejection set, the share correctly not accepted (ours counts a clarifying "
           "question, near-equal fuzzy readings, as accepted).", "",
           f"| set | sentences | {LABELS['ours']} | {LABELS['matcher']} | {LABELS['hassil']} |",
           "|---|---:|---:|---:|---:|"]
    for set_name in ("positive", "noise", "reject"):
        total = accuracy["ours"][set_name][1]
        out.append(f"| {SET_LABELS[set_name]} | {total} | {share('ours', set_name)} | {share('matcher', set_name)} | "
                   f"{share('hassil', set_name)} |")
    out += ["", "The runner (`assistant test intents/en/tests/asr_noise.yaml`) also checks slots, replies and states "
            "where a case names them, so its pass rate can differ slightly from the intent+targets figure here.", "",
            "hassil is measured strict only: its fuzzy fallback (`hassil.fuzzy.FuzzyNgramMatcher`, in some 3.x "
            "releases such as 3.2.0) is not in the release used here, and it scores sentences with n-gram models "
            "built beforehand from a template set (Home Assistant ships ones built from its own intents); none "
            "exist for our templates, so it cannot be run on the same templates.", ""]
    o, m, h = times["ours"], times["matcher"], times["hassil"]
    out += ["Time per sentence over all sets (ms):", "",
            "| engine | median | p99 |", "|---|---:|---:|",
            f"| {LABELS['ours']} | {statistics.median(o):.3f} | {percentile(o, 99):.3f} |",
            f"| {LABELS['matcher']} | {statistics.median(m):.3f} | {percentile(m, 99):.3f} |",
            f"| {LABELS['hassil']} | {statistics.median(h):.3f} | {percentile(h, 99):.3f} |",
            f"| ratio hassil / ours (parse) | {statistics.median(h) / statistics.median(o):.2f}x | "
            f"{percentile(h, 99) / percentile(o, 99):.2f}x |",
            f"| ratio hassil / ours (matcher) | {statistics.median(h) / statistics.median(m):.2f}x | "
            f"{percentile(h, 99) / percentile(m, 99):.2f}x |",
            f"| parse overhead over the matcher | {statistics.median(o) - statistics.median(m):+.3f} ms | |",
            f"| the stage that reads a command from its parts alone (`Composer.compose`, on every sentence) | "
            f"{statistics.median(times['compose']):.3f} | {percentile(times['compose'], 99):.3f} |", "",
            "A ratio above 1 means ours is faster. Per set (ms, median / p99): the positive set is what the rules "
            "match; on the noise and rejection sets ours runs the fuzzy search when the rules fail, which strict "
            "hassil does not do.", "",
            "| set | ours (parse) | ours (matcher) | hassil |", "|---|---:|---:|---:|"]
    for set_name in ("positive", "noise", "reject"):
        out.append(f"| {set_name} | {ms(by_set[('ours', set_name)])} | {ms(by_set[('matcher', set_name)])} | "
                   f"{ms(by_set[('hassil', set_name)])} |")
    out += ["", "How ACCEPT (the fuzzy threshold) was chosen: ASR-noise right (cases without set-up sentences) vs "
            "rejection set accepted, both through `Assistant.parse`:", "",
            "| threshold | noise right | reject accepted |", "|---:|---:|---:|"]
    out += [f"| {t:.2f}{' (used)' if t == engine.ACCEPT else ''} | {n:.1%} | {r:.1%} |" for t, n, r in thresholds]
    out += ["", f"Scaling with the size of a generated home ({args.sentences} commands naming a random device, the "
            "same with a one-letter error in the longest name word, and 40 rejection sentences). Set-up: ours = "
            "building the `Assistant` (lists, matcher, fuzzy index, resolver), hassil = building its slot lists. "
            "Times in ms as median / p99; clean commands are matched by the rules, damaged ones and rejections go "
            "through our fuzzy search. Right: ours (parse) must resolve to exactly the named device; the matcher "
            "and hassil must return the device's name in the `name` slot.", "",
            "| devices | engine | set-up s | clean | damaged | reject | right clean / damaged |",
            "|---:|---|---:|---:|---:|---:|---:|"]

    def pair(p: tuple[float, float]) -> str:
        return f"{p[0]:.3f} / {p[1]:.3f}"

    for r in rows:
        out.append(f"| {r['devices']:,} | {r['engine']} | {r['build']:.2f} | {pair(r['clean ms'])} | "
                   f"{pair(r['damaged ms'])} | {pair(r['reject ms'])} | {r['clean']:.0%} / {r['damaged']:.0%} |")
    out += ["", "Ratio hassil / ours (parse), medians, per home size:", "",
            "| devices | clean | damaged | reject |", "|---:|---:|---:|---:|"]
    by_key = {(r["devices"], r["engine"]): r for r in rows}
    for size in sizes:
        h_row, o_row = by_key[(size, "hassil")], by_key[(size, "ours")]
        out.append(f"| {size:,} | " + " | ".join(
            f"{h_row[k + ' ms'][0] / o_row[k + ' ms'][0]:.2f}x" for k in ("clean", "damaged", "reject")) + " |")
    return "\n".join(out) + "\n"


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def write_section(text: str, path: Path) -> None:
    """Replace (or add) the "## Intent matching" section of BENCHMARKS.md."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start = current.find("## Intent matching")
    if start < 0:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        end = current.find("\n## ", start + 1)
        updated = current[:start] + text.rstrip("\n") + "\n" + ("\n" + current[end + 1 :] if end >= 0 else "")
    path.write_text(updated, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Intent matching: ours vs hassil.")
    parser.add_argument("--write", action="store_true", help="write the section into BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true", help="sizes up to 1,000 devices, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=40, help="commands per home size")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 1
    text = report(args)
    print(text)
    if args.write:
        write_section(text, REPO / "BENCHMARKS.md")


if __name__ == "__main__":
    main()
