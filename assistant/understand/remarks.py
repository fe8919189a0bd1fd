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

    def is_remark(self, tokens: list[str]) -> bool:
        """Does this clause say nothing that a command says (see the module's docstring)?"""
        w = self.words
        subject = any(tuple(tokens[: len(a)]) == a for a in w.own_reasons)  # "I don't want tea": its "not" is its own
        if not tokens or self._says_any(tokens, (w.cues, w.requests, w.excepts - w.negations if subject else w.excepts)):
            return False
        if any(t in w.verbs or t[:1].isdigit() for t in tokens):
            return False
        if any(self.parts.matches(kind, tokens, i) for kind in _PLACES for i in range(len(tokens))):
            return False
        return subject or not self._says_any(tokens, (w.negations,))

    @staticmethod
    def _says_any(tokens: list[str], groups: tuple) -> bool:
        return any(tuple(tokens[i : i + len(p)]) == p for group in groups for p in group for i in range(len(tokens)))
