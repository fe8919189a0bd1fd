"""What the recogniser listens for: the sentences of what this home can do, and nothing else.

A recogniser restricted to a grammar hears every sound as some sentence of it. With every built-in
sentence in the grammar, a coffee order in a kitchen without devices came out as home commands
the kitchen has nothing for ("economy" set a mode, "a quick wash" started a washer). So the speech
grammar holds the user's own sentences, the core that needs no device (the time, timers, help,
cancel), and a built-in intent only when a device of the home obeys it. Understanding typed text
keeps every sentence: there, "turn on the washer" in a home without one is answered, not misheard.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.act.resolve import ABILITY
from assistant.home.model import Home
from assistant.language.intents import IntentData, IntentSet

# Intents a home needs no device for.
ALWAYS = frozenset({"get_time", "get_date", "start_timer", "cancel_timer", "timer_status", "pause_timer",
                    "resume_timer", "extend_timer", "shorten_timer", "help", "cancel", "_thanks"})
# Intents that only say what the home lacks ("there's no washing machine"): nothing to act on, so
# hearing them only takes sounds away from real commands.
NEVER = frozenset({"_unknown_device", "_unknown_area"})
# Fragments that lean on the command before ("and the bedroom too", "make it 22"): heard when some
# device could have been that command's target.
WITH_DEVICES = frozenset({"repeat", "set_value"})


def heard_intents(home: Home | None) -> set[str]:
    """The intents whose built-in sentences the recogniser listens for in `home`."""
    devices = list(home.devices.values()) if home is not None else []
    obeyed = {intent for device in devices for intent in device.commands}
    heard = set(ALWAYS) | obeyed
    if devices:
        heard |= WITH_DEVICES
    if home is not None and home.scenes:
        heard.add("run_scene")
    return heard - NEVER


def heard_sentences(intents: IntentSet, home: Home | None, pack: Path) -> IntentSet:
    """`intents` with only the sentences the recogniser listens for (see `heard_intents`); `pack` is
    the language pack's directory: sentences from elsewhere are the user's own, always heard."""
    heard = heard_intents(home)
    return dataclasses.replace(intents, data=[block for block in intents.data
                                              if block.intent in heard or not _built_in(block, pack)])


def for_later(heard: IntentSet) -> bool:
    """Whether a command heard may be for later ("... in ten minutes"): one for a device or a scene.
    A coffee order said "at five" cannot be kept for then, so a home of its own sentences only is
    not listened for with times around them (they took a dozen coffee orders in a benchmark run)."""
    return any(block.intent in ABILITY or block.intent == "run_scene" for block in heard.data)


def summary(intents: IntentSet, home: Home | None, pack: Path) -> dict[str, dict[str, int]]:
    """For `assistant grammar`: how many templates of each intent are heard, as the user's own
    (`own`) or built in (`built_in`), and the built-in ones left out (`left_out`)."""
    heard = heard_intents(home)
    out: dict[str, dict[str, int]] = {"own": {}, "built_in": {}, "left_out": {}}
    for block in intents.data:
        part = "own" if not _built_in(block, pack) else "built_in" if block.intent in heard else "left_out"
        out[part][block.intent] = out[part].get(block.intent, 0) + len(block.expressions)
    return out


def _built_in(block: IntentData, pack: Path) -> bool:
    try:
        Path(block.source).resolve().relative_to(pack.resolve())
    except ValueError:
        return False
    return True
