"""The device model: which properties a type of device has, which intents it obeys, which values fit.

The types live in types.yaml; this module reads them and answers questions about them. Checking a
value against a property (range, allowed words, colour names) lives here too, so every adapter
refuses the same things with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_TYPES_FILE = Path(__file__).with_name("types.yaml")


class BadValue(ValueError):
    """A value that does not fit a property: a code ("out_of_range") with the property and the value, never a
    sentence; assistant/reply/problems.py says it ("can only be set between 16 and 30 degrees", completing
    "The <device> ...") in the user's language, and str() in English. `others` are the further properties
    the value was tried against, said as what would fit them."""

    def __init__(self, code: str, prop: Property, value: Any = None):
        super().__init__(code)
        self.code = code
        self.prop = prop
        self.value = value
        self.others: list[Property] = []

    def __str__(self) -> str:
        from assistant import errors  # its renderer is set by reply/problems.py (see there)

        return errors.english(self) if errors.english is not None else self.code


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
    presets: dict[str, float] = field(default_factory=dict)

    @property
    def writable(self) -> bool:
        return "w" in self.access

    @property
    def words(self) -> str:
        """The property's name as said: 'target temperature'."""
        return self.name.replace("_", " ")

    def holds(self, value: Any) -> bool:
        """Whether `value` would be accepted, without saying why not."""
        try:
            self.coerce(value)
        except BadValue:
            return False
        return True

    def coerce(self, value: Any) -> Any:
        """The value in this property's type, or BadValue saying what would fit."""
        if isinstance(value, str) and value.strip().lower().replace("_", " ") in self.presets:
            value = self.presets[value.strip().lower().replace("_", " ")]
        if self.type in ("int", "float"):
            if isinstance(value, bool):
                raise BadValue("needs_number", self)
            try:
                number = float(value)
            except (TypeError, ValueError):
                if self.presets:
                    raise BadValue("no_preset", self, value) from None
                raise BadValue("not_a_number", self, value) from None
            if number != number or number in (float("inf"), float("-inf")):
                raise BadValue("not_a_number", self, value)
            if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
                raise BadValue("out_of_range", self, value)
            return int(round(number)) if self.type == "int" else round(number, 1)
        if self.type == "enum":
            text = _words(value)
            if text not in self.values:
                raise BadValue("no_such_value", self, text)
            return text
        if self.type == "color":
            text = _words(value)
            if not is_color_name(text):
                raise BadValue("unknown_colour", self, text)
            return text
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            text = _words(value)
            if text in ("true", "on", "yes", "1"):
                return True
            if text in ("false", "off", "no", "0"):
                return False
            raise BadValue("needs_on_off", self, value)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Command:
    intent: str
    set: dict[str, Any] = field(default_factory=dict)
    adjust: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    run: str | None = None
    query: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    needs_class: str | None = None
    risky: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def touches(self) -> set[str]:
        """Properties this command reads or writes."""
        return set(self.set) | set(self.query) | set(self.adjust) | set(self.modes)


@dataclass(frozen=True)
class DeviceClass:
    """A kind within a type: a sensor's `temperature`, a cover's `garage_door`."""

    name: str
    value: Property | None = None  # a sensor's reading
    risky: tuple[str, ...] = ()  # intents that need confirmation on this class
    states: dict[str, Any] = field(default_factory=dict)  # state code -> a value, or a [low, high] range
    ha: str | None = None  # Home Assistant's component/name for it, where that is not ours

    @property
    def two_state(self) -> bool:
        """A binary sensor's class: its reading is one of two states (detected/clear, open/closed)."""
        return self.value is not None and self.value.type in ("bool", "enum")

    def named_states(self) -> dict[str, Any]:
        """Each state code with what it holds: the `states` given, or an enum's own values."""
        if self.states:
            return dict(self.states)
        return {v: v for v in self.value.values} if self.value is not None and self.value.type == "enum" else {}

    def state_of(self, reading: Any) -> str | None:
        """The code of the state a reading is in ("detected", "low", "open"), or None."""
        return next((code for code in self.named_states() if self.holds(reading, code)), None)

    def holds(self, reading: Any, code: str) -> bool | None:
        """Is the reading in the state CODE? None when the class has no such state. "detected" is the
        true state of any two-state class ("is there water in the basement": a leak sensor that is wet)."""
        states = self.named_states()
        if code not in states:
            if code == PRESENT and self.value is not None and self.value.type == "bool":
                return reading is True
            return None
        wanted = states[code]
        if isinstance(wanted, list) and len(wanted) == 2:
            if isinstance(reading, bool) or not isinstance(reading, (int, float)):
                return None
            return wanted[0] <= reading <= wanted[1]
        return reading == wanted


PRESENT = "detected"  # the state code that asks whether a two-state sensor is set off


@dataclass(frozen=True)
class DeviceType:
    name: str
    words: tuple[str, ...]
    properties: dict[str, Property]
    commands: dict[str, Command]
    default_features: tuple[str, ...] = ()
    programmes: dict[str, int] = field(default_factory=dict)
    classes: dict[str, DeviceClass] = field(default_factory=dict)
    requires_class: bool = False
    any_class: bool = False  # a class it does not list still loads, as a generic device of the type
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def features(self) -> set[str]:
        return {p.feature for p in self.properties.values() if p.feature}

    def properties_for(self, features: tuple[str, ...] | None, device_class: str | None = None) -> dict[str, Property]:
        """The properties a device of this type has, given its features and class."""
        chosen = self.default_features if features is None else features
        props = {n: p for n, p in self.properties.items() if p.feature is None or p.feature in chosen}
        kind = self.classes.get(device_class or "")
        if kind is not None and kind.value is not None:
            props["value"] = kind.value
        return props

    def commands_for(self, properties: dict[str, Property], device_class: str | None = None) -> dict[str, Command]:
        """The commands a device with these properties (and class) obeys."""
        kind = self.classes.get(device_class or "")
        result = {}
        for intent, command in self.commands.items():
            if command.needs_class and command.needs_class != device_class:
                continue
            if command.needs and not any(p in properties for p in command.needs):
                continue
            if any(p not in properties for p in command.set):
                continue
            adjust = tuple(p for p in command.adjust if p in properties)
            modes = tuple(p for p in command.modes if p in properties)
            queried = tuple(p for p in command.query if p in properties)
            if (command.adjust and not adjust) or (command.modes and not modes) or (command.query and not queried):
                continue
            risky = command.risky or (kind is not None and intent in kind.risky)
            result[intent] = Command(intent, command.set, adjust, modes, command.run, queried, command.needs,
                                     command.needs_class, risky, command.options)
        return result


def first_fit(props: list[Property], value: Any) -> tuple[str, Any]:
    """The first property that accepts the value (name, coerced value), or BadValue saying what fits."""
    for prop in props:
        if prop.holds(value):
            return prop.name, prop.coerce(value)
    try:
        props[0].coerce(value)
    except BadValue as exc:
        exc.others = list(props[1:])  # said as what would fit them
        raise exc from None
    raise BadValue("no_such_value", props[0], value)  # not reached: the first property refused it


def is_color_name(text: str) -> bool:
    """Whether `text` names a colour a colour bulb can show (CSS colour names, spaces allowed)."""
    import webcolors

    try:
        webcolors.name_to_hex(text.replace(" ", ""))
    except ValueError:
        return False
    return True


def _words(value: Any) -> str:
    return " ".join(str(value).lower().replace("_", " ").split())


def _tuple(raw: Any) -> tuple:
    if raw is None:
        return ()
    return tuple(raw) if isinstance(raw, list) else (raw,)


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
        presets=dict(raw.get("presets", {})),
    )


_COMMAND_KEYS = {"set", "adjust", "modes", "run", "query", "needs", "needs_class", "risky"}


def _command(intent: str, raw: dict[str, Any]) -> Command:
    return Command(
        intent=intent,
        set=dict(raw.get("set", {})),
        adjust=_tuple(raw.get("adjust")),
        modes=_tuple(raw.get("modes")),
        run=raw.get("run"),
        query=_tuple(raw.get("query")),
        needs=_tuple(raw.get("needs")),
        needs_class=raw.get("needs_class"),
        risky=bool(raw.get("risky", False)),
        options={k: v for k, v in raw.items() if k not in _COMMAND_KEYS},
    )


def _device_class(name: str, raw: dict[str, Any] | None) -> DeviceClass:
    raw = raw or {}
    value = _property("value", {**raw["value"], "access": "r"}) if "value" in raw else None
    return DeviceClass(name, value, _tuple(raw.get("risky")), dict(raw.get("states") or {}), raw.get("ha"))


_TYPE_KEYS = {"words", "properties", "commands", "features", "programmes", "classes", "requires_class", "any_class"}


@lru_cache(maxsize=1)
def device_types() -> dict[str, DeviceType]:
    """All known device types, by name."""
    from assistant.yamlfile import parse_yaml

    raw = parse_yaml(_TYPES_FILE.read_text(encoding="utf-8"), str(_TYPES_FILE))
    types = {}
    for name, spec in raw.items():
        types[name] = DeviceType(
            name=name,
            words=tuple(spec.get("words", ())),
            properties={p: _property(p, r) for p, r in spec.get("properties", {}).items()},
            commands={i: _command(i, r) for i, r in spec.get("commands", {}).items()},
            default_features=tuple(spec.get("features", ())),
            programmes=dict(spec.get("programmes", {})),
            classes={c: _device_class(c, r) for c, r in spec.get("classes", {}).items()},
            requires_class=bool(spec.get("requires_class", False)),
            any_class=bool(spec.get("any_class", False)),
            extra={k: v for k, v in spec.items() if k not in _TYPE_KEYS},
        )
    return types
