"""`assistant transcribe` and `assistant run` on recordings, through the command line: real
espeak-ng speech, the built-in pocketsphinx engine and the demo home's command grammar."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest
from audio_fixtures import speak_to_wav, voices_available  # noqa: F401
from conftest import need


@pytest.fixture
def commands(tmp_path, voices_available):
    """Two spoken commands: one at 44.1 kHz stereo with noise (24 dB SNR), one at 8 kHz, 8-bit; and
    a 48 kHz 24-bit copy of the first (sox writes that with an extensible header)."""
    lamp = speak_to_wav("turn on the floor lamp", tmp_path / "lamp.wav", "en-us", 160, snr_db=24)
    stereo = tmp_path / "lamp-44k-stereo.wav"
    subprocess.run(["sox", "-R", str(lamp), "-r", "44100", "-c", "2", str(stereo)], check=True)
    tv = speak_to_wav("turn on the tv", tmp_path / "tv.wav", "en-us", 160)
    low = tmp_path / "tv-8k-8bit.wav"
    subprocess.run(["sox", "-R", str(tv), "-r", "8000", "-b", "8", "-e", "unsigned-integer", str(low)], check=True)
    subprocess.run(["sox", "-R", str(lamp), "-r", "48000", "-b", "24", str(tmp_path / "lamp-48k-24bit.wav")], check=True)
    return stereo, low


def test_run_acts_on_recordings_of_any_format(cli, commands):
    stereo, low = commands
    with wave.open(str(stereo)) as w:
        assert (w.getnchannels(), w.getframerate()) == (2, 44100)
    result = cli("run", "--json", str(stereo), str(low))
    assert result.code == 0, result.err
    lamp, tv = result.json_lines()
    assert lamp["commands"][0]["intent"] == "turn_on" and lamp["commands"][0]["targets"] == ["floor_lamp"]
    assert lamp["reply"] == "Turned on the floor lamp."
    assert "floor lamp" in lamp["transcript"]
    assert {"device": "floor_lamp", "changed": {"power": True}} in lamp["changes"]
    assert tv["commands"][0]["targets"] == ["living_room_tv"]
    assert "pocketsphinx" in result.err  # says which engine it uses
    state = {d["id"]: d["state"] for d in cli("devices", "--json").json()}
    assert state["floor_lamp"]["power"] is True and state["living_room_tv"]["power"] is True


def test_one_short_clean_recording_on_its_own_is_heard(cli, tmp_path, voices_available):
    """The first thing a person tries: one short command, said once, in a file of its own. Its
    normalisation started from the model's guess and pocketsphinx did not move it for so little
    audio: nothing was heard ("Sorry, I didn't catch that")."""
    lamp = speak_to_wav("turn on the floor lamp", tmp_path / "lamp.wav", "en-us", 160)
    result = cli("run", "--json", str(lamp))
    assert result.code == 0, result.err
    (turn,) = result.json_lines()
    assert turn["transcript"] == "turn on the floor lamp"
    assert turn["reply"] == "Turned on the floor lamp."


def test_transcribe_json_has_words_confidences_and_alternatives(cli, commands):
    stereo, _ = commands
    data = cli("transcribe", "--json", str(stereo)).json()
    assert data["text"].endswith("floor lamp")
    assert [w["word"] for w in data["words"]] == data["text"].split()
    assert all(0.0 <= w["confidence"] <= 1.0 and w["end"] > w["start"] for w in data["words"])
    assert data["alternatives"][0]["text"] == data["text"]
    assert abs(sum(a["confidence"] for a in data["alternatives"]) - 1.0) < 0.01


def test_timers_and_colours_are_heard(cli, tmp_path, voices_available):
    """Durations and colours are parsed kinds, not lists: the speech grammar has their spoken forms. (The
    colour command is heard in six of eight espeak-ng voices; en-us+f3 and en-gb+f3 miss the first word.)"""
    timer = speak_to_wav("set a timer for five minutes", tmp_path / "timer.wav", "en-us", 160)
    red = speak_to_wav("make the ceiling light red", tmp_path / "red.wav", "en-us+f2", 150, pitch=70)
    result = cli("run", "--json", str(timer), str(red))
    assert result.code == 0, result.err
    started, coloured = result.json_lines()
    assert [(c["intent"], c["slots"].get("duration")) for c in started["commands"]] == [("start_timer", 300)]
    assert coloured["commands"][0]["intent"] == "set_color" and coloured["commands"][0]["targets"] == ["ceiling_light"]
    assert {d["id"]: d["state"] for d in cli("devices", "--json").json()}["ceiling_light"].get("color") == "red"


def test_open_transcription_is_not_restricted_to_commands(cli, tmp_path, voices_available):
    clip = speak_to_wav("the weather is lovely today", tmp_path / "chat.wav", "en-us", 150)
    restricted = cli("transcribe", str(clip)).out.strip()
    free = cli("transcribe", "--open", str(clip)).out.strip()
    assert "weather" not in restricted  # the command grammar has no such word
    assert free != restricted and "open transcription" in cli("transcribe", "--open", str(clip)).err


def test_broken_and_missing_recordings_are_one_clear_line(cli, tmp_path):
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio")
    truncated = tmp_path / "cut.wav"
    truncated.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    for path, words in ((text, "not a readable WAV"), (truncated, "not a readable WAV"),
                        (tmp_path / "nowhere.wav", "no such file")):
        for command in ("run", "transcribe"):
            result = cli(command, str(path))
            assert result.code != 0
            assert "Traceback" not in result.err
            errors = [line for line in result.err.splitlines() if line.startswith("error:")]
            assert errors == [f"error: {path}: " + errors[0].split(": ", 2)[2]] and words in errors[0]


def test_transcribe_file_is_the_text_the_assistant_acts_on(commands):
    from assistant.app import build
    from assistant.speech.recognize import transcribe_file

    assistant = build()
    stereo, low = commands

    def understood(path, **options):
        return [(c.intent, c.targets) for c in assistant.parse(transcribe_file(path, assistant=assistant, **options))]

    assert understood(stereo, engine="pocketsphinx") == [("turn_on", ["floor_lamp"])]
    assert understood(low) == [("turn_on", ["living_room_tv"])]
    assert understood(stereo.with_name("lamp-48k-24bit.wav")) == [("turn_on", ["floor_lamp"])]


SPHINX_DATA = Path("/usr/share/pocketsphinx/test/data")  # Debian's pocketsphinx-testdata
CARDS = Path(__file__).parent / "data" / "cards"


def test_real_voices_naming_cards_are_heard_right_with_the_homes_own_grammar(cli):
    """Five recordings of people (not espeak-ng) naming playing cards, run through the whole pipeline
    of a home whose only sentences are card names (tests/data/cards): each is heard as said."""
    recordings = sorted((SPHINX_DATA / "cards").glob("*.wav"))
    need(len(recordings) == 5, "pocketsphinx-testdata is not installed (apt-get install pocketsphinx-testdata)")
    said = {}
    for line in (SPHINX_DATA / "cards" / "cards.transcription").read_text().splitlines():
        words, _, number = line.replace("<s>", "").replace("</s>", "").rpartition("(")
        said[number.strip(" )")] = " ".join(words.split())
    result = cli("run", "--json", "--home", str(CARDS / "home.yaml"), "--engine", "pocketsphinx", *map(str, recordings))
    assert result.code == 0, result.err
    heard = {Path(line["file"]).stem: line for line in result.json_lines()}
    assert {stem: turn["transcript"] for stem, turn in heard.items()} == said
    assert heard["005"]["commands"][0]["slots"] == {"rank": ["eight", "four", "seven"], "suit": ["spades", "clubs", "hearts"]}
    assert all(turn["reply"] == "Noted." for turn in heard.values())


COFFEE = Path(__file__).parent / "data" / "coffee"


def test_words_missing_from_the_recognisers_dictionary_are_heard(cli, tmp_path, voices_available):
    """"cortados" and "lattes" are not in pocketsphinx's dictionary: they were left out of the
    grammar (with a warning), so plural orders were never heard. espeak-ng now says how they sound."""
    said = [speak_to_wav("two cortados please", tmp_path / "cortados.wav", "en-us", 150),
            speak_to_wav("three lattes with oat milk", tmp_path / "lattes.wav", "en-us", 150)]
    result = cli("run", "--json", "--home", str(COFFEE / "home.yaml"), "--intents", str(COFFEE / "intents"),
                 "--no-builtin", "--engine", "pocketsphinx", *map(str, said))
    assert result.code == 0, result.err
    assert "cannot say" not in result.err
    cortados, lattes = result.json_lines()
    assert "cortados" in cortados["transcript"] and "lattes" in lattes["transcript"]
    assert [(c["slots"]["count"], c["slots"]["drink"]) for c in cortados["commands"] + lattes["commands"]] == [
        (2, "cortado"), (3, "latte")]
