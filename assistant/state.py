"""The state file: simulated device state, timers and dialogue context, kept across processes.

Writes are atomic (temporary file, fsync, rename), so a killed process never leaves a torn
file; a lock file serialises concurrent assistants; a corrupt file is kept aside, not reset.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs

from assistant.errors import StateError

FORMAT_VERSION = 1


def default_state_path() -> Path:
    env = os.environ.get("ASSISTANT_STATE")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("assistant")) / "state.json"


def empty_state() -> dict[str, Any]:
    return {"version": FORMAT_VERSION, "devices": {}, "timers": [], "context": {}}


class StateStore:
    """Reads and writes the state file; use `transaction()` to read-modify-write safely."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_state_path()

    def read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty_state()
        except IsADirectoryError:
            raise StateError(f"state file {self.path} is a directory") from None
        except UnicodeDecodeError:
            text = None  # not text at all: corrupt
        except OSError as exc:
            raise StateError(f"cannot read state file {self.path}: {exc.strerror or exc}") from None
        try:
            if text is None:
                raise ValueError("not UTF-8 text")
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("devices", {}), dict):
                raise ValueError("not a state object")
        except ValueError:
            kept = self._keep_aside()
            if kept is None:
                raise StateError(f"state file {self.path} is corrupt and cannot be moved aside; fix or remove it") from None
            raise StateError(f"state file {self.path} is corrupt; kept it as {kept} and will start afresh") from None
        state = empty_state()
        state.update(data)
        return state

    def write(self, state: dict[str, Any]) -> None:
        """Replace the state file atomically."""
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise StateError(f"cannot write state file {self.path}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(state, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
            with contextlib.suppress(OSError):
                dir_fd = os.open(directory, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StateError(f"cannot write state file {self.path}: {exc.strerror or exc}") from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[dict[str, Any]]:
        """Lock, read, let the caller change the state, write it back if it changed."""
        with self._lock():
            state = self.read()
            before = json.dumps(state, sort_keys=True)
            yield state
            if json.dumps(state, sort_keys=True) != before:
                self.write(state)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = os.fdopen(os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a")  # noqa: SIM115
        except OSError as exc:
            raise StateError(f"cannot write state file {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()

    def _keep_aside(self) -> Path | None:
        """Move a corrupt state file to a new name (never over an earlier copy); None if it cannot be moved."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for attempt in range(1000):
            kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}" + (f"-{attempt}" if attempt else ""))
            try:
                os.link(self.path, kept)  # fails if `kept` exists, so no earlier copy is overwritten
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system: a plain rename
                try:
                    os.replace(self.path, kept)
                except OSError:
                    return None
                return kept
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            return kept
        return None
