"""A command with a remark set off by a comma: "mute the telly, phone's ringing", "unlock the front door, my
mum's here", "louder, I can't hear it", "bit more, it's still cold".

Typed text marks where a remark starts; a recogniser's text has no commas, and there only the compose stage's
asides apply (Parts.without_asides). A clause is a remark when it says nothing a command says: no device,
room, floor or number (but "here"), no cue or verb, nothing left out ("not the lamp"), and it is no command or
fragment on its own ("the lamp too"). It may deny something only as the speaker's own reason ("I don't want tea after all", `own_reasons`): a bare "don't"
after a command takes the command back, so it is never a remark.
"""

from __future__ import annotations

import re

from assistant.understand.parts import ComposeWords, Parts

_CLAUSE_BREAK = re.compile(r",(?!\d{3}\b)|;|\s[-\u2013\u2014]\s")  # not the comma of "1,000"
_PLACES = ("name", "area", "floor", "type", "class")


def clauses(text: str) -> list[str]:
    """The text cut where the writer set a comma, a semicolon or a dash; one clause when there is none."""
    return [c for c in (part.strip() for part in _CLAUSE_BREAK.split(text)) if c]


class Remarks:
    def __init__(self, parts: Parts):
        self.parts = parts
        self.words: ComposeWords = parts.words

    def is_remark(self, tokens: list[str], said: str = "") -> bool:
        """Does this clause (its words, and as it was `said`) say nothing that a command says (see the module's
        docstring)?"""
        w = self.words
        if said and self._statement(said):
            return not self._says_any(tokens, (w.negations,))
        subject = any(tuple(tokens[: len(a)]) == a for a in w.own_reasons)  # "I don't want tea": its "not" is its own
        if not tokens or self._says_any(tokens, (w.cues, w.requests, w.excepts - w.negations if subject else w.excepts)):
            return False
        if any(t in w.verbs or t[:1].isdigit() for t in tokens):
            return False
        if any(self.parts.matches(kind, tokens, i) for kind in _PLACES for i in range(len(tokens))):
            return False
        return subject or not self._says_any(tokens, (w.negations,))

    def _statement(self, said: str) -> bool:
        """ "the doorbell's going", "my mum is here": said of a subject that is no device, room, kind or pronoun
        (the words before `statements`), whatever it says of it."""
        words = [re.sub(r"[^\w']", "", w) for w in said.lower().replace("\u2019", "'").split()]
        for k, word in enumerate(words[:4]):
            ending = next((e for e in self.words.statements if e.startswith("'") and word.endswith(e) and word != e), "")
            if word in self.words.statements or ending:
                subject = [w for w in words[:k] + [word[: len(word) - len(ending)]] * bool(ending) if w]
                return bool(subject) and self._only_a_subject(subject)
        return False

    def _only_a_subject(self, subject: list[str]) -> bool:
        w = self.words
        known = (w.cues, w.references, w.which, w.how_many, w.questions, w.yourself, w.any, w.everywhere, w.negations,
                 w.requests, w.asides)
        if self._says_any(subject, known) or any(t in w.verbs or t[:1].isdigit() for t in subject):
            return False
        if any(self.parts.matches(kind, subject, i) for kind in _PLACES for i in range(len(subject))):
            return False
        return any((t,) not in w.determiners and (t,) not in w.fillers for t in subject)

    @staticmethod
    def _says_any(tokens: list[str], groups: tuple) -> bool:
        return any(tuple(tokens[i : i + len(p)]) == p for group in groups for p in group for i in range(len(tokens)))
