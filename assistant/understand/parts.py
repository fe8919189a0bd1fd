"""The parts of a sentence, for reading a command from them (assistant.understand.compose): the home's
names, rooms, floors and kinds, scope words, numbers with their units, colours and modes, and the words of
the language's compose lexicon (intents/<lang>/words/compose.yaml: cues, fillers, questions...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.understand.rules import ListIndex

TARGETS = ("name", "area", "here", "floor", "type", "class", "all")  # lists that name what a command is for
VALUES = ("color", "mode", "duration")  # lists that are the value itself
Cue = tuple[str, dict[str, Any]]  # an intent and the slots it sets


@dataclass
class ComposeWords:
    """The language's words for reading a command from its parts (see compose.yaml)."""

    cues: dict[tuple[str, ...], list[Cue]] = field(default_factory=dict)
    feelings: dict[tuple[str, ...], list[Cue]] = field(default_factory=dict)  # of a room: "it's cold in here"
    verbs: set[str] = field(default_factory=set)
    units: dict[tuple[str, ...], str] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)
    value_words: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # -> the intents they fit
    amounts: dict[tuple[str, ...], float] = field(default_factory=dict)  # "half": 50 (percent)
    plural_endings: tuple[str, ...] = ()  # a kind word ending so names many ("lamps")
    directions: set[tuple[str, ...]] = field(default_factory=set)  # cues that give way to a value
    change_by: set[tuple[str, ...]] = field(default_factory=set)  # "down by 2": a number after it is a change
    small_changes: dict[str, float] = field(default_factory=dict)  # "up 2 degrees": below this, a change
    everywhere: set[tuple[str, ...]] = field(default_factory=set)
    excepts: set[tuple[str, ...]] = field(default_factory=set)
    questions: set[tuple[str, ...]] = field(default_factory=set)
    question_ends: set[tuple[str, ...]] = field(default_factory=set)  # a language that asks by its last words
    which: set[tuple[str, ...]] = field(default_factory=set)
    how_many: set[tuple[str, ...]] = field(default_factory=set)
    any: set[tuple[str, ...]] = field(default_factory=set)
    temperature_questions: set[tuple[str, ...]] = field(default_factory=set)
    fillers: set[tuple[str, ...]] = field(default_factory=set)
    negations: set[tuple[str, ...]] = field(default_factory=set)
    minus: set[tuple[str, ...]] = field(default_factory=set)
    references: set[tuple[str, ...]] = field(default_factory=set)
    determiners: set[tuple[str, ...]] = field(default_factory=set)
    yourself: set[tuple[str, ...]] = field(default_factory=set)
    excepts_after: set[tuple[str, ...]] = field(default_factory=set)  # said after what they leave out ("A 빼고")
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a part -> more lists that say it ("type": ("kind",))
    question_states: dict[tuple[str, ...], str] = field(default_factory=dict)  # "did I close it": closed
    question_fillers: set[tuple[str, ...]] = field(default_factory=set)
    question_any: set[tuple[str, ...]] = field(default_factory=set)  # "is a window open": any of them
    wishes: set[tuple[str, ...]] = field(default_factory=set)  # "make sure": the state after it is a command
    asks_for: set[tuple[str, ...]] = field(default_factory=set)  # "can I have": what follows, wished on ...
    asked_some: set[tuple[str, ...]] = field(default_factory=set)  # ... when "some" of it is asked for ...
    asked_for: tuple[str, ...] = ()  # ... with this cue ("turn on") when no state is said
    requests: set[tuple[str, ...]] = field(default_factory=set)  # "is there any way you could": a request follows
    asides: set[tuple[str, ...]] = field(default_factory=set)  # "I'm off to bed": a remark beside the command
    own_reasons: set[tuple[str, ...]] = field(default_factory=set)  # "I don't want tea": a remark may deny so
    statements: tuple[str, ...] = ()  # "is", "'s": after a subject that is no device, a remark ("the dog's out")
    aside_ends: tuple[str, ...] = ()  # the endings of a word that closes a remark before the command ("나가니까")
    conditions: set[tuple[str, ...]] = field(default_factory=set)  # "if", "when": what follows is no remark
    briefly: set[tuple[str, ...]] = field(default_factory=set)  # "for a second": said in passing, no timer
    joins: set[tuple[str, ...]] = field(default_factory=set)  # "and" between two names said once ("front and back doors")
    briefly_stop: list[str] = field(default_factory=list)  # what "stop ... for a second" means
    complaints: set[tuple[str, ...]] = field(default_factory=set)  # feelings said of a device ("too loud")
    nudges: set[str] = field(default_factory=set)  # intents a cue said alone does to the device before ("louder")
    wished: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # "is on" -> "turn on", longest first
    timer_words: set[tuple[str, ...]] = field(default_factory=set)  # "timer", "countdown" (timer_parts.py)
    timer_all: set[tuple[str, ...]] = field(default_factory=set)  # "every timer"
    timer_ones: set[tuple[str, ...]] = field(default_factory=set)  # "the 25 minute one": a timer after its length
    timer_fillers: set[tuple[str, ...]] = field(default_factory=set)  # said around a timer command, no more
    timer_cues: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # "get rid of" -> its timer intents
    timer_intents: tuple[str, ...] = ()  # in the order the cues list them
    timer_changes: set[str] = field(default_factory=set)  # the timer intents that need a duration ("add 5 minutes")
    source: str = ""
    language: str = "en"  # for the words this file does not hold (times said for later)

    def list_names(self, kind: str) -> tuple[str, ...]:
        """The slot lists a part of this kind is read from: its own, and those the language adds."""
        return (kind, *self.lists.get(kind, ()))

    def vocabulary(self) -> set[str]:
        """Every word of the lexicon's phrases."""
        groups = (self.cues, self.feelings, self.units, self.value_words, self.amounts, self.directions, self.everywhere, self.excepts,
                  self.excepts_after, self.questions, self.question_ends, self.which, self.how_many, self.any,
                  self.temperature_questions, self.fillers, self.negations, self.minus, self.references, self.determiners,
                  self.yourself, self.question_states, self.question_fillers, self.question_any, self.requests,
                  self.asides, self.conditions, self.briefly, self.timer_words, self.timer_cues, self.timer_fillers,
                  self.timer_ones)
        return {w for group in groups for phrase in group for w in phrase} | self.verbs

    @property
    def longest(self) -> int:
        groups = (self.cues, self.feelings, self.units, self.value_words, self.everywhere, self.excepts, self.questions, self.which,
                  self.how_many, self.any, self.temperature_questions, self.fillers, self.negations, self.minus,
                  self.question_ends, self.excepts_after, self.question_states, self.question_fillers, self.question_any,
                  self.amounts, self.briefly)
        return max((len(p) for g in groups for p in g), default=1)


@dataclass(frozen=True)
class Part:
    """Words [start, end) read as one thing: a slot of the command ("name", "area", "value", ...) or a
    word of the lexicon ("cue", "filler", "except", "question", ...)."""

    start: int
    end: int
    kind: str
    value: Any = None


class Parts:
    """Reads a sentence into parts, longest first at each word."""

    def __init__(self, words: ComposeWords, index: ListIndex):
        self.words = words
        self.index = index

    def starts_question(self, tokens: list[str]) -> bool:
        """Does the sentence ask about the devices' state: by its first words ("is", "how many"), or in a language
        that asks by how a sentence ends, by its last words ("켜져 있어")?"""
        w = self.words
        return any(tuple(tokens[: len(p)]) == p for group in (w.questions, w.which, w.how_many) for p in group) or any(
            len(tokens) > len(p) and tuple(tokens[-len(p):]) == p for p in w.question_ends)

    def without_asides(self, tokens: list[str]) -> list[list[str]]:
        """The sentence without a remark said beside the command, each way it can be cut, shortest remark first:
        "turn the kettle off, I don't want tea after all", "it's a bit chilly, turn the heat up". A remark starts
        with a word of `asides` (a new subject), names no device, place or number and has no "not" ("I'm still
        reading, don't turn off the lamp" is no remark and a command); and it never follows a condition ("turn the lights off if it's late" is no command for now)."""
        w, cuts = self.words, []
        starts = [k for k in range(len(tokens)) if any(tuple(tokens[k : k + len(a)]) == a for a in w.asides)]
        for k in reversed([k for k in starts if k > 0]):  # a remark after the command
            if (tokens[k - 1],) not in w.conditions and not self._names_something(tokens, k, len(tokens)):
                cuts.append(tokens[:k])
        if starts and starts[0] == 0:  # a remark before it, and then a command said as one ("I think the fan is on" is none)
            cuts.extend(tokens[k:] for k in range(1, len(tokens))
                        if self._bids(tokens, k) and not self._names_something(tokens, 0, k)
                        and not any(tuple(tokens[:k][-len(c):]) == c for c in w.conditions))
        elif w.aside_ends:  # a remark that ends so ("어두워서 그런데 거실 불 켜 줘", "나가니까 불 꺼")
            cuts.extend(tokens[k:] for k in range(1, len(tokens))
                        if tokens[k - 1].endswith(w.aside_ends) and not self._names_something(tokens, 0, k))
        return cuts

    def _bids(self, tokens: list[str], k: int) -> bool:
        """Does a command begin at word k: a verb, a cue word or a request ("turn", "off", "could you")?"""
        w = self.words
        return tokens[k] in w.verbs or any(tuple(tokens[k : k + len(p)]) == p for group in (w.cues, w.requests) for p in group)

    def names_target(self, slots: dict[str, Any]) -> bool:
        """Do these slots say what a command is for?"""
        return any(k in slots for k in ("name", "area", "floor", "type", "class", "all"))

    def _names_something(self, tokens: list[str], start: int, end: int) -> bool:
        """Do the words [start, end) name a device, a place or a number, or deny ("I'm on the phone" does none)?"""
        return any(tokens[i][:1].isdigit() or any(self.matches(kind, tokens, i) for kind in ("name", "area", "here", "floor", "type", "class"))
                   or any(tuple(tokens[i : i + len(n)]) == n for n in self.words.negations) for i in range(start, end))

    def read(self, tokens: list[str], question: bool) -> list[Part] | None:
        """The sentence as parts, longest first at each word; None when a word is none of them."""
        parts: list[Part] = []
        i = 0
        while i < len(tokens):
            part = self._part_at(tokens, i, question, parts) or self._group(tokens, i) or self._pair(tokens, i)
            if part is None:
                return None
            parts.append(part)
            i = part.end
        return self._all_of_its_kind(self._verbs_not_kinds(parts, tokens, question), tokens)

    def _all_of_its_kind(self, parts: list[Part], tokens: list[str]) -> list[Part]:
        """ "All but the lamp", no kind said: all of the kind the name left out ends in ("스탠드 빼고 다 꺼",
        "식탁 조명 말고 다 꺼" leave the other lights on or off, not every device of the home). A word for the
        whole home ("everything", "집 전체") still means every device."""
        kinds = {p.kind for p in parts}
        if "all" not in kinds or not kinds & {"except", "except_after"} or kinds & {"type", "area", "here", "floor", "everywhere"}:
            return parts
        for part in parts:
            if part.kind != "name":
                continue
            for start in range(part.start, part.end):
                found = [v for end, v in self.matches("type", tokens, start) if end == part.end]
                if found:
                    return [*parts, Part(start, part.end, "type", found[0])]
        return parts

    def _group(self, tokens: list[str], i: int) -> Part | None:
        """Words that several devices' names share, then a kind in the plural: "the bedside lamps" are the
        left and the right bedside lamp. The names found, as one part."""
        names = self.index.lists.get("name")
        if names is None:
            return None
        for end in range(i + 1, min(i + 3, len(tokens))):
            kinds = [e for e, _ in self.matches("type", tokens, end)]
            said = set(tokens[i:end])
            if not kinds or not tokens[max(kinds) - 1].endswith(tuple(self.words.plural_endings)):
                continue
            found = sorted({value for words, value in names.values if said <= set(words)})
            if len(found) > 1:
                return Part(i, max(kinds), "name", found)
        return None

    def _pair(self, tokens: list[str], i: int) -> Part | None:
        """ "the left and right bedside lamps", "the front and back doors": two names that share their last words,
        said once. Each side must name a device whose name holds the shared words and the kind word."""
        names = self.index.lists.get("name")
        if names is None or i + 3 >= len(tokens) or (tokens[i + 1],) not in self.words.joins:
            return None
        for end in range(i + 3, min(i + 5, len(tokens))):
            kinds = [e for e, _ in self.matches("type", tokens, end)]
            if not kinds or not tokens[max(kinds) - 1].endswith(tuple(self.words.plural_endings)):
                continue
            kind_end = max(kinds)
            kind = {w.removesuffix(e) for w in tokens[end:kind_end] for e in self.words.plural_endings}
            shared = set(tokens[i + 3 : end]) | kind
            sides = [[(len(words), value) for words, value in names.values if {word} | shared <= set(words)]
                     for word in (tokens[i], tokens[i + 2])]
            if all(sides):  # of each side, the shortest name ("front door", not "front door lock battery")
                return Part(i, kind_end, "name", sorted({v for side in sides for n, v in side if n == min(side)[0]}))
        return None

    def _verbs_not_kinds(self, parts: list[Part], tokens: list[str], question: bool) -> list[Part]:
        """Words that are two things. A kind word that is also a cue or a verb ("switch", "lock") is the cue
        or verb when other words name what the command is for ("switch to channel 5 on the tv", "front door
        lock please"); a mode that is also a feeling is the feeling when only a place is named ("it's cold
        in here" warms the room, it does not set a mode "cool")."""
        if question:  # "did I lock the back door": the kind word "lock" says the state
            many = len([p for p in parts if p.kind in (*TARGETS, "everywhere")]) > 1
            return [Part(p.start, p.end, "state", self.words.question_states[tuple(tokens[p.start : p.end])])
                    if many and p.kind == "type" and tuple(tokens[p.start : p.end]) in self.words.question_states else p
                    for p in parts]
        if not any(p.kind in ("cue", "value", *VALUES) for p in parts):
            parts = [q for p in parts for q in self._cue_off(p, tokens)]
        targets = [p for p in parts if p.kind in (*TARGETS, "everywhere")]
        places_only = all(p.kind in ("area", "here", "floor") for p in targets)
        result = []
        for part in parts:
            phrase = tuple(tokens[part.start : part.end])
            if part.kind == "mode" and phrase in self.words.feelings and places_only:
                part = Part(part.start, part.end, "feeling", phrase)
            elif part.kind == "mode" and phrase in self.words.cues and self._turned(parts, part, tokens):
                part = Part(part.start, part.end, "cue", phrase)  # "warm it up" is warmer, not the mode "heat"
            elif part.kind == "type" and len(targets) > 1 and phrase in self.words.cues:
                part = Part(part.start, part.end, "cue", phrase)
            elif part.kind == "type" and len(targets) > 1 and len(phrase) == 1 and phrase[0] in self.words.verbs:
                part = Part(part.start, part.end, "verb")
            elif part.kind == "type" and any(p.kind == "name" for p in targets) and self._mode(part, tokens) is not None:
                part = self._mode(part, tokens)  # "에어컨 냉방으로": the aircon's mode, not the kind "climate"
            result.append(part)
        return result

    def _mode(self, part: Part, tokens: list[str]) -> Part | None:
        """The same words read as a mode ("fan", "냉방"), or None."""
        found = [v for end, v in self.matches("mode", tokens, part.start) if end == part.end]
        return Part(part.start, part.end, "mode", found[0]) if found else None

    def _turned(self, parts: list[Part], part: Part, tokens: list[str]) -> bool:
        """Is a word that says which way ("up", "down") said after this one?"""
        return any(p.start >= part.end and tuple(tokens[p.start : p.end]) in self.words.directions for p in parts)

    def _cue_off(self, part: Part, tokens: list[str]) -> list[Part]:
        """A name that ends in a cue word, when its first words name the same thing: "front door lock
        please" is the front door (its lock) and "lock"."""
        if part.kind not in ("name", "type"):
            return [part]
        for cut in range(part.end - 1, part.start, -1):
            cue = tuple(tokens[cut : part.end])
            if cue not in self.words.cues:
                continue
            shorter = [v for end, v in self.matches(part.kind, tokens[:cut], part.start) if end == cut]
            if shorter:
                return [Part(part.start, cut, part.kind, shorter[0]), Part(cut, part.end, "cue", cue)]
        return [part]

    def _part_at(self, tokens: list[str], i: int, question: bool, before: list[Part]) -> Part | None:
        found: list[Part] = []
        lists = (*TARGETS, "state") if question else (*TARGETS, *VALUES, "scene")  # "is it cold": no mode "cool" asked
        for name in lists:
            found.extend(Part(i, end, name, value) for end, value in self.matches(name, tokens, i))
        number = self._number(tokens, i)
        if number is not None:
            found.append(number)
        found.extend(self._lexicon(tokens, i, question))
        if not found:
            return None
        longest = max(p.end for p in found)
        best = [p for p in found if p.end == longest]
        return min(best, key=lambda p: _PRIORITY.get(p.kind, len(_PRIORITY)))

    def matches(self, kind: str, tokens: list[str], i: int) -> list[tuple[int, Any]]:
        """(end, value) of each phrase of the lists that say a part of this kind, starting at word i."""
        return [m for name in self.words.list_names(kind) for m in self.index.matches(name, tokens, i)]

    def _lexicon(self, tokens: list[str], i: int, question: bool) -> list[Part]:
        w = self.words
        found = []
        for n in range(min(w.longest, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + n])
            leaving = w.excepts - w.question_fillers if question else w.excepts  # "did I leave a window open"
            groups: tuple[tuple[str, Any], ...] = (
                ("negation", w.negations), ("condition", w.conditions), ("except", leaving), ("except_after", w.excepts_after),
                ("everywhere", w.everywhere), ("any", w.any), ("value_word", w.value_words), ("briefly", w.briefly),
                ("filler", w.fillers))
            if question:
                groups += (("how_many", w.how_many), ("which", w.which), ("temperature", w.temperature_questions),
                           ("question", w.questions | w.question_ends), ("negation", w.yourself),
                           ("state", w.question_states), ("filler", w.question_fillers), ("any", w.question_any))
            else:
                groups += (("cue", w.cues), ("feeling", w.feelings), ("verb", {(v,) for v in w.verbs}),
                           ("filler", w.questions))
            for kind, group in groups:
                if phrase in group:
                    value = phrase if kind in ("cue", "feeling") else group[phrase] if isinstance(group, dict) else None
                    found.append(Part(i, i + n, kind, value))
        return found

    def _number(self, tokens: list[str], i: int) -> Part | None:
        """A number, maybe with minus before it and its unit after it ("minus 20", "21 degrees", "30 %")."""
        from assistant.language.numbers import as_number

        for phrase, amount in self.words.amounts.items():  # "half", "a quarter": a share, in percent
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                return Part(i, i + len(phrase), "value", (int(amount) if amount.is_integer() else amount, "percent"))
        start, sign = i, 1
        for phrase in self.words.minus:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i, sign = i + len(phrase), -1
                break
        # digits only: the small number words left as words ("a", "one") are articles and pronouns here
        token = tokens[i] if i < len(tokens) else ""
        value = as_number(token) if token.lstrip("-")[:1].isdigit() else None
        if value is None:
            return None
        value *= sign
        number: Any = int(value) if float(value).is_integer() else value
        for phrase, unit in sorted(self.words.units.items(), key=lambda item: -len(item[0])):
            if tuple(tokens[i + 1 : i + 1 + len(phrase)]) == phrase:
                return Part(start, i + 1 + len(phrase), "value", (number, unit))
        return Part(start, i + 1, "value", (number, "number"))

# When parts of the same length begin at a word: a device's own name before a room or a kind, the lexicon last.
_PRIORITY = {kind: n for n, kind in enumerate(
    ("name", "area", "here", "floor", "type", "all", "everywhere", "value", "color", "mode", "scene", "state", "except",
     "except_after", "negation", "condition", "how_many", "which", "any", "temperature", "question", "value_word", "cue", "feeling", "verb",
     "briefly", "filler"))}


def target_slots(parts: list[Part]) -> dict[str, Any] | None:
    """The slots that say what a command is for, as the templates give them; "except" makes the next
    name or room a thing to leave out, "except_after" the one before ("스탠드 빼고")."""
    slots: dict[str, Any] = {}
    leaving = False
    parts = _left_out_before(parts)
    for part in parts:
        if part.kind == "except":
            leaving = True
            continue
        if part.kind not in (*TARGETS, "everywhere", "left_out"):
            continue
        if part.kind in ("everywhere", "all"):  # "모든 조명 다": said twice, still all
            slots["all"] = True
            continue
        if part.kind == "left_out":
            if part.value[0] not in ("name", "area"):
                return None
            slot = f"except_{part.value[0]}"
            slots[slot] = [*_as_list(slots.get(slot)), part.value[1]] if slot in slots else part.value[1]
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


def _left_out_before(parts: list[Part]) -> list[Part]:
    """The name or place right before an "except_after" word is left out: ("left_out", (slot, value)); a place
    with a kind ("거실 불 빼고") leaves out that place, and the kind is what the command is for."""
    result: list[Part] = []
    for part in parts:
        if part.kind != "except_after":
            result.append(part)
            continue
        kind = result.pop() if len(result) > 1 and result[-1].kind == "type" and result[-2].kind in ("area", "here") else None
        if not result or result[-1].kind not in TARGETS:
            return [Part(part.start, part.end, "except")]  # nothing to leave out: no command
        left = result.pop()
        result.append(Part(left.start, part.end, "left_out", ({"here": "area"}.get(left.kind, left.kind), left.value)))
        result.extend([kind] if kind else [])
    return result


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
