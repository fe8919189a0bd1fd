"""What the templates say about their words, computed once per grammar for the fuzzy layer: which words tell
intents apart (polarity: on/off, lock/unlock), which are evidence for an intent, which are common, and the
language's own negations, fillers, quantifiers, slips and letters that sound alike (its fuzzy words)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from assistant.understand.expression import Alternative, Expression, ListRef, Permutation, RuleRef, Sequence, Word
from assistant.understand.grammar import Grammar
from assistant.understand.spelling import sound_key, spelled

POLARITY_SHAPES = 4  # template shapes in which two words must flip the intent to count as opposites


def _expansions(expr: Expression, cap: int = 400) -> list[tuple[str, ...]]:
    """Word sequences of one template, rules and lists kept as opaque tokens (at most `cap`)."""
    if isinstance(expr, Word):
        return [(expr.text,)]
    if isinstance(expr, ListRef):
        return [("{" + expr.list_name + "}",)]
    if isinstance(expr, RuleRef):
        return [("<" + expr.name + ">",)]
    if isinstance(expr, Alternative):
        result = [() for _ in range(1)] if expr.optional else []
        for option in expr.options:
            result.extend(_expansions(option, cap))
        return result[:cap]
    if isinstance(expr, Permutation):
        result = []
        for order in itertools.permutations(expr.items):
            result.extend(_expansions(Sequence(tuple(order)), cap))
        return result[:cap]
    result: list[tuple[str, ...]] = [()]
    for item in expr.items:
        parts = _expansions(item, cap)
        result = [a + b for a in result for b in parts][:cap]
    return result


def _words(expr: Expression, rules: dict[str, Expression], seen: frozenset = frozenset()) -> set[str]:
    if isinstance(expr, Word):
        return {expr.text}
    if isinstance(expr, RuleRef):
        if expr.name in seen or expr.name not in rules:
            return set()
        return _words(rules[expr.name], rules, seen | {expr.name})
    if isinstance(expr, ListRef):
        return {"{" + expr.list_name}
    items = expr.options if isinstance(expr, Alternative) else expr.items
    return set().union(*(_words(i, rules, seen) for i in items)) if items else set()


@dataclass
class Lexicon:
    """Facts about the template words that the fuzzy search needs, computed once per grammar."""

    vocabulary: list[str]
    polarity: set[str]
    evidence: set[str]
    common: set[str]
    negations: set[str] = field(default_factory=set)
    fillers: set[str] = field(default_factory=set)
    evidence_lists: set[str] = field(default_factory=set)
    slips: dict[str, str] = field(default_factory=dict)
    quantifiers: set[str] = field(default_factory=set)
    alike: dict[str, str] = field(default_factory=dict)  # letter -> the letter it is heard as (Hangul jamo)

    def sound(self, word: str) -> str:
        return sound_key(word, self.alike)

    @cached_property
    def guarded(self) -> set[str]:
        """Words a reading may use only where they were heard: never assumed unheard, never read into
        another word ("off" for "on", "but" or "all" where the sentence had neither)."""
        return self.polarity | self.negations | self.quantifiers

    @classmethod
    def of(cls, grammar: Grammar, words: dict[str, Any]) -> Lexicon:
        """The lexicon of a grammar, with the language's fuzzy words (assistant.language.fuzzy_words)."""
        intents = grammar.intents
        used_by: dict[str, set[str]] = {}
        lists_used_by: dict[str, set[str]] = {}
        skeletons: dict[tuple[str, ...], dict[str, set[str]]] = {}
        for block in intents.data:
            for expr in block.expressions:
                for word in _words(expr, intents.rules):
                    if word[0] == "{":
                        lists_used_by.setdefault(word[1:], set()).add(block.intent)
                    else:
                        used_by.setdefault(word, set()).add(block.intent)
                for seq in _expansions(expr):
                    for i, token in enumerate(seq):
                        if token[0] in "{<":
                            continue
                        skeleton = (*seq[:i], "", *seq[i + 1 :])
                        skeletons.setdefault(skeleton, {}).setdefault(block.intent, set()).add(token)
        # Minimal pairs: word x (intent a) and word y (intent b) in the same place of otherwise equal
        # templates, where neither intent's own templates use the other's word. A pair seen in a few
        # template shapes is a real opposition (on/off, lock/unlock); one seen once is an accident of
        # phrasing ("turn up" beside "open up") and must not stop "tern" being read as "turn".
        own: dict[str, set[str]] = {}
        for block in intents.data:
            for expr in block.expressions:
                own.setdefault(block.intent, set()).update(_words(expr, {}))
        shapes: dict[tuple, set[tuple[str, ...]]] = {}
        for skeleton, by_intent in skeletons.items():
            for (a, words_a), (b, words_b) in itertools.combinations(by_intent.items(), 2):
                for x in words_a - words_b - own[b]:
                    for y in words_b - words_a - own[a]:
                        pair = ((x, a), (y, b)) if (x, a) < (y, b) else ((y, b), (x, a))
                        shapes.setdefault(pair, set()).add(skeleton)
        polarity = {w for pair, seen in shapes.items() if len(seen) >= POLARITY_SHAPES for w, _ in pair}
        polarity |= words.get("opposites", set())
        n_intents = max(1, len(intents.intents))
        specific = {w for w, users in used_by.items() if len(users) <= max(1, n_intents // 4)}
        common = {w for w, users in used_by.items() if len(users) >= max(2, n_intents // 3)}
        vocabulary = sorted(grammar.vocabulary())
        common |= {w for w in vocabulary if len(spelled(w)) <= 3}
        evidence_lists = {n for n, users in lists_used_by.items() if len(users) <= max(1, n_intents // 4)}
        return cls(vocabulary, polarity, specific | polarity, common - polarity, words.get("negations", set()),
                   words.get("fillers", set()), evidence_lists, words.get("slips", {}), words.get("quantifiers", set()),
                   words.get("alike", {}))
