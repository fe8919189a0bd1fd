"""vosk (Kaldi): the primary recogniser, with any model from the model manager.

With a grammar, decoding is restricted to a phrase list read off the command grammar (vosk turns
it into a small bigram model over those words, so its output is then checked by the intent engine).
The model is opened through an overlay directory whose feature config has dither switched off, so the
same audio always gives the same words (tests and `assistant run` are reproducible).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from assistant.speech.engines import (PADDING, RATE, Engine, SpeechInputError, Transcript, Utterance, WordInfo, confidences,
                                      word_confidences)

_MODELS: dict[str, object] = {}  # loaded once per process: a model is hundreds of MB


def deterministic_model_dir(model: Path) -> Path:
    """An overlay of `model` with `--dither=0` in conf/mfcc.conf (the rest symlinked), in the cache."""
    from assistant.paths import cache_dir
    import hashlib

    mfcc = model / "conf" / "mfcc.conf"
    if not mfcc.exists() or "--dither=0" in mfcc.read_text():
        return model
    key = hashlib.sha256(str(model.resolve()).encode()).hexdigest()[:12]
    overlay = cache_dir() / "vosk-overlay" / f"{model.name}-{key}"
    if (overlay / "conf" / "mfcc.conf").exists():
        return overlay
    tmp = overlay.with_name(overlay.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "conf").mkdir(parents=True)
    for entry in model.iterdir():
        if entry.name != "conf":
            (tmp / entry.name).symlink_to(entry.resolve())
    for entry in (model / "conf").iterdir():
        if entry.name != "mfcc.conf":
            shutil.copy(entry, tmp / "conf" / entry.name)
    (tmp / "conf" / "mfcc.conf").write_text(mfcc.read_text().rstrip("\n") + "\n--dither=0\n")
    try:
        tmp.rename(overlay)
    except OSError:  # another process made it first
        shutil.rmtree(tmp, ignore_errors=True)
    return overlay


def load_model(path: Path):
    key = str(path.resolve())
    if key not in _MODELS:
        try:
            import vosk
        except ImportError:
            raise SpeechInputError("vosk is not installed (pip install 'home-assistant-offline[speech]')") from None
        vosk.SetLogLevel(-1)
        try:
            _MODELS[key] = vosk.Model(str(deterministic_model_dir(path)))
        except Exception:  # vosk raises a bare Exception("Failed to create a model")
            raise SpeechInputError(f"{path}: not a usable vosk model directory") from None
    return _MODELS[key]


class VoskEngine(Engine):
    name = "vosk"

    def __init__(self, model_path: Path, grammar=None, alternatives: int = 5):
        self.model_path = Path(model_path)
        self.model = self.model_path.name if self.model_path.name != "model" else self.model_path.parent.name
        self.vosk_model = load_model(self.model_path)
        self.grammar = grammar
        self.alternatives = alternatives
        self.phrases = json.dumps(grammar.phrases(), ensure_ascii=False) if grammar is not None else None

    def describe(self) -> str:
        mode = "command grammar" if self.grammar is not None else "open transcription"
        return f"vosk with model {self.model} ({mode}, {self.model_path})"

    def recognizer(self):
        import vosk

        if self.phrases is not None:
            rec = vosk.KaldiRecognizer(self.vosk_model, RATE, self.phrases)
        else:
            rec = vosk.KaldiRecognizer(self.vosk_model, RATE)
        rec.SetWords(True)
        rec.SetMaxAlternatives(self.alternatives)
        return rec

    def utterance(self) -> Utterance:
        return _VoskUtterance(self)


class _VoskUtterance(Utterance):
    def __init__(self, engine: VoskEngine):
        self.engine = engine
        self.rec = engine.recognizer()
        self.segments: list[dict] = []  # results of segments vosk closed by itself (pauses mid-utterance)
        self.rec.AcceptWaveform(PADDING)

    def feed(self, pcm: bytes) -> str:
        if pcm and self.rec.AcceptWaveform(pcm):
            self.segments.append(json.loads(self.rec.Result()))
        partial = json.loads(self.rec.PartialResult()).get("partial", "")
        done = " ".join(_best_text(s) for s in self.segments)
        return " ".join(t for t in (done, partial) if t)

    def finish(self) -> Transcript:
        self.feed(PADDING)
        self.segments.append(json.loads(self.rec.FinalResult()))
        segments = [s for s in self.segments if _best_text(s)]
        if not segments:
            return Transcript("")
        # Alternatives per segment; combine the best of earlier segments with the last one's N-best.
        head = " ".join(_best_text(s) for s in segments[:-1])
        last = segments[-1].get("alternatives", [])
        scored = [((head + " " + a.get("text", "")).strip(), float(a.get("confidence", 0.0))) for a in last if a.get("text")]
        alternatives = confidences(scored)
        words = [(w["word"], float(w.get("start", 0)), float(w.get("end", 0)))
                 for s in segments for w in (s.get("alternatives") or [{}])[0].get("result", [])]
        text = " ".join(_best_text(s) for s in segments)
        return Transcript(text, word_confidences(words, alternatives), alternatives)


def _best_text(result: dict) -> str:
    alternatives = result.get("alternatives")
    if alternatives:
        return alternatives[0].get("text", "").strip()
    return result.get("text", "").strip()
