"""Loaded intent files kept in the user's cache directory, so a start does not read them all again.

Reading the shipped intent files (YAML with line numbers, every template parsed) took about 0.7 s of
each start of `assistant say`, `parse` or `run`; the compiled automaton was already cached
(assistant.language.cache), the files it is compiled from were not. The entry's key is a hash of
every intent file's path and bytes, of every word file of the shipped languages (templates are read
through their spelling and number words) and of the source of the modules that read them, so a
change to any of them means reading the files again. Files with a mistake are never stored: their
error is said as before. Like the grammar cache, this is only an optimisation: an unreadable,
corrupt or foreign entry means "read the files".
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

from assistant import __version__
from assistant.language.cache import collector_paused, read_entry, write_private
from assistant.language.intents import IntentSet, load_intents

FORMAT = 1
# The intent set's own data classes and the paths of its files.
_SAFE: dict[str, set[str] | None] = {"assistant.language.intents": {"IntentSet", "IntentData", "SlotList"},
         "assistant.understand.expression": None,  # any of its expression classes
         "assistant.yamlfile": {"LineDict", "LineList"},  # a dict and a list that know their lines
         "pathlib": {"Path", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"}}
# The code that decides what a loaded IntentSet holds.
_READER_PACKAGES = ("language", "understand")
_READER_MODULES = ("yamlfile.py", "errors.py", "resources.py")


def loaded_intents(directories: list[Path], pack_sentences: bool = True) -> IntentSet:
    """`load_intents(directories, pack_sentences)`, from the cache when nothing it reads has changed."""
    if os.environ.get("ASSISTANT_CACHE", "").lower() in ("0", "off", "no", "false"):
        return load_intents(directories, pack_sentences)
    key = _key(directories, pack_sentences)
    if key is None:
        return load_intents(directories, pack_sentences)
    from assistant.paths import cache_dir

    path = cache_dir() / "intents" / f"{key}.pickle"
    with collector_paused():
        cached = _read(path)
        if cached is not None:
            return cached
        intents = load_intents(directories, pack_sentences)
    with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError, RecursionError):
        write_private(path, pickle.dumps({"format": FORMAT, "intents": intents}, protocol=pickle.HIGHEST_PROTOCOL))
    return intents


def _key(directories: list[Path], pack_sentences: bool) -> str | None:
    """Hash of everything a load reads; None when some of it cannot be read (then: no caching)."""
    from assistant.resources import data_path

    digest = hashlib.sha256(f"assistant {__version__} intents-cache {FORMAT} {pack_sentences}\n".encode())
    package = Path(__file__).resolve().parent.parent
    sources = [p for name in _READER_PACKAGES for p in sorted((package / name).glob("*.py"))]
    sources += [package / name for name in _READER_MODULES]
    words = sorted(data_path("intents").glob("*/words/*.yaml")) + sorted(data_path("intents").glob("*/forms/*.yaml"))
    try:
        for path in sources + words:
            digest.update(f"\0{path.name}\0".encode())
            digest.update(path.read_bytes())
        for directory in directories:
            directory = Path(directory).resolve()
            digest.update(f"\0dir {directory} {directory.is_file()}\0".encode())
            files = [directory] if directory.is_file() else sorted(directory.glob("*.yaml"))
            for path in files:
                digest.update(f"\0{path}\0".encode())
                digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _read(path: Path) -> IntentSet | None:
    stored = read_entry(path, _SAFE)  # None for a corrupt, truncated or foreign entry: read the files instead
    intents = stored.get("intents") if stored is not None else None
    return intents if stored is not None and stored.get("format") == FORMAT and isinstance(intents, IntentSet) else None
