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
from assistant.language.words import load_words
from assistant.home.state import StateStore

EXPIRY_SECONDS = 300
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
# "a bit more" after a value was set ("set the lamp to 50"): a step of this size the same way.
MORE_STEPS = {"set_brightness": 20, "set_volume": 10, "set_temperature": 1, "set_position": 20}
OPPOSITES = {"volume_up": "volume_down", "volume_down": "volume_up"}


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
    if command.intent == REPEAT and "more" in command.slots:
        return _more(command, context)
    if command.intent == REPEAT and command.slots.pop("correction", False) and command.match == "fuzzy" \
            and not {"name", "area", "floor"} & command.slots.keys():
        return command  # a correction to a kind alone, a word skipped ("no, the right lamp" with no right lamp): a guess
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


def _more(command: Command, context: Context) -> Command:
    """ "a bit more" repeats the change before on the same devices ("dim the lamp": dimmer still), "less" undoes
    a step of it; after a value was set, a step up or down from it. Of anything else, it stays a fragment."""
    sign, intent = command.slots["more"], context.intent
    slots = {k: v for k, v in context.slots.items() if k != "value"}
    if intent in OPPOSITES:
        intent = intent if sign > 0 else OPPOSITES[intent]
    elif isinstance(context.slots.get("delta"), (int, float)):
        slots["delta"] = context.slots["delta"] * sign
    elif intent in MORE_STEPS and isinstance(context.slots.get("value"), (int, float)):
        slots["delta"] = MORE_STEPS[intent] * sign
    else:
        return command
    return Command(intent, slots, command.confidence, command.match, command.text, explanation=command.explanation)


def value_command(command: Command, devices: list[Device]) -> Command:
    """ "set it to 22" for an air conditioner is set_temperature; for a lamp, set_brightness."""
    intent, slot = VALUE_BY_TYPE.get(devices[0].type, (SET_VALUE, "value"))
    slots = {k: v for k, v in command.slots.items() if k != "unit"}
    if slot != "value" and "value" in slots:
        slots[slot] = int(slots.pop("value"))
    return Command(intent, slots, command.confidence, command.match, command.text)


class Answers:
    """How answers to questions are said in one language (intents/<lang>/words/answers.yaml): yes, cancel,
    a PIN ("my pin is four seven one one"), which option ("the second one", "the last one")."""

    def __init__(self, language: str):
        self.language = language
        words = load_words(language, "answers")
        self.yes = words.phrases("yes")
        self.polite = set(words.words("polite"))
        self.yes_leads = set(words.words("yes_leads"))
        self.not_yes = set(words.words("not_yes"))
        self.cancel = words.phrases("cancel")
        self.pin_leads = sorted(words.phrases("pin_leads"), key=len, reverse=True)
        self.pin_fillers = set(words.words("pin_fillers"))
        self.spoken_digits = {k: str(v) for k, v in words.mapping("spoken_digits").items()}
        ordinals = {tuple(k.split()): int(v) for k, v in words.mapping("ordinals").items()}
        self.ordinals = sorted(ordinals.items(), key=lambda item: len(item[0]), reverse=True)
        self.last = words.phrases("last")
        self.fillers = set(words.words("fillers"))
        self.every = words.phrases("all")

    def is_yes(self, text: str) -> bool:
        words = tuple(w for w in words_of(text, self.language) if w not in self.polite)
        return words in self.yes or (len(words) > 1 and words[0] in self.yes_leads
                                     and self.not_yes.isdisjoint(words))

    def is_cancel(self, text: str) -> bool:
        return tuple(words_of(text, self.language)) in self.cancel

    def _ordinal(self, words: list[str], count: int) -> int | None:
        """The option an ordinal in the answer names ("the second one" -> 1, "the last one" -> count - 1)."""
        for i in range(len(words)):
            for phrase, index in self.ordinals:
                if tuple(words[i : i + len(phrase)]) == phrase and index < count:
                    return index
            if count and any(tuple(words[i : i + len(p)]) == p for p in self.last):
                return count - 1
        return None

    def pick(self, text: str, options: list[Device], rooms: dict[str, tuple[str, ...]] | None = None) -> list[Device]:
        """The options an answer names: "the floor lamp", "floor", "the first one", "the last one", "both",
        "all of them", or by room ("the one in the study", "the bedroom one": `rooms` holds each room's names)."""
        words = normalize(text, self.language).split()
        index = self._ordinal(words, len(options))
        if index is not None:
            return [options[index]]
        spoken = [w for w in words if w not in self.fillers]
        if not spoken:
            return []
        if tuple(spoken) in self.every or tuple(words) in self.every:
            return list(options)
        padded = f" {' '.join(words)} "
        for option in options:
            if any(f" {normalize(n)} " in padded for n in option.names):
                return [option]
        hits = [o for o in options if all(w in normalize(" ".join(o.names)).split() for w in spoken)]
        if len(hits) == 1:
            return hits
        named_rooms = {room for room, names in (rooms or {}).items()
                       if any(f" {normalize(n)} " in padded for n in names)}
        return [o for o in options if o.room in named_rooms]

    def pick_reading(self, text: str, phrases: list[str]) -> int | None:
        """Which of the readings offered ("did you mean A or B?") an answer chooses: "yes" (the first),
        "the second one", or words that only one of them has ("the desk one")."""
        if self.is_yes(text):
            return 0 if phrases else None
        words = normalize(text, self.language).split()
        index = self._ordinal(words, len(phrases))
        if index is not None:
            return index
        said = set(words)
        own = [set(p.split()) - set().union(*(set(q.split()) for q in phrases if q != p)) for p in phrases]
        hits = [i for i, distinct in enumerate(own) if distinct & said]
        return hits[0] if len(hits) == 1 else None

    def pin_answer(self, text: str) -> str | None:
        """The digits of an answer that is a PIN ("1234", "one two three four", "twelve thirty four", "my pin
        is 4711"); None for anything else, so digits inside another sentence are never a PIN try."""
        words = [w for w in words_of(text, self.language) if w not in self.pin_fillers]
        for lead in self.pin_leads:
            if tuple(words[: len(lead)]) == lead:
                words = words[len(lead):]
                break
        if not words:
            return None
        if all(w in self.spoken_digits for w in words):
            return "".join(self.spoken_digits[w] for w in words)
        tokens = digits_in(" ".join(words)).split()
        if not all(t.isdigit() for t in tokens):
            return None
        return "".join(tokens)


def command_to_json(command: Command) -> dict[str, Any]:
    return {"intent": command.intent, "slots": command.slots, "text": command.text}


def command_from_json(raw: dict[str, Any]) -> Command:
    return Command(raw.get("intent", ""), dict(raw.get("slots") or {}), text=raw.get("text", ""))
