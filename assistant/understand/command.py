"""A command: what one part of an utterance asks for, before and after it is resolved to devices."""

from __future__ import annotations

import re
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

    def meant_text(self) -> str:
        """The words with a fuzzy reading's corrections made ("close the curtins" -> "close the
        curtains"): what is said back and listed for later is what was understood, not a typo."""
        text = self.text
        seen: set[str] = set()
        for edit in self.explanation.get("corrections", ()) if self.match == "fuzzy" else ():
            heard, used = edit.get("heard", ""), edit.get("used", "")
            if not heard or heard in seen:
                continue  # a word not heard is not put back; a skipped word is corrected once
            seen.add(heard)
            text = re.sub(rf"(?<!\S){re.escape(heard)}(?!\S)", used, text, count=1)
        return " ".join(text.split())
