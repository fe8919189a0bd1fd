"""The speech grammar in pocketsphinx's FSG file format, each move weighted by its chance.

pocketsphinx's search costs time in every frame for every state of the grammar, so slot values are
not spelled out word by word: each value is one move, a several-word value a compound word
("floor_lamp", see `compound`) that the engine adds to its dictionary. Lists marked `word_by_word`
(times of day: hundreds of values that share their words) are the exception: a small word graph
costs less than that many compound words.
"""

from __future__ import annotations

from collections import Counter

from assistant.speech.automaton import value_automaton
from assistant.speech.spoken import compound

# A grammar state costs pocketsphinx time in every frame, a transition only when the grammar is
# loaded: a list's values get a state of their own when that saves this many transitions. 50
# instead: the demo grammar 7.4 -> 4.2 MB and 0.5 s less to load, the same demo words heard, but coffee
# orders (tests/data/coffee) 73.8% -> 60.6% right (benchmarks/speech_domain.py): shared list states
# change what the search keeps.
HUB_SAVING = 500

Move = tuple[int, int, str | None, float]  # (from, to, word or None, chance)


def fsg_text(speech, chance: dict[tuple[str, int], float], unknown: frozenset[str] = frozenset(),
             name: str = "commands") -> str:
    """The FSG of `speech` (a SpeechGrammar) with the chance of each edge ("e", i) and slot edge
    ("s", j), leaving out words in `unknown` (words the recogniser cannot say)."""
    transitions: list[Move] = [(s, t, w, chance[("e", i)]) for i, (s, t, w) in enumerate(speech.edges) if w not in unknown]
    states = speech.states
    sources: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for j, (src, dst, slot) in enumerate(speech.slots):
        sources.setdefault((slot, dst), []).append((src, chance[("s", j)]))
    shapes: dict[str, tuple[int, int, list[int], list]] = {}
    for (slot, dst), srcs in sources.items():
        values = [v for v in speech.lists[slot] if not unknown.intersection(v)]
        if slot in speech.word_by_word:  # a small word graph, not hundreds of compound words
            if slot not in shapes:
                shapes[slot] = value_automaton(values)
            states = _spelled_list(transitions, states, shapes[slot], srcs, dst)
        else:
            states = _compound_list(transitions, states, [compound(v) for v in values], srcs, dst)
    lines = [f"FSG_BEGIN {name}", f"NUM_STATES {states}", f"START_STATE {speech.start}", f"FINAL_STATE {speech.final}"]
    lines.extend(f"TRANSITION {s} {t} {p:.6g} {w}" for s, t, w, p in transitions if w)
    lines.extend(_null_chains(transitions))
    lines.append("FSG_END")
    return "\n".join(lines) + "\n"


def _spelled_list(transitions: list[Move], states: int, shape, srcs: list[tuple[int, float]], dst: int) -> int:
    """A list's values as a word graph of new states from every source to `dst`; the new state count."""
    size, entry, ends, moves = shape
    if not ends:
        return states
    out = Counter(a for a, _, _ in moves) + Counter(ends)  # moves out of each state, equally likely
    transitions.extend((src, states + entry, None, p) for src, p in srcs)
    transitions.extend((states + a, states + b, w, 1.0 / out[a]) for a, b, w in moves)
    transitions.extend((states + e, dst, None, 1.0 / out[e]) for e in ends)
    return states + size


def _compound_list(transitions: list[Move], states: int, values: list[str], srcs: list[tuple[int, float]], dst: int) -> int:
    """A list's values as one move each (equally likely) from every source to `dst`; the new state count."""
    if not values:
        return states
    share = 1.0 / len(values)
    if len(srcs) * len(values) - len(srcs) - len(values) > HUB_SAVING:
        # many places lead through this list to the same state: one shared state holds its values
        hub, states = states, states + 1
        transitions.extend((src, hub, None, p) for src, p in srcs)
        transitions.extend((hub, dst, v, share) for v in values)
    else:
        transitions.extend((src, dst, v, p * share) for src, p in srcs for v in values)
    return states


def _null_chains(transitions: list[Move]) -> list[str]:
    """pocketsphinx follows one null move after a word: chains of them become direct moves."""
    nulls: dict[int, list[tuple[int, float]]] = {}
    for s, t, w, p in transitions:
        if w is None:
            nulls.setdefault(s, []).append((t, p))
    lines = []
    for s in sorted(nulls):
        best: dict[int, float] = {}
        stack = list(nulls[s])
        while stack:
            t, p = stack.pop()
            if p > best.get(t, 0.0):
                best[t] = p
                stack.extend((u, p * q) for u, q in nulls.get(t, ()))
        lines.extend(f"TRANSITION {s} {t} {p:.6g}" for t, p in sorted(best.items()) if t != s)
    return lines
