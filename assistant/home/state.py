"""The state file: simulated device state, timers and dialogue context, kept across processes.

Writes are atomic (temporary file, fsync, rename), so a killed process never leaves a torn
file; a lock file serialises concurrent assistants. A file that is not ours (a YAML file, a JSON
file of something else, /dev/null) is refused and left as it was; one of ours that is damaged is
refused with the way out (`assistant state reset`, which keeps a copy), never reset behind the user's back.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shlex
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs

from assistant.errors import StateError, printable
from assistant.files import NotAFileError, TooLargeError, read_bytes

FORMAT = "assistant-state"  # the marker that says a file is ours
FORMAT_VERSION = 1
# Files written before the marker: a JSON object with only these keys is ours.
KEYS_BEFORE_MARKER = {"version", "devices", "timers", "context", "scheduled", "security"}
KEPT_ON_RESET = ("security",)  # wrong PIN tries and lockouts: starting afresh must not wipe them


def default_state_path() -> Path:
    env = os.environ.get("ASSISTANT_STATE")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("assistant")) / "state.json"


def empty_state() -> dict[str, Any]:
    return {"format": FORMAT, "version": FORMAT_VERSION, "devices": {}, "timers": [], "context": {}}


class StateStore:
    """Reads and writes the state file; use `transaction()` to read-modify-write safely."""

    def __init__(self, path: Path | str | None = None, durable: bool = True):
        """`durable=False` skips the fsyncs: only for throw-away state (sentence tests), where a
        crash may lose the file but must still never tear it (the rename stays atomic)."""
        self.path = Path(path) if path is not None else default_state_path()
        self.durable = durable

    def read(self) -> dict[str, Any]:
        """The state as it is on disk (empty if there is no file yet); StateError if it cannot be used."""
        return self._load()

    def check(self) -> None:
        """Fail early, with one clear line, if the state file cannot be used: not ours, damaged,
        unreadable or not writable. A file that is refused is left as it was, with no lock file beside it."""
        self._load()
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

    def reset(self) -> Path | None:
        """Start afresh: the file is moved aside, kept byte for byte, and its new name returned
        (None if there was no file). The way out of a damaged state file; refused for a FIFO or device."""
        if self._text() is None:  # also refuses what is not a regular file
            return None
        with self._lock():
            if not self.path.exists():
                return None
            try:
                kept = {k: v for k, v in self._load().items() if k in KEPT_ON_RESET and v}
            except StateError:
                kept = {}  # a damaged file cannot be read: there is nothing to carry over
            moved = self._keep_aside()
            if kept:
                self.write({**empty_state(), **kept})
            return moved

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
        raises, nothing is written. A file that cannot be used raises StateError, untouched.
        """
        with self._lock():
            state = self._load()
            before = json.dumps(state, sort_keys=True)
            yield state
            if json.dumps(state, sort_keys=True) != before:
                self.write(state)

    def _load(self) -> dict[str, Any]:
        text = self._text()
        if text is None or not text.strip():  # no file yet, or an empty one (from `mktemp`): a fresh state
            return empty_state()
        try:
            data = json.loads(text)
        except ValueError as exc:
            problem = f"not JSON: {exc.msg} at line {exc.lineno}" if hasattr(exc, "msg") else "not JSON"
            if text.lstrip().startswith("{") and any(f'"{key}"' in text for key in KEYS_BEFORE_MARKER):
                raise self._damaged(problem) from None
            raise self._not_ours("not JSON") from None
        if not isinstance(data, dict):
            raise self._not_ours(f"JSON that is {_kind(data)}, not an object")
        if data.get("format") != FORMAT and not set(data) <= KEYS_BEFORE_MARKER:
            raise self._not_ours(f"JSON with other keys: {', '.join(sorted(map(str, set(data) - KEYS_BEFORE_MARKER)))}")
        problem = shape_problem(data)
        if problem:
            raise self._damaged(problem)
        return {**empty_state(), **data}

    def _text(self) -> str | None:
        """The file's text, None if there is none; StateError for a directory, FIFO or device (opened
        without blocking and never read: /dev/zero or a FIFO is not hung on), or a file too large to be ours."""
        try:
            return read_bytes(self.path).decode("utf-8")
        except FileNotFoundError:
            return None
        except NotAFileError as exc:
            kind = str(exc)
            raise StateError(f"state file {self.path} is {kind}{'' if kind == 'a directory' else ', not a file'}; "
                             "choose a file with --state or ASSISTANT_STATE") from None
        except TooLargeError as exc:
            raise self._not_ours(str(exc)) from None
        except NotADirectoryError:
            raise self._cannot_write(NotADirectoryError(20, "Not a directory")) from None
        except UnicodeDecodeError:
            raise self._not_ours("not UTF-8 text") from None
        except OSError as exc:
            raise StateError(f"cannot read state file {self.path}: {exc.strerror or exc}") from None

    def _not_ours(self, why: str) -> StateError:
        return StateError(f"{self.path} is not a state file of the assistant ({why}); it was left as it was: "
                          "choose another with --state or ASSISTANT_STATE")

    def _damaged(self, why: str) -> StateError:
        return StateError(f"state file {self.path} is damaged ({why}); nothing was changed; "
                          f"`assistant state reset --state {shlex.quote(str(self.path))}` starts afresh, keeping a copy")

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
        kept = self.path.with_name(f"{self.path.name}.old-{stamp}")
        n = 1
        while kept.exists():
            n += 1
            kept = self.path.with_name(f"{self.path.name}.old-{stamp}-{n}")
        try:
            os.replace(self.path, kept)
        except OSError as exc:
            raise StateError(f"could not move state file {self.path} aside ({exc.strerror or exc}); "
                             "move or delete it") from None
        return kept


_NUMBER = (int, float)
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")  # a time of day, "07:00"
# The fields each kept item must (first) or may (second) hold, so that a hand-edited file is one
# clear line at the start of a command, never a crash later (in the timer thread of `chat`, say).
_ITEMS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "timers": ({"id": int, "seconds": _NUMBER}, {"ends_at": _NUMBER, "left": _NUMBER, "name": str, "at": _CLOCK}),
    "scheduled": ({"due": _NUMBER, "command": dict}, {"id": int, "targets": list, "when": str}),
}
_SECURITY = {"wrong": list, "lockouts": int, "until": _NUMBER}
_CONTEXT = {"at": _NUMBER, "devices": list, "slots": dict, "pending": (dict, type(None)), "intent": (str, type(None))}


def shape_problem(data: dict[str, Any]) -> str | None:
    """What is wrong inside a state of ours, or None if it can be used."""
    for key, kind in (("devices", dict), ("context", dict), ("timers", list), ("scheduled", list), ("security", dict)):
        if key in data and not isinstance(data[key], kind):
            return f"'{key}' is not {_kind(kind())}"
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return f"format version {version!r}, this assistant reads version {FORMAT_VERSION}"
    for device, value in data.get("devices", {}).items():
        if not isinstance(value, dict):
            return f"'devices.{device}' is not an object"
    problem = (_fields_problem("context", data.get("context", {}), {}, _CONTEXT)
               or _fields_problem("security", data.get("security", {}), {}, _SECURITY))
    for key, (required, optional) in _ITEMS.items():
        for i, item in enumerate(data.get(key, [])):
            if problem:
                return problem
            problem = _fields_problem(f"{key}[{i}]", item, required, optional)
            if not problem and key == "timers" and "ends_at" not in item and "left" not in item:
                problem = f"'{key}[{i}]' has neither 'ends_at' nor 'left'"
    return problem


def _fields_problem(where: str, item: Any, required: dict[str, Any], optional: dict[str, Any]) -> str | None:
    if not isinstance(item, dict):
        return f"'{where}' is not an object"
    for name, kind in {**required, **optional}.items():
        if name not in item:
            if name in required:
                return f"'{where}' has no '{name}'"
            continue
        value = item[name]
        if isinstance(kind, re.Pattern):
            fits = isinstance(value, str) and kind.match(value)
        else:
            fits = isinstance(value, kind) and not isinstance(value, bool)
        if not fits:
            return f"'{where}.{name}' is {_kind(value)}, {printable(repr(value)[:40])}"
    return None


def _kind(value: Any) -> str:
    for kind, label in ((bool, "true/false"), (dict, "an object"), (list, "a list"), (str, "text"),
                        ((int, float), "a number")):
        if isinstance(value, kind):
            return label
    return "null"
