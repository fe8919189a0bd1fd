"""The current time, overridable with ASSISTANT_NOW (epoch seconds) for scripted tests."""

from __future__ import annotations

import os
import time


def now() -> float:
    fixed = os.environ.get("ASSISTANT_NOW")
    if fixed:
        try:
            return float(fixed)
        except ValueError:
            pass
    return time.time()
