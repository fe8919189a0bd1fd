"""Real audio for tests: espeak-ng voices, sox noise, and a private PulseAudio with a virtual
microphone and speaker (null sinks; recipe in the project's audio notes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import wave
from pathlib import Path

import pytest

PA_CONFIG = """.fail
load-module module-native-protocol-unix auth-anonymous=1
load-module module-null-sink sink_name=speaker
load-module module-null-sink sink_name=micfeed rate=16000 channels=1
load-module module-remap-source source_name=mic master=micfeed.monitor
set-default-sink speaker
set-default-source mic
"""


def have(*tools: str) -> bool:
    return all(shutil.which(t) for t in tools)


def speak_to_wav(text: str, path: Path, voice: str = "en-us", rate: int = 160, pitch: int = 50,
                 snr_db: float | None = None) -> Path:
    """espeak-ng says `text` into `path`; with `snr_db`, white noise is mixed in at that signal-to-noise ratio."""
    path = Path(path)
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(path), text], check=True)
    if snr_db is not None:
        add_noise(path, snr_db)
    return path


def add_noise(path: Path, snr_db: float, color: str = "whitenoise") -> None:
    """Mix sox-generated noise (fixed seed: reproducible) into a WAV at the given SNR (speech RMS over noise RMS)."""
    import numpy as np

    with wave.open(str(path)) as w:
        rate, pcm = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64)
    noise_file = path.with_suffix(".noise.wav")
    subprocess.run(["sox", "-R", "-n", "-r", str(rate), "-b", "16", "-c", "1", str(noise_file), "synth",
                    f"{len(pcm) / rate:.3f}", color, "vol", "0.5"], check=True,
                   env={**os.environ, "SOX_OPTS": ""})
    with wave.open(str(noise_file)) as w:
        noise = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64)[: len(pcm)]
    noise_file.unlink()
    noise = np.pad(noise, (0, len(pcm) - len(noise)))
    speech_rms = np.sqrt(np.mean(pcm[np.abs(pcm) > 0] ** 2)) if np.any(pcm) else 1.0
    noise *= speech_rms / (np.sqrt(np.mean(noise**2)) or 1.0) / (10 ** (snr_db / 20))
    mixed = np.clip(pcm + noise, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(mixed.tobytes())


def rms_of(path: Path) -> float:
    import numpy as np

    with wave.open(str(path)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64)
    return float(np.sqrt(np.mean(pcm**2))) if len(pcm) else 0.0


class VirtualAudio:
    """A private PulseAudio: `mic` hears what is played into `micfeed`; `speaker.monitor` records output."""

    def __init__(self):
        self.runtime = Path(tempfile.mkdtemp(prefix="pulse-"))
        self.env = {**os.environ, "PULSE_RUNTIME_PATH": str(self.runtime)}
        self.env.pop("PULSE_SERVER", None)
        (self.runtime / "va.pa").write_text(PA_CONFIG)
        self.procs: list[subprocess.Popen] = []
        self.server = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "-F", str(self.runtime / "va.pa"),
             f"--log-target=file:{self.runtime / 'pulse.log'}"], env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait(lambda: self.pactl("info").returncode == 0, "pulseaudio did not start")
        for device, rate, channels in (("micfeed", 16000, 1), ("speaker", 44100, 2)):
            self.procs.append(subprocess.Popen(
                ["pacat", "--playback", f"--device={device}", "--format=s16le", f"--rate={rate}",
                 f"--channels={channels}", "--raw", "--latency-msec=30"], stdin=open("/dev/zero", "rb"),
                env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self._wait(lambda: len(self.pactl("list", "short", "sink-inputs").stdout.splitlines()) >= 2,
                   "keep-alive streams did not start")
        for sink in ("micfeed", "speaker"):  # a fresh null sink runs ahead: reset its clock
            self.pactl("suspend-sink", sink, "1")
            self.pactl("suspend-sink", sink, "0")

    def pactl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10)

    def _wait(self, condition, message: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        self.close()
        raise RuntimeError(message)

    def play_into_mic(self, wav: Path) -> None:
        """Speak a WAV into the virtual microphone (returns when it has been played)."""
        subprocess.run(["paplay", "--device=micfeed", str(wav)], env=self.env, check=True, timeout=60)

    def record_speaker(self, path: Path) -> subprocess.Popen:
        """Start recording what the assistant plays; stop with .terminate()."""
        proc = subprocess.Popen(["parecord", "--device=speaker.monitor", "--file-format=wav", str(path)],
                                env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(proc)
        return proc

    def close(self) -> None:
        for proc in [*self.procs, self.server]:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(self.runtime, ignore_errors=True)


@pytest.fixture(scope="session")
def virtual_audio():
    from conftest import need

    need(have("pulseaudio", "pactl", "pacat", "paplay", "parecord"), "PulseAudio (pulseaudio, pulseaudio-utils)")
    audio = VirtualAudio()
    yield audio
    audio.close()


@pytest.fixture(scope="session")
def voices_available():
    from conftest import need

    need(have("espeak-ng", "sox"), "espeak-ng and sox")
    return True
