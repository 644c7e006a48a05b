"""Entity names for the index: what an article's entities are, by key.

An article's entities reach :meth:`SearchIndex.add` in one of two shapes:

* its mentions (anything with ``all()`` returning objects with ``label``,
  ``key`` and ``text``, such as
  :class:`~reader.core.entities.catalogue.ArticleEntities`): each mention
  gives (label, its key, its text) and (label, its key, the canonical name
  in the key), so *Kiev* and *Kyiv* share the key ``loc:kyiv``;
* or names by search field (``{"person": ["Vladimir Poutine"], ...}``):
  each name is its own entity, keyed by
  :func:`~reader.core.entities.model.make_key` (no aliases are known then).

The index keeps the keys on the article and every (label, key, name) in a
small second index, where entity-field queries look names up
(:func:`lookup_keys`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import tantivy

from reader.core.entities.model import make_key

#: Query field of each entity label, and back.
FIELD_OF_LABEL = {"PER": "person", "LOC": "place", "ORG": "org", "MISC": "entity"}
LABEL_OF_FIELD = {field: label for label, field in FIELD_OF_LABEL.items()}
ENTITY_FIELDS = ("person", "place", "org", "entity")

Name = tuple[str, str, str]
"""(label, entity key, name)."""


class _Mention(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def text(self) -> str: ...


class Mentions(Protocol):
    def all(self) -> Sequence[_Mention]: ...


Entities = Mapping[str, Sequence[str]] | Mentions
"""What :meth:`SearchIndex.add` accepts for an article's entities."""


def entity_names(entities: Entities | None) -> list[Name]:
    """The distinct (label, key, name) of an article's entities."""
    out: dict[Name, None] = {}
    if entities is None:
        return []
    if isinstance(entities, Mapping):
        labelled: set[str] = set()
        items = sorted(entities.items(), key=lambda item: item[0] == "entity")
        for field, names in items:
            label = LABEL_OF_FIELD.get(field)
            if label is None or not isinstance(names, Sequence):
                continue
            for name in names:
                if not isinstance(name, str) or not name.strip():
                    continue
                if field == "entity" and name in labelled:
                    continue  # the catch-all field repeats the labelled names
                labelled.add(name)
                out[(label, make_key(label, name), name)] = None
        return list(out)
    for mention in entities.all():
        if mention.label not in FIELD_OF_LABEL or not mention.text.strip():
            continue
        out[(mention.label, mention.key, mention.text)] = None
        canonical = mention.key.partition(":")[2]
        if canonical:
            out[(mention.label, mention.key, canonical)] = None
    return list(out)


def keys_of(names: Iterable[Name]) -> list[str]:
    """The distinct keys of ``names``, in order."""
    return list(dict.fromkeys(key for _, key, _ in names))


#: At most this many entity names are looked up per query word.
MAX_NAMES = 256


def lookup_keys(
    schema: tantivy.Schema,
    searcher: tantivy.Searcher,
    label: str | None,
    folded: list[str],
    prefix_regex: str,
    edits: int,
) -> tuple[set[str], set[str]]:
    """The keys of the names (of ``label``, or any) that hold the folded
    word, or the phrase of several, or a completion (``prefix_regex``); and
    apart, the keys of the names within one edit of a single word."""
    should = tantivy.Occur.Should
    if len(folded) > 1:
        words: list[str | tuple[int, str]] = list(folded)
        exact = [tantivy.Query.phrase_query(schema, "name", words)]
    else:
        exact = [tantivy.Query.term_query(schema, "name", folded[0])]
        if prefix_regex:
            exact.append(tantivy.Query.regex_query(schema, "name", prefix_regex))
    good = _keys(searcher, schema, tantivy.Query.boolean_query([(should, q) for q in exact]), label)
    typo: set[str] = set()
    if edits == 1 and len(folded) == 1:  # (a two-edit automaton costs a millisecond)
        fuzzy = tantivy.Query.fuzzy_term_query(schema, "name", folded[0], 1, True)
        typo = _keys(searcher, schema, fuzzy, label) - good
    return good, typo


def _keys(
    searcher: tantivy.Searcher, schema: tantivy.Schema, found: tantivy.Query, label: str | None
) -> set[str]:
    if label is not None:
        only = tantivy.Query.term_query(schema, "label", label)
        must = tantivy.Occur.Must
        found = tantivy.Query.boolean_query([(must, found), (must, only)])
    keys: set[str] = set()
    for _score, address in searcher.search(found, MAX_NAMES, count=False).hits:
        key = searcher.doc(address).get_first("key")
        if isinstance(key, str):
            keys.add(key)
    return keys
