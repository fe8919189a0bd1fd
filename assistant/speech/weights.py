"""How likely each move of the speech grammar is: counts of the edges that sample sentences of the
templates take (assistant.speech.samples), smoothed, over the same for all moves out of the same state."""

from __future__ import annotations

from collections import deque

# Added to every edge's sample count: how much an unseen way of saying something is still allowed
# (against samples that count as assistant.speech.samples.SAMPLE_MASS sentences in all).
SMOOTHING = 0.5

Arc = tuple[str, int]  # ("e", edge index) or ("s", slot edge index)


def chances(speech) -> dict[Arc, float]:
    """Probability of each edge ("e", i) and slot edge ("s", j) of `speech` given its source state:
    its sample count plus SMOOTHING, over the same for all moves out of that state. Unseen ways of
    saying a command stay possible, only less likely."""
    counts = {("e", i): (speech.edge_counts[i] if speech.edge_counts else 0) for i in range(len(speech.edges))}
    counts.update({("s", j): (speech.slot_counts[j] if speech.slot_counts else 0) for j in range(len(speech.slots))})
    source = {("e", i): e[0] for i, e in enumerate(speech.edges)} | {("s", j): e[0] for j, e in enumerate(speech.slots)}
    totals: dict[int, float] = {}
    for arc, c in counts.items():
        totals[source[arc]] = totals.get(source[arc], 0.0) + c + SMOOTHING
    return {arc: (c + SMOOTHING) / totals[source[arc]] for arc, c in counts.items()}


def count_paths(speech, sentences: list[str], weights: list[float] | None = None) -> tuple[list[float], list[float], int]:
    """How often the sentences take each edge and each slot edge, each sentence counting its weight
    (1 without weights; sentences the grammar cannot say are skipped), and how many sentences were used."""
    edge_counts = [0.0] * len(speech.edges)
    slot_counts = [0.0] * len(speech.slots)
    arcs = _arcs(speech)
    used = 0
    for n, sentence in enumerate(sentences):
        taken = path(speech, sentence.split(), arcs)
        if taken is None:
            continue
        used += 1
        for kind, i in taken:
            (edge_counts if kind == "e" else slot_counts)[i] += weights[n] if weights else 1.0
    return edge_counts, slot_counts, used


def _arcs(speech) -> dict[int, list[tuple[str, int, int, str | None]]]:
    arcs: dict[int, list[tuple[str, int, int, str | None]]] = {}
    for i, (s, t, w) in enumerate(speech.edges):
        arcs.setdefault(s, []).append(("e", i, t, w))
    for j, (s, t, name) in enumerate(speech.slots):
        arcs.setdefault(s, []).append(("s", j, t, name))
    return arcs


def path(speech, words: list[str], arcs=None) -> list[Arc] | None:
    """One way through the grammar that says exactly `words`: the edges and slot edges taken."""
    out = arcs if arcs is not None else _arcs(speech)
    tries = speech._tries()
    back: dict[tuple[int, int], tuple[tuple[int, int], Arc] | None] = {(0, speech.start): None}
    queue = deque([(0, speech.start)])
    while queue:
        pos, state = node = queue.popleft()
        if pos == len(words) and state == speech.final:
            taken = []
            while back[node] is not None:
                node, arc = back[node]
                taken.append(arc)
            return taken[::-1]
        for nxt_pos, t, arc in _steps(out.get(state, ()), words, pos, tries):
            if (nxt_pos, t) not in back:
                back[(nxt_pos, t)] = (node, arc)
                queue.append((nxt_pos, t))
    return None


def _steps(arcs, words: list[str], pos: int, tries: dict[str, dict]) -> list[tuple[int, int, Arc]]:
    """The moves from one state at word `pos`: (next word position, next state, the arc taken)."""
    steps: list[tuple[int, int, Arc]] = []
    for kind, i, t, label in arcs:
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
    return steps
