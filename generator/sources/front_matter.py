"""YAML front matter of native files, read as the untrusted input it is.

``yaml.safe_load`` runs no code, but it still expands aliases (a 453-byte "billion laughs"
took 5.9 GB), recurses once per level of nesting (a few hundred ``[`` overflow the stack) and
raises plain ``ValueError`` for a value its resolver accepts but Python does not (``2009-02-30``,
a 5,000-digit integer). Here aliases and deep nesting are refused while composing, before
anything is expanded, and each field is constructed on its own, so that an error names the
line of the value at fault.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 20  # levels of nested lists and mappings: front matter needs two


class FrontMatterError(ValueError):
    """Front matter that cannot be used; ``line`` is 1-based within the YAML text."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (``*name``, merge keys) and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, f"alias *{event.anchor} refused: front matter may not repeat "
                                "values by reference", event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _is_empty(node: Node) -> bool:
    """``~``, ``null`` or ``[]`` alone: no fields, as ``safe_load(...) or {}`` had it."""
    if isinstance(node, ScalarNode):
        return node.tag == "tag:yaml.org,2002:null"
    return isinstance(node, SequenceNode) and not node.value


def _line_of(err: yaml.YAMLError, default: int) -> int:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    return mark.line + 1 if mark is not None else default


def load_front_matter(text: str, convert: Callable[[str, Any], Any]) -> dict[str, Any]:
    """The mapping the YAML ``text`` holds, each value passed through ``convert(key, value)``
    (lower-cased key). Raises FrontMatterError naming the line of the first value that cannot
    be read or converted."""
    loader = _GuardedLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as err:
            raise FrontMatterError(f"front matter is not valid YAML: {_problem(err)}", _line_of(err, 1)) from None
        if root is None or _is_empty(root):
            return {}
        if not isinstance(root, MappingNode):
            raise FrontMatterError("front matter must be a mapping of fields", root.start_mark.line + 1)
        fields: dict[str, Any] = {}
        for key_node, value_node in root.value:
            fields.update(_field(loader, key_node, value_node, convert))
        return fields
    finally:
        loader.dispose()


def _field(loader: yaml.SafeLoader, key_node: Node, value_node: Node,
           convert: Callable[[str, Any], Any]) -> dict[str, Any]:
    """One field, constructed and converted; an error names the value's line."""
    line = value_node.start_mark.line + 1
    key = "?"
    try:
        key = str(loader.construct_object(key_node, deep=True)).lower()
        return {key: convert(key, loader.construct_object(value_node, deep=True))}
    except yaml.YAMLError as err:
        raise FrontMatterError(f"front matter field {key!r}: {_problem(err)}", _line_of(err, line)) from None
    except (ValueError, OverflowError, TypeError) as err:  # 2009-02-30, 10:00:61, a 5,000-digit number
        raise FrontMatterError(f"front matter field {key!r}: invalid value ({err})", line) from None


def _problem(err: yaml.YAMLError) -> str:
    """What PyYAML says, on one line and without its position in the YAML text (whose line
    numbers are not the file's: the Problem names the file's line)."""
    said = [part for part in (getattr(err, "context", None), getattr(err, "problem", None)) if part]
    return ": ".join(said) if said else str(err).replace("\n", " ")
