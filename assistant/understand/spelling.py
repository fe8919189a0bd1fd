"""How the fuzzy layer compares words it did not hear exactly: by letters, and by sound.

Latin words are compared letter by letter and keyed by Metaphone. A Hangul syllable holds two or three
letters (jamo): compared as syllables, "조멍" would be as far from "조명" as from any other word, and
Metaphone gives every Hangul word the same empty key, so that "꺼라" would "sound like" "켜줘". Hangul is
therefore compared as its jamo, and keyed by them as they sound: a silent ㅇ at the start of a syllable
dropped (so "거실에" and "거시레" are one key), and letters a language's `sounds_alike` groups (fuzzy/words.yaml)
say are heard alike written as the first of their group.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SYLLABLES = range(0xAC00, 0xD7A4)
_SILENT_INITIAL = "\u110b"  # HANGUL CHOSEONG IEUNG: no sound before a vowel


def has_hangul(word: str) -> bool:
    return any(ord(char) in _SYLLABLES for char in word)


@lru_cache(maxsize=65536)
def spelled(word: str) -> str:
    """The letters of a word for comparing spellings: Hangul as its jamo, any other script as it is."""
    return unicodedata.normalize("NFD", word) if has_hangul(word) else word


@lru_cache(maxsize=4096)
def _letter(jamo: str) -> str:
    """A conjoining jamo as the letter it is ("\u1100" initial and "\u11a8" final are both "ㄱ")."""
    name = unicodedata.name(jamo, "")
    for position in ("CHOSEONG ", "JUNGSEONG ", "JONGSEONG "):
        if position in name:
            try:
                return unicodedata.lookup(name.replace(position, "LETTER "))
            except KeyError:
                return jamo
    return jamo


def hangul_key(word: str, alike: dict[str, str]) -> str:
    """The jamo of a Hangul word as they sound (see the module docstring)."""
    letters = (_letter(j) for j in unicodedata.normalize("NFD", word) if j != _SILENT_INITIAL)
    return "".join(alike.get(letter, letter) for letter in letters)


def sound_key(word: str, alike: dict[str, str] | None = None) -> str:
    """A key that words sounding alike share ("boyler" and "boiler"); text with digits keys to itself."""
    if has_hangul(word):
        return "~" + hangul_key(word, alike or {})
    if not word.isalpha():
        return "#" + word
    return _metaphone(word)


@lru_cache(maxsize=65536)
def _metaphone(word: str) -> str:
    import jellyfish

    return jellyfish.metaphone(word)
