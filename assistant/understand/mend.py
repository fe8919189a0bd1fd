"""Mending a sentence the way a speech recogniser garbles names, so its parts can be read: a hesitation
("uh") dropped, a listed slip read as the polarity word it stands for ("of" for "off"), a word nothing knows
read as the one word of the home's names, rooms, kinds and scenes that sounds like it or is spelled nearly so
("kitchin", "lites", "curtins"). Words that say what to do, negate or count are never guessed."""

from __future__ import annotations

from typing import Any

from assistant.understand.command import Edit
from assistant.understand.parts import TARGETS, ComposeWords
from assistant.understand.rules import ListIndex

SLIP = 0.85  # a word read as another that sounds like it (or a listed slip), as the fuzzy layer reads it
ENDING_ALIKE = 0.9  # a word heard with an ending a voice says for another ("washa" for "washer"): near certain
HESITATION = 0.05  # what dropping an "uh" costs
NEAR_WORD = 0.8  # how nearly a word nothing knows must be spelled like a word of a name to be read as it
NEAR_MARGIN = 0.08  # ... and how much nearer than the next such word
MIN_MENDED = 4  # shorter words are not mended ("no", "of", "the" are words of their own)
MAX_MENDING = 0.35  # a sentence that needs more mending than this is left alone


class Mender:
    def __init__(self, words: ComposeWords, index: ListIndex, fuzzy_words: dict[str, Any] | None = None):
        """`fuzzy_words`: the language's (assistant.language.fuzzy_words): its slips ("of" for "off", each
        for one polarity word only), hesitations ("uh", "um"), negations, quantifiers, opposites and
        letters that sound alike."""
        self.words = words
        self.index = index
        fuzzy = fuzzy_words or {}
        self.slips: dict[str, str] = dict(fuzzy.get("slips") or {})
        self.hesitations: set[str] = set(fuzzy.get("fillers") or ())
        self.alike: dict[str, str] = dict(fuzzy.get("alike") or {})
        self.endings_alike: dict[str, str] = dict(fuzzy.get("endings_alike") or {})
        self.quantifiers: set[str] = {str(w) for w in fuzzy.get("quantifiers", ())}
        opposites = fuzzy.get("opposites") or set()
        self.guarded: set[str] = {str(w) for w in (*fuzzy.get("negations", ()), *fuzzy.get("quantifiers", ()),
                                                   *(opposites if isinstance(opposites, (set, list)) else ()))}
        self._list_words: dict[str, list[str]] | None = None  # sound key -> words of names, rooms and kinds

    def mend(self, tokens: list[str]) -> tuple[list[str], list[Edit]]:
        """The words as they were likely meant: a hesitation ("uh") dropped, a listed slip read as the
        polarity word it stands for ("of" for "off"), and a word nothing knows read as the one word of a
        name, room or kind that sounds like it or is spelled nearly so ("kitchin", "lites", "curtins").
        Words that say what to do are never guessed: only names are mended."""
        mended: list[str] = []
        edits: list[Edit] = []
        for n, token in enumerate(tokens):
            if token in self.hesitations and not self._known(token):
                edits.append(Edit("skipped", token, "", HESITATION, n))
                continue
            # "all of them", "both of the lamps": after a quantifier the word is itself, not a slip
            slip = self.slips.get(token) if not (n and tokens[n - 1] in self.quantifiers) else None
            used = slip or (None if self._known(token) else self._near_word(token))
            if used:
                edits.append(Edit("sounds like", token, used, 1 - SLIP, n))
            mended.append(used or token)
        if sum(e.cost for e in edits) > MAX_MENDING:
            return tokens, []
        return mended, edits

    def _known(self, word: str) -> bool:
        """A word this stage reads as it is: of the lexicon, or of a name, room or kind."""
        w = self.words
        lexicon = (w.cues, w.feelings, w.fillers, w.negations, w.excepts, w.questions, w.question_ends, w.any, w.everywhere,
                   w.references, w.value_words, w.which, w.how_many, w.units, w.minus, w.determiners, w.yourself)
        return (word,) in w.cues or any((word,) in group for group in lexicon) or word in w.verbs or any(
            word in words for words in self._words_of_lists().values()) or word[:1].isdigit()

    def _said(self, word: str) -> bool:
        """A word that says what to do, or that negates or counts: never guessed ("ulock" is not "lock")."""
        w = self.words
        return (word,) in w.cues or (word,) in w.feelings or (word,) in w.negations or word in self.guarded

    def _near_word(self, token: str) -> str | None:
        """The one word of the home's names, rooms and kinds that sounds like `token` or is spelled nearly so."""
        from rapidfuzz import fuzz, process

        from assistant.understand.spelling import sound_key, spelled

        if len(spelled(token)) < MIN_MENDED or not token.isalpha():
            return None
        words = self._words_of_lists()
        candidates = {w: SLIP for w in words.get(sound_key(token, self.alike), ()) if not self._said(w)}
        vocabulary = sorted({w for ws in words.values() for w in ws if not self._said(w)})
        for word, score, _ in process.extract(spelled(token), [spelled(v) for v in vocabulary], scorer=fuzz.ratio,
                                              score_cutoff=NEAR_WORD * 100, limit=3):
            original = vocabulary[[spelled(v) for v in vocabulary].index(word)]
            candidates[original] = max(candidates.get(original, 0.0), score / 100)
        for heard, meant in self.endings_alike.items():  # "washa" for "washer", as a non-rhotic voice says it
            said = token[: -len(heard)] + meant if token.endswith(heard) else ""
            if said in vocabulary:
                candidates[said] = max(candidates.get(said, 0.0), ENDING_ALIKE)
        ranked = sorted(candidates.items(), key=lambda c: -c[1])
        ranked = [c for c in ranked if not self._plural_of(c[0], ranked[0][0])]  # "kettle" and "kettles" are one guess
        if not ranked or len(ranked) > 1 and ranked[1][1] > ranked[0][1] - NEAR_MARGIN:
            return None  # none, or two words about as near: not a guess
        return ranked[0][0]

    def _plural_of(self, word: str, other: str) -> bool:
        """Is `word` the other word with a plural ending, or the other way round (not the word itself)?"""
        endings = tuple(e for e in self.words.plural_endings if e)
        return word != other and any(word == other + e or other == word + e for e in endings)

    def _words_of_lists(self) -> dict[str, list[str]]:
        """Sound key -> the words of the home's names, rooms, floors, kinds and scenes."""
        if self._list_words is None:
            from assistant.understand.spelling import sound_key

            self._list_words = {}
            for name in (n for kind in (*TARGETS, "scene") for n in self.words.list_names(kind)):
                slot_list = self.index.lists.get(name)
                for words, _ in (slot_list.values if slot_list else ()):
                    for word in words:
                        if word.isalpha() and word not in self._list_words.get(sound_key(word, self.alike), []):
                            self._list_words.setdefault(sound_key(word, self.alike), []).append(word)
        return self._list_words

