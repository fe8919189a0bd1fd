"""What the recogniser may hear: a word-level finite-state grammar read off the compiled templates.

The NLU automaton (assistant.understand.grammar) is made deterministic and minimal with each slot
list kept as one symbol (assistant.speech.automaton); slot lists become sub-automata shared by every
list edge that leads to the same state, entered and left by null moves (pocketsphinx FSGs allow both
null moves and non-determinism), number ranges are spoken as words and parsed kinds (durations,
colours, times of day) as their common spoken forms (assistant.speech.spoken, spoken_<language>.yaml).
When a command is for later ("... in ten minutes", "at nine pm ...") the NLU reads in code, around a
whole command: those wrappers are one shared sub-graph after every command end and before the
command start. A grammar of every intent says a great many rare things ("kindly kill those floor
lamp"); with every move equally likely the recogniser confuses commands, so each move is weighted
(assistant.speech.weights) by how often sample sentences of the templates take it, the templates'
first-listed wordings and the intents that many devices of the home obey most often
(assistant.speech.samples): the grammar is made from the templates and the home, never from the
sentence tests. The pocketsphinx grammar is a text `.fsg` file that the decoder reads
itself (assistant.speech.fsg); vosk gets a phrase list (sentences that cover every word pair,
assistant.speech.phrases). Results are cached under a hash of everything they depend on
(assistant.speech.cache), so a change to the home or the intents rebuilds them and nothing else does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.understand.engine import SCHEDULE_WORDS
from assistant.understand.grammar import Grammar
from assistant.language.intents import SlotList
from assistant.language.words import load_words
from assistant.understand.normalize import contractions, words_of
from assistant.speech import samples, scope, weights
from assistant.speech.automaton import LIST_MARK, Edge, add_phrases, deterministic, minimal, null_closure, value_automaton
from assistant.speech.cache import digest, grammar_fingerprint, lists_fingerprint, read_cached, write_atomically
from assistant.speech.fsg import fsg_text
from assistant.speech.phrases import all_sentences, covering_phrases
from assistant.speech.spoken import compound, kind_values, list_values, spoken, spoken_numbers, spoken_spec  # noqa: F401
from assistant.speech.weights import SMOOTHING

MAX_PHRASES = 50000
CACHE_VERSION = 9
# The language's words of the speech side (intents/<lang>/words/speech.yaml): `before_command`, the
# schedule words (assistant.understand.engine) that may also come before a command.
WORDS = "speech"


@dataclass
class SpeechGrammar:
    """A word graph over `states` states with one start and one final state. `edges` say words (or
    nothing, for a null move); `slots` are (from, to, list name): any value of that list."""

    start: int
    final: int
    states: int
    edges: list[Edge]
    slots: list[tuple[int, int, str]]
    lists: dict[str, list[tuple[str, ...]]]
    language: str = "en"
    wake_word: str | None = None
    key: str = ""
    cache: Path | None = None
    # How often sample sentences of the templates take each edge and slot edge: the FSG makes common
    # ways of saying things likelier than rare ones (see `learn` and assistant.speech.samples).
    edge_counts: list[float] = field(default_factory=list)
    slot_counts: list[float] = field(default_factory=list)
    # Lists the FSG says word by word (see `word_by_word` in spoken_<language>.yaml), not as compounds.
    word_by_word: list[str] = field(default_factory=list)
    _phrases: list[str] | None = field(default=None, repr=False)
    _graph: tuple[int, int, list[Edge]] | None = field(default=None, repr=False)

    def words(self) -> set[str]:
        used = {name for _, _, name in self.slots}
        return {w for _, _, w in self.edges if w} | {w for name in used for value in self.lists[name] for w in value}

    def compounds(self) -> set[tuple[str, ...]]:
        """Slot values of several words (said as one compound word in the FSG)."""
        said = {n for _, _, n in self.slots} - set(self.word_by_word)
        return {value for name in said for value in self.lists[name] if len(value) > 1}

    # --- the grammar as plain word transitions (list values expanded) ---------------------------

    def word_graph(self, unknown: frozenset[str] = frozenset()) -> tuple[int, int, list[Edge]]:
        """(start, final, transitions) with every list expanded, leaving out words in `unknown`
        (words the recogniser cannot say). One copy of a list's automaton per target state."""
        if not unknown and self._graph is not None:
            return self._graph
        transitions = [e for e in self.edges if e[2] not in unknown]
        count = self.states
        shapes = {name: value_automaton([v for v in values if not unknown.intersection(v)])
                  for name, values in self.lists.items()}
        copies: dict[tuple[str, int], int] = {}
        for src, dst, name in self.slots:
            entry = copies.get((name, dst))
            if entry is None:
                size, start, ends, moves = shapes[name]
                if not ends:
                    continue  # no value the recogniser can say
                entry = copies[(name, dst)] = count + start
                transitions.extend((count + s, count + t, w) for s, t, w in moves)
                transitions.extend((count + e, dst, None) for e in ends)
                count += size
            transitions.append((src, entry, None))
        graph = (self.start, self.final, transitions)
        if not unknown:
            self._graph = graph
        return graph

    @property
    def transitions(self) -> list[Edge]:
        return self.word_graph()[2]

    def fsg_text(self, unknown: frozenset[str] = frozenset(), name: str = "commands") -> str:
        """The grammar in pocketsphinx's FSG file format (assistant.speech.fsg), each move weighted by
        its chance (`_chances`)."""
        return fsg_text(self, self._chances(), unknown, name)

    def _chances(self) -> dict[tuple[str, int], float]:
        return weights.chances(self)

    def learn(self, sentences: list[str], counts: list[float] | None = None) -> int:
        """Count the edges that each sentence of the grammar takes, each sentence counting as much as
        `counts` says (once without; sentences it cannot say are skipped); returns how many were used."""
        self.edge_counts, self.slot_counts, used = weights.count_paths(self, sentences, counts)
        return used

    def _path(self, words: list[str]) -> list[tuple[str, int]] | None:
        """One way through the grammar that says exactly `words`: the edges and slot edges taken."""
        return weights.path(self, words)

    def fsg_file(self, unknown: frozenset[str] = frozenset()) -> Path:
        """The FSG written once to the cache (or a temporary directory), for the decoder to read."""
        import tempfile

        folder = self.cache or Path(tempfile.gettempdir())
        path = folder / f"grammar-{self.key}-{digest(sorted(unknown))}.fsg"
        if not path.exists():
            write_atomically(path, self.fsg_text(unknown))
        return path

    # --- questions about the language ---------------------------------------------------------

    def accepts(self, text: str) -> bool:
        """Whether the grammar can say exactly these words (walked over the compact graph)."""
        words = text.split()
        nulls, moves, slots = self._index()
        tries = self._tries()
        agenda: list[set[int]] = [set() for _ in range(len(words) + 1)]
        agenda[0].add(self.start)
        for pos in range(len(words) + 1):
            seen = set().union(*(null_closure(nulls, s) for s in agenda[pos]))
            if pos == len(words):
                return self.final in seen
            for s in seen:
                agenda[pos + 1].update(moves.get((s, words[pos]), ()))
                for name, t in slots.get(s, ()):
                    node = tries[name]
                    for end in range(pos, len(words)):
                        node = node.get(words[end])
                        if node is None:
                            break
                        if None in node:
                            agenda[end + 1].add(t)
        return False

    def _index(self):
        if not hasattr(self, "_indexes"):
            nulls: dict[int, list[int]] = {}
            moves: dict[tuple[int, str], list[int]] = {}
            slots: dict[int, list[tuple[str, int]]] = {}
            for s, t, w in self.edges:
                if w is None:
                    nulls.setdefault(s, []).append(t)
                else:
                    moves.setdefault((s, w), []).append(t)
            for s, t, name in self.slots:
                slots.setdefault(s, []).append((name, t))
            self._indexes = (nulls, moves, slots)
        return self._indexes

    def _tries(self) -> dict[str, dict]:
        if not hasattr(self, "_trie_cache"):
            self._trie_cache = {}
            for name, values in self.lists.items():
                trie: dict = {}
                for value in values:
                    node = trie
                    for word in value:
                        node = node.setdefault(word, {})
                    node[None] = True
                self._trie_cache[name] = trie
        return self._trie_cache

    def phrases(self, limit: int = MAX_PHRASES) -> list[str]:
        """Sentences that together use every word pair the grammar allows (what a vosk phrase list needs:
        it turns the phrases into a bigram model, so covering the pairs covers the language)."""
        if self._phrases is None:
            self._phrases = covering_phrases(*self.word_graph(), limit)
        return self._phrases

    def sentences(self, limit: int = 20000) -> list[tuple[str, ...]] | None:
        """Every sentence of the grammar (loops taken at most once), or None when there are more than `limit`."""
        return all_sentences(*self.word_graph(), limit)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "final": self.final, "states": self.states, "edges": self.edges, "slots": self.slots,
                "lists": self.lists, "language": self.language, "wake_word": self.wake_word, "key": self.key,
                "edge_counts": self.edge_counts, "slot_counts": self.slot_counts, "word_by_word": self.word_by_word}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SpeechGrammar:
        return cls(raw["start"], raw["final"], raw["states"], [tuple(e) for e in raw["edges"]],
                   [tuple(s) for s in raw["slots"]], {k: [tuple(v) for v in vs] for k, vs in raw["lists"].items()},
                   raw["language"], raw["wake_word"], raw["key"], edge_counts=raw.get("edge_counts", []),
                   slot_counts=raw.get("slot_counts", []), word_by_word=raw.get("word_by_word", []))


class _Builder:
    """The word graph of a speech grammar as it is put together: edges, slot edges, a state count."""

    def __init__(self, edges: list[Edge], slots: list[tuple[int, int, str]], count: int):
        self.edges, self.slots, self.count = edges, slots, count

    def new_state(self) -> int:
        self.count += 1
        return self.count - 1

    def phrases(self, src: int, dst: int, phrases: list[tuple[str, ...]]) -> None:
        add_phrases(self.edges, src, dst, phrases, self.new_state)


def build_speech_grammar(grammar: Grammar, lists: dict[str, SlotList], language: str = "en",
                         skip_words: list[tuple[str, ...]] | None = None, wake_word: str | None = None,
                         later: bool = True) -> SpeechGrammar:
    """The NLU automaton made deterministic and minimal over words and list symbols, plus skip words
    ("please", "could you") before or after a command, an optional wake word in front and, when
    `later`, a when before or after a command ("in ten minutes")."""
    values = {name: list_values(lists.get(name), language) for name in grammar.list_names()}
    values = {name: v for name, v in values.items() if v}
    kind_names = {name: lists[name].kind for name in values if name in lists and lists[name].kind}  # list -> parsed kind
    states, symbolic, accepting = deterministic(grammar, set(values))
    classes, count = minimal(states, symbolic, accepting)
    merged = sorted({(classes[s], classes[t], label) for s, t, label in symbolic if classes[s] >= 0 and classes[t] >= 0})
    graph = _Builder([(s, t, w) for s, t, w in merged if not w.startswith(LIST_MARK)],
                     [(s, t, w[1:]) for s, t, w in merged if w.startswith(LIST_MARK)], count)
    start, final = classes[0], graph.new_state()
    skips = sorted(set(skip_words or []))
    end = graph.new_state() if skips else final
    done = graph.new_state()  # a whole command has been said
    graph.edges.extend((c, done, None) for c in sorted({classes[s] for s in accepting}))
    graph.edges.extend(_contracted(graph.edges, language))
    graph.edges.append((done, end, None))
    if later:
        start = _add_when(graph, start, done, end, values, kind_names, language)
    if skips:
        first = graph.new_state()
        graph.edges.append((first, start, None))
        graph.phrases(first, first, skips)
        start = first
        graph.edges.append((end, final, None))
        graph.phrases(end, final, skips)
    if wake_word:
        before, after = graph.new_state(), graph.new_state()
        graph.phrases(before, after, [tuple(words_of(wake_word))])
        graph.edges.extend([(after, start, None), (after, final, None), (before, start, None)])
        start = before
    used = {name for _, _, name in graph.slots}
    specs = {name: spoken_spec(kind, language) for name, kind in kind_names.items() if name in used}
    spelled = sorted(name for name, spec in specs.items() if isinstance(spec, dict) and spec.get("word_by_word"))
    speech = SpeechGrammar(start, final, graph.count, graph.edges, graph.slots, {n: values[n] for n in sorted(used)},
                           language, wake_word, word_by_word=spelled)
    speech.key = digest([CACHE_VERSION, language, wake_word, start, final, speech.edges, speech.slots, speech.lists,
                         speech.word_by_word])
    return speech


def _contracted(edges: list[Edge], language: str) -> list[Edge]:
    """People say "i'd like", "what's": the templates, read as "i would", "what is", say them in full.
    A contraction is one more way over each two moves that spell it out (the NLU reads it back in full)."""
    spelled = _short_forms(language)
    out_of: dict[int, list[Edge]] = {}
    for edge in edges:
        out_of.setdefault(edge[0], []).append(edge)
    return sorted({(s, t, spelled[(first, second)]) for s, m, first in edges if first
                   for _, t, second in out_of.get(m, ()) if (first, second) in spelled})


def _short_forms(language: str) -> dict[tuple[str, str], str]:
    return {tuple(full.split()): short for short, full in contractions(language).items()
            if len(full.split()) == 2 and "'" in short}


def _said_short(sentences: list[str], counts: list[float], language: str) -> tuple[list[str], list[float]]:
    """Each sample sentence that spells out a contraction is said both ways, each half as often."""
    short = {" ".join(pair): word for pair, word in _short_forms(language).items()}
    out, weights = [], []
    for sentence, count in zip(sentences, counts):
        said = f" {sentence} "
        for full, word in short.items():
            said = said.replace(f" {full} ", f" {word} ")
        if said.strip() != sentence:
            out.extend([sentence, said.strip()])
            weights.extend([count / 2, count / 2])
        else:
            out.append(sentence)
            weights.append(count)
    return out, weights


def _add_when(graph: _Builder, start: int, done: int, end: int, values: dict, kind_names: dict, language: str) -> int:
    """When: "... in ten minutes", "at nine pm ...". The NLU reads these around a whole command (in
    code, not in the templates), so they are added here, once: a sub-graph per kind after every
    command end and one before the command start, not a copy per command. Returns the new start."""
    leading = set(load_words(language, WORDS).words("before_command"))
    lead = graph.new_state()
    graph.edges.append((lead, start, None))
    for kind in sorted(set(SCHEDULE_WORDS.values())):
        if kind not in values:
            values[kind] = kind_values(kind, language)
        kind_names[kind] = kind
        if not values[kind]:
            continue  # the language has no spoken forms of this kind
        after, before = graph.new_state(), graph.new_state()
        graph.edges.extend((done, after, w) for w, k in sorted(SCHEDULE_WORDS.items()) if k == kind)
        graph.edges.extend((lead, before, w) for w, k in sorted(SCHEDULE_WORDS.items()) if k == kind and w in leading)
        graph.slots.extend([(after, end, kind), (before, start, kind)])
    return lead


def _without_heads(lists: dict[str, SlotList], home, language: str) -> dict[str, SlotList]:
    """The lists without the devices said by the last word of their name alone ("the contact"): that helps read
    loosely typed sentences, but a one-word name in the recognition grammar is heard where it was not said."""
    from assistant.act.resolve import head_names

    heads = set(head_names(home, language))
    if not heads or "name" not in lists:
        return lists
    kept = [(words, value) for words, value in lists["name"].values if not (len(words) == 1 and words[0] in heads)]
    return {**lists, "name": SlotList("name", kept)}


def speech_grammar_for(assistant, wake_word: str | None = None, cache: Path | None = None) -> SpeechGrammar:
    """The speech grammar of a running `Assistant`: the sentences of what its home can do
    (assistant.speech.scope), weighted by the home, cached by content hash."""
    from assistant.resources import intents_dir

    understander = assistant.planner.understander
    full = understander.grammar
    language = assistant.intents.language
    lists = _without_heads(understander.index.lists, assistant.home, language)
    skips = assistant.intents.skip_words
    heard = scope.heard_sentences(full.intents, assistant.home, intents_dir(language))
    intent_weights = samples.intent_weights(heard, assistant.home)
    source_key = digest([CACHE_VERSION, language, wake_word, grammar_fingerprint(full), _blocks(full.intents, heard),
                         lists_fingerprint(lists, language), sorted(skips), load_words(language, WORDS).data,
                         intent_weights, samples.SETTINGS, SMOOTHING])
    path = (cache / f"grammar-{source_key}.json") if cache else None
    raw = read_cached(path)
    if raw is not None:
        try:
            speech = SpeechGrammar.from_json(raw)
            speech.cache = cache
            return speech
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is rebuilt
    grammar = full if len(heard.data) == len(full.intents.data) else Grammar(heard)
    later = scope.for_later(heard)
    speech = build_speech_grammar(grammar, lists, language, skips, wake_word, later)
    wake = tuple(words_of(wake_word)) if wake_word else ()
    leading = set(load_words(language, WORDS).words("before_command"))
    when = [(word, kind, word in leading) for word, kind in sorted(SCHEDULE_WORDS.items())] if later else []
    said, counts = samples.template_samples(grammar, speech.lists, intent_weights, list(skips), wake, when)
    speech.learn(*_said_short(said, counts, language))
    speech.key = digest([speech.key, speech.edge_counts, speech.slot_counts, SMOOTHING])
    speech.cache = cache
    if path is not None:
        try:
            write_atomically(path, json.dumps(speech.to_json(), ensure_ascii=False))
        except OSError:
            pass  # a cache that cannot be written only costs time
    return speech


def _blocks(intents, heard) -> list[int]:
    """Which of the intent set's sentence blocks the speech grammar holds (part of its cache key)."""
    kept = {id(block) for block in heard.data}
    return [n for n, block in enumerate(intents.data) if id(block) in kept]
