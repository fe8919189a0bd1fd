"""Faults of the file system under the state file: a full disk and a read-only disk.

These mount a tiny tmpfs (we run as root). Where mounting is not allowed they skip locally and fail under CI.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import need

from assistant.errors import StateError
from assistant.home.state import StateStore


@pytest.fixture
def small_disk(tmp_path):
    """A 256 kB tmpfs mounted at tmp_path/disk."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    need(result.returncode == 0, f"cannot mount a tmpfs here: {result.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> None:
    """Fill the disk to the last byte (unbuffered writes, in smaller and smaller pieces)."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 64, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)


def test_full_disk_is_a_clear_error_and_the_old_state_is_intact(cli, small_disk):
    state = small_disk / "state.json"
    assert cli("say", "turn on the floor lamp", "--state", str(state)).code == 0
    before = state.read_bytes()
    fill(small_disk)
    result = cli("say", "turn on the kitchen light", "--state", str(state))
    assert "Traceback" not in result.err
    assert result.code == 3
    assert result.err.strip() == f"error: cannot write state file {state}: No space left on device (choose another with --state or ASSISTANT_STATE)"
    assert state.read_bytes() == before, "the old state must survive a failed write"
    assert not list(small_disk.glob(".state.json.*.tmp")), "a failed write leaves no temporary file"
    # Room again: the next command works and keeps what was there.
    for filler in small_disk.glob("filler*"):
        filler.unlink()
    assert cli("say", "turn on the kitchen light", "--state", str(state)).code == 0
    devices = json.loads(state.read_text())["devices"]
    assert devices["floor_lamp"]["power"] is True and devices["kitchen_light"]["power"] is True


def test_full_disk_through_the_store(small_disk):
    store = StateStore(small_disk / "state.json")
    store.write({"devices": {"lamp": {"power": True}}, "timers": [], "context": {}})
    fill(small_disk)
    with pytest.raises(StateError) as caught:
        store.write({"devices": {"lamp": {"power": False, "pad": "x" * 100_000}}, "timers": [], "context": {}})
    assert str(caught.value) == f"cannot write state file {store.path}: No space left on device (choose another with --state or ASSISTANT_STATE)"
    assert store.read()["devices"] == {"lamp": {"power": True}}


def test_read_only_disk(cli, small_disk):
    state = small_disk / "state.json"
    assert cli("say", "turn on the floor lamp", "--state", str(state)).code == 0
    before = state.read_bytes()
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    need(remount.returncode == 0, f"cannot remount read-only: {remount.stderr.strip()}")
    result = cli("say", "turn off the floor lamp", "--state", str(state))
    assert "Traceback" not in result.err
    assert result.code == 3
    assert result.err.strip() == f"error: cannot write state file {state}: Read-only file system (choose another with --state or ASSISTANT_STATE)"
    assert state.read_bytes() == before
