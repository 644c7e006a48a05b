"""Full-text search over articles.

* :class:`SearchIndex` — ``add``, ``update``, ``remove``, ``build``,
  ``search(query, limit=50, as_you_type=False) -> SearchResults``, ``len()``;
* :func:`highlight` — the hit offsets of a query in one article, without an
  index (for the open article);
* the query language is described in :mod:`reader.core.search.query`, the
  analysis chain in :mod:`reader.core.search.analysis`, scoring and data
  layout in :mod:`reader.core.search.index`.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.articles.article import Article
from reader.core.search import analysis
from reader.core.search.index import ENTITY_FIELDS, FIELDS, SearchIndex
from reader.core.search.plan import Planner, matcher, query_langs
from reader.core.search.query import parse
from reader.core.search.results import Hit, Matcher, Offset, SearchResults, Snippet

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
    "parse",
]


class _ArticleVocabulary:
    """The terms of one article, as a planner vocabulary."""

    def __init__(self, article: Article) -> None:
        counts: dict[str, int] = {}
        for text, names in ((article.title, False), (article.body, True)):
            for token in analysis.tokens(text, article.lang, names=names):
                counts[token.term] = counts.get(token.term, 0) + 1
        self._counts = counts
        self._sorted = sorted(counts)

    def has(self, term: str) -> bool:
        return term in self._counts

    def sorted_terms(self) -> Sequence[str]:
        return self._sorted

    def frequency(self, term: str) -> int:
        return self._counts.get(term, 0)


def highlight(query: str, article: Article, *, as_you_type: bool = False) -> list[Offset]:
    """Where ``query`` matches in ``article``: (field, start, end) for every
    hit in ``title`` and ``body``, title first, in text order.

    Uses the same analysis, prefix and typo rules as :meth:`SearchIndex.search`
    with the article's own vocabulary. Never raises on any query text.
    """
    tree = parse(query, as_you_type=as_you_type)
    langs = query_langs(tree, sorted({"fr", "en", analysis.lang_key(article.lang)}))
    plan = Planner(_ArticleVocabulary(article), langs).plan(tree)
    return [(name, start, end) for name, start, end, _ in matcher(plan).offsets(article)]
