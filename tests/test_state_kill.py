"""The state file survives kill -9 at any point of a write: a real writer process, killed at random moments."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

KILLS = int(os.environ.get("ASSISTANT_KILLS", "50"))

# Writes a growing state again and again, each a read-modify-write through the real StateStore.
WRITER = r"""
import sys
from assistant.home.state import StateStore
store = StateStore(sys.argv[1])
print("ready", flush=True)
while True:
    with store.transaction() as state:
        counter = state["devices"].setdefault("counter", {"n": 0, "log": []})
        counter["n"] += 1
        counter["log"].append(counter["n"])
        counter["pad"] = "x" * (counter["n"] * 37 % 20000)
"""


def check_consistent(path: Path) -> int:
    """The state file is whole JSON, and its parts agree with each other; returns the write count."""
    state = json.loads(path.read_text())
    counter = state["devices"]["counter"]
    assert counter["log"] == list(range(1, counter["n"] + 1))
    assert counter["pad"] == "x" * (counter["n"] * 37 % 20000)
    return counter["n"]


def test_state_file_survives_kill_9_at_random_moments(tmp_path):
    path = tmp_path / "state.json"
    rng = random.Random(20240606)
    last = 0
    for kill in range(KILLS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.06))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        writer.stdout.close()
        if not path.exists():
            assert last == 0, f"state file vanished after kill {kill}"
            continue
        count = check_consistent(path)
        assert count >= last, f"kill {kill}: the state went back from {last} to {count} writes"
        last = count
    assert last > KILLS, "the writers should have completed many writes between kills"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("state.json", "state.json.lock")]
    assert all(name.startswith(".state.json.") and name.endswith(".tmp") for name in leftovers), leftovers
