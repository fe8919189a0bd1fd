"""The sentence test files in intents/en/tests/*.yaml, checked through the Assistant.

Each sentence runs on a fresh state file (after its `setup` sentences), at a fixed clock, against
the demo home unless the case names another `home:`. A small stand-in until `assistant test` runs
these files; the format is the one that runner reads.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.home import load_home
from assistant.pipeline import Assistant
from assistant.state import StateStore

TESTS_DIR = Path(__file__).resolve().parent.parent / "intents" / "en" / "tests"
NOW = "1700000000"  # Tuesday 14 November 2023, 22:13:20 UTC


def _cases() -> list[Any]:
    params = []
    for path in sorted(TESTS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, case in enumerate(data.get("tests") or []):
            for sentence in case["sentences"]:
                params.append(pytest.param(path, case, sentence, id=f"{path.stem}-{i}-{sentence}"))
        for dialogue in data.get("dialogues") or []:
            params.append(pytest.param(path, dialogue, None, id=f"{path.stem}-dialogue-{dialogue['name']}"))
    return params


_assistants: dict[tuple, Assistant] = {}


@pytest.fixture
def assistant_for(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_NOW", NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()

    def make(path: Path, case: dict) -> Assistant:
        home_path = (path.parent / case["home"]).resolve() if case.get("home") else None
        key = (home_path, case.get("room"))
        if key not in _assistants:
            home = load_home(home_path)
            if case.get("room"):
                home.room = case["room"]
            _assistants[key] = Assistant(home, StateStore(tmp_path / "state.json"))
        assistant = _assistants[key]
        assistant.use_store(StateStore(tmp_path / "state.json"))
        return assistant

    yield make
    monkeypatch.delenv("TZ")
    time.tzset()


def _device_states(assistant: Assistant) -> dict[str, dict]:
    return {d.id: assistant.adapters.for_device(d).state(d) for d in assistant.home.devices.values()}


def _check_state(assistant: Assistant, expected: dict) -> None:
    states = _device_states(assistant)
    for device, props in expected.items():
        for prop, value in props.items():
            assert states[device].get(prop) == value, f"{device}.{prop}: {states[device].get(prop)!r} != {value!r}"


def _check_command(command, expected: dict) -> None:
    assert command.intent == expected["intent"], f"intent {command.intent} != {expected['intent']}"
    for slot, value in (expected.get("slots") or {}).items():
        assert command.slots.get(slot) == value, f"slot {slot}: {command.slots.get(slot)!r} != {value!r}"
    if "targets" in expected:
        assert set(command.targets) == set(expected["targets"]), f"targets {command.targets}"


@pytest.mark.parametrize(("path", "case", "sentence"), _cases())
def test_sentence(assistant_for, path: Path, case: dict, sentence: str | None) -> None:
    assistant = assistant_for(path, case)
    if sentence is None:
        for turn_spec in case["turns"]:
            turn = assistant.handle(turn_spec["say"])
            if "reply" in turn_spec:
                assert turn.reply == turn_spec["reply"], f"after {turn_spec['say']!r}"
            if "intent" in turn_spec:
                assert turn.commands and turn.commands[-1].intent == turn_spec["intent"]
            _check_state(assistant, turn_spec.get("state") or {})
        return
    for said in case.get("setup") or []:
        assistant.handle(said)
    if case.get("reject"):
        before = _device_states(assistant)
        assert assistant.parse(sentence) == [], "parse should understand nothing"
        turn = assistant.handle(sentence)
        assert turn.commands == [], f"understood as {[c.intent for c in turn.commands]}"
        assert _device_states(assistant) == before
        return
    turn = assistant.handle(sentence)
    expected = case.get("commands") or [{k: case[k] for k in ("intent", "slots", "targets") if k in case}]
    assert len(turn.commands) == len(expected), f"commands: {[(c.intent, c.slots) for c in turn.commands]}"
    for command, spec in zip(turn.commands, expected):
        _check_command(command, spec)
    if "reply" in case:
        assert turn.reply == case["reply"]
    _check_state(assistant, case.get("state") or {})
