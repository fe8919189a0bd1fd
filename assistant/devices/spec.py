"""The device model: which properties a type of device has and which intents it obeys."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_TYPES_FILE = Path(__file__).with_name("types.yaml")


@dataclass(frozen=True)
class Property:
    name: str
    type: str  # bool, int, float, enum, color, text
    default: Any = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    values: tuple[str, ...] = ()
    access: str = "rw"
    feature: str | None = None

    @property
    def writable(self) -> bool:
        return "w" in self.access


@dataclass(frozen=True)
class Command:
    intent: str
    set: dict[str, Any] = field(default_factory=dict)
    adjust: str | None = None
    run: str | None = None
    query: tuple[str, ...] = ()
    risky: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def touches(self) -> set[str]:
        """Properties this command needs the device to have."""
        props = set(self.set) | set(self.query)
        if self.adjust:
            props.add(self.adjust)
        return props


@dataclass(frozen=True)
class DeviceType:
    name: str
    words: tuple[str, ...]
    properties: dict[str, Property]
    commands: dict[str, Command]
    default_features: tuple[str, ...] = ()
    programmes: dict[str, int] = field(default_factory=dict)
    classes: dict[str, Property] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def properties_for(self, features: tuple[str, ...] | None, device_class: str | None = None) -> dict[str, Property]:
        """The properties a device of this type has, given its features and class."""
        chosen = self.default_features if features is None else features
        props = {n: p for n, p in self.properties.items() if p.feature is None or p.feature in chosen}
        if device_class and device_class in self.classes:
            props["value"] = self.classes[device_class]
        return props

    def commands_for(self, properties: dict[str, Property], device_class: str | None = None) -> dict[str, Command]:
        """The commands a device with these properties obeys."""
        result = {}
        for intent, command in self.commands.items():
            needed_class = command.options.get("needs_class")
            if needed_class and needed_class != device_class:
                continue
            if command.adjust and command.adjust not in properties:
                continue
            if any(p not in properties for p in command.set):
                continue
            queried = tuple(p for p in command.query if p in properties)
            if command.query and not queried:
                continue
            result[intent] = Command(
                intent, command.set, command.adjust, command.run, queried, command.risky, command.options
            )
        return result


def _property(name: str, raw: dict[str, Any]) -> Property:
    return Property(
        name=name,
        type=raw["type"],
        default=raw.get("default"),
        min=raw.get("min"),
        max=raw.get("max"),
        unit=raw.get("unit"),
        values=tuple(raw.get("values", ())),
        access=raw.get("access", "rw"),
        feature=raw.get("feature"),
    )


def _command(intent: str, raw: dict[str, Any]) -> Command:
    known = {"set", "adjust", "run", "query", "risky"}
    return Command(
        intent=intent,
        set=dict(raw.get("set", {})),
        adjust=raw.get("adjust"),
        run=raw.get("run"),
        query=tuple(raw.get("query", ())),
        risky=bool(raw.get("risky", False)),
        options={k: v for k, v in raw.items() if k not in known},
    )


@lru_cache(maxsize=1)
def device_types() -> dict[str, DeviceType]:
    """All known device types, by name."""
    # libyaml when present: the pure-Python parser took ~0.1 s of every start-up for this file
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(_TYPES_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    types = {}
    for name, spec in raw.items():
        known = {"words", "properties", "commands", "features", "programmes", "classes"}
        types[name] = DeviceType(
            name=name,
            words=tuple(spec.get("words", ())),
            properties={p: _property(p, r) for p, r in spec.get("properties", {}).items()},
            commands={i: _command(i, r) for i, r in spec.get("commands", {}).items()},
            default_features=tuple(spec.get("features", ())),
            programmes=dict(spec.get("programmes", {})),
            classes={c: _property("value", r) for c, r in spec.get("classes", {}).items()},
            extra={k: v for k, v in spec.items() if k not in known},
        )
    return types
