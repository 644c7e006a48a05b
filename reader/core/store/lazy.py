"""Articles of the archive store whose text is read when it is first used.

A :class:`StoredArticle` is an :class:`~reader.core.articles.article.Article`
made from one :class:`~reader.core.store.records.ArticleRow`: the list
columns (id, path, title, date, source, language, tags, authors, size, time)
are set at once, and the rest — the body, summary, URL, format, manual
entity annotations, extra metadata — is read from the article's file the
first time any of it is asked for (:meth:`ArchiveStore.article
<reader.core.store.archive.ArchiveStore.article>`, which checks it still
holds the stored text), through a shared :class:`ArticleReader` that keeps
the last few hundred articles read. So a 100k-article archive lists in a few
tenths of a second and holds no bodies, while every consumer of ``Article``
(the list, the article pane, search snippets, the CLI) works unchanged.

``content_key`` is known from the row, so the reading state matches an
article without reading its text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reader.core.articles.article import Article, EntityAnnotation, Format
from reader.core.store.codec import split_list
from reader.core.store.records import ArticleRow

#: How many whole articles an :class:`ArticleReader` keeps.
KEEP = 512

_LISTED: tuple[str, ...] = ("id", "path", "title", "date", "date_valid", "source", "lang")
_LISTED += ("tags", "author", "size", "mtime")


class ArticleReader:
    """Reads whole articles by id (``fetch``), keeping the last :data:`KEEP`.

    ``fetch`` returns None when the article cannot be read (a damaged or
    closed store, an article removed meanwhile, a file changed): the article then shows as
    :func:`unreadable`.
    """

    def __init__(self, fetch: Callable[[str], Article | None]) -> None:
        self._fetch = fetch
        self._kept: OrderedDict[str, Article] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, article: StoredArticle) -> Article:
        key = article.id
        with self._lock:
            found = self._kept.get(key)
            if found is not None and found.title == article.title:
                self._kept.move_to_end(key)
                return found
        try:
            found = self._fetch(key)
        except Exception:  # the caller shows the article as unreadable
            found = None
        if found is None or found.title != article.title:
            return unreadable(article)
        with self._lock:
            self._kept[key] = found
            while len(self._kept) > KEEP:
                self._kept.popitem(last=False)
        return found

    def forget(self, article_id: str) -> None:
        """Drop what is kept of one article (it changed or left)."""
        with self._lock:
            self._kept.pop(article_id, None)


@dataclass(frozen=True, slots=True)
class Unreadable(Article):
    """The stand-in shown for a stored article whose file is gone or no
    longer holds it: never recognised, indexed or stored in its place."""


def unreadable(article: Article) -> Unreadable:
    """What shows for a stored article that can no longer be read."""
    return Unreadable(
        id=article.id,
        path=article.path,
        format="text",
        title=article.title,
        body="(This article's file is gone or no longer holds this article: "
        "the list shows it as it was when last read. It is read again as soon as "
        "the change is seen: now if the folder is watched, else on the next start.)",
        lang=article.lang,
    )


def _whole(name: str) -> property:
    def get(self: StoredArticle) -> Any:
        return getattr(self.whole(), name)

    return property(get, doc=f"``{name}``, read from the file when first used.")


class StoredArticle(Article):
    """An article whose list columns are set and whose text is read lazily.

    Make one with :func:`stored_article` or :func:`stored_articles`; ``==``
    compares with other stored articles without reading (use :meth:`whole`
    to compare with a plain article).
    """

    __slots__ = ("_reader", "known_key")

    _reader: ArticleReader
    known_key: str
    """The article's content key (see :func:`reader.core.store.identity.content_key`)."""

    body = _whole("body")
    format: Format = _whole("format")  # type: ignore[assignment]
    url = _whole("url")
    summary = _whole("summary")
    lang_detected = _whole("lang_detected")
    entities: tuple[EntityAnnotation, ...] = _whole("entities")  # type: ignore[assignment]
    extra = _whole("extra")
    truncated = _whole("truncated")

    def whole(self) -> Article:
        """The plain article with every field, read from its file."""
        return self._reader(self)

    def _listed(self) -> tuple[Any, ...]:
        return (self.id, self.path, self.title, self.date, self.source, self.lang)

    def __eq__(self, other: object) -> bool:
        # Without reading the text: two stored articles with the same list
        # columns and content key (a hash of title and body) are the same.
        if not isinstance(other, StoredArticle):
            return NotImplemented
        return (
            self.known_key == other.known_key
            and self._listed() == other._listed()
            and (self.tags, self.author, self.size, self.mtime)
            == (other.tags, other.author, other.size, other.mtime)
        )

    def __hash__(self) -> int:
        return hash((self.id, self.known_key))

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to a worker process (or copied): as the plain article.
        return (_plain, (self.whole(),))

    def __repr__(self) -> str:
        return f"StoredArticle(id={self.id!r}, title={self.title!r})"


_SETTERS = tuple(Article.__dict__[name].__set__ for name in _LISTED) + tuple(
    StoredArticle.__dict__[name].__set__ for name in ("_reader", "known_key")
)


def _plain(article: Article) -> Article:
    return article


def stored_article(row: ArticleRow, reader: ArticleReader) -> StoredArticle:
    """The lazy article of one store row."""
    return stored_articles([(*row[:11], False, row.content_key)], reader)[0]


def stored_articles(values: list[tuple[Any, ...]], reader: ArticleReader) -> list[StoredArticle]:
    """The lazy articles of :meth:`ArchiveStore.row_values
    <reader.core.store.archive.ArchiveStore.row_values>` (the row's fields,
    then the ``odd`` flag, then the content key), one loop for a whole
    archive (100k are made at a start)."""
    (id_, path, title, date, valid, source, lang, tags, author, size, mtime) = _SETTERS[:11]
    set_reader, set_key = _SETTERS[11], _SETTERS[12]
    new = object.__new__
    out: list[StoredArticle] = []
    append = out.append
    # the same tag and author lists recur across an archive: split each once
    # and share the tuple (immutable)
    splits: dict[str, tuple[str, ...]] = {}

    def split(value: str) -> tuple[str, ...]:
        found = splits.get(value)
        if found is None:
            found = splits[value] = split_list(value)
        return found

    for row in values:
        article = new(StoredArticle)
        id_(article, row[0])
        path(article, row[1])
        title(article, row[2])
        date(article, row[3])
        valid(article, bool(row[4]))
        source(article, row[5])
        lang(article, row[6])
        tags(article, split(row[7]) if row[7] else ())
        author(article, split(row[8]) if row[8] else ())
        size(article, row[9])
        mtime(article, row[10])
        set_reader(article, reader)
        set_key(article, row[12])
        append(article)
    return out


def plain(article: Article) -> Article:
    """``article`` with every field (a stored article read whole)."""
    return article.whole() if isinstance(article, StoredArticle) else article
