"""Translating between our device properties and the JSON payloads devices speak on MQTT.

The mapping is data (payloads.yaml); this module holds the few codecs it names.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.home.types import Property
from assistant.errors import DeviceError
from assistant.home.model import Device
from assistant.yamlfile import load_yaml

_MAPPING_FILE = Path(__file__).with_name("payloads.yaml")
ACTION = "action"


@lru_cache(maxsize=1)
def _mapping() -> dict[str, Any]:
    return load_yaml(_MAPPING_FILE)


class Codec:
    """Encodes property values into a device's payload and decodes its state payloads."""

    def __init__(self, device: Device):
        self.device = device
        mapping = _mapping()
        by_type = mapping["types"].get(device.type, {})
        self.rules: dict[str, dict[str, Any]] = {}
        for name in device.properties:
            rule = dict(mapping["defaults"].get(name, {}))
            rule.update(by_type.get(name, {}))
            key = rule.get("key", name)
            rule["key"] = (device.device_class or "value") if key == "$class" else key
            if name == "brightness" and "brightness_scale" in device.options:
                rule["scale"] = device.options["brightness_scale"]
            self.rules[name] = rule
        self._by_key = {rule["key"]: name for name, rule in self.rules.items()}
        # A plain switch (Home Assistant's default schema): `payload_on`/`payload_off` text, not JSON.
        options = device.options
        self.plain: dict[bool, str] | None = None
        self.plain_states: dict[str, bool] = {}
        if "payload_on" in options or "payload_off" in options:
            self.plain = {True: str(options.get("payload_on", "ON")), False: str(options.get("payload_off", "OFF"))}
            self.plain_states = {str(options.get("state_on", self.plain[True])): True,
                                 str(options.get("state_off", self.plain[False])): False}

    @property
    def primary(self) -> str | None:
        """The property a bare (non-JSON) payload such as `ON` or `21.5` stands for."""
        if "state" in self._by_key:
            return self._by_key["state"]
        return next(iter(self.rules), None)

    # -- ours -> payload -------------------------------------------------------------------

    def encode(self, values: dict[str, Any]) -> dict[str, Any]:
        payload = {}
        for name, value in values.items():
            rule = self.rules.get(name)
            if rule is None:
                continue
            payload[rule["key"]] = self._encode_value(self.device.properties[name], rule, value)
        return payload

    def _encode_value(self, prop: Property, rule: dict[str, Any], value: Any) -> Any:
        if "words" in rule:
            return rule["words"][0 if value else 1]
        if "scale" in rule:
            return int(round(float(value) * float(rule["scale"]) / 100))
        codec = rule.get("codec")
        if codec == "rgb":
            return _rgb(self.device, value)
        if codec == "mired":
            return int(round(1_000_000 / float(value)))
        return value

    # -- payload -> ours -------------------------------------------------------------------

    def decode(self, payload: Any) -> dict[str, Any]:
        """Our properties from a state payload; keys we do not know and bad values are dropped."""
        if self.plain_states and not isinstance(payload, dict) and str(payload) in self.plain_states:
            return {"power": self.plain_states[str(payload)]} if "power" in self.rules else {}
        if not isinstance(payload, dict):
            return {} if self.primary is None or payload is None else self._decode_pairs({self.rules[self.primary]["key"]: payload})
        return self._decode_pairs(payload)

    def _decode_pairs(self, payload: dict[str, Any]) -> dict[str, Any]:
        values = {}
        for key, raw in payload.items():
            name = self._by_key.get(key)
            if name is None:
                continue
            try:
                value = self._decode_value(self.device.properties[name], self.rules[name], raw)
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if value is not None:
                values[name] = value
        return values

    def _decode_value(self, prop: Property, rule: dict[str, Any], raw: Any) -> Any:
        if "words" in rule:
            if isinstance(raw, bool):
                return raw
            word = str(raw).upper()
            truthy = [rule["words"][0], *rule.get("also", [])[:1]]
            falsy = [rule["words"][1], *rule.get("also", [])[1:2]]
            return True if word in truthy else False if word in falsy else None
        if "scale" in rule:
            percent = round(float(raw) * 100 / float(rule["scale"]))
            return int(min(max(percent, prop.min or 0), prop.max or 100))
        codec = rule.get("codec")
        if codec == "rgb":
            return _colour_name(raw)
        if codec == "mired":
            return int(round(1_000_000 / float(raw)))
        return _typed(prop, raw)

    def message(self, device: Device, intent: str, slots: dict[str, Any], before: dict[str, Any],
                wanted: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The text to publish for INTENT and the state that confirms it ({} for an action: any report)."""
        payload = self.command(device, intent, slots, before, wanted)
        if self.plain is not None and set(payload) <= {self.rules.get("power", {}).get("key")} and "power" in wanted:
            return self.plain[bool(wanted["power"])], {"power": bool(wanted["power"])}
        return json.dumps(payload), ({} if ACTION in payload else self.decode(payload))

    def command(self, device: Device, intent: str, slots: dict[str, Any], before: dict[str, Any],
                wanted: dict[str, Any]) -> dict[str, Any]:
        """The payload that asks the device to do INTENT: the property values it should end with, or,
        for a behaviour (start a programme, clean), an action.

        Properties a command always sets go every time; of those it chooses among (a fridge's two
        temperatures, a climate's mode or fan speed, a bulb's colour or white), only the ones it
        changes, so a bulb is not told a colour and a white at once. A command that would change
        nothing and always sets nothing still sends what it chooses among, so it says something."""
        command = device.commands[intent]
        if command.run and command.run not in _mapping()["state_behaviours"]:
            payload = {ACTION: intent}
            payload.update({k: v for k, v in slots.items() if isinstance(v, (str, int, float, bool))})
            return payload
        if command.run:
            fixed, chosen = [p for p in ("power",) if p in wanted], list(command.needs)
        else:
            fixed, chosen = list(command.set), [*command.adjust, *command.modes]
        chosen = [p for p in chosen if p in self.rules and p in wanted]
        changed = [p for p in chosen if before.get(p) != wanted[p]]
        touched = set(fixed) | set(changed or ([] if fixed else chosen))
        return self.encode({p: wanted[p] for p in self.rules if p in touched and p in wanted})


def parse_payload(raw: bytes) -> Any:
    """A message body as JSON if it is JSON, else as text (`ON`, `21.5`)."""
    text = raw.decode("utf-8")
    try:
        return json.loads(text)
    except ValueError:
        return text.strip()


def _typed(prop: Property, raw: Any) -> Any:
    if prop.type == "bool":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        return True if word in ("on", "true", "1", "yes") else False if word in ("off", "false", "0", "no") else None
    if prop.type == "int":
        return int(round(float(raw)))
    if prop.type == "float":
        return float(raw)
    if prop.type == "enum":
        text = str(raw).strip().lower().replace("_", " ")
        if len(prop.values) == 2 and text not in prop.values and text in ("on", "off", "true", "false"):
            return prop.values[0 if text in ("on", "true") else 1]  # a binary sensor's ON: a door's "open"
        return text if not prop.values or text in prop.values else None
    if isinstance(raw, (dict, list)):
        return None
    return str(raw)


def _rgb(device: Device, name: Any) -> dict[str, int]:
    import webcolors

    text = str(name).strip().lower()
    try:
        rgb = webcolors.name_to_rgb(text.replace(" ", ""))
    except ValueError:
        raise DeviceError("unknown_colour", device=device, colour=text) from None
    return {"r": rgb.red, "g": rgb.green, "b": rgb.blue}


def _colour_name(raw: Any) -> str | None:
    """The CSS colour nearest to a reported colour ({"r","g","b"}, {"hex"} or a name)."""
    import webcolors

    if isinstance(raw, str):
        return raw.strip().lower() or None
    if not isinstance(raw, dict):
        return None
    if "hex" in raw:
        rgb = tuple(webcolors.hex_to_rgb(str(raw["hex"])))
    else:
        rgb = (int(raw["r"]), int(raw["g"]), int(raw["b"]))
    best, best_distance = None, None
    for name in webcolors.names("css3"):
        r, g, b = webcolors.name_to_rgb(name)
        distance = (r - rgb[0]) ** 2 + (g - rgb[1]) ** 2 + (b - rgb[2]) ** 2
        if best_distance is None or distance < best_distance:
            best, best_distance = name, distance
    return best
