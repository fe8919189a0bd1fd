"""Mistakes in an intent file are caught when it is loaded, as one line naming the file and line, and
the command exits 2: an undefined {list}, an empty alternative, a range that never steps, a response
with a malformed field or one that reaches into Python objects, a response slot no sentence fills."""

from __future__ import annotations

from pathlib import Path

import pytest

GOOD = {
    "sentences": '["order [a|me a] {topping} pizza", "[please] get (pizza|food) with {topping}"]',
    "lists": "  topping: {values: [pepperoni, margherita]}\n",
    "response": '"Ordering a {topping} pizza for {targets}."',
}
CASES = {
    "undefined list": ({"sentences": '["order a {food} pizza"]'}, 5,
                       "'order a {food} pizza' names the list {food}, which no intent file defines (lists: "),
    "empty alternative": ({"sentences": '["order a (large|) {topping} pizza"]'}, 5,
                          "empty alternative (for words that may be left out, write [words]) at character 17 of "
                          "template 'order a (large|) {topping} pizza'"),
    "empty group": ({"sentences": '["order a (|) pizza"]'}, 5, "empty alternative"),
    "step of 0": ({"lists": "  topping: {values: [pepperoni]}\n  size: {range: {from: 1, to: 3, step: 0}}\n"}, 8,
                  "list 'size': range step must be a number above 0, got 0"),
    "attribute access": ({"response": '"Ordering {topping.__class__}."'}, 10,
                         "response order_pizza.default: '{topping.__class__}' is not a plain slot name: "
                         "a reply fills in slots only, like '{targets}'"),
    "index": ({"response": '"Ordering {targets[0]}."'}, 10, "response order_pizza.default: '{targets[0]}' is not a plain slot name"),
    "stray brace": ({"response": '"Ordering {topping pizza."'}, 10,
                    "response order_pizza.default: expected '}' before end of string (write '{{' or '}}' for a brace)"),
    "format spec": ({"response": '"Ordering {topping:>20}."'}, 10,
                    "response order_pizza.default: '{topping:>20}': a reply slot takes no format or conversion (write '{topping}')"),
    "slot never filled": ({"response": '"Ordering a {size} {topping} pizza."'}, 10,
                          "response order_pizza.default names {size}, which no sentence of 'order_pizza' fills "
                          "(its slots: topping)"),
}


def intent_file(directory: Path, sentences: str, lists: str, response: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / "pizza.yaml"
    path.write_text("intents:\n  order_pizza:\n    data:\n      - sentences:\n"
                    f"          {sentences}\n"
                    f"lists:\n{lists}"
                    "responses:\n  order_pizza:\n"
                    f"    default: {response}\n")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_a_mistake_in_an_intent_file_is_one_line_with_file_and_line(cli, tmp_path: Path, case: str):
    change, line, message = CASES[case]
    path = intent_file(tmp_path / "mine", **{**GOOD, **change})
    for command in (["say", "order a pepperoni pizza"], ["parse", "order a pepperoni pizza"]):
        result = cli(*command, "--intents", str(path.parent))
        assert "Traceback" not in result.err and result.out == ""
        assert result.code == 2
        assert result.err.startswith(f"error: {path}:{line}: {message}"), result.err
        assert result.err.count("\n") == 1


def test_the_same_file_without_the_mistakes_works(cli, tmp_path: Path):
    path = intent_file(tmp_path / "mine", **GOOD)
    result = cli("say", "please get food with margherita", "--intents", str(path.parent))
    assert (result.code, result.out) == (0, "Ordering a margherita pizza for .\n")
