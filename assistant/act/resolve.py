"""Resolve a command's slots to devices of the home, using the assistant's room and context.

Targets come from, in order: device names, rooms/floors/types ("the kitchen lights", "the lights
upstairs", "all the lights"), the devices of the last turn ("turn it off"), and finally the
devices of the assistant's own room that can do what was asked ("a bit brighter").
A singular kind word that fits several devices ("the lamp") becomes a question, not a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.understand.command import Command
from assistant.language.words import load_words
from assistant.home.model import Device, Home
from assistant.language.intents import SlotList
from assistant.understand.normalize import normalize as _words
from assistant.language.numbers import digits_in


def normalize(text: str) -> str:
    """Words as the matcher sees them: lower case, numbers as digits ("Lamp Two" -> "lamp 2")."""
    return digits_in(_words(text))


# Intents that act on the whole home rather than a device.
DEVICELESS = {
    "start_timer", "cancel_timer", "timer_status", "pause_timer", "resume_timer", "extend_timer", "shorten_timer",
    "get_time", "get_date", "run_scene", "cancel", "help",
}

# With no device named and nothing in context, the kinds of device an intent most likely means,
# in order of preference ("what's the temperature" asks a thermometer before an air conditioner).
DEFAULT_TYPES = {
    "set_brightness": ["light"], "set_color": ["light"], "set_temperature": ["climate"],
    "get_temperature": ["sensor", "climate"], "set_volume": ["tv", "speaker"], "volume_up": ["tv", "speaker"],
    "volume_down": ["tv", "speaker"], "mute": ["tv", "speaker"], "unmute": ["tv", "speaker"],
    "set_channel": ["tv"], "media_play": ["speaker", "tv"], "media_pause": ["speaker", "tv"],
    "media_next": ["speaker", "tv"], "media_previous": ["speaker", "tv"], "set_position": ["cover"],
    "open": ["cover"], "close": ["cover"], "dock": ["vacuum"], "lock": ["lock"], "unlock": ["lock"],
}
MAX_CHOICES = 4
# The intents that act on a device (what a device "can't" do is said by assistant/reply/phrases.py);
# `set_mode_delta` is a relative change of mode ("faster").
ABILITY = frozenset({
    "turn_on", "turn_off", "set_brightness", "set_color", "set_temperature", "get_temperature", "set_volume",
    "volume_up", "volume_down", "mute", "unmute", "set_channel", "media_play", "media_pause", "media_next",
    "media_previous", "open", "close", "set_position", "lock", "unlock", "start", "pause", "stop", "dock",
    "set_mode", "get_state", "set_mode_delta",
})


# A state asked of many devices, and the property a device needs for the question to apply to it.
STATE_PROPERTY = {"on": "power", "off": "power", "locked": "locked", "unlocked": "locked"}


@dataclass
class Resolution:
    devices: list[Device] = field(default_factory=list)
    problem: str | None = None  # why nothing can be done: a code said by assistant/reply/problems.py
    data: dict[str, Any] = field(default_factory=dict)  # the problem's values (device, rooms, kinds...)
    skipped: list[Device] = field(default_factory=list)  # named but unable to do it
    choices: list[Device] = field(default_factory=list)  # several fit: ask which one
    noun: str = ""  # the word to ask with: "Which lamp: ...?"


def _owners(home: Home, language: str) -> list[tuple[tuple[str, ...], str]]:
    """A room named for whose it is ("Lily's room") holds their things: "Lily's nightlight" is the one there."""
    possessive = str(load_words(language, "spelling").get("possessive") or "")
    owners = []
    for room in home.rooms.values():
        for name in room.names:
            words = name.lower().replace("\u2019", "'").split()
            owned = [w[: -len(possessive)] for w in words[:1] if possessive and w.endswith(possessive) and len(w) > len(possessive)]
            owners += [(tuple(normalize(w).split()), room.id) for w in owned]
    return owners


def home_lists(home: Home, language: str = "en") -> dict[str, SlotList]:
    """The slot lists the home provides to templates: {name}, {area}, {here}, {floor}, {type}, {scene}."""
    from assistant.home.types import device_types

    names: dict[tuple[str, ...], str] = {}
    for device in home.devices.values():
        for name in device.names:
            words = tuple(normalize(name).split())
            names.setdefault(words, " ".join(words))
    for head in head_names(home, language):
        names.setdefault((head,), head)
    areas = [(tuple(normalize(n).split()), room.id) for room in home.rooms.values() for n in room.names]
    areas += _owners(home, language)
    places = load_words(language, "places")
    here = [(tuple(w.split()), home.room or "here") for w in places.words("here")]
    floors = [(tuple(normalize(f).split()), f) for f in home.floors()]
    floors += [(tuple(normalize(f).split()) + (places.text("floor"),), f) for f in home.floors()]
    downstairs = places.text("downstairs")
    lowest = next((f for f in home.floors() if f in places.words("lowest_floors")), None)
    if lowest and downstairs not in home.floors():
        floors.append(((downstairs,), lowest))
    if lowest:  # "the ground floor", whatever the home calls it
        floors += [(tuple(normalize(w).split()), lowest) for w in places.words("lowest_names")]
    upstairs, others = places.get("upstairs"), [f for f in home.floors() if f != lowest]
    if lowest and upstairs and len(others) == 1 and upstairs not in home.floors():  # two floors: the other is upstairs
        floors.append((tuple(normalize(str(upstairs)).split()), others[0]))
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
        "here": SlotList("here", here),
        "floor": SlotList("floor", floors),
        "type": SlotList("type", types),
        "class": SlotList("class", _class_words(home, language, {w for w, _ in types})),
        "scene": SlotList("scene", scenes),
    }


def head_names(home: Home, language: str = "en") -> dict[str, Device]:
    """A device said by the last word of its name alone ("the pendants" for the Island Pendants, "the thermometer"):
    only a word that ends a name of one device and is in no other device's names, no room's and no kind's, of a
    name said without filler words ("lamp by the sofa" gives no "sofa")."""
    from assistant.home.types import device_types

    taken = {w for room in home.rooms.values() for n in room.names for w in normalize(n).split()}
    taken |= {w for spec in device_types().values() for word in spec.words for w in normalize(word).split()}
    taken |= {w for word in load_words(language, "places").mapping("cover_classes") for w in normalize(str(word)).split()}
    taken |= {w for word in load_words(language, "sensors").mapping("words") for w in normalize(str(word)).split()}
    fillers = set(load_words(language, "compose").words("fillers"))
    owners: dict[str, set[str]] = {}
    for device in home.devices.values():
        for name in device.names:
            for word in normalize(name).split():
                owners.setdefault(word, set()).add(device.id)
    heads: dict[str, Device] = {}
    for device in home.devices.values():
        for name in device.names:
            words = normalize(name).split()
            if len(words) > 1 and not fillers.intersection(words) and len(words[-1]) > 3 \
                    and words[-1] not in taken and owners[words[-1]] == {device.id}:
                heads[words[-1]] = device
    return heads


def _class_words(home: Home, language: str, kinds: set[tuple[str, ...]]) -> list[tuple[tuple[str, ...], Any]]:
    """The {class} list: the words that name what the home's sensors sense ("smoke", "humidity", "air
    quality"; words/sensors.yaml), each with the classes it names that the home has, the likeliest first (one
    class, or a list). A word that is a kind of device in the home stays the kind."""
    have = {d.device_class for d in home.devices.values() if d.type == "sensor" and d.device_class}
    have |= {c for d in home.devices.values() for c in _senses(d)}
    found = []
    for word, classes in load_words(language, "sensors").mapping("words").items():
        words = tuple(normalize(str(word)).split())
        present = [c for c in _as_list(classes) if c in have]
        if present and words not in kinds:
            found.append((words, present[0] if len(present) == 1 else tuple(present)))
    return found


def _senses(device: Device) -> list[str]:
    """The classes of sensor a device that is no sensor also measures (types.yaml `senses`: an air purifier
    tells the air quality)."""
    return [] if device.type == "sensor" else [str(c) for c in device.spec.extra.get("senses") or {}]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def knows_mode(device: Device, mode: str) -> bool:
    """Is `mode` one of the values the device's settings take (a washer's "quick wash", an AC's "cool", a
    fan's "high")?"""
    return any(p.type == "enum" and mode in (p.values or ()) or mode in (p.presets or {})
               for p in device.properties.values())


def _can(device: Device, command: Command) -> bool:
    """Whether the device obeys the command. A change by a signed `delta` needs a property to adjust:
    "make it faster" fits a fan's set_mode (its speed), not a washing machine's (a programme)."""
    spec = device.commands.get(command.intent)
    if spec is None:
        return False
    return not _relative(command) or bool(spec.adjust)


def _relative(command: Command) -> bool:
    return command.slots.get("delta") is not None and command.slots.get("value") is None


def _doing(command: Command) -> str:
    """What was asked, as a key of ABILITY: a mode changed by a delta is a change of speed."""
    key = f"{command.intent}_delta"
    return key if _relative(command) and key in ABILITY else command.intent


def _likeliest(devices: list[Device], classes: list[str], rooms: set[str]) -> list[Device]:
    """Of sensors of several classes, those of the likeliest class (the first in `classes`) that has one in the
    rooms (or anywhere, when there are none there): "air quality" is the air quality index where there is one."""
    if len(classes) < 2:
        return devices
    for pool in ([d for d in devices if d.room in rooms] if rooms else [], devices):
        for cls in classes:
            if any(d.device_class == cls for d in pool):
                return [d for d in devices if d.device_class == cls]
    return devices


def _of_class(devices: list[Device], classes: list[str], rooms: set[str]) -> list[Device]:
    """The sensors of the classes, the likeliest class first; where there are none in the rooms (or none at
    all), the other devices that measure it there (an air purifier for the air quality)."""
    sensors = _likeliest([d for d in devices if d.device_class in classes], classes, rooms)
    others = [d for d in devices if set(_senses(d)) & set(classes)]
    there = (lambda found: [d for d in found if d.room in rooms]) if rooms else (lambda found: found)
    return others if others and not there(sensors) and (there(others) or not sensors) else sensors


def _plural(word: str, language: str = "en") -> bool:
    """Whether a kind word names many ("lights"): by the language's endings (words/places.yaml)."""
    places = load_words(language, "places")
    endings, singular = tuple(places.words("plural_endings")), tuple(places.words("singular_endings"))
    return bool(endings) and word.endswith(endings) and not (singular and word.endswith(singular))


class Resolver:
    def __init__(self, home: Home, language: str = "en"):
        self.home = home
        self.language = language
        self.cover_classes = {k: str(v) for k, v in load_words(language, "places").mapping("cover_classes").items()}
        self._by_name: dict[str, list[Device]] = {}
        for device in home.devices.values():
            for name in device.names:
                self._by_name.setdefault(normalize(name), []).append(device)
        for head, device in head_names(home, language).items():
            self._by_name.setdefault(head, [device])

    def abilities(self, slots: dict[str, Any]) -> set[str]:
        """What the devices that these slots name can do, together: how a command read from its parts
        chooses between readings ("up" opens a blind and makes a TV louder)."""
        found = self._resolve(Command("get_state", dict(slots)), None)
        devices = found.devices or found.choices
        return set().union(*(d.commands for d in devices)) if devices else set()

    def can(self, intent: str, slots: dict[str, Any]) -> bool:
        """Can the devices these slots name do it (a mode: one of theirs)? A command read from its parts is
        only taken when they can."""
        found = self.resolve(Command(intent, dict(slots)), None)
        devices = found.devices or found.choices
        if "mode" in slots:
            devices = [d for d in devices if knows_mode(d, str(slots["mode"]))]
        return bool(devices)

    def devices_named(self, phrase: str) -> list[Device]:
        return list(self._by_name.get(normalize(phrase), []))

    def resolve(self, command: Command, context_devices: list[str] | None = None) -> Resolution:
        resolution = self._resolve(command, context_devices)
        held = STATE_PROPERTY.get(str(command.slots.get("state")))
        if command.intent == "get_state" and held and len(resolution.devices) > 1:
            # "is anything on upstairs": of the devices there, those that can be on at all
            resolution.devices = [d for d in resolution.devices if held in d.properties] or resolution.devices
        left_out = self._left_out(command.slots)
        if left_out and (resolution.devices or resolution.choices):
            resolution.devices = [d for d in resolution.devices if d.id not in left_out]
            resolution.choices = [d for d in resolution.choices if d.id not in left_out]
            if not resolution.devices and not resolution.choices:
                resolution.problem = resolution.problem or "nothing_left"
        return resolution

    def _left_out(self, slots: dict[str, Any]) -> set[str]:
        """ "all the lights except the kitchen": the devices the user excluded."""
        rooms = set(_as_list(slots.get("except_area")))
        names = {normalize(n) for n in _as_list(slots.get("except_name"))}
        if not rooms and not names:
            return set()
        return {d.id for d in self.home.devices.values()
                if d.room in rooms or any(n in names for n in map(normalize, d.names))}

    def _resolve(self, command: Command, context_devices: list[str] | None = None) -> Resolution:
        if command.intent in DEVICELESS:
            return Resolution()
        slots = command.slots
        names = _as_list(slots.get("name"))
        areas = _as_list(slots.get("area"))
        floors = _as_list(slots.get("floor"))
        types = _as_list(slots.get("type"))
        if "here" in areas:  # the lists were made before the assistant's room was known
            if self.home.room is None:
                return Resolution(problem="no_own_room")
            areas = [self.home.room if a == "here" else a for a in areas]
        rooms = set(areas)
        vacuums = types == ["vacuum"] or any(d.type == "vacuum" for n in names for d in self.devices_named(n))
        if vacuums and command.intent == "start":
            rooms, areas = set(), []  # "clean the kitchen": the room is where to clean, not where the vacuum is
        for floor in floors:
            rooms.update(self.home.floors().get(floor, []))
        classes = _as_list(slots.get("class"))
        if classes and (names or [t for t in types if t != "sensor"]):
            return self._sensed(command, classes, names, types, rooms)

        if names:
            candidates: list[Device] = []
            for name in names:
                found = self.devices_named(name)
                if rooms and found and not any(d.room in rooms for d in found) and len(names) == 1:
                    kind = self._kind_of(name)
                    if kind:  # "the curtains in the bedroom": curtains as a kind, not the living room's
                        return self._by_place(command, rooms, [kind], False, bool(floors))
                if rooms:
                    found = [d for d in found if d.room in rooms] or found
                if not found:
                    return Resolution(problem="unknown_device", data={"name": name})
                if len(found) > 1 and len(names) == 1:
                    own = [d for d in found if d.room == self.home.room]
                    if len(own) == 1:
                        found = own
                    else:
                        return Resolution(choices=found[:MAX_CHOICES], noun=name)
                candidates.extend(d for d in found if d not in candidates)
            return self._able(command, candidates, named=True)
        everywhere = bool(slots.get("all") or slots.get("except_area"))  # "the lights except in the kitchen": all others
        if rooms or types or everywhere or classes:
            return self._by_place(command, rooms, types, everywhere, bool(floors))
        context = [self.home.devices[d] for d in context_devices or [] if d in self.home.devices]
        preferred = DEFAULT_TYPES.get(command.intent)
        if command.intent == "get_temperature":
            context = []  # "what's the temperature" asks about here, not about the last device
        fitting = [d for d in context if _can(d, command)]
        if command.slots.get("mode"):
            fitting = [d for d in fitting if knows_mode(d, str(command.slots["mode"]))]
        if fitting:
            return Resolution(fitting)
        same_kind = [d for d in context if preferred and d.type in preferred]
        if same_kind:  # "a bit brighter" after the floor lamp, which can't dim: say so, don't pick another lamp
            return self._able(command, same_kind, named=True)
        if context and not preferred:
            return self._able(command, context, named=True)
        return self._default(command, preferred)

    def _by_place(self, command: Command, rooms: set[str], types: list[str], everywhere: bool, floor: bool) -> Resolution:
        candidates = list(self.home.devices.values())
        classes = _as_list(command.slots.get("class"))
        if classes:  # "the humidity": humidity sensors, not every sensor; "the air quality": the likeliest class there
            scope = rooms or ({self.home.room} if self.home.room and not everywhere else set())
            candidates = _of_class(candidates, classes, scope)
        if rooms:
            candidates = [d for d in candidates if d.room in rooms]
        elif self.home.room and not everywhere:
            own = [d for d in candidates if d.room == self.home.room and (not types or d.type in types)]
            if own:
                candidates = own
        if types:
            candidates = [d for d in candidates if d.type in types]
        else:
            for kind in DEFAULT_TYPES.get(command.intent, []):
                fitting = [d for d in candidates if d.type == kind and _can(d, command)]
                if fitting:  # "the temperature in the bedroom": the thermometer there
                    candidates = fitting
                    break
            if rooms and candidates and not any(_can(d, command) for d in candidates):
                # "the temperature in the bedroom", where nothing there tells it
                data = {"intent": _doing(command), "rooms": [self.home.rooms[r] for r in sorted(rooms)]}
                return Resolution(problem="nothing_can_in", data=data)
        if not candidates:
            kinds = types or (["sensor"] if classes else [])  # "There's no smoke sensor in the kitchen."
            data = {"types": kinds, "class": command.slots.get("class"), "rooms": [self.home.rooms[r] for r in sorted(rooms)]}
            return Resolution(problem="no_kind_in" if rooms else "no_kind", data=data)
        word = self.kind_word(command, types)
        if word in self.cover_classes and types == ["cover"]:
            cls = self.cover_classes[word]
            sensed = [d for d in self._in(rooms) if d.type == "sensor" and d.device_class == cls]
            candidates = [d for d in candidates if d.device_class == cls]
            if command.intent == "get_state":  # "is any window open": the windows and the window sensors
                candidates += [d for d in sensed if d not in candidates]
            if not candidates:
                return Resolution(problem="no_word_there" if rooms else "no_word", data={"word": word})
        if word and not _plural(word, self.language) and not everywhere and len(candidates) > 1 or self._specific(word, types):
            candidates = self._singular(word, types, candidates, rooms)
            able = [d for d in candidates if _can(d, command)]
            # "the lamp" asks which; "the kitchen light", "the upstairs lamp" mean every one there
            if len(able) > 1 and word and not _plural(word, self.language) and not everywhere and not rooms:
                return Resolution(choices=able[:MAX_CHOICES], noun=word)
        return self._able(command, candidates, named=False)

    def _sensed(self, command: Command, classes: list[str], names: list[str], types: list[str], rooms: set[str]) -> Resolution:
        """A class of sensor said of a device ("the front door lock battery", "how much power is the washing
        machine using", "is the lock battery low"): the device itself when it is of that class, else the
        sensors of that class whose name says the device's, else those in its room; a device that has no such
        sensor answers for itself (the vacuum's own battery)."""
        owners: list[Device] = []
        for name in names:
            found = self.devices_named(name)
            owners += [d for d in found if not rooms or d.room in rooms] or found
        owners += [d for d in self._in(rooms) if d.type in types and d.type != "sensor" and d not in owners]
        if not owners:
            if names:
                return Resolution(problem="unknown_device", data={"name": names[0]})
            data = {"types": types, "class": classes, "rooms": [self.home.rooms[r] for r in sorted(rooms)]}
            return Resolution(problem="no_kind_in" if rooms else "no_kind", data=data)
        sensors = [d for d in self.home.devices.values() if d.device_class in classes]
        spoken = {normalize(n) for o in owners for n in o.names}
        pools = ([d for d in owners if d.device_class in classes],
                 [d for d in sensors if any(f" {n} " in f" {normalize(m)} " for n in spoken for m in d.names)],
                 [d for d in sensors if d.room is not None and d.room in {o.room for o in owners}])
        for pool in pools:
            if pool:
                return self._able(command, _likeliest(pool, classes, set()), named=True)
        return self._able(command, owners, named=True)

    def _in(self, rooms: set[str]) -> list[Device]:
        return [d for d in self.home.devices.values() if not rooms or d.room in rooms]

    def _kind_of(self, phrase: str) -> str | None:
        from assistant.home.types import device_types

        words = normalize(phrase)
        return next((t for t, spec in device_types().items() if words in spec.words), None)

    def _specific(self, word: str, types: list[str]) -> bool:
        """ "lamp" is a specific word for a light; "light" is the generic one."""
        from assistant.home.types import device_types

        return bool(word) and not _plural(word, self.language) and len(types) == 1 and word != device_types()[types[0]].words[0]

    def _singular(self, word: str, types: list[str], candidates: list[Device], rooms: set[str]) -> list[Device]:
        """ "the lamp": the devices whose name says lamp, here first, else anywhere in the home."""
        def says(device: Device) -> bool:
            return word in normalize(" ".join(device.names)).split()

        named = [d for d in candidates if says(d)]
        if named:
            return named
        if self._specific(word, types) and not rooms:
            anywhere = [d for d in self.home.devices.values() if d.type in types and says(d)]
            if anywhere:
                return anywhere
        return candidates

    def kind_word(self, command: Command, types: list[str]) -> str:
        """The kind word the user said ("lamp", "lights"), read back from the sentence, or from the words a
        misheard one was read as ("certains" as "curtains")."""
        if not types:
            return ""
        from assistant.home.types import device_types

        reading = command.reading
        mended = [reading.slot_words.get("type", ""), *(e.used for e in reading.corrections)] if reading else []
        padded = f" {command.text} {' '.join(mended)} "
        said = [w for t in types for w in device_types()[t].words if f" {w} " in padded]
        if types == ["cover"]:  # the language's own words for a class of cover (words/places.yaml cover_classes)
            said += [w for w in self.cover_classes if f" {w} " in padded]
        return max(said, key=len) if said else ""

    def _default(self, command: Command, preferred: list[str] | None) -> Resolution:
        able = [d for d in self.home.devices.values() if _can(d, command)]
        if command.slots.get("mode"):  # "start a quick wash": the device that has a quick wash
            able = [d for d in able if knows_mode(d, str(command.slots["mode"]))] or able
        if not able:
            return Resolution(problem="nothing_can", data={"intent": _doing(command)})
        for pool in ([d for d in able if d.room == self.home.room], able):
            for kind in preferred or [None]:
                fitting = [d for d in pool if kind is None or d.type == kind]
                if not fitting:
                    continue
                own_room = pool is not able and self.home.room is not None
                if len(fitting) == 1 or own_room or command.intent.startswith("get_"):
                    return Resolution(fitting)
                return Resolution(choices=fitting[:MAX_CHOICES], noun="one")
        return Resolution(problem="which_device")

    def _able(self, command: Command, candidates: list[Device], named: bool) -> Resolution:
        able = [d for d in candidates if _can(d, command)]
        unable = [d for d in candidates if not _can(d, command)]
        if not able:
            data = {"intent": _doing(command)}
            if len(candidates) == 1:
                return Resolution(problem="cannot", data={**data, "device": candidates[0]}, skipped=unable)
            return Resolution(problem="those_cannot" if named else "none_can", data=data, skipped=unable)
        return Resolution(able, skipped=unable if named else [])
