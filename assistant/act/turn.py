"""What happened for one utterance: the commands understood, the reply, the device changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.adapters import Change
from assistant.understand.command import Command


@dataclass
class Turn:
    """What happened for one utterance."""

    text: str
    commands: list[Command] = field(default_factory=list)
    reply: str = ""
    changes: list[Change] = field(default_factory=list)
    asked: bool = False  # the reply is a question about what was meant (answered next turn)
    secret: bool = False  # the text answered a PIN question: it is never shown or kept
    failed: int = 0  # device commands that no device carried out (offline, a value out of range)

    @property
    def nothing_done(self) -> bool:
        """Every device command failed and nothing else was done: `say` then exits non-zero."""
        return self.failed >= max(1, len(self.commands)) and not self.changes

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "commands": [c.to_json() for c in self.commands],
            "reply": self.reply,
            "changes": [{"device": c.device, "changed": c.changed()} for c in self.changes if c.changed()],
        }
