"""Replies from response templates in the intent files."""

from __future__ import annotations

from typing import Any

from assistant.reply.describe import the
from assistant.home.model import Device
from assistant.reply.fields import fill


def join_words(items: list[str], conjunction: str = "and") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def targets_phrase(devices: list[Device]) -> str:
    """ "the floor lamp", "the TV and the curtains", "5 lights and the TV" (kinds counted when many)."""
    if len(devices) <= 4:
        return join_words([the(d) for d in devices])
    by_kind: dict[str, list[Device]] = {}
    for device in devices:
        by_kind.setdefault(device.type, []).append(device)
    parts = []
    for kind, group in by_kind.items():
        if len(group) >= 3:
            parts.append(f"{len(group)} {kind.replace('_', ' ')}s")
        else:
            parts.extend(the(d) for d in group)
    if len(parts) > 4:
        return f"{len(devices)} devices"
    return join_words(parts)


class Responder:
    def __init__(self, responses: dict[str, dict[str, str]]):
        self.responses = responses

    def has(self, intent: str, outcome: str = "default") -> bool:
        return outcome in self.responses.get(intent, {})

    def render(self, intent: str, outcome: str = "default", devices: list[Device] | None = None, **fields: Any) -> str:
        templates = self.responses.get(intent, {})
        template = templates.get(outcome) or templates.get("default")
        if template is None:
            template = "Done." if devices else "OK."
        values = dict(fields)
        if devices is not None:
            phrase = targets_phrase(devices)
            values.setdefault("targets", phrase)
            values.setdefault("Targets", phrase[:1].upper() + phrase[1:])
            plural = len(devices) > 1 or (len(devices) == 1 and devices[0].name.lower().endswith("s"))
            values.setdefault("is", "are" if plural else "is")
            values.setdefault("has", "have" if plural else "has")
            values.setdefault("its", "their" if plural else "its")
        text = fill(template, values)
        return text[:1].upper() + text[1:]

    def phrase(self, intent: str, outcome: str, **fields: Any) -> str:
        """A part of a sentence ("in 10 minutes", "turn off the fan"): as written, not capitalised."""
        return fill(self.responses.get(intent, {}).get(outcome, ""), dict(fields))
