"""The safety gate's words: the risky actions named ("unlock the front door and open the garage door"),
why something is not kept for later, and how long a lockout lasts."""

from __future__ import annotations

from assistant import clock
from assistant.act.safety import Risk, Verdict
from assistant.home.model import Device
from assistant.reply.describe import duration_words
from assistant.reply.respond import Responder


class SafetyWords:
    def __init__(self, responder: Responder):
        self.responder = responder

    def actions(self, risks: list[Risk]) -> str:
        """ "unlock the front door and open the garage door" """
        by_intent: dict[str, list[Device]] = {}
        for risk in risks:
            by_intent.setdefault(risk.intent, []).append(risk.device)
        words = self.responder.words  # "move the garage door", not "set a position the garage door"
        return words.join([words.action(i, d) for i, d in by_intent.items()])

    def refusal(self, verdict: Verdict, outcome: str = "risky", scene: str = "") -> str:
        """Why risky actions are not kept for later (or were not done when their time came)."""
        return self.responder.render("_schedule", outcome, actions=self.actions(verdict.risks), scene=scene)

    def question(self, verdict: Verdict, scene: str = "") -> str:
        """ "Say your PIN to unlock the front door.", "Leaving will ... Are you sure?" """
        return self.responder.render("_dialogue", "scene" if scene else verdict.outcome, scene=scene,
                                     actions=self.actions(verdict.risks))

    def locked(self, risks: list[Risk], until: float) -> str:
        wait = duration_words(max(60, round((until - clock.now()) / 60) * 60), self.responder.language)
        return self.responder.render("_dialogue", "locked", actions=self.actions(risks), wait=wait)

    def answer(self, outcome: str, risks: list[Risk], scene: str = "") -> str:
        """A reply to an answer: "declined", "wrong_pin", "pin_next"."""
        return self.responder.render("_dialogue", outcome, actions=self.actions(risks), scene=scene)
