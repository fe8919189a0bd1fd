"""Commands read from their parts, when no template says the whole sentence.

People say "kitchen lights off please", "tv louder", "put the heating on 21", "is any window open": the
words of a command in an order no template lists. This stage finds the parts (the home's device names,
rooms, floors and kinds, scope words, numbers with their units, colours and modes), then reads what to
do from the words left (the language's cue words: verbs, the particles "on", "off", "up", "down",
question words) and from what the devices named can do. Every word must be a part, a cue or a filler:
it never drops a word it does not know, never invents one, and a negation means no command. The words
are the language's (intents/<lang>/words/compose.yaml, read by ComposeWords).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from assistant.understand.command import Command, Reading
from assistant.understand.rules import ListIndex

CONFIDENCE = 0.9  # below a template's 1.0: a template that says the sentence wins
TEMPLATE = "(composed from its parts)"
TARGETS = ("name", "area", "here", "floor", "type", "all")  # lists that name what a command is for
VALUES = ("color", "mode")  # lists that are the value itself
Cue = tuple[str, dict[str, Any]]  # an intent and the slots it sets
Abilities = Callable[[dict[str, Any]], set[str]]


@dataclass
class ComposeWords:
    """The language's words for reading a command from its parts (see compose.yaml)."""

    cues: dict[tuple[str, ...], list[Cue]] = field(default_factory=dict)
    verbs: set[str] = field(default_factory=set)
    units: dict[tuple[str, ...], str] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)
    value_words: dict[tuple[str, ...], str] = field(default_factory=dict)
    everywhere: set[tuple[str, ...]] = field(default_factory=set)
    excepts: set[tuple[str, ...]] = field(default_factory=set)
    questions: set[tuple[str, ...]] = field(default_factory=set)
    which: set[tuple[str, ...]] = field(default_factory=set)
    how_many: set[tuple[str, ...]] = field(default_factory=set)
    any: set[tuple[str, ...]] = field(default_factory=set)
    temperature_questions: set[tuple[str, ...]] = field(default_factory=set)
    fillers: set[tuple[str, ...]] = field(default_factory=set)
    negations: set[tuple[str, ...]] = field(default_factory=set)
    minus: set[tuple[str, ...]] = field(default_factory=set)
    source: str = ""

    @property
    def longest(self) -> int:
        groups = (self.cues, self.units, self.value_words, self.everywhere, self.excepts, self.questions, self.which,
                  self.how_many, self.any, self.temperature_questions, self.fillers, self.negations, self.minus)
        return max((len(p) for g in groups for p in g), default=1)


@dataclass(frozen=True)
class Part:
    """Words [start, end) read as one thing: a slot of the command ("name", "area", "value", ...) or a
    word of the lexicon ("cue", "filler", "except", "question", ...)."""

    start: int
    end: int
    kind: str
    value: Any = None


class Composer:
    def __init__(self, words: ComposeWords, index: ListIndex, abilities: Abilities | None = None):
        self.words = words
        self.index = index
        self.abilities = abilities

    def compose(self, tokens: list[str]) -> Command | None:
        if not tokens:
            return None
        question = self._starts_question(tokens)
        parts = self._parts(tokens, question)
        if parts is None or any(p.kind == "negation" for p in parts):
            return None
        slots = _target_slots(parts)
        if slots is None or not any(k in slots for k in ("name", "area", "floor", "type", "all")):
            return None
        found = self._question(parts, slots) if question else self._command(parts, slots, tokens)
        if found is None:
            return None
        intent, slots = found
        words = {p.kind: " ".join(tokens[p.start : p.end]) for p in parts if p.kind in (*TARGETS, "value", *VALUES)}
        reading = Reading(TEMPLATE, self.words.source, words)
        return Command(intent, slots, CONFIDENCE, "rule", " ".join(tokens), reading=reading)

    def _starts_question(self, tokens: list[str]) -> bool:
        w = self.words
        return any(tuple(tokens[: len(p)]) == p for group in (w.questions, w.which, w.how_many) for p in group)

    def _parts(self, tokens: list[str], question: bool) -> list[Part] | None:
        """The sentence as parts, longest first at each word; None when a word is none of them."""
        parts: list[Part] = []
        i = 0
        while i < len(tokens):
            part = self._part_at(tokens, i, question, parts)
            if part is None:
                return None
            parts.append(part)
            i = part.end
        return self._verbs_not_kinds(parts, tokens, question)

    def _verbs_not_kinds(self, parts: list[Part], tokens: list[str], question: bool) -> list[Part]:
        """A kind word that is also a cue or a verb ("switch", "lock") is the cue or verb when other words
        name what the command is for: "switch to channel 5 on the tv", "front door lock please"."""
        if question:
            return parts
        if not any(p.kind in ("cue", "value", *VALUES) for p in parts):
            parts = [q for p in parts for q in self._cue_off(p, tokens)]
        targets = [p for p in parts if p.kind in (*TARGETS, "everywhere")]
        if len(targets) < 2:
            return parts
        result = []
        for part in parts:
            phrase = tuple(tokens[part.start : part.end])
            if part.kind == "type" and phrase in self.words.cues:
                part = Part(part.start, part.end, "cue", phrase)
            elif part.kind == "type" and len(phrase) == 1 and phrase[0] in self.words.verbs:
                part = Part(part.start, part.end, "verb")
            result.append(part)
        return result

    def _cue_off(self, part: Part, tokens: list[str]) -> list[Part]:
        """A name that ends in a cue word, when its first words name the same thing: "front door lock
        please" is the front door (its lock) and "lock"."""
        if part.kind not in ("name", "type"):
            return [part]
        for cut in range(part.end - 1, part.start, -1):
            cue = tuple(tokens[cut : part.end])
            if cue not in self.words.cues:
                continue
            shorter = [v for end, v in self.index.matches(part.kind, tokens[:cut], part.start) if end == cut]
            if shorter:
                return [Part(part.start, cut, part.kind, shorter[0]), Part(cut, part.end, "cue", cue)]
        return [part]

    def _part_at(self, tokens: list[str], i: int, question: bool, before: list[Part]) -> Part | None:
        found: list[Part] = []
        lists = (*TARGETS, *VALUES, "state") if question else (*TARGETS, *VALUES)
        for name in lists:
            found.extend(Part(i, end, name, value) for end, value in self.index.matches(name, tokens, i))
        number = self._number(tokens, i)
        if number is not None:
            found.append(number)
        found.extend(self._lexicon(tokens, i, question))
        if not found:
            return None
        longest = max(p.end for p in found)
        best = [p for p in found if p.end == longest]
        return min(best, key=lambda p: _PRIORITY.get(p.kind, len(_PRIORITY)))

    def _lexicon(self, tokens: list[str], i: int, question: bool) -> list[Part]:
        w = self.words
        found = []
        for n in range(min(w.longest, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + n])
            groups: tuple[tuple[str, Any], ...] = (
                ("negation", w.negations), ("except", w.excepts), ("everywhere", w.everywhere), ("any", w.any),
                ("value_word", w.value_words), ("filler", w.fillers))
            if question:
                groups += (("how_many", w.how_many), ("which", w.which), ("temperature", w.temperature_questions),
                           ("question", w.questions))
            else:
                groups += (("cue", w.cues), ("verb", {(v,) for v in w.verbs}), ("filler", w.questions))
            for kind, group in groups:
                if phrase in group:
                    value = phrase if kind == "cue" else group[phrase] if isinstance(group, dict) else None
                    found.append(Part(i, i + n, kind, value))
        return found

    def _number(self, tokens: list[str], i: int) -> Part | None:
        """A number, maybe with minus before it and its unit after it ("minus 20", "21 degrees", "30 %")."""
        from assistant.language.numbers import as_number

        start, sign = i, 1
        for phrase in self.words.minus:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i, sign = i + len(phrase), -1
                break
        value = as_number(tokens[i]) if i < len(tokens) else None
        if value is None:
            return None
        value *= sign
        number: Any = int(value) if float(value).is_integer() else value
        for phrase, unit in sorted(self.words.units.items(), key=lambda item: -len(item[0])):
            if tuple(tokens[i + 1 : i + 1 + len(phrase)]) == phrase:
                return Part(start, i + 1 + len(phrase), "value", (number, unit))
        return Part(start, i + 1, "value", (number, "number"))

    def _question(self, parts: list[Part], slots: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
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
        if "how_many" in kinds or "which" in kinds:
            if not states or "name" in slots:
                return None
            slots.update(which=True, all=True)
        elif "any" in kinds and states and "name" not in slots:
            slots.update(any=True, all=True)
        return "get_state", slots

    def _command(self, parts: list[Part], slots: dict[str, Any], tokens: list[str]) -> tuple[str, dict[str, Any]] | None:
        if any(p.kind == "any" for p in parts):
            return None
        cues = self._cues(parts, tokens)
        if cues is None:
            return None
        values = [p for p in parts if p.kind in ("value", *VALUES)]
        if len(values) > 1:
            return None
        if values:
            candidates = self._value_intents(values[0], parts, slots)
            if cues:
                chosen = {c[0] for c in cues}
                candidates = [c for c in candidates if c[0] in chosen] or ([] if chosen - {"turn_on"} else candidates)
        else:
            candidates = cues
        able = self.abilities(slots) if self.abilities is not None else None
        for intent, fixed in candidates:
            if able is None or intent in able:
                return intent, {**slots, **fixed}
        return None

    def _cues(self, parts: list[Part], tokens: list[str]) -> list[Cue] | None:
        """The intents the cue words allow, in order; None when two cues disagree ("on" and "off")."""
        chosen: list[list[Cue]] = []
        for n, part in enumerate(parts):
            if part.kind != "cue":
                continue
            if part.value in _PARTICLES and not self._particle(parts, n, tokens):
                continue  # "play on the telly", "heating on 21": a preposition
            chosen.append(self.words.cues[part.value])
        if not chosen:
            return []
        first = chosen[0]
        for other in chosen[1:]:
            common = [c for c in first if c[0] in {o[0] for o in other}]
            if not common:
                return None
            first = common
        return first

    def _particle(self, parts: list[Part], n: int, tokens: list[str]) -> bool:
        """ "on"/"off" is a particle right after a verb ("turn on the lamp"), or when no device or value
        follows it ("put the telly on", "lights off upstairs"); else a preposition ("play on the tv",
        "the heating on 21", "the fan on high")."""
        if n > 0 and parts[n - 1].kind == "verb":
            return True
        following = [p for p in parts[n + 1 :] if p.kind != "filler"]
        return not following or following[0].kind not in ("name", "type", "value", *VALUES)

    def _value_intents(self, part: Part, parts: list[Part], slots: dict[str, Any]) -> list[Cue]:
        """What a value sets: said by a word ("volume 15"), by its unit ("21 degrees") or by its kind."""
        named = [p.value for p in parts if p.kind == "value_word"]
        if part.kind in VALUES:
            slot = part.kind
            intents = self.words.values.get(part.kind, [])
            return [(i, {slot: part.value}) for i in intents]
        number, unit = part.value
        intents = named or self.words.values.get(unit, [])
        return [(i, {"value": number}) for i in intents]


# When parts of the same length begin at a word: a device's own name before a room or a kind, the lexicon last.
_PRIORITY = {kind: n for n, kind in enumerate(
    ("name", "area", "here", "floor", "type", "all", "everywhere", "value", "color", "mode", "state", "except",
     "negation", "how_many", "which", "any", "temperature", "question", "value_word", "cue", "verb", "filler"))}
_PARTICLES = {("on",), ("off",)}


def _target_slots(parts: list[Part]) -> dict[str, Any] | None:
    """The slots that say what a command is for, as the templates give them; "except" makes the next
    name or room a thing to leave out."""
    slots: dict[str, Any] = {}
    leaving = False
    for part in parts:
        if part.kind == "except":
            leaving = True
            continue
        if part.kind not in (*TARGETS, "everywhere"):
            continue
        if part.kind == "everywhere":
            slots["all"] = True
            continue
        slot = {"here": "area"}.get(part.kind, part.kind)
        if leaving:
            if slot not in ("name", "area"):
                return None
            slot = f"except_{slot}"
        if slot in slots:
            existing = slots[slot]
            slots[slot] = [*existing, part.value] if isinstance(existing, list) else [existing, part.value]
        else:
            slots[slot] = part.value
    if leaving and not any(k.startswith("except_") for k in slots):
        return None
    return slots
