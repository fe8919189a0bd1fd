"""Device state in words: "the floor lamp is on", "the washing machine has 25 minutes left"."""

from __future__ import annotations

from typing import Any

from assistant.home.types import unit_word
from assistant.home.model import Device
from assistant.reply.phrases import phrases, spoken_name

def the(device: Device, language: str = "en") -> str:
    """'the floor lamp' (names are lower-cased unless they look like acronyms)."""
    return phrases(language).the(device)


def the_name(device: Device, capital: bool = False, language: str = "en") -> str:
    """'the floor lamp', or 'The floor lamp' to start a sentence (acronyms keep their case)."""
    return phrases(language).the_name(device, capital)


def the_room(name: str, language: str = "en") -> str:
    """'the garage', 'the living room'; a possessive name stands alone: "Anna's room"."""
    return phrases(language).the_room(name)


def cannot(device: Device, intent: str, language: str = "en") -> str:
    """A reply for a command the device has no way to do."""
    return phrases(language).cannot(device, intent)


def duration_words(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs and not hours:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    if not parts:
        return "no time"
    return " and ".join(parts)


def number_words(value: Any, unit: str | None) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    word = unit_word(unit)
    return f"{value} {word}".strip()


def describe(device: Device, state: dict[str, Any], asked: str | None = None) -> str:
    """One clause about the device's state, aimed at what was asked if we know."""
    name = the(device)
    t = device.type
    if t == "lock":
        return f"{name} is {'locked' if state.get('locked') else 'unlocked'}"
    if t == "cover":
        position = int(state.get("position", 0))
        if position >= 100:
            return f"{name} {'are' if name.endswith('s') else 'is'} open"
        if position <= 0:
            return f"{name} {'are' if name.endswith('s') else 'is'} closed"
        return f"{name} {'are' if name.endswith('s') else 'is'} {position} percent open"
    if t == "valve":
        return f"{name} is {'open' if state.get('open') else 'closed'}"
    if t in ("washer", "rice_cooker"):
        status = state.get("status", "idle")
        if status == "running":
            return f"{name} is running {state.get('programme')}, with {duration_words(state.get('time_left', 0))} left"
        if status == "paused":
            return f"{name} is paused, with {duration_words(state.get('time_left', 0))} left"
        if status == "finished":
            return f"{name} is done"
        if status == "keep warm":
            return f"{name} is done and keeping warm"
        return f"{name} is idle"
    if t == "kettle":
        status = state.get("status", "idle")
        if status == "heating":
            return f"{name} is heating, at {number_words(state.get('water_temperature'), 'celsius')}"
        if status == "boiled":
            return f"{name} has boiled"
        return f"{name} is off"
    if t == "water_heater":
        clause = f"{name} is {'on' if state.get('power') else 'off'}"
        water = number_words(state.get("water_temperature"), "celsius")
        if state.get("status") == "heating":
            return f"{clause}, heating the water to {number_words(state.get('target_temperature'), 'celsius')} (now {water})"
        return f"{clause}, the water is at {water}"
    if t == "vacuum":
        status = state.get("status", "docked")
        area = state.get("cleaning_area")
        doing = {"cleaning": f"cleaning the {area.replace('_', ' ')}" if area else "cleaning",
                 "returning": "returning to its dock", "docked": "docked", "paused": "paused"}.get(status, status)
        return f"{name} is {doing}, battery {state.get('battery', 0)} percent"
    if t == "sensor":
        prop = device.properties.get("value")
        value = state.get("value")
        cls = device.device_class
        if cls in ("door", "window"):
            return f"{name} says {cls} {value}"
        if prop is not None and prop.type == "bool":
            detected = {"motion": "motion", "occupancy": "someone there", "smoke": "smoke", "moisture": "water"}.get(cls, "it")
            return f"{name} {'detects' if value else 'detects no'} {detected}"
        return f"{name} reads {number_words(value, prop.unit if prop else None)}"
    if t == "fridge":
        return (f"{name} is at {number_words(state.get('fridge_temperature'), 'celsius')}, "
                f"the freezer at {number_words(state.get('freezer_temperature'), 'celsius')}")
    if "power" in state:
        clause = f"{name} is {'on' if state.get('power') else 'off'}"
        if state.get("power"):
            if t == "light" and "brightness" in state and state.get("brightness") not in (None, 100):
                clause += f" at {state['brightness']} percent"
            if t == "climate":
                clause += f", {state.get('mode')} to {number_words(state.get('target_temperature'), 'celsius')}"
            if t == "fan":
                clause += f" at speed {state.get('speed')}"
            if t in ("tv", "speaker") and state.get("muted"):
                clause += " and muted"
            if t == "air_purifier":
                clause += f" in {state.get('mode')} mode"
        return clause
    return f"{name} is " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in state.items())


def answers_yes(device: Device, state: dict[str, Any], asked: str) -> bool | None:
    """Whether the device is in the asked state ('on', 'locked', 'done', ...); None if it doesn't apply."""
    asked = asked.lower()
    checks = {
        "on": lambda s: bool(s.get("power")) if "power" in s else None,
        "off": lambda s: (not s.get("power")) if "power" in s else None,
        "locked": lambda s: bool(s.get("locked")) if "locked" in s else None,
        "unlocked": lambda s: (not s.get("locked")) if "locked" in s else None,
        "open": lambda s: _is_open(device, s),
        "closed": lambda s: None if _is_open(device, s) is None else not _is_open(device, s),
        "running": lambda s: s.get("status") in ("running", "heating", "cleaning") if "status" in s else None,
        "playing": lambda s: s.get("playback") == "playing" if "playback" in s else None,
        "paused": lambda s: s.get("status") == "paused" or s.get("playback") == "paused",
        "cleaning": lambda s: s.get("status") == "cleaning" if "status" in s else None,
        "docked": lambda s: s.get("status") == "docked" if "status" in s else None,
        "charging": lambda s: s.get("status") == "docked" if "status" in s else None,
    }
    for word in ("done", "finished", "ready", "boiled"):
        checks[word] = lambda s: s.get("status") in ("finished", "keep warm", "boiled", "ready") if "status" in s else None
    check = checks.get(asked)
    return check(state) if check else None


def _is_open(device: Device, state: dict[str, Any]) -> bool | None:
    if "position" in state:
        return int(state["position"]) > 0
    if "open" in state:
        return bool(state["open"])
    if device.device_class in ("door", "window"):
        return state.get("value") == "open"
    if "locked" in state:
        return not state["locked"]
    return None
