"""Understanding: text -> commands (intent + slots), rules first."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.command import Command
from assistant.nlu.cache import load_or_compile
from assistant.nlu.intents import IntentSet, SlotList
from assistant.nlu.normalize import words_of
from assistant.nlu.numbers import digits_in
from assistant.nlu.rules import ListIndex, RuleMatch, match_rules

SPLIT_WORDS = ("and then", "then", "and also", "and", "also")
MAX_WORDS = 100  # longer input is not a command; splitting it into commands would take too long


@dataclass
class Understanding:
    text: str
    tokens: list[str]
    commands: list[Command]


class Understander:
    def __init__(self, intents: IntentSet, lists: dict[str, SlotList]):
        self.intents = intents
        self.grammar = load_or_compile(intents)
        self.set_lists(lists)

    def set_lists(self, lists: dict[str, SlotList]) -> None:
        """Use the home's lists ({name}, {area}, ...) beside the intent files' own."""
        merged = dict(self.intents.lists)
        merged.update(lists)
        self.index = ListIndex(merged)

    def tokens(self, text: str) -> list[str]:
        tokens = digits_in(" ".join(words_of(text)), self.intents.language).split()
        return self._drop_skip_words(tokens)

    def _drop_skip_words(self, tokens: list[str]) -> list[str]:
        skip = sorted(self.intents.skip_words, key=len, reverse=True)
        result: list[str] = []
        i = 0
        while i < len(tokens):
            for phrase in skip:
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    i += len(phrase)
                    break
            else:
                result.append(tokens[i])
                i += 1
        return result

    def understand(self, text: str) -> Understanding:
        tokens = self.tokens(text)
        commands = self._commands(tokens) if len(tokens) <= MAX_WORDS else []
        return Understanding(text, tokens, commands)

    def _commands(self, tokens: list[str]) -> list[Command]:
        if not tokens:
            return []
        whole = self._best(tokens)
        if whole is not None:
            return [whole]
        for i, token in enumerate(tokens):
            if token in ("and", "then", "also") and 0 < i < len(tokens) - 1:
                head = self._best(tokens[:i])
                if head is None:
                    continue
                tail = self._commands(tokens[i + 1 :])
                if tail:
                    return [head, *tail]
        return []

    def _best(self, tokens: list[str]) -> Command | None:
        matches = match_rules(self.grammar, self.index, tokens)
        if not matches:
            return None
        best = max(matches, key=_rank)
        return Command(best.intent, best.slot_dict(), 1.0, "rule", " ".join(tokens))


def _rank(match: RuleMatch) -> tuple:
    """Prefer a named device over area+type, then more literal words."""
    names = {s.name for s in match.slots}
    return ("name" in names, match.literal_words, -len(match.slots))
