"""Timers and alarms ring on their own in a running session (chat, listen), not only when asked about."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from assistant.errors import AssistantError, printable

CHECK_SECONDS = 1.0


class TimerBell:
    """A background check, once a second, that announces timers that ran out.

    `quiet` is held while the session itself is talking, so an announcement never cuts a reply in half.
    """

    def __init__(self, assistant, announce: Callable[[str], None], every: float = CHECK_SECONDS):
        self.assistant = assistant
        self.announce = announce
        self.every = every
        self.quiet = threading.Lock()
        self._stop = threading.Event()
        self._reported: set[str] = set()
        self._thread = threading.Thread(target=self._run, name="timer-bell", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            with self.quiet:
                try:
                    messages = self.assistant.announcements()
                except (AssistantError, OSError):
                    continue  # a state file problem is reported by the next command, not from a thread
                except Exception as exc:  # noqa: BLE001 - one bad entry must not silence every later timer
                    self._report(exc)
                    continue
                for text in messages:
                    self.announce(text)

    def _report(self, exc: Exception) -> None:
        """One line on stderr, once per kind of problem, instead of a traceback and a dead thread."""
        line = printable(f"error: a timer or scheduled command could not be announced ({type(exc).__name__}: {exc})")
        if line not in self._reported:
            self._reported.add(line)
            print(line, file=sys.stderr, flush=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
