"""Parse sentence templates: `(turn|switch) on [the] {name}`, `(a; b)`, `<rule>`, `light[s]`.

Brackets written against a word with no space between are part of that word, as in Home Assistant's
intent files: `sugar[s]` is "sugar" or "sugars", `(red|blue)dish` is "reddish" or "bluedish".
"""

from __future__ import annotations

from assistant.understand.expression import Alternative, Expression, ListRef, Permutation, RuleRef, Sequence, Word
from assistant.understand.normalize import words_of

_CLOSERS = {"(": ")", "[": "]"}
MAX_DEPTH = 100  # brackets nested deeper than this are a mistake, and would exhaust the stack


class TemplateError(ValueError):
    """A template that cannot be parsed; the message says where."""


def parse_template(text: str) -> Expression:
    parser = _Parser(text)
    expression = parser.alternatives(end=None)
    return expression


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.depth = 0

    def fail(self, message: str) -> None:
        raise TemplateError(f"{message} at character {self.pos + 1} of template '{self.text}'")

    def alternatives(self, end: str | None) -> Expression:
        """Parse `a | b` or `a ; b` up to the closing bracket `end` (consumed)."""
        branches: list[Expression] = []
        separator = None
        current: list[Expression] = []
        glued: list[bool] = []  # for each item of `current`: written against the item before it
        last_end = -1
        while True:
            start, count = self.pos, len(current)
            if self.pos >= len(self.text):
                if end is not None:
                    self.fail(f"missing '{end}'")
                break
            char = self.text[self.pos]
            if char == end:
                self.pos += 1
                break
            if char in "|;":
                if separator and separator != char:
                    self.fail("cannot mix '|' and ';' in one group")
                if end is None and char == ";":
                    self.fail("';' only works inside ( )")
                separator = char
                self._branch(current, end)
                branches.append(_seq(_glue(current, glued)))
                current, glued = [], []
                self.pos += 1
            elif char in "([":
                if self.depth >= MAX_DEPTH:
                    self.fail(f"brackets nested more than {MAX_DEPTH} deep")
                self.pos += 1
                self.depth += 1
                inner = self.alternatives(_CLOSERS[char])
                self.depth -= 1
                if char == "[":
                    options = inner.options if isinstance(inner, Alternative) and not inner.optional else (inner,)
                    inner = Alternative(tuple(options), optional=True)
                current.append(inner)
            elif char in ")]}>":
                self.fail(f"unexpected '{char}'")
            elif char == "{":
                current.append(self._list_ref())
            elif char == "<":
                current.append(self._rule_ref())
            elif char.isspace():
                self.pos += 1
            else:
                current.extend(self._words())
            if len(current) > count:
                glued.extend([start == last_end and count > 0] + [False] * (len(current) - count - 1))
                last_end = self.pos
            elif len(current) < count or char in "|;":
                glued = []
        if branches or end == ")":  # "(a|)", "(|)", "()": a bare "[a]" or "[a|b]" may be left out, this not
            self._branch(current, end)
        branches.append(_seq(_glue(current, glued)))
        if separator == ";":
            return Permutation(tuple(branches))
        if len(branches) == 1:
            return branches[0]
        return Alternative(tuple(branches))

    def _branch(self, items: list[Expression], end: str | None) -> None:
        """An empty alternative is a slip ("(a|)"): a word that may be left out is written "[a]"."""
        if not items and end != "]":
            self.fail("empty alternative (for words that may be left out, write [words])")

    def _until(self, closer: str) -> str:
        close = self.text.find(closer, self.pos)
        if close < 0:
            self.fail(f"missing '{closer}'")
        name = self.text[self.pos + 1 : close].strip()
        if not name:
            self.fail("empty name")
        self.pos = close + 1
        return name

    def _list_ref(self) -> ListRef:
        name = self._until("}")
        list_name, _, slot = name.partition(":")
        return ListRef(list_name.strip(), (slot or list_name).strip())

    def _rule_ref(self) -> RuleRef:
        return RuleRef(self._until(">"))

    def _words(self) -> list[Expression]:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in "()[]{}<>|;" and not self.text[self.pos].isspace():
            self.pos += 1
        return [Word(w) for w in words_of(self.text[start : self.pos])]


def _glue(items: list[Expression], glued: list[bool]) -> list[Expression]:
    """Items written against each other ("sugar[s]") become one word in each of its spellings, when
    each is a word or a group of single words; anything else is left as separate words."""
    out: list[Expression] = []
    run: list[Expression] = []
    for item, joined in zip(items, glued):
        if not joined and run:
            out.extend(_spelled(run))
            run = []
        run.append(item)
    if run:
        out.extend(_spelled(run))
    return out


def _spelled(run: list[Expression]) -> list[Expression]:
    if len(run) == 1:
        return run
    spellings = [""]
    for item in run:
        options = _spellings(item)
        if options is None:
            return run
        spellings = [a + b for a in spellings for b in options]
    words = tuple(dict.fromkeys(w for w in spellings if w))
    if len(words) == 1 and "" not in spellings:
        return [Word(words[0])]
    return [Alternative(tuple(Word(w) for w in words), optional="" in spellings)]


def _spellings(item: Expression) -> list[str] | None:
    if isinstance(item, Word):
        return [item.text]
    if isinstance(item, Alternative) and all(isinstance(o, Word) for o in item.options):
        return [o.text for o in item.options] + ([""] if item.optional else [])
    return None


def _seq(items: list[Expression]) -> Expression:
    if len(items) == 1:
        return items[0]
    return Sequence(tuple(items))
