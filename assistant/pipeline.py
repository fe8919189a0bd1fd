"""One utterance through the pipeline: understand -> resolve -> execute -> reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.adapters import AdapterRegistry, Change
from assistant.command import Command
from assistant.describe import answers_yes, describe
from assistant.errors import AssistantError
from assistant.home import Device, Home
from assistant.nlu.engine import Understander
from assistant.nlu.intents import IntentSet, load_intents
from assistant.resolve import Resolver, home_lists
from assistant.resources import intents_dir
from assistant.respond import Responder, join_words
from assistant.state import StateStore

NOT_UNDERSTOOD = "Sorry, I didn't catch that."


@dataclass
class Turn:
    """What happened for one utterance."""

    text: str
    commands: list[Command] = field(default_factory=list)
    reply: str = ""
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "commands": [c.to_json() for c in self.commands],
            "reply": self.reply,
            "changes": [{"device": c.device, "changed": c.changed()} for c in self.changes if c.changed()],
        }


def load_intent_set(language: str = "en", extra: list[Path] | None = None) -> IntentSet:
    return load_intents([intents_dir(language), *(extra or [])])


class Assistant:
    def __init__(self, home: Home, store: StateStore, intents: IntentSet | None = None):
        self.home = home
        self.store = store
        self.intents = intents or load_intent_set()
        self.understander = Understander(self.intents, home_lists(home))
        self.resolver = Resolver(home)
        self.responder = Responder(self.intents.responses)
        self.adapters = AdapterRegistry(home, store, home.settings.get("adapters"))

    def close(self) -> None:
        self.adapters.close()

    # -- understanding (no device changes) -------------------------------------------------

    def parse(self, text: str) -> list[Command]:
        commands = self.understander.understand(text).commands
        context = self._context_devices()
        for command in commands:
            resolution = self.resolver.resolve(command, context)
            command.targets = [d.id for d in resolution.devices]
            if command.targets:
                context = command.targets
        return commands

    # -- doing ------------------------------------------------------------------------------

    def handle(self, text: str) -> Turn:
        turn = Turn(text)
        commands = self.understander.understand(text).commands
        turn.commands = commands
        if not commands:
            turn.reply = NOT_UNDERSTOOD
            return turn
        replies = []
        context = self._context_devices()
        for command in commands:
            resolution = self.resolver.resolve(command, context)
            command.targets = [d.id for d in resolution.devices]
            if resolution.problem:
                replies.append(resolution.problem)
                continue
            context = command.targets
            replies.append(self._execute(command, resolution.devices, turn))
        self._remember(context)
        turn.reply = " ".join(r for r in replies if r)
        return turn

    def _execute(self, command: Command, devices: list[Device], turn: Turn) -> str:
        spec_command = devices[0].commands.get(command.intent) if devices else None
        if spec_command is not None and spec_command.query:
            return self._answer(command, devices)
        done: list[Device] = []
        already: list[Device] = []
        failed: list[str] = []
        for device in devices:
            try:
                change = self.adapters.for_device(device).execute(device, command.intent, command.slots)
            except AssistantError as exc:
                failed.append(str(exc).rstrip(".") + ".")
                continue
            turn.changes.append(change)
            (done if change.changed() or not change.before else already).append(device)
        parts = []
        if done:
            parts.append(self.responder.render(command.intent, "default", done, **_slot_fields(command)))
        if already and not done:
            parts.append(self.responder.render(command.intent, "already", already, **_slot_fields(command)))
        parts.extend(failed)
        return " ".join(parts)

    def _answer(self, command: Command, devices: list[Device]) -> str:
        asked = command.slots.get("state")
        states = []
        verdicts = []
        for device in devices:
            state = self.adapters.for_device(device).state(device)
            states.append(describe(device, state, asked))
            if asked:
                verdicts.append(answers_yes(device, state, str(asked)))
        outcome = "default"
        if verdicts and all(v is not None for v in verdicts):
            outcome = "yes" if all(verdicts) else "no"
        return self.responder.render(command.intent, outcome, devices, states=join_words(states))

    # -- dialogue context -------------------------------------------------------------------

    def _context_devices(self) -> list[str]:
        context = self.store.read().get("context")  # a corrupt state file is reported, not ignored
        return list(context.get("devices", [])) if isinstance(context, dict) else []

    def _remember(self, devices: list[str]) -> None:
        if not devices:
            return
        with self.store.transaction() as state:
            state["context"] = {"devices": devices}


def _slot_fields(command: Command) -> dict[str, Any]:
    return {k: v for k, v in command.slots.items() if isinstance(v, (str, int, float))}
