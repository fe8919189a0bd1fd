"""The `assistant` command line."""

from __future__ import annotations

import sys

from assistant.cli.app import app
from assistant.errors import AssistantError, printable
from assistant.reply import problems  # noqa: F401  (errors from adapters and values read in English on stderr)

# Each module adds its commands to `app` when imported.
from assistant.cli import devices, text  # noqa: E402,F401
from assistant.cli import mqtt  # noqa: E402,F401
from assistant.cli import sentences  # noqa: E402,F401
from assistant.cli import speech  # noqa: E402,F401
from assistant.cli import models  # noqa: E402,F401
from assistant.cli import state  # noqa: E402,F401


def main() -> None:
    """Console-script entry point: user errors are one line on stderr and a non-zero exit."""
    if hasattr(sys.stdout, "reconfigure"):  # undecodable input bytes must not make invalid UTF-8 output
        sys.stdout.reconfigure(errors="replace")
    try:
        app()
    except AssistantError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
