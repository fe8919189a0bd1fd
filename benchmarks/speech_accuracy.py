"""Speech-to-intent accuracy, real-time factor, end-of-speech-to-reply latency and memory, per engine.

A generated multi-voice set: espeak-ng voices, rates and pitches say each command; white or pink
noise (sox) is mixed in at 24, 12 and 6 dB SNR. A clip counts as right when the intent and target
devices the assistant acts on equal those of the text that was spoken.

    .venv/bin/python benchmarks/speech_accuracy.py --engine pocketsphinx
    .venv/bin/python benchmarks/speech_accuracy.py --engine vosk --language ko
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from audio_fixtures import add_noise, speak_to_wav  # noqa: E402

ENGLISH = ["turn on the floor lamp", "turn off the floor lamp", "switch off the lights in the kitchen",
           "turn the tv off", "turn on the hallway light", "is the front door locked", "turn on the fan",
           "switch on the bedside lamp", "turn off the air conditioner in the bedroom", "is the washing machine done",
           "turn on the reading lamp", "turn off everything", "set a timer for five minutes", "make the ceiling light red",
           "set the bedroom air conditioner to twenty two degrees", "close the curtains", "lock the front door",
           "what time is it", "set an alarm for seven thirty am", "turn off the kitchen light in ten minutes"]
ENGLISH_VOICES = [("en-us", 160, 50), ("en-us+m3", 140, 40), ("en-us+f3", 175, 60), ("en-gb-x-rp", 150, 50),
                  ("en-gb", 170, 45), ("en-us+f2", 150, 70)]
KOREAN = ["에어컨 켜줘", "에어컨 꺼", "거실 에어컨 켜줘", "침실 조명 켜줘", "거실 조명 꺼 줘", "침실 조명 켜져 있어",
          "주방 조명 켜 줘", "모든 불 꺼 줘"]
KOREAN_VOICES = [("ko", 175, 50), ("ko+f3", 175, 50), ("ko+f3", 200, 60), ("ko+m3", 175, 40)]
CONDITIONS = [None, 24.0, 12.0, 6.0]


NAMING = {"name", "area", "type", "floor"}  # slots that name the targets: the targets are compared instead


def understood(commands) -> list:
    """What a clip must get right: each command's intent, targets and other slots (the duration, the
    colour, the temperature); not the words that named the targets ("the kitchen lights" or "the
    lights in the kitchen")."""
    return [(c.intent, c.targets, {k: v for k, v in c.slots.items() if k not in NAMING}) for c in commands]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="pocketsphinx", choices=["pocketsphinx", "vosk"])
    parser.add_argument("--language", default="en")
    parser.add_argument("--noise", default="white", choices=["white", "pink"])
    parser.add_argument("--quick", action="store_true", help="every other voice, clean and 12 dB only (for trying settings)")
    parser.add_argument("--show", action="store_true", help="print each miss: what was said and what was understood")
    args = parser.parse_args()

    from assistant.app import build
    from assistant.speech.engines import PADDING
    from assistant.speech.recognize import engine_for, understood_text
    from assistant.speech.wavfile import read_wav

    korean = args.language == "ko"
    home = REPO / "tests" / "data" / "korean_home.yaml" if korean else None
    sentences, voices = (KOREAN, KOREAN_VOICES) if korean else (ENGLISH, ENGLISH_VOICES)
    conditions = CONDITIONS
    if args.quick:
        voices, conditions = voices[::2], [None, 12.0]
    base_rss = rss_mb()
    started = time.perf_counter()
    assistant = build(home=home, state=Path(tempfile.mkdtemp()) / "state.json")
    engine = engine_for(assistant, args.engine)
    load_seconds = time.perf_counter() - started
    print(f"engine: {engine.describe()}; load {load_seconds:.2f} s")
    expected = {s: understood(assistant.parse(s)) for s in sentences}
    assert all(expected.values()), "a benchmark sentence does not parse"

    results: dict[object, list[bool]] = {c: [] for c in conditions}
    decode_seconds = audio_seconds = 0.0
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        clean = [(sentence, speak_to_wav(sentence, Path(tmp) / f"{i}-{j}.wav", voice, rate, pitch))
                 for i, sentence in enumerate(sentences) for j, (voice, rate, pitch) in enumerate(voices)]
        # One condition at a time, as a session in one room would be (recognisers adapt to the channel).
        for condition in conditions:
            for n, (sentence, source) in enumerate(clean):
                path = source
                if condition is not None:
                    path = Path(tmp) / f"{n}-{condition}.wav"
                    path.write_bytes(source.read_bytes())
                    add_noise(path, condition, "pinknoise" if args.noise == "pink" else "whitenoise")
                pcm = read_wav(path)
                t0 = time.perf_counter()
                utterance = engine.utterance()
                pcm = PADDING + pcm + PADDING  # pre-roll and the end-of-utterance silence, as when listening
                for k in range(0, len(pcm), 32000):
                    utterance.feed(pcm[k : k + 32000])
                end_of_speech = time.perf_counter()  # the audio has all arrived
                transcript = utterance.finish()
                text = understood_text(transcript, assistant, grammar=engine.grammar)
                commands = assistant.parse(text)
                done = time.perf_counter()
                decode_seconds += done - t0
                audio_seconds += len(pcm) / 32000
                latencies.append(done - end_of_speech)
                right = understood(commands) == expected[sentence]
                results[condition].append(right)
                if args.show and not right:
                    print(f"  miss ({condition or 'clean'}, voice {n % len(voices)}): {sentence!r} -> {text!r}")

    clips = len(sentences) * len(voices)
    print(f"set: {len(sentences)} commands x {len(voices)} voice/rate/pitch = {clips} clips per condition, "
          f"{args.noise} noise")
    for condition, oks in results.items():
        label = "clean" if condition is None else f"{condition:g} dB SNR"
        print(f"  {label:>12}: {sum(oks)}/{len(oks)} = {100 * sum(oks) / len(oks):.1f}% intent+targets+slots right")
    latencies.sort()
    print(f"real-time factor: {decode_seconds / audio_seconds:.3f}")
    print(f"end-of-speech to reply: median {1000 * statistics.median(latencies):.0f} ms, "
          f"p90 {1000 * latencies[int(0.9 * len(latencies))]:.0f} ms")
    print(f"memory: max RSS {rss_mb():.0f} MB (before loading: {base_rss:.0f} MB)")


if __name__ == "__main__":
    main()
