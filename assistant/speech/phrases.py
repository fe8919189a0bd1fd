"""Sentences of the speech grammar's word graph: a phrase list that covers every word pair (what a
vosk phrase list needs), and every sentence of a small grammar (to repair a hypothesis)."""

from __future__ import annotations

from collections import deque
from typing import Callable

from assistant.speech.automaton import Edge, null_closure


def covering_phrases(start: int, final: int, transitions: list[Edge], limit: int) -> list[str]:
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
    # prefix[s]: the fewest words that reach s; suffix[s]: the fewest words from s to the end.
    prefix = _shortest(start, lambda s: [(t, w) for w, t in out_words.get(s, ())] + [(t, None) for t in nulls.get(s, ())])
    suffix = {s: tuple(reversed(p)) for s, p in _shortest(final, lambda t: into.get(t, [])).items()}
    closures: dict[int, list[int]] = {}

    def closure(state: int) -> list[int]:
        if state not in closures:
            closures[state] = sorted(null_closure(nulls, state))
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


def _shortest(origin: int, edges: Callable[[int], list[tuple[int, str | None]]]) -> dict[int, tuple[str, ...]]:
    """The fewest words from `origin` to each state it reaches (0-1 BFS: null moves cost nothing)."""
    best: dict[int, tuple[str, ...]] = {origin: ()}
    queue = deque([origin])
    while queue:
        s = queue.popleft()
        for nxt, word in edges(s):
            path = best[s] + ((word,) if word else ())
            if nxt not in best or len(path) < len(best[nxt]):
                best[nxt] = path
                (queue.appendleft if word is None else queue.append)(nxt)
    return best


def all_sentences(start: int, final: int, transitions: list[Edge], limit: int) -> list[tuple[str, ...]] | None:
    """Every sentence of the word graph (loops taken at most once), or None when there are more than `limit`."""
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
