"""A language's verb endings and particles (`forms/endings.yaml` in its language pack), read into the Forms
that the understanding uses to read inflected words (assistant.understand.forms)."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import IntentFileError
from assistant.resources import intents_dir
from assistant.understand.forms import Forms
from assistant.yamlfile import YamlError, line_of, load_yaml


def language_forms(language: str) -> Forms | None:
    """The forms of a shipped language; None when it has none (its words are not inflected)."""
    return load_forms(intents_dir(language))


def load_forms(directory: Path | None) -> Forms | None:
    """A language's `forms/endings.yaml` beside its intent files; None when it has none."""
    path = Path(directory) / "forms" / "endings.yaml" if directory is not None else None
    if path is None or not path.is_file():
        return None
    try:
        data = load_yaml(path) or {}
    except YamlError as exc:
        raise IntentFileError(f"forms file {exc}") from None
    if not isinstance(data, dict):
        raise IntentFileError(f"{path}: expected a mapping of verbs, requests, negations and particles")

    def texts(key: str) -> list[str]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise IntentFileError(f"{path}:{line_of(data, key)}: '{key}' must be a list of text")
        return value

    verbs: list[tuple[str, str]] = []
    if not isinstance(data.get("verbs") or [], list):
        raise IntentFileError(f"{path}:{line_of(data, 'verbs')}: 'verbs' must be a list of {{form, stem}}")
    for i, verb in enumerate(data.get("verbs") or []):
        if not isinstance(verb, dict) or not all(isinstance(verb.get(k), str) for k in ("form", "stem")):
            raise IntentFileError(f"{path}:{line_of(data['verbs'], i)}: each verb needs 'form' and 'stem' (text)")
        verbs.append((verb["form"], verb["stem"]))
    negation = data.get("negation")
    if texts("negations") and not isinstance(negation, str):
        raise IntentFileError(f"{path}:{line_of(data, 'negation')}: 'negation' must be the word a negation is read as")
    particles = texts("particles")
    link = data.get("link")
    if texts("links") and not isinstance(link, str):
        raise IntentFileError(f"{path}:{line_of(data, 'link')}: 'link' must be the word a verb's link is read as")
    forms = Forms.written(verbs, texts("requests"), texts("negations"), negation or "", particles, texts("joins"))
    return forms.linked(texts("links"), link or "")
