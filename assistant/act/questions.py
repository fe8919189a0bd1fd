"""Questions the assistant asks and their answers: "Are you sure?" and "Say your PIN" (the safety gate's
confirmation, with the PIN and its lockout), "Which one: ...?" and "Did you mean ...?".

A question is kept in the context (the state file) between turns; its answer continues what was asked,
then the rest of the sentence it interrupted.
"""

from __future__ import annotations

from typing import Any

from assistant.act.dialogue import Answers, Context, command_from_json, command_to_json
from assistant.act.safety import Approval, Risk, Verdict
from assistant.act.runner import Runner
from assistant.act.turn import Turn
from assistant.understand.command import Command


class Questions:
    def __init__(self, owner: Runner):
        self.owner = owner  # the assistant whose turn an answer continues
        self.answers = Answers(owner.intents.language)

    def ask_approval(self, verdict: Verdict, pending: dict[str, Any], context: Context, turn: Turn,
                      replies: list[str], rest: list[Command]) -> bool:
        """Ask "are you sure?" (or for the PIN) about exactly the risky actions; True when a question is open."""
        scene = pending.get("scene_name", "")
        if verdict.outcome == "locked":
            replies.append(self.owner.safety_words.locked(verdict.risks, verdict.until))
            turn.failed += 1
            return False
        context.pending = {**pending, "kind": "confirm", "pin": verdict.outcome == "pin",
                           "risks": [[r.intent, r.device.id] for r in verdict.risks], "rest": [command_to_json(c) for c in rest]}
        replies.append(self.owner.safety_words.question(verdict, scene))
        turn.asked = True
        return True

    def answer(self, pending: dict, text: str, context: Context, turn: Turn, replies: list[str]) -> bool:
        """Handle the reply to a pending question; False if the text is not an answer to it."""
        command = command_from_json(pending.get("command") or {})
        rest = [command_from_json(c) for c in pending.get("rest") or []]
        if pending.get("kind") == "confirm":
            return self._confirmation(pending, text, context, turn, replies)
        if pending.get("kind") == "meaning":
            if self.answers.is_cancel(text):
                replies.append(self.owner.responder.render("cancel", "pending"))
                return True
            options = [command_from_json(c) for c in pending.get("options") or []]
            chosen = self.answers.pick_reading(text, list(pending.get("phrases") or []))
            if chosen is None or chosen >= len(options):
                return False
            self.owner.run_all([options[chosen]], context, turn, replies)
            return True
        if pending.get("kind") == "choose":
            options = [self.owner.home.devices[d] for d in pending.get("options", []) if d in self.owner.home.devices]
            if self.answers.is_cancel(text):
                replies.append(self.owner.responder.render("cancel", "pending"))
                return True
            rooms = {room.id: room.names for room in self.owner.home.rooms.values()}
            chosen = [d for d in self.answers.pick(text, options, rooms) if d.supports(command.intent)]
            if not chosen:
                return False
            command.targets = [d.id for d in chosen]
            turn.commands.append(command)
            if not self.owner.act(command, chosen, context, turn, replies, rest):
                self.owner.run_all(rest, context, turn, replies)
            return True
        return False

    def _confirmation(self, pending: dict, text: str, context: Context, turn: Turn, replies: list[str]) -> bool:
        """The answer to "are you sure?" or "say your PIN"; False if it is another command instead (done next).

        Only an answer shaped like a PIN ("4711", "my pin is four seven one one") is a PIN try: digits in
        another sentence never count. During a lockout even the right PIN is refused."""
        risks = [Risk(intent, self.owner.home.devices[d]) for intent, d in pending.get("risks") or [] if d in self.owner.home.devices]
        approval: Approval = frozenset((r.intent, r.device.id) for r in risks)
        scene = pending.get("scene_name", "")
        digits = self.answers.pin_answer(text)
        if pending.get("pin") and digits is not None:
            turn.secret = True
            result = self.owner.gate.try_pin(digits)
            if result != "right":
                until = self.owner.gate.locked_until()
                turn.failed += 1
                replies.append(self.owner.safety_words.locked(risks, until) if until else
                               self.owner.safety_words.answer("wrong_pin", risks, scene))
                return True
        elif self.answers.is_yes(text) and pending.get("pin"):
            context.pending = {**pending, "asked_pin": True}  # a scene's "are you sure?" said yes: now the PIN
            replies.append(self.owner.safety_words.answer("pin_next", risks, scene))
            turn.asked = True
            return True
        elif not self.answers.is_yes(text):
            replies.append(self.owner.safety_words.answer("declined", risks, scene))
            # Another command instead of an answer ("set the bedroom to 19 degrees"): drop the question, do it.
            return not [c for c in self.owner.planner.understand(text).commands if c.intent != "cancel"]
        self._run_approved(pending, approval, context, turn, replies)
        return True

    def _run_approved(self, pending: dict, approval: Approval, context: Context, turn: Turn, replies: list[str]) -> None:
        """Do what a confirmation allowed, then the rest of the sentence it interrupted."""
        rest = [command_from_json(c) for c in pending.get("rest") or []]
        command = command_from_json(pending.get("command") or {})
        if pending.get("scene"):
            replies.append(self.owner.scenes.run(command, context, turn, [], approval=approval))
        else:
            devices = [self.owner.home.devices[d] for d in pending.get("targets", []) if d in self.owner.home.devices]
            command.targets = [d.id for d in devices]
            turn.commands.append(command)
            seen = len(turn.changes)
            replies.append(self.owner.execute(command, devices, turn, approval))
            context.remember(command, devices)
            if pending.get("lasting"):
                replies.append(self.owner.undo_later(command, int(pending["lasting"]), turn.changes[seen:]))
        self.owner.run_all(rest, context, turn, replies)
