"""How long understanding takes on the unseen English sentences (every half, the noisy copies too), for one or
more checkouts of the project measured one after the other in the same run, so a change can be compared with
the code before it on this shared, noisy machine:

    git worktree add /tmp/before <commit>
    .venv/bin/python benchmarks/understand_time.py /tmp/before . /tmp/before .

Each checkout runs in its own process (its own code and intent files) on its own copy of the household home;
the sentences are always this checkout's (tests/unseen/en). Time: `Understander.understand`, best of 2 per
sentence, after 50 warm-up sentences.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def measure(repo: Path) -> str:
    """One checkout's median, p90 and p99 (ms), measured in this process."""
    import yaml

    sys.path.insert(0, str(repo))
    from assistant.app import build

    assistant = build(home=repo / "tests/unseen/homes/household.yaml", state=Path("/tmp/understand_time.json"), durable=False)
    understander = assistant.planner.understander
    sentences = [s for f in sorted((REPO / "tests/unseen/en").rglob("*.yaml"))
                 for case in (yaml.safe_load(f.read_text()) or {}).get("tests", []) for s in case.get("sentences", [])]
    for sentence in sentences[:50]:
        understander.understand(sentence)
    times = []
    for sentence in sentences:
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            understander.understand(sentence)
            best = min(best, time.perf_counter() - start)
        times.append(best * 1000)
    times.sort()
    at = lambda q: times[min(len(times) - 1, int(len(times) * q))]  # noqa: E731
    return f"{repo}: {len(times)} sentences, median {statistics.median(times):.3f} ms, p90 {at(0.9):.3f} ms, p99 {at(0.99):.3f} ms"


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(measure(Path(sys.argv[2]).resolve()))
        return
    for repo in sys.argv[1:] or ["."]:
        subprocess.run([sys.executable, __file__, "--one", repo], check=True)


if __name__ == "__main__":
    main()
