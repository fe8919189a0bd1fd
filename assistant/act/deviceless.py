"""What is answered without a device: timers and alarms, the time and date, help, cancel, what is
scheduled, and a user's own intents."""

from __future__ import annotations

import datetime

from assistant import clock
from assistant.act.dialogue import Context
from assistant.act.later import Later
from assistant.act.resolve import Resolver
from assistant.act.timers import Timers
from assistant.home.model import Device, Home
from assistant.reply.respond import Responder
from assistant.reply.timers import timer_words
from assistant.understand.command import Command

TIMER_INTENTS = {"start_timer", "cancel_timer", "timer_status", "pause_timer", "resume_timer", "extend_timer",
                 "shorten_timer"}


class Deviceless:
    def __init__(self, home: Home, language: str, timers: Timers, later: Later, responder: Responder):
        self.home = home
        self.language = language
        self.timers = timers
        self.later = later
        self.responder = responder

    def answer(self, command: Command) -> str:
        intent, slots = command.intent, command.slots
        if intent in TIMER_INTENTS and slots.get("scheduled"):
            return self.later.listing(cancel=intent == "cancel_timer")
        if intent in TIMER_INTENTS:
            outcome, facts = self.timers.run(intent, slots)
            return self.responder.render(intent, outcome, **timer_words(self.language).fields(facts))
        if intent in ("get_time", "get_date"):
            return self.responder.render(intent, **self._now())
        if intent == "help":
            return self._help()
        return self.responder.render("cancel", "default")

    def _now(self) -> dict[str, str]:
        """The time and date as the language writes them (CLDR, through Babel: "10:13 PM", "오후 10:13")."""
        from babel.dates import format_date, format_time

        now = datetime.datetime.fromtimestamp(clock.now())
        spaced = {"\u202f": " ", "\u00a0": " "}  # CLDR's narrow spaces read as plain ones in a terminal
        time = format_time(now, "short", locale=self.language).translate(str.maketrans(spaced))
        return {"time": time, "date": format_date(now, "full", locale=self.language),
                "weekday": format_date(now, "EEEE", locale=self.language)}

    def _help(self) -> str:
        kinds = sorted({d.type for d in self.home.devices.values() if d.type != "sensor"})
        words = [self.responder.words.kind_name(k) for k in kinds]  # "air conditioner"; Korean "에어컨"
        scenes = [s.name for s in self.home.scenes.values()]
        example = next(iter(self.home.devices.values()), None)
        return self.responder.render(
            "help", "default" if scenes else "no_scenes", count=len(self.home.devices), rooms=len(self.home.rooms),
            kinds=self.responder.join(words),
            scenes=self.responder.join([f'"{s}"' for s in scenes], "or"),
            example=self.responder.phrase("help", "example", name=example.name.lower()) if example else
            self.responder.phrase("help", "example_none"),
        )


def custom_reply(command: Command, context: Context, resolver: Resolver, responder: Responder) -> str:
    """A user's own intent: reply from its response template, with the slot values filled in."""
    devices: list[Device] = []
    if any(k in command.slots for k in ("name", "area", "type", "floor")):
        devices = resolver.resolve(command, context.devices).devices
        command.targets = [d.id for d in devices]
    fields = {k: v for k, v in command.slots.items() if isinstance(v, (str, int, float))}
    return responder.render(command.intent, "default", devices or None, **fields)
