"""Spoken durations and other multi-word values that a slot list cannot enumerate.

Tokens arrive with numbers already turned into digits ("three and a half minutes" ->
"3.5 minutes"), so this reads: "90 seconds", "an hour and a half", "1 hour 20 minutes",
"half an hour", "a quarter of an hour", "a couple of minutes". Each parser returns every
(end, value) it can read from a start position, so the rule matcher can pick the one that
lets the whole sentence match.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from assistant.language.numbers import as_number
from assistant.language.times import time_matches

UNIT_SECONDS = {
    "second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1,
    "minute": 60, "minutes": 60, "min": 60, "mins": 60,
    "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
}
FRACTIONS = {"half": 0.5, "quarter": 0.25}


def _amount(tokens: list[str], i: int) -> list[tuple[int, float]]:
    """(next index, amount) readings of a number phrase at i: "2", "a", "a couple of", "half an", "half a"."""
    found = []
    if i >= len(tokens):
        return found
    word = tokens[i]
    if word in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1] in FRACTIONS:
        # "a half hour", "a quarter of an hour"
        j = i + 2
        if j < len(tokens) and tokens[j] == "of":
            j += 1
        if j < len(tokens) and tokens[j] in ("a", "an"):
            j += 1
        found.append((j, FRACTIONS[tokens[i + 1]]))
    elif word in FRACTIONS:
        j = i + 1
        if j < len(tokens) and tokens[j] == "of":
            j += 1
        if j < len(tokens) and tokens[j] in ("a", "an"):
            j += 1
        found.append((j, FRACTIONS[word]))
    elif word in ("a", "an") and i + 2 < len(tokens) and tokens[i + 1] in ("couple", "few"):
        j = i + 2 + (tokens[i + 2] == "of")
        found.append((j, 2.0 if tokens[i + 1] == "couple" else 3.0))
    else:
        number = as_number(word)
        if number is not None:
            found.append((i + 1, number))
    return found


def duration_matches(tokens: list[str], start: int) -> list[tuple[int, int]]:
    """Every (end, seconds) reading of a duration starting at tokens[start]."""
    results: list[tuple[int, int]] = []

    def component(i: int, total: float) -> None:
        for j, amount in _amount(tokens, i):
            if j < len(tokens) - 1 and tokens[j] == "more":  # "5 more minutes"
                j += 1
            if j < len(tokens) and tokens[j] in UNIT_SECONDS:
                unit = UNIT_SECONDS[tokens[j]]
                after = j + 1
                value = total + amount * unit
                results.append((after, round(value)))
                # "an hour and a half", "2 minutes and a half"
                if tokens[after : after + 3] == ["and", "a", "half"]:
                    results.append((after + 3, round(value + unit / 2)))
                # "1 hour 20 minutes", "1 hour and 20 minutes" (smaller units only)
                for k in (after, after + 1) if after < len(tokens) and tokens[after] in ("and", ",") else (after,):
                    if k < len(tokens) and unit > 1:
                        smaller = [r for r in _following(tokens, k) if r[2] < unit]
                        for end, seconds, _ in smaller:
                            results.append((end, round(value + seconds)))

    component(start, 0)
    return [r for r in results if r[1] > 0]


def listed_durations(tokens: list[str]) -> list[str] | None:
    """A list of durations spelled out so the sentence splits into one command each; None when there is none.

    "5 and 10 minutes" -> "5 minutes and 10 minutes" (a unit said once for two numbers);
    "2 minutes, 5 minutes and 10 minutes" (the commas are gone) -> "2 minutes and 5 minutes and 10 minutes"
    (no unit after a smaller one, so not "1 hour 20 minutes");
    "5 minutes and another for 10" -> "5 minutes and another for 10 minutes" (the unit said before).
    """
    out = list(tokens)
    for i in range(len(out) - 4, -1, -1):
        number, joint, other, unit = out[i : i + 4]
        if joint == "and" and unit in UNIT_SECONDS and as_number(number) is not None and as_number(other) is not None:
            out.insert(i + 1, unit)
            while i > 0 and as_number(out[i - 1]) is not None:  # "2, 5 and 10 minutes"
                i -= 1
                out[i + 1 : i + 1] = [unit, "and"]
    for i in range(len(out) - 3, 0, -1):
        unit, number, other = out[i], out[i + 1], out[i + 2]
        if (unit in UNIT_SECONDS and as_number(out[i - 1]) is not None and as_number(number) is not None
                and UNIT_SECONDS.get(other, 0) >= UNIT_SECONDS[unit]):
            out.insert(i + 1, "and")
    for i in range(len(out) - 1, 0, -1):  # "... for 5 minutes and another for 10": the unit said before
        last = i == len(out) - 1 or out[i + 1] in ("and", "then")
        if last and as_number(out[i]) is not None and out[i - 1] in ("for", "of") and out[i] not in ("a", "an"):
            unit = next((w for w in reversed(out[: i - 1]) if w in UNIT_SECONDS), None)
            if unit is not None and any(w in ("and", "then") for w in out[: i - 1]):
                out.insert(i + 1, unit)
    return out if out != tokens else None


def _following(tokens: list[str], i: int) -> list[tuple[int, float, int]]:
    """(end, seconds, unit) of one 'number unit' at i."""
    found = []
    for j, amount in _amount(tokens, i):
        if j < len(tokens) and tokens[j] in UNIT_SECONDS:
            found.append((j + 1, amount * UNIT_SECONDS[tokens[j]], UNIT_SECONDS[tokens[j]]))
    return found


@lru_cache(maxsize=1)
def _css_colours() -> frozenset[str]:
    import webcolors

    return frozenset(webcolors.names("css3"))


# Shades of white a light with a colour temperature takes (the kelvin of each is in devices/types.yaml).
WHITES = {"warm white", "soft white", "neutral white", "cool white", "cold white", "daylight"}


def color_matches(tokens: list[str], start: int) -> list[tuple[int, str]]:
    """Colour names that webcolors knows, spoken as one or more words ("light sea green"), and shades of white."""
    found = []
    for end in range(start + 1, min(len(tokens), start + 3) + 1):
        words = " ".join(tokens[start:end])
        if "".join(tokens[start:end]) in _css_colours() or words in WHITES:
            found.append((end, words))
    return found


# Slot list kinds usable in intent files as `lists: {duration: {kind: duration}}`.
KINDS: dict[str, Callable[[list[str], int], list[tuple[int, Any]]]] = {
    "duration": duration_matches,
    "color": color_matches,
    "time": time_matches,
}


def kind_matches(kind: str, tokens: list[str], start: int) -> list[tuple[int, Any]]:
    parser = KINDS.get(kind)
    return parser(tokens, start) if parser else []
