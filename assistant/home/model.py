"""The home: rooms, devices and scenes, loaded from a YAML file and checked on load."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.adapters.installed import adapter_installed, installed_names
from assistant.home.types import BadValue, Command, DeviceType, Property, device_types
from assistant.home.types import first_fit
from assistant.errors import HomeError, printable
from assistant.mqtt.config import section_problem as mqtt_section_problem
from assistant.resources import demo_home_path
from assistant.yamlfile import YamlError, line_of, load_yaml

_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
log = logging.getLogger("assistant.home")
_ADAPTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


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
        at = f"home file {self.path}:{line}" if line else f"home file {self.path}"
        raise HomeError(printable(f"{at}: {where}: {message}"))

    def warn(self, container: Any, key: Any, where: str, message: str) -> None:
        """One line on stderr about something the home file says that loads all the same."""
        line = line_of(container, key)
        at = f"home file {self.path}:{line}" if line else f"home file {self.path}"
        log.warning("%s", printable(f"warning: {at}: {where}: {message}"))

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
        if not value:
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


_HOME_KEYS = {"name", "rooms", "devices", "scenes", "room", "language", "mqtt", "security", "assistant", "adapters",
              "intents"}
_SETTINGS = ("name", "language", "mqtt", "security", "assistant", "adapters", "intents")
_ROOM_KEYS = {"id", "name", "aliases", "floor"}
_DEVICE_KEYS = {"id", "name", "aliases", "type", "room", "adapter", "options", "class", "features"}
_SCENE_KEYS = {"id", "name", "aliases", "actions"}
_ACTION_KEYS = {"device", "intent", "slots"}


def parse_home(raw: Any, path: Path) -> Home:
    """Build a Home from loaded YAML, raising HomeError that names the file, line and key."""
    check = _Checker(path)
    if raw is None:
        raw = {}
    check.mapping(raw, raw, None, "home")
    check.unknown_keys(raw, _HOME_KEYS, "home")
    check.text(raw, "name", "home", required=False)
    check.text(raw, "language", "home", required=False)
    adapters = raw.get("adapters") or {}
    check.mapping(adapters, raw, "adapters", "adapters")
    for name, options in adapters.items():
        check.mapping(options if options is not None else {}, adapters, name, f"adapters.{name}")

    if raw.get("mqtt") is not None:
        problem = mqtt_section_problem(check.mapping(raw["mqtt"], raw, "mqtt", "mqtt"))
        if problem is not None:
            check.fail(*problem)
    rooms = _parse_rooms(check, raw)
    devices = _parse_devices(check, raw, rooms)
    scenes = _parse_scenes(check, raw, devices)

    _check_security(check, raw)
    _check_intents(check, raw)
    own_room = check.text(raw, "room", "home", required=False)
    if own_room is not None and own_room not in rooms:
        check.fail(raw, "room", "room", f"unknown room '{own_room}' (rooms: {', '.join(rooms) or 'none'})")
    settings = {k: raw[k] for k in _SETTINGS if raw.get(k) is not None}
    return Home(rooms, devices, scenes, own_room, settings, path)


_PIN = re.compile(r"^[0-9]{4,8}$")
_PIN_FIX = 'write it as a quoted string of 4-8 digits, e.g. security: {pin: "4711"}'


def _check_intents(check: _Checker, raw: dict) -> None:
    """`intents: {dirs: [...], builtin: false}`: the home's own intent directories (relative to the home
    file), and whether the built-in sentences apply too (false: a single-purpose assistant)."""
    if raw.get("intents") is None:
        return
    intents = check.mapping(raw["intents"], raw, "intents", "intents")
    check.unknown_keys(intents, {"dirs", "builtin"}, "intents")
    check.words(intents, "dirs", "intents")
    if "builtin" in intents and not isinstance(intents["builtin"], bool):
        check.fail(intents, "builtin", "intents.builtin", f"expected true or false, got {_kind(intents['builtin'])}")


def intent_dirs(home: Home) -> list[Path]:
    """The home file's own intent directories, relative to the home file."""
    dirs = (home.settings.get("intents") or {}).get("dirs") or []
    base = home.path.parent if home.path is not None else Path.cwd()
    return [base / str(d) for d in dirs]


def builtin_intents(home: Home) -> bool:
    """False when the home file says that only its own intents apply."""
    return (home.settings.get("intents") or {}).get("builtin", True) is not False


def _check_security(check: _Checker, raw: dict) -> None:
    """The PIN must be exactly what the owner typed: `pin: 0123` unquoted is the number 123 (or 83),
    and `security: "4711"` is no PIN at all, so both are refused rather than read as something else."""
    if "security" not in raw or raw["security"] is None:
        return
    security = raw["security"]
    if not isinstance(security, dict):
        check.fail(raw, "security", "security", f"expected a mapping, got {_kind(security)}: {_PIN_FIX}")
    for key in security:
        if key != "pin":
            check.fail(security, key, "security", f"unknown key '{key}' (allowed: pin): {_PIN_FIX}")
    pin = security.get("pin")
    if pin is None:
        return
    if not isinstance(pin, str):
        check.fail(security, "pin", "security.pin", f"the PIN is {_kind(pin)}, not text: {_PIN_FIX}")
    if not _PIN.match(pin):
        check.fail(security, "pin", "security.pin", f"the PIN must be 4-8 digits: {_PIN_FIX}")


def _parse_rooms(check: _Checker, raw: dict) -> dict[str, Room]:
    rooms: dict[str, Room] = {}
    raw_rooms = check.sequence(raw.get("rooms"), raw, "rooms", "rooms")
    for i, entry in enumerate(raw_rooms):
        where = f"rooms[{i}]"
        check.mapping(entry, raw_rooms, i, where)
        room_id = check.ident(entry, where)
        where = f"rooms[{i}] ({room_id})"
        check.unknown_keys(entry, _ROOM_KEYS, where)
        if room_id in rooms:
            check.fail(entry, "id", f"{where}.id", f"duplicate room id '{room_id}'")
        name = check.text(entry, "name", where, required=False) or room_id.replace("_", " ").title()
        rooms[room_id] = Room(room_id, name, check.words(entry, "aliases", where),
                              check.text(entry, "floor", where, required=False))
    return rooms


def _parse_devices(check: _Checker, raw: dict, rooms: dict[str, Room]) -> dict[str, Device]:
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
            check.fail(entry, "type", f"{where}.type",
                       f"unknown device type '{type_name}' (known: {', '.join(sorted(types))})")
        spec = types[type_name]
        room_id = check.text(entry, "room", where, required=False)
        if room_id is not None and room_id not in rooms:
            check.fail(entry, "room", f"{where}.room", f"unknown room '{room_id}' (rooms: {', '.join(rooms) or 'none'})")
        adapter = check.text(entry, "adapter", where, required=False) or "simulated"
        if not _ADAPTER_NAME.match(adapter):
            check.fail(entry, "adapter", f"{where}.adapter", f"'{adapter}' is not a valid adapter name")
        if not adapter_installed(adapter):
            check.fail(entry, "adapter", f"{where}.adapter", f"no adapter named '{adapter}' is installed "
                       f"(installed: {', '.join(installed_names())})")
        options = entry.get("options")
        if options is None:
            options = {}
        check.mapping(options, entry, "options", f"{where}.options")
        device_class = _device_class(check, entry, spec, where)
        features = check.words(entry, "features", where) if "features" in entry else None
        for feature in features or ():
            if feature not in spec.features:
                check.fail(entry, "features", f"{where}.features",
                           f"unknown feature '{feature}' for a {type_name} (known: {', '.join(sorted(spec.features)) or 'none'})")
        device = Device(
            id=device_id,
            name=check.text(entry, "name", where, required=False) or device_id.replace("_", " "),
            type=type_name,
            room=room_id,
            aliases=check.words(entry, "aliases", where),
            adapter=adapter,
            options=dict(options),
            device_class=device_class,
            features=features,
        )
        finish_device(device)
        devices[device_id] = device
    return devices


def _device_class(check: _Checker, entry: dict, spec: DeviceType, where: str) -> str | None:
    """The device's class: one its type knows, or, for a type that takes any class (a sensor), any
    other with one warning line: such a device is generic, its value shown as it is."""
    type_name = spec.name
    device_class = check.text(entry, "class", where, required=False)
    if device_class is not None and device_class not in spec.classes:
        if not spec.classes:
            check.fail(entry, "class", f"{where}.class", f"a {type_name} has no classes, so 'class' does not apply")
        if not spec.any_class:
            check.fail(entry, "class", f"{where}.class",
                       f"unknown {type_name} class '{device_class}' (known: {', '.join(sorted(spec.classes))})")
        check.warn(entry, "class", f"{where}.class", f"unknown {type_name} class '{device_class}': read as a generic "
                   f"{type_name}, its value shown as it is")
    if device_class is None and spec.requires_class:
        known = sorted(spec.classes)
        listed = f"one of: {', '.join(known)}" if len(known) <= 12 else (
            f"such as {', '.join(list(spec.classes)[:4])} ({len(known)} are known; any other is read as a generic {type_name})")
        check.fail(entry, None, where, f"a {type_name} needs a class, {listed}")
    return device_class


def _parse_scenes(check: _Checker, raw: dict, devices: dict[str, Device]) -> dict[str, Scene]:
    scenes: dict[str, Scene] = {}
    raw_scenes = check.sequence(raw.get("scenes"), raw, "scenes", "scenes")
    for i, entry in enumerate(raw_scenes):
        where = f"scenes[{i}]"
        check.mapping(entry, raw_scenes, i, where)
        scene_id = check.ident(entry, where)
        where = f"scenes[{i}] ({scene_id})"
        check.unknown_keys(entry, _SCENE_KEYS, where)
        if scene_id in scenes:
            check.fail(entry, "id", f"{where}.id", f"duplicate scene id '{scene_id}'")
        raw_actions = check.sequence(entry.get("actions"), entry, "actions", f"{where}.actions")
        if not raw_actions:
            check.fail(entry, "actions" if "actions" in entry else None, f"{where}.actions",
                       "a scene needs at least one action")
        actions = [_parse_action(check, raw_actions, j, f"{where}.actions[{j}]", devices) for j in range(len(raw_actions))]
        scenes[scene_id] = Scene(
            scene_id,
            check.text(entry, "name", where, required=False) or scene_id.replace("_", " "),
            check.words(entry, "aliases", where),
            tuple(actions),
        )
    return scenes


def _parse_action(check: _Checker, raw_actions: list, j: int, at: str, devices: dict[str, Device]) -> SceneAction:
    action = check.mapping(raw_actions[j], raw_actions, j, at)
    check.unknown_keys(action, _ACTION_KEYS, at)
    device_id = check.text(action, "device", at)
    intent = check.text(action, "intent", at)
    if device_id not in devices:
        check.fail(action, "device", f"{at}.device", f"unknown device '{device_id}'")
    device = devices[device_id]
    command = device.commands.get(intent)
    if command is None:
        check.fail(action, "intent", f"{at}.intent",
                   f"the {device.name.lower()} ({device.type}) cannot do '{intent}' (it can: {', '.join(device.commands)})")
    slots = action.get("slots")
    if slots is None:
        slots = {}
    check.mapping(slots, action, "slots", f"{at}.slots")
    for slot, value in slots.items():
        problem = _slot_problem(device, command, slot, value)
        if problem:
            check.fail(slots, slot, f"{at}.slots.{slot}", f"the {device.name.lower()} {problem}")
    return SceneAction(device_id, intent, dict(slots))


def _slot_problem(device: Device, command: Command, slot: str, value: Any) -> str | None:
    """Why a scene slot value cannot work for this device's command, or None if it can."""
    props: list[Property] = []
    if slot in ("value", "delta") and command.adjust:
        props = [device.properties[p] for p in command.adjust]
    elif slot == "mode" and command.modes:
        props = [device.properties[p] for p in command.modes]
    elif slot == "mode" and command.run in ("programme_start", "programme_choose"):
        programme = device.properties.get("programme")
        props = [programme] if programme else []
    if slot == "delta":
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "needs a number for 'delta'"
    if not props:
        return None
    try:
        first_fit(props, value)
    except BadValue as exc:
        return str(exc)
    return None


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
