"""`assistant listen` through the console script, hearing espeak-ng voices in a virtual microphone.

The microphone and speaker are PulseAudio null sinks started by the fixture (no sound card here);
everything else is the real stack: pocketsphinx with the grammar of the demo home, the simulated
devices, and the spoken reply recorded from the virtual speaker.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from audio_fixtures import rms_of, speak_to_wav, virtual_audio, voices_available  # noqa: F401

from conftest import BIN


class Listening:
    """A running `assistant listen`, its stdout lines collected as they come."""

    def __init__(self, args: list[str], env: dict, tmp_path: Path):
        self.proc = subprocess.Popen([str(BIN / "assistant"), "listen", *args], env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE)
        self.lines: list[str] = []
        self.err: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read_out, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()
        assert self.ready.wait(30), "listen never started: " + "".join(self.err)

    def _read_out(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def _read_err(self):
        for line in self.proc.stderr:
            self.err.append(line)
            if line.startswith("(listening"):
                self.ready.set()

    def wait_lines(self, count: int, timeout: float = 20) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.lines) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.lines) >= count, f"expected {count} lines, got {self.lines}; stderr: {''.join(self.err)}"
        return self.lines

    def finish(self, timeout: float = 30) -> int:
        return self.proc.wait(timeout=timeout)

    def say(self, audio, clip: Path, right, attempts: int = 3) -> tuple[dict, int]:
        """Say `clip` into the microphone until the turn (`--json`) is `right`, as a person says a
        command again when the assistant got it wrong; (the right turn, tries it took). Each try's
        utterance must end on its own. espeak-ng's voices are far from the speech the recognisers
        learned (BENCHMARKS.md, Speech), so one try in a few may be misheard; not three in a row."""
        turns = []
        for attempt in range(1, attempts + 1):
            seen = len(self.lines)
            audio.play_into_mic(clip)
            turn = json.loads(self.wait_lines(seen + 1, timeout=30)[seen])
            if right(turn):
                return turn, attempt
            turns.append(turn.get("transcript"))
            time.sleep(3)  # the reply is being spoken: the microphone is paused meanwhile
        raise AssertionError(f"{clip.name}: misheard {attempts} times: {turns}")


def listen_env(cli_env: dict, audio) -> dict:
    return {**cli_env, "PULSE_RUNTIME_PATH": audio.env["PULSE_RUNTIME_PATH"]}


@pytest.fixture
def env(state_file, tmp_path):
    full = dict(os.environ)
    full.pop("ASSISTANT_HOME", None)
    full.update(ASSISTANT_STATE=str(state_file), XDG_DATA_HOME=str(tmp_path / "d"), XDG_CACHE_HOME=str(tmp_path / "c"),
                XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    return full


def devices(cli) -> dict:
    return {d["id"]: d["state"] for d in cli("devices", "--json").json()}


@pytest.mark.parametrize("voice,rate,snr", [("en-us", 160, None), ("en-gb-x-rp", 130, None), ("en-us+f2", 150, 24.0)])
def test_spoken_commands_change_devices_and_the_reply_is_heard(virtual_audio, voices_available, cli, env, tmp_path,
                                                                voice, rate, snr):
    """Two commands spoken in a row (a slow British voice; a higher voice in white noise at 24 dB). With the
    grammar weighted by the templates, "the lights in the kitchen" at 24 dB is heard in four of eight
    espeak-ng voices (the others: "the lighting but kitchen"); en-us+f3 is one of the four that miss."""
    first = speak_to_wav("turn on the floor lamp", tmp_path / "one.wav", voice, rate, snr_db=snr)
    second = speak_to_wav("switch off the lights in the kitchen", tmp_path / "two.wav", voice, rate, snr_db=snr)
    cli("say", "turn on the kitchen light")
    recording = tmp_path / "speaker.wav"
    recorder = virtual_audio.record_speaker(recording)
    run = Listening(["--no-wake-word", "--json", "--exit-after-idle", "6"], listen_env(env, virtual_audio), tmp_path)
    turn, _ = run.say(virtual_audio, first, lambda t: [(c["intent"], c["targets"]) for c in t["commands"]]
                      == [("turn_on", ["floor_lamp"])])
    time.sleep(3)  # the reply is being spoken: the microphone is paused meanwhile
    second_turn, _ = run.say(virtual_audio, second, lambda t: [(c["intent"], c["targets"]) for c in t["commands"]]
                             == [("turn_off", ["kitchen_light", "counter_lights"])])
    assert run.finish() == 0, "".join(run.err)
    recorder.terminate()
    recorder.wait()

    assert turn["reply"] == "Turned on the floor lamp."
    assert second_turn["reply"] == "Turned off the kitchen light."
    state = devices(cli)
    assert state["floor_lamp"]["power"] is True
    assert state["kitchen_light"]["power"] is False
    assert rms_of(recording) > 100, "the spoken reply did not reach the speaker"


def test_wake_word_and_follow_up_window(virtual_audio, voices_available, cli, env, tmp_path):
    stray = speak_to_wav("turn on the tv", tmp_path / "stray.wav", "en-us+m3", 130)
    woken = speak_to_wav("computer turn on the hallway light", tmp_path / "woken.wav", "en-us+m3", 130)
    follow = speak_to_wav("turn off the hallway light", tmp_path / "follow.wav", "en-us+m3", 130)
    run = Listening(["--wake-word", "computer", "--no-speak", "--follow-up", "8", "--max-utterances", "3",
                     "--exit-after-idle", "30"], listen_env(env, virtual_audio), tmp_path)
    virtual_audio.play_into_mic(stray)
    run.wait_lines(1)
    assert devices(cli)["living_room_tv"]["power"] is False, "acted without the wake word"
    virtual_audio.play_into_mic(woken)
    run.wait_lines(4)
    assert devices(cli)["hallway_light"]["power"] is True
    virtual_audio.play_into_mic(follow)
    assert run.finish() == 0
    out = "\n".join(run.lines)
    assert out.startswith("(not for me")
    assert "assistant: Turned on the hallway light." in out
    assert "assistant: Turned off the hallway light." in out
    assert devices(cli)["hallway_light"]["power"] is False


def test_partial_transcript_is_shown_while_speaking(virtual_audio, voices_available, env, tmp_path):
    clip = speak_to_wav("switch off the lights in the kitchen", tmp_path / "p.wav", "en-us", 160)
    run = Listening(["--no-wake-word", "--no-speak", "--max-utterances", "1", "--exit-after-idle", "20"],
                    listen_env(env, virtual_audio), tmp_path)
    virtual_audio.play_into_mic(clip)
    assert run.finish() == 0
    partials = [line for line in run.err if line.startswith("partial: ")]
    assert partials, "no partial transcript"
    assert run.lines[0].startswith("heard: ")


def test_no_microphone_is_one_clear_line(cli_process, tmp_path):
    empty = tmp_path / "no-pulse"
    empty.mkdir()
    result = cli_process("listen", "--no-speak", "--max-utterances", "1", env={"PULSE_RUNTIME_PATH": str(empty), "PULSE_SERVER": "unix:" + str(empty / "none")})
    assert result.code != 0
    assert "Traceback" not in result.err
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "microphone" in errors[0] and "assistant chat" in errors[0]
