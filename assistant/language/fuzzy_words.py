"""A language's words for the fuzzy layer (`fuzzy/words.yaml` in its language pack): negations, quantifiers,
groups of opposites, fillers, slips ("of" for "off") and letters that sound alike. The understanding gets them
as data (assistant.understand.fuzzy.Lexicon)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.errors import IntentFileError
from assistant.resources import intents_dir
from assistant.yamlfile import YamlError, line_of, load_yaml


def fuzzy_words(language: str) -> dict[str, Any]:
    """The fuzzy words of a shipped language (none when it has no `fuzzy/words.yaml`)."""
    return load_fuzzy_words(intents_dir(language))


def load_fuzzy_words(directory: Path | None) -> dict[str, Any]:
    """A language's negations, quantifiers, opposites, fillers and slips (`fuzzy/words.yaml` beside the
    intent files); the groups of opposites come as one set of words."""
    path = Path(directory) / "fuzzy" / "words.yaml" if directory is not None else None
    if path is None or not path.exists():
        return {}
    try:
        data = load_yaml(path) or {}
    except YamlError as exc:
        raise IntentFileError(f"fuzzy words file {exc}") from None
    if not isinstance(data, dict):
        raise IntentFileError(f"{path}: expected a mapping of negations, fillers and slips")
    words: dict[str, Any] = {key: _word_set(data, key, path) for key in ("negations", "fillers", "quantifiers")}
    groups = _words_at(data, "opposites", path)
    words["opposites"] = {word for i in range(len(groups)) for word in _word_set(groups, i, path, "each of 'opposites'")}
    words["slips"] = {str(k).lower(): str(v).lower() for k, v in (data.get("slips") or {}).items()}
    words["endings_alike"] = {str(k).lower(): str(v).lower() for k, v in (data.get("endings_alike") or {}).items()}
    groups = _words_at(data, "sounds_alike", path)
    words["alike"] = {letter: str(groups[i][0]) for i in range(len(groups))
                      for letter in _word_set(groups, i, path, "each of 'sounds_alike'")}
    return words


def _words_at(data: Any, key: Any, path: Path, what: str = "") -> list:
    value = data[key] if isinstance(data, list) else data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise IntentFileError(f"{path}:{line_of(data, key)}: {what or repr(key)} must be a list of words")
    return value


def _word_set(data: Any, key: Any, path: Path, what: str = "") -> set[str]:
    return {str(w).lower() for w in _words_at(data, key, path, what)}
