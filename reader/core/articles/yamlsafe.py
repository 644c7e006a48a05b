"""YAML loading for untrusted files: safe, bounded and type-explicit.

* Control characters are turned into visible placeholders first (YAML would
  refuse the whole document for one ESC in a title).
* Only :class:`yaml.SafeLoader` machinery is used: tags such as
  ``!!python/object`` raise, and the caller reports the file.
* Plain scalars are always strings (only an empty value or ``~``/``null``
  becomes ``None``). So ``title: NO`` is the string ``"NO"`` (YAML 1.1 would
  say ``False``), ``date: 2022-02-30`` cannot raise ``ValueError`` while
  loading, and each field's type is decided by the validator, not by YAML.
* Nesting deeper than :data:`MAX_DEPTH` and documents whose aliases expand to
  more than :data:`MAX_NODES` nodes (alias bombs) are refused before any
  Python object is built.
* libyaml's parser (five times faster) reads a document whose nesting is
  bounded well below :data:`MAX_DEPTH` by its text (:func:`_shallow`: its
  composer recurses in C, where no depth check can reach) and which has none
  of the characters on which the two parsers disagree. Anything else, and any
  document libyaml refuses, goes through the pure-Python loader, which also
  words the error: a file reads the same with or without libyaml.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.resolver import Resolver

from reader.core.articles.sanitize import sanitize_text

MAX_DEPTH = 40
MAX_NODES = 20_000


class YamlError(ValueError):
    """The YAML could not be read; the message is one line."""


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit typing except null, and with a depth cap."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlError(f"nesting deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])


def _libyaml_loader() -> type[Any] | None:
    """:class:`_Loader`'s typing rules on libyaml's parser, if PyYAML has it."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None

    class _CLoader(CParser, SafeConstructor, Resolver):
        yaml_implicit_resolvers: dict[Any, Any] = {}

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    _CLoader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])
    return _CLoader


_CLOADER = _libyaml_loader()


#: Characters on which libyaml and PyYAML's pure loader disagree (tabs as
#: separators, a BOM, tags, block scalars, complex keys): such a text is read
#: by the pure loader only, so a file reads the same with or without libyaml.
_PURE_ONLY_RE = re.compile("[\t\ufeff!|>?]")


def _shallow(text: str) -> bool:
    """Whether ``text`` cannot nest deeper than half :data:`MAX_DEPTH`. A
    block collection nests by indenting or after an indicator (``-``, ``:``)
    on its line, and a mapping and its indentless sequence share a column,
    so twice the indentation plus the indicators bound a line's depth; a flow
    collection nests after a bracket."""
    flow = text.count("[") + text.count("{")
    limit = MAX_DEPTH // 2 - flow
    if limit <= 0:
        return False
    for line in text.splitlines():
        body = line.lstrip(" ")
        depth = 2 * (len(line) - len(body))
        if depth >= limit or depth + body.count("-") + body.count(":") >= limit:
            return False
    return True


def _expanded_size(root: Node) -> int:
    """Count nodes as if every alias were expanded, without expanding them."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    on_stack: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_stack.discard(key)
            total = 1
            for child in _children(node):
                total += sizes[id(child)]
                if total > MAX_NODES:
                    raise YamlError(f"aliases expand to more than {MAX_NODES} values")
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_stack:
            raise YamlError("recursive alias")
        on_stack.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(text: str) -> Any:
    """Load one YAML document from untrusted ``text``.

    Raises :class:`YamlError` with a one-line reason for anything wrong:
    syntax, unsafe tags, depth, alias bombs, several documents.
    """
    text = sanitize_text(text)
    if _CLOADER is not None and not _PURE_ONLY_RE.search(text) and _shallow(text):
        fast = _CLOADER(text)
        try:
            node = fast.get_single_node()
            if node is None:
                return None
            if "*" in text or len(text) >= MAX_NODES:  # else no more nodes than that
                _expanded_size(node)
            return fast.construct_document(node)
        except Exception:  # the pure-Python loader below words the error
            pass
        finally:
            fast.dispose()
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise YamlError(f"unreadable YAML text: {exc.__class__.__name__}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or "invalid YAML"
        where = f" (line {exc.problem_mark.line + 1})" if exc.problem_mark else ""
        raise YamlError(f"{problem}{where}") from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    except RecursionError:
        raise YamlError("nesting too deep") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise YamlError(f"invalid value: {exc}") from None
    finally:
        loader.dispose()
