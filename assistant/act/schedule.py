"""Commands for later: "turn off the lights in 10 minutes", "close the curtains at 9 pm".

Each is kept in the state file (`scheduled`: {id, command, targets, due, when}) and done by a running session
(chat, listen) when its time comes. One that is more than LATE_SECONDS overdue when a session first
sees it (nothing was running at the time) is not done late: it is reported as missed.
"""

from __future__ import annotations

from typing import Any

from assistant import clock
from assistant.home.state import StateStore

LATE_SECONDS = 15 * 60


class Schedule:
    def __init__(self, store: StateStore):
        self.store = store

    def add(self, command: dict[str, Any], due: float, when: str, targets: list[str], at_time: bool = False) -> None:
        """Keep COMMAND until DUE; WHEN is how it was asked ("in 10 minutes"), AT_TIME whether at a time of day."""
        with self.store.transaction() as state:
            entries = [e for e in state.get("scheduled") or [] if isinstance(e, dict)]
            number = max([int(e.get("id", 0)) for e in entries] + [0]) + 1
            entries.append({"id": number, "command": command, "targets": targets, "due": due, "when": when,
                            "at_time": at_time})
            state["scheduled"] = entries

    def pending(self) -> list[dict[str, Any]]:
        try:
            return [e for e in self.store.read().get("scheduled") or [] if isinstance(e, dict)]
        except Exception:
            return []

    def take_due(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(due now, missed): both are removed from the schedule."""
        if not self.store.path.exists():
            return [], []
        with self.store.transaction() as state:
            entries = [e for e in state.get("scheduled") or [] if isinstance(e, dict) and "due" in e]
            now = clock.now()
            ripe = [e for e in entries if float(e["due"]) <= now]
            if not ripe:
                return [], []
            state["scheduled"] = [e for e in entries if e not in ripe]
        missed = [e for e in ripe if now - float(e["due"]) > LATE_SECONDS]
        return [e for e in ripe if e not in missed], missed

    def clear(self) -> int:
        with self.store.transaction() as state:
            count = len(state.get("scheduled") or [])
            state["scheduled"] = []
        return count
