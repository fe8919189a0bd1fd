"""The typer application and the options every command shares."""

from __future__ import annotations

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
BuiltinOption = Annotated[
    Optional[bool],
    typer.Option("--builtin/--no-builtin",
                 help="--no-builtin: understand only the --intents and home file's own sentences (default: as the home file says)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
MqttOption = Annotated[
    Optional[str],
    typer.Option("--mqtt", envvar="ASSISTANT_MQTT", metavar="URL",
                 help="MQTT broker (mqtt://[user@]host:port or mqtts://...): its discovered devices join the home; "
                      "without --home, they are the home. Password: ASSISTANT_MQTT_PASSWORD."),
]


def wiring(home: Optional[Path] = None, state: Optional[Path] = None, room: Optional[str] = None,
           intents: Optional[list[Path]] = None, mqtt: Optional[str] = None, language: Optional[str] = None,
           builtin: Optional[bool] = None):
    """The builder (assistant/app.py) for the options a command was given."""
    from assistant.app import Options, Wiring

    return Wiring(Options(home, state, room, list(intents or []), mqtt, language, builtin=builtin))
