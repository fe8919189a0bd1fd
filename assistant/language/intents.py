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

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import IntentFileError, printable
from assistant.understand.expression import Expression, ListRef, RuleRef
from assistant.understand.normalize import words_of
from assistant.language.numbers import digits_in
from assistant.understand.template import TemplateError, parse_template
from assistant.reply.fields import TemplateFieldError, reply_fields
from assistant.yamlfile import YamlError, line_of, load_yaml


@dataclass
class SlotList:
    """Values a `{list}` can take: phrases (words -> value), a number range, or any words."""

    name: str
    values: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)
    range: tuple[float, float, float] | None = None
    wildcard: bool = False
    kind: str | None = None  # a parsed kind ("duration", "color"): see assistant/language/durations.py
    language: str = "en"  # whose words a parsed kind reads ("5 minutes", "5 분")


@dataclass
class IntentData:
    intent: str
    sentences: list[str]
    expressions: list[Expression]
    slots: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    lines: list[str] = field(default_factory=list)  # "file:line" of each sentence


@dataclass
class IntentSet:
    language: str = "en"
    data: list[IntentData] = field(default_factory=list)
    lists: dict[str, SlotList] = field(default_factory=dict)
    rules: dict[str, Expression] = field(default_factory=dict)
    skip_words: list[tuple[str, ...]] = field(default_factory=list)
    responses: dict[str, dict[str, str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # "file:line" of each "<rule>" and "intent.outcome"

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
        self.sources.update(other.sources)


def phrase_values(raw_values: list[Any], language: str = "en") -> list[tuple[tuple[str, ...], Any]]:
    """`[red, {in: "warm white", out: warm_white}]` -> [(("red",), "red"), (("warm", "white"), "warm_white")]."""
    values = []
    for item in raw_values:
        if isinstance(item, dict):
            spoken, out = item.get("in"), item.get("out", item.get("in"))
        else:
            spoken, out = item, item
        # numbers in values read as the tokens will ("four cheese" -> "4 cheese")
        words = tuple(digits_in(" ".join(words_of(str(spoken))), language).split())
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
    file = _File(path)
    if not isinstance(raw, dict):
        file.fail(raw, None, "expected a mapping with 'intents', 'lists', 'expansion_rules', 'skip_words' or 'responses'")
    allowed = {"language", "intents", "lists", "expansion_rules", "skip_words", "responses", "tests"}
    for key in raw:
        if key not in allowed:
            file.fail(raw, key, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")
    result.language = str(raw.get("language", "en"))
    rules = file.mapping(raw, "expansion_rules", "expansion_rules must be a mapping of name: template")
    for name, text in rules.items():
        result.rules[str(name)] = file.template(text, rules, name)
        result.sources[f"<{name}>"] = file.at(rules, name)
    for name, spec in file.mapping(raw, "lists", "lists must be a mapping of name: {values: [...]} or "
                                                 "{range: {from, to}}").items():
        result.lists[str(name)] = _slot_list(file, raw["lists"], str(name), spec, result.language)
    skip = raw.get("skip_words") or []
    if not isinstance(skip, list):
        file.fail(raw, "skip_words", "skip_words must be a list")
    result.skip_words = [tuple(words_of(str(w))) for w in skip if words_of(str(w))]
    _load_intents(file, raw, result)
    _load_responses(file, raw, result)
    return result


class _File:
    """One intent file being read: where things are in it, and one-line errors that say so."""

    def __init__(self, path: Path):
        self.path = path

    def at(self, container: Any, key: Any) -> str:
        line = line_of(container, key)
        return f"{self.path}:{line}" if line else str(self.path)

    def fail(self, container: Any, key: Any, message: str) -> None:
        raise IntentFileError(printable(f"{self.at(container, key)}: {message}"))

    def mapping(self, raw: dict, key: str, message: str) -> dict:
        value = raw.get(key) or {}
        if not isinstance(value, dict):
            self.fail(raw, key, message)
        return value

    def template(self, text: Any, container: Any, key: Any) -> Expression:
        if not isinstance(text, str) or not text.strip():
            self.fail(container, key, f"a sentence template must be text, got {text!r}")
        try:
            return parse_template(text)
        except TemplateError as exc:
            self.fail(container, key, str(exc))


def _slot_list(file: _File, lists: dict, name: str, spec: Any, language: str = "en") -> SlotList:
    if not isinstance(spec, dict):
        file.fail(lists, name, f"list '{name}' must have 'values', 'range' or 'wildcard'")
    slot_list = SlotList(name, language=language)
    if "values" in spec:
        if not isinstance(spec["values"], list):
            file.fail(spec, "values", f"list '{name}': values must be a list")
        slot_list.values = phrase_values(spec["values"], language)
    elif "range" in spec:
        rng = spec["range"]
        try:
            low, high, step = float(rng["from"]), float(rng["to"]), float(rng.get("step", 1))
        except (TypeError, KeyError, ValueError, AttributeError):
            file.fail(spec, "range", f"list '{name}': range needs numeric 'from' and 'to'")
        if not step > 0 or not math.isfinite(step):
            file.fail(rng, "step", f"list '{name}': range step must be a number above 0, got {rng.get('step')!r}")
        if not low <= high or not math.isfinite(high - low):
            file.fail(spec, "range", f"list '{name}': range 'from' ({rng['from']!r}) must not be above 'to' ({rng['to']!r})")
        slot_list.range = (low, high, step)
    elif "kind" in spec:
        from assistant.language.durations import KINDS

        if spec["kind"] not in KINDS:
            file.fail(spec, "kind", f"list '{name}': unknown kind '{spec['kind']}' (known: {', '.join(sorted(KINDS))})")
        slot_list.kind = str(spec["kind"])
    elif spec.get("wildcard"):
        slot_list.wildcard = True
    else:
        file.fail(lists, name, f"list '{name}' must have 'values', 'range', 'kind' or 'wildcard: true'")
    return slot_list


def _load_intents(file: _File, raw: dict, result: IntentSet) -> None:
    intents = file.mapping(raw, "intents", "intents must be a mapping of intent name: {data: [...]}")
    for intent, spec in intents.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("data"), list):
            file.fail(intents, intent, f"intent '{intent}' needs 'data: [{{sentences: [...]}}]'")
        for i, block in enumerate(spec["data"]):
            if not isinstance(block, dict) or not isinstance(block.get("sentences"), list):
                file.fail(spec["data"], i, f"intent '{intent}': each data block needs a 'sentences' list")
            slots = block.get("slots") or {}
            if not isinstance(slots, dict):
                file.fail(block, "slots", f"intent '{intent}': slots must be a mapping")
            sentences = block["sentences"]
            expressions = [file.template(s, sentences, j) for j, s in enumerate(sentences)]
            result.data.append(IntentData(str(intent), [str(s) for s in sentences], expressions, dict(slots),
                                          str(file.path), [file.at(sentences, j) for j in range(len(sentences))]))


def _load_responses(file: _File, raw: dict, result: IntentSet) -> None:
    responses = file.mapping(raw, "responses", "responses must be a mapping of intent: {outcome: text}")
    for intent, outcomes in responses.items():
        container, texts = (responses, {"default": outcomes}) if isinstance(outcomes, str) else (outcomes, outcomes)
        if not isinstance(texts, dict):
            file.fail(responses, intent, f"responses for '{intent}' must be text or a mapping of outcome: text")
        for outcome, text in texts.items():
            key = intent if container is responses else outcome
            try:
                reply_fields(str(text))
            except TemplateFieldError as exc:
                file.fail(container, key, f"response {intent}.{outcome}: {exc}")
            result.sources[f"{intent}.{outcome}"] = file.at(container, key)
        result.responses[str(intent)] = {str(k): str(v) for k, v in texts.items()}


# Lists the assistant fills from the home (and the timers running) when it starts, not from intent files.
HOME_LISTS = {"name", "area", "here", "floor", "type", "class", "scene", "timer"}
# Fields every reply about devices gets (assistant/reply/respond.py), whatever the intent.
REPLY_FIELDS = {"targets", "Targets", "is", "has", "its"}


def list_refs(expression: Expression) -> Iterator[ListRef | RuleRef]:
    """Every `{list}` and `<rule>` an expression names, in order."""
    if isinstance(expression, (ListRef, RuleRef)):
        yield expression
    for child in getattr(expression, "items", ()) or getattr(expression, "options", ()):
        yield from list_refs(child)


def check_references(intents: IntentSet, own: set[str]) -> None:
    """Every `{list}` a sentence or rule names is defined, and each response of an intent of the user's
    (in `own`: defined outside the language pack) names only slots its sentences fill."""
    known = set(intents.lists) | HOME_LISTS
    lines = [(expr, data.lines[i] if i < len(data.lines) else data.source, sentence)
             for data in intents.data for i, (expr, sentence) in enumerate(zip(data.expressions, data.sentences))]
    lines += [(rule, intents.sources.get(f"<{name}>", name), f"<{name}>") for name, rule in intents.rules.items()]
    for expression, where, sentence in lines:
        for ref in list_refs(expression):
            if isinstance(ref, ListRef) and ref.list_name not in known:
                raise IntentFileError(printable(f"{where}: '{sentence}' names the list {{{ref.list_name}}}, which no "
                                                f"intent file defines (lists: {', '.join(sorted(known))})"))
    for intent in sorted(own):
        filled = _slots_filled(intents, intent) | REPLY_FIELDS
        for outcome, text in intents.responses.get(intent, {}).items():
            for name in reply_fields(text):
                if name not in filled:
                    where = intents.sources.get(f"{intent}.{outcome}", intent)
                    raise IntentFileError(printable(
                        f"{where}: response {intent}.{outcome} names {{{name}}}, which no sentence of '{intent}' fills "
                        f"(its slots: {', '.join(sorted(filled - REPLY_FIELDS)) or 'none'})"))


def _slots_filled(intents: IntentSet, intent: str) -> set[str]:
    filled: set[str] = set()
    pending = [expr for data in intents.data if data.intent == intent for expr in data.expressions]
    seen_rules: set[str] = set()
    for data in intents.data:
        if data.intent == intent:
            filled |= set(map(str, data.slots))
    while pending:
        for ref in list_refs(pending.pop()):
            if isinstance(ref, ListRef):
                filled.add(ref.slot_name)
            elif ref.name not in seen_rules and ref.name in intents.rules:
                seen_rules.add(ref.name)
                pending.append(intents.rules[ref.name])
    return filled


def load_intents(directories: list[Path], pack_sentences: bool = True) -> IntentSet:
    """Load every *.yaml in the directories (not their tests/), later files adding to earlier ones.
    The first directory is the language pack: an intent that is not in it is the user's own. Without
    `pack_sentences` the pack's sentences are left out (its lists, rules and responses stay)."""
    merged = IntentSet()
    pack: set[str] = set()
    for n, directory in enumerate(directories):
        directory = Path(directory)
        if not directory.exists():
            raise IntentFileError(f"intents directory {directory} does not exist")
        files = [directory] if directory.is_file() else sorted(directory.glob("*.yaml"))
        for path in files:
            loaded = load_intent_file(path)
            if path == files[0] and n == 0:
                merged.language = loaded.language
            merged.merge(loaded)
        if n == 0:
            pack = {d.intent for d in merged.data}
            if not pack_sentences:
                merged.data = []
    check_references(merged, {d.intent for d in merged.data} - pack)
    return merged
