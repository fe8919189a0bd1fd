"""A language's words as data: `intents/<lang>/words/<name>.yaml`, so a new language is files, not code.

Each concern keeps its own file (numbers, durations, times, dialogue, references, replies' phrases...);
a module asks for the file it needs and reads typed values from it, with a clear error naming the file
and line when one is missing or of the wrong kind. Files are read once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import IntentFileError
from assistant.resources import intents_dir
from assistant.yamlfile import YamlError, line_of, load_yaml


class Words:
    """One words file of one language."""

    def __init__(self, path: Path, data: dict[str, Any]):
        self.path = path
        self.data = data

    def _fail(self, key: str, message: str) -> None:
        line = line_of(self.data, key)
        raise IntentFileError(f"{self.path}{':' + str(line) if line else ''}: '{key}' {message}")

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def words(self, key: str) -> list[str]:
        """A list of words or phrases, lower-cased."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            self._fail(key, "must be a list of words")
        return [str(v).lower() for v in value]

    def phrases(self, key: str) -> set[tuple[str, ...]]:
        """A set of phrases, each as a tuple of its words ("go ahead" -> ("go", "ahead"))."""
        return {tuple(w.split()) for w in self.words(key)}

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            self._fail(key, "must be a mapping")
        return {str(k).lower(): v for k, v in value.items()}

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str):
            self._fail(key, "must be text")
        return value


def words_path(language: str, name: str) -> Path:
    return intents_dir(language) / "words" / f"{name}.yaml"


@lru_cache(maxsize=None)
def load_words(language: str, name: str) -> Words:
    """The words file NAME of LANGUAGE; English's when the language has none (so a new pack can start small)."""
    path = words_path(language, name)
    if not path.is_file() and language != "en":
        return load_words("en", name)
    try:
        data = load_yaml(path) or {}
    except YamlError as exc:
        raise IntentFileError(f"words file {exc}") from None
    if not isinstance(data, dict):
        raise IntentFileError(f"{path}: expected a mapping of word lists")
    return Words(path, data)
