"""Full-text search over articles, on tantivy.

* :class:`SearchIndex` — ``add``, ``update``, ``remove``, ``build``,
  ``search(query, limit=50, as_you_type=False) -> SearchResults``, ``len()``;
  ``SearchIndex(path=folder)`` for a memory-mapped on-disk index;
* :func:`highlight` — the hit offsets of a query in one article, without an
  index;
* :class:`SearchResults` carries the :class:`Matcher` of the query, which
  locates the hits of that very match in any article.

The query language is described in :mod:`reader.core.search.query`, the
analysis chain in :mod:`reader.core.search.analysis`, the index layout in
:mod:`reader.core.search.schema`, the query compilation and ranking in
:mod:`reader.core.search.compile`.
"""

from __future__ import annotations

from functools import lru_cache

import tantivy

from reader.core.articles.article import Article
from reader.core.search import analysis
from reader.core.search.compile import Compiler, query_langs
from reader.core.search.index import ENTITY_FIELDS, FIELDS, SearchIndex
from reader.core.search.matcher import Matcher
from reader.core.search.query import parse
from reader.core.search.results import Hit, Offset, SearchResults, Snippet
from reader.core.search.schema import article_schema

__all__ = [
    "ENTITY_FIELDS",
    "FIELDS",
    "Hit",
    "Matcher",
    "Offset",
    "SearchIndex",
    "SearchResults",
    "Snippet",
    "highlight",
    "matcher_for",
    "parse",
]


@lru_cache(maxsize=1)
def _schema() -> tantivy.Schema:
    return article_schema()


def matcher_for(query: str, article: Article, *, as_you_type: bool = False) -> Matcher:
    """The matcher of ``query`` analysed for ``article``'s language (and
    French and English), without an index: no entity keys."""
    tree = parse(query, as_you_type=as_you_type)
    langs = query_langs(tree, sorted({"fr", "en", analysis.lang_key(article.lang)} - {""}))
    return Compiler(_schema(), None, langs).compile(tree).matcher


def highlight(query: str, article: Article, *, as_you_type: bool = False) -> list[Offset]:
    """Where ``query`` matches in ``article``: (field, start, end) for every
    hit in ``title`` and ``body``, title first, in text order (a phrase
    occurrence is one hit). Never raises on any query text."""
    found = matcher_for(query, article, as_you_type=as_you_type).offsets(article)
    return [(name, start, end) for name, start, end, _ in found]
