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

    def __init__(self, path: Path | str | None = None, durable: bool = True):
        """`durable=False` skips the fsyncs: only for throw-away state (sentence tests), where a
        crash may lose the file but must still never tear it (the rename stays atomic)."""
        self.path = Path(path) if path is not None else default_state_path()
        self.durable = durable

    def read(self) -> dict[str, Any]:
        """The state as it is on disk (empty if there is no file yet); StateError if unreadable or corrupt."""
        text = self._text()
        if text is None:
            return empty_state()
        problem = _problem(text)
        if problem:
            raise StateError(f"state file {self.path} is corrupt ({problem}); nothing was changed")
        return {**empty_state(), **json.loads(text)}

    def check(self) -> None:
        """Fail early, with one clear line, if the state file cannot be used: unreadable, not
        writable, or corrupt (which is then kept aside so the next command starts afresh)."""
        with self.transaction():
            self._remove_stale_temporaries()
        probe = None
        try:
            fd, probe = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".probe", dir=self.path.parent)
            os.close(fd)
        except OSError as exc:
            raise self._cannot_write(exc) from None
        finally:
            if probe:
                with contextlib.suppress(OSError):
                    os.unlink(probe)

    def write(self, state: dict[str, Any]) -> None:
        """Replace the state file atomically: a reader sees the old file or the new one, never a mix."""
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise self._cannot_write(exc) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(state, handle, indent=1, sort_keys=True)
                handle.flush()
                if self.durable:
                    os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise self._cannot_write(exc) from None
            raise
        if not self.durable:
            return
        with contextlib.suppress(OSError):
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[dict[str, Any]]:
        """Lock, read, let the caller change the state, write it back if it changed.

        Another process's transaction waits for the lock, so no update is lost. If the caller
        raises, nothing is written. A corrupt file is kept aside (StateError says where).
        """
        with self._lock():
            text = self._text()
            problem = _problem(text) if text is not None else None
            if problem:
                kept = self._keep_aside()
                raise StateError(f"state file {self.path} was corrupt ({problem}); kept it as {kept}; "
                                 "the next command starts with a fresh state")
            state = {**empty_state(), **json.loads(text)} if text is not None else empty_state()
            before = json.dumps(state, sort_keys=True)
            yield state
            if json.dumps(state, sort_keys=True) != before:
                self.write(state)

    def _text(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise StateError(f"state file {self.path} is a directory; choose a file with --state or ASSISTANT_STATE") from None
        except NotADirectoryError:
            raise self._cannot_write(NotADirectoryError(20, "Not a directory")) from None
        except UnicodeDecodeError:
            return "\ufffd"  # not text: reported as corrupt
        except OSError as exc:
            raise StateError(f"cannot read state file {self.path}: {exc.strerror or exc}") from None

    def _remove_stale_temporaries(self, age: float = 60.0) -> None:
        """Temporary files left by a writer that was killed mid-write (the state file itself is intact)."""
        cutoff = time.time() - age
        for tmp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()

    def _cannot_write(self, exc: OSError) -> StateError:
        why = exc.strerror or str(exc)
        if isinstance(exc, (FileExistsError, NotADirectoryError)):
            why = "Not a directory"
            for parent in self.path.parents:
                if parent.exists():
                    if not parent.is_dir():
                        why = f"{parent} is a file, not a directory"
                    break
        return StateError(f"cannot write state file {self.path}: {why} (choose another with --state or ASSISTANT_STATE)")

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            lock_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = os.fdopen(os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a")  # noqa: SIM115
        except OSError as exc:
            raise self._cannot_write(exc) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()

    def _keep_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while kept.exists():
            n += 1
            kept = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            os.replace(self.path, kept)
        except OSError as exc:
            raise StateError(f"state file {self.path} is corrupt and could not be moved aside "
                             f"({exc.strerror or exc}); move or delete it") from None
        return kept


def _problem(text: str) -> str | None:
    """What is wrong with the state file's text, or None if it is a usable state."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return f"not JSON: {exc.msg} at line {exc.lineno}" if hasattr(exc, "msg") else "not JSON"
    if not isinstance(data, dict):
        return "not a JSON object"
    if not isinstance(data.get("devices", {}), dict):
        return "'devices' is not an object"
    if not isinstance(data.get("context", {}), dict):
        return "'context' is not an object"
    if not isinstance(data.get("timers", []), list):
        return "'timers' is not a list"
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return f"format version {version!r}, this assistant reads version {FORMAT_VERSION}"
    return None
