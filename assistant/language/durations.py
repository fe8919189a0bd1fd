"""Spoken durations and other multi-word values that a slot list cannot enumerate.

Tokens arrive with numbers already turned into digits ("three and a half minutes" ->
"3.5 minutes"), so this reads: "90 seconds", "an hour and a half", "1 hour 20 minutes",
"half an hour", "a quarter of an hour", "a couple of minutes". Each parser returns every
(end, value) it can read from a start position, so the rule matcher can pick the one that
lets the whole sentence match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.language.numbers import as_number
from assistant.language.times import time_matches
from assistant.language.words import load_words


@dataclass(frozen=True)
class DurationWords:
    """One language's duration words (intents/<lang>/words/durations.yaml)."""

    units: dict[str, int]
    fractions: dict[str, float]
    articles: frozenset[str]
    of: frozenset[str]
    few: dict[str, float]
    more: frozenset[str]
    half_after: tuple[tuple[str, ...], ...]
    joins: frozenset[str]
    list_and: str
    list_then: frozenset[str]
    list_before: frozenset[str]
    whites: frozenset[str]


@lru_cache(maxsize=None)
def duration_words(language: str = "en") -> DurationWords:
    words = load_words(language, "durations")
    return DurationWords(
        units={k: int(v) for k, v in words.mapping("units").items()},
        fractions={k: float(v) for k, v in words.mapping("fractions").items()},
        articles=frozenset(words.words("articles")), of=frozenset(words.words("of")),
        few={k: float(v) for k, v in words.mapping("few").items()}, more=frozenset(words.words("more")),
        half_after=tuple(sorted(words.phrases("half_after"), key=len, reverse=True)),
        joins=frozenset(words.words("joins")), list_and=str(words.get("list_and") or ""),
        list_then=frozenset(words.words("list_then")), list_before=frozenset(words.words("list_before")),
        whites=frozenset(words.words("whites")))


def unit_words(language: str = "en") -> frozenset[str]:
    """The words of a language that name a unit of time ("minutes", "분")."""
    return frozenset(duration_words(language).units)


def _amount(tokens: list[str], i: int, w: DurationWords, language: str) -> list[tuple[int, float]]:
    """(next index, amount) readings of a number phrase at i: "2", "a", "a couple of", "half an", "half a"."""
    found = []
    if i >= len(tokens):
        return found
    word = tokens[i]
    if word in w.articles and i + 1 < len(tokens) and tokens[i + 1] in w.fractions:
        # "a half hour", "a quarter of an hour"
        j = i + 2
        if j < len(tokens) and tokens[j] in w.of:
            j += 1
        if j < len(tokens) and tokens[j] in w.articles:
            j += 1
        found.append((j, w.fractions[tokens[i + 1]]))
    elif word in w.fractions:
        j = i + 1
        if j < len(tokens) and tokens[j] in w.of:
            j += 1
        if j < len(tokens) and tokens[j] in w.articles:
            j += 1
        found.append((j, w.fractions[word]))
    elif word in w.articles and i + 2 < len(tokens) and tokens[i + 1] in w.few:
        j = i + 2 + (tokens[i + 2] in w.of)
        found.append((j, w.few[tokens[i + 1]]))
    else:
        number = as_number(word, language)
        if number is not None:
            found.append((i + 1, number))
    return found


def duration_matches(tokens: list[str], start: int, language: str = "en") -> list[tuple[int, int]]:
    """Every (end, seconds) reading of a duration starting at tokens[start]."""
    w = duration_words(language)
    results: list[tuple[int, int]] = []

    def component(i: int, total: float) -> None:
        for j, amount in _amount(tokens, i, w, language):
            if j < len(tokens) - 1 and tokens[j] in w.more:  # "5 more minutes"
                j += 1
            if j < len(tokens) and tokens[j] in w.units:
                unit = w.units[tokens[j]]
                after = j + 1
                value = total + amount * unit
                results.append((after, round(value)))
                # "an hour and a half", "2 minutes and a half", "한 시간 반"
                for half in w.half_after:
                    if tuple(tokens[after : after + len(half)]) == half:
                        results.append((after + len(half), round(value + unit / 2)))
                smaller(after, value, unit)

    def smaller(after: int, value: float, unit: float) -> None:
        """"1 hour 20 minutes", "1 hour, 20 minutes and 30 seconds": each part a smaller unit than the last."""
        for k in (after, after + 1) if after < len(tokens) and tokens[after] in w.joins else (after,):
            if k < len(tokens) and unit > 1:
                for end, seconds, part in _following(tokens, k, w, language):
                    if part < unit:
                        results.append((end, round(value + seconds)))
                        smaller(end, value + seconds, part)

    component(start, 0)
    return [r for r in results if r[1] > 0]


def listed_durations(tokens: list[str], language: str = "en") -> list[str] | None:
    """A list of durations spelled out so the sentence splits into one command each; None when there is none.

    "5 and 10 minutes" -> "5 minutes and 10 minutes" (a unit said once for two numbers);
    "2 minutes, 5 minutes and 10 minutes" (the commas are gone) -> "2 minutes and 5 minutes and 10 minutes"
    (no unit after a smaller one, so not "1 hour 20 minutes");
    "5 minutes and another for 10" -> "5 minutes and another for 10 minutes" (the unit said before).
    """
    w = duration_words(language)
    if not w.list_and:
        return None
    number = lambda token: as_number(token, language)  # noqa: E731
    out = list(tokens)
    for i in range(len(out) - 4, -1, -1):
        first, joint, other, unit = out[i : i + 4]
        if joint == w.list_and and unit in w.units and number(first) is not None and number(other) is not None:
            out.insert(i + 1, unit)
            while i > 0 and number(out[i - 1]) is not None:  # "2, 5 and 10 minutes"
                i -= 1
                out[i + 1 : i + 1] = [unit, w.list_and]
    for i in range(len(out) - 3, 0, -1):
        unit, first, other = out[i], out[i + 1], out[i + 2]
        if (unit in w.units and number(out[i - 1]) is not None and number(first) is not None
                and w.units.get(other, 0) >= w.units[unit]):
            out.insert(i + 1, w.list_and)
    for i in range(len(out) - 1, 0, -1):  # "... for 5 minutes and another for 10": the unit said before
        last = i == len(out) - 1 or out[i + 1] in w.list_then
        if last and number(out[i]) is not None and out[i - 1] in w.list_before and out[i] not in w.articles:
            unit = next((t for t in reversed(out[: i - 1]) if t in w.units), None)
            if unit is not None and any(t in w.list_then for t in out[: i - 1]):
                out.insert(i + 1, unit)
    return out if out != tokens else None


def _following(tokens: list[str], i: int, w: DurationWords, language: str) -> list[tuple[int, float, int]]:
    """(end, seconds, unit) of one 'number unit' at i."""
    found = []
    for j, amount in _amount(tokens, i, w, language):
        if j < len(tokens) and tokens[j] in w.units:
            found.append((j + 1, amount * w.units[tokens[j]], w.units[tokens[j]]))
    return found


@lru_cache(maxsize=1)
def _css_colours() -> frozenset[str]:
    import webcolors

    return frozenset(webcolors.names("css3"))


def color_matches(tokens: list[str], start: int, language: str = "en") -> list[tuple[int, str]]:
    """Colour names that webcolors knows, spoken as one or more words ("light sea green"), and shades of white
    (durations.yaml `whites`)."""
    whites = duration_words(language).whites
    found = []
    for end in range(start + 1, min(len(tokens), start + 3) + 1):
        words = " ".join(tokens[start:end])
        if "".join(tokens[start:end]) in _css_colours() or words in whites:
            found.append((end, words))
    return found


# Slot list kinds usable in intent files as `lists: {duration: {kind: duration}}`.
KINDS: dict[str, Callable[[list[str], int, str], list[tuple[int, Any]]]] = {
    "duration": duration_matches,
    "color": color_matches,
    "time": time_matches,
}


def kind_matches(kind: str, tokens: list[str], start: int, language: str = "en") -> list[tuple[int, Any]]:
    parser = KINDS.get(kind)
    return parser(tokens, start, language) if parser else []
