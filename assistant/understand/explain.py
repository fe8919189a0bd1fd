"""What `parse --explain` shows of a command: made from how it was read (its Reading) and the readings
that ranked below it. Nothing decides on it; what the understanding needs is in the Command's fields."""

from __future__ import annotations

from typing import Any

from assistant.understand.command import Command

RANKED_LOWER = "ranked lower (fewer named devices or literal words)"


def explanation(command: Command, ranked: bool) -> dict[str, Any]:
    """The template, the slots' words, a fuzzy reading's corrections and cost; with `ranked`, the readings
    that lost to this one ("rejected"); for a fuzzy reading, the confidence it needed ("threshold")."""
    reading = command.reading
    if reading is None:
        return {}
    result: dict[str, Any] = {"match": command.match, "template": reading.template, "source": reading.source,
                              "slots": dict(reading.slot_words)}
    if command.match == "fuzzy":
        result["corrections"] = [e.to_json() for e in reading.corrections]
        result["cost"] = round(reading.cost, 3)
    if ranked:
        result["rejected"] = [_lower(c) for c in command.alternatives]
    if reading.threshold is not None:
        result["threshold"] = reading.threshold
    return result


def _lower(command: Command) -> dict[str, Any]:
    reading = command.reading
    assert reading is not None
    if command.match == "rule":
        return {"intent": command.intent, "template": reading.template, "source": reading.source,
                "slots": command.slots, "why": RANKED_LOWER}
    return {"intent": command.intent, "slots": command.slots, "confidence": round(command.confidence, 3),
            "template": reading.template, "corrections": [e.to_json() for e in reading.corrections]}
