"""Text commands: say, parse, chat."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Optional

import typer

from assistant.cli.app import BuiltinOption, HomeOption, IntentsOption, JsonOption, MqttOption, RoomOption, StateOption, app, echo, wiring
from assistant.cli.bell import TimerBell
from assistant.errors import DeviceError
from assistant.language.words import load_words
from assistant.reply.fields import fill
from assistant.speech.tts import Speaker
from assistant.understand.engine import MAX_CHARS, MAX_WORDS, too_long

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
    builtin: BuiltinOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Do what TEXT asks and print the reply."""
    assistant = wiring(home, state, room, intents, mqtt, builtin=builtin).assistant()
    try:
        turn = assistant.handle(text)
    finally:
        assistant.close()
    if json_out:
        typer.echo(json.dumps(turn.to_json(), ensure_ascii=False))
    else:
        echo(turn.reply)
    if speak:
        Speaker().say(turn.reply)
    if turn.nothing_done:  # the reply says why (a device offline, a value it cannot take, a wrong PIN)
        raise typer.Exit(DeviceError.exit_code)
    if not turn.commands and not turn.asked:
        raise typer.Exit(1)


@app.command()
def parse(
    text: Annotated[Optional[str], typer.Argument(help="Text to understand; without it, lines from stdin.")] = None,
    json_out: JsonOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show why: the template or fuzzy corrections, scores, rejected readings.")
    ] = False,
    home: HomeOption = None,
    state: StateOption = None,
    room: RoomOption = None,
    intents: IntentsOption = None,
    builtin: BuiltinOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Show what TEXT means (intent, slots, target devices) without changing any device."""
    assistant = wiring(home, state, room, intents, mqtt, builtin=builtin).assistant()
    lines = [text] if text is not None else (line.rstrip("\n") for line in sys.stdin)
    refused = False
    for number, line in enumerate(lines, 1):
        if not line.strip() and text is None:
            continue
        if too_long(line):  # refused before it is read: a 1 MB line took seconds
            refused = True
            where = "the text" if text is not None else f"line {number}"
            print(f"assistant: {where} is too long for a command ({len(line):,} characters, {_words(line)} words; "
                  f"at most {MAX_CHARS:,} and {MAX_WORDS}): not read", file=sys.stderr)
            if json_out:
                typer.echo(json.dumps({"text": line, "commands": []}, ensure_ascii=False))
            continue
        if explain:
            _explain(assistant, line, json_out)
            continue
        commands = assistant.parse(line)
        result = {"text": line, "commands": [c.to_json() for c in commands]}
        if json_out:
            typer.echo(json.dumps(result, ensure_ascii=False))
        elif not commands:
            echo(f"{line}: (not understood)")
        else:
            for c in commands:
                slots = " ".join(f"{k}={v}" for k, v in c.slots.items())
                echo(f"{line}: {c.intent} {slots} -> {', '.join(c.targets) or '-'} ({c.match} {c.confidence:.2f})")
    if refused:
        raise typer.Exit(1)


def _words(line: str) -> str:
    count = len(line.split(maxsplit=MAX_WORDS))
    return f"{MAX_WORDS}+" if count > MAX_WORDS else str(count)


def _explain(assistant, line: str, json_out: bool) -> None:
    """Why TEXT means what it means: the template or the fuzzy corrections, and what lost."""
    understanding = assistant.planner.understander.understand(line)
    commands = assistant.parse(line)
    if json_out:
        result = {
            "text": line,
            "commands": [{**c.to_json(), "explain": c.explanation} for c in commands],
            "ambiguous": [{**c.to_json(), "explain": c.explanation} for c in understanding.ambiguous],
            "rejected": [{**c.to_json(), "explain": c.explanation} for c in understanding.rejected],
        }
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    echo(f"{line!r} -> words: {' '.join(understanding.tokens) or '(none)'}")
    for c in commands:
        echo(f"  {c.intent} {_slots(c.slots)} -> {', '.join(c.targets) or '-'}")
        for why in _why(c.explanation):
            echo(f"    {why}")
    if understanding.ambiguous:
        echo("  ambiguous: near-equal readings, the assistant would ask which one")
        for c in understanding.ambiguous:
            echo(f"    {c.intent} {_slots(c.slots)} ({c.confidence:.2f})")
    if not commands and not understanding.ambiguous:
        echo("  not understood: no template matches, and no fuzzy reading is good enough")
        for c in understanding.rejected:
            echo(f"    {c.intent} {_slots(c.slots)} confidence {c.confidence:.2f} < "
                       f"{c.explanation.get('threshold', 0):.2f}; {_corrections(c.explanation)}")


def _slots(slots: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in slots.items())


def _corrections(explanation: dict) -> str:
    edits = explanation.get("corrections", [])
    parts = []
    for e in edits:
        if e["kind"].startswith("skipped"):
            parts.append(f"{e['kind']} {e['heard']!r}")
        elif e["kind"] == "not heard":
            parts.append(f"assumed {e['used']!r}")
        else:
            parts.append(f"{e['heard']!r} {e['kind']} {e['used']!r}")
        parts[-1] += f" (+{e['cost']:.2f})"
    return ", ".join(parts) or "no corrections"


def _why(explanation: dict) -> list[str]:
    lines = [f"{explanation.get('match')} match: template {explanation.get('template')!r} in {explanation.get('source')}"]
    if explanation.get("match") == "fuzzy":
        lines.append(f"corrections: {_corrections(explanation)}; cost {explanation['cost']:.2f}")
    lines.append(f"slots from words: {explanation.get('slots') or '-'}")
    for r in explanation.get("rejected", []):
        score = f" ({r['confidence']:.2f})" if "confidence" in r else ""
        why = r.get("why") or _corrections(r)
        lines.append(f"rejected: {r['intent']} {_slots(r['slots'])}{score}: {why}")
    return lines


@app.command()
def chat(
    speak: SpeakOption = False,
    home: HomeOption = None,
    state: StateOption = None,
    room: RoomOption = None,
    intents: IntentsOption = None,
    builtin: BuiltinOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Talk to the assistant by typing (history with the arrow keys; 'exit' or Ctrl-D to leave)."""
    from rich.console import Console  # not at import time: `say` and `parse` do not need rich

    console = Console(highlight=False)
    from assistant.errors import AssistantError

    try:
        assistant = wiring(home, state, room, intents, mqtt, builtin=builtin).assistant()
    except AssistantError as exc:  # e.g. no broker: say so as the assistant would, then leave
        _show(console, _sorry(exc, "en") + ".")
        raise typer.Exit(exc.exit_code) from None
    speaker = Speaker() if speak else None
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    ask = _prompt_session(assistant.awaiting_pin) if interactive else _plain_reader()
    where = assistant.home.settings.get("name") or (assistant.home.path.name if assistant.home.path else "home")
    language = assistant.intents.language
    words = load_words(language, "chat")
    exit_words = set(words.words("exit"))
    _show(console, fill(words.text("welcome"), {"home": where, "count": len(assistant.home.devices)}),
          "bold" if interactive else None)

    def announce(text: str) -> None:
        _show(console, text, "bold magenta" if interactive else None)
        if speaker:
            speaker.say(text)

    bell = TimerBell(assistant, announce)
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
            if line.lower() in exit_words:
                break
            with bell.quiet:
                try:
                    reply = assistant.handle(line).reply
                except AssistantError as exc:
                    reply = _sorry(exc, language)
                _show(console, reply, "cyan" if interactive else None)
                if speaker:
                    speaker.say(reply)
    finally:
        bell.stop()
        assistant.close()


def _sorry(exc: Exception, language: str) -> str:
    """ "Sorry, the state file ...": a problem that stopped a reply, in the user's language."""
    from assistant.reply.problems import problem_words

    problem = problem_words(language).say(exc)
    return fill(load_words(language, "chat").text("sorry"), {"problem": problem[:1].lower() + problem[1:]})


def _show(console, text: str, style: str | None = None) -> None:
    """A line as it is: "[bold]Lamp[/]" in a device name is not markup, and terminal codes in it
    ("\x1b[2J") are shown as escapes, not obeyed."""
    from assistant.errors import printable

    console.print(printable(text), style=style, markup=False, soft_wrap=True)


def _prompt_session(awaiting_pin: Callable[[], bool]):
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.patch_stdout import patch_stdout

    from assistant.paths import history_path

    class History(FileHistory):
        """Everything typed is kept for the arrow keys, except an answer to a PIN question."""

        secret = False

        def append_string(self, string: str) -> None:
            if not self.secret:
                super().append_string(string)

    history = History(str(history_path()))
    session = PromptSession(history=history)

    def read() -> str:
        history.secret = awaiting_pin()
        with patch_stdout(raw=True):  # a timer that rings while typing prints above the prompt
            return session.prompt("PIN> " if history.secret else "you> ", is_password=history.secret)

    return read


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
