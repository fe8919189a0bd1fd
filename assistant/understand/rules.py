"""Rule matching: walk the compiled grammar over a sentence's words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.understand.grammar import Grammar
from assistant.language.intents import SlotList
from assistant.language.numbers import as_number
from assistant.understand.spelling import spelled


@dataclass(frozen=True)
class SlotValue:
    name: str
    value: Any
    text: str
    start: int = -1  # position of its first word in the tokens

    @property
    def end(self) -> int:
        return self.start + len(self.text.split())


@dataclass
class RuleMatch:
    intent: str
    slots: list[SlotValue]
    fixed: dict[str, Any] = field(default_factory=dict)
    literal_words: int = 0
    source: str = ""
    template: str = ""

    def slot_dict(self) -> dict[str, Any]:
        return slot_dict(self.fixed, self.slots)


def slot_dict(fixed: dict[str, Any], slots: list[SlotValue]) -> dict[str, Any]:
    """Fixed slots plus matched ones; a slot matched twice ("the kitchen and hallway lights") is a list,
    unless it is the same value said again. A list read into the slot `_` (`{timer_count:_}`) only stands
    for its words: no slot."""
    result: dict[str, Any] = dict(fixed)
    for slot in slots:
        if slot.name == "_":
            continue
        if slot.name in result and slot.name not in fixed:
            if result[slot.name] == slot.value:
                continue
            existing = result[slot.name]
            result[slot.name] = [*existing, slot.value] if isinstance(existing, list) else [existing, slot.value]
        else:
            result[slot.name] = slot.value
    return result


class ListIndex:
    """Phrase lists as tries, so a `{list}` edge finds every value starting at a word quickly."""

    def __init__(self, lists: dict[str, SlotList]):
        self.lists = lists
        self._tries: dict[str, dict] = {}
        self._longest: dict[str, int] = {}
        for name, slot_list in lists.items():
            self._longest[name] = max((len(words) for words, _ in slot_list.values), default=0)
            trie: dict = {}
            for words, value in slot_list.values:
                node = trie
                for word in words:
                    node = node.setdefault(word, {})
                node.setdefault(None, []).append(value)
            self._tries[name] = trie
        self._spelled: dict[str, tuple[list[str], list[list[tuple[tuple[str, ...], Any]]]]] = {}
        self._sounds: dict[str, dict[str, list[tuple[tuple[str, ...], Any]]]] = {}

    def admits(self, name: str, slots: tuple[SlotValue, ...], slot: SlotValue) -> bool:
        """May SLOT, a value of list `name`, join the SLOTS read before it? A measure (a number, a duration, a
        time of day, a colour) is one value: said twice, it must be the same. "the 5:30 alarm at 6" is no reading
        with both times (their list had reached the clock as the text "['05:30', '06:00']"); a list of names or
        places is ("the kitchen and hallway lights")."""
        slot_list = self.lists.get(name)
        if slot.name == "_" or slot_list is None or (slot_list.range is None and slot_list.kind is None):
            return True
        return all(s.value == slot.value for s in slots if s.name == slot.name)

    def max_words(self, name: str) -> int:
        """Words in the longest value of list `name`."""
        return self._longest.get(name, 0)

    def sounding(self, name: str, key: str, sound_key) -> list[tuple[tuple[str, ...], Any]]:
        """Values of list `name` whose spelling (spaces ignored) has the phonetic key `key`."""
        sounds = self._sounds.get(name)
        if sounds is None:
            sounds = self._sounds[name] = {}
            slot_list = self.lists.get(name)
            for words, value in (slot_list.values if slot_list else []):
                sounds.setdefault(sound_key("".join(words)), []).append((words, value))
        return sounds.get(key, [])

    def similar(self, name: str, text: str, cutoff: float, limit: int = 6) -> list[tuple[float, tuple[str, ...], Any]]:
        """Values of list `name` spelled like `text` (spaces ignored; Hangul by its jamo), as (similarity 0-1,
        words, value).

        rapidfuzz scans the spellings in C with a length filter from the cutoff, so this stays
        around a millisecond for 10,000 names; it only runs when rules have failed.
        """
        from rapidfuzz import fuzz, process

        entry = self._spelled.get(name)
        if entry is None:
            by_spelling: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
            slot_list = self.lists.get(name)
            for words, value in (slot_list.values if slot_list else []):
                by_spelling.setdefault("".join(words), []).append((words, value))
            entry = self._spelled[name] = ([spelled(s) for s in by_spelling], list(by_spelling.values()))
        choices, entries = entry
        found = []
        for _, score, i in process.extract(spelled(text), choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100,
                                           limit=limit):
            for words, value in entries[i]:
                found.append((score / 100, words, value))
        return found

    def matches(self, name: str, tokens: list[str], start: int) -> list[tuple[int, Any]]:
        """(end, value) for each value of list `name` that starts at tokens[start]."""
        slot_list = self.lists.get(name)
        if slot_list is None:
            return []
        if slot_list.range is not None:
            number = as_number(tokens[start])
            low, high, step = slot_list.range
            if number is None or not low <= number <= high:
                return []
            if step >= 1 and not float(number).is_integer():
                return []
            return [(start + 1, int(number) if float(number).is_integer() else number)]
        if slot_list.kind is not None:
            from assistant.language.durations import kind_matches

            return kind_matches(slot_list.kind, tokens, start, slot_list.language)
        if slot_list.wildcard:
            return [(end, " ".join(tokens[start:end])) for end in range(start + 1, len(tokens) + 1)]
        found = []
        node = self._tries[name]
        for end in range(start, len(tokens)):
            node = node.get(tokens[end])
            if node is None:
                break
            for value in node.get(None, ()):
                found.append((end + 1, value))
        return found


def match_rules(grammar: Grammar, index: ListIndex, tokens: list[str], limit: int = 50) -> list[RuleMatch]:
    """Every way the whole token list matches a template (at most `limit`)."""
    n = len(tokens)
    # agenda[pos]: configurations (state, slots, literal word count) reached after pos words
    agenda: list[dict[tuple, int]] = [dict() for _ in range(n + 1)]
    agenda[0][(grammar.start, ())] = 0
    results: list[RuleMatch] = []
    for pos in range(n + 1):
        for (state, slots), literal in agenda[pos].items():
            closure = grammar.closure(state)
            if pos == n:
                for accept in closure.accept:
                    block, template = grammar.template(accept)
                    results.append(RuleMatch(block.intent, list(slots), dict(block.slots), literal, block.source, template))
                    if len(results) >= limit:
                        return results
                continue
            for target in closure.words.get(tokens[pos], ()):
                key = (target, slots)
                if agenda[pos + 1].get(key, -1) < literal + 1:
                    agenda[pos + 1][key] = literal + 1
            for list_name, slot_name, target in closure.lists:
                for end, value in index.matches(list_name, tokens, pos):
                    slot = SlotValue(slot_name, value, " ".join(tokens[pos:end]), pos)
                    if not index.admits(list_name, slots, slot):
                        continue
                    key = (target, (*slots, slot))
                    if key not in agenda[end]:
                        agenda[end][key] = literal
    return results
