"""One utterance through the pipeline: understand -> resolve -> execute -> reply.

Around that core, the dialogue (assistant/act/dialogue.py) supplies context for follow-ups and keeps
pending questions (which device? are you sure?) between turns; timers, time, scenes, help and
custom intents are answered here without a device.
"""

from __future__ import annotations

from pathlib import Path

from assistant.act.deviceless import Deviceless, custom_reply
from assistant.act.dialogue import REPEAT, SET_VALUE, Context, command_from_json, command_to_json
from assistant.act.execute import Executor
from assistant.act.later import Later
from assistant.act.plan import Planner
from assistant.act.questions import Questions
from assistant.act.resolve import ABILITY, DEVICELESS, _as_list
from assistant.act.scenes import Scenes
from assistant.act.safety import NO_APPROVAL, Approval, Gate
from assistant.act.schedule import Schedule
from assistant.act.timers import Timers
from assistant.act.turn import Turn
from assistant.adapters import AdapterRegistry, Change
from assistant.home.model import Device, Home
from assistant.home.state import StateStore
from assistant.language.intents import IntentSet
from assistant.language.intents_cache import loaded_intents
from assistant.reply.describe import duration_words
from assistant.reply.problems import problem_words
from assistant.reply.respond import Responder
from assistant.reply.results import ResultWords
from assistant.reply.safety import SafetyWords
from assistant.reply.timers import timer_words
from assistant.resources import intents_dir
from assistant.understand.command import Command
from assistant.understand.engine import FALLBACK_PREFIX, Understanding


def custom_intent_dirs() -> list[Path]:
    """The user's own intent files: `<config dir>/intents`, when it exists."""
    from assistant.paths import config_dir

    directory = config_dir() / "intents"
    return [directory] if directory.is_dir() else []


def load_intent_set(language: str = "en", extra: list[Path] | None = None, builtin: bool = True) -> IntentSet:
    """The language pack and the user's own intents; without `builtin`, only the user's own sentences
    (the pack still lends its lists, rules and replies)."""
    return loaded_intents([intents_dir(language), *custom_intent_dirs(), *(extra or [])], pack_sentences=builtin)


class Assistant:
    def __init__(self, home: Home, store: StateStore, intents: IntentSet):
        """Built by assistant/app.py `build`: the intents are the home's language's, never a silent default."""
        self.home = home
        self.store = store
        self.intents = intents
        self.planner = Planner(home, intents, Timers(store))
        self.responder = Responder(self.intents.responses, self.intents.language)
        self.problems = problem_words(self.intents.language)
        self.safety_words = SafetyWords(self.responder)
        self.words = ResultWords(self.responder, home, lambda c: self.planner.resolver.kind_word(c, _as_list(c.slots.get("type"))))
        self.use_store(store)

    def home_changed(self) -> None:
        """The home gained or lost devices (e.g. by discovery): names and rooms are looked up afresh."""
        self.planner.home_changed()

    def use_store(self, store: StateStore) -> None:
        """Point the assistant at another state file (sentence tests reuse one compiled assistant)."""
        self.store = store
        self.adapters = AdapterRegistry(self.home, store, self.home.settings.get("adapters"))
        self.timers = Timers(store)
        self.planner.timers = self.timers
        self.schedule = Schedule(store)
        self.gate = Gate(self.home, store)
        self.later = Later(self.schedule, self.gate, self.responder, self.safety_words, self.planner, self.home)
        self.questions = Questions(self)
        self.scenes = Scenes(self)
        self.deviceless = Deviceless(self.home, self.intents.language, self.timers, self.later, self.responder)
        self.executor = Executor(self.adapters, self.gate)

    def announcements(self) -> list[str]:
        """What to say unprompted now: timers that ran out, alarms whose time came, scheduled commands done."""
        words = timer_words(self.intents.language)
        said = [self.responder.render("timer_done", outcome, **words.fields(facts)) for outcome, facts in self.timers.ring()]
        due, missed = self.schedule.take_due()
        said.extend(self.later.missed(entry) for entry in missed)
        for entry in due:
            command = command_from_json(entry.get("command") or {})
            devices = [self.home.devices[d] for d in entry.get("targets") or [] if d in self.home.devices]
            turn = Turn(command.text)
            if command.intent == "run_scene":
                said.append(self.scenes.run(command, Context(), turn, [], later=True))
            elif command.intent in DEVICELESS:
                said.append(self.deviceless.answer(command))
            elif devices:
                verdict = self.gate.check([(command.intent, devices)], later=True)
                # kept by an older version, or the device became risky since: still never done unasked
                said.append(self.execute(command, devices, turn) if verdict.outcome == "go" else
                            self.safety_words.refusal(verdict, "refused_due"))
        return [text for text in said if text]

    def _for_a_while(self, command: Command, context: Context, turn: Turn, replies: list[str],
                     rest: list[Command]) -> bool:
        """ "turn on the fan for 20 minutes": done now, and the opposite scheduled for then."""
        lasting = command.slots.pop("lasting")
        seen = len(turn.changes)
        try:
            if self._run(command, context, turn, replies, rest):
                if context.pending and context.pending.get("kind") == "confirm":
                    context.pending["lasting"] = int(lasting)  # undone then, once confirmed now
                return True
        finally:
            command.slots["lasting"] = lasting  # what was understood stays in the turn's commands
        replies.append(self.undo_later(command, int(lasting), turn.changes[seen:]))
        return False

    def undo_later(self, command: Command, seconds: int, changes: list[Change]) -> str:
        return self.later.undo(command, seconds, changes, [self.home.devices[d] for d in command.targets if d in self.home.devices])

    def close(self) -> None:
        self.adapters.close()

    # -- understanding (no device changes) -------------------------------------------------

    def parse(self, text: str) -> list[Command]:
        context = Context.load(self.store)
        commands = []
        understanding = self.planner.settle(self.planner.understand(text, context), context)
        for command in understanding.commands:
            if command.intent.startswith(FALLBACK_PREFIX):
                continue  # "turn on the toaster" in a longer sentence: nothing to do, nothing to report
            command = self.planner.complete(command, context)
            if command.intent in (REPEAT, SET_VALUE):
                continue  # a fragment ("and the bedroom too") with nothing to follow up: not a command
            resolution = self.planner.resolve(command, context)
            command.targets = [d.id for d in resolution.devices]
            if command.targets:
                context.devices = command.targets
            context.intent, context.slots = command.intent, dict(command.slots)
            commands.append(command)
        return commands

    # -- doing ------------------------------------------------------------------------------

    def handle(self, text: str) -> Turn:
        turn = self._handle(text)
        if turn.secret:  # a PIN try, right or wrong, is never shown again (and masking only the right one would tell)
            turn.text = "****"
        return turn

    def awaiting_pin(self) -> bool:
        """Is the next answer a PIN? (`chat` then hides what is typed and keeps it out of its history.)"""
        pending = Context.load(self.store).pending or {}
        return pending.get("kind") == "confirm" and bool(pending.get("pin"))

    def _handle(self, text: str) -> Turn:
        turn = Turn(text)
        context = Context.load(self.store)
        pending, context.pending = context.pending, None
        replies: list[str] = []
        if pending and self.questions.answer(pending, text, context, turn, replies):
            context.save(self.store)
            turn.reply = " ".join(r for r in replies if r)
            return turn
        understanding = self.planner.settle(self.planner.understand(text, context), context)
        commands = understanding.commands
        if not commands and understanding.ambiguous:
            options = understanding.ambiguous[:3]
            phrases = [c.meant_text() for c in options]
            context.pending = {"kind": "meaning", "options": [command_to_json(c) for c in options], "phrases": phrases}
            context.save(self.store)
            turn.asked = True
            turn.reply = self.responder.render("_dialogue", "which_meaning", options=self.responder.join(phrases, "or"))
            return turn
        if not commands:
            turn.reply = self._not_understood(understanding)
            if pending:
                context.save(self.store)  # the question is dropped
            return turn
        if any(c.intent == "cancel" for c in commands) and pending:
            replies.append(self.responder.render("cancel", "pending"))
            commands = [c for c in commands if c.intent != "cancel"]
        self.run_all(commands, context, turn, replies)
        context.save(self.store)
        turn.reply = " ".join(r for r in replies if r)
        return turn

    def _not_understood(self, understanding: Understanding) -> str:
        if understanding.too_long:
            return self.responder.render("_dialogue", "too_long")
        return self._unknown(understanding.fallback[0]) if understanding.fallback else self._not_caught()

    def _not_caught(self) -> str:
        return self.responder.render("_dialogue", "not_understood")

    def _unknown(self, command: Command) -> str:
        """ "I don't know a device called toaster." """
        fields = {k: v for k, v in command.slots.items() if isinstance(v, str)}
        if any(self._names_known(v) for v in fields.values()):
            return self._not_caught()  # "unlock the front door with pin 4711" is not about an unknown device: don't echo it
        return self.responder.render(command.intent, **fields)

    def _names_known(self, text: str) -> bool:
        """Does `text` contain the name of a device or room of the home?"""
        padded = f" {text.lower()} "
        return any(f" {' '.join(words)} " in padded
                   for name in ("name", "area") if name in self.planner.lists for words, _ in self.planner.lists[name].values)

    def run_all(self, commands: list[Command], context: Context, turn: Turn, replies: list[str]) -> None:
        timers: list[tuple[int, int]] = []  # (reply, seconds) of each plain timer set in this breath
        for i, command in enumerate(commands):
            if command.intent.startswith(FALLBACK_PREFIX):
                replies.append(self._unknown(command))
                continue
            command = self.planner.complete(command, context)
            if command.intent not in (REPEAT, SET_VALUE):  # an unfollowed fragment is not a command
                turn.commands.append(command)
            before = len(replies)
            asked = self._run(command, context, turn, replies, rest=commands[i + 1 :])
            if _plain_timer(command) and len(replies) == before + 1:
                timers.append((before, int(command.slots["duration"])))
            if asked:
                break
        if len(timers) > 1:  # "Timers set for 5 minutes and 10 minutes.", not one sentence each
            lengths = [duration_words(s, self.intents.language) for _, s in timers]
            replies[timers[0][0]] = self.responder.render(
                "start_timer", "several" if len(set(lengths)) > 1 else "several_same",
                durations=self.responder.join(lengths), duration=lengths[0], count=len(lengths))
            for index, _ in reversed(timers[1:]):
                del replies[index]

    def _run(self, command: Command, context: Context, turn: Turn, replies: list[str], rest: list[Command]) -> bool:
        """Run one command; True when it asked a question (the rest waits for the answer)."""
        intent = command.intent
        if intent in (REPEAT, SET_VALUE):  # a lone "10 minutes" with no timer before it names no device either
            replies.append(self._not_caught() if "duration" in command.slots else self.responder.render("_dialogue", "no_context"))
            return False
        if "delay" in command.slots or "at" in command.slots:
            replies.append(self.later.keep(command, context, turn))
            return False
        if "lasting" in command.slots:
            return self._for_a_while(command, context, turn, replies, rest)
        if intent == "run_scene":
            replies.append(self.scenes.run(command, context, turn, rest))
            return turn.asked
        if intent in DEVICELESS:
            replies.append(self.deviceless.answer(command))
            context.intent, context.slots = intent, dict(command.slots)
            return False
        if intent not in ABILITY:
            replies.append(custom_reply(command, context, self.planner.resolver, self.responder))
            return False
        resolution = self.planner.resolve(command, context)
        if resolution.choices:
            context.pending = {"kind": "choose", "command": command_to_json(command),
                               "options": [d.id for d in resolution.choices], "rest": [command_to_json(c) for c in rest]}
            replies.append(self.problems.choice(resolution))
            turn.asked = True
            return True
        command.targets = [d.id for d in resolution.devices]
        if resolution.problem:  # "The floor lamp can't dim."
            replies.append(self.problems.resolution(resolution))
            turn.failed += 1
            return False
        return self.act(command, resolution.devices, context, turn, replies, rest)

    def act(self, command: Command, devices: list[Device], context: Context, turn: Turn, replies: list[str],
             rest: list[Command]) -> bool:
        verdict = self.gate.check([(command.intent, devices)])
        if verdict.outcome == "go":
            replies.append(self.execute(command, devices, turn))
            context.remember(command, devices)
            return False
        pending = {"command": command_to_json(command), "targets": [d.id for d in devices]}
        return self.questions.ask_approval(verdict, pending, context, turn, replies, rest)


    # -- device commands -------------------------------------------------------------------

    def execute(self, command: Command, devices: list[Device], turn: Turn, approval: Approval = NO_APPROVAL) -> str:
        result = self.executor.run(command, devices, approval)
        turn.changes.extend(result.changes)
        turn.failed += result.nothing_done
        return self.words.say(result)


def _plain_timer(command: Command) -> bool:
    """A timer with a duration and nothing else: no name, no alarm time, nothing for later."""
    return command.intent == "start_timer" and bool(command.slots.get("duration")) and not any(
        command.slots.get(k) for k in ("timer", "time", "alarm", "delay", "at", "lasting"))
