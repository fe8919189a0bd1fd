"""Scenes from the home file: one question for all their risky actions (naming them), then each action
through its device's adapter, and one sentence for what happened."""

from __future__ import annotations

from collections.abc import Callable

from assistant.act.dialogue import Context, command_to_json
from assistant.act.safety import NO_APPROVAL, Approval
from assistant.act.runner import Runner
from assistant.act.turn import Turn
from assistant.adapters import Change
from assistant.errors import AssistantError
from assistant.home.model import Device, Home, Scene
from assistant.reply.problems import problem_words
from assistant.reply.respond import join_words
from assistant.understand.command import Command


def scene_actions(scene: Scene, home: Home) -> list[tuple[str, list[Device]]]:
    """(intent, devices) of each action, as the safety gate checks them."""
    return [(a.intent, [home.devices[a.device]]) for a in scene.actions if a.device in home.devices]


class Scenes:
    def __init__(self, owner: Runner):
        self.owner = owner  # the assistant whose turn runs the scene

    def run(self, command: Command, context: Context, turn: Turn, rest: list[Command], later: bool = False,
            approval: Approval = NO_APPROVAL) -> str:
        """Run the scene COMMAND names; never a risky action that nobody confirmed (LATER: nobody can)."""
        owner = self.owner
        scene = owner.home.scenes.get(str(command.slots.get("scene")))
        if scene is None:
            return owner.responder.render("run_scene", "unknown")
        verdict = owner.gate.check(scene_actions(scene, owner.home), later=later)
        if verdict.outcome == "refuse":
            return owner.safety_words.refusal(verdict, "refused_scene", scene.name)
        if verdict.outcome != "go" and not verdict.approval <= approval:
            replies: list[str] = []
            pending = {"scene": scene.id, "scene_name": scene.name, "command": command_to_json(command)}
            owner.questions.ask_approval(verdict, pending, context, turn, replies, rest)
            return " ".join(replies)

        def execute(cmd: Command, devices: list[Device]) -> tuple[str, list[Change]]:
            before = len(turn.changes)
            text = owner.execute(cmd, devices, turn, approval)
            return text, turn.changes[before:]

        summary, _ = run_scene(scene, owner.home, execute, owner.responder.language)
        return owner.responder.render("run_scene", "default", scene=scene.name, actions=summary[:1].lower() + summary[1:])


def run_scene(
    scene: Scene,
    home: Home,
    execute: Callable[[Command, list[Device]], tuple[str, list[Change]]],
    language: str = "en",
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
            text, done = problem_words(language).say(exc).rstrip("."), []
        changes.extend(done)
        for sentence in text.split(". "):
            sentence = sentence.strip().rstrip(".")
            if sentence:
                parts.append(sentence[:1].lower() + sentence[1:])
    return join_words(parts, language=language), changes
