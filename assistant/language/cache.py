"""A cache of the compiled grammar in the user's cache directory, so a second run skips compiling.

The entry is keyed by a hash of everything the grammar is compiled from (the intent files'
contents, the parsed templates and rules) and of the compiler's own source, so a changed intent
file or a new version of the code can never be served a stale grammar. The cache is only ever
an optimisation: a missing, corrupt, foreign or unwritable entry means "compile", never an error.

Entries are pickles read back through an unpickler that only accepts the grammar's own plain
data classes and builtin containers (no functions, no other classes), and they are written
owner-only (0600 in a 0700 directory) with an atomic rename.

The cyclic garbage collector is paused while a grammar is built or loaded: the automaton is some
100,000 small containers that all live as long as the process, and letting the collector scan
them over and over while they are being created took most of the start-up time.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.understand.grammar import Closure, Grammar, State
from assistant.language.intents import IntentSet

FORMAT = 2
KEEP_ENTRIES = 8  # older entries (other intent sets, older versions) are pruned beyond this
# The modules whose code decides what a compiled grammar looks like.
_COMPILER_MODULES = ("understand/grammar", "understand/expression", "understand/template", "language/intents",
                     "understand/normalize", "language/cache")
_SAFE_BUILTINS = {"set", "frozenset", "list", "dict", "tuple", "int", "float", "str", "bytes", "bool", "complex"}
_SAFE_MODULES: dict[str, set[str] | None] = {"assistant.understand.grammar": None, "assistant.understand.expression": None}
_PRIVATE = ("intents", "data")  # restored from the live IntentSet, not stored


def cache_directory() -> Path:
    from assistant.paths import cache_dir

    return cache_dir() / "grammar"


def load_or_compile(intents: IntentSet) -> Grammar:
    """The grammar of `intents`: from the cache when a matching entry exists, else compiled (and cached)."""
    with collector_paused():
        if os.environ.get("ASSISTANT_CACHE", "").lower() in ("0", "off", "no", "false"):
            return Grammar(intents)
        key = cache_key(intents)
        if key is None:
            return Grammar(intents)
        path = cache_directory() / f"{key}.pickle"
        grammar = _load(path, intents)
        if grammar is None:
            grammar = Grammar(intents)
            _store(path, grammar, intents)
        return grammar


@contextlib.contextmanager
def collector_paused():
    """No cyclic garbage collection while the automaton's many long-lived containers are created."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cache_key(intents: IntentSet) -> str | None:
    """Hash of the inputs of compilation; None when they cannot all be read (then: no caching)."""
    digest = hashlib.sha256(f"assistant {__version__} grammar-cache {FORMAT}\n".encode())
    package = Path(__file__).resolve().parent.parent
    try:
        for name in _COMPILER_MODULES:
            digest.update((package / f"{name}.py").read_bytes())
        for path in intents.files:
            digest.update(f"\0{Path(path).resolve()}\0".encode())
            digest.update(Path(path).read_bytes())
        # What was actually parsed, in case the IntentSet was changed after loading.
        parsed = (intents.language, [(d.intent, d.expressions, d.slots) for d in intents.data], sorted(intents.rules.items()))
        digest.update(repr(parsed).encode("utf-8", "surrogatepass"))
    except (OSError, ValueError, RecursionError):
        return None
    return digest.hexdigest()


class SafeUnpickler(pickle.Unpickler):
    """Refuses anything but builtin containers and the classes `allowed` names: {module: class names,
    or None for every class of that module}."""

    def __init__(self, blob: bytes, allowed: dict[str, set[str] | None]):
        super().__init__(io.BytesIO(blob))
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        if module in self.allowed and (self.allowed[module] is None or name in self.allowed[module]):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


def read_entry(path: Path, allowed: dict[str, set[str] | None]) -> dict | None:
    """A cache entry written as a pickled dict, read with `SafeUnpickler`; None when it is missing,
    unreadable, corrupt, truncated or foreign (the caller then builds afresh)."""
    try:
        stored = SafeUnpickler(path.read_bytes(), allowed).load()
    except Exception:  # OSError, or anything unpickling a damaged entry raises
        return None
    return stored if isinstance(stored, dict) else None


def _as_call(obj: Any) -> tuple[type, tuple]:
    """A state or closure pickled as a call with its fields, which unpickles a third faster than
    an empty object and a dict of attributes."""
    return type(obj), tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def _dumps(stored: dict) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, State: _as_call, Closure: _as_call}
    pickler.dump(stored)
    return buffer.getvalue()


def _load(path: Path, intents: IntentSet) -> Grammar | None:
    stored = read_entry(path, _SAFE_MODULES)
    if stored is None:
        return None
    try:
        fields, data_index = stored["fields"], stored["data"]
        if stored["format"] != FORMAT or not isinstance(fields, dict) or any(k in fields for k in _PRIVATE):
            return None
        data = [intents.data[i] for i in data_index]
        grammar = Grammar.__new__(Grammar)
        grammar.__dict__.update(fields)
        grammar.intents = intents
        grammar.data = data
        _check(grammar)
    except Exception:  # a corrupt, truncated or foreign entry: compile instead
        return None
    return grammar


def _check(grammar: Grammar) -> None:
    """Cheap sanity checks that a loaded grammar is whole; raises on anything odd."""
    states = grammar.states
    if not isinstance(states, list) or not 0 <= grammar.start < len(states):
        raise ValueError("bad states")
    if len(grammar._closures) != len(states):
        raise ValueError("bad closures")
    for closure in grammar._closures.values():
        if any(not 0 <= i < len(grammar.templates) for i in closure.accept):
            raise ValueError("bad accept index")
    if any(not 0 <= block < len(grammar.data) for block, _ in grammar.templates):
        raise ValueError("bad template index")


def _store(path: Path, grammar: Grammar, intents: IntentSet) -> None:
    positions = {id(block): i for i, block in enumerate(intents.data)}
    try:
        data_index = [positions[id(block)] for block in grammar.data]
    except KeyError:
        return  # the grammar holds blocks that are not in the IntentSet: do not cache
    fields = {k: v for k, v in grammar.__dict__.items() if k not in _PRIVATE}
    try:
        blob = _dumps({"format": FORMAT, "fields": fields, "data": data_index})
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    write_private(path, blob)


def write_private(path: Path, blob: bytes) -> None:
    """Write a cache entry owner-only (0600 in a 0700 directory) with an atomic rename, pruning old
    entries; a cache that cannot be written only costs time."""
    with contextlib.suppress(OSError):
        _make_private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(path.parent, keep=path)


def _make_private_dir(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if directory.stat().st_mode & 0o077:
        directory.chmod(0o700)


def _prune(directory: Path, keep: Path) -> None:
    entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
