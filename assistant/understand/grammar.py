"""Templates compiled once into one word-level automaton (an epsilon-free NFA).

Each state knows, for every next word, where it may go; slot lists are edges that consume one
or more words. Matching walks the automaton over the words of a sentence (no regexes, no
enumeration of expansions); speech grammars are read off the same automaton.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from assistant.errors import IntentFileError
from assistant.understand.expression import Alternative, Expression, ListRef, Permutation, RuleRef, Sequence, Word
from assistant.language.intents import IntentData, IntentSet

MAX_PERMUTATION = 5
# Limits that turn runaway templates (rules that double at every level, long chains of optional
# words) into a clear error instead of exhausting memory, time or the stack.
MAX_STATES = 300_000
MAX_RULE_DEPTH = 50
MAX_CLOSURE_WORK = 5_000_000
TOO_BIG = "the sentence templates expand too much (expansion rules used many times over, or long runs of optional words)"


@dataclass
class State:
    words: dict[str, list[int]] = field(default_factory=dict)
    lists: list[tuple[str, str, int]] = field(default_factory=list)  # (list name, slot name, target)
    epsilon: list[int] = field(default_factory=list)
    accept: list[int] = field(default_factory=list)  # indexes into Grammar.templates


@dataclass
class Closure:
    words: dict[str, list[int]]
    lists: list[tuple[str, str, int]]
    accept: list[int]


class Grammar:
    """The compiled automaton of an IntentSet."""

    def __init__(self, intents: IntentSet):
        self.intents = intents
        self.data: list[IntentData] = []
        # (data block index, sentence index) of each compiled template, for explanations
        self.templates: list[tuple[int, int]] = []
        self.states: list[State] = [State()]
        self.start = 0
        self._closures: dict[int, Closure] = {}
        self._work = 0
        try:
            for block in intents.data:
                index = len(self.data)
                self.data.append(block)
                for j, expression in enumerate(block.expressions):
                    entry, exit_ = self._new(), self._new()
                    self.states[self.start].epsilon.append(entry)
                    self._build(expression, entry, exit_, ())
                    self.states[exit_].accept.append(len(self.templates))
                    self.templates.append((index, j))
        except RecursionError:
            raise IntentFileError("the sentence templates are nested too deeply") from None
        for s in range(len(self.states)):
            self._closures[s] = self._close(s)
        del self._work

    def _new(self) -> int:
        if len(self.states) >= MAX_STATES:
            raise IntentFileError(TOO_BIG)
        self.states.append(State())
        return len(self.states) - 1

    def _build(self, expr: Expression, src: int, dst: int, rules: tuple[str, ...]) -> None:
        if isinstance(expr, Word):
            self.states[src].words.setdefault(expr.text, []).append(dst)
        elif isinstance(expr, ListRef):
            self.states[src].lists.append((expr.list_name, expr.slot_name, dst))
        elif isinstance(expr, Sequence):
            current = src
            for i, item in enumerate(expr.items):
                nxt = dst if i == len(expr.items) - 1 else self._new()
                self._build(item, current, nxt, rules)
                current = nxt
            if not expr.items:
                self.states[src].epsilon.append(dst)
        elif isinstance(expr, Alternative):
            for option in expr.options:
                self._build(option, src, dst, rules)
            if expr.optional:
                self.states[src].epsilon.append(dst)
        elif isinstance(expr, Permutation):
            if len(expr.items) > MAX_PERMUTATION:
                raise IntentFileError(f"a permutation may have at most {MAX_PERMUTATION} parts")
            for order in itertools.permutations(expr.items):
                self._build(Sequence(tuple(order)), src, dst, rules)
        elif isinstance(expr, RuleRef):
            if expr.name in rules:
                raise IntentFileError(f"expansion rule <{expr.name}> refers to itself")
            if len(rules) >= MAX_RULE_DEPTH:
                raise IntentFileError(f"expansion rules nested more than {MAX_RULE_DEPTH} deep (at <{expr.name}>)")
            rule = self.intents.rules.get(expr.name)
            if rule is None:
                raise IntentFileError(f"unknown expansion rule <{expr.name}>")
            self._build(rule, src, dst, (*rules, expr.name))

    def _close(self, state: int) -> Closure:
        seen, stack = {state}, [state]
        words: dict[str, list[int]] = {}
        lists: list[tuple[str, str, int]] = []
        accept: list[int] = []
        while stack:
            self._work += 1
            if self._work > MAX_CLOSURE_WORK:
                raise IntentFileError(TOO_BIG)
            s = self.states[stack.pop()]
            for word, targets in s.words.items():
                words.setdefault(word, []).extend(targets)
            lists.extend(s.lists)
            accept.extend(s.accept)
            for t in s.epsilon:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return Closure(words, lists, accept)

    def closure(self, state: int) -> Closure:
        return self._closures[state]

    def template(self, accept: int) -> tuple[IntentData, str]:
        """The data block and the sentence template of an accepting index."""
        block_index, sentence_index = self.templates[accept]
        block = self.data[block_index]
        return block, block.sentences[sentence_index]

    def vocabulary(self) -> set[str]:
        """Every literal word the templates can say (slot list values not included)."""
        return {w for s in self.states for w in s.words}

    def list_names(self) -> set[str]:
        return {name for s in self.states for name, _, _ in s.lists}
