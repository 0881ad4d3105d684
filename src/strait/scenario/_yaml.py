"""Reading scenario YAML safely, remembering the file and line of every value.

A safe composer turns the YAML node graph into plain Python values (mappings, lists,
text, numbers, booleans, null) and a parallel :class:`~strait.scenario._origin._Origin`
tree. It never constructs arbitrary objects: any tag outside plain YAML is an error, as
are duplicate keys, recursive or runaway aliases and over-deep nesting. Dates stay text.
Every failure is a one-line ``FILE:LINE: ...`` :class:`strait.errors.ScenarioError`.

Example:
    >>> data, origin = _compose("name: demo\\ncampaign:\\n  horizon_turns: 8\\n", "d.yaml")
    >>> data["campaign"], origin.kids["campaign"].kids["horizon_turns"].line
    ({'horizon_turns': 8}, 3)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from strait.errors import ScenarioError
from strait.scenario._origin import _fail, _fmt_path, _one_line, _Origin

_MAX_NODES = 100_000
_MAX_DEPTH = 100

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]  # CSafeLoader or SafeLoader, picked at import
    """Safe YAML composer (never constructs arbitrary objects)."""


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def yaml_error_message(exc: yaml.YAMLError, file: str, text: str | None = None) -> str:
    """One-line ``FILE:LINE: ...`` message for a PyYAML error.

    >>> import yaml
    >>> try:
    ...     yaml.safe_load("a: [1, 2\\nb: 3\\n")
    ... except yaml.YAMLError as e:
    ...     print(yaml_error_message(e, "x.yaml"))  # doctest: +ELLIPSIS
    x.yaml:2: YAML syntax: expected ',' or ']', but got ':' (while parsing a flow sequence at ...
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or "invalid YAML"
        cm = exc.context_mark
        at = f" at line {cm.line + 1}" if cm is not None and cm.line + 1 != line else ""
        if exc.context and (problem.startswith("but ") or "occurrence" in problem):
            what = f"{exc.context}{at}, {problem}"
        elif exc.context:
            what = f"{problem} ({exc.context}{at})"
        else:
            what = problem
        fix = "; fix the YAML syntax" + (f" at column {mark.column + 1}" if mark else "")
        if "\t" in problem or "'\\t'" in problem or (
            text is not None and mark is not None and "\t" in _line_of(text, mark.line)
        ):
            fix = "; indent with spaces, not tabs"
        return _one_line(f"{file}:{line}: YAML syntax: {what}{fix}")
    position = getattr(exc, "position", None)
    line = 1
    if isinstance(position, int) and text is not None:
        line = text.count("\n", 0, position) + 1
    char = getattr(exc, "character", None)
    if isinstance(char, int):
        reason = getattr(exc, "reason", "not allowed")
        return _one_line(f"{file}:{line}: YAML syntax: expected printable text, found "
                         f"character #x{char:04x} ({reason}); remove it")
    return _one_line(f"{file}:{line}: YAML syntax: {exc}; save the file as plain UTF-8 text")


def _line_of(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


class _Composer:
    """Builds plain Python values from a YAML node graph, recording key origins."""

    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.count = 0
        self.active: set[int] = set()
        self.flattened: set[int] = set()

    def err(self, line: int, parts: list[str], message: str) -> ScenarioError:
        return _fail(_Origin(self.file, line), _fmt_path(parts), message)

    def build(self, node: Any, line: int, parts: list[str], depth: int = 0) -> tuple[Any, _Origin]:
        self.count += 1
        if self.count > _MAX_NODES:
            raise self.err(line, parts, f"expected a scenario of at most {_MAX_NODES} values, "
                           "found more (runaway aliases?); remove the repeated aliases")
        if depth > _MAX_DEPTH:
            raise self.err(line, [*parts[:6], "[...]"], f"expected at most {_MAX_DEPTH} "
                           "levels of nesting, found more; flatten the structure")
        if id(node) in self.active:
            raise self.err(line, parts, "expected a tree, found a recursive alias; "
                           "remove the alias that refers to its own parent")
        origin = _Origin(self.file, line)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, line, parts), origin
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _TAG + "seq":
                    raise self.unsupported(node, line, parts)
                out_list: list[Any] = []
                for i, item in enumerate(node.value):
                    v, o = self.build(item, item.start_mark.line + 1, [*parts, f"[{i}]"],
                                      depth + 1)
                    out_list.append(v)
                    origin.kids[i] = o
                return out_list, origin
            if isinstance(node, yaml.MappingNode):
                if node.tag != _TAG + "map":
                    raise self.unsupported(node, line, parts)
                return self.mapping(node, origin, parts, depth), origin
            raise self.err(line, parts, f"expected plain YAML, found a {type(node).__name__}")
        finally:
            self.active.discard(id(node))

    def unsupported(self, node: Any, line: int, parts: list[str]) -> ScenarioError:
        line = node.start_mark.line + 1 if node.start_mark is not None else line
        return self.err(line, parts, f"expected plain YAML (mappings, lists, text, numbers, "
                        f"booleans), found unsupported tag '{_tag_name(node.tag)}'; "
                        "remove the tag")

    def scalar(self, node: Any, line: int, parts: list[str]) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _TAG + "timestamp":
            return node.value  # dates stay text
        if tag not in _SCALAR_TAGS:
            raise self.unsupported(node, line, parts)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except Exception:  # e.g. '!!int abc'
            kind = tag[len(_TAG):]
            raise self.err(node.start_mark.line + 1, parts,
                           f"expected a valid {kind} for tag '{_tag_name(tag)}', found "
                           f"{node.value!r}; remove the tag or fix the value") from None

    def mapping(self, node: Any, origin: _Origin, parts: list[str], depth: int) -> dict[Any, Any]:
        if id(node) not in self.flattened:
            seen: dict[Any, int] = {}
            for k_node, _ in node.value:
                if k_node.tag == _TAG + "merge":
                    continue
                k_line = k_node.start_mark.line + 1
                key = self.key(k_node, k_line, parts)
                try:
                    first = seen.get(key)
                except TypeError:
                    first = None
                if first is not None:
                    raise self.err(k_line, [*parts, str(key)],
                                   f"expected each key once in a mapping, found '{key}' again "
                                   f"(first at line {first}); remove one of them")
                seen[key] = k_line
            self.loader.flatten_mapping(node)  # YAML merge keys ('<<: *anchor')
            self.flattened.add(id(node))
        out: dict[Any, Any] = {}
        for k_node, v_node in node.value:
            k_line = k_node.start_mark.line + 1
            key = self.key(k_node, k_line, parts)
            v, o = self.build(v_node, k_line, [*parts, str(key)], depth + 1)
            out[key] = v
            origin.kids[key] = o
        return out

    def key(self, node: Any, line: int, parts: list[str]) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.err(line, parts, "expected a plain key (text or number), found a "
                           f"{'list' if isinstance(node, yaml.SequenceNode) else 'mapping'} "
                           "used as a key; write the key as text")
        key = self.scalar(node, line, parts)
        if key is None:
            raise self.err(line, parts, "expected a key, found an empty key (null); name it")
        return key


def _compose(text: str, file: str) -> tuple[Any, _Origin]:
    """Parse ``text`` into plain values plus their origins (safe: no object construction)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise ScenarioError(yaml_error_message(exc, file, text)) from None
        except RecursionError:
            raise ScenarioError(f"{file}:1: YAML syntax: expected at most {_MAX_DEPTH} levels "
                                "of nesting, found more; flatten the structure") from None
        if node is None:
            raise ScenarioError(f"{file}:1: expected a mapping of scenario keys (name, title, "
                                "...), found an empty file; add at least 'name' and 'title'")
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            if isinstance(node, yaml.MappingNode | yaml.SequenceNode | yaml.ScalarNode) and (
                node.tag not in _SCALAR_TAGS | {_TAG + "seq", _TAG + "timestamp"}
            ):
                raise _Composer(loader, file).unsupported(node, line, [])
            raise ScenarioError(f"{file}:{line}: expected a mapping of scenario keys (name, "
                                f"title, ...) at the top level, found {what}; write 'key: value' "
                                "lines")
        composer = _Composer(loader, file)
        try:
            return composer.build(node, line, [])
        except yaml.YAMLError as exc:  # bad merge key
            raise ScenarioError(yaml_error_message(exc, file, text)) from None
    finally:
        loader.dispose()


def _read(path: Path, file: str, via: _Origin | None, what: str) -> str:
    """The file's text; a missing or unreadable file is reported at ``via`` (the include or
    extends line), or against the file itself when it was asked for directly."""
    where = what if via is not None else file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(via, where, f"expected a scenario file, found no file '{file}'; check "
                    "the path (bundled names: `strait scenario list`)") from None
    except IsADirectoryError:
        raise _fail(via, where, f"expected a YAML file, found the folder '{file}'; "
                    "name a .yaml file") from None
    except OSError as exc:
        raise _fail(via, where, f"expected a readable file, found '{file}' unreadable "
                    f"({exc.strerror}); check its permissions") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(f"{file}:{line}: expected UTF-8 text, found undecodable byte(s) "
                            f"at offset {exc.start}; save the file as UTF-8") from None
