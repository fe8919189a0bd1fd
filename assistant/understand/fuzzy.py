"""Fuzzy matching: what the words were probably meant to be, when no template matches them exactly.

Speech recognisers drop short words, hear homophones ("write" for "right"), misspell names
("kichen light"), merge or split words ("floorlamp", "un lock") and add fillers. The fuzzy
layer walks the same compiled grammar as the rule matcher, but each step may be an edit with a
cost: a heard word spelled or sounding like a template word, an extra heard word skipped, a
template word that was not heard, two heard words making one template word (or one making two),
and a name of a slot list spelled or sounding like a real one. A best-first search finds the
cheapest complete paths; their cost becomes a confidence.

Safety rules, all derived from the templates and lists (nothing here knows a sentence):
- polarity words (words that alone tell two intents' templates apart: on/off, lock/unlock,
  up/down, open/close...) must be heard as they are: never dropped, replaced, skipped or guessed;
- a path must hear at least one word that is evidence for its intent (a word few intents use);
- a fuzzy name must be close to a real one, and names about as close are all kept, so the caller
  sees the ambiguity instead of a guess;
- a heard negation ("not", "never") is never skipped: "don't turn on the light" is not a command; a typed
  numeral is never skipped or heard as another word ("set the light to 5²" is not 5 percent, "➎0" not "to 0").
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from typing import Any

from assistant.understand.command import Edit
from assistant.understand.grammar import Closure, Grammar
from assistant.understand.lexicon import Lexicon
from assistant.understand.names import MAX_WORD_CHARS, FuzzyNames
from assistant.understand.rules import ListIndex, SlotValue, slot_dict
from assistant.understand.spelling import spelled

# Costs of edits (a dropped article is cheap; a skipped word that the templates know is not).
SPLIT_COST = 0.2  # "un lock" -> unlock, "floorlamp" -> floor lamp
SKIP_FILLER = 0.15  # a hesitation or empty word ("uh", "just"; fuzzy/words.yaml)
SKIP_UNKNOWN = 0.35  # an extra heard word the templates never use
SKIP_KNOWN = 0.6  # an extra heard word the templates or lists do use
BESIDE_SLOT = 0.45  # extra for skipping a word next to a name: it may have been part of it
LOOKS_KNOWN = 0.2  # extra for skipping a word that is spelled like a template word: it probably was one
SWAP_COMMON = 0.45  # one short word heard as another ("a" for "the", "as" for "is")
SWAP_LONGEST = 3
DROP_SHORT = 0.3  # a short or common template word not heard ("the", "to", "of")
DROP_OTHER = 0.6
DROP_LONGEST = 3  # longer template words are never assumed unheard: they carry meaning
MAX_DROPS = 2
WORD_MIN = 0.75  # similarity a heard word needs to stand for a template word
SOUNDS_LIKE = 0.85  # similarity given to words with the same phonetic key
FLOOR = 0.3  # readings less confident than this are not even worth showing in an explanation
# On the ASR-noise sentence tests every reading found was found within 9,711 steps (median 2,033);
# a search that goes on past this has nothing near to find, and at ~0.1 ms a step it must stop soon.
MAX_STEPS = 12_000


def _amount(token: str) -> bool:
    """Is the heard word a numeral no recogniser writes ("²", "➎", "½")? Plain digits may be misheard words
    ("two" for "to"), so they may still be corrected."""
    return any(c.isnumeric() and not c.isascii() for c in token)


def word_cost(similarity: float) -> float:
    return 0.15 + 2.0 * (1.0 - similarity)


def confidence(cost: float, words: int) -> float:
    """Map an edit cost to 0-1: the same edits weigh less in a longer sentence."""
    return math.exp(-cost * 4.0 / max(4, words))


def cost_bound(words: int) -> float:
    """The cost at which a reading of a sentence this long falls to FLOOR: the search stops there."""
    return -math.log(FLOOR) * max(4, words) / 4.0


@dataclass
class FuzzyMatch:
    intent: str
    slots: list[SlotValue]
    fixed: dict[str, Any]
    cost: float
    edits: list[Edit]
    source: str = ""
    template: str = ""
    confidence: float = 0.0

    def slot_dict(self) -> dict[str, Any]:
        return slot_dict(self.fixed, self.slots)

    def key(self) -> tuple:
        return (self.intent, tuple(sorted((k, repr(v)) for k, v in self.slot_dict().items())))


# -- the search -----------------------------------------------------------------------------------


class FuzzyMatcher:
    """Cheapest edit paths of a token list through the grammar."""

    def __init__(self, grammar: Grammar, index: ListIndex, lexicon: Lexicon):
        self.grammar = grammar
        self.index = index
        self.lexicon = lexicon
        self._vocab_set = set(lexicon.vocabulary)
        self._by_sound: dict[str, list[str]] = {}
        for word in lexicon.vocabulary:
            if len(word) >= 2:
                self._by_sound.setdefault(lexicon.sound(word), []).append(word)
        self._spelled_vocabulary = [spelled(word) for word in lexicon.vocabulary]
        self.names = FuzzyNames(index, lexicon, self._vocab_set)
        self._list_words = self.names.words
        self._drops: dict[int, list[tuple[str, float, list[int]]]] = {}
        self._commons: dict[int, list[tuple[str, list[int]]]] = {}

    def _droppable(self, state: int) -> list[tuple[str, float, list[int]]]:
        """(word, cost, targets) of the template words that may go unheard from a state."""
        found = self._drops.get(state)
        if found is None:
            lex = self.lexicon
            found = self._drops[state] = [
                (word, DROP_SHORT if word in lex.common else DROP_OTHER, targets)
                for word, targets in self.grammar.closure(state).words.items()
                if word not in lex.guarded and len(spelled(word)) <= DROP_LONGEST
            ]
        return found

    def _common_words(self, state: int) -> list[tuple[str, list[int]]]:
        """(word, targets) of the short template words from a state that say nothing about the intent."""
        found = self._commons.get(state)
        if found is None:
            meaningful = self.lexicon.evidence | self.lexicon.guarded  # never "off", "cut" or "all"
            found = self._commons[state] = [
                (word, targets) for word, targets in self.grammar.closure(state).words.items()
                if len(spelled(word)) <= SWAP_LONGEST and word not in meaningful
            ]
        return found

    def _may_be_name(self, token: str) -> bool:
        """Could a skipped word have been part of a name? Not a filler, an article or a template word."""
        lex = self.lexicon
        return len(spelled(token)) >= 3 and token not in lex.fillers and token not in self._vocab_set

    # per-utterance tables ----------------------------------------------------------------------

    def _similar_words(self, token: str) -> list[tuple[str, float]]:
        from rapidfuzz import fuzz, process

        if token in self.lexicon.slips:  # "of" for "off": a polarity word may be heard as its one slip
            return [(self.lexicon.slips[token], SOUNDS_LIKE)]
        if token in self.lexicon.polarity or token in self.lexicon.negations or _amount(token) or not 2 <= len(spelled(token)) <= MAX_WORD_CHARS:
            return []
        found: dict[str, float] = {}
        for _, score, i in process.extract(
            spelled(token), self._spelled_vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_MIN * 100, limit=8
        ):
            found[self.lexicon.vocabulary[i]] = score / 100
        for word in self._by_sound.get(self.lexicon.sound(token), ()):
            found[word] = max(found.get(word, 0.0), SOUNDS_LIKE)
        found.pop(token, None)
        return [(w, s) for w, s in found.items() if w not in self.lexicon.guarded]

    def _splits(self, token: str) -> list[tuple[str, str]]:
        """Ways to read one heard word as two known ones ("floorlamp", "theac")."""
        if token in self._vocab_set or token in self._list_words or not 4 <= len(token) <= MAX_WORD_CHARS:
            return []
        known = self._vocab_set | self._list_words
        return [(token[:i], token[i:]) for i in range(1, len(token)) if token[:i] in known and token[i:] in known]

    def _readings(self, tokens: list[str]) -> list[tuple[list[str], tuple[Edit, ...]]]:
        """The heard words, and versions with merged words split again (at most a few)."""
        readings: list[tuple[list[str], tuple[Edit, ...]]] = [([], ())]
        for token in tokens:
            splits = self._splits(token)
            grown = []
            for words, edits in readings:
                grown.append(([*words, token], edits))
                for first, second in splits[:2]:
                    edit = Edit("split", token, f"{first} {second}", SPLIT_COST, len(words))
                    grown.append(([*words, first, second], (*edits, edit)))
            readings = grown[:6]
        return readings

    # the walk ------------------------------------------------------------------------------------

    def match(self, tokens: list[str], limit: int = 12) -> list[FuzzyMatch]:
        """Complete fuzzy paths, cheapest first (at most `limit`, down to confidence FLOOR)."""
        best: dict[tuple, FuzzyMatch] = {}
        for words, edits in self._readings(tokens):
            for found in self._search(words, edits, limit, len(tokens)):
                if found.key() not in best or found.cost < best[found.key()].cost:
                    best[found.key()] = found
        return sorted(best.values(), key=lambda m: m.cost)[:limit]

    def _search(self, tokens: list[str], start_edits: tuple[Edit, ...], limit: int, n_heard: int) -> list[FuzzyMatch]:
        if not tokens:
            return []
        return _Search(self, tokens, limit, n_heard).run(start_edits)


# A partial reading, as kept on the search's heap: the heard words up to `pos` walked to grammar `state` at
# `cost`, with the slots read and the edits made so far, how many template words were assumed unheard
# (`drops`) and whether a word that is evidence for the intent was heard; `tie` keeps the heap's order stable.
_Path = tuple  # (cost, tie, pos, state, slots, edits, drops, evidence)


class _Search:
    """One best-first search of one reading of the heard words: each step from a path is a heard word
    (as heard, or corrected), a template word not heard, two heard words joined, a heard word skipped, or
    a name of a slot list; the cheapest complete paths are the matches."""

    def __init__(self, matcher: FuzzyMatcher, tokens: list[str], limit: int, n_heard: int):
        self.matcher = matcher
        self.grammar = matcher.grammar
        self.lexicon = matcher.lexicon
        self.tokens = tokens
        self.limit = limit
        self.n_heard = n_heard
        self.similar = [matcher._similar_words(t) for t in tokens]
        self.spans: dict[tuple[str, int], list] = {}
        self.exact: dict[tuple[str, int], list] = {}
        self.counter = itertools.count()
        self.heap: list[_Path] = []
        self.best_cost: dict[tuple, float] = {}
        self.results: list[FuzzyMatch] = []
        self.seen_results: set[tuple] = set()
        self.max_cost = cost_bound(n_heard)
        self.max_drops = min(MAX_DROPS, (n_heard - 1) // 2)

    def run(self, start_edits: tuple[Edit, ...]) -> list[FuzzyMatch]:
        """The complete paths found, cheapest first."""
        start_cost = sum(e.cost for e in start_edits)
        heap, n, steps = self.heap, len(self.tokens), 0
        heapq.heappush(heap, (start_cost, next(self.counter), 0, self.grammar.start, (), start_edits, 0, False))
        while heap and steps < MAX_STEPS:
            path = heapq.heappop(heap)
            cost, _, pos, state, slots, _, drops, evidence = path
            if self.best_cost.get((pos, state, slots, evidence), math.inf) < cost:
                continue
            if self.results and cost > self.results[0].cost + 0.6:
                break
            steps += 1
            closure = self.grammar.closure(state)
            if pos == n and evidence and closure.accept:
                self._accept(path, closure)
                if len(self.results) >= self.limit:
                    break
            # template words not heard (not in a sentence of two words: too little was heard to guess from)
            if drops < self.max_drops:
                self._not_heard(path)
            if pos < n:
                self._heard(path, closure)
                self._skipped(path)
                self._names(path, closure)
        self.results.sort(key=lambda m: m.cost)
        return self.results

    def _push(self, cost, pos, state, slots, edits, drops, evidence) -> None:
        if cost > self.max_cost:
            return
        key = (pos, state, slots, evidence)
        best_cost = self.best_cost
        if best_cost.get(key, math.inf) <= cost:
            return
        best_cost[key] = cost
        heapq.heappush(self.heap, (cost, next(self.counter), pos, state, slots, edits, drops, evidence))

    def _accept(self, path: _Path, closure: Closure) -> None:
        """Every template a complete path ends in is a match (once, and only with a correction made)."""
        cost, _, _, _, slots, edits, _, _ = path
        for accept in closure.accept:
            block, template = self.grammar.template(accept)
            found = FuzzyMatch(block.intent, list(slots), dict(block.slots), cost, list(edits),
                               block.source, template, confidence(cost, self.n_heard))
            if found.key() not in self.seen_results and any(e.kind for e in edits):
                self.seen_results.add(found.key())
                self.results.append(found)

    def _not_heard(self, path: _Path) -> None:
        cost, _, pos, state, slots, edits, drops, evidence = path
        push = self._push
        for word, step, targets in self.matcher._droppable(state):
            for target in targets:
                push(cost + step, pos, target, slots, (*edits, Edit("not heard", "", word, step)), drops + 1, evidence)

    def _heard(self, path: _Path, closure: Closure) -> None:
        """The heard word as it is, as a template word spelled or sounding like it, as another short word
        that says nothing about the intent ("a" for "the"), or joined with the next one ("un lock")."""
        cost, _, pos, state, slots, edits, drops, evidence = path
        lex, tokens, push = self.lexicon, self.tokens, self._push
        token = tokens[pos]
        for target in closure.words.get(token, ()):
            push(cost, pos + 1, target, slots, edits, drops, evidence or token in lex.evidence)
        for word, similarity in self.similar[pos]:
            for target in closure.words.get(word, ()):
                step = word_cost(similarity)
                kind = "sounds like" if similarity == SOUNDS_LIKE else "spelled like"
                heard = evidence or (word in lex.evidence and similarity >= SOUNDS_LIKE)
                push(cost + step, pos + 1, target, slots, (*edits, Edit(kind, token, word, step)), drops, heard)
        if len(spelled(token)) <= SWAP_LONGEST and token not in lex.polarity and token not in lex.negations and not _amount(token):
            for word, targets in self.matcher._common_words(state):
                if word != token:
                    for target in targets:
                        push(cost + SWAP_COMMON, pos + 1, target, slots,
                             (*edits, Edit("heard as", token, word, SWAP_COMMON, pos)), drops, evidence)
        if pos + 1 < len(tokens):
            joined = token + tokens[pos + 1]
            for target in closure.words.get(joined, ()):
                edit = Edit("joined", f"{token} {tokens[pos + 1]}", joined, SPLIT_COST)
                push(cost + SPLIT_COST, pos + 2, target, slots, (*edits, edit), drops, evidence or joined in lex.evidence)

    def _skipped(self, path: _Path) -> None:
        """The heard word skipped: cheap for a filler, dearer for a word the templates know; never a polarity
        word, a negation or a number ("5 ²" is no 5: skipping part of an amount changes it)."""
        cost, _, pos, state, slots, edits, drops, evidence = path
        lex, token = self.lexicon, self.tokens[pos]
        if token in lex.polarity or token in lex.negations or _amount(token):
            return
        if token in lex.fillers:
            step = SKIP_FILLER
        elif token in self.matcher._vocab_set or token in self.matcher._list_words:
            step = SKIP_KNOWN
        else:
            step = SKIP_UNKNOWN
        if self.similar[pos] and len(spelled(token)) >= 3:
            step += LOOKS_KNOWN
        skip = (Edit("skipped", token, "", step, pos),)
        if slots and slots[-1].end == pos and self.matcher._may_be_name(token):
            skip += (Edit("skipped beside a name", token, "", BESIDE_SLOT, pos),)
        self._push(cost + sum(e.cost for e in skip), pos + 1, state, slots, (*edits, *skip), drops, evidence)

    def _names(self, path: _Path, closure: Closure) -> None:
        """A name of a slot list starting at the heard word: as it is in the list, or spelled like one."""
        cost, _, pos, state, slots, edits, drops, evidence = path
        tokens, matcher, push = self.tokens, self.matcher, self._push
        beside = ()
        if edits and edits[-1].kind == "skipped" and edits[-1].at == pos - 1 and matcher._may_be_name(edits[-1].heard):
            beside = (Edit("skipped beside a name", edits[-1].heard, "", BESIDE_SLOT, pos - 1),)
        before = cost + sum(e.cost for e in beside)
        for list_name, slot_name, target in closure.lists:
            key = (list_name, pos)
            if key not in self.exact:
                self.exact[key] = matcher.index.matches(list_name, tokens, pos)
            for end, value in self.exact[key]:
                slot = SlotValue(slot_name, value, " ".join(tokens[pos:end]), pos)
                if not matcher.index.admits(list_name, slots, slot):
                    continue
                heard = evidence or list_name in self.lexicon.evidence_lists
                push(before, end, target, (*slots, slot), (*edits, *beside), drops, heard)
            if key not in self.spans:
                self.spans[key] = matcher.names.spans(tokens, list_name, pos)
            for end, value, step, phrase in self.spans[key]:
                heard = " ".join(tokens[pos:end])
                slot = SlotValue(slot_name, value, heard, pos)
                if not matcher.index.admits(list_name, slots, slot):
                    continue
                edit = Edit("name", heard, phrase, step, pos)
                push(before + step, end, target, (*slots, slot), (*edits, *beside, edit), drops, evidence)
