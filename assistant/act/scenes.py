"""Scenes from the home file: run each action through its device's adapter, then say what happened."""

from __future__ import annotations

from collections.abc import Callable

from assistant.adapters import Change
from assistant.understand.command import Command
from assistant.errors import AssistantError
from assistant.home.model import Device, Home, Scene
from assistant.reply.respond import join_words


def run_scene(
    scene: Scene,
    home: Home,
    execute: Callable[[Command, list[Device]], tuple[str, list[Change]]],
) -> tuple[str, list[Change]]:
    """Run the scene's actions grouped by (intent, slots), so the reply reads "turned off 6 lights, ..."."""
    groups: dict[tuple, list[Device]] = {}
    for action in scene.actions:
        key = (action.intent, tuple(sorted(action.slots.items())))
        groups.setdefault(key, []).append(home.devices[action.device])
    parts: list[str] = []
    changes: list[Change] = []
    for (intent, slots), devices in groups.items():
        try:
            text, done = execute(Command(intent, dict(slots)), devices)
        except AssistantError as exc:
            text, done = str(exc).rstrip("."), []
        changes.extend(done)
        for sentence in text.split(". "):
            sentence = sentence.strip().rstrip(".")
            if sentence:
                parts.append(sentence[:1].lower() + sentence[1:])
    return join_words(parts), changes
