"""The state file: atomic writes survive kill -9, concurrent writers lose nothing, a corrupt file is
kept aside and reported, an unwritable one is one clear error."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant.errors import StateError
from assistant.home.state import StateStore

COUNTER = textwrap.dedent("""
    import sys
    from assistant.home.state import StateStore
    store = StateStore(sys.argv[1])
    for _ in range(int(sys.argv[2])):
        with store.transaction() as state:
            state["context"]["n"] = state["context"].get("n", 0) + 1
            state["context"]["padding"] = "x" * 20000  # a bigger file is a longer write to interrupt
    print("done", flush=True)
""")


def counter(path: Path, times: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", COUNTER, str(path), str(times)], stdout=subprocess.PIPE, text=True)


def test_killing_a_writer_at_random_points_never_leaves_a_torn_file(tmp_path: Path):
    path = tmp_path / "state.json"
    rng = random.Random(1234)
    last = 0
    for _ in range(12):
        writer = counter(path, 100_000)
        time.sleep(rng.uniform(0.15, 0.5))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        state = StateStore(path).read()  # raises if the file were torn
        assert state["context"]["n"] >= last
        last = state["context"]["n"]
    assert last > 0
    for leftover in tmp_path.glob(".state.json.*.tmp"):  # a killed writer's temporary: cleaned up once stale
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    StateStore(path).check()
    assert list(tmp_path.glob(".state.json.*.tmp")) == []
    json.loads(path.read_text())


def test_two_writers_at_once_lose_no_update(tmp_path: Path):
    path = tmp_path / "state.json"
    writers = [counter(path, 150) for _ in range(2)]
    for writer in writers:
        assert writer.communicate(timeout=120)[0].strip() == "done"
    assert StateStore(path).read()["context"]["n"] == 300


def damaged(path: Path, why: str) -> str:
    return (f"state file {path} is damaged ({why}); nothing was changed; "
            f"`assistant state reset --state {path}` starts afresh, keeping a copy")


def test_a_damaged_file_is_refused_untouched_until_reset_which_keeps_a_copy(tmp_path: Path):
    path = tmp_path / "state.json"
    garbage = '{"devices": {"floor_lamp": {"power": tru'
    path.write_text(garbage)
    store = StateStore(path)
    for action in (store.read, store.check, lambda: store.transaction().__enter__()):
        with pytest.raises(StateError) as error:
            action()
        assert str(error.value) == damaged(path, "not JSON: Expecting value at line 1")
    assert path.read_text() == garbage and list(tmp_path.glob("state.json.old-*")) == []
    kept = store.reset()
    assert kept.name.startswith("state.json.old-") and kept.read_text() == garbage
    with store.transaction() as state:
        state["context"]["ok"] = True
    assert store.read()["context"]["ok"] is True
    assert store.reset() != kept and kept.read_text() == garbage, "a second reset keeps the first copy"
    assert store.reset() is None, "nothing to reset"


@pytest.mark.parametrize("data, problem", [
    ({"devices": []}, "'devices' is not an object"),
    ({"version": 99, "devices": {}}, "format version 99, this assistant reads version 1"),
    ({"devices": {"tv": [1, 2]}}, "'devices.tv' is not an object"),
    ({"context": {"at": "noon"}}, "'context.at' is text, 'noon'"),
    ({"timers": [7]}, "'timers[0]' is not an object"),
    ({"timers": [{"id": 1, "seconds": "ten", "ends_at": 5}]}, "'timers[0].seconds' is text, 'ten'"),
    ({"timers": [{"id": 1, "seconds": 60}]}, "'timers[0]' has neither 'ends_at' nor 'left'"),
    ({"timers": [{"id": 1, "seconds": 60, "ends_at": 5, "at": "soon"}]}, "'timers[0].at' is text, 'soon'"),
    ({"format": "assistant-state", "scheduled": [{"id": 1, "command": {}}]}, "'scheduled[0]' has no 'due'"),
    ({"security": {"until": "later"}}, "'security.until' is text, 'later'"),
])
def test_a_state_of_ours_of_the_wrong_shape_is_damaged(tmp_path: Path, data: dict, problem: str):
    """Each of these, let through, would crash a later command or the timer thread of `chat`."""
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data))
    with pytest.raises(StateError) as error:
        StateStore(path).read()
    assert str(error.value) == damaged(path, problem)


def test_reset_keeps_the_wrong_pin_count_so_it_cannot_undo_a_lockout(tmp_path: Path):
    path = tmp_path / "state.json"
    lockout = {"wrong": [], "lockouts": 1, "until": 2e9}
    path.write_text(json.dumps({"format": "assistant-state", "devices": {"tv": {"power": True}}, "security": lockout}))
    kept = StateStore(path).reset()
    assert json.loads(kept.read_text())["devices"] == {"tv": {"power": True}}
    fresh = StateStore(path).read()
    assert fresh["security"] == lockout and fresh["devices"] == {}


def test_a_file_written_before_the_format_marker_is_ours_and_gets_the_marker(tmp_path: Path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"version": 1, "devices": {"tv": {"power": True}}, "timers": [], "context": {}}))
    store = StateStore(path)
    assert store.read()["devices"] == {"tv": {"power": True}}
    with store.transaction() as state:
        state["devices"]["tv"]["power"] = False
    assert json.loads(path.read_text())["format"] == "assistant-state"


def test_an_empty_file_from_mktemp_is_a_fresh_state(tmp_path: Path):
    path = tmp_path / "state.json"
    path.touch()
    with StateStore(path).transaction() as state:
        state["context"]["n"] = 1
    assert json.loads(path.read_text())["context"] == {"n": 1}


def test_a_state_path_under_a_file_is_one_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = StateStore(blocker / "state.json")
    message = (f"cannot write state file {blocker}/state.json: {blocker} is a file, not a directory "
               "(choose another with --state or ASSISTANT_STATE)")
    for action in (store.check, store.read, lambda: store.write({})):
        with pytest.raises(StateError) as error:
            action()
        assert str(error.value) == message


def test_a_directory_nobody_may_write_is_one_clear_error():
    """/sys refuses new files even to root, so this holds whoever runs the tests."""
    with pytest.raises(StateError) as error:
        StateStore("/sys/state.json").check()
    assert str(error.value) == ("cannot write state file /sys/state.json: Permission denied "
                                "(choose another with --state or ASSISTANT_STATE)")


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path):
    path = tmp_path / "state.json"
    store = StateStore(path)
    with store.transaction() as state:
        state["context"]["n"] = 1
    before = path.read_text()
    with pytest.raises(TypeError):
        store.write({"context": {"bad": object()}})
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.lock"]


def test_a_failing_transaction_writes_nothing(tmp_path: Path):
    path = tmp_path / "state.json"
    store = StateStore(path)
    with pytest.raises(RuntimeError):
        with store.transaction() as state:
            state["context"]["n"] = 1
            raise RuntimeError("changed my mind")
    assert not path.exists()


def test_default_path_comes_from_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_STATE", str(tmp_path / "env.json"))
    assert StateStore().path == tmp_path / "env.json"
