"""The one place that wires an assistant: home, state, language, MQTT discovery, custom intents.

Every CLI command, the sentence-test runner, the benchmarks and the tests build through `build`, so
`listen` and `run` see the same devices (discovered ones included) as `chat` and `say`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.home.model import Home
    from assistant.home.state import StateStore
    from assistant.language.intents import IntentSet
    from assistant.pipeline import Assistant


@dataclass
class Options:
    """What a command was pointed at."""

    home: Path | None = None  # the home file; None: $ASSISTANT_HOME or the demo home (or, with mqtt, the broker's)
    state: Path | None = None  # the state file; None: $ASSISTANT_STATE or the user's data directory
    room: str | None = None  # the room the assistant is in, over the home file's `room:`
    intents: list[Path] = field(default_factory=list)  # extra directories of intent files
    mqtt: str | None = None  # a broker URL, over the home file's `mqtt: {url}`
    language: str | None = None  # over the home file's `language:`
    durable: bool = True  # False: no fsync (throw-away state of the sentence tests)
    builtin: bool | None = None  # False: only the home's and `intents` directories' sentences (over the home file's)


class Wiring:
    """Builds the parts once and keeps the broker connection, so a command can ask for the home
    (`devices`) or the whole assistant (`say`) and get the same devices."""

    def __init__(self, options: Options):
        self.options = options
        self.network: Any = None
        self._home: Home | None = None

    def home(self) -> Home:
        """The home file's home (loaded once), with the broker's devices when there is one."""
        if self._home is None:
            self._home = self._load_home()
        return self._home

    def _load_home(self) -> Home:
        from assistant.errors import HomeError
        from assistant.home.model import load_home

        options = self.options
        if options.home is None and options.mqtt:  # a broker and no home file: the home is what it announces
            from assistant.mqtt.session import empty_home

            home = empty_home()
        else:
            home = load_home(options.home)
        if options.mqtt or (isinstance(home.settings.get("mqtt"), dict) and home.settings["mqtt"].get("url")):
            from assistant.mqtt.session import connect

            self.network = connect(home, options.mqtt)
        if options.room is not None:
            if options.room not in home.rooms:
                raise HomeError(f"unknown room '{options.room}' (rooms: {', '.join(sorted(home.rooms))})")
            home.room = options.room
        return home

    def store(self) -> StateStore:
        from assistant.home.state import StateStore

        store = StateStore(self.options.state, durable=self.options.durable)
        store.check()  # an unusable state file is one clear line now, not a failure halfway through
        return store

    def language(self, home: Home) -> str:
        return self.options.language or str(home.settings.get("language") or "en")

    def intents(self, home: Home) -> IntentSet:
        from assistant.home.model import builtin_intents, intent_dirs
        from assistant.pipeline import load_intent_set

        builtin = builtin_intents(home) if self.options.builtin is None else self.options.builtin
        return load_intent_set(self.language(home), [*intent_dirs(home), *self.options.intents], builtin)

    def assistant(self, intents: IntentSet | None = None, store: StateStore | None = None) -> Assistant:
        """The assistant; INTENTS and STORE when the caller already has them (the sentence tests compile a
        language once for many homes, and keep one throw-away state file)."""
        from assistant.pipeline import Assistant

        home = self.home()
        intents = intents or self.intents(home)
        store = store or self.store()
        if self.network is not None:
            from assistant.mqtt.live import LiveAssistant

            return LiveAssistant(home, store, intents, self.network)
        return Assistant(home, store, intents)


def build(options: Options | None = None, **overrides: Any) -> Assistant:
    """An assistant for OPTIONS (or for the keyword options given: `build(home=path, state=path)`)."""
    return Wiring(replace(options or Options(), **overrides)).assistant()
