"""Planning a turn's commands: understand the words, complete fragments from the context, resolve
targets (with the readings a device can do when the first cannot: "pause the TV" is media_pause)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from assistant.act.dialogue import SET_VALUE, Context, follow_up, value_command
from assistant.act.resolve import Resolution, Resolver, home_lists, knows_mode, normalize
from assistant.act.timers import Timers
from assistant.home.model import Home
from assistant.language.intents import IntentSet, SlotList
from assistant.language.words import load_words
from assistant.understand.command import Command
from assistant.understand.engine import Understander, Understanding

# Intents that mean the same to another kind of device: "pause the TV", "turn down the ceiling light".
TWINS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "pause": [("media_pause", {})], "media_pause": [("pause", {})], "media_play": [("start", {})],
    "start": [("media_play", {})], "open": [("unlock", {})], "close": [("lock", {})], "turn_on": [("start", {})],
    "turn_off": [("stop", {})], "stop": [("turn_off", {})],
    "volume_up": [("set_brightness", {"delta": 20}), ("set_temperature", {"delta": 1}), ("set_mode", {"delta": 1})],
    "volume_down": [("set_brightness", {"delta": -20}), ("set_temperature", {"delta": -1}), ("set_mode", {"delta": -1})],
}


# Slots that say which devices: two readings that reach the same devices by other words are one.
TARGET_SLOTS = {"name", "area", "floor", "type", "class", "all"}


class Planner:
    def __init__(self, home: Home, intents: IntentSet, timers: Timers):
        self.home = home
        self.intents = intents
        self.timers = timers
        self.references = tuple(load_words(intents.language, "references").words("references"))
        self.ones = set(load_words(intents.language, "references").words("ones"))
        self.lists = home_lists(home, intents.language)
        self.lists_room = home.room  # the room that "in here" names in self.lists
        self.understander = Understander(intents, self.lists)
        self.resolver = Resolver(home, intents.language)
        self.understander.abilities = self.resolver

    def home_changed(self) -> None:
        """The home gained or lost devices (e.g. by discovery): names and rooms are looked up afresh."""
        self.lists = home_lists(self.home, self.intents.language)
        self.lists_room = self.home.room
        self.resolver = Resolver(self.home, self.intents.language)
        self.understander.abilities = self.resolver
        self.understander.set_lists(self.lists)  # the composer asks the new resolver

    def refers(self, text: str) -> bool:
        """Does the text refer to a device named before ("turn it off")?"""
        return not set(self.references).isdisjoint(text.split())

    def understand(self, text: str, context: Context | None = None) -> Understanding:
        if self.home.room != self.lists_room:  # the assistant moved: "in here" is its room now
            self.home_changed()
        names = self.timers.names()
        if names:  # timers named earlier ("called pasta") can be named again
            known = self.intents.lists.get("timer")
            values = [*(known.values if known else []), *((tuple(n.split()), n) for n in names)]
            self.understander.set_lists({**self.lists, "timer": SlotList("timer", values)})
        understanding = self.understander.understand(text)
        said = self._one_named(text, context) if context is not None and not understanding.commands else None
        if said is not None:
            named = self.understander.understand(said)
            if named.commands:
                named.text = text
                return named
        return understanding

    def _one_named(self, text: str, context: Context) -> str | None:
        """ "the right one" after the left lamp is "the right lamp": "one" said after a word, as the last word of
        the name of the device named before (None when there is no such "one" or device)."""
        words = text.split()
        devices = [self.home.devices[d] for d in context.devices if d in self.home.devices]
        heads = {normalize(d.name).split()[-1] for d in devices if d.name.strip()}
        said = [i for i, w in enumerate(words) if w.lower().strip(",.?!") in self.ones and i > 0]
        if len(heads) != 1 or len(said) != 1:
            return None
        i = said[0]
        return " ".join([*words[:i], next(iter(heads)), *words[i + 1:]])

    def complete(self, command: Command, context: Context) -> Command:
        """Signed deltas, fragments filled from context, "set X to 50" turned into the right set_* intent."""
        slots = command.slots
        if slots.get("direction") is not None:
            direction = slots.pop("direction")
            if isinstance(slots.get("delta"), (int, float)):
                slots["delta"] = -abs(slots["delta"]) if direction == "down" else abs(slots["delta"])
        command = follow_up(command, context, self.home.devices)
        if command.intent == SET_VALUE and any(k in slots for k in ("name", "area", "type", "floor", "all")):
            probe = self.resolver.resolve(Command("get_state", dict(slots), text=command.text), context.devices)
            found = probe.devices or probe.choices
            if found:
                command = value_command(command, found)
        return command

    def settle(self, understanding: Understanding, context: Context) -> Understanding:
        """Near-equal readings that all come to the same are that command, not a question to ask; of the others,
        only those that mean something different are offered (when none can be done, those said differently:
        "did you mean set the floor lamp to 50 percent or set the floor lamp to 50 percent?" is no question)."""
        meanings = self._meanings(understanding.ambiguous, context) if not understanding.commands else []
        if not meanings:  # none can be done: offer only readings that say something different
            said: dict[str, Command] = {}
            for reading in understanding.ambiguous:
                said.setdefault(reading.meant_text(), reading)
            meanings = list(said.values())
        if len(meanings) == 1:
            understanding.commands, understanding.ambiguous = meanings, []
        elif meanings:
            understanding.ambiguous = meanings
        return understanding

    def _meanings(self, readings: list[Command], context: Context) -> list[Command]:
        """Of near-equal readings, those that mean something different: a reading the devices cannot do is no
        meaning ("set the floor lamb to 50": no lamp has a position), and two that do the same to the same
        devices are one ("night light" and "nightlight" name one lamp; "set it to 50" is its brightness)."""
        meant: dict[tuple, Command] = {}
        for reading in readings:
            done = self.complete(dataclasses.replace(reading, slots=dict(reading.slots)), context)
            resolution = self.resolve(done, context)
            if resolution.problem:
                continue
            reached = tuple(sorted(d.id for d in resolution.devices)), tuple(sorted(d.id for d in resolution.choices))
            said = {k: repr(v) for k, v in done.slots.items() if k not in TARGET_SLOTS}
            meant.setdefault((done.intent, reached, tuple(sorted(said.items()))), reading)
        return list(meant.values())

    def resolve(self, command: Command, context: Context) -> Resolution:
        """Resolve; if the devices can't do it but can do the twin intent (pause a TV -> media_pause), use that.
        A device referred to ("turn it up") is the last turn's, even through a twin: after the fan that is
        faster, not louder. "Louder" and "turn up the volume" still mean the volume."""
        twins = [(twin, {**command.slots, **extra}) for twin, extra in TWINS.get(command.intent, [])]
        recent = [self.home.devices[d] for d in context.devices if d in self.home.devices]
        if recent and self.refers(command.text) and not any(d.supports(command.intent) for d in recent):
            found = self._first_reading(command, twins, context,
                                        lambda r, _: bool(r.devices) and {d.id for d in r.devices} <= set(context.devices))
            if found:
                return found
        resolution = self.resolver.resolve(command, context.devices)
        # a template reading ranked lower that the same device can do: "set the fan to max" is its top speed,
        # not a brightness; a word that is a mode of two kinds of device is the one this device has
        lower = [(c.intent, dict(c.slots)) for c in command.alternatives] if command.match == "rule" else []
        lower = [(i, slots) for i, slots in lower if all(slots.get(k) == command.slots.get(k) for k in ("name", "area", "floor"))]

        def knows(r: Resolution, slots: dict[str, Any]) -> bool:
            return bool(r.devices) and all(knows_mode(d, str(slots["mode"])) for d in r.devices if "mode" in slots)

        if resolution.devices or resolution.choices:
            if resolution.choices or knows(resolution, command.slots):
                return resolution
            return self._first_reading(command, lower, context, knows) or resolution
        found = self._first_reading(command, twins, context, lambda r, _: bool(r.devices or r.choices))
        if found:
            return found
        return self._first_reading(command, lower, context, knows) or self._composed(command, context) or resolution

    def _composed(self, command: Command, context: Context) -> Resolution | None:
        """The same words read from their parts, when the template reading reaches no device: "lower the
        thermostat" is its temperature, not a cover; "what does the smoke alarm say" is its state."""
        if command.match != "rule":
            return None
        composed = self.understander.composer.compose(command.text.split())
        if composed is None or (composed.intent, composed.slots) == (command.intent, command.slots):
            return None
        if any(composed.slots.get(k) != command.slots[k] for k in ("name", "area", "floor", "type", "class") if k in command.slots):
            return None  # never wider: "make the kitchen warmer" has no air conditioner, it does not warm the fridge
        slots = {k: v for k, v in composed.slots.items() if k != "direction"}  # its delta is signed already
        return self._first_reading(command, [(composed.intent, slots)], context, lambda r, _: bool(r.devices))

    def _first_reading(self, command: Command, readings: list[tuple[str, dict[str, Any]]], context: Context,
                       good: Callable[[Resolution, dict[str, Any]], bool]) -> Resolution | None:
        """The resolution of the first other reading (intent, slots) of `command` that is `good`; the command
        becomes that reading."""
        for intent, slots in readings:
            resolution = self.resolver.resolve(Command(intent, slots, text=command.text), context.devices)
            if good(resolution, slots):
                command.intent, command.slots = intent, slots
                return resolution
        return None
