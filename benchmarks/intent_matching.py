"""Intent matching: our rule + fuzzy engine against hassil, same process, same templates, same sentences.

Our intent YAML files are loaded into hassil as they are (`Intents.from_dict` on the merged files,
our home's {name}/{area}/{floor}/{type}/{scene} lists as hassil slot lists), so both match the
same templates. Both engines' results are resolved to devices by our resolver, so "intent+targets
right" means the same thing for both. Only the matching call is timed.

    .venv/bin/python benchmarks/intent_matching.py            # prints the report
    .venv/bin/python benchmarks/intent_matching.py --write    # and writes it into BENCHMARKS.md
    .venv/bin/python benchmarks/intent_matching.py --quick    # fewer repeats, sizes up to 1,000
"""

from __future__ import annotations

import argparse
import itertools
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

from assistant.dialogue import Context  # noqa: E402
from assistant.command import Command  # noqa: E402
from assistant.home import load_home  # noqa: E402
from assistant.nlu import engine  # noqa: E402
from assistant.nlu.engine import Understander  # noqa: E402
from assistant.pipeline import Assistant, load_intent_set  # noqa: E402
from assistant.resolve import Resolver, home_lists  # noqa: E402
from assistant.resources import demo_home_path, intents_dir  # noqa: E402
from assistant.sentence_tests import find_test_files, load_test_file  # noqa: E402
from assistant.state import StateStore  # noqa: E402
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


def right(commands: list[Command], want: list[dict], resolver: Resolver, context: list[str]) -> bool:
    if len(commands) != len(want):
        return False
    for command, expected in zip(commands, want):
        if command.intent != expected["intent"]:
            return False
        if expected.get("targets") is not None:
            targets = [d.id for d in resolver.resolve(command, context).devices]
            if sorted(targets) != sorted(expected["targets"]):
                return False
    return True


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def evaluate(sets: dict[str, list[Case]], repeats: int) -> tuple[dict, dict]:
    """Accuracy per set and per-sentence times for both engines on the demo home."""
    home = load_home(demo_home_path())
    tmp = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    assistant = Assistant(home, StateStore(tmp / "state.json"), load_intent_set("en"))
    understander = assistant.understander
    engines = {"ours": our_matcher(understander), "hassil": hassil_matcher(hassil_intents(), hassil_lists(understander.index.lists))}
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
            for engine_name, match in engines.items():
                commands, ms = timed(match, case.text, repeats)
                times[engine_name].append(ms)
                by_set.setdefault((engine_name, set_name), []).append(ms)
                if case.want is None:
                    ok = not (accepted_by_us(understander, case.text) if engine_name == "ours" else commands)
                else:
                    ok = right(commands, case.want, assistant.resolver, context)
                good, total = accuracy[engine_name][set_name]
                accuracy[engine_name][set_name] = (good + ok, total)
    assistant.close()
    return accuracy, times, by_set


def threshold_table(sets: dict[str, list[Case]]) -> list[tuple[float, float, float]]:
    """Noise right and rejections accepted for a range of fuzzy thresholds (how ACCEPT was chosen)."""
    home = load_home(demo_home_path())
    tmp = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    assistant = Assistant(home, StateStore(tmp / "state.json"), load_intent_set("en"))
    understander = assistant.understander
    saved = engine.ACCEPT
    rows = []
    try:
        for threshold in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
            engine.ACCEPT = threshold
            good = sum(
                right(understander.understand(c.text).commands, c.want, assistant.resolver, [])
                for c in sets["noise"] if not c.setup
            )
            total = sum(1 for c in sets["noise"] if not c.setup)
            accepted = sum(accepted_by_us(understander, c.text) for c in sets["reject"])
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
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    intents = load_intent_set("en")
    h_intents = hassil_intents()
    for size in sizes:
        path, names = generated_home(size, tmp)
        home = load_home(path)
        start = time.perf_counter()
        lists = home_lists(home)
        understander = Understander(intents, lists)
        understander.fuzzy  # noqa: B018 - built on first need; counted as set-up here
        ours_build = time.perf_counter() - start
        start = time.perf_counter()
        h_lists = hassil_lists(lists)
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
        engines = {"ours": our_matcher(understander), "hassil": hassil_matcher(h_intents, h_lists)}
        row: dict[str, Any] = {"devices": size, "ours build": ours_build, "hassil build": hassil_build}
        for engine_name, match in engines.items():
            times: dict[str, list[float]] = {"clean": [], "damaged": [], "reject": []}
            for label, cases in (("clean", clean), ("damaged", damaged)):
                good = 0
                for text, name in cases:
                    commands, ms = timed(match, text, repeats)
                    times[label].append(ms)
                    good += len(commands) == 1 and commands[0].slots.get("name") == name
                row[f"{engine_name} {label}"] = good / len(cases)
            for text in reject:
                times["reject"].append(timed(match, text, repeats)[1])
            for label, values in times.items():
                row[f"{engine_name} {label} ms"] = (statistics.median(values), percentile(values, 99))
        rows.append(row)
    return rows


# -- report ------------------------------------------------------------------------------------------


def report(args) -> str:
    import hassil

    sets = sentence_sets()
    accuracy, times, by_set = evaluate(sets, args.repeats)
    out = ["## Intent matching", "",
           f"Command: `.venv/bin/python benchmarks/intent_matching.py{' --quick' if args.quick else ''} --write` "
           f"(hassil {getattr(hassil, '__version__', '') or _version('hassil')}, same process, our templates loaded "
           "into hassil with `Intents.from_dict`, our home lists as hassil slot lists, both engines' results resolved "
           "to devices by our resolver; only the matching call is timed, best of "
           f"{args.repeats} runs per sentence). 2-core machine.", "",
           "Accuracy on the shipped sentence tests (demo home): intent and targets right; for the rejection set, "
           "the share correctly not accepted. Ours counts a clarifying question (near-equal fuzzy readings) "
           "as accepted.", "",
           "| set | sentences | ours | hassil (strict) |", "|---|---:|---:|---:|"]
    for set_name in ("positive", "noise", "reject"):
        good_o, total = accuracy["ours"][set_name]
        good_h, _ = accuracy["hassil"][set_name]
        label = {"positive": "positive", "noise": "ASR noise (generated)", "reject": "rejection (not accepted)"}[set_name]
        out.append(f"| {label} | {total} | {good_o / max(1, total):.1%} | {good_h / max(1, total):.1%} |")
    reject_total = accuracy["ours"]["reject"][1]
    out += ["", f"Accepted out-of-scope sentences: ours {1 - accuracy['ours']['reject'][0] / max(1, reject_total):.1%}, "
            f"hassil {1 - accuracy['hassil']['reject'][0] / max(1, reject_total):.1%}. "
            "This hassil version has no fuzzy mode (its `recognize` has strict matching and "
            "`allow_unmatched_entities` only), so only strict hassil is measured.", ""]
    o, h = times["ours"], times["hassil"]
    out += ["Time per sentence over all sets (ms):", "",
            "| engine | median | p99 |", "|---|---:|---:|",
            f"| ours (rules, fuzzy when rules fail) | {statistics.median(o):.3f} | {percentile(o, 99):.3f} |",
            f"| hassil strict | {statistics.median(h):.3f} | {percentile(h, 99):.3f} |",
            f"| ratio hassil / ours | {statistics.median(h) / statistics.median(o):.1f}x | "
            f"{percentile(h, 99) / percentile(o, 99):.1f}x |", "",
            "Per set (ms, median / p99): the positive set is what the rules match; on the noise and rejection "
            "sets ours runs the fuzzy search when the rules fail, which hassil does not do.", "",
            "| set | ours | hassil |", "|---|---:|---:|"]
    for set_name in ("positive", "noise", "reject"):
        o_set, h_set = by_set[("ours", set_name)], by_set[("hassil", set_name)]
        out.append(f"| {set_name} | {statistics.median(o_set):.3f} / {percentile(o_set, 99):.3f} | "
                   f"{statistics.median(h_set):.3f} / {percentile(h_set, 99):.3f} |")
    out += [""]
    out += ["How ACCEPT (the fuzzy threshold) was chosen: ASR-noise right vs rejection set accepted:", "",
            "| threshold | noise right | reject accepted |", "|---:|---:|---:|"]
    out += [f"| {t:.2f}{' (used)' if t == engine.ACCEPT else ''} | {n:.1%} | {r:.1%} |" for t, n, r in threshold_table(sets)]
    sizes = [10, 100, 1000] if args.quick else [10, 100, 1000, 10000]
    rows = scaling(sizes, args.sentences, [c.text for c in sets["reject"]][:40], args.repeats)
    out += ["", f"Scaling with the size of a generated home ({args.sentences} commands naming a random device, the "
            "same with a one-letter error in the longest name word, and 40 rejection sentences; "
            "set-up = building lists and matchers; ",
            "times in ms as median / p99; clean commands are matched by the rules, damaged ones and rejections "
            "go through our fuzzy search):", "",
            "| devices | set-up s ours / hassil | clean: ours | clean: hassil | damaged: ours | damaged: hassil | "
            "reject: ours | reject: hassil | right clean / damaged: ours | hassil |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def ms(pair: tuple[float, float]) -> str:
        return f"{pair[0]:.3f} / {pair[1]:.3f}"

    for r in rows:
        out.append(f"| {r['devices']:,} | {r['ours build']:.2f} / {r['hassil build']:.2f} | "
                   f"{ms(r['ours clean ms'])} | {ms(r['hassil clean ms'])} | {ms(r['ours damaged ms'])} | "
                   f"{ms(r['hassil damaged ms'])} | {ms(r['ours reject ms'])} | {ms(r['hassil reject ms'])} | "
                   f"{r['ours clean']:.0%} / {r['ours damaged']:.0%} | {r['hassil clean']:.0%} / {r['hassil damaged']:.0%} |")
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
        updated = current[:start] + text + (current[end + 1 :] if end >= 0 else "")
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
