"""What the recogniser may hear: a word-level finite-state grammar read off the compiled templates.

The NLU automaton (assistant.nlu.grammar) already is a finite-state machine over words; here its
slot-list edges are expanded with the live home's names, rooms and scenes (and number ranges spoken
as words), skip words and the wake word are added, and the result is handed to the engines as a
pocketsphinx FSG (transitions) or a vosk phrase list (sentences that cover every word pair).
Built results are cached under a hash of everything they depend on, so a change to the home or
the intents rebuilds them and nothing else does.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.nlu.grammar import Grammar
from assistant.nlu.intents import SlotList
from assistant.nlu.normalize import words_of

MAX_PHRASES = 50000
CACHE_VERSION = 1


@dataclass
class SpeechGrammar:
    """A word graph: `transitions` are (from, to, word) with word None for a free (null) move."""

    start: int
    final: int
    transitions: list[tuple[int, int, str | None]]
    language: str = "en"
    wake_word: str | None = None
    key: str = ""
    _phrases: list[str] | None = field(default=None, repr=False)
    _nulls: dict[int, list[int]] | None = field(default=None, repr=False)

    @property
    def states(self) -> int:
        return 1 + max([self.final, self.start, *(t for _, t, _ in self.transitions), *(s for s, _, _ in self.transitions)])

    def words(self) -> set[str]:
        return {w for _, _, w in self.transitions if w}

    def without_words(self, unknown: set[str]) -> SpeechGrammar:
        """The same grammar with every transition on an unknown word removed."""
        kept = [t for t in self.transitions if t[2] not in unknown]
        return SpeechGrammar(self.start, self.final, kept, self.language, self.wake_word, self.key + "-" + _digest(sorted(unknown)))

    def phrases(self, limit: int = MAX_PHRASES) -> list[str]:
        """Sentences that together use every word pair the grammar allows (what a vosk phrase list needs:
        it turns the phrases into a bigram model, so covering the pairs covers the language)."""
        if self._phrases is None:
            self._phrases = _covering_phrases(self, limit)
        return self._phrases

    def accepts(self, text: str) -> bool:
        """Whether the grammar can say exactly these words."""
        current = self._closure({self.start})
        for word in text.split():
            current = self._closure({t for s, t, w in self.transitions if w == word and s in current})
            if not current:
                return False
        return self.final in current

    def _closure(self, states: set[int]) -> set[int]:
        if self._nulls is None:
            self._nulls = {}
            for s, t, w in self.transitions:
                if w is None:
                    self._nulls.setdefault(s, []).append(t)
        nulls = self._nulls
        stack, seen = list(states), set(states)
        while stack:
            for t in nulls.get(stack.pop(), ()):
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return seen

    def sentences(self, limit: int = 20000) -> list[tuple[str, ...]] | None:
        """Every sentence of the grammar (loops taken at most once), or None when there are more than `limit`."""
        graph = self.deterministic()
        words_from: dict[int, list[tuple[str, int]]] = {}
        ends = set()
        for s, t, w in graph.transitions:
            if w is None:
                ends.add(s)
            else:
                words_from.setdefault(s, []).append((w, t))
        found: list[tuple[str, ...]] = []
        stack: list[tuple[int, tuple[str, ...], frozenset[int]]] = [(graph.start, (), frozenset({graph.start}))]
        while stack:  # simple paths only: a loop (repeated skip words) is said at most once
            state, words, visited = stack.pop()
            if state in ends and words:
                found.append(words)
                if len(found) > limit:
                    return None
            for word, t in words_from.get(state, ()):
                if t not in visited:
                    stack.append((t, words + (word,), visited | {t}))
        return found

    def deterministic(self, max_states: int = 200000) -> SpeechGrammar:
        """The same language as a deterministic word graph (one move per word from each state), null moves
        left only into the final state. Pocketsphinx decodes it faster, and the per-state word probabilities
        mean something, because paths that say the same words are merged."""
        words_from: dict[int, list[tuple[str, int]]] = {}
        for s, t, w in self.transitions:
            if w is not None:
                words_from.setdefault(s, []).append((w, t))
        first = frozenset(self._closure({self.start}))
        numbering: dict[frozenset, int] = {first: 0}
        queue = deque([first])
        edges: list[tuple[int, int, str | None]] = []
        ends: list[int] = []
        while queue:
            subset = queue.popleft()
            if self.final in subset:
                ends.append(numbering[subset])
            moves: dict[str, set[int]] = {}
            for r in subset:
                for word, t in words_from.get(r, ()):
                    moves.setdefault(word, set()).add(t)
            for word in sorted(moves):
                target = frozenset(self._closure(moves[word]))
                if target not in numbering:
                    if len(numbering) >= max_states:
                        raise ValueError(f"the speech grammar has more than {max_states} states")
                    numbering[target] = len(numbering)
                    queue.append(target)
                edges.append((numbering[subset], numbering[target], word))
        final = len(numbering)
        edges.extend((e, final, None) for e in ends)
        return SpeechGrammar(0, final, edges, self.language, self.wake_word, self.key + "-det")

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "final": self.final, "transitions": self.transitions, "language": self.language,
                "wake_word": self.wake_word, "key": self.key}


def spoken_numbers(low: float, high: float, step: float, language: str) -> list[tuple[str, ...]]:
    """Number-range values as the words people say ("22" -> "twenty two"), from CLDR rules (unicode-rbnf)."""
    from unicode_rbnf import RbnfEngine

    try:
        engine = RbnfEngine.for_language(language)
    except Exception:  # a language without CLDR spell-out rules: digits only
        engine = None
    values: list[tuple[str, ...]] = []
    count = int(round((high - low) / step)) + 1 if step > 0 else 1
    for i in range(min(count, 1000)):
        number = low + i * step
        if engine is None or not float(number).is_integer():
            continue
        text = engine.format_number(int(number)).text
        words = tuple(words_of(text.replace("-", " ")))
        if words:
            values.append(words)
    return values


def build_speech_grammar(grammar: Grammar, lists: dict[str, SlotList], language: str = "en",
                         skip_words: list[tuple[str, ...]] | None = None, wake_word: str | None = None) -> SpeechGrammar:
    """Expand the NLU automaton into a word graph the recognisers can decode with."""
    transitions: list[tuple[int, int, str | None]] = []
    count = len(grammar.states)

    def new_state() -> int:
        nonlocal count
        count += 1
        return count - 1

    def add_phrases(src: int, dst: int, phrases: list[tuple[str, ...]]) -> None:
        """Add the phrases from src to dst as a trie (shared prefixes share states)."""
        trie: dict[tuple[int, str], int] = {}
        for words in phrases:
            state = src
            for i, word in enumerate(words):
                if i == len(words) - 1:
                    transitions.append((state, dst, word))
                else:
                    key = (state, word)
                    if key not in trie:
                        trie[key] = new_state()
                        transitions.append((state, trie[key], word))
                    state = trie[key]

    list_values: dict[str, list[tuple[str, ...]]] = {}

    def values_of(name: str) -> list[tuple[str, ...]]:
        if name not in list_values:
            slot_list = lists.get(name)
            if slot_list is None or slot_list.wildcard:
                list_values[name] = []  # free text cannot be a grammar: those sentences need --open
            elif slot_list.range is not None:
                list_values[name] = spoken_numbers(*slot_list.range, language)
            else:
                list_values[name] = sorted({words for words, _ in slot_list.values})
        return list_values[name]

    final = new_state()
    for index, state in enumerate(grammar.states):
        for word, targets in state.words.items():
            transitions.extend((index, target, word) for target in targets)
        for list_name, _slot, target in state.lists:
            add_phrases(index, target, values_of(list_name))
        transitions.extend((index, target, None) for target in state.epsilon)
        if state.accept:
            transitions.append((index, final, None))

    # Skip words ("please", "could you") may come before or after a command.
    start = new_state()
    transitions.append((start, grammar.start, None))
    skips = sorted(set(skip_words or []))
    if skips:
        add_phrases(start, start, skips)
        end = new_state()
        transitions = [(s, end if t == final else t, w) for s, t, w in transitions]
        transitions.append((end, final, None))
        add_phrases(end, final, skips)
    if wake_word:
        wake = tuple(words_of(wake_word))
        before, after = new_state(), new_state()
        add_phrases(before, after, [wake])
        transitions += [(after, start, None), (after, final, None), (before, start, None)]
        start = before
    speech = SpeechGrammar(start, final, transitions, language, wake_word)
    speech.key = _digest([CACHE_VERSION, language, wake_word, transitions, start, final])
    return speech


def speech_grammar_for(assistant, wake_word: str | None = None, cache: Path | None = None) -> SpeechGrammar:
    """The speech grammar of a running `Assistant` (its templates and its home), cached by content hash."""
    understander = assistant.understander
    grammar = understander.grammar
    lists = understander.index.lists
    language = assistant.intents.language
    skips = assistant.intents.skip_words
    source_key = _digest([CACHE_VERSION, language, wake_word, _grammar_fingerprint(grammar), _lists_fingerprint(lists),
                          sorted(skips)])
    path = (cache / f"grammar-{source_key}.json") if cache else None
    if path is not None and path.exists():
        try:
            raw = json.loads(path.read_text())
            transitions = [(s, t, w) for s, t, w in raw["transitions"]]
            speech = SpeechGrammar(raw["start"], raw["final"], transitions, raw["language"], raw["wake_word"], raw["key"])
            speech._phrases = raw.get("phrases")
            return speech
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is rebuilt
    speech = build_speech_grammar(grammar, lists, language, skips, wake_word)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({**speech.to_json(), "phrases": speech.phrases()}, ensure_ascii=False))
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return speech


def _grammar_fingerprint(grammar: Grammar) -> list:
    return [[sorted((w, t) for w, t in s.words.items()), s.lists, s.epsilon, bool(s.accept)] for s in grammar.states]


def _lists_fingerprint(lists: dict[str, SlotList]) -> list:
    return [[name, sorted(w for w, _ in sl.values), sl.range, sl.wildcard] for name, sl in sorted(lists.items())]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _covering_phrases(speech: SpeechGrammar, limit: int) -> list[str]:
    """One sentence through every pair of consecutive word transitions (shortest way in and out)."""
    out_words: dict[int, list[tuple[str, int]]] = {}
    nulls: dict[int, list[int]] = {}
    into: dict[int, list[tuple[int, str | None]]] = {}
    for s, t, w in speech.transitions:
        if w is None:
            nulls.setdefault(s, []).append(t)
        else:
            out_words.setdefault(s, []).append((w, t))
        into.setdefault(t, []).append((s, w))

    # prefix[s]: the fewest words that reach s; suffix[s]: the fewest words from s to the end (0-1 BFS).
    def shortest(origin: int, edges) -> dict[int, tuple[str, ...]]:
        best = {origin: ()}
        queue = deque([origin])
        while queue:
            s = queue.popleft()
            for nxt, word in edges(s):
                path = best[s] + ((word,) if word else ())
                if nxt not in best or len(path) < len(best[nxt]):
                    best[nxt] = path
                    (queue.appendleft if word is None else queue.append)(nxt)
        return best

    prefix = shortest(speech.start, lambda s: [(t, w) for w, t in out_words.get(s, ())] + [(t, None) for t in nulls.get(s, ())])
    suffix_rev = shortest(speech.final, lambda t: [(s, w) for s, w in into.get(t, ())])
    suffix = {s: tuple(reversed(p)) for s, p in suffix_rev.items()}

    closures: dict[int, list[int]] = {}

    def closure(state: int) -> list[int]:
        if state not in closures:
            seen, stack = {state}, [state]
            while stack:
                for t in nulls.get(stack.pop(), ()):
                    if t not in seen:
                        seen.add(t)
                        stack.append(t)
            closures[state] = sorted(seen)
        return closures[state]

    phrases: dict[str, None] = {}
    covered: set[tuple[str, str]] = set()  # word pairs, with "" for the start and end of a sentence

    def add(words: tuple[str, ...]) -> None:
        pairs = set(zip(("",) + words, words + ("",)))
        if not pairs <= covered:
            covered.update(pairs)
            phrases.setdefault(" ".join(words))

    for s, edges in out_words.items():
        if s not in prefix:
            continue
        for word, t in edges:
            if speech.final in closure(t):
                add(prefix[s] + (word,))
            for u in closure(t):
                for word2, v in out_words.get(u, ()):
                    if v in suffix and (word, word2) not in covered:
                        add(prefix[s] + (word, word2) + suffix[v])
            if len(phrases) >= limit:
                return list(phrases)
    return list(phrases)
    return list(phrases)
