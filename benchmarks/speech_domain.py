"""A custom domain by voice: coffee orders heard by our pocketsphinx pipeline, with and without the
built-in home commands in its grammar, and by plain pocketsphinx with a hand-written coffee grammar.

Why: an assistant made from one intent file (tests/data/coffee: ordering coffee in a kitchen with no
devices) should hear that domain about as well as pocketsphinx does when given only its sentences.
When the speech grammar also holds every built-in home command, coffee orders are heard as other
things (or as nothing) far more often. All three systems decode the same clips in one run, so the
gap is measured, not guessed:

  ours, builtin       build(Options(home, intents=[coffee])): the home file's builtin sentences kept
  ours, only custom   the same with Options(builtin=False): only the coffee sentences
  plain pocketsphinx  pocketsphinx.Decoder (bundled model, its default settings) searching a JSGF
                      grammar of the coffee sentences written by hand (JSGF below), made into an FSG
                      by pocketsphinx; its best hypothesis is read by the "only custom" NLU

Clips: each coffee sentence is said by 4 of 6 espeak-ng voice/rate/pitch settings, in turn (--voices 6:
by all), each out-of-domain one by 2; white noise (sox) is mixed in at the given SNRs. A clip is right
when the intent and slots of the commands equal those of the spoken text's parse; out-of-domain clips
(things said near the coffee machine that are not orders) must give no command. Times run from the
first audio to the commands (decoding and the NLU), over the audio's length with the half second of
silence on each side: the real-time factor by the clock, and by the process's CPU time, which holds
when the machine is shared. Load times include building the speech grammar from an empty cache. The
clips are shared among parallel processes (--jobs), each with its own three systems.

    .venv/bin/python benchmarks/speech_domain.py
    .venv/bin/python benchmarks/speech_domain.py --quick --show
    .venv/bin/python benchmarks/speech_domain.py --conditions clean,24,12,6
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from audio_fixtures import add_noise, speak_to_wav  # noqa: E402

HOME = REPO / "tests" / "data" / "coffee" / "home.yaml"
INTENTS = REPO / "tests" / "data" / "coffee" / "intents"

# What a customer says at the machine, in words the coffee intents read; counts are said as numbers
# ("one extra shot"), which is what the intent file's {count} is. The four plural orders are written
# `<drink>[s]`, `shot[s]`, `sugar[s]` in the intent file, which our templates read as a word "s":
# their text is understood by the fuzzy matcher only.
ORDERS = ["i would like a large latte", "i'd like a medium cappuccino please", "can i have a small americano",
          "can i get a flat white with oat milk", "could i have an espresso please",
          "could i get a large mocha with soy milk", "give me a dark roast coffee", "i'll have a decaf latte",
          "let me get a medium house blend coffee", "let me have a cortado please", "make me a cappuccino please",
          "brew me a large dark roast coffee", "an espresso", "a mocha with extra sugar",
          "a small coffee with no milk and no sugar", "a coffee with skim milk",
          "a medium light roast coffee with whole milk", "an extra large oat latte", "i want a latte",
          "one flat white please", "i'd like a large decaf cappuccino with almond milk",
          "a small espresso with one extra shot", "a mocha with a lot of sugar",
          "a house blend coffee with a little sugar", "an americano with whole milk and one sugar",
          "could i get a medium latte with some sugar", "let me have a macchiato with one extra shot",
          "two lattes please", "a latte with almond milk and two sugars", "a macchiato with two shots",
          "i need an extra large americano with three shots",
          # follow-ups
          "make it a large", "make it decaf", "add soy milk to it", "add a little sugar", "put in oat milk",
          "cancel my order", "never mind", "is my coffee ready", "what did i order"]
# Said near the machine, to someone else or to another assistant: no command.
ELSEWHERE = ["what's the weather like", "turn on the lights", "call my mother", "play some music", "good morning",
             "how are you today", "what time is it", "set a timer for five minutes", "tell me a joke",
             "where did i put my keys", "we are out of milk again", "this coffee is really good",
             "thank you very much", "is it going to rain tomorrow", "turn off the kitchen light"]
VOICES = [("en-us", 160, 50), ("en-us+m3", 140, 40), ("en-us+f3", 175, 60), ("en-gb-x-rp", 150, 50),
          ("en-gb", 170, 45), ("en-us+f2", 150, 70)]
# Each coffee sentence is said by this many of the voices, in turn (all of them are used), each
# out-of-domain one by half as many: the default run takes some 17 minutes of CPU time (about 9 minutes
# on 2 idle cores), --quick about a quarter of that.
PER_SENTENCE = 4
QUICK_VOICES = [VOICES[0], VOICES[3]]  # --quick: each sentence said once, by one of these in turn

# The coffee sentences as a plain pocketsphinx user writes them from tests/data/coffee/intents/coffee.yaml:
# its templates and expansion rules, with {count} said as "one" to "four" and the optional "s" as plurals.
JSGF = """#JSGF V1.0;
grammar coffee;
public <command> = <order> | <add> | <cancel> | <status>;
<order> = ([<ask>] (a | an | one) | [a | an] | (make | brew | pour) me (a | an)) <drink> <rest>
        | <count> (<drink> | <drinks>) <rest>;
<ask> = i would like | i'd like | can i (have | get) | could i (have | get) | give me | i'll have
      | let me (have | get) | i want | i need;
<rest> = [<extras>] [and <extras>] [please];
<drink> = [<size>] [<roast>] [<milk_kind>] <drink_name>;
<drinks> = [<size>] [<roast>] [<milk_kind>] <drink_names>;
<extras> = [with] (<milk> | <sugar> | <shots>);
<milk> = [<amount>] <milk_kind> [milk];
<sugar> = (<amount> | <count>) (sugar | sugars);
<shots> = <count> [extra] (shot | shots) [of espresso];
<add> = (add | put in) <extras> [to (it | that | my (drink | coffee))] [please]
      | make (it | that) ((a | an) <size> | <roast>) [please]
      | (and | also) <extras> [please];
<cancel> = (cancel | scrap | forget) (my | the | that) order [please] | never mind [the coffee];
<status> = (is | how long until) my (coffee | drink | order) [ready] | what did i order;
<size> = small | medium | large | extra large;
<roast> = light roast | medium roast | dark roast | decaf | house blend;
<drink_name> = coffee | espresso | latte | cappuccino | americano | flat white | mocha | macchiato | cortado;
<drink_names> = coffees | espressos | lattes | cappuccinos | americanos | flat whites | mochas | macchiatos
              | cortados;
<milk_kind> = oat | soy | almond | whole | skim | no;
<amount> = no | a little | some | extra | a lot of;
<count> = one | two | three | four;
"""
# Words of the grammar that the bundled dictionary lacks, as a user would add them.
PLAIN_WORDS = {"macchiato": "M AA K IY AA T OW", "macchiatos": "M AA K IY AA T OW Z", "cortado": "K AO R T AA D OW",
               "cortados": "K AO R T AA D OW Z", "lattes": "L AA T EY Z", "cappuccinos": "K AE P UW CH IY N OW Z"}
PLAIN_LW = 7.5
CHUNK = 32000  # one second of 16 kHz 16-bit audio, as a microphone delivers it


def understood(commands) -> list:
    """What a clip must get right: each command's intent and slots (the coffee home has no devices)."""
    return [(c.intent, c.slots) for c in commands]


def shown(commands) -> str:
    return "; ".join(f"{c.intent} {c.slots}" for c in commands) or "(nothing)"


def coffee_intents() -> set[str]:
    from assistant.yamlfile import load_yaml

    return {str(name) for path in INTENTS.glob("*.yaml") for name in load_yaml(path)["intents"]}


@dataclass
class Tally:
    """One system's results in one condition."""

    right: int = 0
    wrong: int = 0  # a command, but not the one said
    home: int = 0  # of the wrong ones: a command that is no coffee intent
    none: int = 0
    acted: int = 0  # out-of-domain clips that gave a command
    elsewhere: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # the process's CPU time: what the decoding costs when the machine is shared
    audio: float = 0.0


@dataclass
class System:
    name: str
    load_seconds: float = 0.0
    load_cpu: float = 0.0
    grammar: str = ""
    tally: Tally = field(default_factory=Tally)

    def hear(self, pcm: bytes) -> tuple[str, str, list]:
        """(what the recogniser heard, the text acted on, its commands) for padded 16 kHz PCM."""
        raise NotImplementedError


class Ours(System):
    """The assistant's speech pipeline, as `assistant listen` runs it."""

    def __init__(self, name: str, builtin: bool | None, state: Path):
        super().__init__(name)
        from assistant.app import Options, build
        from assistant.speech.recognize import engine_for

        started, cpu = time.perf_counter(), time.process_time()
        self.assistant = build(Options(home=HOME, state=state, intents=[INTENTS], builtin=builtin))
        self.engine = engine_for(self.assistant, "pocketsphinx")
        self.load_seconds, self.load_cpu = time.perf_counter() - started, time.process_time() - cpu
        grammar = self.engine.grammar
        self.grammar = f"speech grammar of {grammar.states} states, {len(grammar.edges)} word edges"

    def hear(self, pcm: bytes) -> tuple[str, str, list]:
        from assistant.speech.recognize import understood_text

        utterance = self.engine.utterance()
        for k in range(0, len(pcm), CHUNK):
            utterance.feed(pcm[k : k + CHUNK])
        transcript = utterance.finish()
        text = understood_text(transcript, self.assistant, grammar=self.engine.grammar)
        return transcript.text, text, self.assistant.parse(text)


class PlainSphinx(System):
    """pocketsphinx on its own: the hand-written JSGF grammar, its default settings, one pass."""

    def __init__(self, name: str, nlu, folder: Path):
        super().__init__(name)
        import pocketsphinx

        self.nlu = nlu
        path = folder / "coffee.gram"
        path.write_text(JSGF)
        started, cpu = time.perf_counter(), time.process_time()
        self.decoder = pocketsphinx.Decoder(lm=None, loglevel="FATAL")
        for word, phones in PLAIN_WORDS.items():
            if self.decoder.lookup_word(word) is None:
                self.decoder.add_word(word, phones, update=False)
        loaded = time.perf_counter()
        jsgf = pocketsphinx.Jsgf(str(path))
        fsg = jsgf.build_fsg(jsgf.get_rule("coffee.command"), self.decoder.logmath, PLAIN_LW)
        self.decoder.add_fsg("coffee", fsg)
        self.decoder.activate_search("coffee")
        self.load_seconds, self.load_cpu = time.perf_counter() - started, time.process_time() - cpu
        self.grammar = f"JSGF to FSG and search {time.perf_counter() - loaded:.2f} s"

    def hear(self, pcm: bytes) -> tuple[str, str, list]:
        self.decoder.start_utt()
        for k in range(0, len(pcm), CHUNK):
            self.decoder.process_raw(pcm[k : k + CHUNK], False, False)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        text = hyp.hypstr if hyp else ""
        return text, text, self.nlu.parse(text) if text else []


def systems(folder: Path) -> list[System]:
    """The three systems, each built from nothing (its own empty speech-grammar cache)."""
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    custom = Ours("ours, only custom", False, folder / "custom.json")
    return [Ours("ours, builtin", None, folder / "builtin.json"), custom,
            PlainSphinx("plain pocketsphinx", custom.assistant, folder)]


def run_share(job: tuple[int, int, list[float | None], list[tuple[str, str, Path]], dict[str, list], bool, Path]) -> tuple:
    """Decode every `jobs`-th clip, starting at `share`, in each condition in turn with each system.
    Returns ({condition: [(system, tally)]}, [(system, load seconds, grammar)], lines to show)."""
    from assistant.speech.engines import PADDING
    from assistant.speech.wavfile import read_wav

    share, jobs, conditions, clips, expected, show, folder = job
    folder = Path(tempfile.mkdtemp(prefix=f"share{share}-", dir=folder))
    measured = systems(folder)
    coffee = coffee_intents()
    results: dict[str, list[tuple[str, Tally]]] = {}
    lines = []
    # One condition at a time, as a session in one room would be; each decoder hears the same clips in
    # the same order (pocketsphinx adapts its normalisation from one utterance to the next).
    for condition in conditions:
        label = "clean" if condition is None else f"{condition:g} dB"
        for system in measured:
            system.tally = Tally()
        for n, (sentence, voice, source) in enumerate(clips[share::jobs]):
            path = source
            if condition is not None:
                path = folder / f"{n}.wav"
                path.write_bytes(source.read_bytes())
                add_noise(path, condition)
            pcm = PADDING + read_wav(path) + PADDING  # pre-roll and the end-of-utterance silence, as when listening
            for system in measured:
                t0, cpu = time.perf_counter(), time.process_time()
                heard, text, commands = system.hear(pcm)
                tally = system.tally
                tally.seconds += time.perf_counter() - t0
                tally.cpu += time.process_time() - cpu
                tally.audio += len(pcm) / 32000
                if sentence in expected:
                    right = understood(commands) == expected[sentence]
                    tally.right += right
                    tally.wrong += bool(commands) and not right
                    tally.home += bool(commands) and not right and any(c.intent not in coffee for c in commands)
                    tally.none += not commands
                else:
                    right = not commands
                    tally.elsewhere += 1
                    tally.acted += bool(commands)
                if show and not right:
                    lines.append(f"  {system.name} ({label}, {voice}): {sentence!r} -> heard {heard!r} -> {text!r} "
                                 f"-> {shown(commands)}")
        results[label] = [(s.name, s.tally) for s in measured]
    return results, [(s.name, s.load_seconds, s.load_cpu, s.grammar) for s in measured], lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conditions", default="clean,6",
                        help="comma-separated: clean and/or SNRs in dB of white noise (default clean,6; e.g. clean,24,12,6)")
    parser.add_argument("--quick", action="store_true",
                        help=f"each sentence said once, by one of {len(QUICK_VOICES)} voices in turn (for trying settings)")
    parser.add_argument("--voices", type=int, default=PER_SENTENCE,
                        help=f"voices that say each coffee sentence, of {len(VOICES)} (default {PER_SENTENCE})")
    parser.add_argument("--show", action="store_true", help="print each miss: said -> heard -> acted on -> understood")
    parser.add_argument("--jobs", type=int, default=2, help="processes, each decoding its share of the clips (default 2)")
    args = parser.parse_args()
    conditions = [None if c.strip() == "clean" else float(c) for c in args.conditions.split(",")]

    from assistant.app import Options, build

    tmp = Path(tempfile.mkdtemp(prefix="speech-domain-"))
    custom = build(Options(home=HOME, state=tmp / "custom.json", intents=[INTENTS], builtin=False))
    builtin = build(Options(home=HOME, state=tmp / "builtin.json", intents=[INTENTS]))
    expected = {s: understood(custom.parse(s)) for s in ORDERS}
    assert all(expected.values()), f"not understood: {[s for s, e in expected.items() if not e]}"
    assert not any(custom.parse(s) for s in ELSEWHERE), "an out-of-domain sentence is a coffee command"
    fuzzy = [s for s in ORDERS if any(c.match != "rule" for c in custom.parse(s))]
    differ = [s for s in ORDERS if understood(builtin.parse(s)) != expected[s]]
    typed = [s for s in ELSEWHERE if builtin.parse(s)]

    voices = QUICK_VOICES if args.quick else VOICES
    per = 1 if args.quick else max(1, min(args.voices, len(VOICES)))
    said = [(s, voices[(i * per + k) % len(voices)]) for i, s in enumerate(ORDERS) for k in range(per)]
    per = (per + 1) // 2
    said += [(s, voices[(i * per + k) % len(voices)]) for i, s in enumerate(ELSEWHERE) for k in range(per)]
    clips = [(s, f"{voice} {rate} {pitch}", speak_to_wav(s, tmp / f"{n}.wav", voice, rate, pitch))
             for n, (s, (voice, rate, pitch)) in enumerate(said)]
    started = time.perf_counter()
    jobs = max(1, args.jobs)
    with multiprocessing.Pool(jobs) as pool:
        shares = pool.map(run_share, [(k, jobs, conditions, clips, expected, args.show, tmp) for k in range(jobs)],
                          chunksize=1)
    run_seconds = time.perf_counter() - started
    results: dict[str, dict[str, Tally]] = {}
    for by_condition, _, _ in shares:
        for label, tallies in by_condition.items():
            for name, tally in tallies:
                total = results.setdefault(label, {}).setdefault(name, Tally())
                for key, value in vars(tally).items():
                    setattr(total, key, getattr(total, key) + value)

    in_domain = sum(s in expected for s, _ in said)
    for _, _, lines in shares:
        for line in lines:
            print(line)
    print(f"set: {len(ORDERS)} coffee sentences, {in_domain} clips; {len(ELSEWHERE)} out-of-domain, "
          f"{len(said) - in_domain} clips ({len({v for _, v in said})} espeak-ng voice/rate/pitch); white noise; "
          f"{len(conditions)} conditions decoded in {run_seconds:.0f} s by {jobs} processes")
    print(f"  coffee sentences understood by the fuzzy matcher only (plurals): {len(fuzzy)}; "
          f"understood otherwise with the builtin sentences: {len(differ)}{' ' + str(differ) if differ else ''}")
    print(f"  out-of-domain sentences that are commands when typed: ours, builtin {len(typed)}/{len(ELSEWHERE)}"
          f"{' ' + str(typed) if typed else ''}; only custom 0/{len(ELSEWHERE)}")
    for n, (_, loads, _) in enumerate(shares):
        print(f"loads in process {n + 1} (wall / CPU): " + "; ".join(
            f"{name} {load:.2f} / {cpu:.2f} s ({grammar})" for name, load, cpu, grammar in loads))
    width = max(len(name) for name, *_ in shares[0][1])
    print(f"{'system':<{width}}  {'condition':>9}  {'right':>16}  {'wrong':>5}  {'(home)':>6}  {'none':>4}  "
          f"{'RTF':>5}  {'CPU':>5}  out-of-domain acted on")
    for label, tallies in results.items():
        for name, t in tallies.items():
            n = t.right + t.wrong + t.none
            print(f"{name:<{width}}  {label:>9}  {t.right:>4}/{n} = {100 * t.right / n:5.1f}%  {t.wrong:>5}  "
                  f"{t.home:>6}  {t.none:>4}  {t.seconds / t.audio:5.3f}  {t.cpu / t.audio:5.3f}  "
                  f"{t.acted}/{t.elsewhere} = {100 * t.acted / t.elsewhere:.1f}%")


if __name__ == "__main__":
    main()
