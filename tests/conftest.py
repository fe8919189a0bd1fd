"""Shared fixtures: run the assistant command (`cli`, in this process; `cli_process`, through the console
script), with a private state file per test."""

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


def pytest_collection_modifyitems(items: list) -> None:
    """Tests marked `long(seconds)` run first, the longest first. Handed to the workers one at a time
    (`--maxschedchunk 1`, in the Makefile), they are spread over both cores from the start, instead of
    one worker running minutes of them alone at the end."""
    def seconds(item) -> float:
        marker = item.get_closest_marker("long")
        return marker.args[0] if marker else 0

    items.sort(key=seconds, reverse=True)  # stable: the rest keep their order


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
    """One cache directory for the command runs of a test process: its entries are keyed by
    content (intent files, home, code), so sharing them changes no result, and every run no longer
    compiles the grammars afresh. A test that looks at the cache itself is marked `own_cache`."""
    return tmp_path_factory.mktemp("xdg-cache")


def _changes(state_file: Path, tmp_path: Path, cache: Path, env: dict | None) -> dict[str, str | None]:
    """The environment of a run: a private state file and XDG folders, no home from the caller (None unsets)."""
    return {"ASSISTANT_HOME": None, "ASSISTANT_STATE": str(state_file), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
            "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "XDG_CACHE_HOME": str(cache), **(env or {})}


def _runner(request, state_file: Path, tmp_path: Path, shared_cache: Path, process: bool):
    own = request.node.get_closest_marker("own_cache") is not None
    cache = tmp_path / "xdg-cache" if own else shared_cache
    start = _run_process if process else _run_in_process

    def run(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60) -> Result:
        return start(list(args), input, _changes(state_file, tmp_path, cache, env), timeout)

    return run


@pytest.fixture
def cli(state_file: Path, tmp_path: Path, shared_cache: Path, request):
    """Run `assistant ARGS...` as a user would: in this test process, as the console script runs in a
    fresh one (tests/inprocess.py), since starting Python and importing took most of a second per run."""
    return _runner(request, state_file, tmp_path, shared_cache, process=False)


@pytest.fixture
def cli_process(state_file: Path, tmp_path: Path, shared_cache: Path, request):
    """Run `assistant ARGS...` through the installed console script, for tests about the process itself:
    its imports, its start, the environment it starts in, and a few end-to-end runs."""
    return _runner(request, state_file, tmp_path, shared_cache, process=True)


def _run_process(args: list[str], input: str | None, changes: dict[str, str | None], timeout: float) -> Result:
    env = {key: value for key, value in {**os.environ, **changes}.items() if value is not None}
    proc = subprocess.run([str(BIN / "assistant"), *args], input=input, capture_output=True, text=True, env=env,
                          timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _run_in_process(args: list[str], input: str | None, changes: dict[str, str | None], timeout: float) -> Result:
    from inprocess import run_main

    code, out, err = run_main([str(BIN / "assistant"), *args], input, changes, timeout)
    return Result(code, out, err)
