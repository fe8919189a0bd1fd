"""Fuzzing the template compiler: any template text compiles, or fails with a TemplateError/IntentFileError."""

from __future__ import annotations

import pytest
from fuzzing import any_text, fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import IntentFileError
from assistant.understand.grammar import Grammar
from assistant.language.intents import IntentData, IntentSet, SlotList
from assistant.understand.rules import ListIndex, match_rules
from assistant.understand.template import TemplateError, parse_template

LISTS = {"name": SlotList("name", values=[(("lamp",), "lamp"), (("tv",), "tv")]),
         "n": SlotList("n", range=(0, 100, 1)), "any": SlotList("any", wildcard=True)}


def compile_and_match(template: str, rules: dict[str, str] | None = None, tokens: list[str] | None = None):
    """Parse, compile and match; returns the grammar, or raises only the documented errors."""
    expression = parse_template(template)
    parsed_rules = {name: parse_template(text) for name, text in (rules or {}).items()}
    grammar = Grammar(IntentSet(data=[IntentData("x", [template], [expression])], rules=parsed_rules))
    if tokens is not None:
        match_rules(grammar, ListIndex(LISTS), tokens)
    return grammar


def expect_clear_outcome(template: str, rules: dict[str, str] | None = None, tokens: list[str] | None = None) -> None:
    try:
        compile_and_match(template, rules, tokens)
    except TemplateError as exc:
        assert "template" in str(exc)
    except IntentFileError as exc:
        assert str(exc)


template_chars = st.sampled_from(list("()[]{}<>|;: ") + ["a", "b", "lamp", "tv", "{name}", "{n}", "{any}", "<r>",
                                                         "<s>", "{name:slot}", "\u00e9", "\x00", "\n"])
raw_templates = st.lists(template_chars, max_size=60).map("".join)


def _group(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.lists(children, min_size=1, max_size=4).map(lambda xs: "(" + "|".join(xs) + ")"),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: "[" + " ".join(xs) + "]"),
        st.lists(children, min_size=2, max_size=4).map(lambda xs: "(" + ";".join(xs) + ")"),
        st.lists(children, min_size=1, max_size=4).map(" ".join),
    )


well_formed = st.recursive(st.sampled_from(["a", "b", "lamp", "tv", "{name}", "{n}", "{any}", "<r>", "", "()"]),
                           _group, max_leaves=25)
token_lists = st.lists(st.sampled_from(["a", "b", "lamp", "tv", "5", "500", "x"]), max_size=8)


@fuzz(400)
@given(template=st.one_of(raw_templates, any_text), tokens=token_lists)
def test_random_template_text(template, tokens):
    with time_limit(10, f"compiling {template[:80]!r}"):
        expect_clear_outcome(template, {"r": "a [b]", "s": "<r> <r>"}, tokens)


@fuzz(300)
@given(template=well_formed, rule=well_formed, tokens=token_lists)
def test_well_formed_templates_compile_and_match(template, rule, tokens):
    with time_limit(10, f"compiling {template[:80]!r}"):
        expect_clear_outcome(template, {"r": rule}, tokens)


def error_of(template: str, rules: dict[str, str] | None = None) -> str:
    with time_limit(20, f"compiling {template[:60]!r}"):
        with pytest.raises((TemplateError, IntentFileError)) as caught:
            compile_and_match(template, rules, ["a"])
    return str(caught.value)


@pytest.mark.parametrize(
    "template, message",
    [
        ("(turn on", "missing ')' at character 9 of template '(turn on'"),
        ("turn on)", "unexpected ')' at character 8 of template 'turn on)'"),
        ("[the lamp", "missing ']' at character 10 of template '[the lamp'"),
        ("(a|b;c)", "cannot mix '|' and ';' in one group at character 5 of template '(a|b;c)'"),
        ("a; b", "';' only works inside ( ) at character 2 of template 'a; b'"),
        ("{name", "missing '}' at character 1 of template '{name'"),
        ("{}", "empty name at character 1 of template '{}'"),
        ("<>", "empty name at character 1 of template '<>'"),
        ("<nowhere>", "unknown expansion rule <nowhere>"),
        ("(a;b;c;d;e;f)", "a permutation may have at most 5 parts"),
        ("(a|)", "empty alternative (for words that may be left out, write [words]) at character 5 of template '(a|)'"),
        ("(|) a", "empty alternative (for words that may be left out, write [words]) at character 2 of template '(|) a'"),
    ],
)
def test_broken_templates_say_what_is_wrong(template, message):
    assert error_of(template) == message


def test_deep_nesting_is_refused_clearly():
    assert error_of("(" * 1000 + "a" + ")" * 1000).startswith("brackets nested more than 100 deep at character 101")
    assert error_of("[" * 5000 + "a").startswith("brackets nested more than 100 deep")
    compile_and_match("[" * 100 + "a" + "]" * 100, tokens=["a"])  # deep but within the limit


def test_rules_that_double_at_every_level_are_refused_not_expanded():
    """A 'billion laughs' of expansion rules (2**40 expansions) ends in a clear error, fast."""
    rules = {f"r{i}": f"<r{i - 1}> <r{i - 1}>" for i in range(1, 41)}
    rules["r0"] = "a"
    assert error_of("<r40>", rules).startswith("the sentence templates expand too much")


def test_long_rule_chains_and_self_reference():
    chain = {f"r{i}": f"<r{i - 1}>" for i in range(1, 3000)}
    chain["r0"] = "a"
    assert error_of("<r2999>", chain).startswith("expansion rules nested more than 50 deep")
    assert error_of("<a>", {"a": "x <b>", "b": "y <a>"}) == "expansion rule <a> refers to itself"
    nested = {f"r{i}": "[" * 90 + f"<r{i - 1}>" + "]" * 90 for i in range(1, 40)}
    nested["r0"] = "a"
    assert error_of("<r39>", nested) == "the sentence templates are nested too deeply"


def test_long_runs_of_optional_words_are_bounded():
    assert error_of("[a] " * 30_000).startswith("the sentence templates expand too much")


def test_huge_alternation_and_empty_optional_groups_work():
    grammar = compile_and_match("(" + "|".join(f"word{i}" for i in range(20_000)) + ") lamp")
    assert match_rules(grammar, ListIndex(LISTS), ["word", "19999", "lamp"])  # words_of splits digits off
    grammar = compile_and_match("[] ([]) turn on [the] {name}")
    assert [m.slot_dict() for m in match_rules(grammar, ListIndex(LISTS), ["turn", "on", "tv"])] == [{"name": "tv"}]


def test_permutation_of_permutations_is_bounded():
    template = "(" + ";".join(["(a b;c d;e f;g h;i j)"] * 5) + ")"
    assert error_of(template).startswith("the sentence templates expand too much")
