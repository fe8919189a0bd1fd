"""Commands read from their parts, when no template says the whole sentence.

People say "kitchen lights off please", "tv louder", "put the heating on 21", "is any window open": the
words of a command in an order no template lists. This stage finds the parts (the home's device names,
rooms, floors and kinds, scope words, numbers with their units, colours and modes), then reads what to
do from the words left (the language's cue words: verbs, the particles "on", "off", "up", "down",
question words) and from what the devices named can do. Every word must be a part, a cue or a filler:
it never drops a word it does not know, never invents one, and a negation means no command. The words
are the language's (intents/<lang>/words/compose.yaml, read into ComposeWords). The parts are found by
assistant.understand.parts; a garbled name is mended by assistant.understand.mend.
"""

from __future__ import annotations

from typing import Any, Protocol

from assistant.understand.command import Command, Reading
from assistant.understand.mend import Mender
from assistant.understand.parts import TARGETS, VALUES, ComposeWords, Cue, Part, Parts, target_slots
from assistant.understand.rules import ListIndex
from assistant.understand.timer_parts import TimerParts

CONFIDENCE = 0.9  # below a template's 1.0: a template that says the sentence wins
TEMPLATE = "(composed from its parts)"


class Abilities(Protocol):
    """What the devices that some words name can do (the home's side answers: act/resolve.py)."""

    def can(self, intent: str, slots: dict[str, Any]) -> bool: ...

    def abilities(self, slots: dict[str, Any]) -> set[str]: ...


class Composer:
    def __init__(self, words: ComposeWords, index: ListIndex, abilities: Abilities | None = None,
                 fuzzy_words: dict[str, Any] | None = None, intents: set[str] | None = None):
        """`abilities`: what named devices can do (None: anything); `fuzzy_words`: the language's, for
        mending (assistant.understand.mend); `intents`: the intents it may read (None: any), so a home that
        listens only for its own sentences reads no built-in command from parts either."""
        self.words = words
        self.parts = Parts(words, index)
        self.timers = TimerParts(words, index)
        self.mender = Mender(words, index, fuzzy_words)
        self.abilities = abilities
        self.intents = intents

    def compose(self, tokens: list[str]) -> Command | None:
        """The command read from the words as they are."""
        return self._compose(tokens) or self._asked_for(tokens)

    def _asked_for(self, tokens: list[str]) -> Command | None:
        """ "can I have some light in here", "we need some music": some of a thing asked for, with no state or
        value said, is asked for on (`asks_for`, `asked_some` and `asked_for` in compose.yaml)."""
        w = self.words
        lead = max((p for p in w.asks_for if tuple(tokens[: len(p)]) == p), key=len, default=())
        rest = tokens[len(lead):]
        some = any(tuple(rest[: len(p)]) == p for p in w.asked_some)
        if not lead or not some or not w.asked_for or any((t,) in w.cues or (t,) in w.wished for t in rest):
            return None
        return self._compose([*w.asked_for, *rest])

    def compose_mended(self, tokens: list[str]) -> Command | None:
        """The command read from the words as they were likely meant (a fuzzy reading)."""
        mended, edits = self.mender.mend(tokens)
        if not edits:
            return None
        command = self._compose(mended)
        if command is not None and command.reading is not None:
            cost = sum(e.cost for e in edits)
            command.reading = Reading(TEMPLATE, self.words.source, command.reading.slot_words, tuple(edits), cost)
            command.confidence, command.match, command.text = CONFIDENCE * (1 - cost), "fuzzy", " ".join(tokens)
        return command

    def _compose(self, tokens: list[str]) -> Command | None:
        tokens = self._wish(self._requested(tokens))
        if not tokens:
            return None
        timer = self.timers.read(tokens)  # "get rid of the pasta timer": a timer is no device
        if timer is not None and (self.intents is None or timer[0] in self.intents):
            return Command(*timer, CONFIDENCE, "rule", " ".join(tokens), reading=Reading(TEMPLATE, self.words.source, {}))
        question = self.parts.starts_question(tokens)
        parts = self.parts.read(tokens, question)
        if parts is None or any(p.kind in ("negation", "condition") for p in parts):  # "not", "if it is late"
            return None
        slots = target_slots(parts)
        if slots is None:
            return None
        if any(p.kind == "scene" for p in parts):
            found = None if question or slots else self._scene(parts, tokens)
            return Command(*found, CONFIDENCE, "rule", " ".join(tokens), reading=Reading(TEMPLATE, self.words.source, {})) if found else None
        named = any(k in slots for k in ("name", "area", "floor", "type", "all"))
        if question:  # a question may name what its sensors sense ("how many windows are open")
            found = self._question(parts, slots, tokens) if named or "class" in slots else None
        else:
            found = self._command(parts, slots, tokens) if named else self._follow_up(parts, tokens)
        if found is None:
            return None
        intent, slots = found
        if self.intents is not None and intent not in self.intents:
            return None
        words = {p.kind: " ".join(tokens[p.start : p.end]) for p in parts if p.kind in (*TARGETS, "value", *VALUES)}
        return Command(intent, slots, CONFIDENCE, "rule", " ".join(tokens), reading=Reading(TEMPLATE, self.words.source, words))

    def _requested(self, tokens: list[str]) -> list[str]:
        """ "is there any way you could close the garage door" asks for the command after it, not about the door."""
        lead = max((p for p in self.words.requests if tuple(tokens[: len(p)]) == p), key=len, default=())
        return tokens[len(lead):]

    def _wish(self, tokens: list[str]) -> list[str]:
        """ "make sure every light is on" is "turn on every light": a state wished for is the command that
        makes it (the state said last; `wishes` and `wished` in compose.yaml)."""
        w = self.words
        lead = next((p for p in w.wishes if tuple(tokens[: len(p)]) == p), None)
        if lead is None:
            return tokens
        rest = tokens[len(lead):]
        for said, cue in w.wished.items():  # longest first (compose_words)
            if len(rest) > len(said) and tuple(rest[-len(said):]) == said:
                return [*cue, *rest[: -len(said)]]
        return tokens

    def _scene(self, parts: list[Part], tokens: list[str]) -> tuple[str, dict[str, Any]] | None:
        """ "dinner scene on", "put the dinner scene on": one scene, and no cue but one that starts or turns on."""
        scenes = [p for p in parts if p.kind == "scene"]
        cues = self._cues(parts, tokens)
        if len(scenes) != 1 or cues is None or any(p.kind in ("value", *VALUES) for p in parts):
            return None
        if cues and not {c[0] for c in cues} & {"turn_on", "start"}:
            return None
        return "run_scene", {"scene": scenes[0].value}

    def _question(self, parts: list[Part], slots: dict[str, Any], tokens: list[str]) -> tuple[str, dict[str, Any]] | None:
        kinds = {p.kind for p in parts}
        if kinds & {"value", *VALUES}:
            return None
        if "temperature" in kinds:
            return "get_temperature", slots
        states = [p.value for p in parts if p.kind == "state"]
        if len(states) > 1:
            return None
        if states:
            slots["state"] = states[0]
        if "which" in kinds and not self._asks_which(parts, tokens):
            return None
        if ("how_many" in kinds or "which" in kinds) and not (not states and "name" in slots):
            if not states or "name" in slots:
                return None
            slots.update(which=True, all=True)
        elif "any" in kinds and states and "name" not in slots:
            slots.update(any=True, all=True)
        return "get_state", slots

    def _asks_which(self, parts: list[Part], tokens: list[str]) -> bool:
        """ "which lights are on" asks; "which the telly on", "which off every speaker" do not: a state or an
        article right after "which" is a recogniser's "switch" (its slip, in fuzzy/words.yaml)."""
        at = next(i for i, p in enumerate(parts) if p.kind == "which")
        after = parts[at + 1] if at + 1 < len(parts) else None
        return after is None or after.kind != "state" and tuple(tokens[after.start : after.end]) not in self.words.determiners

    def _follow_up(self, parts: list[Part], tokens: list[str]) -> tuple[str, dict[str, Any]] | None:
        """No device named. A value: for the device of the turn before, or the device that takes it ("30
        percent please", "blue please", "channel 5", "a quick wash on"); a bare number is none ("4711" may be a
        PIN). A cue said of the device before ("open them again"); a bare cue ("off") is not enough: it
        could reach a whole room, but a small change of the device before ("louder", "a bit brighter") cannot."""
        values = [p for p in parts if p.kind in ("value", *VALUES)]
        cues = self._cues(parts, tokens, bool(values))
        if cues is None or len(values) > 1:
            return None
        here = self.parts.index.lists.get("here")
        if cues and not values and here and here.values and any(p.kind == "feeling" and p.value not in self.words.complaints for p in parts):
            intent, fixed = cues[0]  # "it's a bit chilly": said of the room the speaker is in
            return intent, {**fixed, "area": here.values[0][1]}
        if values:
            part, named = values[0], any(p.kind == "value_word" for p in parts)
            if part.kind == "value" and part.value[1] == "number" and not named or part.kind == "duration" and not cues:
                return None  # "4711" may be a PIN; "10 minutes" alone is no timer
            if part.kind == "value" and part.value[1] == "percent" and not named and not cues:
                return FOLLOW_VALUE, {"value": part.value[0]}
            candidates = self._with_cues(self._value_intents(part, parts, {}, tokens), cues)
            return (candidates[0][0], dict(candidates[0][1])) if candidates else None
        refers = any(tuple(tokens[p.start : p.end]) in self.words.references for p in parts)
        nudge = cues and all(c[0] in self.words.nudges for c in cues)  # "bit louder please": no room reached
        if cues and (refers or nudge):
            intent, fixed = cues[0]
            return intent, dict(fixed)
        return None

    def _command(self, parts: list[Part], slots: dict[str, Any], tokens: list[str]) -> tuple[str, dict[str, Any]] | None:
        if any(p.kind == "any" for p in parts):
            return None
        values = [p for p in parts if p.kind in ("value", *VALUES)]
        cues = self._cues(parts, tokens, bool(values))
        if cues is None or len(values) > 1:
            return None
        named = {i for p in parts if p.kind == "value_word" for i in p.value}
        bare = values and values[0].kind == "value" and values[0].value[1] == "number" and not cues and not named
        if bare and not ({"name", "type"} & slots.keys()):
            return None  # "all three", "the bedroom 3": a number alone says what to set only of a device named
        candidates = self._with_cues(self._value_intents(values[0], parts, slots, tokens), cues) if values else cues
        if named and not values:  # "raise the temperature": of the cue's readings, the one that sets it
            candidates = [c for c in candidates if c[0] in named]
        if self.abilities is None:
            return (candidates[0][0], {**slots, **candidates[0][1]}) if candidates else None
        if not candidates and self.abilities.abilities(slots) and self.abilities.abilities(slots) <= READ_ONLY:
            return "get_state", slots  # "bathroom humidity": a sensor named is asked what it reads
        for intent, fixed in candidates:
            if self.abilities.can(intent, {**slots, **fixed}):
                return intent, {**slots, **fixed}
        return None

    @staticmethod
    def _with_cues(candidates: list[Cue], cues: list[Cue]) -> list[Cue]:
        """The readings of a value that the cue words allow ("a quick wash on": start, not set_mode); "on"
        alone allows them all ("the heating on 21")."""
        if not cues:
            return candidates
        chosen = {c[0] for c in cues}
        return [c for c in candidates if c[0] in chosen] or ([] if chosen - {"turn_on", "start"} else candidates)

    def _cues(self, parts: list[Part], tokens: list[str], valued: bool = False) -> list[Cue] | None:
        """The intents the cue words allow, in order; None when two cues disagree ("on" and "off"). With a
        value, a cue that only says which way gives way to it ("turn the fan down to low")."""
        places_only = not any(p.kind in ("name", "type") for p in parts)
        said: list[tuple[Part, list[Cue]]] = []
        for n, part in enumerate(parts):
            if part.kind == "cue" and valued and part.value in self.words.directions:
                continue
            if part.kind == "feeling" and (places_only or part.value in self.words.complaints):  # "it's cold in here"; a kettle "boiling" is no feeling
                said.append((part, self.words.feelings[part.value]))
            elif part.kind == "cue" and (part.value not in _PARTICLES or self._particle(parts, n, tokens)):
                said.append((part, self.words.cues[part.value]))  # not "play on the telly", "heating on 21"
        if len(said) > 1 and not _agree([c for _, c in said]):
            # "lights off on the upstairs floor": an "on" or "off" before a place is then its preposition
            said = [(p, c) for p, c in said if not (p.value in _PARTICLES and self._before_place(parts, p, tokens))]
        if not said:
            return []
        if any(p.kind == "briefly" for p in parts):  # "stop the washer for a second" pauses it; only a pause is brief
            said = [(p, [(i, {}) for i in self.words.briefly_stop] if any(c[0] == "stop" for c in cues) else cues)
                    for p, cues in said]
            if not any(c[0] in self.words.briefly_stop for _, cues in said for c in cues):
                return None  # "turn on the fan for a minute" is for a while: a command for later
        first = said[0][1]
        for _, other in said[1:]:
            first = [c for c in first if any(_same(c, o) for o in other)]
        return first or None

    def _particle(self, parts: list[Part], n: int, tokens: list[str]) -> bool:
        """ "on"/"off" is a particle right after a verb ("turn on the lamp"), or when no device or value
        follows it ("put the telly on", "lights off upstairs"); else a preposition ("play on the tv",
        "the heating on 21", "the fan on high")."""
        if n > 0 and parts[n - 1].kind == "verb":
            return True
        following = [p for p in parts[n + 1 :] if p.kind != "filler"]
        return not following or following[0].kind not in ("name", "type", "value", *VALUES)

    def _before_place(self, parts: list[Part], part: Part, tokens: list[str]) -> bool:
        """Is the word followed by a room or floor, with at most an article between?"""
        after = [p for p in parts if p.start >= part.end]
        while after and tuple(tokens[after[0].start : after[0].end]) in self.words.determiners:
            after = after[1:]
        return bool(after) and after[0].kind in ("area", "floor", "here")

    def _value_intents(self, part: Part, parts: list[Part], slots: dict[str, Any], tokens: list[str]) -> list[Cue]:
        """What a value sets: said by a word ("volume 15"), by its unit ("21 degrees") or by its kind."""
        named = [i for p in parts if p.kind == "value_word" for i in p.value]
        if part.kind in VALUES:
            slot = part.kind
            intents = self.words.values.get(part.kind, [])
            return [(i, {slot: part.value}) for i in intents]
        number, unit = part.value
        intents = named or self.words.values.get(unit, [])
        way = self._change_way(part, parts, tokens)
        if way:
            delta = -abs(number) if way == "down" else abs(number)  # signed, as the cues' deltas are
            return [(i, {"delta": delta, "direction": way}) for i in intents]
        return [(i, {"value": number}) for i in intents]

    def _change_way(self, value: Part, parts: list[Part], tokens: list[str]) -> str | None:
        """Which way a number said after a direction changes things: "turn the heating down by 2 degrees", "up 2
        degrees" say how much, not where to go ("up to 22"); None when it is where to go."""
        ways = [p for p in parts if p.kind == "cue" and p.value in self.words.directions and p.end <= value.start]
        if not ways:
            return None
        between, (number, unit) = tuple(tokens[ways[-1].end : value.start]), value.value
        if between not in self.words.change_by and (between or abs(number) >= self.words.small_changes.get(unit, 0)):
            return None
        said = [fixed.get("direction") for _, fixed in self.words.cues[ways[-1].value] if fixed.get("direction")]
        return str(said[0]) if said else None


_PARTICLES = {("on",), ("off",)}
FOLLOW_VALUE = "set_value"  # a value for the device of the turn before (completed by the planner)
READ_ONLY = {"get_state", "get_temperature"}


def _agree(chosen: list[list[Cue]]) -> bool:
    """Do the cue words allow a common intent?"""
    common = chosen[0]
    for other in chosen[1:]:
        common = [c for c in common if any(_same(c, o) for o in other)]
    return bool(common)


def _same(cue: Cue, other: Cue) -> bool:
    """Do two cues mean the same: one intent, and no slot they both set set apart ("brighter" and "dimmer" do not)?"""
    return cue[0] == other[0] and all(other[1].get(k, v) == v for k, v in cue[1].items())


