"""Errors a user can cause; the CLI prints them as one line and exits non-zero."""

from __future__ import annotations

from collections.abc import Callable

# How a problem given as a code and data (a DeviceError, a BadValue) reads in English, for error lines and logs.
# reply/problems.py, which holds the words, puts its renderer here when it is imported (everything that acts
# imports it), so that this module and home/ import nothing of reply/. Until then a problem reads as its code.
english: Callable[[Exception], str] | None = None


class AssistantError(Exception):
    """A problem the user can fix; its message is the whole explanation."""

    exit_code = 1


class HomeError(AssistantError):
    """The home file is missing, malformed or inconsistent."""

    exit_code = 2


class IntentFileError(AssistantError):
    """An intent/template file is malformed."""

    exit_code = 2


class StateError(AssistantError):
    """The state file cannot be read or written."""

    exit_code = 3


class DeviceError(AssistantError):
    """A device refused, failed, or could not be reached: a code ("offline", "cannot") and its data (the
    device, the values), never a sentence. assistant/reply/problems.py says it in the user's language
    (intents/<lang>/words/problems.yaml); str() is the English one, for logs and `devices` tables.
    A code with no words (an adapter from another package that raises its own sentence) is said as it is."""

    exit_code = 4

    def __init__(self, code: str, **data: object):
        super().__init__(code)
        self.code = code
        self.data = data

    def __str__(self) -> str:
        return english(self) if english is not None else self.code


def printable(text: str) -> str:
    """`text` on one line: control characters (a newline inside a YAML key, say) written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
