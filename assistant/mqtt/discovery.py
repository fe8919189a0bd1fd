"""Home Assistant MQTT discovery, both ways.

Reading: a retained message on `<prefix>/<component>/[<node_id>/]<object_id>/config` announces a
device (JSON: name, unique_id, command_topic, state_topic, schema, device_class, suggested_area,
...); an empty one removes it. `device_from_config` turns one into a Device of the home.
Writing: `config_for` describes one of our devices the same way, for the bridge.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.home.types import device_types
from assistant.home.model import Device, Home, Room, finish_device
from assistant.yamlfile import load_yaml

_DATA = Path(__file__).with_name("discovery.yaml")
# The abbreviations Home Assistant allows in discovery payloads, for the keys we read.
ABBREVIATIONS = {
    "cmd_t": "command_topic", "stat_t": "state_topic", "avty_t": "availability_topic", "avty": "availability",
    "uniq_id": "unique_id", "obj_id": "object_id", "dev": "device", "dev_cla": "device_class",
    "sug_area": "suggested_area", "pl_avail": "payload_available", "pl_not_avail": "payload_not_available",
    "bri_scl": "brightness_scale", "brgt": "brightness", "sup_clrm": "supported_color_modes", "t": "topic",
    "ids": "identifiers", "pos_t": "position_topic", "set_pos_t": "set_position_topic",
}
COLOUR_MODES = {"rgb", "rgbw", "rgbww", "hs", "xy"}
_SLUG = re.compile(r"[^a-z0-9]+")


class BadConfig(ValueError):
    """A discovery message we cannot use; it is logged and ignored."""


@dataclass(frozen=True)
class Announcement:
    """One discovery config, as read from the broker."""

    topic: str
    component: str
    node_id: str | None
    object_id: str
    config: dict[str, Any]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return load_yaml(_DATA)


def slug(text: str) -> str:
    return _SLUG.sub("_", str(text).lower()).strip("_")


def topic_filter(prefix: str) -> str:
    """One filter for every config under PREFIX: mosquitto then hands over the retained ones in
    about the order their topics first appeared, so a device announced earlier is read first (with
    a filter per topic depth, every config without a node id came first)."""
    return f"{prefix}/#"


def is_config_topic(prefix: str, topic: str) -> bool:
    """`<prefix>/<component>/[<node_id>/]<object_id>/config`; other topics under the prefix (Home
    Assistant's own status, say) are not announcements."""
    parts = topic[len(prefix) + 1:].split("/")
    return topic.startswith(prefix + "/") and len(parts) in (3, 4) and parts[-1] == "config"


def parse_announcement(prefix: str, topic: str, payload: bytes) -> Announcement | None:
    """The announcement on a config TOPIC, or None for a removal (empty payload). Raises BadConfig."""
    parts = topic[len(prefix) + 1:].split("/")
    component, object_id = parts[0], parts[-2]
    node_id = parts[1] if len(parts) == 4 else None
    if not payload.strip():
        return None
    try:
        raw = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadConfig(f"{topic}: not JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise BadConfig(f"{topic}: expected a JSON object")
    return Announcement(topic, component, node_id, object_id, _expanded(raw))


def _expanded(raw: dict[str, Any]) -> dict[str, Any]:
    """Long key names, and `~` replaced by the base topic, as Home Assistant reads them."""
    config = {ABBREVIATIONS.get(k, k): v for k, v in raw.items()}
    base = config.pop("~", None)
    for key, value in list(config.items()):
        if isinstance(value, dict):
            config[key] = {ABBREVIATIONS.get(k, k): v for k, v in value.items()}
        elif isinstance(value, list):
            config[key] = [{ABBREVIATIONS.get(k, k): v for k, v in v.items()} if isinstance(v, dict) else v for v in value]
    if isinstance(base, str):
        for key, value in list(config.items()):
            if key.endswith("topic") and isinstance(value, str):
                config[key] = value.replace("~", base) if value.startswith("~") or value.endswith("~") else value
        for item in config.get("availability") or []:
            if isinstance(item, dict) and isinstance(item.get("topic"), str):
                item["topic"] = item["topic"].replace("~", base)
    return config


def device_id_of(item: Announcement) -> str:
    """The id a discovered device gets: its object id, as Home Assistant names its entity."""
    device_id = slug(item.config.get("object_id") or item.object_id)
    if not device_id:
        raise BadConfig(f"{item.topic}: no usable id")
    return device_id


def topics_in(config: dict[str, Any]) -> dict[str, str]:
    """The command, state and availability topics an announcement names (availability: its first)."""
    topics = {kind: config[f"{kind}_topic"] for kind in ("command", "state", "availability")
              if isinstance(config.get(f"{kind}_topic"), str)}
    availability = config.get("availability")
    if "availability" not in topics and isinstance(availability, list) and availability:
        first = availability[0]
        if isinstance(first, dict) and isinstance(first.get("topic"), str):
            topics["availability"] = first["topic"]
    return topics


def device_from_config(item: Announcement, home: Home) -> Device:
    """A Device for an announcement; its suggested area becomes a room (matched by name or alias,
    or added to the home). Raises BadConfig when the announcement does not describe a device we know."""
    config = item.config
    types = device_types()
    type_name = config.get("assistant_type") or _data()["components"].get(item.component)
    if type_name not in types:
        raise BadConfig(f"{item.topic}: no device type for component '{item.component}'")
    spec = types[type_name]
    info = config.get("device") if isinstance(config.get("device"), dict) else {}
    name = config.get("name") or info.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadConfig(f"{item.topic}: no name")
    if not isinstance(config.get("state_topic"), str) and not isinstance(config.get("command_topic"), str):
        raise BadConfig(f"{item.topic}: neither a state_topic nor a command_topic")

    device_class = config.get("device_class")
    device_class = our_class(item.component, type_name, device_class) if isinstance(device_class, str) else None
    if spec.requires_class and device_class not in spec.classes and not spec.any_class:
        raise BadConfig(f"{item.topic}: a {type_name} of unknown class '{device_class}'")

    aliases = config.get("assistant_aliases") or []
    options: dict[str, Any] = {"discovered": item.topic}
    options.update({f"{kind}_topic": topic for kind, topic in topics_in(config).items()})
    for key in ("schema", "brightness_scale", "payload_available", "payload_not_available",
                "payload_on", "payload_off", "state_on", "state_off", "unit_of_measurement"):
        if key in config:
            options[key] = config[key]
    availability = config.get("availability")
    first = availability[0] if isinstance(availability, list) and availability else None
    if "availability_topic" not in config and isinstance(first, dict):
        options.update({k: first[k] for k in ("payload_available", "payload_not_available") if k in first})

    device = Device(
        id=device_id_of(item),
        name=name.strip(),
        type=type_name,
        room=_room_for(home, config.get("suggested_area") or info.get("suggested_area")),
        aliases=tuple(a for a in aliases if isinstance(a, str) and a.strip()),
        adapter="mqtt",
        options=options,
        device_class=device_class,
        features=_features(type_name, config),
    )
    finish_device(device)
    return device


def our_class(component: str, type_name: str, theirs: str) -> str:
    """Our name for Home Assistant's device class THEIRS of COMPONENT: where it differs, the class in
    types.yaml that says `ha: component/theirs` (a binary_sensor's battery is our battery_low), or
    discovery.yaml's `device_classes` (a cover's garage is our garage_door); else the same name."""
    spec = device_types().get(type_name)
    for name, kind in (spec.classes.items() if spec else ()):
        if kind.ha == f"{component}/{theirs}":
            return name
    return (_data()["device_classes"].get(component) or {}).get(theirs, theirs)


def their_class(device: Device) -> str:
    """Home Assistant's name for the device's class (`our_class` the other way)."""
    kind = device.spec.classes.get(device.device_class or "")
    if kind is not None and kind.ha:
        return kind.ha.split("/", 1)[1]
    mapped = _data()["device_classes"].get(component_for(device)) or {}
    their_classes = {ours: theirs for theirs, ours in mapped.items()}
    return their_classes.get(device.device_class, device.device_class)


def unknown_class(device: Device) -> str | None:
    """The warning for a device whose class its type does not know (a sensor read as a generic one)."""
    if device.device_class is None or device.device_class in device.spec.classes:
        return None
    return (f"warning: {device.name} ({device.id}) is a {device.type} of a class we do not know, "
            f"'{device.device_class}': read as a generic {device.type}, its value shown as it is")


def _features(type_name: str, config: dict[str, Any]) -> tuple[str, ...] | None:
    if "assistant_features" in config and isinstance(config["assistant_features"], list):
        return tuple(str(f) for f in config["assistant_features"])
    if type_name != "light":
        return None
    modes = set(config.get("supported_color_modes") or [])
    features = []
    if config.get("brightness") or modes - {"onoff"}:
        features.append("dimmable")
    if modes & COLOUR_MODES:
        features.append("color")
    if "color_temp" in modes:
        features.append("color_temp")
    return tuple(features)


def _room_for(home: Home, area: Any) -> str | None:
    """The home's room called AREA (by id, name or alias), or a new room of that name."""
    if not isinstance(area, str) or not area.strip():
        return None
    wanted = slug(area)
    for room in home.rooms.values():
        if wanted == room.id or any(slug(n) == wanted for n in room.names):
            return room.id
    home.rooms[wanted] = Room(wanted, area.strip())
    return wanted


# -- our devices, announced -----------------------------------------------------------------

def component_for(device: Device) -> str:
    if device.type == "sensor":
        kind = device.spec.classes.get(device.device_class or "")
        return "binary_sensor" if kind is not None and kind.two_state else "sensor"
    for component, type_name in _data()["components"].items():
        if type_name == device.type:
            return component
    return device.type  # a component Home Assistant does not have; our own config key says what it is


def config_for(device: Device, home: Home, prefix: str, node_id: str, topics: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The discovery topic and config that announce DEVICE (with its command/state/availability topics)."""
    component = component_for(device)
    room = home.rooms.get(device.room) if device.room else None
    config: dict[str, Any] = {
        "name": device.name,
        "unique_id": f"{node_id}_{device.id}",
        "object_id": device.id,
        "schema": "json",
        "command_topic": topics["command"],
        "state_topic": topics["state"],
        "availability_topic": topics["availability"],
        "assistant_type": device.type,
        "assistant_features": [p.feature for p in device.properties.values() if p.feature],
        "device": {"identifiers": [f"{node_id}_{device.id}"], "name": device.name},
    }
    if device.aliases:
        config["assistant_aliases"] = list(device.aliases)
    if device.device_class:
        config["device_class"] = their_class(device)
    if room is not None:
        config["suggested_area"] = room.name
        config["device"]["suggested_area"] = room.name
    if device.type == "light":
        features = {p.feature for p in device.properties.values() if p.feature}
        modes = [m for m, feature in (("rgb", "color"), ("color_temp", "color_temp")) if feature in features]
        config["brightness"] = "dimmable" in features
        config["supported_color_modes"] = modes or (["brightness"] if "dimmable" in features else ["onoff"])
    return f"{prefix}/{component}/{node_id}/{device.id}/config", config
