"""The speech grammar kept on disk under a hash of everything it is made from, so a change to the
home or the intents rebuilds it and nothing else does."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from assistant.language.intents import SlotList
from assistant.speech.spoken import spoken_spec
from assistant.understand.grammar import Grammar


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


def grammar_fingerprint(grammar: Grammar) -> list | str:
    """The NLU grammar cache's key (a hash of the intent files and the compiler) when there is one:
    far cheaper than walking the automaton's states."""
    from assistant.language.cache import cache_key

    key = cache_key(grammar.intents) if getattr(grammar, "intents", None) is not None else None
    if key is not None:
        return key
    return [[sorted((w, t) for w, t in s.words.items()), s.lists, s.epsilon, bool(s.accept)] for s in grammar.states]


def lists_fingerprint(lists: dict[str, SlotList], language: str) -> list:
    return [[name, sorted(w for w, _ in sl.values), sl.range, sl.wildcard, sl.kind and spoken_spec(sl.kind, language)]
            for name, sl in sorted(lists.items())]


def read_cached(path: Path | None) -> dict[str, Any] | None:
    """A cached grammar's JSON, or None (none yet, or damaged: it is rebuilt)."""
    if path is None or not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
