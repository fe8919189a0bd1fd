"""Replies from response templates in the intent files."""

from __future__ import annotations

from typing import Any

from assistant.home.model import Device
from assistant.reply.fields import fill
from assistant.reply.phrases import phrases


def join_words(items: list[str], conjunction: str = "and", language: str = "en") -> str:
    """ "a, b and c" ("or": "a, b or c") as the language writes a list."""
    return phrases(language).join(items, conjunction)


class Responder:
    def __init__(self, responses: dict[str, dict[str, str]], language: str = "en"):
        self.responses = responses
        self.language = language
        self.words = phrases(language)  # how this language names devices and lists

    def join(self, items: list[str], conjunction: str = "and") -> str:
        return self.words.join(items, conjunction)

    def targets(self, devices: list[Device]) -> str:
        return self.words.targets(devices)

    def has(self, intent: str, outcome: str = "default") -> bool:
        return outcome in self.responses.get(intent, {})

    def render(self, intent: str, outcome: str = "default", devices: list[Device] | None = None, **fields: Any) -> str:
        templates = self.responses.get(intent, {})
        template = templates.get(outcome) or templates.get("default")
        if template is None:
            template = self.words.templates["done" if devices else "ok"]
        values = dict(fields)
        if devices is not None:
            phrase = self.words.targets(devices)
            values.setdefault("targets", phrase)
            values.setdefault("Targets", phrase[:1].upper() + phrase[1:])
            for key, word in self.words.agreement(devices).items():
                values.setdefault(key, word)  # "is"/"are", "has"/"have", "its"/"their"
        text = self.words.finish(fill(template, values))
        return text[:1].upper() + text[1:]

    def phrase(self, intent: str, outcome: str, **fields: Any) -> str:
        """A part of a sentence ("in 10 minutes", "turn off the fan"): as written, not capitalised."""
        return fill(self.responses.get(intent, {}).get(outcome, ""), dict(fields))
