"""YAML loading that remembers line numbers, so file errors can point at the line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from assistant.files import NotAFileError, TooLargeError, read_bytes


class LineDict(dict):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A sequence that knows the line of itself and of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


def _yaml12_loader(base: type) -> type:
    """A safe loader with YAML 1.2 booleans: only true/false, so `on`, `off`, `yes`, `no` stay words."""
    loader = type(f"_{base.__name__}12", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return loader


_Loader = _yaml12_loader(yaml.SafeLoader)
# libyaml parses our files several times faster; the pure-Python parser words errors better,
# so a file that libyaml refuses is parsed again by it for the message.
_FastLoader = _yaml12_loader(yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else _Loader


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    _refuse_duplicate_keys(loader, node)
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _refuse_duplicate_keys(loader: _Loader, node: yaml.MappingNode) -> None:
    """PyYAML keeps the last of two equal keys silently; in a hand-written file that is a mistake."""
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in {_Loader, _FastLoader}:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


class YamlError(Exception):
    """Unreadable or malformed YAML; the message names file and line."""


def load_yaml(path: Path) -> Any:
    """Load a YAML file, with line numbers on every mapping and sequence."""
    try:
        text = read_bytes(path).decode("utf-8")
    except FileNotFoundError:
        raise YamlError(f"{path}: file not found") from None
    except NotAFileError as exc:
        raise YamlError(f"{path}: is {exc}, not a file") from None
    except TooLargeError as exc:
        raise YamlError(f"{path}: too large: {exc}") from None
    except UnicodeDecodeError:
        raise YamlError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise YamlError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_yaml(text, str(path))


MAX_NODES = 200_000  # nodes after expanding aliases; far above any real file, far below a "billion laughs"


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text; YamlError names `name` and the line of the problem."""
    if _FastLoader is not _Loader:
        try:
            return _parse(text, name, _FastLoader)
        except YamlError:
            pass  # parse again below, for the better-worded message
    return _parse(text, name, _Loader)


def _parse(text: str, name: str, loader_class: type) -> Any:
    loader = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, name)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        problem = exc.problem or exc.context or "malformed YAML"
        raise YamlError(f"{name}{line}: malformed YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise YamlError(f"{name}:{line}: malformed YAML: character #x{exc.character:04x} is not allowed") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{name}: malformed YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise YamlError(f"{name}: YAML nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_expansion(root: yaml.Node, name: str) -> None:
    """Refuse documents whose aliases expand past MAX_NODES, or that contain themselves."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise YamlError(f"{name}:{node.start_mark.line + 1}: malformed YAML: an alias refers to a node that contains it")
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        in_progress.discard(key)
        if total > MAX_NODES:
            raise YamlError(f"{name}: YAML too large: its aliases expand to more than {MAX_NODES} values")
        sizes[key] = total
        return total

    size(root)


def line_of(container: Any, key: Any = None) -> int:
    """Best-known line of a key (or item index) in a loaded container, 0 if unknown."""
    if isinstance(container, LineDict):
        if key is not None and str(key) in container.key_lines:
            return container.key_lines[str(key)]
        return container.line
    if isinstance(container, LineList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return 0
