"""Turn raw or transcribed text into the word tokens templates are matched against."""

from __future__ import annotations

import re
import unicodedata

_CONTRACTIONS = {
    "what's": "what is", "whats": "what is", "it's": "it is", "that's": "that is", "there's": "there is",
    "isn't": "is not", "aren't": "are not", "don't": "do not", "doesn't": "does not", "didn't": "did not",
    "can't": "can not", "cannot": "can not", "won't": "will not", "i'm": "i am", "i'd": "i would",
    "let's": "let us", "how's": "how is", "where's": "where is", "who's": "who is", "it'll": "it will",
    "you're": "you are", "we're": "we are", "they're": "they are", "i've": "i have", "wasn't": "was not",
    "shouldn't": "should not", "couldn't": "could not", "wouldn't": "would not", "when's": "when is",
}
_SYMBOLS = {"%": " percent ", "°c": " degrees ", "°f": " degrees fahrenheit ", "°": " degrees ", "&": " and ", "+": " plus "}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+(?:'[^\W\d_]+)?|\d+", re.UNICODE)


def folded(text: str) -> str:
    """NFKC, with digits of every script as ASCII digits ("٥٠", "５" -> "50", "5").

    Numerals that are not digits ("²", "➎", "½", "Ⅻ") are kept out of NFKC, which would make "5²" read
    52 and "➎" read 5: each stays a word of its own that no template knows.
    """
    pieces: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if char.isnumeric() and not char.isdecimal():
            pieces.extend((unicodedata.normalize("NFKC", text[start:i]), f" {char} "))
            start = i + 1
    pieces.append(unicodedata.normalize("NFKC", text[start:]))
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in "".join(pieces))


def words_of(text: str) -> list[str]:
    """Lower-case word tokens: punctuation dropped, contractions expanded, symbols spelled out."""
    text = folded(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    for symbol, spelled in _SYMBOLS.items():
        text = text.replace(symbol, spelled)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000
    text = re.sub(r"(?<![\w.])-(?=\d)", " minus ", text)  # -18 -> minus 18 (a sign, not a hyphen)
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        expanded = _CONTRACTIONS.get(token)
        if expanded:
            tokens.extend(expanded.split())
        elif token.endswith("'s") and len(token) > 2:
            tokens.append(token[:-2])  # the kitchen's light -> kitchen light
        else:
            tokens.append(token.replace("'", ""))
    return tokens


def normalize(text: str) -> str:
    return " ".join(words_of(text))
