"""Fuzzy names: values of the home's lists (devices, rooms, scenes) spelled or sounding like heard words.

A heard phrase stands for a name when it is similar overall, and costs by the letters it gets wrong, so a
long name does not make an extra word cheap; names about as close as the best are all kept, so the caller
sees the ambiguity ("desk lamp" or "dusk lamp?") instead of a guess.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from assistant.understand.rules import ListIndex
from assistant.understand.spelling import spelled

if TYPE_CHECKING:
    from assistant.understand.lexicon import Lexicon

NAME_MIN = 0.8  # similarity a heard phrase needs to stand for a list value (a device, a room)
SOUNDS_LIKE_NAME = 0.45  # cost of a name heard with the same phonetic key
NEAR_EQUAL = 0.05  # names this much dearer than the best are kept as alternatives
# No spoken word or name is longer; a longer "word" is noise, only ever skipped (comparing its
# substrings with the lists would take time quadratic in its length).
MAX_WORD_CHARS = 40


def name_cost(edits: int) -> float:
    """A name heard with `edits` letters wrong (a merged name with none still costs a little)."""
    return 0.1 + 0.3 * edits


class FuzzyNames:
    """Where in the heard words a list value may have been said, and at what cost."""

    def __init__(self, index: ListIndex, lexicon: Lexicon, vocabulary: set[str]):
        self.index = index
        self.lexicon = lexicon
        self.vocabulary = vocabulary  # template words: a template word is not part of a name
        self.words: set[str] = set()  # every word of every list value
        self._words_of: dict[str, list[str]] = {}
        self._spelled_words_of: dict[str, list[str]] = {}
        for name, slot_list in index.lists.items():
            words_here = {w for words, _ in slot_list.values for w in words}
            self._words_of[name] = sorted(words_here)
            self._spelled_words_of[name] = [spelled(w) for w in self._words_of[name]]
            self.words |= words_here
        self._nearness: dict[tuple[str, str], bool] = {}

    def spans(self, tokens: list[str], list_name: str, start: int) -> list[tuple[int, Any, float, str]]:
        """(end, value, cost, phrase) for list values spelled or sounding like tokens[start:end].

        Candidates must be similar overall (NAME_MIN); their cost counts letter edits, so a long
        name does not make an extra word cheap. Values as cheap as the best are all kept: two
        names one letter away from what was heard are a question, not a guess.
        """
        from rapidfuzz.distance import OSA

        slot_list = self.index.lists.get(list_name)
        if slot_list is None or not slot_list.values:
            return []
        blocked = self.lexicon.polarity | self.lexicon.negations
        found: list[tuple[int, Any, float, str]] = []
        longest = self.index.max_words(list_name) + 1
        for end in range(start + 1, min(len(tokens), start + longest) + 1):
            span = tokens[start:end]
            last = span[-1]
            if last in blocked or (last in self.vocabulary and last not in self.words):
                break  # a template word ("in", "my") is not part of a name
            text = "".join(span)
            if len(spelled(text)) < 3 or not all(self._near(list_name, t) for t in span):
                continue
            similar = [(words, value, False) for _, words, value in self.index.similar(list_name, text, NAME_MIN)] \
                if len(spelled(text)) >= 4 else []
            similar += [(words, value, True) for words, value in self.index.sounding(list_name, self.lexicon.sound(text),
                                                                                      self.lexicon.sound)]
            if any(tuple(words) == tuple(span) for words, _, _ in similar):
                continue  # heard exactly: the rule walk has it, and "locked" must not become "unlocked"
            candidates: dict[Any, tuple[float, tuple[str, ...]]] = {}
            for words, value, sounds in similar:
                if abs(len(words) - len(span)) > 1 or self.lexicon.guarded.intersection(words):
                    continue  # too many words apart, or a value like "open" or "on": never guessed
                cost = name_cost(OSA.distance(spelled(text), spelled("".join(words))))
                if sounds:
                    cost = min(cost, SOUNDS_LIKE_NAME)
                if cost < candidates.get(value, (math.inf,))[0]:
                    candidates[value] = (cost, words)
            if not candidates:
                continue
            best = min(c for c, _ in candidates.values())
            for value, (cost, words) in candidates.items():
                if cost <= best + NEAR_EQUAL:
                    found.append((end, value, cost, " ".join(words)))
        return found

    def _near(self, list_name: str, token: str) -> bool:
        """Could this heard word be (part of) a word of the list? A cheap filter before the name index."""
        if token in self.lexicon.fillers or (len(spelled(token)) <= 2 and token not in self.vocabulary):
            return True  # a hesitation inside a name, or a fragment of a split word
        if len(token) > MAX_WORD_CHARS:
            return False
        key = (list_name, token)
        if len(self._nearness) > 100_000:  # a long chat session must not grow this without end
            self._nearness.clear()
        if key not in self._nearness:
            from rapidfuzz import fuzz, process

            words = self._words_of.get(list_name, [])
            known = set(words)
            self._nearness[key] = (
                token in known
                or any(token[:i] in known or token[i:] in known for i in range(2, len(token) - 1))
                or process.extractOne(spelled(token), self._spelled_words_of.get(list_name, []), scorer=fuzz.ratio,
                                      score_cutoff=60) is not None
                or bool(self.index.sounding(list_name, self.lexicon.sound(token), self.lexicon.sound))
            )
        return self._nearness[key]
