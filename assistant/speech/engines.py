"""Speech-to-text engines behind one small interface.

An engine turns 16 kHz mono 16-bit audio into a `Transcript`: the best text, N-best alternatives
and per-word confidences, so the intent engine can pick the best hypothesis that parses. vosk is
the primary engine (any downloaded or packaged model); pocketsphinx, whose wheel bundles a US
English model, is the fallback that works on a fresh install with no download.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import AssistantError

RATE = 16000
ENGINES = ("vosk", "pocketsphinx")
PADDING = b"\0\0" * (RATE // 2)  # half a second of silence: both engines need some around the voice


class SpeechInputError(AssistantError):
    """The recogniser cannot be set up (no engine installed, unusable model)."""

    exit_code = 5


@dataclass
class WordInfo:
    word: str
    start: float
    end: float
    confidence: float


@dataclass
class Hypothesis:
    text: str
    confidence: float


@dataclass
class Transcript:
    """What the recogniser heard in one utterance."""

    text: str
    words: list[WordInfo] = field(default_factory=list)
    alternatives: list[Hypothesis] = field(default_factory=list)  # best first; includes `text`
    # Alternatives that cost as much as the decoding itself (pocketsphinx's N-best list) are worked
    # out only when asked for, before the next utterance: (words, alternatives).
    pending: Callable[[], tuple[list[WordInfo], list[Hypothesis]]] | None = field(default=None, repr=False,
                                                                                  compare=False)

    def complete(self) -> Transcript:
        """The transcript with its alternatives (and the word confidences they give) worked out."""
        if self.pending is not None:
            more, self.pending = self.pending, None
            self.words, self.alternatives = more()
        return self

    def to_json(self) -> dict[str, Any]:
        self.complete()
        return {
            "text": self.text,
            "words": [{"word": w.word, "start": round(w.start, 2), "end": round(w.end, 2),
                       "confidence": round(w.confidence, 3)} for w in self.words],
            "alternatives": [{"text": h.text, "confidence": round(h.confidence, 3)} for h in self.alternatives],
        }

    def candidates(self) -> list[str]:
        """Texts to try, best first, without repeats."""
        self.complete()
        seen: dict[str, None] = {}
        for text in [self.text, *(h.text for h in self.alternatives)]:
            if text:
                seen.setdefault(text)
        return list(seen)


class Utterance(ABC):
    """One utterance being decoded: audio goes in piece by piece, partial text comes out."""

    @abstractmethod
    def feed(self, pcm: bytes) -> str:
        """Decode more audio; returns the partial transcript so far."""

    @abstractmethod
    def finish(self) -> Transcript:
        """End of the utterance: the final transcript."""


class Engine(ABC):
    name: str = ""
    model: str = ""

    @abstractmethod
    def utterance(self) -> Utterance:
        """Start decoding a new utterance."""

    def transcribe(self, pcm: bytes) -> Transcript:
        utterance = self.utterance()
        pcm = PADDING + pcm + PADDING  # as the listener hears it: pre-roll before, end-of-utterance silence after
        step = RATE * 2  # one second at a time, as a microphone would deliver it
        for i in range(0, len(pcm), step):
            utterance.feed(pcm[i : i + step])
        return utterance.finish()

    def describe(self) -> str:
        """Which engine and model, in one line, for the user."""
        return f"{self.name} ({self.model})"


def confidences(scored: list[tuple[str, float]]) -> list[Hypothesis]:
    """N-best texts with log scores -> hypotheses with posterior-like confidences that sum to 1."""
    if not scored:
        return []
    best = max(score for _, score in scored)
    weights = [(text, math.exp(max(score - best, -50.0))) for text, score in scored]
    total = sum(w for _, w in weights) or 1.0
    merged: dict[str, float] = {}
    for text, weight in weights:
        merged[text] = merged.get(text, 0.0) + weight / total
    return sorted((Hypothesis(t, c) for t, c in merged.items()), key=lambda h: -h.confidence)


def word_confidences(words: list[tuple[str, float, float]], alternatives: list[Hypothesis]) -> list[WordInfo]:
    """Confidence of each best-path word: the share of N-best hypotheses that also contain it."""
    result = []
    for word, start, end in words:
        share = sum(h.confidence for h in alternatives if word in h.text.split())
        result.append(WordInfo(word, start, end, min(1.0, share) if alternatives else 1.0))
    return result
