"""Read any PCM WAV recording as the 16 kHz mono 16-bit audio the recognisers take.

Recordings come from phones, sound editors and test generators at any rate and channel count; a
file that is not a usable WAV gives one `AudioFileError` line, never a traceback.
"""

from __future__ import annotations

import io
import struct
import wave
from pathlib import Path

from assistant.errors import AssistantError

RATE = 16000


class AudioFileError(AssistantError):
    """A recording that cannot be read; the message names the file and what is wrong."""


def read_wav(path: Path | str) -> bytes:
    """The recording at `path` as 16 kHz mono signed 16-bit little-endian PCM."""
    import numpy as np

    path = Path(path)
    try:
        with wave.open(_plain_pcm(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except FileNotFoundError:
        raise AudioFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AudioFileError(f"{path}: is a directory, not a WAV file") from None
    except (wave.Error, EOFError, ValueError, RuntimeError, struct.error, OverflowError) as exc:
        raise AudioFileError(f"{path}: not a readable WAV file ({exc})") from None
    except OSError as exc:
        raise AudioFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if width not in (1, 2, 3, 4):
        raise AudioFileError(f"{path}: unsupported sample width of {width} bytes")
    if channels < 1 or rate < 1000 or rate > 384000:
        raise AudioFileError(f"{path}: implausible WAV header ({channels} channels, {rate} Hz)")
    usable = len(frames) - len(frames) % (width * channels)
    if usable == 0:
        raise AudioFileError(f"{path}: the recording is empty")
    samples = _to_float(np.frombuffer(frames[:usable], dtype=np.uint8), width)
    mono = samples.reshape(-1, channels).mean(axis=1)
    return to_pcm16(mono, rate)


def _plain_pcm(path: Path):
    """The file, with a WAVE_FORMAT_EXTENSIBLE header of integer PCM (what sox and many recorders write for
    24-bit or multichannel audio) relabelled as plain PCM, which is what it holds; Python 3.11's wave
    module refuses the extensible tag."""
    data = path.read_bytes()
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        pos = 12
        while pos + 8 <= len(data):
            chunk, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
            if chunk == b"fmt ":
                tag = struct.unpack("<H", data[pos + 8 : pos + 10])[0]
                sub = data[pos + 32 : pos + 34] if size >= 26 else b""
                if tag == 0xFFFE and sub == b"\x01\x00":
                    data = data[: pos + 8] + b"\x01\x00" + data[pos + 10 :]
                break
            pos += 8 + size + (size & 1)
    return io.BytesIO(data)


def to_pcm16(samples, rate: int) -> bytes:
    """Float samples in [-1, 1] at `rate` -> 16 kHz int16 bytes (soxr resamples: a well-kept library)."""
    import numpy as np

    if rate != RATE:
        import soxr

        samples = soxr.resample(samples.astype(np.float32), rate, RATE)
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def _to_float(raw, width: int):
    import numpy as np

    if width == 1:  # 8-bit WAV is unsigned
        return (raw.astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return raw.view("<i2").astype(np.float32) / 32768.0
    if width == 3:
        triples = raw.reshape(-1, 3).astype(np.int32)
        values = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        return values.astype(np.float32) / float(1 << 23)
    return raw.view("<i4").astype(np.float32) / float(1 << 31)


def write_wav(path: Path | str, pcm: bytes, rate: int = RATE) -> Path:
    """Write mono 16-bit PCM as a WAV file."""
    path = Path(path)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return path
