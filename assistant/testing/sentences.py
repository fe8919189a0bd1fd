"""Sentence tests: YAML files of sentences (or recordings) with what must come of them.

    min_pass: 0.9          # optional: the file passes when at least this share of its items pass
    home: homes/korean.yaml  # optional: the home of every item (relative to the test file); a case may set its own
    now: 1767261600        # optional: the clock (epoch seconds) for every item; a case may set its own
    tests:
      - sentences: ["turn on the floor lamp"]
        intent: turn_on                 # the single command's intent
        slots: {name: floor lamp}       # these slots with these values (others may be there too)
        targets: [floor_lamp]           # exactly these target devices
        reply: "Turned on the floor lamp."
        state: {floor_lamp: {power: true}}   # these device states afterwards
        setup: ["turn on the kitchen light"] # said first
        room: bedroom                   # the assistant's room
        home: other_home.yaml           # relative to the test file; default: the demo home
      - sentences: ["turn off the tv and close the curtains"]
        commands: [{intent: turn_off, targets: [living_room_tv]}, {intent: close, targets: [...]}]
      - sentences: ["what is the meaning of life"]
        reject: true                    # not understood: no command, no question back, nothing changes
      - audio: recordings/lamp.wav      # instead of sentences: transcribed first
        intent: turn_on
    dialogues:
      - name: clarify which lamp
        room: study
        turns:
          - {say: "turn on the lamp", reply: "Which lamp: ...?"}
          - {say: "the floor lamp", state: {floor_lamp: {power: true}}}

Every item (one sentence of a case, or one dialogue) runs through the real pipeline on a fresh
state file in a private temporary directory, never the user's, with a fixed clock.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn

from assistant.errors import AssistantError
from assistant.yamlfile import YamlError, line_of, load_yaml

DEFAULT_NOW = 1767261600.0  # 2026-01-01 10:00 UTC: tests never depend on the real clock
CASE_KEYS = {"sentences", "audio", "intent", "slots", "targets", "reply", "state", "setup", "room", "home",
             "commands", "reject", "now"}
TURN_KEYS = {"say", "audio", "intent", "slots", "targets", "reply", "state", "commands", "reject"}


class SentenceTestError(AssistantError):
    """A sentence test file is malformed; the message names the file and line."""

    exit_code = 2


@dataclass
class Expect:
    """What must come of one utterance."""

    intent: str | None = None
    slots: dict[str, Any] | None = None
    targets: list[str] | None = None
    reply: str | None = None
    state: dict[str, dict[str, Any]] | None = None
    commands: list[dict[str, Any]] | None = None
    reject: bool = False


@dataclass
class Item:
    """One runnable test: one sentence of a case, or a whole dialogue."""

    file: Path
    line: int
    label: str
    turns: list[tuple[str, Expect]]  # (text or "audio:PATH", expectation)
    setup: list[str] = field(default_factory=list)
    room: str | None = None
    home: Path | None = None
    now: float = DEFAULT_NOW

    @property
    def id(self) -> str:
        return f"{self.file.name}:{self.line}:{self.label}"


@dataclass
class TestFile:
    path: Path
    items: list[Item]
    min_pass: float | None = None


@dataclass
class Outcome:
    item: Item
    passed: bool
    problems: list[str] = field(default_factory=list)
    error: bool = False  # could not run (e.g. no transcriber for an audio case)


def find_test_files(paths: list[Path]) -> list[Path]:
    """YAML files named, and every *.yaml under directories named (except home files in `homes/`), sorted."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file() and "homes" not in p.relative_to(path).parts))
        elif path.exists():
            found.append(path)
        else:
            raise SentenceTestError(f"{path}: no such file or directory")
    return found


def load_test_file(path: Path) -> TestFile:
    try:
        raw = load_yaml(path)
    except YamlError as exc:
        raise SentenceTestError(f"test file {exc}") from None
    fail = _failure(path)
    if raw is None:
        return TestFile(path, [])
    if not isinstance(raw, dict):
        fail(raw, None, "expected a mapping with 'tests' and/or 'dialogues'")
    unknown = set(raw) - {"tests", "dialogues", "min_pass", "now", "language", "home"}
    if unknown:
        fail(raw, sorted(unknown)[0], f"unknown key '{sorted(unknown)[0]}' (allowed: tests, dialogues, home, min_pass, now)")
    file_now = _number(raw.get("now", DEFAULT_NOW), lambda m: fail(raw, "now", m))
    min_pass = raw.get("min_pass")
    if min_pass is not None:
        min_pass = _number(min_pass, lambda m: fail(raw, "min_pass", m))
    items = _case_items(path, raw, file_now, fail)
    items += _dialogue_items(path, raw, file_now, fail)
    return TestFile(path, items, min_pass)


def _failure(path: Path) -> Callable[[Any, Any, str], NoReturn]:
    """How a malformed part of the test file at `path` is reported: its file, line and what is wrong."""

    def fail(container: Any, key: Any, message: str) -> NoReturn:
        line = line_of(container, key)
        raise SentenceTestError(f"{path}{':' + str(line) if line else ''}: {message}")

    return fail


def _case_items(path: Path, raw: dict, file_now: float, fail) -> list[Item]:
    """The items of the file's `tests`: one per sentence of a case, or one for its recording."""
    items: list[Item] = []
    cases = raw.get("tests") or []
    if not isinstance(cases, list):
        fail(raw, "tests", "'tests' must be a list of cases")
    for i, case in enumerate(cases):
        if not isinstance(case, dict):
            fail(cases, i, "each test case must be a mapping")
        bad = set(case) - CASE_KEYS
        if bad:
            key = sorted(bad)[0]
            fail(case, key, f"unknown key '{key}' in a test case (allowed: {', '.join(sorted(CASE_KEYS))})")
        expect = _expect(case, lambda k, m, c=case: fail(c, k, m))
        line = line_of(cases, i) or 0
        common = dict(
            setup=_strings(case.get("setup", []), lambda m, c=case: fail(c, "setup", m)),
            room=case.get("room"),
            home=_home(path, case.get("home") or raw.get("home")),
            now=_number(case.get("now", file_now), lambda m, c=case: fail(c, "now", m)),
        )
        if "audio" in case:
            audio = path.parent / str(case["audio"])
            items.append(Item(path, line, f"audio {case['audio']}", [(f"audio:{audio}", expect)], **common))
            continue
        sentences = _strings(case.get("sentences"), lambda m, c=case: fail(c, "sentences", m))
        if not sentences:
            fail(case, "sentences", "a test case needs 'sentences' (a list of text) or 'audio'")
        for sentence in sentences:
            items.append(Item(path, line, sentence, [(sentence, expect)], **common))
    return items


def _dialogue_items(path: Path, raw: dict, file_now: float, fail) -> list[Item]:
    """The items of the file's `dialogues`: one per dialogue, its turns in order."""
    items: list[Item] = []
    dialogues = raw.get("dialogues") or []
    if not isinstance(dialogues, list):
        fail(raw, "dialogues", "'dialogues' must be a list")
    for i, dialogue in enumerate(dialogues):
        if not isinstance(dialogue, dict) or not isinstance(dialogue.get("turns"), list) or not dialogue["turns"]:
            fail(dialogues, i, "a dialogue needs 'turns: [{say: ...}, ...]'")
        items.append(Item(
            path, line_of(dialogues, i) or 0, str(dialogue.get("name", f"dialogue {i + 1}")),
            _turns(path, dialogue["turns"], fail),
            room=dialogue.get("room"),
            home=_home(path, dialogue.get("home") or raw.get("home")),
            now=_number(dialogue.get("now", file_now), lambda m, d=dialogue: fail(d, "now", m)),
        ))
    return items


def _turns(path: Path, raw_turns: list, fail) -> list[tuple[str, Expect]]:
    turns = []
    for j, turn in enumerate(raw_turns):
        if not isinstance(turn, dict) or not ("say" in turn or "audio" in turn):
            fail(raw_turns, j, "each turn needs 'say' (or 'audio')")
        bad = set(turn) - TURN_KEYS
        if bad:
            fail(turn, sorted(bad)[0], f"unknown key '{sorted(bad)[0]}' in a turn (allowed: {', '.join(sorted(TURN_KEYS))})")
        text = str(turn["say"]) if "say" in turn else f"audio:{path.parent / str(turn['audio'])}"
        turns.append((text, _expect(turn, lambda k, m, t=turn: fail(t, k, m))))
    return turns


def _home(test_file: Path, home: Any) -> Path | None:
    return test_file.parent / str(home) if home else None


def _number(value: Any, fail) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"expected a number, got {value!r}")
    return float(value)


def _strings(value: Any, fail) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        fail(f"expected a list of text, got {value!r}")
    return [str(v) for v in value]


def _expect(spec: dict, fail) -> Expect:
    expect = Expect(
        intent=spec.get("intent"), slots=spec.get("slots"), targets=spec.get("targets"), reply=spec.get("reply"),
        state=spec.get("state"), commands=spec.get("commands"), reject=bool(spec.get("reject", False)),
    )
    if expect.slots is not None and not isinstance(expect.slots, dict):
        fail("slots", "'slots' must be a mapping of slot: value")
    if expect.targets is not None and not isinstance(expect.targets, list):
        fail("targets", "'targets' must be a list of device ids")
    if expect.state is not None and not (
        isinstance(expect.state, dict) and all(isinstance(v, dict) for v in expect.state.values())
    ):
        fail("state", "'state' must map device ids to {property: value}")
    if expect.commands is not None and not (
        isinstance(expect.commands, list) and all(isinstance(c, dict) and "intent" in c for c in expect.commands)
    ):
        fail("commands", "'commands' must be a list of {intent, slots?, targets?}")
    if expect.reject and (expect.intent or expect.commands):
        fail("reject", "a rejected sentence cannot also expect an intent")
    return expect


# -- running ------------------------------------------------------------------------------------


class Runner:
    """Runs items through the real pipeline: one Assistant per home, a fresh state file per item."""

    def __init__(self, intents=None, home: Path | None = None, extra_intents: list[Path] | None = None):
        from assistant.resources import demo_home_path

        self.default_home = Path(home) if home else demo_home_path()
        self._intents = intents  # given: for every home; else each home's language's own
        self._by_language: dict[str, Any] = {}
        self._extra = extra_intents or []
        self._dir = Path(tempfile.mkdtemp(prefix="assistant-sentence-tests-"))
        self._state = self._dir / "state.json"
        self._assistants: dict[Path, Any] = {}

    def close(self) -> None:
        for assistant in self._assistants.values():
            assistant.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _assistant(self, home_path: Path):
        """One assistant per home, built as every command builds it; each language is compiled once."""
        from assistant.app import Options, Wiring

        home_path = home_path.resolve()
        if home_path not in self._assistants:
            wiring = Wiring(Options(home=home_path, state=self._state, intents=list(self._extra or []), durable=False))
            home = wiring.home()
            language = wiring.language(home)
            if language not in self._by_language:
                self._by_language[language] = self._intents or wiring.intents(home)
            assistant = wiring.assistant(self._by_language[language])
            assistant.default_room = assistant.home.room
            self._assistants[home_path] = assistant
        return self._assistants[home_path]

    def run(self, item: Item) -> Outcome:
        """Run one item at its fixed clock, in UTC (a reply like "It's 10:13 PM" must not depend on the machine)."""
        previous = {key: os.environ.get(key) for key in ("ASSISTANT_NOW", "TZ")}
        os.environ["ASSISTANT_NOW"] = repr(item.now)
        os.environ["TZ"] = "UTC"
        time.tzset()
        try:
            return self._run(item)
        except AssistantError as exc:
            return Outcome(item, False, [f"error: {exc}"], error=True)
        finally:
            for key, value in previous.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            time.tzset()

    def _run(self, item: Item) -> Outcome:
        assistant = self._assistant(item.home or self.default_home)
        self._state.unlink(missing_ok=True)
        for name in ("state.json.lock",):
            (self._dir / name).unlink(missing_ok=True)
        if item.room is not None and item.room not in assistant.home.rooms:
            return Outcome(item, False, [f"unknown room '{item.room}'"], error=True)
        assistant.home.room = item.room if item.room is not None else assistant.default_room
        for sentence in item.setup:
            if not assistant.handle(sentence).commands:
                return Outcome(item, False, [f"setup sentence not understood: {sentence!r}"])
        problems: list[str] = []
        for text, expect in item.turns:
            if text.startswith("audio:"):
                transcript = transcribe(Path(text[len("audio:"):]), assistant)
                if transcript is None:
                    return Outcome(item, False, [
                        "audio cases need speech recognition: pip install 'home-assistant-offline[speech]'"], error=True)
                text = transcript
            understanding = assistant.planner.understander.understand(text) if expect.reject else None
            parsed = assistant.parse(text) if expect.reject else []
            turn = assistant.handle(text)
            prefix = f"{text!r}: " if len(item.turns) > 1 else ""
            problems.extend(prefix + p for p in check(assistant, turn, expect, understanding))
            if parsed:
                problems.append(f"{prefix}expected `parse` to understand nothing, got {[c.intent for c in parsed]}")
        return Outcome(item, not problems, problems)


def transcribe(path: Path, assistant) -> str | None:
    """What the assistant would hear in a recording (decoding restricted to its grammar), or None
    when speech recognition is not installed."""
    try:
        from assistant.speech.recognize import transcribe_file
    except ImportError:
        return None
    return transcribe_file(path, assistant=assistant)


def check(assistant, turn, expect: Expect, understanding=None) -> list[str]:
    """What differs between a turn and what was expected (empty when it passed)."""
    problems: list[str] = []
    got = [(c.intent, c.slots, c.targets) for c in turn.commands]
    if expect.reject:
        if turn.commands:
            problems.append(f"expected no command, got {_show(got)}")
        if understanding is not None and understanding.ambiguous:
            problems.append(f"expected no command, got a question between {[c.intent for c in understanding.ambiguous]}")
        changed = [c.device for c in turn.changes if c.changed()]
        if changed:
            problems.append(f"expected no change, but {', '.join(changed)} changed")
    wanted = expect.commands
    if wanted is None and (expect.intent or expect.slots is not None or expect.targets is not None):
        wanted = [{"intent": expect.intent, "slots": expect.slots, "targets": expect.targets}]
    if wanted is not None:
        if len(turn.commands) != len(wanted):
            problems.append(f"expected {len(wanted)} command(s) {_show_wanted(wanted)}, got {_show(got)}")
        else:
            for want, command in zip(wanted, turn.commands):
                if want.get("intent") and command.intent != want["intent"]:
                    problems.append(f"expected intent {want['intent']}, got {command.intent} ({_show(got)})")
                for slot, value in (want.get("slots") or {}).items():
                    if not _same(command.slots.get(slot), value):
                        problems.append(f"expected slot {slot}={value!r}, got {command.slots.get(slot)!r}")
                if want.get("targets") is not None and sorted(command.targets) != sorted(want["targets"]):
                    problems.append(f"expected targets {sorted(want['targets'])}, got {sorted(command.targets)}")
    if expect.reply is not None and turn.reply != expect.reply:
        problems.append(f"expected reply {expect.reply!r}, got {turn.reply!r}")
    for device_id, properties in (expect.state or {}).items():
        device = assistant.home.devices.get(device_id)
        if device is None:
            problems.append(f"no device '{device_id}' in the home")
            continue
        state = assistant.adapters.for_device(device).state(device)
        for prop, value in properties.items():
            if not _same(state.get(prop), value):
                problems.append(f"expected {device_id}.{prop}={value!r}, got {state.get(prop)!r}")
    return problems


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(_same(g, w) for g, w in zip(got, want))
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return abs(float(got) - float(want)) < 1e-9
    return got == want or (got is not None and str(got) == str(want))


def _show(got: list) -> str:
    if not got:
        return "nothing"
    return "; ".join(f"{intent} {slots} -> {targets or '-'}" for intent, slots, targets in got)


def _show_wanted(wanted: list[dict]) -> str:
    return "; ".join(f"{w.get('intent')} {w.get('slots') or ''} -> {w.get('targets') or '-'}" for w in wanted)


@dataclass
class FileResult:
    file: TestFile
    outcomes: list[Outcome]

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def ok(self) -> bool:
        if not self.outcomes:
            return True
        if any(o.error for o in self.outcomes):
            return False
        if self.file.min_pass is not None:
            return self.passed / len(self.outcomes) >= self.file.min_pass
        return self.passed == len(self.outcomes)


def run_files(paths: list[Path], runner: Runner) -> Iterator[FileResult]:
    for path in find_test_files(paths):
        test_file = load_test_file(path)
        yield FileResult(test_file, [runner.run(item) for item in test_file.items])
