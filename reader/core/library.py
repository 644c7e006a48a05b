"""The library: the loaded articles and problems the UI and CLI hold."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader.core.article import Article, Problem
from reader.core.loader import DEFAULT_MAX_BYTES, load_articles


@dataclass
class Library:
    """Articles in load order, with an id lookup, and the load problems."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _by_id: dict[str, Article] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {article.id: article for article in self.articles}

    @classmethod
    def load(
        cls, paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> Library:
        """Load every article under ``paths``."""
        articles, problems = load_articles(paths, max_bytes=max_bytes)
        return cls(articles, problems)

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> Article | None:
        """The article with exactly this id."""
        return self._by_id.get(article_id)

    def find(self, reference: str) -> Article | None:
        """Resolve what a user typed: an id, a path, a file name or stem, or
        a unique id prefix. None when nothing or several things match."""
        exact = self._by_id.get(reference)
        if exact is not None:
            return exact
        for article in self.articles:
            if article.path == reference:
                return article
        matches = _unique(
            article
            for article in self.articles
            if os.path.basename(article.id) == reference
            or os.path.splitext(os.path.basename(article.id))[0] == reference
        )
        if matches is not None:
            return matches
        prefixed = _unique(a for a in self.articles if a.id.startswith(reference))
        if prefixed is not None:
            return prefixed
        return _unique(a for a in self.articles if reference in a.id)

    def languages(self) -> Sequence[str]:
        """The languages present, most frequent first."""
        counts: dict[str, int] = {}
        for article in self.articles:
            counts[article.lang] = counts.get(article.lang, 0) + 1
        return sorted(counts, key=lambda lang: (-counts[lang], lang))


def _unique(items: Iterable[Article]) -> Article | None:
    found: Article | None = None
    for item in items:
        if found is not None:
            return None
        found = item
    return found
