"""Text commands: say, parse, chat."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console

from assistant.cli.app import HomeOption, IntentsOption, JsonOption, MqttOption, RoomOption, Setup, StateOption, app
from assistant.speech.tts import Speaker

SpeakOption = Annotated[bool, typer.Option("--speak/--no-speak", help="Speak replies aloud.")]


@app.command()
def say(
    text: Annotated[str, typer.Argument(help="What you would say to the assistant.")],
    json_out: JsonOption = False,
    speak: SpeakOption = False,
    home: HomeOption = None,
    state: StateOption = None,
    room: RoomOption = None,
    intents: IntentsOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Do what TEXT asks and print the reply."""
    assistant = Setup(home, state, room, intents, mqtt).assistant()
    try:
        turn = assistant.handle(text)
    finally:
        assistant.close()
    if json_out:
        typer.echo(json.dumps(turn.to_json(), ensure_ascii=False))
    else:
        typer.echo(turn.reply)
    if speak:
        Speaker().say(turn.reply)
    if not turn.commands:
        raise typer.Exit(1)


@app.command()
def parse(
    text: Annotated[Optional[str], typer.Argument(help="Text to understand; without it, lines from stdin.")] = None,
    json_out: JsonOption = False,
    home: HomeOption = None,
    state: StateOption = None,
    room: RoomOption = None,
    intents: IntentsOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Show what TEXT means (intent, slots, target devices) without changing any device."""
    assistant = Setup(home, state, room, intents, mqtt).assistant()
    lines = [text] if text is not None else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        if not line.strip() and text is None:
            continue
        commands = assistant.parse(line)
        result = {"text": line, "commands": [c.to_json() for c in commands]}
        if json_out:
            typer.echo(json.dumps(result, ensure_ascii=False))
        elif not commands:
            typer.echo(f"{line}: (not understood)")
        else:
            for c in commands:
                slots = " ".join(f"{k}={v}" for k, v in c.slots.items())
                typer.echo(f"{line}: {c.intent} {slots} -> {', '.join(c.targets) or '-'} ({c.match} {c.confidence:.2f})")


EXIT_WORDS = {"exit", "quit", "bye", "goodbye", "/exit", "/quit"}


@app.command()
def chat(
    speak: SpeakOption = False,
    home: HomeOption = None,
    state: StateOption = None,
    room: RoomOption = None,
    intents: IntentsOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Talk to the assistant by typing (history with the arrow keys; 'exit' or Ctrl-D to leave)."""
    console = Console(highlight=False)
    from assistant.errors import AssistantError

    try:
        assistant = Setup(home, state, room, intents, mqtt).assistant()
    except AssistantError as exc:  # e.g. no broker: say so as the assistant would, then leave
        console.print(f"Sorry, {str(exc)[:1].lower()}{str(exc)[1:]}.", soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    speaker = Speaker() if speak else None
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    ask = _prompt_session() if interactive else _plain_reader()
    where = assistant.home.settings.get("name") or (assistant.home.path.name if assistant.home.path else "home")
    console.print(f"[bold]Assistant[/bold] on {where} ({len(assistant.home.devices)} devices). "
                  "Type a command, 'help' for ideas, 'exit' to leave.")
    try:
        while True:
            try:
                line = ask()
            except (EOFError, KeyboardInterrupt):
                break
            if line is None:
                break
            line = line.strip()
            if not line:
                continue
            if line.lower() in EXIT_WORDS:
                break
            from assistant.errors import AssistantError

            try:
                reply = assistant.handle(line).reply
            except AssistantError as exc:
                reply = f"Sorry, {str(exc)[:1].lower()}{str(exc)[1:]}"
            console.print(f"[cyan]{reply}[/cyan]" if interactive else reply)
            if speaker:
                speaker.say(reply)
    finally:
        assistant.close()


def _prompt_session():
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    from assistant.paths import history_path

    session = PromptSession(history=FileHistory(str(history_path())))
    return lambda: session.prompt("you> ")


def _plain_reader():
    def read() -> Optional[str]:
        sys.stdout.write("you> ")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            sys.stdout.write("\n")
            return None
        return line

    return read
