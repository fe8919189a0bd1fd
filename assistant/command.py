"""A command: what one part of an utterance asks for, before and after it is resolved to devices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Command:
    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    match: str = "rule"  # "rule" or "fuzzy"
    text: str = ""
    targets: list[str] = field(default_factory=list)
    explanation: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "slots": self.slots,
            "targets": self.targets,
            "confidence": round(self.confidence, 3),
            "match": self.match,
        }
