"""Start-up: text commands import only what they need, and a second run uses the cached grammar.

Imports are read from the real console script with PYTHONPROFILEIMPORTTIME (no timing is asserted).
"""

from __future__ import annotations

import re

import pytest

from assistant.language import cache
from assistant.understand.grammar import Grammar
from assistant.understand.rules import ListIndex, match_rules
from assistant.pipeline import load_intent_set

HEAVY = {"vosk", "pocketsphinx", "sounddevice", "numpy", "pyttsx3", "paho", "hassil", "prompt_toolkit"}


def imported(result) -> set[str]:
    """Top-level packages the process imported, from -X importtime lines on stderr."""
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", result.err, re.MULTILINE)
    assert names, "no import trace on stderr"
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("command", [
    ("say", "turn on the floor lamp"),
    ("say", "--json", "is the tv on"),
    ("parse", "--json", "turn off the kitchen light"),
    ("devices", "--json"),
    ("--version",),
])
def test_text_commands_import_no_speech_audio_or_broker_libraries(cli_process, command):
    result = cli_process(*command, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.code == 0, result.err
    assert imported(result) & HEAVY == set()


@pytest.mark.parametrize("command", [("say", "turn on the floor lamp"), ("parse", "--json", "is the tv on")])
def test_text_commands_skip_what_only_other_commands_need(cli_process, command):
    """rich (tables, chat), pydantic (typer 0.29 and later) and importlib.metadata (third-party adapters)
    each cost a text command tens of milliseconds; benchmarks/startup.py has the numbers."""
    result = cli_process(*command, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.code == 0, result.err
    names = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)", result.err, re.MULTILINE))
    assert names & {"rich", "pydantic", "importlib.metadata"} == set()


def test_chat_without_a_terminal_needs_no_prompt_toolkit(cli_process):
    result = cli_process("chat", input="turn on the tv\nexit\n", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.code == 0
    assert "prompt_toolkit" not in imported(result)


def test_speaking_does_import_speech_output(cli_process):
    """The check above can fail: --speak brings in pyttsx3."""
    result = cli_process("say", "--speak", "turn on the floor lamp", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert "pyttsx3" in imported(result)


@pytest.mark.own_cache
def test_second_run_uses_the_cache(cli, tmp_path):
    cache_dir = tmp_path / "xdg-cache" / "assistant" / "grammar"
    first = cli("say", "turn on the floor lamp", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert first.code == 0
    stamps = {p: p.stat().st_mtime_ns for p in cache_dir.iterdir()}
    assert stamps, "the first run caches its compiled grammars"
    second = cli("say", "turn off the floor lamp")
    assert second.out.strip() == "Turned off the floor lamp."
    assert {p: p.stat().st_mtime_ns for p in cache_dir.iterdir()} == stamps, "a hit is not rewritten"


@pytest.mark.own_cache
def test_corrupt_or_truncated_cache_is_recompiled(cli, tmp_path):
    cache_dir = tmp_path / "xdg-cache" / "assistant" / "grammar"
    assert cli("say", "turn on the floor lamp").code == 0
    entry = max(cache_dir.iterdir(), key=lambda p: p.stat().st_size)  # the main grammar
    entry.write_bytes(b"")
    assert cli("say", "turn on the floor lamp").code == 0
    good = entry.read_bytes()  # compiled from the intent files as the cache keeps them (the first run read them)
    for damaged in (b"", b"garbage", good[: len(good) // 2], good[:-1] + b"\x00"):
        entry.write_bytes(damaged)
        result = cli("say", "turn off the floor lamp")
        assert result.code == 0 and "Traceback" not in result.err, result.err
        assert entry.read_bytes() == good, "the damaged entry is replaced by a fresh one"


def test_unwritable_cache_still_works(cli, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    result = cli("say", "turn on the floor lamp", env={"XDG_CACHE_HOME": str(blocker)})
    assert result.code == 0 and result.out.strip() == "Turned on the floor lamp.", result.err


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ASSISTANT_CACHE", raising=False)
    return tmp_path / "cache"


def test_a_cache_hit_skips_compiling(cache_home, monkeypatch):
    intents = load_intent_set()
    compiled = cache.load_or_compile(intents)

    def refuse(*args, **kwargs):
        raise AssertionError("compiled although a cache entry exists")

    monkeypatch.setattr(Grammar, "__init__", refuse)
    cached = cache.load_or_compile(load_intent_set())
    tokens = ["turn", "on", "the", "floor", "lamp"]
    lists = ListIndex(dict(intents.lists))
    assert len(cached.states) == len(compiled.states)
    assert [m.intent for m in match_rules(cached, lists, tokens)] == [m.intent for m in match_rules(compiled, lists, tokens)]


def test_a_changed_intent_file_is_never_served_a_stale_grammar(cache_home, tmp_path):
    custom = tmp_path / "coffee.yaml"
    custom.write_text("intents:\n  make_coffee:\n    data:\n      - sentences: ['make coffee']\n")
    from assistant.language.intents import load_intents

    first = cache.load_or_compile(load_intents([custom]))
    assert match_rules(first, ListIndex({}), ["make", "coffee"])
    custom.write_text("intents:\n  make_tea:\n    data:\n      - sentences: ['make tea']\n")
    second = cache.load_or_compile(load_intents([custom]))
    assert [m.intent for m in match_rules(second, ListIndex({}), ["make", "tea"])] == ["make_tea"]
    assert not match_rules(second, ListIndex({}), ["make", "coffee"])


def test_intent_files_are_read_once_and_again_only_when_they_change(cache_home, tmp_path, monkeypatch):
    """Reading the shipped intent files took about 0.7 s of every start: a second start takes them from the
    cache, a changed file is read again, and a file with a mistake is never kept (its error is said each time)."""
    from assistant.errors import IntentFileError
    from assistant.language import intents as reading
    from assistant.language.intents_cache import loaded_intents
    from assistant.resources import intents_dir

    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "coffee.yaml").write_text("intents:\n  make_coffee:\n    data:\n      - sentences: ['make [me] a coffee']\n")
    directories = [intents_dir("en"), custom]
    first = loaded_intents(directories)
    read = reading.load_intent_file

    def refuse(path):
        raise AssertionError(f"read {path} again although nothing changed")

    monkeypatch.setattr(reading, "load_intent_file", refuse)
    again = loaded_intents(directories)
    assert again.data == first.data and again.lists == first.lists and again.responses == first.responses
    assert again.sources == first.sources and "make_coffee" in again.intents
    monkeypatch.setattr(reading, "load_intent_file", read)
    (custom / "coffee.yaml").write_text("intents:\n  make_tea:\n    data:\n      - sentences: ['make [me] a tea']\n")
    changed = loaded_intents(directories)
    assert "make_tea" in changed.intents and "make_coffee" not in changed.intents
    (custom / "coffee.yaml").write_text("intents:\n  make_tea:\n    data:\n      - sentences: ['make (me a tea']\n")
    for _ in range(2):
        with pytest.raises(IntentFileError, match="coffee.yaml"):
            loaded_intents(directories)
