"""Intent files: sentence templates, slot lists, expansion rules, skip words and responses.

The format reads like Home Assistant's intent language (hassil):

    intents:
      turn_on:
        data:
          - sentences: ["(turn|switch) on [the] {name}"]
            slots: {...}          # fixed slot values added when these sentences match
    lists:
      color: {values: [red, {in: "warm white", out: warm_white}]}
      brightness: {range: {from: 0, to: 100}}
    expansion_rules:
      the: "[the]"
    skip_words: [please]
    responses:
      turn_on: {default: "Turned on {targets}."}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import IntentFileError, printable
from assistant.nlu.expression import Expression
from assistant.nlu.normalize import words_of
from assistant.nlu.numbers import digits_in
from assistant.nlu.template import TemplateError, parse_template
from assistant.yamlfile import YamlError, line_of, load_yaml


@dataclass
class SlotList:
    """Values a `{list}` can take: phrases (words -> value), a number range, or any words."""

    name: str
    values: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)
    range: tuple[float, float, float] | None = None
    wildcard: bool = False
    kind: str | None = None  # a parsed kind ("duration", "color"): see assistant/nlu/durations.py


@dataclass
class IntentData:
    intent: str
    sentences: list[str]
    expressions: list[Expression]
    slots: dict[str, Any] = field(default_factory=dict)
    source: str = ""


@dataclass
class IntentSet:
    language: str = "en"
    data: list[IntentData] = field(default_factory=list)
    lists: dict[str, SlotList] = field(default_factory=dict)
    rules: dict[str, Expression] = field(default_factory=dict)
    skip_words: list[tuple[str, ...]] = field(default_factory=list)
    responses: dict[str, dict[str, str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @property
    def intents(self) -> list[str]:
        return sorted({d.intent for d in self.data})

    def merge(self, other: IntentSet) -> None:
        self.data.extend(other.data)
        self.lists.update(other.lists)
        self.rules.update(other.rules)
        self.skip_words.extend(w for w in other.skip_words if w not in self.skip_words)
        for intent, responses in other.responses.items():
            self.responses.setdefault(intent, {}).update(responses)
        self.files.extend(other.files)


def phrase_values(raw_values: list[Any]) -> list[tuple[tuple[str, ...], Any]]:
    """`[red, {in: "warm white", out: warm_white}]` -> [(("red",), "red"), (("warm", "white"), "warm_white")]."""
    values = []
    for item in raw_values:
        if isinstance(item, dict):
            spoken, out = item.get("in"), item.get("out", item.get("in"))
        else:
            spoken, out = item, item
        # numbers in values read as the tokens will ("four cheese" -> "4 cheese")
        words = tuple(digits_in(" ".join(words_of(str(spoken)))).split())
        if words:
            values.append((words, out))
    return values


def load_intent_file(path: Path) -> IntentSet:
    """Load one intent YAML file; errors name the file and line."""
    try:
        raw = load_yaml(path)
    except YamlError as exc:
        raise IntentFileError(f"intent file {exc}") from None
    result = IntentSet(files=[path])
    if raw is None:
        return result

    def fail(container: Any, key: Any, message: str) -> None:
        line = line_of(container, key)
        raise IntentFileError(printable(f"{path}{':' + str(line) if line else ''}: {message}"))

    if not isinstance(raw, dict):
        fail(raw, None, "expected a mapping with 'intents', 'lists', 'expansion_rules', 'skip_words' or 'responses'")
    allowed = {"language", "intents", "lists", "expansion_rules", "skip_words", "responses", "tests"}
    for key in raw:
        if key not in allowed:
            fail(raw, key, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")
    result.language = str(raw.get("language", "en"))

    def template(text: Any, container: Any, key: Any) -> Expression:
        if not isinstance(text, str) or not text.strip():
            fail(container, key, f"a sentence template must be text, got {text!r}")
        try:
            return parse_template(text)
        except TemplateError as exc:
            fail(container, key, str(exc))

    rules = raw.get("expansion_rules") or {}
    if not isinstance(rules, dict):
        fail(raw, "expansion_rules", "expansion_rules must be a mapping of name: template")
    for name, text in rules.items():
        result.rules[str(name)] = template(text, rules, name)

    lists = raw.get("lists") or {}
    if not isinstance(lists, dict):
        fail(raw, "lists", "lists must be a mapping of name: {values: [...]} or {range: {from, to}}")
    for name, spec in lists.items():
        if not isinstance(spec, dict):
            fail(lists, name, f"list '{name}' must have 'values', 'range' or 'wildcard'")
        slot_list = SlotList(str(name))
        if "values" in spec:
            if not isinstance(spec["values"], list):
                fail(spec, "values", f"list '{name}': values must be a list")
            slot_list.values = phrase_values(spec["values"])
        elif "range" in spec:
            rng = spec["range"]
            try:
                slot_list.range = (float(rng["from"]), float(rng["to"]), float(rng.get("step", 1)))
            except (TypeError, KeyError, ValueError):
                fail(spec, "range", f"list '{name}': range needs numeric 'from' and 'to'")
        elif "kind" in spec:
            from assistant.nlu.durations import KINDS

            if spec["kind"] not in KINDS:
                fail(spec, "kind", f"list '{name}': unknown kind '{spec['kind']}' (known: {', '.join(sorted(KINDS))})")
            slot_list.kind = str(spec["kind"])
        elif spec.get("wildcard"):
            slot_list.wildcard = True
        else:
            fail(lists, name, f"list '{name}' must have 'values', 'range', 'kind' or 'wildcard: true'")
        result.lists[slot_list.name] = slot_list

    skip = raw.get("skip_words") or []
    if not isinstance(skip, list):
        fail(raw, "skip_words", "skip_words must be a list")
    result.skip_words = [tuple(words_of(str(w))) for w in skip if words_of(str(w))]

    intents = raw.get("intents") or {}
    if not isinstance(intents, dict):
        fail(raw, "intents", "intents must be a mapping of intent name: {data: [...]}")
    for intent, spec in intents.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("data"), list):
            fail(intents, intent, f"intent '{intent}' needs 'data: [{{sentences: [...]}}]'")
        for i, block in enumerate(spec["data"]):
            if not isinstance(block, dict) or not isinstance(block.get("sentences"), list):
                fail(spec["data"], i, f"intent '{intent}': each data block needs a 'sentences' list")
            slots = block.get("slots") or {}
            if not isinstance(slots, dict):
                fail(block, "slots", f"intent '{intent}': slots must be a mapping")
            sentences = block["sentences"]
            expressions = [template(s, sentences, j) for j, s in enumerate(sentences)]
            result.data.append(IntentData(str(intent), [str(s) for s in sentences], expressions, dict(slots), str(path)))

    responses = raw.get("responses") or {}
    if not isinstance(responses, dict):
        fail(raw, "responses", "responses must be a mapping of intent: {outcome: text}")
    for intent, outcomes in responses.items():
        if isinstance(outcomes, str):
            outcomes = {"default": outcomes}
        if not isinstance(outcomes, dict):
            fail(responses, intent, f"responses for '{intent}' must be text or a mapping of outcome: text")
        result.responses[str(intent)] = {str(k): str(v) for k, v in outcomes.items()}
    return result


def load_intents(directories: list[Path]) -> IntentSet:
    """Load every *.yaml in the directories (not their tests/), later files adding to earlier ones."""
    merged = IntentSet()
    for directory in directories:
        directory = Path(directory)
        if not directory.exists():
            raise IntentFileError(f"intents directory {directory} does not exist")
        files = [directory] if directory.is_file() else sorted(directory.glob("*.yaml"))
        for path in files:
            loaded = load_intent_file(path)
            if path == files[0] and directory == Path(directories[0]):
                merged.language = loaded.language
            merged.merge(loaded)
    return merged
