"""What can be said for a slot: list phrases, number ranges in words, and the common spoken forms of
the kinds the NLU parses (durations, colours, times of day: `spoken_<language>.yaml`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.language.intents import SlotList
from assistant.understand.normalize import words_of


def compound(words: tuple[str, ...]) -> str:
    """Several words as one recogniser word: "floor_lamp"."""
    return "_".join(words)


def spoken_numbers(low: float, high: float, step: float, language: str) -> list[tuple[str, ...]]:
    """Number-range values as the words people say ("22" -> "twenty two"), from CLDR rules (unicode-rbnf)."""
    from unicode_rbnf import RbnfEngine

    try:
        engine = RbnfEngine.for_language(language)
    except Exception:  # a language without CLDR spell-out rules: digits only
        engine = None
    values: list[tuple[str, ...]] = []
    count = int(round((high - low) / step)) + 1 if step > 0 else 1
    for i in range(min(count, 1000)):
        number = low + i * step
        if engine is None or not float(number).is_integer():
            continue
        text = engine.format_number(int(number)).text
        words = tuple(words_of(text.replace("-", " ")))
        if words:
            values.append(words)
    return values


def list_values(slot_list: SlotList | None, language: str) -> list[tuple[str, ...]]:
    """What can be said for a slot list: its phrases, a number range in words, or the common spoken
    forms of a parsed kind (durations, colours: `spoken_<language>.yaml`). Free text (wildcards)
    cannot be a grammar: those sentences need open transcription."""
    if slot_list is None or slot_list.wildcard:
        return []
    if slot_list.range is not None:
        return spoken_numbers(*slot_list.range, language)
    if slot_list.kind is not None:
        return kind_values(slot_list.kind, language)
    return sorted({tuple(spoken(list(words), language)) for words, _ in slot_list.values})  # "hdmi 1": "hdmi one"


def kind_values(kind: str, language: str) -> list[tuple[str, ...]]:
    """The spoken forms of a parsed slot kind in this language (none when the language has no file)."""
    return sorted(_spoken_forms(spoken_spec(kind, language), language))


def spoken_spec(kind: str, language: str) -> Any:
    """The entry of spoken_<language>.yaml for a slot kind (None when there is none)."""
    from assistant.yamlfile import load_yaml

    path = Path(__file__).with_name(f"spoken_{language}.yaml")
    return (load_yaml(path) or {}).get(kind) if path.exists() else None


def _spoken_forms(spec: Any, language: str) -> set[tuple[str, ...]]:
    """What one entry of spoken_<language>.yaml says: a list of phrases, or a mapping of phrases,
    numbers (with units, singular after the numbers in `singular`), and sequences of parts (each part an entry itself, maybe optional)."""
    if isinstance(spec, list):
        return {tuple(words_of(str(value))) for value in spec}
    if not isinstance(spec, dict):
        return set()
    values = {tuple(words_of(str(phrase))) for phrase in spec.get("phrases", [])}
    numbers = spec.get("numbers") or {}
    units = spec.get("units", [])
    singular = {tuple(words_of(str(n))) for n in spec.get("singular", [])}  # "one minute", "two minutes"
    for number in spoken_numbers(numbers.get("from", 1), numbers.get("to", 0), 1, language):
        if not units:
            values.add(number)
        for one, many in units:
            values.add(number + (one if number in singular else many,))
    for parts in spec.get("sequences", []):
        said: set[tuple[str, ...]] = {()}
        for part in parts:
            options = _spoken_forms(part, language) | ({()} if isinstance(part, dict) and part.get("optional") else set())
            said = {head + tail for head in said for tail in options}
        values.update(said)
    values.discard(())
    return values


def spoken(words: list[str], language: str) -> list[str]:
    """Digits as the words people say ("22" -> "twenty two")."""
    out: list[str] = []
    for word in words:
        if word.isdigit():
            said = spoken_numbers(int(word), int(word), 1, language)
            out.extend(said[0] if said else [word])
        else:
            out.append(word)
    return out
