"""Spoken numbers to digits: "twenty two" -> 22, "three and a half" -> 3.5."""

from __future__ import annotations

import math
import re

from text_to_num import alpha2digit

# alpha2digit leaves small numbers as words ("turn on one light"); a number slot still takes them.
SMALL_NUMBERS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "a": 1, "an": 1, "couple": 2, "single": 1}
_HALF = re.compile(r"\b(\d+(?:\.\d+)?|one|two|three|a|an) and a half\b")
_POINT_FIVE = {"one": 1, "two": 2, "three": 3, "a": 1, "an": 1}


_NEGATIVE = re.compile(r"\b(?:minus|negative) (\d+(?:\.\d+)?)\b")


def digits_in(text: str, language: str = "en") -> str:
    """Replace number words in normalised text with digits."""
    try:
        text = alpha2digit(text, language)
    except Exception:  # text2num rejects some odd inputs; then leave the words alone
        return text

    def half(match: re.Match) -> str:
        head = match.group(1)
        value = float(_POINT_FIVE.get(head, head) if head in _POINT_FIVE else head) + 0.5
        return f"{value:g}"

    text = _HALF.sub(half, text)
    return _NEGATIVE.sub(r"-\1", text)


def as_number(token: str) -> float | None:
    """The value of one token, if it is a number (digits or a small number word)."""
    if token in SMALL_NUMBERS:
        return float(SMALL_NUMBERS[token])
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None  # "inf", "nan" and "1e999" are words, not amounts
