"""What a question's answer and a scene continue a turn through: the assistant's turn, seen from act/.

A Protocol, so that act/ does not import the assistant that imports it."""

from __future__ import annotations

from typing import Any, Protocol

from assistant.act.dialogue import Context
from assistant.act.plan import Planner
from assistant.act.safety import NO_APPROVAL, Approval, Gate
from assistant.act.turn import Turn
from assistant.adapters import Change
from assistant.home.model import Device, Home
from assistant.reply.respond import Responder
from assistant.reply.safety import SafetyWords
from assistant.understand.command import Command


class Runner(Protocol):
    home: Home
    planner: Planner
    responder: Responder
    safety_words: SafetyWords
    gate: Gate
    questions: Any  # act.questions.Questions (which takes a Runner)
    scenes: Any  # act.scenes.Scenes (which takes a Runner)

    def run_all(self, commands: list[Command], context: Context, turn: Turn, replies: list[str]) -> None: ...

    def act(self, command: Command, devices: list[Device], context: Context, turn: Turn, replies: list[str],
            rest: list[Command]) -> bool: ...

    def execute(self, command: Command, devices: list[Device], turn: Turn, approval: Approval = NO_APPROVAL) -> str: ...

    def undo_later(self, command: Command, seconds: int, changes: list[Change]) -> str: ...
