"""The typer application and the options every command shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant import __version__

app = typer.Typer(
    name="assistant",
    help="An offline voice assistant for the home: speak or type, it understands and acts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def echo(text: str) -> None:
    """Print a line of the assistant's words as they are: a name holding terminal codes ("\x1b[2J")
    shows them as escapes instead of clearing the screen."""
    from assistant.errors import printable

    typer.echo(printable(text))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"assistant {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """An offline voice assistant for the home."""


HomeOption = Annotated[
    Optional[Path],
    typer.Option("--home", envvar="ASSISTANT_HOME", help="Home file (YAML); default: the built-in demo home."),
]
StateOption = Annotated[
    Optional[Path],
    typer.Option("--state", envvar="ASSISTANT_STATE", help="State file for simulated devices, timers and context."),
]
RoomOption = Annotated[
    Optional[str], typer.Option("--room", help="The room the assistant is in (a room id of the home).")
]
IntentsOption = Annotated[
    Optional[list[Path]], typer.Option("--intents", help="Extra directory of custom intent YAML files.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
MqttOption = Annotated[
    Optional[str],
    typer.Option("--mqtt", envvar="ASSISTANT_MQTT", metavar="URL",
                 help="MQTT broker (mqtt://[user@]host:port or mqtts://...): its discovered devices join the home; "
                      "without --home, they are the home. Password: ASSISTANT_MQTT_PASSWORD."),
]


@dataclass
class Setup:
    """What a command was pointed at: home, state, room, extra intents, MQTT broker."""

    home: Optional[Path] = None
    state: Optional[Path] = None
    room: Optional[str] = None
    intents: Optional[list[Path]] = None
    mqtt: Optional[str] = None
    network: object = field(default=None, init=False, repr=False)

    def load_home(self):
        from assistant.errors import HomeError
        from assistant.home.model import load_home

        if self.home is None and self.mqtt:  # a broker and no home file: the home is what it announces
            from assistant.mqtt.session import empty_home

            home = empty_home()
        else:
            home = load_home(self.home)
        if self.network is not None:
            from assistant.mqtt.session import use

            self.network.join(home)
            use(self.network, home)
        elif self.mqtt or (isinstance(home.settings.get("mqtt"), dict) and home.settings["mqtt"].get("url")):
            from assistant.mqtt.session import connect

            self.network = connect(home, self.mqtt)
        if self.room is not None:
            if self.room not in home.rooms:
                raise HomeError(f"unknown room '{self.room}' (rooms: {', '.join(sorted(home.rooms))})")
            home.room = self.room
        return home

    def store(self):
        from assistant.home.state import StateStore

        store = StateStore(self.state)
        store.check()  # an unusable state file is one clear line now, not a failure halfway through
        return store

    def assistant(self):
        from assistant.pipeline import Assistant, load_intent_set

        home = self.load_home()
        intents = load_intent_set(home.settings.get("language", "en"), self.intents)
        if self.network is not None:
            from assistant.mqtt.live import LiveAssistant

            return LiveAssistant(home, self.store(), intents, self.network)
        return Assistant(home, self.store(), intents)
