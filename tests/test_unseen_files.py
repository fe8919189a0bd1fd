"""The unseen sentence set (tests/unseen/) is a measure, run by benchmarks/unseen.py, not tests that must
pass; this only checks that it cannot rot: every file loads with the sentence-test loader, names devices
and rooms its home has, uses canonical intents and slot names, and keeps each sentence in its own half."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant.home.model import load_home
from assistant.testing.sentences import find_test_files, load_test_file

REPO = Path(__file__).resolve().parent.parent
UNSEEN = REPO / "tests" / "unseen"
FILES = find_test_files([UNSEEN / "en", UNSEEN / "ko"])
INTENTS = {
    "turn_on", "turn_off", "set_brightness", "set_color", "set_temperature", "get_temperature", "set_volume",
    "volume_up", "volume_down", "mute", "unmute", "set_channel", "media_play", "media_pause", "media_next",
    "media_previous", "open", "close", "set_position", "lock", "unlock", "start", "pause", "stop", "dock",
    "set_mode", "get_state", "start_timer", "cancel_timer", "timer_status", "pause_timer", "resume_timer",
    "extend_timer", "shorten_timer", "get_time", "get_date", "run_scene", "cancel", "help",
}
SLOTS = {"value", "delta", "unit", "color", "mode", "duration", "timer", "scene", "area", "name"}


def _split_module():
    spec = importlib.util.spec_from_file_location("unseen_split", REPO / "benchmarks" / "unseen_split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_set_is_there_and_big_enough():
    counts = {lang: {half: sum(len(load_test_file(p).items) for p in find_test_files([UNSEEN / lang / half]))
                     for half in ("tune", "held")} for lang in ("en", "ko")}
    assert sum(counts["en"].values()) >= 800 and sum(counts["ko"].values()) >= 300, counts
    assert all(n > 0 for halves in counts.values() for n in halves.values()), counts
    assert find_test_files([UNSEEN / "en" / "noise" / "tune"]) and find_test_files([UNSEEN / "en" / "noise" / "held"])


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(UNSEEN)) for p in FILES])
def test_unseen_file_loads_and_names_what_its_home_has(path):
    homes = {}
    for item in load_test_file(path).items:
        assert item.home is not None, f"{item.id}: no home"
        if item.home not in homes:
            homes[item.home] = load_home(item.home)
        home = homes[item.home]
        assert item.room is None or item.room in home.rooms, f"{item.id}: no room '{item.room}'"
        for _, expect in item.turns:
            wanted = expect.commands or [{"intent": expect.intent, "slots": expect.slots, "targets": expect.targets}]
            for want in wanted:
                assert want["intent"] in INTENTS, f"{item.id}: not a canonical intent: {want['intent']}"
                unknown = [t for t in want.get("targets") or [] if t not in home.devices]
                assert not unknown, f"{item.id}: no device {unknown} in {item.home.name}"
                assert set(want.get("slots") or {}) <= SLOTS, f"{item.id}: slots {want.get('slots')}"


def test_each_sentence_is_in_its_own_half():
    half = _split_module().half
    for lang in ("en", "ko"):
        for which in ("tune", "held"):
            for path in find_test_files([UNSEEN / lang / which]):
                wrong = [i.label for i in load_test_file(path).items if half(i.label) != which]
                assert not wrong, f"{path}: in the wrong half: {wrong}"
