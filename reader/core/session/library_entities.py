"""The library's entities: recognised, kept and handed to the index.

:class:`LibraryEntities` is the part of :class:`~reader.core.session.library.Library`
that deals with entities: each article's are recognised once per content and
recogniser version (cached), kept in the archive store or, without one, in
memory (a :class:`~reader.core.entities.catalogue.Catalogue`), read back when
an article is shown, and given to the search index as its entity fields.
:meth:`LibraryEntities.analyse` does that for everything not yet done.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence

from reader.core.articles.article import Article
from reader.core.entities import Recogniser, default_recogniser
from reader.core.entities.catalogue import ArticleEntities, Catalogue, recognise_article
from reader.core.search import SearchIndex
from reader.core.search.prepared import Prepared
from reader.core.store.archive import ArchiveStore, StoreError
from reader.core.store.lazy import Unreadable, plain

Progress = Callable[[int, int], None]


class LibraryEntities:
    """Entity methods of the library (mixed into it: the attributes below
    are the library's fields)."""

    articles: list[Article]
    recogniser: Recogniser | None
    catalogue: Catalogue
    index: SearchIndex
    store: ArchiveStore | None
    unrecognised: set[str]
    _by_id: dict[str, Article]
    _listing_rest: bool
    _lock: threading.RLock
    _entity_cache: dict[tuple[str, str], ArticleEntities]
    warnings: list[str]

    def get(self, article_id: str) -> Article | None:
        raise NotImplementedError  # the library's

    def _article(self, article_id: str) -> Article | None:
        """The article with this id: listed, or read from the store while
        the rest of a two-step listing is listed."""
        found = self._by_id.get(article_id)
        if found is None and self._listing_rest:
            return self.get(article_id)
        return found

    def _failed(self, exc: StoreError) -> None:
        """Note a store failure once (the library goes on in memory)."""
        message = f"archive cache: {exc}"
        if message not in self.warnings:
            self.warnings.append(message)

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
        whole = plain(article)
        if isinstance(whole, Unreadable):
            return ArticleEntities()  # left unrecognised: its file is read again soon
        entities = self._recognise(whole)
        self.set_entities(whole, entities)
        return entities

    def set_entities(self, article: Article, entities: ArticleEntities) -> None:
        """Take the recognised entities of ``article`` (whole): kept (in the
        store, or in memory), and its index entry updated."""
        if isinstance(article, Unreadable):
            return  # a stand-in: the article stays unrecognised
        with self._lock:
            if self.store is None:
                self.catalogue.add(article.id, entities)
            else:
                try:
                    self.store.put_entities([(article, entities)])
                except StoreError as exc:
                    self._failed(exc)
                    self.catalogue.add(article.id, entities)
                self.unrecognised.discard(article.id)
            self.index.update(article, entities=entities)

    def entities_known(
        self,
        pairs: Sequence[tuple[Article, ArticleEntities]],
        prepared: Sequence[Prepared | None] = (),
    ) -> None:
        """Entities already written to the store: the articles' index
        entries get their entity fields (``prepared``: their index fields,
        analysed in the worker, same order)."""
        ready = prepared or (None,) * len(pairs)
        with self._lock:
            for (article, entities), fields in zip(pairs, ready, strict=True):
                if isinstance(article, Unreadable):
                    continue  # a stand-in (its file changed meanwhile): stays unrecognised
                if article.id in self._by_id:
                    self.unrecognised.discard(article.id)
                    self.index.update(article, entities=entities, prepared=fields)

    def entities_for(self, article_id: str) -> ArticleEntities:
        """The entities of one article (recognised now if not yet done)."""
        with self._lock:
            found = self.catalogue.get(article_id)
            if found is not None:
                return found
            article = self._article(article_id)
            if article is None:
                return ArticleEntities()
            whole = plain(article)
            if isinstance(whole, Unreadable):
                return ArticleEntities()  # its file changed or left: it is read again soon
            if self.store is not None and article_id not in self.unrecognised:
                try:
                    stored = self.store.entities(whole)
                except StoreError as exc:
                    self._failed(exc)
                    stored = None
                if stored is not None:
                    return stored
            return self._analyse_one(whole)

    def is_analysed(self, article_id: str) -> bool:
        if self.store is not None and self._article(article_id) is not None:
            return article_id not in self.unrecognised
        return self.catalogue.get(article_id) is not None

    def corpus(self) -> Catalogue:
        """Every article's entities, as one catalogue (read from the store
        when there is one: a moment for a large archive)."""
        if self.store is None:
            return self.catalogue
        stored: dict[str, ArticleEntities] = {}
        try:
            for chunk in self.store.all_entities():
                stored.update(chunk)
        except StoreError as exc:
            self._failed(exc)
        catalogue = Catalogue()
        for article in list(self.articles):
            found = stored.get(article.id) if article.id not in self.unrecognised else None
            catalogue.add(article.id, found if found is not None else self.entities_for(article.id))
        return catalogue

    def analyse(
        self, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> bool:
        """Recognise entities and index every article not yet done.

        Calls ``progress(done, total)`` now and then; returns False when
        ``cancel`` was set before the end.
        """
        with self._lock:
            pending = [a for a in self.articles if not self.is_analysed(a.id)]
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
