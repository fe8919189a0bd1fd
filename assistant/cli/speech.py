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
from assistant.cli.app import BuiltinOption, HomeOption, IntentsOption, JsonOption, MqttOption, RoomOption, StateOption, app, echo, wiring

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
    builtin: BuiltinOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Print what was said in each recording (--json: words, confidences, alternatives)."""
    from assistant.speech.recognize import engine_for

    assistant = wiring(home, None, None, intents, mqtt, language, builtin).assistant()
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
def grammar(
    json_out: JsonOption = False,
    words: Annotated[bool, typer.Option("--words", help="Also list every word the recogniser can hear.")] = False,
    language: LanguageOption = None,
    home: HomeOption = None,
    intents: IntentsOption = None,
    builtin: BuiltinOption = None,
) -> None:
    """What the speech recogniser listens for in this home: its intents, what is left out, and how big it is."""
    from assistant.paths import cache_dir
    from assistant.resources import intents_dir
    from assistant.speech import scope
    from assistant.speech.grammar import speech_grammar_for

    assistant = wiring(home, None, None, intents, None, language, builtin).assistant()
    try:
        lang = assistant.intents.language
        speech = speech_grammar_for(assistant, cache=cache_dir() / "speech")
        parts = scope.summary(assistant.planner.understander.grammar.intents, assistant.home, intents_dir(lang))
        size = {"words": len(speech.words()), "states": speech.states, "moves": len(speech.edges) + len(speech.slots),
                "lists": len(speech.lists), "list_values": sum(len(v) for v in speech.lists.values()),
                "fsg_bytes": len(speech.fsg_text().encode())}
        if json_out:
            typer.echo(json.dumps({"language": lang, **parts, "size": size, "key": speech.key,
                                   **({"words": sorted(speech.words())} if words else {})}, ensure_ascii=False))
            return
        name = assistant.home.settings.get("name") or "this home"
        echo(f"What the recogniser listens for in {name} ({lang}):")
        for part, label in (("own", "your own intents"), ("built_in", "built-in intents")):
            if parts[part]:
                echo(f"  {label}: " + ", ".join(f"{i} ({n})" for i, n in sorted(parts[part].items())))
        if parts["left_out"]:
            echo("  left out (no device here obeys them): " + ", ".join(sorted(parts["left_out"])))
        echo(f"  size: {size['words']:,} words, {size['states']:,} states, {size['moves']:,} moves, "
             f"{size['lists']} lists of {size['list_values']:,} values; pocketsphinx grammar {size['fsg_bytes'] / 1024:,.0f} KB")
        if words:
            echo("  words: " + " ".join(sorted(speech.words())))
    finally:
        assistant.close()


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
    builtin: BuiltinOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Run each recording through the whole pipeline (hear, understand, act, reply); the model loads once."""
    from assistant.errors import AssistantError
    from assistant.speech.recognize import engine_for, understood_text

    assistant = wiring(home, state, room, intents, mqtt, language, builtin).assistant()
    failed: list[Path] = []
    try:
        recogniser = engine_for(assistant, engine, model, open_)
        announce(recogniser)
        for path, pcm in recordings(files, failed):
            try:
                transcript = recogniser.transcribe(pcm)
                turn = assistant.handle(understood_text(transcript, assistant, grammar=recogniser.grammar))
            except AssistantError:
                raise  # the home, the state or a device: the same for every recording, said once
            except Exception as exc:  # noqa: BLE001 - one recording's fault is its own line; the batch goes on
                print(f"error: {path}: could not be handled ({type(exc).__name__}: {exc})", file=sys.stderr)
                failed.append(path)
                continue
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
    builtin: BuiltinOption = None,
    mqtt: MqttOption = None,
) -> None:
    """Listen at the microphone: hear a command, act on it, and answer aloud."""
    from assistant.speech.listen import ListenSettings
    from assistant.speech.recognize import engine_for
    from assistant.speech.tts import Speaker

    assistant = wiring(home, state, room, intents, mqtt, language, builtin).assistant()
    wake_word = None if (no_wake_word or push_to_talk) else chosen_wake_word(assistant, wake_word)
    settings = ListenSettings(silence=silence, max_utterance=max_utterance, wake_word=wake_word,
                              push_to_talk=push_to_talk, follow_up=follow_up, max_utterances=max_utterances,
                              exit_after_idle=exit_after_idle)
    try:
        recogniser = engine_for(assistant, engine, model, open_, wake_word)
        announce(recogniser)
        speaker = Speaker(voice, rate, volume, tts_out, play=speak) if (speak or tts_out) else None
        conversation = Conversation(assistant, recogniser, settings, speaker, json_out)
        mode = "push-to-talk: press Enter, then speak" if push_to_talk else (
            f"say \"{wake_word}\" and then a command" if wake_word else "speak a command")
        print(f"(listening: {mode}; Ctrl-C to stop)", file=sys.stderr)
        conversation.run()
    finally:
        assistant.close()


def chosen_wake_word(assistant, given: str | None) -> str | None:
    """The wake word: the one given, else the home's (`assistant: {wake_word: ...}`), else the
    language's default (`wake_word` in intents/<lang>/words/speech.yaml; none when the language has
    no such file or names none: a wake word must be a word of the language)."""
    from assistant.language.words import load_words, words_path

    language = assistant.intents.language
    configured = assistant.home.settings.get("assistant")
    if given is None and isinstance(configured, dict):
        given = configured.get("wake_word")
    if given is None and words_path(language, "speech").is_file():
        default = load_words(language, "speech").get("wake_word")
        given = str(default) if default else None
    return given


class Conversation:
    """A listening session: utterances from the microphone are answered (printed and spoken), timer
    bells ring in between, and a reply opens a follow-up in which no wake word is needed."""

    def __init__(self, assistant, recogniser, settings, speaker, json_out: bool):
        from assistant.speech.listen import Listener, Microphone

        self.assistant, self.recogniser, self.speaker, self.json_out = assistant, recogniser, speaker, json_out
        self.wake = tuple(settings.wake_word.lower().split()) if settings.wake_word else ()
        self.microphone = Microphone(settings.device)
        self.tty = sys.stderr.isatty()
        self.bell = TimerBell(assistant, self.ring)
        self.listener = Listener(recogniser, settings, self.respond_quietly, self.show_partial, self.microphone)

    def run(self) -> None:
        try:
            self.listener.run()
        finally:
            self.bell.stop()

    def show_partial(self, text: str) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[K" + (f"… {text}" if text else ""))
        elif text:
            sys.stderr.write(f"partial: {text}\n")
        sys.stderr.flush()

    def respond_quietly(self, transcript, end_of_speech: float) -> None:
        with self.bell.quiet:
            self.respond(transcript, end_of_speech)

    def respond(self, transcript, end_of_speech: float) -> None:
        from assistant.speech.recognize import understood_text

        heard_words = transcript.text.split()
        addressed = self.listener.awake() or (self.wake and tuple(heard_words[: len(self.wake)]) == self.wake)
        if not addressed:
            typer.echo(f"(not for me: \"{transcript.text}\")")
            return
        text = understood_text(transcript, self.assistant, self.wake, self.recogniser.grammar)
        if not text:  # the wake word alone: listen for the command
            typer.echo("(listening)")
            self.listener.open_follow_up()
            return
        turn = self.assistant.handle(text)
        self.show(turn, transcript, time.monotonic() - end_of_speech)
        self.say(turn.reply)
        if turn.commands:
            self.listener.open_follow_up()

    def show(self, turn, transcript, latency: float) -> None:
        if self.json_out:
            typer.echo(json.dumps({**turn.to_json(), "transcript": transcript.text,
                                   "latency": round(latency, 3)}, ensure_ascii=False))
        else:
            echo(f"heard: {transcript.text}")
            for command in turn.commands:
                slots = " ".join(f"{k}={v}" for k, v in command.slots.items())
                echo(f"understood: {command.intent} {slots} -> {', '.join(command.targets) or '-'}")
            echo(f"assistant: {turn.reply}")
        sys.stdout.flush()

    def ring(self, text: str) -> None:
        if self.json_out:
            typer.echo(json.dumps({"announcement": text}, ensure_ascii=False))
        else:
            echo(f"assistant: {text}")
        sys.stdout.flush()
        self.say(text)

    def say(self, text: str) -> None:
        if self.speaker is not None:
            self.speaker.say(text, before=self.microphone.pause, after=self.microphone.resume)
