"""Run the console script's entry point in this process as it runs in a fresh one.

What a new process has and a test process has not is set up around the call and put back after it:
its arguments, its environment, standard streams that are no terminal (file descriptors 0-2 too, so
what C libraries and child programs print is caught), Python's own warning filters and last-resort
logging, the default exception hooks, no speech recogniser yet, the program's exit handlers run at
its end, and the exit code a process would end with. A run that takes longer than its time-out stops
with TimedOut, as a hung subprocess did with TimeoutExpired.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import logging
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
import types
import warnings
from collections.abc import Iterator

from assistant.cli import main

# The warning filters of a Python started without -W or PYTHONWARNINGS, last one first.
PROCESS_WARNING_FILTERS = (("ignore", ResourceWarning), ("ignore", ImportWarning), ("ignore", PendingDeprecationWarning),
                           ("ignore", DeprecationWarning))


class TimedOut(BaseException):
    """A run over its time-out: a BaseException, so that no `except Exception` in the program swallows it."""


def run_main(argv: list[str], input: str | None, changes: dict[str, str | None], timeout: float) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `main()` run with ARGV, INPUT on stdin and the environment CHANGES
    (None unsets a variable), decoded as subprocess.run(text=True) decodes a child's output."""
    with _environment(changes), _process_state(argv), _standard_streams(input) as files, _collector_after():
        with _exit_handlers():
            code = _exit_code(timeout)
    out, err = (_text(file) for file in files[1:])
    return code, out, err


@contextlib.contextmanager
def _collector_after() -> Iterator[None]:
    """No garbage collection during a run, and one of the youngest generation after it. A run leaves some
    250,000 objects in reference cycles (the grammar's states): collected as they came, they set off
    collections that walked the whole test process and doubled the time of a run (a fresh process has
    a small heap, and exits); all made during the run, they are all in the youngest generation."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


@contextlib.contextmanager
def _exit_handlers() -> Iterator[None]:
    """What the program registers with atexit for its own objects (a broker link's goodbye) runs when the
    run ends, as at a process's exit; a library's handlers for itself are left to this process's exit."""
    registered: list = []
    register = atexit.register

    def record(function, *args, **kwargs):
        registered.append((function, args, kwargs))
        return register(function, *args, **kwargs)

    atexit.register = record
    try:
        yield
    finally:
        atexit.register = register
        for function, args, kwargs in reversed(registered):
            if getattr(function, "__module__", "").startswith("assistant."):
                atexit.unregister(function)
                try:
                    function(*args, **kwargs)
                except Exception:  # noqa: BLE001 - Python prints it at exit, and the exit code stays
                    print("Exception ignored in atexit callback:", file=sys.stderr)
                    traceback.print_exc()


def _exit_code(timeout: float) -> int:
    """The exit code Python gives: 0, SystemExit's code, or 1 after printing an uncaught exception."""
    def time_out(signum, frame):
        raise TimedOut(f"over {timeout} s")

    signal.signal(signal.SIGALRM, time_out)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        main()
        return 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return (exc.code or 0) & 0xFF
        print(exc.code, file=sys.stderr)
        return 1
    except TimedOut:
        raise
    except BaseException:  # what the interpreter does with it: the hook in place prints it (typer's, if set)
        sys.excepthook(*sys.exc_info())
        return 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


@contextlib.contextmanager
def _environment(changes: dict[str, str | None]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in changes}

    def apply(values: dict[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        time.tzset()  # TZ is read at start-up by a process

    apply(changes)
    try:
        yield
    finally:
        apply(saved)


@contextlib.contextmanager
def _process_state(argv: list[str]) -> Iterator[None]:
    """sys.argv, __main__, signal handlers, exception hooks, warning filters and logging as a fresh process
    of the console script has them."""
    from assistant.speech import recognize

    recognize._ENGINES.clear()  # a recogniser adapts to what it heard (pocketsphinx's CMN): a process starts anew
    saved_argv, saved_main, hooks = sys.argv, sys.modules["__main__"], (sys.excepthook, threading.excepthook)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    root = logging.getLogger()
    log_handlers = root.handlers[:]
    sys.argv = argv
    sys.modules["__main__"] = _script(argv[0])  # click names the program after it ("Usage: assistant ...")
    sys.excepthook, threading.excepthook = sys.__excepthook__, threading.__excepthook__
    root.handlers = []  # a warning goes to stderr through logging's last resort, not to pytest
    try:
        with warnings.catch_warnings():
            warnings.resetwarnings()
            for action, category in PROCESS_WARNING_FILTERS:
                warnings.simplefilter(action, category)
            warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
            yield
    finally:
        sys.argv, sys.modules["__main__"] = saved_argv, saved_main
        sys.excepthook, threading.excepthook = hooks
        root.handlers = log_handlers
        for number, handler in handlers.items():
            signal.signal(number, handler)


def _script(path: str) -> types.ModuleType:
    """The __main__ module of a console script: a file run as a script, in no package."""
    main_module = types.ModuleType("__main__")
    main_module.__file__ = path
    return main_module


@contextlib.contextmanager
def _standard_streams(input: str | None) -> Iterator[list]:
    """File descriptors 0-2 on temporary files (no terminal, as with pipes), and sys.stdin/stdout/stderr
    on them with the encoding and error handlers Python gives pipes; yields the three files."""
    files = [tempfile.TemporaryFile() for _ in range(3)]
    files[0].write((input or "").encode())
    files[0].seek(0)
    saved_fds = [os.dup(fd) for fd in range(3)]
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    for fd, file in enumerate(files):
        os.dup2(file.fileno(), fd)
    sys.stdin = io.TextIOWrapper(open(0, "rb", closefd=False), encoding="utf-8", errors="surrogateescape")
    unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))
    buffering = 0 if unbuffered else -1
    sys.stdout = io.TextIOWrapper(open(1, "wb", buffering, closefd=False), encoding="utf-8",
                                  errors="surrogateescape", write_through=unbuffered)
    sys.stderr = io.TextIOWrapper(open(2, "wb", buffering, closefd=False), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True, write_through=unbuffered)
    try:
        yield files
    finally:
        for stream in (sys.stdout, sys.stderr, sys.stdin):
            with contextlib.suppress(Exception):  # flushed as at exit
                stream.close()
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for fd, saved in enumerate(saved_fds):
            os.dup2(saved, fd)
            os.close(saved)
        files[0].close()


def _text(file) -> str:
    """A stream's bytes as subprocess.run(text=True) gives them: UTF-8, universal newlines."""
    with file:
        file.seek(0)
        return file.read().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
