"""The library: what the UI and the CLI hold.

It owns the loaded articles and problems, each article's entities (with the
corpus-wide :class:`~reader.core.entities.catalogue.Catalogue`) and the search index.
Every update is per article (:meth:`Library.add`, :meth:`Library.remove`),
so live reload never rebuilds everything; :meth:`Library.analyse` does the
slow part (entities, indexing) for everything not yet analysed, reporting
progress and stopping when asked.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import DEFAULT_MAX_BYTES, load_articles
from reader.core.entities import Recogniser, default_recogniser
from reader.core.entities.catalogue import ArticleEntities, Catalogue, recognise_article
from reader.core.search import SearchIndex, SearchResults

Progress = Callable[[int, int], None]


@dataclass
class Library:
    """Articles in load order, with an id lookup, the load problems, the
    entity catalogue and the search index."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    recogniser: Recogniser | None = None
    catalogue: Catalogue = field(default_factory=Catalogue)
    index: SearchIndex = field(default_factory=SearchIndex)
    _by_id: dict[str, Article] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _entity_cache: dict[tuple[str, str], ArticleEntities] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {article.id: article for article in self.articles}

    @classmethod
    def load(
        cls,
        paths: Iterable[str | os.PathLike[str]],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        recogniser: Recogniser | None = None,
        default_lang: str | None = None,
    ) -> Library:
        """Load every article under ``paths`` (not yet analysed)."""
        articles, problems = load_articles(paths, max_bytes=max_bytes, default_lang=default_lang)
        return cls(articles, problems, recogniser)

    def __len__(self) -> int:
        return len(self.articles)

    # Articles -------------------------------------------------------------

    def extend(self, articles: Sequence[Article], problems: Sequence[Problem] = ()) -> None:
        """Append loaded articles (not yet analysed) and problems."""
        with self._lock:
            for article in articles:
                if article.id not in self._by_id:
                    self.articles.append(article)
                    self._by_id[article.id] = article
            self.problems.extend(problems)

    def add(self, article: Article) -> None:
        """Add or replace one article, analysed and indexed at once."""
        with self._lock:
            old = self._by_id.get(article.id)
            if old is None:
                self.articles.append(article)
            else:
                self.articles[self.articles.index(old)] = article
            self._by_id[article.id] = article
            self._analyse_one(article)

    def remove(self, article_id: str) -> None:
        """Forget one article everywhere."""
        with self._lock:
            article = self._by_id.pop(article_id, None)
            if article is None:
                return
            self.articles.remove(article)
            self.catalogue.remove(article_id)
            if article_id in self.index:
                self.index.remove(article_id)

    def get(self, article_id: str) -> Article | None:
        """The article with exactly this id."""
        return self._by_id.get(article_id)

    def find(self, reference: str) -> Article | None:
        """Resolve what a user typed: an id, a path, a file name or stem, or
        a unique part of an id. None when nothing or several things match."""
        exact = self._by_id.get(reference)
        if exact is not None:
            return exact
        absolute = os.path.abspath(reference)
        for article in self.articles:
            if article.path == reference or os.path.abspath(article.path) == absolute:
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

    # Entities and search --------------------------------------------------

    def _recogniser(self) -> Recogniser:
        if self.recogniser is None:
            # In the reader, nationality words (French, russe) are not entities.
            self.recogniser = default_recogniser(demonyms_as_misc=False)
        return self.recogniser

    def _recognise(self, article: Article) -> ArticleEntities:
        """Entities of ``article``, cached by content and recogniser version:
        an unchanged article (a re-read, a rename) is not recognised again."""
        recogniser = self._recogniser()
        digest = hashlib.blake2b(digest_size=16)
        for part in (
            article.format,
            article.lang,
            article.title,
            article.body,
            repr(article.entities),
        ):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        key = (digest.hexdigest(), f"{recogniser.name}:{recogniser.version}")
        found = self._entity_cache.get(key)
        if found is None:
            found = recognise_article(article, recogniser)
            if len(self._entity_cache) > 4 * max(1024, len(self.articles)):
                self._entity_cache.clear()
            self._entity_cache[key] = found
        return found

    def _analyse_one(self, article: Article) -> ArticleEntities:
        entities = self._recognise(article)
        self.catalogue.add(article.id, entities)
        if article.id in self.index:
            self.index.update(article, entities=entities.search_fields())
        else:
            self.index.add(article, entities=entities.search_fields())
        return entities

    def entities_for(self, article_id: str) -> ArticleEntities:
        """The entities of one article (recognised now if not yet done)."""
        with self._lock:
            found = self.catalogue.get(article_id)
            if found is not None:
                return found
            article = self._by_id.get(article_id)
            if article is None:
                return ArticleEntities()
            return self._analyse_one(article)

    def is_analysed(self, article_id: str) -> bool:
        return self.catalogue.get(article_id) is not None

    def analyse(
        self, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> bool:
        """Recognise entities and index every article not yet done.

        Calls ``progress(done, total)`` now and then; returns False when
        ``cancel`` was set before the end.
        """
        pending = [a for a in list(self.articles) if not self.is_analysed(a.id)]
        total = len(pending)
        for done, article in enumerate(pending, 1):
            if cancel is not None and cancel.is_set():
                return False
            with self._lock:
                if article.id in self._by_id and not self.is_analysed(article.id):
                    self._analyse_one(article)
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
        return True

    def search(self, query: str, *, limit: int = 50, as_you_type: bool = False) -> SearchResults:
        """Search the analysed articles."""
        with self._lock:
            return self.index.search(query, limit=limit, as_you_type=as_you_type)


def _unique(items: Iterable[Article]) -> Article | None:
    found: Article | None = None
    for item in items:
        if found is not None:
            return None
        found = item
    return found
