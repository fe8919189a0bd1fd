"""Device state in words: "the floor lamp is on", "the washing machine has 25 minutes left".

The words are data (intents/<lang>/words/states.yaml, units.yaml); this module picks which sentence fits
the state and fills it in.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.home.model import Device
from assistant.language.times import clock_of, time_words
from assistant.language.words import load_words
from assistant.reply.fields import fill
from assistant.reply.phrases import phrases


def duration_words(seconds: float, language: str = "en", before_noun: bool = False) -> str:
    """ "1 hour and 20 minutes", "5 seconds", "no time" (Korean "1시간 20분", "30초"): each unit in the form for
    its number (CLDR plural rules), the parts joined as the language lists them (durations.yaml `say`).
    BEFORE_NOUN: as said before what it measures ("the 10 minute timer"). Seconds are left out beside hours."""
    say = load_words(language, "durations").mapping("say")
    forms = {**say, **(say.get("before_noun") or {})} if before_noun else say
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    words = phrases(language)
    parts = [words.counted_form(forms[unit], count)
             for unit, count in (("hour", hours), ("minute", minutes), ("second", 0 if hours else secs)) if count]
    if not parts:
        return str(say["none"])
    return words.join(parts, str(say.get("list") or "and"))


def spoken_time(value: str, language: str = "en") -> str:
    """ "19:30" -> "7:30 PM", "07:00" -> "7 AM", "12:00" -> "noon" (Korean "오후 7시 30분", "오전 7시", "정오"):
    the words and their order are times.yaml `spoken` (`hour` for a whole hour, `minutes` for one with minutes)."""
    words = time_words(language).spoken
    hour, minute = clock_of(value)
    if (hour, minute) == (12, 0) and words.get("noon"):
        return words["noon"]
    if (hour, minute) == (0, 0) and words.get("midnight"):
        return words["midnight"]
    fields = {"hour": hour % 12 or 12, "minute": minute, "mm": f"{minute:02d}", "part": words["pm" if hour >= 12 else "am"]}
    return fill(words["minutes" if minute else "hour"], fields)


def number_words(value: Any, unit: str | None, language: str = "en") -> str:
    """ "22 degrees" (Korean "22도"): the number and how its unit is said."""
    from assistant.reply.phrases import unit_word

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    word = unit_word(unit, language)
    if not word:
        return str(value)
    return fill(load_words(language, "units").text("number"), {"value": value, "unit": word}).strip()


class StateWords:
    """One language's sentences about device state (intents/<lang>/words/states.yaml)."""

    def __init__(self, language: str):
        self.language = language
        self.words = phrases(language)
        self.data = load_words(language, "states").data
        self.values = self.data.get("values") or {}  # how a programme or mode is said ("cotton"), where not as its id

    def value(self, value: Any) -> Any:
        return self.values.get(value, value) if isinstance(value, str) else value

    def say(self, template: str, **fields: Any) -> str:
        return self.words.finish(fill(template, fields))

    def number(self, value: Any, unit: str | None = "celsius") -> str:
        return number_words(value, unit, self.language)

    def describe(self, device: Device, state: dict[str, Any]) -> str:
        name = self.words.the(device)
        t = device.type
        if t in ("lock", "valve", "cover"):
            return self._open_or_locked(device, name, state)
        if t in ("washer", "rice_cooker"):
            return self._programme(name, state)
        if t in ("kettle", "water_heater", "fridge"):
            return self._heat(device, name, state)
        if t == "vacuum":
            return self._vacuum(name, state)
        if t == "sensor":
            return self._sensor(device, name, state)
        if "power" in state:
            return self._power(device, name, state)
        items = ", ".join(self.say(self.data["property"], key=k.replace("_", " "), value=v) for k, v in state.items())
        return self.say(self.data["other"], name=name, properties=items)

    def _open_or_locked(self, device: Device, name: str, state: dict[str, Any]) -> str:
        words = self.data[device.type]
        if device.type == "lock":
            return self.say(words["locked" if state.get("locked") else "unlocked"], name=name)
        if device.type == "valve":
            return self.say(words["open" if state.get("open") else "closed"], name=name)
        position = int(state.get("position", 0))
        key = "open" if position >= 100 else "closed" if position <= 0 else "partly"
        agreement = self.words.agreement([device])
        return self.say(words[key], name=name, position=position, **agreement)

    def _programme(self, name: str, state: dict[str, Any]) -> str:
        words = self.data["programme"]
        status = state.get("status", "idle")
        left = duration_words(state.get("time_left", 0), self.language)
        return self.say(words.get(status, words["idle"]), name=name, programme=self.value(state.get("programme")), left=left)

    def _heat(self, device: Device, name: str, state: dict[str, Any]) -> str:
        if device.type == "fridge":
            return self.say(self.data["fridge"], name=name, fridge=self.number(state.get("fridge_temperature")),
                            freezer=self.number(state.get("freezer_temperature")))
        water = self.number(state.get("water_temperature"))
        if device.type == "kettle":
            words = self.data["kettle"]
            return self.say(words.get(state.get("status", "idle"), words["idle"]), name=name, water=water)
        words = self.data["water_heater"]
        power = self.say(self.data["power"]["on" if state.get("power") else "off"], name=name)
        key = "heating" if state.get("status") == "heating" else "default"
        return self.say(words[key], power=power, water=water, target=self.number(state.get("target_temperature")))

    def _vacuum(self, name: str, state: dict[str, Any]) -> str:
        words = self.data["vacuum"]
        status = state.get("status", "docked")
        area = state.get("cleaning_area")
        if status == "cleaning" and area:
            doing = self.say(words["cleaning_area"], area=area.replace("_", " "))
        else:
            doing = words.get(status, status) if status in ("cleaning", "returning", "docked", "paused") else status
        return self.say(words["default"], name=name, doing=doing, battery=state.get("battery", 0))

    def _sensor(self, device: Device, name: str, state: dict[str, Any]) -> str:
        """A reading in its unit ("reads 68 percent"), or the state a two-state sensor is in, said by the
        class's own sentence for it, else the state's, else the plain one (words/states.yaml `sensor`)."""
        words = self.data["sensor"]
        prop = device.properties.get("value")
        value = state.get("value")
        kind = device.spec.classes.get(device.device_class or "")
        code = kind.state_of(value) if kind is not None and kind.two_state else None
        if code is not None:
            own = (words.get("classes") or {}).get(device.device_class) or {}
            template = own.get(code) or (words.get("states") or {}).get(code) or words["state"]
            things = words.get("things") or {}
            return self.say(template, name=name, state=self.value(code),
                            thing=things.get(device.device_class, things.get("default", "")))
        if value is None or value == "":
            return self.say(words["no_reading"], name=name)
        unit = prop.unit if prop is not None and prop.unit else None
        if kind is None and device.options.get("unit_of_measurement"):  # a class we do not know: as it came
            return self.say(words["reads"], name=name, reading=f"{value} {device.options['unit_of_measurement']}")
        return self.say(words["reads"], name=name, reading=self.number(value, unit))

    def measured(self, device: Device, state: dict[str, Any], classes: list[str]) -> str | None:
        """What a device that is no sensor measures of these classes of sensor, as a sensor would say it ("the
        air purifier reads 42"; types.yaml `senses`), or None."""
        senses = device.spec.extra.get("senses") or {} if device.type != "sensor" else {}
        prop = next((device.properties.get(senses[c]) for c in classes if c in senses), None)
        if prop is None or state.get(prop.name) is None:
            return None
        reading = self.number(state[prop.name], prop.unit)
        return self.say(self.data["sensor"]["reads"], name=self.words.the(device), reading=reading)

    def _power(self, device: Device, name: str, state: dict[str, Any]) -> str:
        words = self.data["power"]
        clause = self.say(words["on" if state.get("power") else "off"], name=name)
        if not state.get("power"):
            return clause
        t = device.type
        if t == "light" and "brightness" in state and state.get("brightness") not in (None, 100):
            clause += self.say(words["brightness"], brightness=state["brightness"])
        if t == "climate":
            clause += self.say(words["climate"], mode=self.value(state.get("mode")), target=self.number(state.get("target_temperature")))
        if t == "fan":
            clause += self.say(words["fan"], speed=state.get("speed"))
        if t in ("tv", "speaker") and state.get("muted"):
            clause += words["muted"]
        if t == "air_purifier":
            clause += self.say(words["air_purifier"], mode=self.value(state.get("mode")))
        return clause


@lru_cache(maxsize=None)
def state_words(language: str = "en") -> StateWords:
    return StateWords(language)


def describe(device: Device, state: dict[str, Any], asked: str | None = None, language: str = "en",
             classes: list[str] | None = None) -> str:
    """One clause about the device's state, aimed at what was asked if we know (CLASSES: the classes of sensor
    the question named, "the air quality", which a device that is no sensor may measure)."""
    words = state_words(language)
    return (words.measured(device, state, classes) if classes else None) or words.describe(device, state)


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
    if device.type == "sensor":  # "is the lock battery low", "is there smoke": the state its class names
        kind = device.spec.classes.get(device.device_class or "")
        verdict = kind.holds(state.get("value"), asked) if kind is not None and "value" in state else None
        if verdict is not None:
            return verdict
    check = checks.get(asked)
    return check(state) if check else None


def _is_open(device: Device, state: dict[str, Any]) -> bool | None:
    if "position" in state:
        return int(state["position"]) > 0
    if "open" in state:
        return bool(state["open"])
    if "locked" in state:
        return not state["locked"]
    return None
