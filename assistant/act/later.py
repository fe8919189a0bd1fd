"""Commands for later and for a while, kept in the schedule: planned, listed, undone, reported missed.

What to do later is decided now (resolved, and through the safety gate); this keeps it and says so.
"""

from __future__ import annotations

import datetime
import re

from assistant import clock
from assistant.act.dialogue import Context, command_to_json
from assistant.act.plan import Planner
from assistant.act.resolve import DEVICELESS
from assistant.act.safety import Verdict
from assistant.act.scenes import scene_actions
from assistant.act.turn import Turn
from assistant.act.safety import Gate
from assistant.act.schedule import Schedule
from assistant.adapters import Change
from assistant.home.model import Device, Home
from assistant.language.times import seconds_until
from assistant.reply.describe import duration_words, spoken_time
from assistant.reply.problems import problem_words
from assistant.reply.respond import Responder
from assistant.reply.safety import SafetyWords
from assistant.understand.command import Command

# What undoes a command done "for 20 minutes"; how it is said is the `_undo` responses.
UNDO = {"turn_on": "turn_off", "turn_off": "turn_on", "open": "close", "close": "open", "start": "stop",
        "lock": "unlock", "unlock": "lock", "media_play": "media_pause", "media_pause": "media_play"}


class Later:
    def __init__(self, schedule: Schedule, gate: Gate, responder: Responder, safety_words: SafetyWords,
                 planner: Planner, home: Home):
        self.schedule = schedule
        self.gate = gate
        self.responder = responder
        self.safety_words = safety_words
        self.planner = planner
        self.home = home

    def keep(self, command: Command, context: Context, turn: Turn) -> str:
        """ "turn off the lights in 10 minutes": resolved now (so "it" keeps its meaning), done later."""
        slots = {k: v for k, v in command.slots.items() if k not in ("delay", "at")}
        later = Command(command.intent, slots, command.confidence, command.match, command.meant_text())
        targets: list[str] = []
        if later.intent == "run_scene":
            scene = self.home.scenes.get(str(later.slots.get("scene")))
            verdict = self.gate.check(scene_actions(scene, self.home), later=True) if scene else Verdict("go")
            if verdict.outcome != "go":
                turn.failed += 1
                return self.safety_words.refusal(verdict, "risky_scene", scene.name)
        elif command.intent not in DEVICELESS:
            resolution = self.planner.resolve(later, context)  # a twin reading too: "open the front door" is unlock
            if resolution.choices:
                return self.responder.render("_schedule", "choose", question=problem_words(self.responder.language).choice(resolution))
            if resolution.problem:
                return problem_words(self.responder.language).resolution(resolution)
            verdict = self.gate.check([(later.intent, resolution.devices)], later=True)
            if verdict.outcome != "go":
                turn.failed += 1
                return self.safety_words.refusal(verdict)
            targets = command.targets = [d.id for d in resolution.devices]
            context.remember(later, resolution.devices)
            # "turn it off in 30 minutes": said back and listed later as "turn the fan off"
            later.text = re.sub(rf"\b({'|'.join(self.planner.references)})\b", self.responder.targets(resolution.devices),
                                later.text, count=1)
        if "delay" in command.slots:
            return self.plan(later, int(command.slots["delay"]), targets)
        at = command.slots["at"]
        return self.plan(later, seconds_until(at), targets, at=at)

    def plan(self, later: Command, seconds: float, targets: list[str], at: str = "") -> str:
        """Keep LATER to be done SECONDS from now (or at the time of day AT, "21:00"), and say so."""
        language = self.responder.language
        when = (self.responder.phrase("_schedule", "when_at", time=spoken_time(at, language)) if at else
                self.responder.phrase("_schedule", "when_in", duration=duration_words(seconds, language)))
        self.schedule.add(command_to_json(later), clock.now() + seconds, when, targets, at_time=bool(at))
        return self.responder.render("_schedule", "default", when=when, text=later.text)

    def undo(self, command: Command, seconds: int, changes: list[Change], devices: list[Device]) -> str:
        """Plan the opposite of what COMMAND changed on DEVICES, SECONDS from now; a risky opposite is never
        planned. "" when nothing changed: "for 20 minutes" must not later undo what the user did not ask."""
        changed = {c.device for c in changes if c.changed()}
        devices = [d for d in devices if d.id in changed]
        if not devices or command.intent not in UNDO:
            return ""
        undo = UNDO[command.intent]
        verdict = self.gate.check([(undo, devices)], later=True)
        if verdict.outcome != "go":
            return self.safety_words.refusal(verdict, "risky_undo")
        later = Command(undo, {}, text=self.responder.phrase("_undo", undo, targets=self.responder.targets(devices)))
        return self.plan(later, seconds, [d.id for d in devices])

    def listing(self, cancel: bool) -> str:
        """ "what's scheduled", "cancel the scheduled actions" """
        entries = self.schedule.pending()
        if not entries:
            return self.responder.render("_schedule", "none")
        if cancel:
            count = self.schedule.clear()
            return self.responder.render("_schedule", "cleared_one" if count == 1 else "cleared", count=count)
        now = clock.now()
        # asked for a time of day ("at 9 PM"): listed so; asked for a delay: the time left, in whole
        # minutes once it is more than a couple ("in 10 minutes", not "in 9 minutes and 57 seconds")
        items = [self.responder.phrase("_schedule", "item", text=(e.get("command") or {}).get("text", ""),
                                       when=e["when"] if _at_time(e) else self.responder.phrase(
                                           "_schedule", "when_in", duration=_time_left(float(e["due"]) - now, self.responder.language)))
                 for e in sorted(entries, key=lambda e: float(e["due"]))]
        return self.responder.render("_schedule", "list", items=self.responder.join(items))

    def missed(self, entry: dict) -> str:
        """One that came due while nothing was running: reported, not done late."""
        text = (entry.get("command") or {}).get("text", "")
        due_at = datetime.datetime.fromtimestamp(float(entry["due"])).strftime("%H:%M")
        return self.responder.render("_schedule", "missed", at=spoken_time(due_at, self.responder.language), text=text)


def _at_time(entry: dict) -> bool:
    """Was it asked for at a time of day? (Entries kept before `at_time` existed said so by their words.)"""
    return bool(entry.get("at_time", str(entry.get("when", "")).startswith("at ")))


def _time_left(seconds: float, language: str) -> str:
    seconds = max(0.0, seconds)
    return duration_words(round(seconds / 60) * 60 if seconds >= 120 else seconds, language)
