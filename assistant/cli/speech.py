"""Voice commands: listen (microphone), run and transcribe (recordings)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from collections.abc import Iterator
from typing import Annotated, Any, Optional

import typer

from assistant.cli.bell import TimerBell
from assistant.cli.app import HomeOption, IntentsOption, JsonOption, MqttOption, RoomOption, StateOption, app, echo, wiring

EngineOption = Annotated[Optional[str], typer.Option("--engine", help="Speech engine: vosk or pocketsphinx (default: vosk when a model for the language is installed, else pocketsphinx).")]
ModelOption = Annotated[Optional[str], typer.Option("--model", help="Speech model: a directory, or the name of an installed model.")]
OpenOption = Annotated[bool, typer.Option("--open", help="Free transcription instead of decoding only what the assistant understands.")]
LanguageOption = Annotated[Optional[str], typer.Option("--language", "--lang", help="Language of the intents and the speech model (default: the home's).")]
FilesArgument = Annotated[list[Path], typer.Argument(help="WAV recordings (any sample rate or channel count).")]


def recordings(files: list[Path], unreadable: list[Path]) -> Iterator[tuple[Path, Any]]:
    """Each readable recording with its samples; an unreadable one is one line on stderr, and noted."""
    from assistant.speech.wavfile import AudioFileError, read_wav

    for path in files:
        try:
            yield path, read_wav(path)
        except AudioFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            unreadable.append(path)


def announce(engine) -> None:
    print(f"(speech: {engine.describe()})", file=sys.stderr)


@app.command()
def transcribe(
    files: FilesArgument,
    json_out: JsonOption = False,
    engine: EngineOption = None,
    model: ModelOption = None,
    open_: OpenOption = False,
    language: LanguageOption = None,
    home: HomeOption = None,
    intents: IntentsOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Print what was said in each recording (--json: words, confidences, alternatives)."""
    from assistant.speech.recognize import engine_for

    assistant = wiring(home, None, None, intents, mqtt, language).assistant()
    recogniser = engine_for(assistant, engine, model, open_)
    announce(recogniser)
    unreadable: list[Path] = []
    for path, pcm in recordings(files, unreadable):
        transcript = recogniser.transcribe(pcm)
        if json_out:
            typer.echo(json.dumps({"file": str(path), **transcript.to_json()}, ensure_ascii=False))
        else:
            echo(transcript.text if len(files) == 1 else f"{path}: {transcript.text}")
    if unreadable:
        raise typer.Exit(2)


@app.command()
def run(
    files: FilesArgument,
    json_out: JsonOption = False,
    engine: EngineOption = None,
    model: ModelOption = None,
    open_: OpenOption = False,
    language: LanguageOption = None,
    home: HomeOption = None,
    state: StateOption = None,
    room: RoomOption = None,
    intents: IntentsOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Run each recording through the whole pipeline (hear, understand, act, reply); the model loads once."""
    from assistant.speech.recognize import engine_for, understood_text

    assistant = wiring(home, state, room, intents, mqtt, language).assistant()
    failed: list[Path] = []
    try:
        recogniser = engine_for(assistant, engine, model, open_)
        announce(recogniser)
        for path, pcm in recordings(files, failed):
            transcript = recogniser.transcribe(pcm)
            turn = assistant.handle(understood_text(transcript, assistant, grammar=recogniser.grammar))
            if json_out:
                typer.echo(json.dumps({**turn.to_json(), "transcript": transcript.text, "file": str(path)},
                                      ensure_ascii=False))
            else:
                echo(f"{path}: heard \"{transcript.text}\" -> {turn.reply}")
            if not turn.commands:
                failed.append(path)
    finally:
        assistant.close()
    if failed:
        raise typer.Exit(1)


@app.command()
def listen(
    engine: EngineOption = None,
    model: ModelOption = None,
    open_: OpenOption = False,
    language: LanguageOption = None,
    wake_word: Annotated[Optional[str], typer.Option("--wake-word", help="Only act on utterances that start with this name (default: the home's `assistant: {wake_word: ...}`).")] = None,
    no_wake_word: Annotated[bool, typer.Option("--no-wake-word", help="Act on every utterance.")] = False,
    push_to_talk: Annotated[bool, typer.Option("--push-to-talk", help="Press Enter, then speak.")] = False,
    follow_up: Annotated[float, typer.Option("--follow-up", help="Seconds after a reply in which no wake word is needed.")] = 6.0,
    silence: Annotated[float, typer.Option("--silence", help="Seconds of silence that end an utterance.")] = 0.8,
    max_utterance: Annotated[float, typer.Option("--max-utterance", help="Longest utterance, in seconds.")] = 10.0,
    max_utterances: Annotated[Optional[int], typer.Option("--max-utterances", help="Stop after this many utterances.")] = None,
    exit_after_idle: Annotated[Optional[float], typer.Option("--exit-after-idle", help="Stop after this many seconds without speech.")] = None,
    speak: Annotated[bool, typer.Option("--speak/--no-speak", help="Speak replies aloud.")] = True,
    voice: Annotated[Optional[str], typer.Option("--voice", help="Voice for replies (an espeak-ng voice, e.g. en-us, en-gb-x-rp).")] = None,
    rate: Annotated[Optional[int], typer.Option("--rate", help="Speaking rate of replies, words per minute.")] = None,
    volume: Annotated[Optional[float], typer.Option("--volume", help="Volume of replies, 0.0 to 1.0.")] = None,
    tts_out: Annotated[Optional[Path], typer.Option("--tts-out", help="Also save each spoken reply to this WAV file.")] = None,
    json_out: JsonOption = False,
    home: HomeOption = None,
    state: StateOption = None,
    room: RoomOption = None,
    intents: IntentsOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Listen at the microphone: hear a command, act on it, and answer aloud."""
    from assistant.speech.listen import ListenSettings, Listener, Microphone
    from assistant.speech.recognize import engine_for, understood_text
    from assistant.speech.tts import Speaker

    assistant = wiring(home, state, room, intents, mqtt, language).assistant()
    configured = assistant.home.settings.get("assistant")
    if wake_word is None and isinstance(configured, dict):
        wake_word = configured.get("wake_word")
    if no_wake_word or push_to_talk:
        wake_word = None
    elif wake_word is None:
        wake_word = "computer" if assistant.intents.language == "en" else None
    wake = tuple(wake_word.lower().split()) if wake_word else ()
    settings = ListenSettings(silence=silence, max_utterance=max_utterance, wake_word=wake_word,
                              push_to_talk=push_to_talk, follow_up=follow_up, max_utterances=max_utterances,
                              exit_after_idle=exit_after_idle)
    try:
        recogniser = engine_for(assistant, engine, model, open_, wake_word)
        announce(recogniser)
        microphone = Microphone(settings.device)
        speaker = Speaker(voice, rate, volume, tts_out, play=speak) if (speak or tts_out) else None
        tty = sys.stderr.isatty()

        def show_partial(text: str) -> None:
            if tty:
                sys.stderr.write("\r\x1b[K" + (f"… {text}" if text else ""))
            elif text:
                sys.stderr.write(f"partial: {text}\n")
            sys.stderr.flush()

        def respond(transcript, end_of_speech: float) -> None:
            heard_words = transcript.text.split()
            addressed = listener.awake() or (wake and tuple(heard_words[: len(wake)]) == wake)
            if not addressed:
                typer.echo(f"(not for me: \"{transcript.text}\")")
                return
            text = understood_text(transcript, assistant, wake, recogniser.grammar)
            if not text:  # the wake word alone: listen for the command
                typer.echo("(listening)")
                listener.open_follow_up()
                return
            turn = assistant.handle(text)
            latency = time.monotonic() - end_of_speech
            if json_out:
                typer.echo(json.dumps({**turn.to_json(), "transcript": transcript.text,
                                       "latency": round(latency, 3)}, ensure_ascii=False))
            else:
                echo(f"heard: {transcript.text}")
                for command in turn.commands:
                    slots = " ".join(f"{k}={v}" for k, v in command.slots.items())
                    echo(f"understood: {command.intent} {slots} -> {', '.join(command.targets) or '-'}")
                echo(f"assistant: {turn.reply}")
            sys.stdout.flush()
            if speaker is not None:
                speaker.say(turn.reply, before=microphone.pause, after=microphone.resume)
            if turn.commands:
                listener.open_follow_up()

        def ring(text: str) -> None:
            if json_out:
                typer.echo(json.dumps({"announcement": text}, ensure_ascii=False))
            else:
                echo(f"assistant: {text}")
            sys.stdout.flush()
            if speaker is not None:
                speaker.say(text, before=microphone.pause, after=microphone.resume)

        def respond_quietly(transcript, end_of_speech: float) -> None:
            with bell.quiet:
                respond(transcript, end_of_speech)

        bell = TimerBell(assistant, ring)
        listener = Listener(recogniser, settings, respond_quietly, show_partial, microphone)
        mode = "push-to-talk: press Enter, then speak" if push_to_talk else (
            f"say \"{wake_word}\" and then a command" if wake_word else "speak a command")
        print(f"(listening: {mode}; Ctrl-C to stop)", file=sys.stderr)
        try:
            listener.run()
        finally:
            bell.stop()
    finally:
        assistant.close()
