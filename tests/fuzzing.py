"""Shared set-up of the fuzz tests: a fixed seed, a bounded number of examples, a time limit per case.

`ASSISTANT_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz*.py` runs many more examples (still derandomised,
so a failure found that way reproduces with the same setting).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXTRA_EXAMPLES = int(os.environ.get("ASSISTANT_FUZZ_EXAMPLES", "0") or 0)


def fuzz(examples: int):
    """Hypothesis settings: `examples` by default, ASSISTANT_FUZZ_EXAMPLES when that is set."""
    return settings(
        max_examples=EXTRA_EXAMPLES or examples,
        derandomize=True,
        deadline=None,  # hangs are caught by `time_limit`, not by hypothesis' timing
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.function_scoped_fixture],
    )


class Hang(AssertionError):
    pass


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Fail (instead of hanging the suite) when one case takes longer than `seconds`."""

    def expired(signum, frame):
        raise Hang(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Any code point, surrogates and control characters included.
any_char = st.characters(codec=None, exclude_categories=())
any_text = st.text(any_char, max_size=200)
NASTY_WORDS = [
    "", " ", "\x00", "\t", "\n", "\r\n", "\u200b", "\ufeff", "\u202e", "\ud800", "é", "ß", "İ", "ﬀ", "①", "½", "²",
    "٣", "零", "二十", "안녕", "свет", "🔥", "%", "°", "°C", "&", "+", "'", "’s", "''", "...", "!?", "-", "--",
    "1e308", "-1e308", "1e-308", "inf", "-inf", "nan", "NaN", "0", "-0", "00", "0.5", "1,000", "1,000,000",
    "9" * 400, "3.14159265358979323846", "twenty", "two", "hundred", "thousand", "million", "billion",
    "a half", "and a half", "and", "then", "also", "and then", "please", "the", "a", "an", "it",
    "one", "oh", "zero", "{name}", "<device>", "(", ")", "[", "]", "|", ";",
]
