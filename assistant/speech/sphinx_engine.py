"""pocketsphinx: the built-in English recogniser (its wheel bundles a US English model).

With a grammar it decodes over a finite-state grammar that the speech grammar writes as an FSG
file (not JSGF, which pocketsphinx expands very slowly); without one it uses the bundled language
model for free transcription, which gets few commands right.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from assistant.speech.engines import (PADDING, RATE, Engine, Hypothesis, SpeechInputError, Transcript, Utterance, confidences,
                                      word_confidences)
from assistant.speech.phonemes import espeak_pronunciations
from assistant.speech.spoken import compound

FRAME_SECONDS = 0.01
CHUNK_BYTES = RATE * 2  # one second of audio  # pocketsphinx's default frame rate: 100 frames a second
# Measured on generated commands with silence around them (benchmarks/speech_accuracy.py): no
# best-path rescoring; filler (silence) words stay on (without them no path fits at all); beams
# wider than the defaults (1e-48, 7e-29), which prune the right command early in a grammar of all
# intents: +4 to +11 points for about twice the search time (wider still: slower than real time).
# The grammar's weights count a little more than by default (language weight 8, not 6.5): as
# accurate within a clip or two at every noise level, and about half the end-of-speech-to-reply
# time (less of the grammar stays in the search); 9 and more lose commands, 4.5 and less many
# more. More paths then stop short of the grammar's end (see `_whole`).
GRAMMAR_CONFIG = {"bestpath": False, "beam": 1e-55, "pbeam": 1e-55, "wbeam": 1e-35, "lw": 8.0}
# Live normalisation starts from a guess: when the cepstral mean moved during an utterance, it is
# decoded again (normalised by the pass before) until the mean settles, at most this many times.
MAX_PASSES = 3
CMN_SETTLED = 1.0
# ... or when the shape of the sound changed as much as from a full-band voice to a telephone-band
# recording (another coefficient moves by 7 to 12; between the alternating espeak-ng voices of
# benchmarks/speech_domain.py mostly by 1 to 4.5).
SHAPE_MOVED = 5.0


def pronunciations(language: str = "en") -> dict[str, str]:
    """Pronunciations in the acoustic model's phonemes for words the NLU spells differently from the
    model's dictionary ("oclock"): sphinx_<language>.yaml next to this module."""
    raw = _model_words(language).get("pronunciations")
    return {str(word): str(phones) for word, phones in (raw or {}).items()}


def _model_words(language: str) -> dict:
    from assistant.yamlfile import load_yaml

    path = Path(__file__).with_name(f"sphinx_{language}.yaml")
    return (load_yaml(path) or {}) if path.exists() else {}


class SphinxEngine(Engine):
    name = "pocketsphinx"

    def __init__(self, grammar=None, alternatives: int = 5, model: str | None = None):
        try:
            import pocketsphinx
        except ImportError:
            raise SpeechInputError("pocketsphinx is not installed (pip install 'home-assistant-offline[speech]')") from None
        config = {"loglevel": "FATAL"}
        if model:
            path = Path(model)
            if not (path / "mdef").exists():
                raise SpeechInputError(f"{model}: not a pocketsphinx acoustic model directory (no mdef file)")
            config["hmm"] = str(path)
        self.model = str(model) if model else "bundled US English model"
        self.alternatives = alternatives
        self.started = 0  # utterances begun: a new one replaces the decoder's lattice
        self.skipped_words: set[str] = set()
        if grammar is not None:
            config.update(GRAMMAR_CONFIG, lm=None)
        try:
            self.decoder = pocketsphinx.Decoder(**config)
        except Exception as exc:  # pocketsphinx raises RuntimeError/ValueError for a bad model
            raise SpeechInputError(f"pocketsphinx cannot load its model ({exc})") from None
        if grammar is not None:
            self._use_grammar(grammar)
        self.grammar = grammar

    def _use_grammar(self, grammar) -> None:
        unknown = {w for w in grammar.words() if self.decoder.lookup_word(w) is None}
        known = pronunciations(grammar.language)
        model = _model_words(grammar.language)
        said = espeak_pronunciations(sorted(unknown - set(known)), str(model.get("espeak_voice", grammar.language)),
                                     {str(k): str(v) for k, v in (model.get("ipa") or {}).items()})
        for word in sorted(unknown):
            phones = known.get(word) or said.get(word) or self._compound_phones(word)
            if phones:
                self.decoder.add_word(word, phones, update=False)
        self.skipped_words = {w for w in unknown if self.decoder.lookup_word(w) is None}
        if self.skipped_words:
            print(f"(pocketsphinx cannot say these words, so it will not hear them: "
                  f"{', '.join(sorted(self.skipped_words))})", file=sys.stderr)
        # Slot values of several words are single words of the grammar (fewer states: faster search).
        for words in sorted(grammar.compounds()):
            if not self.skipped_words.intersection(words):
                self.decoder.add_word(compound(words), " ".join(self.decoder.lookup_word(w) for w in words), update=False)
        fsg = self.decoder.read_fsg(str(grammar.fsg_file(frozenset(self.skipped_words))))
        self.decoder.add_fsg("commands", fsg)
        self.decoder.activate_search("commands")

    def _compound_phones(self, word: str) -> str | None:
        """A pronunciation for a word made of two dictionary words ("aircon" = "air" + "con")."""
        for i in range(2, len(word) - 1):
            head, tail = self.decoder.lookup_word(word[:i]), self.decoder.lookup_word(word[i:])
            if head and tail:
                return f"{head} {tail}"
        return None

    def describe(self) -> str:
        mode = "command grammar" if self.grammar is not None else "open transcription"
        return (f"pocketsphinx with the {self.model} ({mode}); for better accuracy install a vosk model: "
                f"`assistant models list`")

    def utterance(self) -> Utterance:
        return _SphinxUtterance(self)


class _SphinxUtterance(Utterance):
    def __init__(self, engine: SphinxEngine):
        self.engine = engine
        self.decoder = engine.decoder
        engine.started += 1
        self.number = engine.started  # the decoder holds this utterance's lattice until the next one begins
        self.mean_before = _cmn(self.decoder)
        self.decoder.start_utt()
        self.pending = b""
        self.audio: list[bytes] = []
        self.partial = ""

    def feed(self, pcm: bytes) -> str:
        # pocketsphinx's live normalisation is updated per block: blocks of 30 ms from a microphone make
        # it drift and lose whole utterances, so audio is decoded a second at a time (as from a file).
        self.pending += pcm
        self.audio.append(pcm)
        if len(self.pending) >= CHUNK_BYTES:
            self.decoder.process_raw(self.pending, False, False)
            self.pending = b""
            hyp = self.decoder.hyp()
            self.partial = _clean(hyp.hypstr) if hyp else ""
        return self.partial

    def finish(self) -> Transcript:
        # pocketsphinx normalises the audio live (cepstral mean), starting from a guess or from whatever
        # was heard before, so the first pass over a first utterance (or after the sound changed) is
        # often wrong. Measured on generated commands, decoding it a second time (normalised by the
        # first pass) gets more right than one pass or a one-shot whole-utterance normalisation.
        # The streaming pass's result joins the alternatives.
        if self.pending:
            self.decoder.process_raw(self.pending, False, False)
        # the best partial path, kept in case no path reaches the end
        before_end, before_words = self.decoder.hyp(), _segments(self.decoder)
        self.decoder.end_utt()
        live = self.decoder.hyp()
        live_text = _clean(live.hypstr) if live else self._whole(before_end)
        audio = PADDING + b"".join(self.audio) + PADDING
        # In a steady setting the mean carried over from the utterances before is already right: the
        # live pass is final, at half the latency.
        passes = MAX_PASSES if _moved(_cmn(self.decoder, fold=True), self.mean_before) else 0
        for _ in range(passes):
            mean = _cmn(self.decoder)
            self.decoder.start_utt()
            for i in range(0, len(audio), CHUNK_BYTES):
                self.decoder.process_raw(audio[i : i + CHUNK_BYTES], False, False)
            before_end, before_words = self.decoder.hyp(), _segments(self.decoder)
            self.decoder.end_utt()
            if not _moved(_cmn(self.decoder), mean):
                break  # normalisation had settled: another pass would decode the same
        hyp = self.decoder.hyp()
        if hyp is None:  # no path reached the end of the grammar: the part of the partial path that is a command
            text = self._whole(before_end)
            if not text:
                return Transcript(live_text, [], [Hypothesis(live_text, 1.0)] if live_text else [])
            alternatives = [Hypothesis(text, 1.0)]
            return Transcript(text, word_confidences(before_words[: len(text.split())], alternatives), alternatives)
        text = _clean(hyp.hypstr)
        if not text:
            return Transcript(live_text, [], [Hypothesis(live_text, 1.0)] if live_text else [])
        best, segments = Hypothesis(text, 1.0), _segments(self.decoder)
        return Transcript(text, word_confidences(segments, [best]), [best],
                          pending=lambda: self._alternatives(text, _log(hyp.score), live_text, segments))

    def _alternatives(self, text: str, score: float, live_text: str, segments) -> tuple[list, list[Hypothesis]]:
        """The N-best list (as costly as the decoding itself, so only when the best path is not enough),
        read while the decoder still holds this utterance."""
        scored = [(text, score)]
        if self.engine.started == self.number:
            try:
                for i, alt in enumerate(self.decoder.nbest()):
                    if i >= self.engine.alternatives * 4:
                        break
                    alt_text = _clean(alt.hypstr)
                    if alt_text and (not self.engine.grammar or self.engine.grammar.accepts(alt_text)):
                        scored.append((alt_text, _log(alt.score)))
            except Exception:  # no lattice for this utterance: the best path alone
                pass
        top = _top_unique(scored, self.engine.alternatives)
        if live_text and live_text not in dict(top):
            top.append((live_text, min(score for _, score in top)))
        alternatives = confidences(top)
        return word_confidences(segments, alternatives), alternatives

    def _whole(self, partial) -> str:
        """A path that stopped short of the end of the grammar (noise after a command heard as "for"):
        its longest beginning, at most two words shorter, that the grammar can say."""
        words = _clean(partial.hypstr).split() if partial else []
        grammar = self.engine.grammar
        for cut in range(3 if grammar is not None else 1):
            if len(words) > cut and (grammar is None or grammar.accepts(" ".join(words[: len(words) - cut]))):
                return " ".join(words[: len(words) - cut])
        return " ".join(words)


def _segments(decoder) -> list[tuple[str, float, float]]:
    """(word, start, end) of the best path so far; a compound word's time is shared out among its words."""
    words = []
    for segment in decoder.seg() or ():
        parts = _clean(segment.word).split()
        start, end = segment.start_frame * FRAME_SECONDS, (segment.end_frame + 1) * FRAME_SECONDS
        share = (end - start) / max(1, len(parts))
        words.extend((part, start + i * share, start + (i + 1) * share) for i, part in enumerate(parts))
    return words


def _cmn(decoder, fold: bool = False) -> tuple[float, ...]:
    """The decoder's current cepstral mean. With `fold`, the utterance just decoded is first folded
    into it: pocketsphinx moves the mean by itself only after several seconds of audio, so a first
    short command (`assistant run one.wav`) was decoded once, with the model's guessed mean, and
    often not heard at all."""
    try:
        return tuple(float(x) for x in decoder.get_cmn(fold).split(","))
    except (ValueError, RuntimeError):
        return ()


def _moved(mean: tuple[float, ...], before: tuple[float, ...]) -> bool:
    """Whether the mean moved enough to decode again: in loudness (the first coefficient) or in the
    shape of the sound (a telephone-band recording after a full-band one moves the others, not the first)."""
    if len(mean) != len(before) or not mean:
        return False
    return abs(mean[0] - before[0]) >= CMN_SETTLED or max(abs(a - b) for a, b in zip(mean[1:], before[1:])) >= SHAPE_MOVED


def _log(score: float) -> float:
    """The Python API reports hypothesis scores as linear values; compare them in the log domain."""
    return math.log(score) if score > 0 else -700.0


def _top_unique(scored: list[tuple[str, float]], n: int) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for text, score in scored:
        best[text] = max(score, best.get(text, score))
    return sorted(best.items(), key=lambda item: -item[1])[:n]


def _clean(text: str) -> str:
    """Drop fillers (<s>, <sil>, [NOISE]) and alternate-pronunciation marks ("on(2)")."""
    words = []
    for word in text.split():
        if word.startswith(("<", "[", "+")):
            continue
        words.append(word.split("(")[0].replace("_", " "))
    return " ".join(words)
