"""The query language: one lenient, iterative parser.

Syntax (every input parses; nothing here raises)::

    poutine otan            all words must match, ranked
    "maintien de la paix"   exact phrase (stop words kept)
    -crimée                 exclude
    kiev OR kyiv            either side
    (kiev OR kyiv) otan     parentheses
    souver*                 explicit prefix; with ``as_you_type`` the last word
                            of the query is a prefix too, while it is typed
    title:paix  author:dupont  tag:ukraine  source:monde
    person:poutine  place:donbass  org:otan  entity:…
    title:"maintien de la paix"
    lang:fr  date:2022-02  date:2022-01..2022-03  date:2022..  date:..2021-12

Leniency: an unbalanced quote runs to the end; stray parentheses are ignored;
a lone ``-`` or ``*`` is ignored; regex metacharacters are plain text (nothing
here builds a regex from the query). A part that cannot be used is left out
of the tree, and :func:`check` names it: an unknown field (``foo:bar``, but
not ``10:30`` or ``http://…``), ``is:`` with an unknown state, a date that is
not one (``date:banana``, ``date:2022-13``), a field with no value
(``person:``). ``is:unread|read|starred|unstarred`` are reading-state filters
the session takes out before parsing; here they are left out silently. The query is capped at
:data:`MAX_QUERY_LENGTH` characters, :data:`MAX_TERMS` words and phrases and
:data:`MAX_DEPTH` nested parentheses (deeper ones are read as grouping-free).

The tree keeps the words as typed; :mod:`reader.core.search.analysis` turns
them into terms when the query runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 48
MAX_DEPTH = 16

#: Fields whose value is text, analysed like the body.
TEXT_FIELDS = frozenset({"title", "author", "tag", "source", "person", "place", "org", "entity"})
_ALIASES = {"tags": "tag", "authors": "author", "language": "lang"}
_FILTERS = frozenset({"lang", "date"})
#: The reading states of ``is:`` (evaluated by the session, not the index).
STATES = ("unread", "read", "starred", "unstarred")
#: What :func:`check` says of a query that only excludes.
NOTHING_TO_INCLUDE = "nothing to include: add a word to search for"
_FIELD_NAME = re.compile(r"[^\W\d_]+")
_DATE_HELP = "use date:2022, date:2022-02, date:2022-02-24 or a range such as date:2022-01..2022-03"
_OPEN_QUOTES = '"“«'
_CLOSE_QUOTES = '"”»'
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_NUMBER = re.compile(r"\d{1,3}(?:[\u0020\u00a0\u2009\u202f]\d{3})+(?!\d)")


@dataclass(frozen=True, slots=True)
class Word:
    """A word as typed (it may analyse to several tokens, e.g. ``États-Unis``)."""

    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """A quoted phrase: its tokens must be consecutive."""

    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Lang:
    """``lang:xx``: articles in that language."""

    code: str


@dataclass(frozen=True, slots=True)
class DateRange:
    """``date:``: ISO dates from ``start`` to ``end`` inclusive, compared as
    prefixes (``2022-02`` is all of February); an empty bound is open."""

    start: str
    end: str


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Phrase | Lang | DateRange | Not | And | Or


@dataclass(slots=True)
class _Lexeme:
    kind: str  # "(", ")", "OR", "node"
    node: Node | None = None
    negated: bool = False


def _valid_date(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, naming a real month and day."""
    if not _DATE.fullmatch(text):
        return False
    year, month, day = (int(part) for part in (text + "-01-01").split("-")[:3])
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _date_node(value: str) -> DateRange | None:
    if ".." in value:
        start, _, end = value.partition("..")
    else:
        start = end = value
    if not (start or end):
        return None
    for part in (start, end):
        if part and not _valid_date(part):
            return None
    if start and end and end < start[: len(end)]:
        start, end = end, start
    return DateRange(start, end)


def _field_node(name: str, value: str) -> Node | None:
    if name == "lang":
        code = value.strip().lower()
        return Lang(code) if code.replace("-", "").isalnum() else None
    if name == "date":
        return _date_node(value)
    return None


def _read_quoted(query: str, start: int) -> tuple[str, int]:
    """The text after the opening quote at ``start`` and the index after the
    closing quote (or the end: an unbalanced quote runs to the end)."""
    end = start + 1
    while end < len(query) and query[end] not in _CLOSE_QUOTES:
        end += 1
    return query[start + 1 : end], end + 1


def _field_problem(part: str, name: str, value: str) -> str:
    """Why ``part`` (``name:value`` as typed) was left out of the query."""
    if not value:
        return f"{part} has no value; left out"
    if name == "is":
        states = ", ".join(f"is:{state}" for state in STATES)
        return f"{part}: unknown reading state (use {states}); left out"
    if name == "date":
        return f"{part}: not a date ({_DATE_HELP}); left out"
    if name == "lang":
        return f"{part}: not a language code such as lang:fr; left out"
    fields = ", ".join(sorted(TEXT_FIELDS | _FILTERS | {"is"}))
    return f"{part}: unknown field {name!r} (fields: {fields}); left out"


def _lex(query: str, problems: list[str] | None = None) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    terms = 0
    i, n = 0, len(query)
    while i < n and terms < MAX_TERMS:
        char = query[i]
        if char.isspace():
            i += 1
            continue
        negated = False
        if char in "-\u2212":
            if i + 1 < n and not query[i + 1].isspace() and query[i + 1] not in "-\u2212)":
                negated = True
                i += 1
                char = query[i]
            else:
                i += 1
                continue
        if char == "(":
            out.append(_Lexeme("(", negated=negated))
            i += 1
            continue
        if char == ")":
            out.append(_Lexeme(")"))
            i += 1
            continue
        if char in _OPEN_QUOTES:
            text, i = _read_quoted(query, i)
            out.append(_Lexeme("node", Phrase(text), negated))
            terms += 1
            continue
        number = _NUMBER.match(query, i)
        end = i
        while end < n and not query[end].isspace() and query[end] not in '()"“«':
            end += 1
        if number and number.end() > end:
            end = number.end()
        word = query[i:end]
        i = end
        if word == "OR" and not negated:
            out.append(_Lexeme("OR"))
            continue
        node: Node | None = None
        name, colon, value = word.partition(":")
        name = _ALIASES.get(name.lower(), name.lower())
        if colon and (name in TEXT_FIELDS or name in _FILTERS):
            if not value and i < n and query[i] in _OPEN_QUOTES:
                value, i = _read_quoted(query, i)
                node = Phrase(value, name) if name in TEXT_FIELDS else _field_node(name, value)
                word = f'{word}"{value}"'
            elif value and name in TEXT_FIELDS:
                stripped = value.rstrip("*")
                if not stripped:
                    continue
                node = Word(stripped, name, prefix=stripped != value)
            elif value:
                node = _field_node(name, value)
            if node is None:
                if problems is not None:
                    problems.append(_field_problem(word, name, value))
                continue
        elif colon and name == "is":
            if problems is not None and value.lower() not in STATES:
                problems.append(_field_problem(word, name, value))
            continue
        elif colon and value and _FIELD_NAME.fullmatch(name) and not value.startswith("/"):
            if problems is not None:
                problems.append(_field_problem(word, name, value))
            continue
        if node is None:
            stripped = word.rstrip("*")
            if not stripped:
                continue  # a lone "*"
            node = Word(stripped, prefix=stripped != word)
        out.append(_Lexeme("node", node, negated))
        terms += 1
    if problems is not None and terms >= MAX_TERMS and query[i:].strip():
        problems.append(f"only the first {MAX_TERMS} words and phrases are searched")
    return out


@dataclass(slots=True)
class _Frame:
    branches: list[list[Node]]
    negated: bool


def _close(frame: _Frame) -> Node | None:
    alternatives: list[Node] = []
    for branch in frame.branches:
        if len(branch) == 1:
            alternatives.append(branch[0])
        elif branch:
            alternatives.append(And(tuple(branch)))
    if not alternatives:
        return None
    node: Node = alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))
    return Not(node) if frame.negated else node


def _with_prefix(node: Node) -> Node:
    if isinstance(node, Word) and node.text:
        return Word(node.text, node.field, prefix=True)
    return node


def parse(query: str, *, as_you_type: bool = False) -> Node | None:
    """The tree of ``query``, or ``None`` when there is nothing in it.

    With ``as_you_type``, the last word is a prefix unless the query ends with
    a space (the user has finished typing it).
    """
    query = query[:MAX_QUERY_LENGTH]
    lexemes = _lex(query)
    if (
        as_you_type
        and lexemes
        and query
        and not query[-1].isspace()
        and lexemes[-1].kind == "node"
        and not lexemes[-1].negated
        and isinstance(lexemes[-1].node, Word)
    ):
        last = lexemes[-1]
        assert last.node is not None
        lexemes[-1] = _Lexeme("node", _with_prefix(last.node))
    stack = [_Frame([[]], negated=False)]
    skipped = 0  # parentheses opened beyond MAX_DEPTH, read as nothing
    for lexeme in lexemes:
        if lexeme.kind == "(":
            if len(stack) < MAX_DEPTH:
                stack.append(_Frame([[]], lexeme.negated))
            else:
                skipped += 1
        elif lexeme.kind == ")":
            if skipped:
                skipped -= 1
            elif len(stack) > 1:
                node = _close(stack.pop())
                if node is not None:
                    stack[-1].branches[-1].append(node)
        elif lexeme.kind == "OR":
            stack[-1].branches.append([])
        elif lexeme.node is not None:
            node = Not(lexeme.node) if lexeme.negated else lexeme.node
            stack[-1].branches[-1].append(node)
    while len(stack) > 1:
        node = _close(stack.pop())
        if node is not None:
            stack[-1].branches[-1].append(node)
    return _close(stack[0])


def _includes(node: Node) -> bool:
    """True when ``node`` asks for something rather than only excluding."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And | Or):
        return any(_includes(child) for child in node.children)
    return True


def check(query: str) -> list[str]:
    """What :func:`parse` could not use in ``query``, one message per part
    (each names the part as typed), in query order; empty when all is well.

    Also says when the query is cut (:data:`MAX_QUERY_LENGTH`,
    :data:`MAX_TERMS`) and, as :data:`NOTHING_TO_INCLUDE`, when it only
    excludes (``-russie``).
    """
    problems: list[str] = []
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(f"the query is cut after {MAX_QUERY_LENGTH} characters")
    cut = query[:MAX_QUERY_LENGTH]
    _lex(cut, problems)
    tree = parse(cut)
    if tree is not None and not _includes(tree):
        problems.append(NOTHING_TO_INCLUDE)
    return problems
