"""What the recogniser may hear: a word-level finite-state grammar read off the compiled templates.

The NLU automaton (assistant.understand.grammar) already is a finite-state machine over words and slot
lists. Here it is made deterministic and minimal with each slot list kept as one symbol (so the
hundreds of places a `<target>` occurs collapse into a few states), then written out for the
engines: slot lists become sub-automata shared by every list edge that leads to the same state,
entered and left by null moves (pocketsphinx FSGs allow both null moves and non-determinism), and
number ranges are spoken as words, parsed kinds (durations, colours, times of day) as their common
spoken forms (spoken_<language>.yaml). When a command is for later ("... in ten minutes", "at nine
pm ...") the NLU reads in code, around a whole command: those wrappers are one shared sub-graph
after every command end and before the command start. A grammar of every intent says a great many rare things ("kindly kill
those floor lamp"); with every move equally likely the recogniser confuses commands, so each move
is weighted by how often the language's sentence tests take it. The pocketsphinx grammar is a text
`.fsg` file that the decoder reads itself; vosk gets a phrase list (sentences that cover every word pair). Results are cached
under a hash of everything they depend on, so a change to the home or the intents rebuilds them
and nothing else does.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.understand.engine import SCHEDULE_WORDS
from assistant.understand.grammar import Grammar
from assistant.language.intents import SlotList
from assistant.understand.normalize import words_of

MAX_PHRASES = 50000
CACHE_VERSION = 6
# Schedule words (assistant.understand.engine) that may also come before a command: "in ten minutes turn
# off the light", "at nine pm close the curtains" ("for twenty minutes" only follows one).
LEADING = {"in", "after", "at"}
# A grammar state costs pocketsphinx time in every frame, a transition only when the grammar is
# loaded: a list's values get a state of their own when that saves this many transitions.
HUB_SAVING = 500
# Added to every edge's sample count (see SpeechGrammar._chances): how much an unseen way of
# saying something is still allowed.
# Measured: 0.1 and 0.5 alike, 2 loses a few points (benchmarks/speech_accuracy.py).
SMOOTHING = 0.5

Edge = tuple[int, int, str | None]  # (from, to, word); None is a null move


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
    # How often the sample sentences (the language's sentence tests) take each edge and slot edge:
    # the FSG makes common ways of saying things likelier than rare ones (see `learn`).
    edge_counts: list[int] = field(default_factory=list)
    slot_counts: list[int] = field(default_factory=list)
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
        shapes = {name: _value_automaton([v for v in values if not unknown.intersection(v)])
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
        """The grammar in pocketsphinx's FSG file format, each move weighted by how often sample
        sentences take it (`learn`; uniform without samples).

        pocketsphinx's search costs time in every frame for every state of the grammar, so slot
        values are not spelled out word by word: each value is one move, a several-word value a
        compound word ("floor_lamp", see `compound`) that the engine adds to its dictionary. Lists
        marked `word_by_word` (times of day: hundreds of values that share their words) are the
        exception: a small word graph costs less than that many compound words."""
        chance = self._chances()
        transitions = [(s, t, w, chance[("e", i)]) for i, (s, t, w) in enumerate(self.edges) if w not in unknown]
        states = self.states
        sources: dict[tuple[str, int], list[tuple[int, float]]] = {}
        for j, (src, dst, slot) in enumerate(self.slots):
            sources.setdefault((slot, dst), []).append((src, chance[("s", j)]))
        shapes: dict[str, tuple[int, int, list[int], list[Edge]]] = {}
        for (slot, dst), srcs in sources.items():
            if slot in self.word_by_word:  # a small word graph, not hundreds of compound words
                if slot not in shapes:
                    shapes[slot] = _value_automaton([v for v in self.lists[slot] if not unknown.intersection(v)])
                size, entry, ends, moves = shapes[slot]
                if not ends:
                    continue
                out = Counter(a for a, _, _ in moves) + Counter(ends)  # moves out of each state, equally likely
                transitions.extend((src, states + entry, None, p) for src, p in srcs)
                transitions.extend((states + a, states + b, w, 1.0 / out[a]) for a, b, w in moves)
                transitions.extend((states + e, dst, None, 1.0 / out[e]) for e in ends)
                states += size
                continue
            values = [compound(v) for v in self.lists[slot] if not unknown.intersection(v)]
            if not values:
                continue
            share = 1.0 / len(values)
            if len(srcs) * len(values) - len(srcs) - len(values) > HUB_SAVING:
                # many places lead through this list to the same state: one shared state holds its values
                hub, states = states, states + 1
                transitions.extend((src, hub, None, p) for src, p in srcs)
                transitions.extend((hub, dst, v, share) for v in values)
            else:
                transitions.extend((src, dst, v, p * share) for src, p in srcs for v in values)
        start, final = self.start, self.final
        nulls: dict[int, list[tuple[int, float]]] = {}
        for s, t, w, p in transitions:
            if w is None:
                nulls.setdefault(s, []).append((t, p))
        lines = [f"FSG_BEGIN {name}", f"NUM_STATES {states}", f"START_STATE {start}", f"FINAL_STATE {final}"]
        lines.extend(f"TRANSITION {s} {t} {p:.6g} {w}" for s, t, w, p in transitions if w)
        # pocketsphinx follows one null move after a word: chains of them become direct moves
        for s in sorted(nulls):
            best: dict[int, float] = {}
            stack = list(nulls[s])
            while stack:
                t, p = stack.pop()
                if p > best.get(t, 0.0):
                    best[t] = p
                    stack.extend((u, p * q) for u, q in nulls.get(t, ()))
            lines.extend(f"TRANSITION {s} {t} {p:.6g}" for t, p in sorted(best.items()) if t != s)
        lines.append("FSG_END")
        return "\n".join(lines) + "\n"

    def _chances(self) -> dict[tuple[str, int], float]:
        """Probability of each edge ("e", i) and slot edge ("s", j) given its source state: its
        sample count plus SMOOTHING, over the same for all moves out of that state. Unseen ways of
        saying a command stay possible, only less likely."""
        counts = {("e", i): (self.edge_counts[i] if self.edge_counts else 0) for i in range(len(self.edges))}
        counts.update({("s", j): (self.slot_counts[j] if self.slot_counts else 0) for j in range(len(self.slots))})
        source = {("e", i): e[0] for i, e in enumerate(self.edges)} | {("s", j): e[0] for j, e in enumerate(self.slots)}
        totals: dict[int, float] = {}
        for arc, c in counts.items():
            totals[source[arc]] = totals.get(source[arc], 0.0) + c + SMOOTHING
        return {arc: (c + SMOOTHING) / totals[source[arc]] for arc, c in counts.items()}

    def learn(self, sentences: list[str]) -> int:
        """Count the edges that each sentence of the grammar takes (sentences it cannot say are
        skipped); returns how many sentences were used."""
        self.edge_counts = [0] * len(self.edges)
        self.slot_counts = [0] * len(self.slots)
        used = 0
        for sentence in sentences:
            path = self._path(sentence.split())
            if path is None:
                continue
            used += 1
            for kind, i in path:
                (self.edge_counts if kind == "e" else self.slot_counts)[i] += 1
        return used

    def _path(self, words: list[str]) -> list[tuple[str, int]] | None:
        """One way through the grammar that says exactly `words`: the edges and slot edges taken."""
        if not hasattr(self, "_arcs"):
            self._arcs: dict[int, list[tuple[str, int, int, str | None]]] = {}
            for i, (s, t, w) in enumerate(self.edges):
                self._arcs.setdefault(s, []).append(("e", i, t, w))
            for j, (s, t, name) in enumerate(self.slots):
                self._arcs.setdefault(s, []).append(("s", j, t, name))
        out = self._arcs
        tries = self._tries()
        back: dict[tuple[int, int], tuple[tuple[int, int], tuple[str, int]] | None] = {(0, self.start): None}
        queue = deque([(0, self.start)])
        while queue:
            pos, state = node = queue.popleft()
            if pos == len(words) and state == self.final:
                path = []
                while back[node] is not None:
                    node, arc = back[node]
                    path.append(arc)
                return path[::-1]
            steps: list[tuple[int, int, tuple[str, int]]] = []
            for kind, i, t, label in out.get(state, ()):
                if kind == "e":
                    if label is None:
                        steps.append((pos, t, (kind, i)))
                    elif pos < len(words) and words[pos] == label:
                        steps.append((pos + 1, t, (kind, i)))
                else:
                    trie = tries.get(label, {})
                    for end in range(pos, len(words)):
                        trie = trie.get(words[end])
                        if trie is None:
                            break
                        if None in trie:
                            steps.append((end + 1, t, (kind, i)))
            for nxt_pos, t, arc in steps:
                if (nxt_pos, t) not in back:
                    back[(nxt_pos, t)] = (node, arc)
                    queue.append((nxt_pos, t))
        return None

    def fsg_file(self, unknown: frozenset[str] = frozenset()) -> Path:
        """The FSG written once to the cache (or a temporary directory), for the decoder to read."""
        import tempfile

        folder = self.cache or Path(tempfile.gettempdir())
        path = folder / f"grammar-{self.key}-{_digest(sorted(unknown))}.fsg"
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + f".tmp{os.getpid()}")
            tmp.write_text(self.fsg_text(unknown), encoding="utf-8")
            tmp.replace(path)
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
            stack, seen = list(agenda[pos]), set(agenda[pos])
            while stack:  # null closure
                for t in nulls.get(stack.pop(), ()):
                    if t not in seen:
                        seen.add(t)
                        stack.append(t)
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
            self._phrases = _covering_phrases(*self.word_graph(), limit)
        return self._phrases

    def sentences(self, limit: int = 20000) -> list[tuple[str, ...]] | None:
        """Every sentence of the grammar (loops taken at most once), or None when there are more than `limit`."""
        start, final, transitions = self.word_graph()
        out: dict[int, list[tuple[str | None, int]]] = {}
        for s, t, w in transitions:
            out.setdefault(s, []).append((w, t))
        found: set[tuple[str, ...]] = set()
        stack: list[tuple[int, tuple[str, ...], frozenset[int]]] = [(start, (), frozenset({start}))]
        while stack:  # simple paths only: a loop (repeated skip words) is taken at most once
            state, words, visited = stack.pop()
            if state == final and words:
                found.add(words)
                if len(found) > limit:
                    return None
            for word, t in out.get(state, ()):
                if t not in visited:
                    stack.append((t, words + (word,) if word else words, visited | {t}))
        return sorted(found)

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


def compound(words: tuple[str, ...]) -> str:
    """Several words as one recogniser word: "floor_lamp"."""
    return "_".join(words)


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


def list_values(slot_list: SlotList | None, language: str) -> list[tuple[str, ...]]:
    """What can be said for a slot list: its phrases, a number range in words, or the common spoken
    forms of a parsed kind (durations, colours: `spoken_<language>.yaml`). Free text (wildcards)
    cannot be a grammar: those sentences need open transcription."""
    if slot_list is None or slot_list.wildcard:
        return []
    if slot_list.range is not None:
        return spoken_numbers(*slot_list.range, language)
    if slot_list.kind is not None:
        return kind_values(slot_list.kind, language)
    return sorted({tuple(_spoken(list(words), language)) for words, _ in slot_list.values})  # "hdmi 1": "hdmi one"


def kind_values(kind: str, language: str) -> list[tuple[str, ...]]:
    """The spoken forms of a parsed slot kind in this language (none when the language has no file)."""
    return sorted(_spoken_forms(_spoken_spec(kind, language), language))


def _spoken_spec(kind: str, language: str) -> Any:
    """The entry of spoken_<language>.yaml for a slot kind (None when there is none)."""
    from assistant.yamlfile import load_yaml

    path = Path(__file__).with_name(f"spoken_{language}.yaml")
    return (load_yaml(path) or {}).get(kind) if path.exists() else None


def _spoken_forms(spec: Any, language: str) -> set[tuple[str, ...]]:
    """What one entry of spoken_<language>.yaml says: a list of phrases, or a mapping of phrases,
    numbers (with units), and sequences of parts (each part an entry itself, maybe optional)."""
    if isinstance(spec, list):
        return {tuple(words_of(str(value))) for value in spec}
    if not isinstance(spec, dict):
        return set()
    values = {tuple(words_of(str(phrase))) for phrase in spec.get("phrases", [])}
    numbers = spec.get("numbers") or {}
    units = spec.get("units", [])
    for number in spoken_numbers(numbers.get("from", 1), numbers.get("to", 0), 1, language):
        if not units:
            values.add(number)
        for singular, plural in units:
            values.add(number + (singular if number == ("one",) else plural,))
    for parts in spec.get("sequences", []):
        said: set[tuple[str, ...]] = {()}
        for part in parts:
            options = _spoken_forms(part, language) | ({()} if isinstance(part, dict) and part.get("optional") else set())
            said = {head + tail for head in said for tail in options}
        values.update(said)
    values.discard(())
    return values


LIST_MARK = "\0"  # list symbols sort apart from words and cannot be words


def build_speech_grammar(grammar: Grammar, lists: dict[str, SlotList], language: str = "en",
                         skip_words: list[tuple[str, ...]] | None = None, wake_word: str | None = None) -> SpeechGrammar:
    """The NLU automaton made deterministic and minimal over words and list symbols, plus skip words
    ("please", "could you") before or after a command and an optional wake word in front."""
    values = {name: list_values(lists.get(name), language) for name in grammar.list_names()}
    values = {name: v for name, v in values.items() if v}
    kind_names = {name: lists[name].kind for name in values if name in lists and lists[name].kind}  # list -> parsed kind

    # Subset construction over the NLU states (their closures already fold in the null moves).
    numbering: dict[frozenset[int], int] = {frozenset([grammar.start]): 0}
    queue = deque(numbering)
    symbolic: list[tuple[int, int, str]] = []
    accepting: set[int] = set()
    while queue:
        subset = queue.popleft()
        here = numbering[subset]
        moves: dict[str, set[int]] = {}
        for r in subset:
            closure = grammar.closure(r)
            if closure.accept:
                accepting.add(here)
            for word, targets in closure.words.items():
                moves.setdefault(word, set()).update(targets)
            for name, _slot, target in closure.lists:
                if name in values:
                    moves.setdefault(LIST_MARK + name, set()).add(target)
        for label in sorted(moves):
            target = frozenset(moves[label])
            if target not in numbering:
                numbering[target] = len(numbering)
                queue.append(target)
            symbolic.append((here, numbering[target], label))
    classes, count = _minimal(len(numbering), symbolic, accepting)
    merged = sorted({(classes[s], classes[t], label) for s, t, label in symbolic if classes[s] >= 0 and classes[t] >= 0})

    edges: list[Edge] = [(s, t, w) for s, t, w in merged if not w.startswith(LIST_MARK)]
    slots = [(s, t, w[1:]) for s, t, w in merged if w.startswith(LIST_MARK)]

    def new_state() -> int:
        nonlocal count
        count += 1
        return count - 1

    def add_phrases(src: int, dst: int, phrases: list[tuple[str, ...]]) -> None:
        """The phrases from src to dst as a trie (shared prefixes share states)."""
        trie: dict[tuple[int, str], int] = {}
        for words in phrases:
            state = src
            for i, word in enumerate(words):
                if i == len(words) - 1:
                    edges.append((state, dst, word))
                else:
                    if (state, word) not in trie:
                        trie[(state, word)] = new_state()
                        edges.append((state, trie[(state, word)], word))
                    state = trie[(state, word)]

    start, final = classes[0], new_state()
    skips = sorted(set(skip_words or []))
    end = new_state() if skips else final
    done = new_state()  # a whole command has been said
    edges.extend((c, done, None) for c in sorted({classes[s] for s in accepting}))
    edges.append((done, end, None))
    # When: "... in ten minutes", "at nine pm ...". The NLU reads these around a whole command (in
    # code, not in the templates), so they are added here, once: a sub-graph per kind after every
    # command end and one before the command start, not a copy per command.
    lead = new_state()
    edges.append((lead, start, None))
    for kind in sorted(set(SCHEDULE_WORDS.values())):
        if kind not in values:
            values[kind] = kind_values(kind, language)
        kind_names[kind] = kind
        if not values[kind]:
            continue  # the language has no spoken forms of this kind
        after, before = new_state(), new_state()
        edges.extend((done, after, w) for w, k in sorted(SCHEDULE_WORDS.items()) if k == kind)
        edges.extend((lead, before, w) for w, k in sorted(SCHEDULE_WORDS.items()) if k == kind and w in LEADING)
        slots.extend([(after, end, kind), (before, start, kind)])
    start = lead
    if skips:
        first = new_state()
        edges.append((first, start, None))
        add_phrases(first, first, skips)
        start = first
        edges.append((end, final, None))
        add_phrases(end, final, skips)
    if wake_word:
        before, after = new_state(), new_state()
        add_phrases(before, after, [tuple(words_of(wake_word))])
        edges.extend([(after, start, None), (after, final, None), (before, start, None)])
        start = before
    used = {name for _, _, name in slots}
    specs = {name: _spoken_spec(kind, language) for name, kind in kind_names.items() if name in used}
    spelled = sorted(name for name, spec in specs.items() if isinstance(spec, dict) and spec.get("word_by_word"))
    speech = SpeechGrammar(start, final, count, edges, slots, {n: values[n] for n in sorted(used)}, language, wake_word,
                           word_by_word=spelled)
    speech.key = _digest([CACHE_VERSION, language, wake_word, start, final, edges, slots, speech.lists, speech.word_by_word])
    return speech


def _minimal(states: int, edges: list[tuple[int, int, str]], accepting: set[int]) -> tuple[list[int], int]:
    """Moore's partition refinement of a deterministic automaton: (class of each state, number of
    classes). States that can never reach an accepting state are left out (class -1) first."""
    into: dict[int, list[int]] = {}
    for s, t, _ in edges:
        into.setdefault(t, []).append(s)
    alive, stack = set(accepting), list(accepting)
    while stack:
        for s in into.get(stack.pop(), ()):
            if s not in alive:
                alive.add(s)
                stack.append(s)
    alive.add(0)  # the start state, even in a grammar that says nothing
    out: list[list[tuple[str, int]]] = [[] for _ in range(states)]
    for s, t, label in edges:
        if s in alive and t in alive:
            out[s].append((label, t))
    classes = [(1 if s in accepting else 0) if s in alive else -1 for s in range(states)]
    count = len({c for c in classes if c >= 0})
    while True:
        signatures: dict[tuple, int] = {}
        refined = [signatures.setdefault((classes[s], tuple(sorted((label, classes[t]) for label, t in out[s]))),
                                         len(signatures)) if classes[s] >= 0 else -1 for s in range(states)]
        if len(signatures) == count:
            break
        classes, count = refined, len(signatures)
    # renumber live classes 0..n-1, the start state's class first
    order: dict[int, int] = {}
    for s in range(states):
        if classes[s] >= 0 and classes[s] not in order:
            order[classes[s]] = len(order)
    return [order.get(c, -1) for c in classes], len(order)


def _value_automaton(values: list[tuple[str, ...]]) -> tuple[int, int, list[int], list[Edge]]:
    """A slot list's values as a minimal acyclic automaton: (states, start, final states, moves).
    Number words share their tails ("twenty one", "thirty one"), so a range of a thousand numbers
    takes a few dozen states."""
    trie_edges: list[tuple[int, int, str]] = []
    ends: set[int] = set()
    children: dict[tuple[int, str], int] = {}
    count = 1
    for value in values:
        state = 0
        for word in value:
            if (state, word) not in children:
                children[(state, word)] = count
                trie_edges.append((state, count, word))
                count += 1
            state = children[(state, word)]
        ends.add(state)
    if not ends:
        return 0, 0, [], []
    classes, size = _minimal(count, trie_edges, ends)
    moves = sorted({(classes[s], classes[t], w) for s, t, w in trie_edges})
    return size, classes[0], sorted({classes[e] for e in ends}), moves


def speech_grammar_for(assistant, wake_word: str | None = None, cache: Path | None = None) -> SpeechGrammar:
    """The speech grammar of a running `Assistant` (its templates and its home), cached by content hash."""
    understander = assistant.planner.understander
    grammar = understander.grammar
    lists = understander.index.lists
    language = assistant.intents.language
    skips = assistant.intents.skip_words
    source_key = _digest([CACHE_VERSION, language, wake_word, _grammar_fingerprint(grammar), _lists_fingerprint(lists, language),
                          sorted(skips), _samples_fingerprint(language), SMOOTHING])
    path = (cache / f"grammar-{source_key}.json") if cache else None
    if path is not None and path.exists():
        try:
            speech = SpeechGrammar.from_json(json.loads(path.read_text(encoding="utf-8")))
            speech.cache = cache
            return speech
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is rebuilt
    speech = build_speech_grammar(grammar, lists, language, skips, wake_word)
    speech.learn(sample_sentences(language))
    speech.key = _digest([speech.key, speech.edge_counts, speech.slot_counts, SMOOTHING])
    speech.cache = cache
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(speech.to_json(), ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return speech


def sample_sentences(language: str) -> list[str]:
    """How people say commands in this language: the sentences (and dialogue turns) of the shipped
    sentence tests that expect a command (not the generated noise set), as the recogniser would hear them (numbers as words)."""
    from assistant.resources import intents_dir
    from assistant.testing.sentences import SentenceTestError, find_test_files, load_test_file

    folder = intents_dir(language) / "tests"
    if not folder.is_dir():
        return []
    sentences = []
    for path in find_test_files([folder]):
        try:
            test_file = load_test_file(path)
        except SentenceTestError:
            continue  # a broken test file is reported by `assistant test`, not here
        if test_file.min_pass is not None:
            continue  # rated sets (generated ASR noise, rejections) are not how people phrase commands
        for item in test_file.items:
            for text, expect in item.turns:
                if (expect.intent or expect.commands) and not text.startswith("audio:"):
                    sentences.append(" ".join(_spoken(words_of(text), language)))
    return sentences


def _samples_fingerprint(language: str) -> str:
    """A hash of the sentence test files (reading them is cheap, parsing them is not)."""
    from assistant.resources import intents_dir

    folder = intents_dir(language) / "tests"
    files = sorted(folder.rglob("*.yaml")) if folder.is_dir() else []
    return hashlib.sha256(b"".join(str(p.relative_to(folder)).encode() + p.read_bytes() for p in files)).hexdigest()[:16]


def _spoken(words: list[str], language: str) -> list[str]:
    """Digits as the words people say ("22" -> "twenty two")."""
    out: list[str] = []
    for word in words:
        if word.isdigit():
            said = spoken_numbers(int(word), int(word), 1, language)
            out.extend(said[0] if said else [word])
        else:
            out.append(word)
    return out


def _grammar_fingerprint(grammar: Grammar) -> list | str:
    """The NLU grammar cache's key (a hash of the intent files and the compiler) when there is one:
    far cheaper than walking the automaton's states."""
    from assistant.language.cache import cache_key

    key = cache_key(grammar.intents) if getattr(grammar, "intents", None) is not None else None
    if key is not None:
        return key
    return [[sorted((w, t) for w, t in s.words.items()), s.lists, s.epsilon, bool(s.accept)] for s in grammar.states]


def _lists_fingerprint(lists: dict[str, SlotList], language: str) -> list:
    return [[name, sorted(w for w, _ in sl.values), sl.range, sl.wildcard, sl.kind and _spoken_spec(sl.kind, language)]
            for name, sl in sorted(lists.items())]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def _covering_phrases(start: int, final: int, transitions: list[Edge], limit: int) -> list[str]:
    """One sentence through every pair of consecutive word transitions (shortest way in and out)."""
    out_words: dict[int, list[tuple[str, int]]] = {}
    nulls: dict[int, list[int]] = {}
    into: dict[int, list[tuple[int, str | None]]] = {}
    for s, t, w in transitions:
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

    prefix = shortest(start, lambda s: [(t, w) for w, t in out_words.get(s, ())] + [(t, None) for t in nulls.get(s, ())])
    suffix_rev = shortest(final, lambda t: [(s, w) for s, w in into.get(t, ())])
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
            if final in closure(t):
                add(prefix[s] + (word,))
            for u in closure(t):
                for word2, v in out_words.get(u, ()):
                    if v in suffix and (word, word2) not in covered:
                        add(prefix[s] + (word, word2) + suffix[v])
            if len(phrases) >= limit:
                return list(phrases)
    return list(phrases)
