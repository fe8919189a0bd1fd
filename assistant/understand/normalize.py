"""Turn raw or transcribed text into the word tokens templates are matched against."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.language.words import load_words

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


@lru_cache(maxsize=None)
def _spelling(language: str) -> tuple[dict[str, str], tuple[tuple[str, str], ...], str, str]:
    """The language's contractions, symbols, possessive ending and minus sign word
    (intents/<lang>/words/spelling.yaml)."""
    words = load_words(language, "spelling")
    contractions = {k: str(v) for k, v in words.mapping("contractions").items()}
    symbols = tuple((k, f" {v} ") for k, v in words.mapping("symbols").items())
    return contractions, symbols, str(words.get("possessive") or ""), f" {words.text('minus')} "


@lru_cache(maxsize=None)
def letter_names(language: str = "en") -> dict[str, str]:
    """Each letter's spoken names, and the letter itself, as that letter ("tee": "t", "t": "t")."""
    letters = load_words(language, "spelling").mapping("letters")
    return {name: str(letter) for letter, names in letters.items() for name in [str(letter), *(names or [])]}


def contractions(language: str = "en") -> dict[str, str]:
    """Short forms and what they stand for ("i'd": "i would")."""
    return dict(_spelling(language)[0])


def words_of(text: str, language: str = "en") -> list[str]:
    """Lower-case word tokens: punctuation dropped, contractions expanded, symbols spelled out."""
    contractions, symbols, possessive, minus = _spelling(language)
    text = folded(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    for symbol, spelled in symbols:
        text = text.replace(symbol, spelled)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000 -> 1000
    text = re.sub(r"(?<![\w.])-(?=\d)", minus, text)  # -18 -> minus 18 (a sign, not a hyphen)
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        expanded = contractions.get(token)
        if expanded:
            tokens.extend(expanded.split())
        elif possessive and token.endswith(possessive) and len(token) > len(possessive):
            tokens.append(token[: -len(possessive)])  # the kitchen's light -> kitchen light
        else:
            tokens.append(token.replace("'", ""))
    return tokens


def normalize(text: str, language: str = "en") -> str:
    return " ".join(words_of(text, language))
