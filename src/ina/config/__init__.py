"""Load and validate ``ina.yml``: the one file the intelligence team edits each year.

``load_settings`` lists every problem of the file at once, one line each in one
:class:`ina.errors.ConfigError` (``.problems``), naming the file, the key path, what is
allowed and the line of the file, e.g.::

    ina.yml: place_scheme: 'alliances' is not a defined scheme; allowed: ... (line 15)
    ina.yml: suppression.max_count: must be an integer >= min_count, found 'seven' (line 131)
    ina.yml: chapters[1]: 'start_well' has no notebook; allowed: deprivation, population (line 84)
    ina.yml: line 12, column 3: YAML syntax error: mapping values are not allowed here

Chapters are checked against the notebooks that exist (``notebooks/<name>.ipynb`` next to
the config) rather than a fixed list, so adding a chapter is adding a notebook; when the
folder has no notebook at all (a data-only folder) that check is skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ina.config._models import (
    DATA_STATUSES,
    Icb,
    Place,
    PlaceMember,
    PlaceScheme,
    Settings,
    Sources,
    Suppression,
)
from ina.errors import ConfigError

__all__ = [
    "DATA_STATUSES",
    "ConfigError",
    "Icb",
    "Place",
    "PlaceMember",
    "PlaceScheme",
    "Settings",
    "Sources",
    "Suppression",
    "format_location",
    "load_settings",
]


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key given twice in one mapping.

    Plain PyYAML keeps the last of two equal keys silently, so a second ``place_scheme:``
    line further down the file would win without anyone noticing.
    """


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} is given twice (first on line {seen[key].start_mark.line + 1})",
                mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def format_location(location: tuple[int | str, ...]) -> str:
    """``('place_schemes', 'x', 'places', 0, 'id')`` -> ``place_schemes.x.places[0].id``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _describe(error: dict[str, Any]) -> tuple[str, str]:
    """The key path and the message of one pydantic error, in the words users see."""
    location = tuple(error["loc"])
    context = error.get("ctx") or {}
    if "at" in context:
        location = (*location, context["at"])
    kind = error["type"]
    if kind.startswith("ina_config"):
        message = error["msg"]
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "extra_forbidden":
        location, key = location[:-1], location[-1]
        message = f"{key!r} is not a known key"
    elif kind in {"too_short", "list_type", "dict_type"}:
        mapping = kind == "dict_type" or isinstance(error.get("input"), dict)
        message = f"must be a non-empty {'mapping' if mapping else 'list'}"
        if "input" in error:
            message += f", found {error['input']!r}"
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
        if "input" in error:
            message += f", found {error['input']!r}"
    return format_location(location), message


def _read_yaml(path: Path, label: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{label}: config file not found (looked for {path.resolve()})") from None
    except IsADirectoryError:
        raise ConfigError(f"{label}: is a folder, expected the config file") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{label}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise ConfigError(f"{label}: {where}YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{label}: YAML syntax error: {error}") from None


def load_settings(path: str | Path = "ina.yml") -> Settings:
    """Read and validate the config file; relative paths in it resolve against its folder.

    Raises :class:`ConfigError` when the file is missing, is not valid YAML, has an unknown
    or missing key, or breaks a rule: one line per problem (file, key path, what was found
    and allowed, the line in the file), every problem at once.
    """
    config_path = Path(path)
    label = str(path)
    data = _read_yaml(config_path, label)
    if data is None:
        raise ConfigError(f"{label}: the file is empty")
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: expected a mapping of keys (icb:, reporting_year:, ...)")
    lines = _key_lines(config_path)
    try:
        return Settings.model_validate(
            data, context={"label": label, "config_path": config_path.resolve()}
        )
    except ValidationError as error:
        problems = []
        for problem in error.errors(include_url=False):
            where, message = _describe(problem)
            prefix = f"{label}: {where}: " if where else f"{label}: "
            problems.append(prefix + message + _at_line(lines, where))
        raise ConfigError(problems=problems) from None
    except ConfigError as error:  # the cross-field rules of Settings, all of them
        problems = [
            text + _at_line(lines, text.removeprefix(f"{label}: ").split(": ", 1)[0])
            for text in error.problems
        ]
        raise ConfigError(problems=problems) from None


def _key_lines(path: Path) -> dict[str, int]:
    """``key path -> line`` of every key and list item of the file (1-based), best effort.

    Why: a problem is easier to fix when it says where in the file it is, and pydantic
    knows only the key path; composing the YAML again gives each node's line.
    """
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, location: tuple[int | str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                where = (*location, str(key_node.value))
                lines[format_location(where)] = key_node.start_mark.line + 1
                walk(value_node, where)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                where = (*location, index)
                lines[format_location(where)] = item.start_mark.line + 1
                walk(item, where)

    if root is not None:
        walk(root, ())
    return lines


def _at_line(lines: dict[str, int], where: str) -> str:
    """`` (line 12)`` for the key path, or for its nearest parent in the file."""
    while where:
        if where in lines:
            return f" (line {lines[where]})"
        cut = max(where.rfind("."), where.rfind("["))
        where = where[:cut] if cut > 0 else ""
    return ""
