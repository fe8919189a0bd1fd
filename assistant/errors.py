"""Errors a user can cause; the CLI prints them as one line and exits non-zero."""


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
    """A device refused, failed, or could not be reached."""

    exit_code = 4


def printable(text: str) -> str:
    """`text` on one line: control characters (a newline inside a YAML key, say) written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
