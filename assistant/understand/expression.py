"""The expression tree a sentence template compiles to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Sequence:
    items: tuple[Expression, ...]


@dataclass(frozen=True)
class Alternative:
    """One of several; an optional `[x]` is an alternative with an empty branch."""

    options: tuple[Expression, ...]
    optional: bool = False


@dataclass(frozen=True)
class Permutation:
    """`(a; b)`: all items, in any order."""

    items: tuple[Expression, ...]


@dataclass(frozen=True)
class ListRef:
    """`{list}` or `{list:slot}`: one value of a slot list."""

    list_name: str
    slot_name: str


@dataclass(frozen=True)
class RuleRef:
    """`<rule>`: an expansion rule, inlined when compiled."""

    name: str


Expression = Word | Sequence | Alternative | Permutation | ListRef | RuleRef
