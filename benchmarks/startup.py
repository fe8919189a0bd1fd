"""Start-up of `assistant say`: import time of each top-level module, and wall time cold vs. with the grammar cache.

    .venv/bin/python benchmarks/startup.py [--runs 20]

Wall times are measured with hyperfine (median of --runs runs, after warm-up) on the real console
script against the demo home. "cold" empties the grammar cache before every run (the first run after
installing or changing intents); "cached" keeps it. Import times come from `python -X importtime`
(self + cumulative microseconds, median over 5 runs) of one `assistant say`. Bytecode is written
and reused, as in an installed package. The script also checks
that the second run really is a cache hit (the entries written by the first run are read, not
rewritten), that `say` imports none of the speech, audio or broker libraries, and shows where a
cached run spends its time (cProfile, cumulative, of the console script).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

BIN = Path(sys.executable).parent
SENTENCE = "turn on the floor lamp"
HEAVY = {"vosk", "pocketsphinx", "sounddevice", "numpy", "pyttsx3", "paho", "hassil", "prompt_toolkit"}


def import_times(env: dict[str, str], runs: int = 5) -> list[tuple[str, float]]:
    """Cumulative import time (ms) of each top-level module imported by `assistant say`."""
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-X", "importtime", str(BIN / "assistant"), "say", SENTENCE],
                              capture_output=True, text=True, env=env)
        for self_us, cumulative_us, name in re.findall(r"import time:\s+(\d+) \|\s+(\d+) \|( *\S+)", proc.stderr):
            if not name.startswith("  "):  # a module imported at top level (depth 0 or 1)
                samples[name.strip()].append(int(cumulative_us) / 1000)
    medians = [(name, statistics.median(values)) for name, values in samples.items()]
    return sorted(medians, key=lambda item: -item[1])


def heavy_imports(env: dict[str, str]) -> set[str]:
    """Speech, audio and broker packages a cached `assistant say` imports (should be none)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", str(BIN / "assistant"), "say", SENTENCE],
                          capture_output=True, text=True, env=env, check=True)
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", proc.stderr, re.MULTILINE)
    return {name.split(".")[0] for name in names} & HEAVY


def cache_hit(env: dict[str, str]) -> tuple[int, bool]:
    """Entries the first run writes into an empty cache, and whether a second run leaves them untouched
    (a miss would compile and rewrite its entry)."""
    directory = Path(env["XDG_CACHE_HOME"]) / "assistant" / "grammar"
    shutil.rmtree(directory, ignore_errors=True)
    say = [str(BIN / "assistant"), "say", SENTENCE]
    subprocess.run(say, env=env, check=True, capture_output=True)
    stamps = {p: p.stat().st_mtime_ns for p in directory.glob("*.pickle")}
    subprocess.run(say, env=env, check=True, capture_output=True)
    return len(stamps), bool(stamps) and stamps == {p: p.stat().st_mtime_ns for p in directory.glob("*.pickle")}


def profile(env: dict[str, str], top: int = 12) -> list[tuple[str, float]]:
    """Cumulative ms of the project's own functions in one cached `assistant say` (cProfile)."""
    import pstats

    with tempfile.NamedTemporaryFile(suffix=".prof") as out:
        subprocess.run([sys.executable, "-m", "cProfile", "-o", out.name, str(BIN / "assistant"), "say", SENTENCE],
                       env=env, check=True, capture_output=True)
        stats = pstats.Stats(out.name).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    rows = []
    for (file, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
        if "/assistant/" in file and "<module>" not in name:
            rows.append((f"{Path(file).parent.name}/{Path(file).name}:{name}", cumulative * 1000))
    return sorted(rows, key=lambda item: -item[1])[:top]


def hyperfine(command: str, prepare: str | None, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall time and mean CPU time (user + system), in ms; CPU time is less disturbed by other
    work on a shared machine."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "--style", "none", "--warmup", "2", "--runs", str(runs), "--export-json", out.name]
        if prepare:
            args += ["--prepare", prepare]
        subprocess.run([*args, command], check=True, env=env, stdout=subprocess.DEVNULL)
        result = json.load(open(out.name))["results"][0]
        return result["median"] * 1000, (result["user"] + result["system"]) * 1000


def compile_vs_cache(work: Path, runs: int = 50) -> tuple[float, float, float, int]:
    """In-process medians (ms) of what `say` does to get its grammar: compiling (cache off), a cache
    hit, and, for comparison, compiling with the garbage collector left running."""
    import time

    os.environ["XDG_CACHE_HOME"] = str(work / "cache-inproc")
    from assistant.language.cache import load_or_compile
    from assistant.understand.grammar import Grammar
    from assistant.pipeline import load_intent_set

    intents = load_intent_set()
    load_or_compile(intents)  # fill the cache
    compile_ms, hit_ms, collected_ms = [], [], []

    def timed(build) -> float:
        start = time.perf_counter()
        grammar = build()
        elapsed = (time.perf_counter() - start) * 1000
        del grammar  # freeing ~100,000 objects is not part of building them
        return elapsed

    for _ in range(runs):
        os.environ["ASSISTANT_CACHE"] = "off"
        compile_ms.append(timed(lambda: load_or_compile(intents)))
        del os.environ["ASSISTANT_CACHE"]
        hit_ms.append(timed(lambda: load_or_compile(intents)))
    for _ in range(max(5, runs // 5)):
        collected_ms.append(timed(lambda: Grammar(intents)))
    return (statistics.median(compile_ms), statistics.median(hit_ms), statistics.median(collected_ms),
            len(load_or_compile(intents).states))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="assistant-startup-"))
    env = {**os.environ, "ASSISTANT_STATE": str(work / "state.json"), "XDG_CACHE_HOME": str(work / "cache")}
    env.pop("ASSISTANT_HOME", None)
    # An installed package has its bytecode compiled (pip does it); without this a shell that sets
    # PYTHONDONTWRITEBYTECODE would time compiling the project's sources on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    say = f"{BIN / 'assistant'} say '{SENTENCE}'"
    try:
        cold = hyperfine(say, f"rm -rf {work / 'cache'}", args.runs, env)
        cached = hyperfine(say, None, args.runs, env)
        python = hyperfine(f"{sys.executable} -c pass", None, args.runs, env)
        imports = import_times(env)
        heavy = heavy_imports(env)
        entries, hit = cache_hit(env)
        profiled = profile(env)
        compile_ms, hit_ms, collected_ms, states = compile_vs_cache(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average (1 min) {load_start:.2f} at the start, {os.getloadavg()[0]:.2f} at the end, "
          f"{os.cpu_count()} cores")
    print(f"assistant say, median wall time of {args.runs}: cold {cold[0]:.0f} ms, cached {cached[0]:.0f} ms "
          f"(bare python start-up {python[0]:.0f} ms)")
    print(f"  mean CPU time (user + system): cold {cold[1]:.0f} ms, cached {cached[1]:.0f} ms, python {python[1]:.0f} ms")
    print(f"cache: the first run wrote {entries} entries; the second run {'read them (hit)' if hit else 'REWROTE them (miss)'}")
    print(f"speech/audio/broker libraries imported by say: {', '.join(sorted(heavy)) or 'none'}")
    print("\nwhere a cached run spends its time (cProfile cumulative ms, project functions):")
    for name, ms in profiled:
        print(f"  {name:60s} {ms:7.1f}")
    print(f"grammar of the shipped intents ({states} states), median of 50 in-process: "
          f"compile {compile_ms:.1f} ms, cache hit (key + load) {hit_ms:.1f} ms; compiling with the garbage "
          f"collector running (as before it was paused) {collected_ms:.1f} ms")
    print("\nimport time of top-level modules (cumulative ms, median of 5):")
    for name, ms in imports:
        if ms >= 1.0:
            print(f"  {name:40s} {ms:7.1f}")


if __name__ == "__main__":
    main()
