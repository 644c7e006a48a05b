"""The library: what the UI and the CLI hold.

It owns the loaded articles and problems, each article's entities and the
search index. Every update is per article (:meth:`Library.add`,
:meth:`Library.remove`), so live reload never rebuilds everything;
:meth:`Library.analyse` does the slow part (entities, indexing) for
everything not yet analysed, reporting progress and stopping when asked
(the entity methods live in :mod:`reader.core.session.library_entities`).
A second start over the store may list its articles only when first asked
for (:meth:`Library.defer_listing`).

Two ways to hold an archive:

* in memory (no archive cache): whole articles, their entities in a
  :class:`~reader.core.entities.catalogue.Catalogue`;
* over the :class:`~reader.core.store.archive.ArchiveStore` (``store`` set):
  articles are mostly :class:`~reader.core.store.lazy.StoredArticle` (text
  read from its file when used), entities are read from the store when an
  article is shown, and every change is written there too (:meth:`Library.record_file`,
  :meth:`Library.forget_file`, the entities of :meth:`Library.add`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import DEFAULT_MAX_BYTES, Candidate, load_articles
from reader.core.entities import Recogniser
from reader.core.entities.catalogue import ArticleEntities, Catalogue
from reader.core.search import SearchIndex, SearchResults
from reader.core.session.file_order import FileOrder, place
from reader.core.session.library_entities import LibraryEntities, Progress
from reader.core.store.archive import ArchiveStore, StoreError
from reader.core.store.lazy import ArticleReader, stored_articles
from reader.core.store.records import FileRecord
from reader.core.store.scan import ArchiveRoots


@dataclass
class Library(LibraryEntities):
    """Articles in load order, with an id lookup, the load problems, the
    entity catalogue and the search index."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    recogniser: Recogniser | None = None
    catalogue: Catalogue = field(default_factory=Catalogue)
    index: SearchIndex = field(default_factory=SearchIndex)
    store: ArchiveStore | None = None
    """The archive store this library reads from and writes to (None: in memory)."""
    roots: ArchiveRoots | None = None
    """The archive's roots, naming files in the store (set with ``store``)."""
    unrecognised: set[str] = field(default_factory=set)
    """With a store: ids of the articles whose entities are not yet known."""
    order: FileOrder | None = None
    """The walk's order of the archive's files: where a new article goes
    (None: at the end)."""
    warnings: list[str] = field(default_factory=list)
    """Store failures met while the library was in use (one line each)."""
    _by_id: dict[str, Article] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _entity_cache: dict[tuple[str, str], ArticleEntities] = field(default_factory=dict, repr=False)
    _reader: ArticleReader | None = field(default=None, repr=False)
    _list_them: Callable[[], tuple[list[Article], list[str]]] | None = field(
        default=None, repr=False
    )
    _fetched: dict[str, Article] = field(default_factory=dict, repr=False)
    _listing_rest: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {article.id: article for article in self.articles}

    # Listing on demand ------------------------------------------------------

    def defer_listing(self, list_them: Callable[[], tuple[list[Article], list[str]]]) -> None:
        """Leave the stored articles unlisted until something asks for the
        list (``articles``, ``unrecognised``, or a lookup by other than id):
        ``list_them`` then gives them and the ids still without entities.
        Until then :meth:`get` reads one stored row and ``len`` counts the
        store, so a command that needs only a search's hits (``reader
        search``) does not make 100k lazy articles. Details:
        ``docs/archive-store.md``."""
        with self._lock:
            for name in _LISTED_ON_DEMAND:
                self.__dict__.pop(name, None)
            self._list_them = list_them
            self._fetched = {}

    @property
    def listing_deferred(self) -> bool:
        """True while the stored articles are not yet listed."""
        return "articles" not in self.__dict__

    def __getattr__(self, name: str) -> Any:
        # Only called for an attribute not set: the list, while deferred.
        if name in _LISTED_ON_DEMAND and "_lock" in self.__dict__:
            self.list_now()
            return self.__dict__[name]
        raise AttributeError(name)

    def list_now(self) -> None:
        """Make the deferred list now (a no-op once made)."""
        with self._lock:
            list_them, self._list_them = self._list_them, None
            if not self.listing_deferred:
                return  # listed by another thread meanwhile
            try:
                articles, unrecognised = list_them() if list_them is not None else ([], [])
            except StoreError as exc:
                self._failed(exc)
                articles, unrecognised = [], []
            self._install(articles, unrecognised)

    def list_first(self, first: Sequence[Article]) -> None:
        """Two-step listing (the app's second start), step one: the first
        stored articles. Until :meth:`list_rest`, :meth:`get` reads an
        article not yet listed from the store and ``len`` counts the
        store, so a search finds every article while the rest is listed in
        another thread (an article found so is taken as recognised: its
        stored entities are read, or it is recognised when they are not)."""
        with self._lock:
            self.extend(first, unrecognised=())
            self._listing_rest = True

    def list_rest(self, articles: Sequence[Article], unrecognised: Iterable[str]) -> None:
        """Step two: every stored article, the first ones included (the
        objects already handed out are kept), and the ids of those still
        without entities."""
        with self._lock:
            self._install(articles, unrecognised)
            self._listing_rest = False

    @property
    def listing_rest(self) -> bool:
        """True between :meth:`list_first` and :meth:`list_rest`."""
        return self._listing_rest

    def _install(self, articles: Sequence[Article], unrecognised: Iterable[str] = ()) -> None:
        """Make ``articles`` the list (under the lock), keeping the very
        objects already handed out: listed first, or read by id."""
        handed = {**self.__dict__.get("_by_id", {}), **self._fetched}
        listed = [handed.get(a.id, a) for a in articles] if handed else list(articles)
        self._by_id = {article.id: article for article in listed}
        if self.listing_deferred:
            self.unrecognised = set(unrecognised)
        else:
            self.unrecognised.update(unrecognised)
        self.articles = listed  # last: no longer deferred
        self._fetched = {}

    @property
    def reader(self) -> ArticleReader:
        """Reads stored articles whole (only with a store)."""
        if self._reader is None:
            store = self.store
            self._reader = ArticleReader(store.article if store is not None else _nothing)
        return self._reader

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
        if (self.listing_deferred or self._listing_rest) and self.store is not None:
            try:
                return self.store.count()
            except StoreError:
                pass
        return len(self.articles)

    # Articles -------------------------------------------------------------

    def extend(
        self,
        articles: Sequence[Article],
        problems: Sequence[Problem] = (),
        *,
        unrecognised: Iterable[str] | None = None,
        placed: bool = False,
    ) -> None:
        """Append loaded articles (not yet analysed) and problems. With a
        store, ``unrecognised`` are the ids still without entities (default:
        all of ``articles``). ``placed``: put each new article at its place
        in the file order (files found after the list was made), not at the end."""
        with self._lock:
            new: list[Article] = []
            for article in articles:
                if article.id not in self._by_id:
                    new.append(article)
                    self._by_id[article.id] = article
            if placed:
                self._place(new)
            else:
                self.articles.extend(new)
            self.problems.extend(problems)
            if self.store is not None:
                ids = (a.id for a in articles) if unrecognised is None else unrecognised
                self.unrecognised.update(ids)

    def add(self, article: Article) -> None:
        """Add or replace one article, analysed and indexed at once."""
        with self._lock:
            old = self._by_id.get(article.id)
            if old is None:
                self._place([article])
            else:
                self.articles[self._position(old)] = article
            self._by_id[article.id] = article
            if self._reader is not None:
                self._reader.forget(article.id)
            if self.store is not None:
                self.unrecognised.add(article.id)
            self._analyse_one(article)

    def remove(self, article_id: str) -> None:
        """Forget one article everywhere (its file in the store is the
        caller's: :meth:`forget_file`)."""
        self.remove_many([article_id])

    def remove_many(self, article_ids: Iterable[str]) -> None:
        """Forget articles everywhere, in one pass over the list."""
        with self._lock:
            gone = {i: self._by_id.pop(i) for i in set(article_ids) if i in self._by_id}
            if not gone:
                return
            # By identity: == on a stored article reads its text from the store.
            self.articles[:] = [a for a in self.articles if gone.get(a.id) is not a]
            for article_id in gone:
                self.catalogue.remove(article_id)
                self.unrecognised.discard(article_id)
                if self._reader is not None:
                    self._reader.forget(article_id)
                if article_id in self.index:
                    self.index.remove(article_id)

    def _place(self, new: list[Article]) -> None:
        """Add new articles where the file order puts them (at the end
        without one)."""
        if self.order is None:
            self.articles.extend(new)
        else:
            place(self.articles, new, self.order)

    def _position(self, article: Article) -> int:
        """Where ``article`` (this very object) is in the list."""
        for position, listed in enumerate(self.articles):
            if listed is article:
                return position
        raise ValueError(f"{article.id!r} is not listed")

    # The store --------------------------------------------------------------

    def close(self) -> None:
        """Let go of the store and the index's writer (the library can still
        be searched; nothing more is written)."""
        with self._lock:
            try:
                self.index.close()
            except Exception as exc:  # a writer lost to a full disk: nothing to keep
                self.warnings.append(f"search index: {exc.__class__.__name__}")
            if self.store is not None:
                self.store.close()

    def record_file(
        self, candidate: Candidate, article: Article | None, problems: Sequence[Problem]
    ) -> None:
        """Write one file as read now (its article without entities, or
        none) to the store; a no-op without one."""
        if self.store is None or self.roots is None:
            return
        record = FileRecord(self.roots.file(candidate), article, tuple(problems))
        try:
            self.store.put_many([record])
        except StoreError as exc:
            self._failed(exc)

    def forget_file(self, candidate: Candidate) -> None:
        """Drop one file from the store; a no-op without one."""
        if self.store is None or self.roots is None:
            return
        try:
            self.store.delete_many([self.roots.file(candidate).key])
        except StoreError as exc:
            self._failed(exc)

    def get(self, article_id: str) -> Article | None:
        """The article with exactly this id (read from the store while the
        listing is deferred, or the rest is being listed)."""
        if self.listing_deferred and self.store is not None:
            return self._fetch(self.store, article_id)
        found = self._by_id.get(article_id)
        if found is None and self._listing_rest and self.store is not None:
            return self._fetch(self.store, article_id)
        return found

    def _fetch(self, store: ArchiveStore, article_id: str) -> Article | None:
        with self._lock:
            if not self.listing_deferred:
                listed = self._by_id.get(article_id)
                if listed is not None or not self._listing_rest:
                    return listed  # listed meanwhile
            found = self._fetched.get(article_id)
            if found is None:
                try:
                    rows = store.row_values(article_id)
                except StoreError as exc:
                    self._failed(exc)
                    rows = []
                if not rows:
                    return None
                found = self._fetched[article_id] = stored_articles(rows, self.reader)[0]
            return found

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

    # Search ---------------------------------------------------------------

    def search(self, query: str, *, limit: int = 50, as_you_type: bool = False) -> SearchResults:
        """Search the analysed articles."""
        with self._lock:
            return self.index.search(query, limit=limit, as_you_type=as_you_type)


#: What :meth:`Library.defer_listing` leaves unset until it is asked for.
_LISTED_ON_DEMAND = frozenset({"articles", "_by_id", "unrecognised"})


def _nothing(article_id: str) -> Article | None:
    return None


def _unique(items: Iterable[Article]) -> Article | None:
    found: Article | None = None
    for item in items:
        if found is not None:
            return None
        found = item
    return found


__all__ = ["Library", "Progress"]
