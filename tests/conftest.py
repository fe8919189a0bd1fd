"""Shared fixtures: run the real console script, with a private state file per test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# Problem codes become sentences through reply/problems.py, which installs itself on import; every
# program that runs the assistant imports it, so an in-process test must too, whatever ran before it.
import assistant.reply.problems  # noqa: F401

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


def need(condition: bool, why: str) -> None:
    """Skip a test whose component is missing, except under CI, where that is a failure."""
    if not condition:
        if IN_CI:
            pytest.fail(f"missing under CI: {why}")
        pytest.skip(why)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)

    def json_lines(self):
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "state.json"


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One cache directory for the console-script runs of a test process: its entries are keyed by
    content (intent files, home, code), so sharing them changes no result, and every run no longer
    compiles the grammars afresh. A test that looks at the cache itself is marked `own_cache`."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture
def cli(state_file: Path, tmp_path: Path, shared_cache: Path, request):
    """Run `assistant ARGS...` as a user would, through the installed console script."""
    own = request.node.get_closest_marker("own_cache") is not None
    cache = tmp_path / "xdg-cache" if own else shared_cache

    def run(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> Result:
        full_env = dict(os.environ)
        full_env.pop("ASSISTANT_HOME", None)
        full_env["ASSISTANT_STATE"] = str(state_file)
        full_env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
        full_env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")
        full_env["XDG_CACHE_HOME"] = str(cache)
        full_env.update(env or {})
        proc = subprocess.run(
            [str(BIN / "assistant"), *args], input=input, capture_output=True, text=True, env=full_env, timeout=timeout
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
