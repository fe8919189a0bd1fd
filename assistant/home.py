"""The home: rooms, devices and scenes, loaded from a YAML file and checked on load."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.devices import Command, DeviceType, Property, device_types
from assistant.errors import HomeError, printable
from assistant.resources import demo_home_path
from assistant.yamlfile import YamlError, line_of, load_yaml

_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    floor: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Device:
    id: str
    name: str
    type: str
    room: str | None = None
    aliases: tuple[str, ...] = ()
    adapter: str = "simulated"
    options: dict[str, Any] = field(default_factory=dict)
    device_class: str | None = None
    features: tuple[str, ...] | None = None
    properties: dict[str, Property] = field(default_factory=dict)
    commands: dict[str, Command] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def spec(self) -> DeviceType:
        return device_types()[self.type]

    def supports(self, intent: str) -> bool:
        return intent in self.commands


@dataclass(frozen=True)
class SceneAction:
    device: str
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scene:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    actions: tuple[SceneAction, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Home:
    rooms: dict[str, Room]
    devices: dict[str, Device]
    scenes: dict[str, Scene] = field(default_factory=dict)
    room: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def devices_in(self, room_id: str) -> list[Device]:
        return [d for d in self.devices.values() if d.room == room_id]

    def floors(self) -> dict[str, list[str]]:
        floors: dict[str, list[str]] = {}
        for room in self.rooms.values():
            if room.floor:
                floors.setdefault(room.floor, []).append(room.id)
        return floors

    def add_device(self, device: Device) -> None:
        """Add (or replace) a device at run time, e.g. one found by discovery."""
        finish_device(device)
        self.devices[device.id] = device


def finish_device(device: Device) -> None:
    """Work out a device's properties and commands from its type, features and class."""
    spec = device_types()[device.type]
    device.properties = spec.properties_for(device.features, device.device_class)
    device.commands = spec.commands_for(device.properties, device.device_class)


class _Checker:
    """Reads raw YAML into the home, collecting the first error with its line."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, container: Any, key: Any, where: str, message: str) -> None:
        line = line_of(container, key)
        at = f"{self.path}:{line}" if line else str(self.path)
        raise HomeError(printable(f"{at}: {where}: {message}"))

    def mapping(self, raw: Any, container: Any, key: Any, where: str) -> dict:
        if not isinstance(raw, dict):
            self.fail(container, key, where, f"expected a mapping, got {_kind(raw)}")
        return raw

    def sequence(self, raw: Any, container: Any, key: Any, where: str) -> list:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(container, key, where, f"expected a list, got {_kind(raw)}")
        return raw

    def text(self, entry: dict, key: str, where: str, required: bool = True) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                self.fail(entry, None, where, f"missing '{key}'")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(entry, key, f"{where}.{key}", f"expected text, got {_kind(value)}")
        value = str(value).strip()
        if required and not value:
            self.fail(entry, key, f"{where}.{key}", "must not be empty")
        return value

    def ident(self, entry: dict, where: str) -> str:
        value = self.text(entry, "id", where)
        if not _ID.match(value):
            self.fail(entry, "id", f"{where}.id", f"'{value}' is not a valid id (use lower-case letters, digits, _ or -)")
        return value

    def words(self, entry: dict, key: str, where: str) -> tuple[str, ...]:
        raw = self.sequence(entry.get(key), entry, key, f"{where}.{key}")
        result = []
        for i, item in enumerate(raw):
            if not isinstance(item, (str, int)) or isinstance(item, bool) or not str(item).strip():
                self.fail(raw, i, f"{where}.{key}[{i}]", f"expected a non-empty name, got {_kind(item)}")
            result.append(str(item).strip())
        return tuple(result)

    def unknown_keys(self, entry: dict, allowed: set[str], where: str) -> None:
        for key in entry:
            if key not in allowed:
                self.fail(entry, key, where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    for kind, label in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"), ((int, float), "a number"), (str, "text")):
        if isinstance(value, kind):
            return label
    return type(value).__name__


_HOME_KEYS = {"name", "rooms", "devices", "scenes", "room", "language", "mqtt", "security", "assistant"}
_ROOM_KEYS = {"id", "name", "aliases", "floor"}
_DEVICE_KEYS = {"id", "name", "aliases", "type", "room", "adapter", "options", "class", "features"}
_SCENE_KEYS = {"id", "name", "aliases", "actions"}


def parse_home(raw: Any, path: Path) -> Home:
    """Build a Home from loaded YAML, raising HomeError that names the file, line and key."""
    check = _Checker(path)
    if raw is None:
        raw = {}
    check.mapping(raw, raw, None, "home")
    check.unknown_keys(raw, _HOME_KEYS, "home")

    rooms: dict[str, Room] = {}
    raw_rooms = check.sequence(raw.get("rooms"), raw, "rooms", "rooms")
    for i, entry in enumerate(raw_rooms):
        where = f"rooms[{i}]"
        check.mapping(entry, raw_rooms, i, where)
        check.unknown_keys(entry, _ROOM_KEYS, where)
        room_id = check.ident(entry, where)
        if room_id in rooms:
            check.fail(entry, "id", f"{where}.id", f"duplicate room id '{room_id}'")
        name = check.text(entry, "name", where, required=False) or room_id.replace("_", " ").title()
        rooms[room_id] = Room(room_id, name, check.words(entry, "aliases", where), check.text(entry, "floor", where, False))

    types = device_types()
    devices: dict[str, Device] = {}
    raw_devices = check.sequence(raw.get("devices"), raw, "devices", "devices")
    for i, entry in enumerate(raw_devices):
        where = f"devices[{i}]"
        check.mapping(entry, raw_devices, i, where)
        device_id = check.ident(entry, where)
        where = f"devices[{i}] ({device_id})"
        check.unknown_keys(entry, _DEVICE_KEYS, where)
        if device_id in devices:
            check.fail(entry, "id", f"{where}.id", f"duplicate device id '{device_id}'")
        type_name = check.text(entry, "type", where)
        if type_name not in types:
            check.fail(entry, "type", f"{where}.type", f"unknown device type '{type_name}' (known: {', '.join(sorted(types))})")
        room_id = check.text(entry, "room", where, required=False)
        if room_id is not None and room_id not in rooms:
            check.fail(entry, "room", f"{where}.room", f"unknown room '{room_id}'")
        options = entry.get("options") or {}
        check.mapping(options, entry, "options", f"{where}.options")
        device_class = check.text(entry, "class", where, required=False)
        spec = types[type_name]
        if type_name == "sensor" and device_class not in spec.classes:
            check.fail(entry, "class" if device_class else None, f"{where}.class",
                       f"a sensor needs a class, one of: {', '.join(sorted(spec.classes))}")
        features = check.words(entry, "features", where) if "features" in entry else None
        if features is not None:
            known = {p.feature for p in spec.properties.values() if p.feature}
            for feature in features:
                if feature not in known:
                    check.fail(entry, "features", f"{where}.features",
                               f"unknown feature '{feature}' for a {type_name} (known: {', '.join(sorted(known)) or 'none'})")
        device = Device(
            id=device_id,
            name=check.text(entry, "name", where, required=False) or device_id.replace("_", " "),
            type=type_name,
            room=room_id,
            aliases=check.words(entry, "aliases", where),
            adapter=check.text(entry, "adapter", where, required=False) or "simulated",
            options=dict(options),
            device_class=device_class,
            features=features,
        )
        finish_device(device)
        devices[device_id] = device

    scenes: dict[str, Scene] = {}
    raw_scenes = check.sequence(raw.get("scenes"), raw, "scenes", "scenes")
    for i, entry in enumerate(raw_scenes):
        where = f"scenes[{i}]"
        check.mapping(entry, raw_scenes, i, where)
        scene_id = check.ident(entry, where)
        where = f"scenes[{i}] ({scene_id})"
        check.unknown_keys(entry, _SCENE_KEYS, where)
        actions = []
        raw_actions = check.sequence(entry.get("actions"), entry, "actions", f"{where}.actions")
        for j, action in enumerate(raw_actions):
            at = f"{where}.actions[{j}]"
            check.mapping(action, raw_actions, j, at)
            check.unknown_keys(action, {"device", "intent", "slots"}, at)
            device_id = check.text(action, "device", at)
            intent = check.text(action, "intent", at)
            if device_id not in devices:
                check.fail(action, "device", f"{at}.device", f"unknown device '{device_id}'")
            if not devices[device_id].supports(intent):
                check.fail(action, "intent", f"{at}.intent", f"device '{device_id}' cannot do '{intent}'")
            slots = action.get("slots") or {}
            check.mapping(slots, action, "slots", f"{at}.slots")
            actions.append(SceneAction(device_id, intent, dict(slots)))
        scenes[scene_id] = Scene(
            scene_id,
            check.text(entry, "name", where, required=False) or scene_id.replace("_", " "),
            check.words(entry, "aliases", where),
            tuple(actions),
        )

    own_room = check.text(raw, "room", "home", required=False)
    if own_room is not None and own_room not in rooms:
        check.fail(raw, "room", "room", f"unknown room '{own_room}'")
    settings = {k: raw[k] for k in ("name", "language", "mqtt", "security", "assistant") if k in raw}
    return Home(rooms, devices, scenes, own_room, settings, path)


def load_home(path: Path | str | None = None) -> Home:
    """Load the home from PATH, $ASSISTANT_HOME, or the built-in demo home."""
    if path is None:
        path = os.environ.get("ASSISTANT_HOME") or demo_home_path()
    path = Path(path)
    try:
        raw = load_yaml(path)
    except YamlError as exc:
        raise HomeError(f"home file {exc}") from None
    return parse_home(raw, path)
