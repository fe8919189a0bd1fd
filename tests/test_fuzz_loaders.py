"""Fuzzing the home loader and the intent loader: any file loads, or fails with one clear HomeError/IntentFileError."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import pytest
import yaml
from fuzzing import any_text, fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import HomeError, IntentFileError
from assistant.home.model import load_home
from assistant.understand.grammar import Grammar
from assistant.language.intents import load_intent_file
from assistant.resources import demo_home_path, intents_dir

DEMO = yaml.safe_load(demo_home_path().read_text())
POWER = yaml.safe_load((intents_dir("en") / "power.yaml").read_text())

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.sampled_from(["on", "off", "yes", "no", "light", "kitchen", "", "~", "1e308", "-"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=10) | st.integers(), inner, max_size=4), max_leaves=20)


def write(text: str) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8", errors="surrogatepass")
    with handle:
        handle.write(text)
    return Path(handle.name)


def paths_of(data, prefix=()):
    """Every place in a loaded document that can be replaced."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths_of(value, (*prefix, i))


def replaced(data, path, value):
    data = copy.deepcopy(data)
    if not path:
        return value
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


def load_home_text(text: str) -> None:
    path = write(text)
    try:
        with time_limit(10, "loading a home file"):
            try:
                load_home(path)
            except HomeError as exc:
                message = str(exc)
                assert message.startswith((str(path), f"home file {path}")), message
                assert "\n" not in message
    finally:
        path.unlink()


def load_intents_text(text: str) -> None:
    path = write(text)
    try:
        with time_limit(10, "loading an intent file"):
            try:
                Grammar(load_intent_file(path))
            except IntentFileError as exc:
                assert str(exc) and "\n" not in str(exc)
    finally:
        path.unlink()


HOME_PATHS = list(paths_of(DEMO))
INTENT_PATHS = list(paths_of(POWER))


@fuzz(150)
@given(where=st.sampled_from(HOME_PATHS), value=values)
def test_demo_home_with_one_part_replaced(where, value):
    load_home_text(yaml.safe_dump(replaced(DEMO, where, value), allow_unicode=True))


@fuzz(300)
@given(where=st.sampled_from(INTENT_PATHS), value=values)
def test_intent_file_with_one_part_replaced(where, value):
    load_intents_text(yaml.safe_dump(replaced(POWER, where, value), allow_unicode=True))


@fuzz(150)
@given(document=values)
def test_random_documents(document):
    text = yaml.safe_dump(document, allow_unicode=True)
    load_home_text(text)
    load_intents_text(text)


@fuzz(150)
@given(text=any_text | st.text(st.sampled_from(list("{}[]:-&*!|>'\"#%@`, \n\tab1")), max_size=200))
def test_random_text(text):
    load_home_text(text)
    load_intents_text(text)


def laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "text, message",
    [
        (laughs() + "\n", "YAML too large: its aliases expand to more than 200000 values"),
        ("a: &a [1, *a]\n", ":1: malformed YAML: an alias refers to a node that contains it"),
        ("[" * 10_000 + "]" * 10_000, "YAML nested too deeply"),
        ("a: *nowhere\n", ":1: malformed YAML: found undefined alias 'nowhere'"),
        ("!!python/object/apply:os.system ['true']\n", "malformed YAML: could not determine a constructor"),
        ("rooms: []\nname: \x1f\n", ":2: malformed YAML: character #x001f is not allowed"),
    ],
    ids=["billion-laughs", "self-alias", "deep-nesting", "undefined-alias", "python-tag", "control-character"],
)
@pytest.mark.parametrize("kind", ["home", "intents"])
def test_hostile_yaml_ends_in_a_clear_error(text, message, kind):
    path = write(text)
    try:
        with time_limit(10, f"loading hostile YAML as {kind}"):
            with pytest.raises(HomeError if kind == "home" else IntentFileError) as caught:
                load_home(path) if kind == "home" else load_intent_file(path)
        assert str(path) in str(caught.value)
        assert message in str(caught.value)
    finally:
        path.unlink()


def test_laughs_inside_a_list_value_of_an_intent_file():
    """The attack where it hurts: aliases inside a slot list's values, which are turned into text."""
    text = "lists:\n  big:\n    values:\n" + "".join(f"      - {line.split(': ', 1)[1]}\n" for line in laughs().splitlines())
    load_intents_text(text)
    path = write(text)
    with pytest.raises(IntentFileError, match="aliases expand to more than"):
        load_intent_file(path)
    path.unlink()


def test_a_few_aliases_are_still_fine(tmp_path):
    home = tmp_path / "home.yaml"
    home.write_text("rooms:\n  - &k {id: kitchen, aliases: [cookhouse]}\ndevices:\n"
                    "  - {id: lamp, type: light, room: kitchen, options: &o {brightness: 5}}\n"
                    "  - {id: lamp2, type: light, room: kitchen, options: *o}\n")
    assert sorted(load_home(home).devices) == ["lamp", "lamp2"]
