"""What a command did, in words: "Turned on the floor lamp.", "The fan is already at its highest speed.",
"The kitchen light and the counter lights are on." (from the response templates of the intent files)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.act.execute import Result
from assistant.adapters import Change
from assistant.home.model import Device, Home
from assistant.home.types import Property
from assistant.reply.phrases import unit_word
from assistant.reply.describe import answers_yes, describe, number_words
from assistant.act.resolve import _as_list, _plural
from assistant.reply.problems import problem_words
from assistant.reply.respond import Responder
from assistant.understand.command import Command


class ResultWords:
    def __init__(self, responder: Responder, home: Home, kind_word: Callable[[Command], str]):
        self.responder = responder
        self.home = home
        self.kind_word = kind_word  # "lights", "fans": how the command named the kind of its devices

    def say(self, result: Result) -> str:
        if result.states is not None:
            return self._answer(result.command, result.devices, result.states)
        command, done, already = result.command, result.done, result.already
        fields = self._fields(command, done or already, result.changes)
        outcome = _outcome(command, done or already)
        kinds = {d.type for d in done or already}
        if len(kinds) == 1 and self.responder.has(command.intent, f"{outcome}_{next(iter(kinds))}"):
            outcome = f"{outcome}_{next(iter(kinds))}"  # "up_light": a light made warmer is not "turned up"
        parts = []
        if done:
            parts.append(self.responder.render(command.intent, outcome, done, **fields))
        if already and not done:
            # "already_up": at a limit ("The fan is already at its highest speed."); else "already", else as done
            said = [k for k in (f"already_{outcome}", "already") if self.responder.has(command.intent, k)]
            parts.append(self.responder.render(command.intent, said[0] if said else outcome, already, **fields))
        problems = problem_words(self.responder.language)
        parts.extend(_sentence(problems.say(exc)) for exc in result.failed)
        return " ".join(parts)

    def _fields(self, command: Command, devices: list[Device], changes: list[Change]) -> dict[str, Any]:
        fields: dict[str, Any] = {k: v for k, v in command.slots.items() if isinstance(v, (str, int, float))}
        if isinstance(fields.get("value"), float) and fields["value"].is_integer():
            fields["value"] = int(fields["value"])
        if devices:
            spec = devices[0].commands.get(command.intent)
            prop = _adjusted_property(devices[0], spec.adjust if spec else (), changes)
            if prop is not None:
                fields["units"] = unit_word(prop.unit, self.responder.language)
                after = next((c.after.get(prop.name) for c in changes if prop.name in c.after), None)
                if after is not None:
                    fields["now"] = number_words(after, prop.unit, self.responder.language)
            if command.slots.get("area"):
                room = self.home.rooms.get(str(command.slots["area"]))
                fields["room"] = self.responder.words.the_room(room.name if room else str(command.slots["area"]))
        if isinstance(fields.get("delta"), (int, float)):
            fields["amount"] = abs(fields["delta"])
        return fields

    def _answer(self, command: Command, devices: list[Device], states: dict[str, dict[str, Any]]) -> str:
        if command.intent == "get_temperature":
            phrases = [self._temperature(d, states[d.id]) for d in devices]
            return self.responder.render("get_temperature", "default", devices, temperatures=self.responder.join(phrases))
        asked = command.slots.get("state")
        classes = [str(c) for c in _as_list(command.slots.get("class"))]  # "the air quality": the purifier's reading
        described = [describe(d, states[d.id], asked, self.responder.language, classes) for d in devices]
        verdicts = [answers_yes(d, states[d.id], str(asked)) for d in devices] if asked else []
        if asked and (command.slots.get("which") or command.slots.get("any")):
            # "which lights are on", "is anything on": name only the devices that are
            matching = [d for d, yes in zip(devices, verdicts) if yes]
            outcome = ("which" if command.slots.get("which") else "any") if matching else (
                "none" if command.slots.get("which") else "any_none")
            kind = self.kind_word(command)
            said = [s for d, s in zip(devices, described) if d in matching] or described
            own = f"{outcome}_{asked}"  # "is there a leak": the state as the sensors say it ("Yes, ... is wet.")
            if self.responder.has(command.intent, own):
                return self.responder.render(command.intent, own, matching, state=asked, kind=kind,
                                             states=self.responder.join(said))
            if not matching and _plural(kind, self.responder.language):  # "which lights are on": "None of the lights are on."
                outcome += "_kind"
            return self.responder.render(command.intent, outcome, matching, state=asked, kind=kind)
        outcome = "default"
        if verdicts and all(v is not None for v in verdicts):
            outcome = "yes" if all(verdicts) else "no"
        return self.responder.render(command.intent, outcome, devices, states=self.responder.join(described))

    def _temperature(self, device: Device, state: dict[str, Any]) -> str:
        """One device's reading, in the words its kind has for it (responses `_temperature` in the intent files)."""
        values = {key: number_words(value, "celsius", self.responder.language) for key, value in state.items() if isinstance(value, (int, float))}
        kind = device.type if self.responder.has("_temperature", device.type) else "default"
        return self.responder.phrase("_temperature", kind, name=self.responder.targets([device]), **values)


def _outcome(command: Command, devices: list[Device]) -> str:
    delta = command.slots.get("delta")
    if isinstance(delta, (int, float)) and command.slots.get("value") is None:
        return "up" if delta > 0 else "down"
    if command.intent in ("start", "set_mode") and command.slots.get("mode"):
        return "mode"
    if command.intent == "start" and command.slots.get("area") and devices and devices[0].type == "vacuum":
        return "area"
    return "default"


def _adjusted_property(device: Device, names: tuple[str, ...], changes: list[Change]) -> Property | None:
    """Of the properties a command may adjust (the fridge: fridge or freezer), the one it changed."""
    present = [device.properties[n] for n in names if n in device.properties]
    for prop in present:
        if any(c.device == device.id and c.changed().get(prop.name) is not None for c in changes):
            return prop
    return present[0] if present else None


def _sentence(clause: str) -> str:
    """A problem's clause as a sentence: a full stop, unless it already ends as a question ("What colour ...?")."""
    clause = clause.rstrip(".")
    return clause if clause.endswith(("?", "!")) else clause + "."
