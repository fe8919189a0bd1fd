"""Speech out: pyttsx3 (espeak-ng) renders a reply to a WAV, sounddevice plays it.

Rendering to a file and playing it ourselves avoids pyttsx3's playback quirks and lets the audio be
saved (`--tts-out`) or tested. `before`/`after` hooks let the listener pause its microphone while the
assistant speaks, so it never hears itself.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import wave
from pathlib import Path
from typing import Callable


class SpeechUnavailable(Exception):
    pass


class Speaker:
    """Speaks replies; when speech output is unavailable, says once why and stays quiet."""

    def __init__(self, voice: str | None = None, rate: int | None = None, volume: float | None = None,
                 out: Path | None = None, play: bool = True, device: str | int | None = None):
        self.voice, self.rate, self.volume = voice, rate, volume
        self.out = Path(out) if out else None
        self.play = play
        self.device = device
        self._engine = None
        self._warned = False

    def _init(self):
        if self._engine is None:
            try:
                import pyttsx3
            except ImportError:
                raise SpeechUnavailable("pyttsx3 is not installed (pip install 'home-assistant-offline[speech]')") from None
            try:
                engine = pyttsx3.init()
            except Exception as exc:  # pyttsx3 raises RuntimeError/OSError when espeak-ng is missing
                raise SpeechUnavailable(f"no text-to-speech engine ({exc}); install espeak-ng") from None
            if self.voice:
                engine.setProperty("voice", self._voice_id(engine, self.voice))
            if self.rate:
                engine.setProperty("rate", self.rate)
            if self.volume is not None:
                engine.setProperty("volume", max(0.0, min(1.0, self.volume)))
            self._engine = engine
        return self._engine

    @staticmethod
    def _voice_id(engine, wanted: str) -> str:
        """Accept a voice id ("gmw/en-us"), its language part ("en-us") or its name ("English (America)")."""
        for voice in engine.getProperty("voices"):
            if wanted.lower() in (voice.id.lower(), voice.id.split("/")[-1].lower(), (voice.name or "").lower()):
                return voice.id
        return wanted

    def synthesize(self, text: str, path: Path) -> Path:
        """Render text to a WAV file."""
        engine = self._init()
        sys.stdout.flush()  # what was printed before goes out, not to /dev/null
        stdout = os.dup(1)
        try:  # pyttsx3 prints "Audio saved to ..." on stdout
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            sys.stdout.flush()  # buffered (stdout is no terminal), the line would be printed later after all
        finally:
            os.dup2(stdout, 1)
            os.close(stdout)
        return path

    def say(self, text: str, before: Callable[[], None] | None = None, after: Callable[[], None] | None = None) -> None:
        """Speak `text` (and save it to `out`); `before`/`after` run around the playback."""
        if not text:
            return
        try:
            with tempfile.TemporaryDirectory() as tmp:
                wav = self.synthesize(text, Path(tmp) / "reply.wav")
                if self.out:
                    shutil.copyfile(wav, self.out)
                if self.play:
                    if before:
                        before()
                    try:
                        play_wav(wav, self.device)
                    finally:
                        if after:
                            after()
        except SpeechUnavailable as exc:
            self._warn(str(exc))

    def _warn(self, why: str) -> None:
        if not self._warned:
            print(f"(speech output off: {why})", file=sys.stderr)
            self._warned = True


def play_wav(path: Path, device: str | int | None = None) -> None:
    """Play a WAV file through the default (or given) output device."""
    try:
        import numpy as np
        import sounddevice as sd
    except (ImportError, OSError) as exc:
        raise SpeechUnavailable(f"no audio output ({exc})") from None
    with wave.open(str(path), "rb") as wav:
        rate = wav.getframerate()
        channels = wav.getnchannels()
        frames = wav.readframes(wav.getnframes())
    data = np.frombuffer(frames, dtype=np.int16).reshape(-1, channels)
    try:
        sd.play(data, rate, blocking=True, device=device)
    except Exception as exc:  # PortAudioError and friends: no device
        raise SpeechUnavailable(f"no audio output device ({exc})") from None
