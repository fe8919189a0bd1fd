"""Listening at a microphone: capture, end-of-utterance detection, wake word, push-to-talk, follow-ups.

Audio arrives from sounddevice in 30 ms frames (16 kHz mono). A voice-activity detector (WebRTC's,
as shipped in pocketsphinx) marks speech; an utterance starts after a few voiced frames (with a short
pre-roll so the first syllable is not lost) and ends after `silence` seconds without speech or at
`max_utterance` seconds. While the assistant speaks the microphone is stopped and its queue flushed,
so it never hears itself.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

from assistant.errors import AssistantError

RATE = 16000
FRAME_SECONDS = 0.03
FRAME_BYTES = int(RATE * FRAME_SECONDS) * 2
PRE_ROLL_SECONDS = 0.5
START_FRAMES = 3  # voiced frames in a row that start an utterance


class NoMicrophone(AssistantError):
    exit_code = 6


@dataclass
class ListenSettings:
    silence: float = 0.8  # seconds of silence that end an utterance
    max_utterance: float = 10.0  # seconds
    wake_word: str | None = None  # None: every utterance is for the assistant
    push_to_talk: bool = False
    follow_up: float = 6.0  # seconds after a reply in which no wake word is needed
    max_utterances: int | None = None  # stop after this many utterances (scripts, tests)
    exit_after_idle: float | None = None  # stop after this long with no speech
    vad_mode: int = 2  # 0 (loose) .. 3 (strict)
    device: str | int | None = None


class Microphone:
    """16 kHz mono int16 capture into a queue of 30 ms frames; can be paused while the assistant speaks."""

    def __init__(self, device: str | int | None = None):
        try:
            import sounddevice as sd
        except (ImportError, OSError) as exc:
            raise NoMicrophone(f"no audio input ({exc}); type to the assistant instead: `assistant chat`") from None
        self.sd = sd
        self.frames: queue.Queue[bytes] = queue.Queue()
        self._buffer = b""
        try:
            self.stream = sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=FRAME_BYTES // 2,
                                            device=device, callback=self._callback)
            self.stream.start()
        except Exception as exc:  # PortAudioError, ValueError: no (such) input device
            raise NoMicrophone(f"no microphone found ({str(exc).splitlines()[0]}); "
                               "type to the assistant instead: `assistant chat`") from None

    def _callback(self, data, frames, time_info, status) -> None:
        self._buffer += bytes(data)
        while len(self._buffer) >= FRAME_BYTES:
            self.frames.put(self._buffer[:FRAME_BYTES])
            self._buffer = self._buffer[FRAME_BYTES:]

    def read(self, timeout: float = 0.1) -> bytes | None:
        try:
            return self.frames.get(timeout=timeout)
        except queue.Empty:
            return None

    def pause(self) -> None:
        self.stream.stop()

    def resume(self) -> None:
        self.flush()
        self.stream.start()

    def flush(self) -> None:
        self._buffer = b""
        while not self.frames.empty():
            try:
                self.frames.get_nowait()
            except queue.Empty:
                break

    def close(self) -> None:
        try:
            self.stream.stop()
            self.stream.close()
        except Exception:
            pass


class Endpointer:
    """Finds where an utterance starts and ends in a stream of 30 ms frames."""

    def __init__(self, settings: ListenSettings):
        from pocketsphinx import Vad

        self.vad = Vad(settings.vad_mode, RATE, FRAME_SECONDS)
        self.settings = settings
        self.pre_roll: deque[bytes] = deque(maxlen=int(PRE_ROLL_SECONDS / FRAME_SECONDS))
        self.voiced_run = 0
        self.silent_run = 0
        self.in_speech = False
        self.length = 0.0

    def push(self, frame: bytes) -> tuple[str, list[bytes]]:
        """("idle"|"start"|"speech"|"end", frames to decode)."""
        voiced = self.vad.is_speech(frame)
        if not self.in_speech:
            self.pre_roll.append(frame)
            self.voiced_run = self.voiced_run + 1 if voiced else 0
            if self.voiced_run >= START_FRAMES:
                self.in_speech, self.silent_run, self.length = True, 0, len(self.pre_roll) * FRAME_SECONDS
                frames = list(self.pre_roll)
                self.pre_roll.clear()
                return "start", frames
            return "idle", []
        self.length += FRAME_SECONDS
        self.silent_run = 0 if voiced else self.silent_run + 1
        if self.silent_run * FRAME_SECONDS >= self.settings.silence or self.length >= self.settings.max_utterance:
            self.in_speech, self.voiced_run = False, 0
            return "end", [frame]
        return "speech", [frame]


class Listener:
    """The listening loop: hears utterances and hands the understood text to `respond`."""

    def __init__(self, engine, settings: ListenSettings, respond: Callable[[object, float], None],
                 show_partial: Callable[[str], None], microphone: Microphone | None = None):
        self.engine = engine
        self.settings = settings
        self.respond = respond
        self.show_partial = show_partial
        self.microphone = microphone or Microphone(settings.device)
        self.follow_up_until = 0.0
        self._armed = threading.Event()
        self._stdin_closed = threading.Event()

    def awake(self) -> bool:
        return self.settings.wake_word is None or time.monotonic() < self.follow_up_until or self.settings.push_to_talk

    def open_follow_up(self) -> None:
        self.follow_up_until = time.monotonic() + self.settings.follow_up

    def _read_enter(self) -> None:
        for _line in sys.stdin:
            self._armed.set()
        self._stdin_closed.set()

    def run(self) -> int:
        """Listen until an exit condition; returns the number of utterances heard."""
        settings = self.settings
        if settings.push_to_talk:
            threading.Thread(target=self._read_enter, daemon=True).start()
        endpointer = Endpointer(settings)
        heard = 0
        last_activity = time.monotonic()
        utterance = None
        partial_at = 0.0
        try:
            while settings.max_utterances is None or heard < settings.max_utterances:
                if utterance is None and settings.exit_after_idle is not None \
                        and time.monotonic() - last_activity > settings.exit_after_idle:
                    break
                if settings.push_to_talk and not self._armed.is_set():
                    if self._stdin_closed.is_set():
                        break
                    self.microphone.flush()
                    time.sleep(0.05)
                    continue
                frame = self.microphone.read()
                if frame is None:
                    continue
                event, frames = endpointer.push(frame)
                if event == "idle":
                    continue
                last_activity = time.monotonic()
                if event == "start":
                    utterance = self.engine.utterance()
                for f in frames:
                    text = utterance.feed(f)
                if event != "end" and time.monotonic() - partial_at > 0.25:
                    partial_at = time.monotonic()
                    self.show_partial(text)
                if event == "end":
                    end_of_speech = time.monotonic()
                    transcript = utterance.finish()
                    utterance = None
                    self.show_partial("")
                    self._armed.clear()
                    if transcript.text:
                        heard += 1
                        self.respond(transcript, end_of_speech)
                    last_activity = time.monotonic()
        finally:
            self.microphone.close()
        return heard
