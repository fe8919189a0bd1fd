"""Resolve a command's slots to devices of the home, using the assistant's room and context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.command import Command
from assistant.describe import the
from assistant.home import Device, Home
from assistant.nlu.intents import SlotList
from assistant.nlu.normalize import normalize

# What a device "can't" do, in words, for replies like "The floor lamp can't change colour".
ABILITY = {
    "turn_on": "turn on", "turn_off": "turn off", "set_brightness": "dim", "set_color": "change colour",
    "set_temperature": "set a temperature", "get_temperature": "tell the temperature", "set_volume": "set a volume",
    "volume_up": "turn the volume up", "volume_down": "turn the volume down", "mute": "mute", "unmute": "unmute",
    "set_channel": "change channel", "media_play": "play", "media_pause": "pause", "media_next": "skip",
    "media_previous": "go back", "open": "open", "close": "close", "set_position": "set a position", "lock": "lock",
    "unlock": "unlock", "start": "start", "pause": "pause", "stop": "stop", "dock": "dock", "set_mode": "change mode",
}

# Intents that act on the whole home rather than a device.
DEVICELESS = {
    "start_timer", "cancel_timer", "timer_status", "pause_timer", "resume_timer", "extend_timer", "shorten_timer",
    "get_time", "get_date", "run_scene", "cancel", "help", "confirm", "deny",
}


@dataclass
class Resolution:
    devices: list[Device] = field(default_factory=list)
    problem: str | None = None  # a reply explaining why nothing can be done
    skipped: list[Device] = field(default_factory=list)  # named but unable to do it


def home_lists(home: Home) -> dict[str, SlotList]:
    """The slot lists the home provides to templates: {name}, {area}, {floor}, {type}, {scene}."""
    from assistant.devices import device_types

    names: dict[tuple[str, ...], str] = {}
    for device in home.devices.values():
        for name in device.names:
            words = tuple(normalize(name).split())
            names.setdefault(words, " ".join(words))
    areas = [(tuple(normalize(n).split()), room.id) for room in home.rooms.values() for n in room.names]
    floors = [(tuple(normalize(f).split()), f) for f in home.floors()]
    floors += [(tuple(normalize(f).split()) + ("floor",), f) for f in home.floors()]
    used_types = {d.type for d in home.devices.values()}
    types = [
        (tuple(normalize(word).split()), type_name)
        for type_name, spec in device_types().items()
        if type_name in used_types
        for word in spec.words
    ]
    scenes = [(tuple(normalize(n).split()), s.id) for s in home.scenes.values() for n in s.names]
    return {
        "name": SlotList("name", [(w, v) for w, v in names.items()]),
        "area": SlotList("area", areas),
        "floor": SlotList("floor", floors),
        "type": SlotList("type", types),
        "scene": SlotList("scene", scenes),
    }


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


class Resolver:
    def __init__(self, home: Home):
        self.home = home
        self._by_name: dict[str, list[Device]] = {}
        for device in home.devices.values():
            for name in device.names:
                self._by_name.setdefault(normalize(name), []).append(device)

    def devices_named(self, phrase: str) -> list[Device]:
        return list(self._by_name.get(normalize(phrase), []))

    def resolve(self, command: Command, context_devices: list[str] | None = None) -> Resolution:
        if command.intent in DEVICELESS:
            return Resolution()
        slots = command.slots
        names = _as_list(slots.get("name"))
        areas = _as_list(slots.get("area"))
        floors = _as_list(slots.get("floor"))
        types = _as_list(slots.get("type"))
        rooms = set(areas)
        for floor in floors:
            rooms.update(self.home.floors().get(floor, []))

        if names:
            candidates: list[Device] = []
            for name in names:
                found = self.devices_named(name)
                if rooms:
                    found = [d for d in found if d.room in rooms] or found
                if not found:
                    return Resolution(problem=f"I don't know a device called {name}.")
                candidates.extend(d for d in found if d not in candidates)
            named = True
        elif rooms or types:
            candidates = list(self.home.devices.values())
            if rooms:
                candidates = [d for d in candidates if d.room in rooms]
            elif self.home.room and not slots.get("all"):
                own = [d for d in candidates if d.room == self.home.room and (not types or d.type in types)]
                if own:
                    candidates = own
            if types:
                candidates = [d for d in candidates if d.type in types]
            if not candidates:
                what = " or ".join(t.replace("_", " ") for t in types) or "device"
                where = " in " + " or ".join(self.home.rooms[r].name.lower() for r in sorted(rooms)) if rooms else ""
                return Resolution(problem=f"There's no {what}{where}.")
            named = False
        elif context_devices:
            candidates = [self.home.devices[d] for d in context_devices if d in self.home.devices]
            named = True
        else:
            return Resolution(problem="Which device do you mean?")

        able = [d for d in candidates if d.supports(command.intent)]
        unable = [d for d in candidates if not d.supports(command.intent)]
        if not able:
            ability = ABILITY.get(command.intent, "do that")
            if len(candidates) == 1 or named:
                subject = the(candidates[0]).capitalize() if len(candidates) == 1 else "Those devices"
                return Resolution(problem=f"{subject} can't {ability}.", skipped=unable)
            return Resolution(problem=f"None of those can {ability}.", skipped=unable)
        return Resolution(able, skipped=unable if named else [])
