"""A command: what one part of an utterance asks for, before and after it is resolved to devices, and how
its words were read (the template, a fuzzy reading's corrections, the readings that ranked lower)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Edit:
    """One correction of a fuzzy reading: `heard` was taken as `used`."""

    kind: str  # "sounds like", "spelled like", "skipped", "not heard", "joined", "split", "name"
    heard: str
    used: str
    cost: float
    at: int = 0  # position of the heard word

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "heard": self.heard, "used": self.used, "cost": round(self.cost, 3)}


@dataclass
class Reading:
    """How a command was read from its words: the template they matched (and its file and line), the
    words each slot came from and, for a fuzzy reading, the corrections that made the words match, their
    cost and the confidence a reading needed to be taken."""

    template: str
    source: str
    slot_words: dict[str, str]
    corrections: tuple[Edit, ...] = ()
    cost: float = 0.0
    threshold: float | None = None


@dataclass
class Command:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    match: str = "rule"  # "rule" or "fuzzy"
    text: str = ""
    targets: list[str] = field(default_factory=list)
    explanation: dict[str, Any] = field(default_factory=dict)  # for `parse --explain`, built from the fields below
    reading: Reading | None = field(default=None, repr=False, compare=False)
    # other readings of the same words, ranked lower (best first; a rule match's or a fuzzy one's)
    alternatives: list[Command] = field(default_factory=list, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "slots": self.slots,
            "targets": self.targets,
            "confidence": round(self.confidence, 3),
            "match": self.match,
        }

    def meant_text(self) -> str:
        """The words with a fuzzy reading's corrections made ("close the curtins" -> "close the
        curtains"): what is said back and listed for later is what was understood, not a typo."""
        text = self.text
        seen: set[str] = set()
        for edit in self.reading.corrections if self.match == "fuzzy" and self.reading is not None else ():
            heard, used = edit.heard, edit.used
            if not heard or heard in seen:
                continue  # a word not heard is not put back; a skipped word is corrected once
            seen.add(heard)
            text = re.sub(rf"(?<!\S){re.escape(heard)}(?!\S)", used, text, count=1)
        return " ".join(text.split())
