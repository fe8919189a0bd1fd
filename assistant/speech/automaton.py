"""The finite-state operations the speech grammar is made with.

The NLU automaton (assistant.understand.grammar) is non-deterministic over words and slot lists.
Here it is made deterministic (subset construction) and minimal (Moore's partition refinement) with
each slot list kept as one symbol, so the hundreds of places a `<target>` occurs collapse into a few
states. A list's values become a small acyclic automaton of their own the same way.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

from assistant.understand.grammar import Grammar

Edge = tuple[int, int, str | None]  # (from, to, word); None is a null move
LIST_MARK = "\0"  # list symbols sort apart from words and cannot be words


def deterministic(grammar: Grammar, lists: set[str]) -> tuple[int, list[tuple[int, int, str]], set[int]]:
    """Subset construction over the NLU states (their closures already fold in the null moves):
    (number of states, labelled moves, accepting states). A move over a list in `lists` is labelled
    LIST_MARK + its name; moves over other lists are left out. State 0 is the start."""
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
                if name in lists:
                    moves.setdefault(LIST_MARK + name, set()).add(target)
        for label in sorted(moves):
            target = frozenset(moves[label])
            if target not in numbering:
                numbering[target] = len(numbering)
                queue.append(target)
            symbolic.append((here, numbering[target], label))
    return len(numbering), symbolic, accepting


def minimal(states: int, edges: list[tuple[int, int, str]], accepting: set[int]) -> tuple[list[int], int]:
    """Moore's partition refinement of a deterministic automaton: (class of each state, number of
    classes). States that can never reach an accepting state are left out (class -1) first."""
    alive = _alive(edges, accepting)
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


def _alive(edges: list[tuple[int, int, str]], accepting: set[int]) -> set[int]:
    """The states from which an accepting state can be reached, and the start state (even in a
    grammar that says nothing)."""
    into: dict[int, list[int]] = {}
    for s, t, _ in edges:
        into.setdefault(t, []).append(s)
    alive, stack = set(accepting), list(accepting)
    while stack:
        for s in into.get(stack.pop(), ()):
            if s not in alive:
                alive.add(s)
                stack.append(s)
    alive.add(0)
    return alive


def value_automaton(values: list[tuple[str, ...]]) -> tuple[int, int, list[int], list[Edge]]:
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
    classes, size = minimal(count, trie_edges, ends)
    moves = sorted({(classes[s], classes[t], w) for s, t, w in trie_edges})
    return size, classes[0], sorted({classes[e] for e in ends}), moves


def add_phrases(edges: list[Edge], src: int, dst: int, phrases: list[tuple[str, ...]], new_state: Callable[[], int]) -> None:
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


def null_closure(nulls: dict[int, list[int]], state: int) -> set[int]:
    """The states reached from `state` by null moves alone (itself included)."""
    seen, stack = {state}, [state]
    while stack:
        for t in nulls.get(stack.pop(), ()):
            if t not in seen:
                seen.add(t)
                stack.append(t)
    return seen
