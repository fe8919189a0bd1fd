"""Dialogue: what the last turns leave behind for the next one.

The context (last devices, intent and slots; a pending question) lives in the state file's
`context`, so a follow-up works across separate `assistant say` runs as well as in `chat`.
It expires after a few minutes: "turn it off" an hour later should not guess.
Secrets never enter the context: a pending PIN question stores the command, not the PIN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant import clock
from assistant.understand.command import Command
from assistant.errors import AssistantError
from assistant.home.model import Device
from assistant.understand.normalize import normalize, words_of
from assistant.language.numbers import digits_in
from assistant.home.state import StateStore

EXPIRY_SECONDS = 300
YES = {("yes",), ("yeah",), ("yep",), ("yup",), ("sure",), ("do", "it"), ("confirm",), ("confirmed",), ("ok",),
       ("okay",), ("go", "ahead"), ("please", "do"), ("yes", "please"), ("of", "course"), ("absolutely",),
       ("i", "am", "sure"), ("yes", "i", "am", "sure"), ("correct",), ("affirmative",), ("yes", "do", "it")}
CANCEL = {("cancel",), ("never", "mind"), ("nevermind",), ("forget", "it"), ("no",), ("nope",), ("stop",),
          ("none",), ("neither",), ("no", "thanks"), ("nothing",)}
# A PIN said as an answer: "my pin is 4 7 1 1", "it's one two three four"
PIN_LEADS = {("my", "pin", "is"), ("the", "pin", "is"), ("pin", "is"), ("pin",), ("it", "is"), ("my", "pin"),
             ("code",), ("the", "code", "is"), ("my", "code", "is")}
PIN_FILLERS = {"please", "ok", "okay", "um", "uh"}
SPOKEN_DIGITS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "six": "6", "seven": "7", "eight": "8", "nine": "9"}
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3}
# Pseudo-intents the grammar produces for fragments that only make sense after another command.
REPEAT = "repeat"  # "and the bedroom too", "the kitchen as well"
SET_VALUE = "set_value"  # "make it 22", "set it to 40"
# For "make it 22" / "set the bedroom ac to 22": which intent (and slot) a bare value means, by kind of device.
VALUE_BY_TYPE = {
    "climate": ("set_temperature", "value"), "water_heater": ("set_temperature", "value"),
    "kettle": ("set_temperature", "value"), "fridge": ("set_temperature", "value"),
    "light": ("set_brightness", "value"), "tv": ("set_volume", "value"), "speaker": ("set_volume", "value"),
    "cover": ("set_position", "value"), "fan": ("set_mode", "mode"),
}
# A fragment that is only a duration ("and another for 10 minutes") means one more of these,
# when the command before it had a duration too (not after an alarm).
DURATION_FOLLOWS = {"start_timer"}
# Slots a fragment never carries over: what picks devices, and a timer's own name.
NOT_REPEATED = ("name", "area", "floor", "all", "type", "timer")


@dataclass
class Context:
    devices: list[str] = field(default_factory=list)
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    pending: dict[str, Any] | None = None
    at: float = 0.0

    @classmethod
    def load(cls, store: StateStore) -> Context:
        try:
            raw = store.read().get("context") or {}
        except AssistantError:
            return cls()
        if not isinstance(raw, dict) or clock.now() - float(raw.get("at", 0) or 0) > EXPIRY_SECONDS:
            return cls()
        return cls(list(raw.get("devices") or []), raw.get("intent"), dict(raw.get("slots") or {}),
                   raw.get("pending"), float(raw.get("at", 0)))

    def save(self, store: StateStore) -> None:
        data = {"devices": self.devices, "intent": self.intent, "slots": self.slots, "at": clock.now()}
        if self.pending:
            data["pending"] = self.pending
        with store.transaction() as state:
            state["context"] = data

    def remember(self, command: Command, devices: list[Device]) -> None:
        if devices:
            self.devices = [d.id for d in devices]
        self.intent = command.intent
        self.slots = dict(command.slots)


def follow_up(command: Command, context: Context, devices: dict[str, Device]) -> Command:
    """Turn a fragment into a full command using the context ("and the bedroom too" -> turn_off lights there)."""
    if command.intent == REPEAT and context.intent and ("duration" not in command.slots or (
            context.intent in DURATION_FOLLOWS and "duration" in context.slots)):
        slots = {k: v for k, v in context.slots.items() if k not in NOT_REPEATED}
        slots.update(command.slots)
        if ("area" in command.slots or "floor" in command.slots) and "name" not in command.slots and "type" not in slots:
            kinds = sorted({devices[d].type for d in context.devices if d in devices})
            if context.slots.get("type"):
                slots["type"] = context.slots["type"]
            elif kinds:
                slots["type"] = kinds[0] if len(kinds) == 1 else kinds
        return Command(context.intent, slots, command.confidence, command.match, command.text,
                       explanation=command.explanation)  # `parse --explain` shows the fragment's template
    if command.intent == SET_VALUE and not any(k in command.slots for k in ("name", "area", "type", "floor", "all")):
        named = [devices[d] for d in context.devices if d in devices]
        if named:
            return value_command(command, named)
    return command


def value_command(command: Command, devices: list[Device]) -> Command:
    """ "set it to 22" for an air conditioner is set_temperature; for a lamp, set_brightness."""
    intent, slot = VALUE_BY_TYPE.get(devices[0].type, (SET_VALUE, "value"))
    slots = {k: v for k, v in command.slots.items() if k != "unit"}
    if slot != "value" and "value" in slots:
        slots[slot] = int(slots.pop("value"))
    return Command(intent, slots, command.confidence, command.match, command.text)


def is_yes(text: str) -> bool:
    words = tuple(w for w in words_of(text) if w not in ("please", "thanks", "thank", "you"))
    return words in YES or (len(words) > 1 and words[0] in ("yes", "yeah", "sure") and "no" not in words
                            and "not" not in words)


def is_cancel(text: str) -> bool:
    return tuple(words_of(text)) in CANCEL


def pick(text: str, options: list[Device]) -> Device | None:
    """The option an answer names: "the floor lamp", "floor", "the first one", "the last one"."""
    words = normalize(text).split()
    for word in words:
        if word in ORDINALS and ORDINALS[word] < len(options):
            return options[ORDINALS[word]]
        if word == "last" and options:
            return options[-1]
    spoken = " ".join(w for w in words if w not in ("the", "one", "my", "please", "that"))
    if not spoken:
        return None
    padded = f" {' '.join(words)} "
    for option in options:
        if any(f" {normalize(n)} " in padded for n in option.names):
            return option
    hits = [o for o in options if all(w in normalize(" ".join(o.names)).split() for w in spoken.split())]
    return hits[0] if len(hits) == 1 else None


def reading_phrase(command: Command) -> str:
    """What a fuzzy reading understood, in words: the heard words with its corrections applied
    ("turn on the dask lamp" read as "turn on the desk lamp")."""
    words = command.text.split()
    for edit in (command.explanation or {}).get("corrections", []):
        heard = edit.get("heard", "").split()
        if not heard:
            continue
        for i in range(len(words) - len(heard) + 1):
            if words[i : i + len(heard)] == heard:
                words[i : i + len(heard)] = edit.get("used", "").split()
                break
    return " ".join(words)


def pick_reading(text: str, phrases: list[str]) -> int | None:
    """Which of the readings offered ("did you mean A or B?") an answer chooses: "yes" (the first),
    "the second one", or words that only one of them has ("the desk one")."""
    if is_yes(text):
        return 0 if phrases else None
    words = normalize(text).split()
    for word in words:
        if word in ORDINALS and ORDINALS[word] < len(phrases):
            return ORDINALS[word]
        if word == "last" and phrases:
            return len(phrases) - 1
    said = set(words)
    own = [set(p.split()) - set().union(*(set(q.split()) for q in phrases if q != p)) for p in phrases]
    hits = [i for i, distinct in enumerate(own) if distinct & said]
    return hits[0] if len(hits) == 1 else None


def pin_answer(text: str) -> str | None:
    """The digits of an answer that is a PIN ("1234", "one two three four", "twelve thirty four", "my pin
    is 4711"); None for anything else, so digits inside another sentence are never a PIN try."""
    words = [w for w in words_of(text) if w not in PIN_FILLERS]
    for lead in sorted(PIN_LEADS, key=len, reverse=True):
        if tuple(words[: len(lead)]) == lead:
            words = words[len(lead):]
            break
    if not words:
        return None
    if all(w in SPOKEN_DIGITS for w in words):
        return "".join(SPOKEN_DIGITS[w] for w in words)
    tokens = digits_in(" ".join(words)).split()
    if not all(t.isdigit() for t in tokens):
        return None
    return "".join(tokens)


def command_to_json(command: Command) -> dict[str, Any]:
    return {"intent": command.intent, "slots": command.slots, "text": command.text}


def command_from_json(raw: dict[str, Any]) -> Command:
    return Command(raw.get("intent", ""), dict(raw.get("slots") or {}), text=raw.get("text", ""))
